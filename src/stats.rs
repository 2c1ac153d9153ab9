//! Run statistics: what was read, kept and dropped, for the summary on stderr.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::boilerplate::Reason;
use crate::document::Document;
use crate::read::Issue;

/// Counts gathered while a run writes its output.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunStats {
    /// Documents processed.
    pub documents: usize,
    /// Paragraphs processed.
    pub paragraphs: usize,
    /// Paragraphs kept.
    pub kept: usize,
    /// Paragraphs dropped, per reason.
    pub dropped: BTreeMap<Reason, usize>,
    /// Documents per document language (`und` when undecided).
    pub languages: BTreeMap<String, usize>,
    /// Bytes of input text.
    pub bytes_in: usize,
    /// Inputs or records skipped.
    pub skipped: usize,
    /// Warnings that skipped nothing (e.g. a legacy encoding decoded).
    pub warnings: usize,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl RunStats {
    /// Count one processed document.
    pub fn record_document(&mut self, doc: &Document) {
        self.documents += 1;
        self.bytes_in += doc.raw.len();
        self.paragraphs += doc.paragraphs.len();
        for p in &doc.paragraphs {
            match p.verdict.drop_info() {
                None => self.kept += 1,
                Some(d) => *self.dropped.entry(d.reason).or_default() += 1,
            }
        }
        let lang = doc
            .lang
            .clone()
            .unwrap_or_else(|| crate::document::UNDETERMINED.to_string());
        *self.languages.entry(lang).or_default() += 1;
    }

    /// Count one issue.
    pub fn record_issue(&mut self, issue: &Issue) {
        if issue.skipped {
            self.skipped += 1;
        } else {
            self.warnings += 1;
        }
    }

    /// Paragraphs dropped, all reasons together.
    pub fn dropped_total(&self) -> usize {
        self.dropped.values().sum()
    }

    /// Input megabytes (10^6 bytes) per second of wall-clock time.
    pub fn throughput_mb_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.bytes_in as f64 / 1e6 / secs
        } else {
            0.0
        }
    }
}

impl fmt::Display for RunStats {
    /// The end-of-run summary: documents, paragraphs, drops per reason, languages, speed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "polyclean: {} documents, {} paragraphs: {} kept, {} dropped; {:.1} MB in {:.2} s ({:.1} MB/s)",
            self.documents,
            self.paragraphs,
            self.kept,
            self.dropped_total(),
            self.bytes_in as f64 / 1e6,
            self.elapsed.as_secs_f64(),
            self.throughput_mb_s()
        )?;
        if !self.dropped.is_empty() {
            let reasons: Vec<String> = self
                .dropped
                .iter()
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            writeln!(f, "  dropped: {}", reasons.join(", "))?;
        }
        if !self.languages.is_empty() {
            let langs: Vec<String> = self
                .languages
                .iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect();
            writeln!(f, "  document languages: {}", langs.join(", "))?;
        }
        if self.skipped + self.warnings > 0 {
            writeln!(
                f,
                "  {} skipped, {} warnings (see messages above)",
                self.skipped, self.warnings
            )?;
        }
        Ok(())
    }
}
