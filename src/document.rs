//! The data that flows between stages, defined once.
//!
//! A reader produces a [`Document`] holding the raw text; the segmenter fills its
//! [`Paragraph`]s; normalization, language detection and boilerplate removal each fill
//! their own part of every paragraph; writers read the result. No stage keeps a second,
//! parallel record of its decisions.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::boilerplate::Reason;
use crate::quality::QualityScores;

/// One input document: a text file, or one JSONL/CSV record.
#[derive(Debug, Clone)]
pub struct Document {
    /// Stable identifier: the file stem, the record's id field, or `<file>:<line>`.
    pub id: String,
    /// Where the document came from: a path, or `path:line` for records.
    pub source: String,
    /// The text as read (decoded to UTF-8, otherwise untouched). Paragraph offsets point into it.
    pub raw: String,
    /// Fields of the input record other than the text and the id, carried through to the output.
    pub meta: Option<Map<String, Value>>,
    /// The paragraphs, in order; empty until the segmenter runs.
    pub paragraphs: Vec<Paragraph>,
    /// The document's language, elected by the letters of its kept paragraphs.
    pub lang: Option<String>,
    /// Where the document sits in the run's input order (set by the reader).
    pub position: Position,
    /// What the quality filters measured (`--quality annotate|filter`); `None` when off.
    pub quality: Option<QualityScores>,
}

/// A document's place in the input order of a run: the index of its input in the expanded
/// input list, and its ordinal among that input's documents (both from 0). Positions order
/// documents the same way on one machine and across shards, so "the first occurrence" means
/// the same document wherever the work is done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Index of the input (file, or stdin) in the run's expanded input list.
    pub input: u32,
    /// Ordinal of the document among its input's documents.
    pub record: u64,
}

impl Document {
    /// A document that has not been through any stage yet.
    pub fn new(id: impl Into<String>, source: impl Into<String>, raw: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            source: source.into(),
            raw: raw.into(),
            meta: None,
            paragraphs: Vec::new(),
            lang: None,
            position: Position::default(),
            quality: None,
        }
    }

    /// The kept paragraphs' texts joined by a blank line: the cleaned document.
    pub fn clean_text(&self) -> String {
        let kept: Vec<&str> = self.kept().map(|p| p.text.as_str()).collect();
        kept.join("\n\n")
    }

    /// Paragraphs whose verdict is "keep".
    pub fn kept(&self) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs.iter().filter(|p| p.verdict.is_kept())
    }

    /// A decision about the whole document (a quality filter, a duplicate document): every
    /// kept paragraph is dropped for `reason`; paragraphs already dropped keep their own reason,
    /// so the output still says why each one went first.
    pub fn drop_kept(&mut self, reason: Reason, evidence: &str) {
        for p in &mut self.paragraphs {
            if p.verdict.is_kept() {
                p.verdict = Verdict::Drop(Drop {
                    reason,
                    evidence: evidence.to_string(),
                });
            }
        }
    }
}

/// One paragraph of a document, with what every stage decided about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Position among the document's paragraphs, from 0.
    pub index: usize,
    /// Byte offset of the paragraph's first byte in [`Document::raw`].
    pub start: usize,
    /// Byte offset one past the paragraph's last byte in [`Document::raw`].
    pub end: usize,
    /// The normalized text (hard-wrapped lines joined by a space).
    pub text: String,
    /// The language decision.
    pub lang: LangLabel,
    /// When the paragraph mixes languages: its sentences' languages as byte ranges of
    /// [`Paragraph::text`], in order; empty otherwise.
    pub spans: Vec<LangSpan>,
    /// Keep or drop, and why.
    pub verdict: Verdict,
}

impl Paragraph {
    /// A paragraph as the segmenter makes it: text not yet normalized, nothing decided.
    pub fn new(index: usize, start: usize, end: usize, text: String) -> Self {
        Paragraph {
            index,
            start,
            end,
            text,
            lang: LangLabel::undetermined(),
            spans: Vec::new(),
            verdict: Verdict::Keep(None),
        }
    }
}

/// Where a paragraph's language label comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LangSource {
    /// Detected on the paragraph itself, reliably.
    Paragraph,
    /// The paragraph was too short or unreliable; it inherits the document's language.
    Document,
    /// Neither the paragraph nor the document could be decided: `und`.
    None,
}

impl LangSource {
    /// The spelling used in the output (`paragraph`, `document`, `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            LangSource::Paragraph => "paragraph",
            LangSource::Document => "document",
            LangSource::None => "none",
        }
    }
}

/// A language decision: ISO 639-1 code (or `und`), with the detector's confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct LangLabel {
    /// ISO 639-1 code where one exists (`fr`, `en`), else ISO 639-3; `und` when unknown.
    pub code: String,
    /// The detector's confidence for its best guess on this paragraph, 0–1 (0 when not run).
    pub confidence: f64,
    /// Whether the detector's guess on the paragraph itself was reliable.
    pub reliable: bool,
    /// Where [`LangLabel::code`] comes from.
    pub source: LangSource,
}

impl LangLabel {
    /// The label of a paragraph nobody could decide.
    pub fn undetermined() -> Self {
        LangLabel {
            code: UNDETERMINED.to_string(),
            confidence: 0.0,
            reliable: false,
            source: LangSource::None,
        }
    }
}

/// A run of a paragraph's text in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangSpan {
    /// Byte offset of the span's start in the paragraph's text.
    pub start: usize,
    /// Byte offset one past the span's end.
    pub end: usize,
    /// The span's language.
    pub lang: whatlang::Lang,
}

/// The language code used when no language could be decided (BCP 47 / ISO 639-2 `und`).
pub const UNDETERMINED: &str = "und";

/// Keep or drop a paragraph. A drop always carries its reason and evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The paragraph is content; the optional evidence says why when a stage judged it
    /// (e.g. the classifier's score), for `polyclean explain`.
    Keep(Option<String>),
    /// The paragraph is boilerplate.
    Drop(Drop),
}

impl Verdict {
    /// True for [`Verdict::Keep`].
    pub fn is_kept(&self) -> bool {
        matches!(self, Verdict::Keep(_))
    }

    /// The drop, if the paragraph is dropped.
    pub fn drop_info(&self) -> Option<&Drop> {
        match self {
            Verdict::Keep(_) => None,
            Verdict::Drop(d) => Some(d),
        }
    }
}

/// Why a paragraph was dropped: a stable reason code and the evidence that triggered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drop {
    /// Stable reason code, documented in `docs/rules.md` (e.g. `ad`, `comment_form`).
    pub reason: Reason,
    /// What matched: the lexicon entry and its rule, or the structural test.
    pub evidence: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_a_document_keeps_earlier_reasons() {
        let mut doc = Document::new("d", "d.txt", "");
        doc.paragraphs = vec![
            Paragraph::new(0, 0, 1, "a".into()),
            Paragraph::new(1, 2, 3, "b".into()),
        ];
        doc.paragraphs[0].verdict = Verdict::Drop(Drop {
            reason: Reason::Ad,
            evidence: "ad".into(),
        });
        doc.drop_kept(Reason::Repeated, "whole document");
        let reasons: Vec<_> = doc
            .paragraphs
            .iter()
            .map(|p| p.verdict.drop_info().map(|d| d.reason))
            .collect();
        assert_eq!(reasons, [Some(Reason::Ad), Some(Reason::Repeated)]);
        assert_eq!(doc.clean_text(), "");
    }
}
