//! Run statistics: what was read, kept and dropped, for the summary on stderr and the run
//! report (`crate::report`).

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use serde::Serialize;

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
    /// Paragraphs kept and dropped, per paragraph language (`und` when undecided).
    pub paragraph_languages: BTreeMap<String, KeptDropped>,
    /// Paragraphs kept and dropped, per length bucket of [`LENGTH_BUCKETS`].
    pub lengths: [KeptDropped; LENGTH_BUCKETS.len()],
    /// Inputs read: files (after walking directories) and standard input. Set by the caller,
    /// which lists the inputs; the pipeline only sees their documents.
    pub inputs: usize,
    /// Bytes of input text (UTF-8, after decoding).
    pub bytes_in: usize,
    /// Bytes of kept text: the UTF-8 length of every kept paragraph's normalized text.
    pub bytes_out: usize,
    /// Inputs or records skipped.
    pub skipped: usize,
    /// Warnings that skipped nothing (e.g. a legacy encoding decoded).
    pub warnings: usize,
    /// The first [`ISSUE_LIST_CAP`] issues, in the order met; `skipped + warnings` is the total.
    pub issues: Vec<Issue>,
    /// When the run started.
    pub started: Option<SystemTime>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

/// How many issues [`RunStats::issues`] keeps: enough to read, bounded when every record
/// of a huge input is bad.
pub const ISSUE_LIST_CAP: usize = 1000;

/// Lower bounds, in characters, of the paragraph-length buckets; the last bucket is open.
pub const LENGTH_BUCKETS: [usize; 7] = [0, 20, 50, 100, 200, 500, 1000];

/// The index in [`LENGTH_BUCKETS`] of the bucket holding a paragraph of `chars` characters.
pub fn length_bucket(chars: usize) -> usize {
    LENGTH_BUCKETS.partition_point(|&low| low <= chars) - 1
}

/// Paragraphs kept and dropped in one group (a language, a length bucket).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KeptDropped {
    /// Paragraphs kept.
    pub kept: usize,
    /// Paragraphs dropped, for any reason.
    pub dropped: usize,
}

impl KeptDropped {
    /// Count one paragraph.
    fn add(&mut self, kept: bool) {
        if kept {
            self.kept += 1;
        } else {
            self.dropped += 1;
        }
    }

    /// Kept and dropped together.
    pub fn total(&self) -> usize {
        self.kept + self.dropped
    }
}

impl RunStats {
    /// Count one processed document.
    pub fn record_document(&mut self, doc: &Document) {
        self.documents += 1;
        self.bytes_in += doc.raw.len();
        self.paragraphs += doc.paragraphs.len();
        for p in &doc.paragraphs {
            let kept = p.verdict.is_kept();
            match p.verdict.drop_info() {
                None => {
                    self.kept += 1;
                    self.bytes_out += p.text.len();
                }
                Some(d) => *self.dropped.entry(d.reason).or_default() += 1,
            }
            self.lengths[length_bucket(p.text.chars().count())].add(kept);
            // Look up before inserting: a new key (and its allocation) is rare.
            match self.paragraph_languages.get_mut(&p.lang.code) {
                Some(counts) => counts.add(kept),
                None => self
                    .paragraph_languages
                    .entry(p.lang.code.clone())
                    .or_default()
                    .add(kept),
            }
        }
        let lang = doc
            .lang
            .clone()
            .unwrap_or_else(|| crate::document::UNDETERMINED.to_string());
        *self.languages.entry(lang).or_default() += 1;
    }

    /// Count one issue, and keep it while fewer than [`ISSUE_LIST_CAP`] are kept.
    pub fn record_issue(&mut self, issue: &Issue) {
        if issue.skipped {
            self.skipped += 1;
        } else {
            self.warnings += 1;
        }
        if self.issues.len() < ISSUE_LIST_CAP {
            self.issues.push(issue.clone());
        }
    }

    /// Issues met, skipped inputs and warnings together (more than [`RunStats::issues`]
    /// holds when the list was capped).
    pub fn issues_total(&self) -> usize {
        self.skipped + self.warnings
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

    /// Documents per second of wall-clock time.
    pub fn documents_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.documents as f64 / secs
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Drop, Paragraph, Verdict};

    fn paragraph(text: &str, lang: &str, reason: Option<Reason>) -> Paragraph {
        let mut p = Paragraph::new(0, 0, text.len(), text.to_string());
        p.lang.code = lang.to_string();
        if let Some(reason) = reason {
            p.verdict = Verdict::Drop(Drop {
                reason,
                evidence: String::new(),
            });
        }
        p
    }

    #[test]
    fn length_buckets_start_at_their_lower_bound() {
        let cases = [
            (0, 0),
            (19, 0),
            (20, 1),
            (49, 1),
            (50, 2),
            (99, 2),
            (100, 3),
            (199, 3),
            (200, 4),
            (499, 4),
            (500, 5),
            (999, 5),
            (1000, 6),
            (1_000_000, 6),
        ];
        for (chars, bucket) in cases {
            assert_eq!(length_bucket(chars), bucket, "{chars} characters");
        }
    }

    #[test]
    fn a_document_counts_per_language_length_and_kept_bytes() {
        let mut doc = Document::new("d", "d.txt", "");
        doc.paragraphs = vec![
            // 20 characters, 22 bytes (é and è take two each): kept.
            paragraph("Le café est très bon", "fr", None),
            paragraph("Publicité", "fr", Some(Reason::Ad)),
            paragraph("Share on Facebook", "en", Some(Reason::Share)),
            paragraph("---", "und", Some(Reason::NoText)),
        ];
        let mut stats = RunStats::default();
        stats.record_document(&doc);
        assert_eq!(stats.kept, 1);
        assert_eq!(stats.dropped_total(), 3);
        assert_eq!(stats.bytes_out, 22);
        let fr = stats.paragraph_languages["fr"];
        assert_eq!((fr.kept, fr.dropped), (1, 1));
        let en = stats.paragraph_languages["en"];
        assert_eq!((en.kept, en.dropped), (0, 1));
        assert_eq!(stats.paragraph_languages["und"].dropped, 1);
        assert_eq!(
            stats.lengths[0],
            KeptDropped {
                kept: 0,
                dropped: 3
            }
        );
        assert_eq!(
            stats.lengths[1],
            KeptDropped {
                kept: 1,
                dropped: 0
            }
        );
        let histogram_total: usize = stats.lengths.iter().map(KeptDropped::total).sum();
        assert_eq!(histogram_total, stats.paragraphs);
    }

    #[test]
    fn the_issue_list_is_capped_but_the_total_is_not() {
        let mut stats = RunStats::default();
        for line in 0..ISSUE_LIST_CAP + 5 {
            stats.record_issue(&Issue {
                location: format!("in.jsonl:{line}"),
                message: "bad record".into(),
                skipped: line % 2 == 0,
            });
        }
        assert_eq!(stats.issues.len(), ISSUE_LIST_CAP);
        assert_eq!(stats.issues_total(), ISSUE_LIST_CAP + 5);
        assert_eq!(stats.issues[3].location, "in.jsonl:3");
    }
}
