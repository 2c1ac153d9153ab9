//! Wiring: the stages applied to one document, and the streaming run over many —
//! bounded batches processed in parallel with rayon, written in input order.

use std::io;
use std::sync::{Mutex, PoisonError};
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::boilerplate::{
    BoilerplateFilter, BoundedCounter, ClassifierConfig, Reason, Repetition, RuleError, RuleFile,
};
use crate::config::ClassifierOverrides;
use crate::dedup::{Dedup, DedupConfig, DedupTableBody, Fingerprinter, Fingerprints};
use crate::document::Document;
use crate::lang::{keep_only, LangConfig, LanguageDetector};
use crate::normalize::{normalize_in_place, UnicodeForm};
use crate::quality::{QualityConfig, QualityFilter};
use crate::read::{Event, Issue};

mod batches;
use crate::segment;
use crate::stats::RunStats;
use crate::write::Sink;
use batches::{for_each_batch, StopOnly};

/// Everything that decides what the pipeline does to a document.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Unicode normalization form.
    pub unicode_form: UnicodeForm,
    /// Language detection settings.
    pub lang: LangConfig,
    /// User rule files, applied after the built-in ones, as `(name, file)`.
    pub extra_rules: Vec<(String, RuleFile)>,
    /// Rules only: skip the content classifier.
    pub no_classifier: bool,
    /// Rules switched off, by id (`fr.ad.1`), reason code (`share`) or rule file (`de`).
    pub disable: Vec<String>,
    /// Classifier settings that replace the built-in ones.
    pub classifier: ClassifierOverrides,
    /// Languages to keep (output codes, `fr`); empty keeps every language.
    pub keep_langs: Vec<String>,
    /// The quality filters (`[quality]`); off by default.
    pub quality: QualityConfig,
    /// Duplicates looked for (none by default).
    pub dedup: DedupConfig,
}

/// The stages, built once and shared by every thread.
pub struct Pipeline {
    unicode_form: UnicodeForm,
    repetition: Option<Repetition>,
    detector: LanguageDetector,
    boilerplate: BoilerplateFilter,
    keep_langs: Vec<String>,
    quality: Option<QualityFilter>,
    /// Deduplication: hashes in the parallel part, the table behind a lock, used by one
    /// thread at a time in input order.
    dedup: Option<(Fingerprinter, Mutex<Dedup>)>,
}

/// How many documents, and how many bytes of text, one parallel batch holds at most:
/// enough to keep every core busy, small enough that memory stays flat.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    /// Maximum documents per batch.
    pub documents: usize,
    /// Maximum bytes of raw text per batch.
    pub bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            documents: 512,
            bytes: 32 << 20,
        }
    }
}

/// What a caller sees of a running pipeline: issues as they are met, progress after every
/// batch, and a way to stop it. A closure over issues is a monitor that never stops.
pub trait Monitor {
    /// An input or record was skipped, or a warning was raised.
    fn issue(&mut self, issue: &Issue);

    /// A batch was written: its documents and bytes of raw text.
    fn progress(&mut self, _documents: usize, _bytes: usize) {}

    /// Checked before every document: `true` abandons the run with an
    /// [`io::ErrorKind::Interrupted`] error, before anything is committed.
    fn stop_requested(&self) -> bool {
        false
    }
}

impl<F: FnMut(&Issue)> Monitor for F {
    fn issue(&mut self, issue: &Issue) {
        self(issue)
    }
}

/// The error a run returns when its monitor asked it to stop.
fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "stopped on request")
}

/// The classifier's settings: built-in, with the user's overrides; `None` when switched off
/// (`--no-classifier`, `enabled = false`, or `low_content` disabled).
fn classifier_config(
    off: bool,
    disable: &[String],
    overrides: &ClassifierOverrides,
) -> Result<Option<ClassifierConfig>, RuleError> {
    let disabled = disable.iter().any(|d| d == Reason::LowContent.as_str());
    if off || disabled || overrides.enabled == Some(false) {
        return Ok(None);
    }
    let mut config = ClassifierConfig::builtin()?;
    config.bias = overrides.bias.unwrap_or(config.bias);
    config.switch_cost = overrides.switch_cost.unwrap_or(config.switch_cost);
    config.min_paragraphs = overrides.min_paragraphs.unwrap_or(config.min_paragraphs);
    config.block_gap = overrides.block_gap.unwrap_or(config.block_gap);
    config.block_share = overrides.block_share.unwrap_or(config.block_share);
    config.block_keep_chars = overrides
        .block_keep_chars
        .unwrap_or(config.block_keep_chars);
    config.block_full_chars = overrides
        .block_full_chars
        .unwrap_or(config.block_full_chars);
    config.promotion_reach = overrides.promotion_reach.unwrap_or(config.promotion_reach);
    Ok(Some(config))
}

