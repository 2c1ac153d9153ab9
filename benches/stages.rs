//! Per-stage throughput (`cargo bench`): segmentation, normalization, language detection (all
//! languages, and fr/en/es), boilerplate removal and JSONL writing, each in bytes of raw text
//! per second over the bundled fixtures. The whole-run figures come from `scripts/bench.sh`.

use std::fs;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use polyclean::boilerplate::{BoilerplateFilter, ClassifierConfig};
use polyclean::lang::{LangConfig, LanguageDetector};
use polyclean::normalize::{normalize, UnicodeForm};
use polyclean::write::{Destination, JsonlWriter, Sink};
use polyclean::{segment, Document};

/// The fixtures as documents, paragraphs segmented and normalized (the state after stage 2).
fn documents() -> Vec<Document> {
    let mut paths: Vec<_> = fs::read_dir("fixtures")
        .expect("run from the repository root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let raw = fs::read_to_string(p).expect("fixture is UTF-8");
            let mut doc = Document::new(p.display().to_string(), "bench", raw);
            doc.paragraphs = segment::paragraphs(&doc.raw);
            for para in &mut doc.paragraphs {
                para.text = normalize(&para.text, UnicodeForm::Nfc);
            }
            doc
        })
        .collect()
}

fn raw_bytes(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.raw.len() as u64).sum()
}

fn stages(c: &mut Criterion) {
    let docs = documents();
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(raw_bytes(&docs)));

    group.bench_function("segment", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(segment::paragraphs(&d.raw));
            }
        })
    });
    group.bench_function("normalize", |b| {
        b.iter(|| {
            for p in docs.iter().flat_map(|d| &d.paragraphs) {
                black_box(normalize(&p.text, UnicodeForm::Nfc));
            }
        })
    });
    let all = LanguageDetector::new(LangConfig::default());
    group.bench_function("language, all", |b| {
        b.iter_batched(
            || docs.clone(),
            |mut docs| docs.iter_mut().for_each(|d| all.detect_paragraphs(d)),
            BatchSize::SmallInput,
        )
    });
    let three = LanguageDetector::new(LangConfig {
        candidates: vec![
            whatlang::Lang::Fra,
            whatlang::Lang::Eng,
            whatlang::Lang::Spa,
        ],
        ..LangConfig::default()
    });
    group.bench_function("language, fr en es", |b| {
        b.iter_batched(
            || docs.clone(),
            |mut docs| docs.iter_mut().for_each(|d| three.detect_paragraphs(d)),
            BatchSize::SmallInput,
        )
    });
    let mut detected = docs.clone();
    detected.iter_mut().for_each(|d| all.detect_paragraphs(d));
    let classifier = ClassifierConfig::builtin().expect("built-in classifier");
    let filter = BoilerplateFilter::new(Vec::new(), &[], Some(classifier)).expect("built-in rules");
    group.bench_function("boilerplate", |b| {
        b.iter_batched(
            || detected.clone(),
            |mut docs| docs.iter_mut().for_each(|d| filter.apply(d, None)),
            BatchSize::SmallInput,
        )
    });
    let dir = tempfile::tempdir().expect("temp dir");
    group.bench_function("write jsonl", |b| {
        b.iter(|| {
            let dest = Destination::create(&dir.path().join("out.jsonl")).expect("temp file");
            let mut writer = JsonlWriter::new(dest);
            for d in &detected {
                writer.write(d).expect("write");
            }
            // Dropped uncommitted: the temporary file is removed.
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
