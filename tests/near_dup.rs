//! Near-duplicate detection measured on a synthetic corpus with known truth: base articles,
//! variants of them (word edits, an inserted sentence, reordered paragraphs), hard negatives
//! (half an article, heavy edits) and unrelated articles. The truth of a document is the true
//! Jaccard similarity of its word 5-gram shingles with the earlier documents, computed exactly.

use std::collections::HashSet;

use polyclean::dedup::minhash::shingles;
use polyclean::dedup::normal::normal_form;
use polyclean::dedup::{Decision, Dedup, DedupConfig};
use polyclean::Position;

/// A deterministic generator (64-bit LCG, Knuth's constants).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A made-up word of 2–4 syllables: a vocabulary of thousands of words.
fn word(rng: &mut Rng) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "tu", "ren", "sa", "vo", "del", "pi", "nor", "ga", "te", "bru", "fi",
        "zen", "ol", "ma", "qui", "dra", "ne", "so", "lu", "cor", "ve",
    ];
    (0..2 + rng.below(3))
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// An article: `paragraphs` paragraphs of 40–70 words.
fn article(rng: &mut Rng, paragraphs: usize) -> Vec<Vec<String>> {
    (0..paragraphs)
        .map(|_| (0..40 + rng.below(31)).map(|_| word(rng)).collect())
        .collect()
}

fn replace_words(rng: &mut Rng, mut doc: Vec<Vec<String>>, n: usize) -> Vec<Vec<String>> {
    for _ in 0..n {
        let p = rng.below(doc.len());
        let w = rng.below(doc[p].len());
        doc[p][w] = word(rng);
    }
    doc
}

fn text(doc: &[Vec<String>]) -> Vec<String> {
    doc.iter().map(|p| p.join(" ")).collect()
}

fn shingle_set(paragraphs: &[String]) -> HashSet<u64> {
    let normals: Vec<String> = paragraphs.iter().map(|p| normal_form(p)).collect();
    shingles(&normals.join(" ")).into_iter().collect()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

/// The corpus, in input order: every base is followed later by its variants.
fn corpus() -> Vec<Vec<String>> {
    let mut rng = Rng(2024);
    let bases: Vec<Vec<Vec<String>>> = (0..70).map(|_| article(&mut rng, 5)).collect();
    let mut docs: Vec<Vec<String>> = bases.iter().map(|b| text(b)).collect();
    for (i, base) in bases.iter().enumerate() {
        let variant = match i % 7 {
            0 => {
                let edits = 1 + rng.below(3);
                replace_words(&mut rng, base.clone(), edits)
            }
            1 => {
                let mut doc = base.clone();
                let sentence: Vec<String> = (0..10).map(|_| word(&mut rng)).collect();
                let at = rng.below(doc[2].len());
                doc[2].splice(at..at, sentence);
                doc
            }
            2 => {
                let mut doc = base.clone();
                doc.swap(0, 3);
                doc.swap(1, 4);
                doc
            }
            // Hard negatives: heavy edits, and half an article with new text.
            3 => replace_words(&mut rng, base.clone(), 40),
            4 => {
                let mut doc = base.clone();
                doc.truncate(2);
                doc.extend(article(&mut rng, 3));
                doc
            }
            // Near the threshold: 5 edits leave a Jaccard similarity around 0.85.
            5 => replace_words(&mut rng, base.clone(), 5),
            _ => article(&mut rng, 5),
        };
        docs.push(text(&variant));
    }
    docs
}

#[test]
fn near_duplicates_are_found_with_high_precision_and_recall_at_0_8() {
    const T: f64 = 0.8;
    let docs = corpus();
    let sets: Vec<HashSet<u64>> = docs.iter().map(|d| shingle_set(d)).collect();
    let mut dedup = Dedup::new(DedupConfig {
        near_dup: Some(T),
        ..DedupConfig::default()
    });
    let fingerprinter = dedup.fingerprinter();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (i, doc) in docs.iter().enumerate() {
        let truth = (0..i).any(|j| jaccard(&sets[i], &sets[j]) >= T);
        let prints = fingerprinter.fingerprints(doc.iter().map(String::as_str).enumerate());
        let position = Position {
            input: 0,
            record: i as u64,
        };
        let found = matches!(
            dedup.step(position, &format!("doc{i}"), &prints),
            Decision::Document(..)
        );
        match (truth, found) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => {}
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    println!("near-dup T={T}: {tp} true positives, {fp} false, {fn_} missed; precision {precision:.3}, recall {recall:.3}");
    assert!(tp >= 25, "the corpus has near duplicates: {tp}");
    assert!(precision >= 0.9, "precision {precision}");
    assert!(recall >= 0.9, "recall {recall}");
}