impl Pipeline {
    /// Build the stages for `config`; fails only on invalid user rules.
    pub fn new(config: Config) -> Result<Pipeline, RuleError> {
        Ok(Pipeline {
            unicode_form: config.unicode_form,
            repetition: None,
            detector: LanguageDetector::new(config.lang),
            keep_langs: config.keep_langs,
            quality: QualityFilter::new(&config.quality),
            dedup: config.dedup.enabled().then(|| {
                let dedup = Dedup::new(config.dedup);
                (dedup.fingerprinter(), Mutex::new(dedup))
            }),
            boilerplate: BoilerplateFilter::new(
                config.extra_rules,
                &config.disable,
                classifier_config(config.no_classifier, &config.disable, &config.classifier)?,
            )?,
        })
    }

    /// The boilerplate stage (its rules can be listed).
    pub fn boilerplate(&self) -> &BoilerplateFilter {
        &self.boilerplate
    }

    /// Run every stage on one document: segment, normalize, detect, drop boilerplate,
    /// elect the document's language, drop languages not kept, apply the quality filters.
    pub fn process(&self, doc: &mut Document) {
        self.segment(doc);
        self.detector.detect_paragraphs(doc);
        self.boilerplate.apply(doc, self.repetition.as_ref());
        self.detector.elect_document_language(doc);
        if !self.keep_langs.is_empty() {
            keep_only(doc, &self.keep_langs);
        }
        if let Some(quality) = &self.quality {
            quality.apply(doc);
        }
    }

    /// The first two stages: paragraphs, normalized.
    pub fn segment(&self, doc: &mut Document) {
        doc.paragraphs = segment::paragraphs(&doc.raw);
        for p in &mut doc.paragraphs {
            normalize_in_place(&mut p.text, self.unicode_form);
        }
    }

    /// Count, over `events`, the documents the paragraphs occur in (the first pass of
    /// repetition detection), in parallel batches; later runs drop paragraphs found in at
    /// least `min_documents` documents as `repeated`. Memory stays bounded: only the repeated
    /// paragraphs are kept, found through a fixed-size sketch and a temporary file
    /// ([`BoundedCounter`]), with the decisions of exact counting. Issues are ignored here:
    /// the main pass reports them. Fails when `monitor` asks to stop
    /// ([`io::ErrorKind::Interrupted`]) or the temporary file cannot be written.
    pub fn count_repetition(
        &mut self,
        events: impl Iterator<Item = Event> + Send,
        limits: BatchLimits,
        min_documents: u32,
        monitor: &dyn Monitor,
    ) -> io::Result<()> {
        let mut counter = BoundedCounter::new(min_documents)?;
        self.hash_documents(events, limits, monitor, &mut |fingerprint, hashes| {
            counter.add_document(fingerprint, hashes)
        })?;
        self.repetition = Some(counter.finish()?);
        Ok(())
    }

    /// [`Pipeline::count_repetition`] keeping the counts of every paragraph, as the map step
    /// of a run over shards needs them (`polyclean hashes`): memory grows with the number of
    /// distinct paragraphs.
    pub fn count_repetition_table(
        &mut self,
        events: impl Iterator<Item = Event> + Send,
        limits: BatchLimits,
        min_documents: u32,
        monitor: &dyn Monitor,
    ) -> io::Result<()> {
        let mut repetition = Repetition::new(min_documents);
        self.hash_documents(events, limits, monitor, &mut |fingerprint, hashes| {
            repetition.add_document(fingerprint, hashes);
            Ok(())
        })?;
        self.repetition = Some(repetition);
        Ok(())
    }

    /// Segment every document of `events` in parallel batches and hand its fingerprint and
    /// paragraph hashes to `count`, in input order.
    fn hash_documents(
        &self,
        events: impl Iterator<Item = Event> + Send,
        limits: BatchLimits,
        monitor: &dyn Monitor,
        count: &mut (dyn FnMut(u64, Vec<u64>) -> io::Result<()> + Send),
    ) -> io::Result<()> {
        for_each_batch(events, limits, &mut StopOnly(monitor), |mut batch| {
            let counted: Vec<(u64, Vec<u64>)> = batch
                .documents
                .par_iter_mut()
                .map(|doc| {
                    self.segment(doc);
                    let texts = doc.paragraphs.iter().map(|p| p.text.as_str());
                    let hashes = doc
                        .paragraphs
                        .iter()
                        .map(|p| Repetition::hash(&p.text))
                        .collect();
                    let counted = (Repetition::fingerprint(texts), hashes);
                    // Only the hashes are needed from here: free the text now.
                    doc.raw = String::new();
                    doc.paragraphs = Vec::new();
                    counted
                })
                .collect();
            for (fingerprint, hashes) in counted {
                count(fingerprint, hashes)?;
            }
            Ok(())
        })
    }

