//! JSONL sinks: the cleaned documents, and the rejected paragraphs.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{CodePoints, Output, Sink};
use crate::document::{Document, LangSource, Paragraph};
use crate::lang::output_code;
use crate::quality::QualityScores;

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
    /// The quality filters' scores; absent when they are off.
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<&'a QualityScores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<RecordPosition>,
}

/// A document's place in the run's input order, as the `position` field writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPosition {
    /// Index of the document's input in the run's input list.
    pub input: u32,
    /// Ordinal of the document among its input's documents.
    pub record: u64,
}

/// An output line read back: the owned twin of the record [`JsonlWriter`] writes, field for
/// field, so that writing it again gives the same bytes (`polyclean dedup` changes verdicts
/// and rewrites records). Keep the two in step; a test checks the round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputRecord {
    /// Document id.
    pub id: String,
    /// Where the document came from.
    pub source: String,
    /// The document's language.
    pub lang: Option<String>,
    /// The kept paragraphs joined by a blank line.
    pub text: String,
    /// Every paragraph.
    pub paragraphs: Vec<OutputParagraph>,
    /// The input record's other fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
    /// The quality filters' scores, when written (carried as they are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Value>,
    /// The position, when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<RecordPosition>,
}

/// A paragraph of an [`OutputRecord`]: the owned twin of the writer's paragraph record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputParagraph {
    /// Index in the document.
    pub index: usize,
    /// Byte offset of the start in the input text.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The normalized text.
    pub text: String,
    /// Language code.
    pub lang: String,
    /// Detector confidence.
    pub confidence: f64,
    /// Reliable detection.
    pub reliable: bool,
    /// `paragraph`, `document` or `none`.
    pub lang_source: String,
    /// Several languages.
    #[serde(default)]
    pub mixed: bool,
    /// Language spans, in code points (one over the whole text when not mixed).
    #[serde(default)]
    pub spans: Vec<OutputSpan>,
    /// Kept or dropped.
    pub kept: bool,
    /// The reason code when dropped.
    pub reason: Option<String>,
    /// The evidence when dropped.
    pub evidence: Option<String>,
}

/// A language span of an [`OutputParagraph`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Language code.
    pub lang: String,
}

impl OutputRecord {
    /// The kept paragraphs' texts joined by a blank line, as [`Document::clean_text`].
    pub fn clean_text(&self) -> String {
        let kept: Vec<&str> = self
            .paragraphs
            .iter()
            .filter(|p| p.kept)
            .map(|p| p.text.as_str())
            .collect();
        kept.join("\n\n")
    }

    /// Write the record as one JSONL line, as [`JsonlWriter`] would.
    pub fn write_line(&self, out: &mut impl Write) -> io::Result<()> {
        serde_json::to_writer(&mut *out, self)?;
        out.write_all(b"\n")
    }
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
    positions: bool,
    /// The record being written: serialized here first, then written in one call (serde
    /// writes a record in dozens of small pieces, each a call through the output's layers).
    line: Vec<u8>,
}

impl JsonlWriter {
    /// A writer over `dest` (a [`Destination`](super::Destination) or a compressed [`Output`]).
    pub fn new(dest: impl Into<Output>) -> Self {
        JsonlWriter {
            dest: dest.into(),
            positions: false,
            line: Vec::new(),
        }
    }

    /// Also write each document's `position` (for `polyclean dedup`).
    pub fn with_positions(mut self, positions: bool) -> Self {
        self.positions = positions;
        self
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
            quality: doc.quality.as_ref(),
            position: self.positions.then_some(RecordPosition {
                input: doc.position.input,
                record: doc.position.record,
            }),
        };
        self.line.clear();
        serde_json::to_writer(&mut self.line, &record)?;
        self.line.push(b'\n');
        self.dest.write_all(&self.line)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.dest.commit()
    }

    fn end_batch(&mut self) -> io::Result<()> {
        self.dest.end_batch()
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
    /// The record being written (see [`JsonlWriter`]'s).
    line: Vec<u8>,
}

impl RejectedWriter {
    /// A writer over `dest` (a [`Destination`](super::Destination) or a compressed [`Output`]).
    pub fn new(dest: impl Into<Output>) -> Self {
        RejectedWriter {
            dest: dest.into(),
            line: Vec::new(),
        }
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
            self.line.clear();
            serde_json::to_writer(&mut self.line, &record)?;
            self.line.push(b'\n');
            self.dest.write_all(&self.line)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.dest.commit()
    }

    fn end_batch(&mut self) -> io::Result<()> {
        self.dest.end_batch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::Reason;
    use crate::document::{Drop, LangLabel, LangSpan, Paragraph, Position, Verdict};
    use crate::write::Destination;

    /// A document using every optional part of the record: meta, a mixed paragraph with
    /// spans, a drop, a position, awkward floats.
    fn rich_document() -> Document {
        let mut doc = Document::new("d-1", "in.jsonl:3", "Bonjour. Hello there.\n\nPub");
        let mut meta = Map::new();
        meta.insert("url".into(), Value::from("https://example.org/a?b=1"));
        meta.insert("score".into(), Value::from(0.1 + 0.2));
        meta.insert("n".into(), Value::from(u64::MAX));
        doc.meta = Some(meta);
        doc.position = Position {
            input: 2,
            record: 7,
        };
        doc.lang = Some("fr".into());
        let mut mixed = Paragraph::new(0, 0, 21, "Bonjour. Hello there.".into());
        mixed.lang = LangLabel {
            code: "fr".into(),
            confidence: 0.123_456_789_012_345_67,
            reliable: true,
            source: crate::document::LangSource::Paragraph,
        };
        mixed.spans = vec![
            LangSpan {
                start: 0,
                end: 9,
                lang: whatlang::Lang::Fra,
            },
            LangSpan {
                start: 9,
                end: 21,
                lang: whatlang::Lang::Eng,
            },
        ];
        let mut ad = Paragraph::new(1, 23, 26, "Pub « é »\t\"q\"".into());
        ad.verdict = Verdict::Drop(Drop {
            reason: Reason::Ad,
            evidence: "rules/fr.toml: whole \"pub\" [fr.ad.1]".into(),
        });
        doc.paragraphs = vec![mixed, ad];
        doc
    }

    #[test]
    fn an_output_record_reads_back_and_writes_the_same_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.jsonl");
        for positions in [false, true] {
            let mut writer = JsonlWriter::new(Destination::create(&path).expect("create"))
                .with_positions(positions);
            writer.write(&rich_document()).expect("write");
            Box::new(writer).finish().expect("commit");
            let written = std::fs::read_to_string(&path).expect("read");
            let record: OutputRecord = serde_json::from_str(&written).expect("parses");
            assert_eq!(record.position.is_some(), positions);
            assert_eq!(record.clean_text(), "Bonjour. Hello there.");
            let mut again = Vec::new();
            record.write_line(&mut again).expect("write");
            assert_eq!(String::from_utf8(again).expect("utf-8"), written);
        }
    }

    #[test]
    fn quality_scores_survive_the_round_trip() {
        let line = concat!(
            r#"{"id":"d","source":"s","lang":null,"text":"","paragraphs":[],"#,
            r#""quality":{"gopher_quality":{"word_count":12,"mean_word_length":4.583333333333333},"failed":["c4"]},"#,
            r#""position":{"input":1,"record":2}}"#,
            "\n"
        );
        let record: OutputRecord = serde_json::from_str(line).expect("parses");
        let mut again = Vec::new();
        record.write_line(&mut again).expect("write");
        assert_eq!(String::from_utf8(again).expect("utf-8"), line);
    }
}
