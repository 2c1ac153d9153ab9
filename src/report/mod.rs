//! The run report: a run's [`RunStats`] as a JSON document with a stable, versioned schema
//! (`docs/report.md`), or as one self-contained HTML page with charts, for a person to read.
//! Both are written atomically, like every other output.

mod chart;
mod html;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::boilerplate::Reason;
use crate::stats::{KeptDropped, RunStats, LENGTH_BUCKETS};
use crate::write::Destination;

/// The schema version of the JSON report. Adding a field keeps it; renaming, removing or
/// changing the meaning of one increments it.
pub const REPORT_VERSION: u32 = 1;

/// The report's file format, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// `.json`: the [`Report`] serialized.
    Json,
    /// `.html` or `.htm`: one page, inline CSS and SVG, no scripts.
    Html,
}

/// A report path whose extension names no report format.
#[derive(Debug, thiserror::Error)]
#[error("--report {path}: unknown report format; the file name must end in .json or .html")]
pub struct UnknownReportFormat {
    /// The path as given.
    pub path: String,
}

impl ReportFormat {
    /// The format `path`'s extension asks for (case-insensitive).
    pub fn from_path(path: &Path) -> Result<ReportFormat, UnknownReportFormat> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext.to_ascii_lowercase().as_str() {
            "json" => Ok(ReportFormat::Json),
            "html" | "htm" => Ok(ReportFormat::Html),
            _ => Err(UnknownReportFormat {
                path: path.display().to_string(),
            }),
        }
    }
}

/// Everything the report says about a run; serialized as is for the JSON report, field by
/// field as documented in `docs/report.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// When the run started, RFC 3339 in UTC (`2024-05-01T03:00:00Z`); null if unknown.
    pub started_at: Option<String>,
    /// Wall-clock duration of the run, in seconds.
    pub duration_seconds: f64,
    /// Input megabytes (10^6 bytes) per second.
    pub throughput_mb_per_second: f64,
    /// Documents per second.
    pub documents_per_second: f64,
    /// Inputs read: files after walking directories, and standard input.
    pub inputs: usize,
    /// Documents processed.
    pub documents: usize,
    /// Input text, UTF-8 bytes after decoding.
    pub bytes_in: usize,
    /// Kept text, UTF-8 bytes of the kept paragraphs.
    pub bytes_out: usize,
    /// Paragraphs: total, kept, dropped.
    pub paragraphs: ParagraphCounts,
    /// Dropped paragraphs per reason code; every reason, in precedence order, 0 included.
    pub dropped_by_reason: BTreeMap<Reason, usize>,
    /// Paragraphs kept and dropped per paragraph language, by code.
    pub paragraph_languages: BTreeMap<String, KeptDropped>,
    /// Documents per document language, by code.
    pub document_languages: BTreeMap<String, usize>,
    /// Paragraph lengths in characters, bucketed, kept and dropped.
    pub paragraph_lengths: Vec<LengthBucket>,
    /// Problems with the inputs.
    pub issues: Issues,
}

/// The program that wrote a report.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `polyclean`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// Paragraph totals.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParagraphCounts {
    /// Every paragraph: `kept + dropped`.
    pub total: usize,
    /// Paragraphs kept.
    pub kept: usize,
    /// Paragraphs dropped, all reasons together.
    pub dropped: usize,
}

/// One bucket of the paragraph-length histogram.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LengthBucket {
    /// Shortest length in the bucket, in characters.
    pub min_chars: usize,
    /// Longest length in the bucket; null for the last, open bucket.
    pub max_chars: Option<usize>,
    /// Paragraphs kept.
    pub kept: usize,
    /// Paragraphs dropped.
    pub dropped: usize,
}

impl LengthBucket {
    /// `0–19`, `1000+`: the bucket's name in the HTML report.
    pub fn label(&self) -> String {
        match self.max_chars {
            Some(max) => format!("{}–{max}", self.min_chars),
            None => format!("{}+", self.min_chars),
        }
    }
}

/// The inputs' problems: counts, and the first ones met.
#[derive(Debug, Clone, Serialize)]
pub struct Issues {
    /// Every issue met: `skipped + warnings`.
    pub total: usize,
    /// Inputs or records skipped.
    pub skipped: usize,
    /// Warnings that skipped nothing.
    pub warnings: usize,
    /// True when `list` holds fewer issues than `total`.
    pub truncated: bool,
    /// The first issues met, in order (at most [`crate::stats::ISSUE_LIST_CAP`]).
    pub list: Vec<IssueEntry>,
}