    /// Use repetition counts made elsewhere (read from a table file, merged over shards)
    /// instead of [`Pipeline::count_repetition`].
    pub fn set_repetition(&mut self, repetition: Repetition) {
        self.repetition = Some(repetition);
    }

    /// The repetition counts in use, if any.
    pub fn repetition(&self) -> Option<&Repetition> {
        self.repetition.as_ref()
    }

    /// True when deduplication needs a first pass over the inputs before the run
    /// ([`Pipeline::register_duplicates`]): `--dedup-paragraphs drop-all` needs every count.
    pub fn needs_dedup_pass(&self) -> bool {
        self.dedup.as_ref().is_some_and(|(_, d)| {
            d.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .needs_first_pass()
        })
    }

    /// The first pass of deduplication: every document processed and registered, nothing
    /// decided or written — twice the CPU of a run. Fails only when `monitor` asks to stop.
    pub fn register_duplicates(
        &self,
        events: impl Iterator<Item = Event> + Send,
        limits: BatchLimits,
        monitor: &dyn Monitor,
    ) -> io::Result<()> {
        let Some((fingerprinter, dedup)) = &self.dedup else {
            return Ok(());
        };
        for_each_batch(events, limits, &mut StopOnly(monitor), |mut batch| {
            let prints: Vec<Fingerprints> = batch
                .documents
                .par_iter_mut()
                .map(|doc| {
                    self.process(doc);
                    fingerprinter.of_document(doc)
                })
                .collect();
            let mut dedup = dedup.lock().unwrap_or_else(PoisonError::into_inner);
            for (doc, prints) in batch.documents.iter().zip(&prints) {
                dedup.register(doc.position, &doc.id, prints);
            }
            Ok(())
        })?;
        dedup
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .mark_complete();
        Ok(())
    }

    /// The duplicate table of the run so far (`None` when deduplication is off): the map
    /// output of a shard, to merge with others (`--dedup-table`).
    pub fn dedup_table(&self) -> Option<DedupTableBody> {
        let (_, dedup) = self.dedup.as_ref()?;
        let dedup = dedup.lock().unwrap_or_else(PoisonError::into_inner);
        Some(dedup.table().to_body())
    }

    /// Clean one text: a convenience for library users.
    pub fn clean(&self, id: &str, text: &str) -> Document {
        let mut doc = Document::new(id, id, text);
        self.process(&mut doc);
        doc
    }

    /// Stream `events` through the pipeline into `sink`, in input order, batch by batch.
    /// Issues and progress go to `monitor` as they happen; counts go to the returned
    /// statistics. When the monitor asks to stop, the run ends with an
    /// [`io::ErrorKind::Interrupted`] error and the sink is left uncommitted.
    /// Runs on the current rayon pool: install a pool to choose the number of threads.
    pub fn run(
        &self,
        events: impl Iterator<Item = Event> + Send,
        sink: &mut dyn Sink,
        limits: BatchLimits,
        monitor: &mut dyn Monitor,
    ) -> io::Result<RunStats> {
        let started = Instant::now();
        let mut stats = RunStats {
            started: Some(SystemTime::now()),
            ..RunStats::default()
        };
        for_each_batch(events, limits, monitor, |batch| {
            for issue in &batch.issues {
                stats.record_issue(issue);
            }
            self.flush(batch.documents, sink, &mut stats)
        })?;
        stats.elapsed = started.elapsed();
        Ok(stats)
    }

    fn flush(
        &self,
        mut batch: Vec<Document>,
        sink: &mut dyn Sink,
        stats: &mut RunStats,
    ) -> io::Result<()> {
        let fingerprinter = self.dedup.as_ref().map(|(f, _)| f);
        let prints: Vec<Option<Fingerprints>> = batch
            .par_iter_mut()
            .map(|doc| {
                self.process(doc);
                fingerprinter.map(|f| f.of_document(doc))
            })
            .collect();
        if let Some((_, dedup)) = &self.dedup {
            // In input order: a decision sees every earlier document's registration.
            let mut dedup = dedup.lock().unwrap_or_else(PoisonError::into_inner);
            for (doc, prints) in batch.iter_mut().zip(prints.iter().flatten()) {
                dedup.step(doc.position, &doc.id, prints).apply(doc);
            }
        }
        for doc in &batch {
            stats.record_document(doc);
            sink.write(doc)?;
        }
        sink.end_batch()
    }
}
