//! JSONL sinks: the cleaned documents, and the rejected paragraphs.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{CodePoints, Output, Sink};
use crate::document::{Document, LangSource, Paragraph};
use crate::lang::output_code;

/// One output line: the schema documented in `docs/output.md`.
#[derive(Serialize)]
struct DocumentRecord<'a> {
    id: &'a str,
    source: &'a str,
    lang: Option<&'a str>,
    text: String,
    paragraphs: Vec<ParagraphRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<&'a Map<String, Value>>,
}

/// One paragraph inside a [`DocumentRecord`].
#[derive(Serialize)]
struct ParagraphRecord<'a> {
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    lang: &'a str,
    confidence: f64,
    reliable: bool,
    lang_source: LangSource,
    // `mixed` and `spans` are on every paragraph, `spans` never empty: a field present on some
    // records only, or an empty list, gives Hugging Face `datasets` a schema that changes
    // between chunks of the file, which fails to load (docs/output.md).
    mixed: bool,
    spans: Vec<SpanRecord<'a>>,
    kept: bool,
    reason: Option<&'static str>,
    evidence: Option<&'a str>,
}

/// A language span of a paragraph, in code points of the paragraph's text.
#[derive(Serialize)]
struct SpanRecord<'a> {
    start: usize,
    end: usize,
    lang: &'a str,
}

impl<'a> From<&'a Paragraph> for ParagraphRecord<'a> {
    fn from(p: &'a Paragraph) -> Self {
        let drop = p.verdict.drop_info();
        ParagraphRecord {
            index: p.index,
            start: p.start,
            end: p.end,
            text: &p.text,
            lang: &p.lang.code,
            confidence: p.lang.confidence,
            reliable: p.lang.reliable,
            lang_source: p.lang.source,
            mixed: !p.spans.is_empty(),
            spans: span_records(p),
            kept: drop.is_none(),
            reason: drop.map(|d| d.reason.as_str()),
            evidence: drop.map(|d| d.evidence.as_str()),
        }
    }
}

/// The spans of a mixed paragraph; one span over the whole text, in the paragraph's language,
/// for any other.
fn span_records(p: &Paragraph) -> Vec<SpanRecord<'_>> {
    if p.spans.is_empty() {
        return vec![SpanRecord {
            start: 0,
            end: p.text.chars().count(),
            lang: &p.lang.code,
        }];
    }
    CodePoints::new(&p.text)
        .spans(&p.spans)
        .map(|(start, end, lang)| SpanRecord {
            start,
            end,
            lang: output_code(lang),
        })
        .collect()
}

/// Writes one JSON object per document and line.
pub struct JsonlWriter {
    dest: Output,
}

impl JsonlWriter {
    /// A writer over `dest` (a [`Destination`](super::Destination) or a compressed [`Output`]).
    pub fn new(dest: impl Into<Output>) -> Self {
        JsonlWriter { dest: dest.into() }
    }

    /// The output, everything written, not yet committed.
    pub fn into_output(self) -> Output {
        self.dest
    }
}

impl Sink for JsonlWriter {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        let record = DocumentRecord {
            id: &doc.id,
            source: &doc.source,
            lang: doc.lang.as_deref(),
            text: doc.clean_text(),
            paragraphs: doc.paragraphs.iter().map(ParagraphRecord::from).collect(),
            meta: doc.meta.as_ref(),
        };
        serde_json::to_writer(&mut self.dest, &record)?;
        self.dest.write_all(b"\n")
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.dest.commit()
    }
}

/// One line of the rejected file: a dropped paragraph and why.
#[derive(Serialize)]
struct RejectedRecord<'a> {
    doc_id: &'a str,
    index: usize,
    reason: &'static str,
    evidence: &'a str,
    lang: &'a str,
    text: &'a str,
}

/// Writes every dropped paragraph as one JSON line.
pub struct RejectedWriter {
    dest: Output,
}

impl RejectedWriter {
    /// A writer over `dest` (a [`Destination`](super::Destination) or a compressed [`Output`]).
    pub fn new(dest: impl Into<Output>) -> Self {
        RejectedWriter { dest: dest.into() }
    }
}

impl Sink for RejectedWriter {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        for p in &doc.paragraphs {
            let Some(drop) = p.verdict.drop_info() else {
                continue;
            };
            let record = RejectedRecord {
                doc_id: &doc.id,
                index: p.index,
                reason: drop.reason.as_str(),
                evidence: &drop.evidence,
                lang: &p.lang.code,
                text: &p.text,
            };
            serde_json::to_writer(&mut self.dest, &record)?;
            self.dest.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.dest.commit()
    }
}