/// One issue of the list.
#[derive(Debug, Clone, Serialize)]
pub struct IssueEntry {
    /// `file` or `file:line`.
    pub location: String,
    /// What is wrong and what to do.
    pub message: String,
    /// Whether data was skipped (else a warning).
    pub skipped: bool,
}

impl Report {
    /// The report of a finished run.
    pub fn new(stats: &RunStats) -> Report {
        let dropped_by_reason = Reason::ALL
            .iter()
            .map(|&r| (r, stats.dropped.get(&r).copied().unwrap_or(0)))
            .collect();
        Report {
            version: REPORT_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
            started_at: stats.started.map(rfc3339),
            duration_seconds: stats.elapsed.as_secs_f64(),
            throughput_mb_per_second: stats.throughput_mb_s(),
            documents_per_second: stats.documents_per_s(),
            inputs: stats.inputs,
            documents: stats.documents,
            bytes_in: stats.bytes_in,
            bytes_out: stats.bytes_out,
            paragraphs: ParagraphCounts {
                total: stats.paragraphs,
                kept: stats.kept,
                dropped: stats.dropped_total(),
            },
            dropped_by_reason,
            paragraph_languages: stats.paragraph_languages.clone(),
            document_languages: stats.languages.clone(),
            paragraph_lengths: length_buckets(&stats.lengths),
            issues: Issues {
                total: stats.issues_total(),
                skipped: stats.skipped,
                warnings: stats.warnings,
                truncated: stats.issues.len() < stats.issues_total(),
                list: stats
                    .issues
                    .iter()
                    .map(|i| IssueEntry {
                        location: i.location.clone(),
                        message: i.message.clone(),
                        skipped: i.skipped,
                    })
                    .collect(),
            },
        }
    }

    /// Write the report to `out` in `format`.
    pub fn render(&self, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
        match format {
            ReportFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, self)?;
                writeln!(out)
            }
            ReportFormat::Html => html::render(self, out),
        }
    }

    /// Write the report to `path`, in the format its extension names, atomically: the file
    /// appears complete or not at all.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let format = ReportFormat::from_path(path)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let mut dest = Destination::create(path)?;
        self.render(format, &mut dest)?;
        dest.commit()
    }
}

fn length_buckets(counts: &[KeptDropped; LENGTH_BUCKETS.len()]) -> Vec<LengthBucket> {
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| LengthBucket {
            min_chars: LENGTH_BUCKETS[i],
            max_chars: LENGTH_BUCKETS.get(i + 1).map(|next| next - 1),
            kept: c.kept,
            dropped: c.dropped,
        })
        .collect()
}

/// `time` as RFC 3339 in UTC, to the second (`2023-11-14T22:13:20Z`). Times before 1970
/// (a clock gone wrong) show as the epoch.
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time.max(UNIX_EPOCH)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> String {
        rfc3339(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn rfc3339_dates_match_known_timestamps() {
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(951_955_199), "2000-03-01T23:59:59Z");
        assert_eq!(at(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00Z");
    }

    #[test]
    fn report_format_follows_the_extension() {
        let of = |p: &str| ReportFormat::from_path(Path::new(p)).ok();
        assert_eq!(of("run.json"), Some(ReportFormat::Json));
        assert_eq!(of("out/Run.HTML"), Some(ReportFormat::Html));
        assert_eq!(of("run.htm"), Some(ReportFormat::Html));
        assert_eq!(of("run.txt"), None);
        assert_eq!(of("run"), None);
        assert_eq!(of("-"), None);
    }

    #[test]
    fn every_reason_is_listed_and_buckets_are_closed_but_the_last() {
        let mut stats = RunStats::default();
        stats.dropped.insert(Reason::Ad, 2);
        let report = Report::new(&stats);
        assert_eq!(report.dropped_by_reason.len(), Reason::ALL.len());
        assert_eq!(report.dropped_by_reason[&Reason::Ad], 2);
        assert_eq!(report.dropped_by_reason[&Reason::Share], 0);
        let labels: Vec<String> = report
            .paragraph_lengths
            .iter()
            .map(LengthBucket::label)
            .collect();
        assert_eq!(
            labels,
            [
                "0–19",
                "20–49",
                "50–99",
                "100–199",
                "200–499",
                "500–999",
                "1000+"
            ]
        );
    }
}
