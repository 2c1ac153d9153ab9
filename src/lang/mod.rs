//! Stage 3: the language of every paragraph and of the document.
//!
//! whatlang runs on each paragraph. A paragraph is *decided* when it has enough letters and
//! the detector's confidence reaches the threshold; otherwise it inherits the document's
//! language (`lang_source: document`). The document's language is elected by letters: the
//! language holding most letters among its kept, decided paragraphs.

mod codes;

pub use codes::{output_code, parse_code};

use std::collections::HashMap;

use whatlang::{Detector, Lang};

use crate::document::{Document, LangLabel, LangSource, UNDETERMINED};

/// Settings of the language stage.
#[derive(Debug, Clone)]
pub struct LangConfig {
    /// Candidate languages; empty means all of whatlang's.
    pub candidates: Vec<Lang>,
    /// Fewer letters than this and a paragraph is not decided on its own.
    pub min_letters: usize,
    /// Lower confidence than this and a paragraph is not decided on its own.
    pub min_confidence: f64,
}

impl Default for LangConfig {
    fn default() -> Self {
        LangConfig {
            candidates: Vec::new(),
            min_letters: 12,
            min_confidence: 0.5,
        }
    }
}

/// The language stage: a whatlang detector built once, with its thresholds.
pub struct LanguageDetector {
    detector: Detector,
    config: LangConfig,
}

impl LanguageDetector {
    /// Build the detector for `config`.
    pub fn new(config: LangConfig) -> Self {
        let detector = if config.candidates.is_empty() {
            Detector::new()
        } else {
            Detector::with_allowlist(config.candidates.clone())
        };
        LanguageDetector { detector, config }
    }

    /// Label one text on its own: decided (`source: paragraph`) or not (`source: none`,
    /// with the detector's best guess kept in `code` only when decided).
    ///
    /// Texts with fewer than `min_letters` letters are not sent to the detector at all:
    /// they could not be decided anyway.
    pub fn label(&self, text: &str) -> LangLabel {
        if letter_count(text) < self.config.min_letters {
            return LangLabel::undetermined();
        }
        let Some(info) = self.detector.detect(text) else {
            return LangLabel::undetermined();
        };
        let decided = info.confidence() >= self.config.min_confidence;
        LangLabel {
            code: if decided {
                output_code(info.lang()).to_string()
            } else {
                UNDETERMINED.to_string()
            },
            confidence: round(info.confidence()),
            reliable: info.is_reliable(),
            source: if decided {
                LangSource::Paragraph
            } else {
                LangSource::None
            },
        }
    }

    /// Detect every paragraph of `doc` on its own (before boilerplate removal).
    pub fn detect_paragraphs(&self, doc: &mut Document) {
        for p in &mut doc.paragraphs {
            p.lang = self.label(&p.text);
        }
    }

    /// Elect the document's language from its kept paragraphs and hand it down to the
    /// paragraphs that could not be decided (after boilerplate removal).
    pub fn elect_document_language(&self, doc: &mut Document) {
        let (lang, share) = match leading_language(doc) {
            Some(found) => found,
            None => self.fallback_on_whole_text(doc),
        };
        doc.lang = (lang != UNDETERMINED).then(|| lang.clone());
        for p in &mut doc.paragraphs {
            if p.lang.source != LangSource::Paragraph && lang != UNDETERMINED {
                p.lang.code = lang.clone();
                p.lang.confidence = share;
                p.lang.source = LangSource::Document;
            }
        }
    }

    /// When no kept paragraph is decided on its own (short lines only), try the kept text
    /// as a whole; still undecided means `und`.
    fn fallback_on_whole_text(&self, doc: &Document) -> (String, f64) {
        let text = doc.clean_text();
        let label = self.label(&text);
        (label.code, label.confidence)
    }
}

/// The language with most letters among kept, decided paragraphs, and its share of them.
/// Ties go to the language seen first, so the result never depends on hash order.
pub fn leading_language(doc: &Document) -> Option<(String, f64)> {
    let mut letters: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in doc
        .kept()
        .filter(|p| p.lang.source == LangSource::Paragraph)
    {
        let first_seen = letters.len();
        let entry = letters
            .entry(p.lang.code.as_str())
            .or_insert((0, first_seen));
        entry.0 += letter_count(&p.text);
    }
    let total: usize = letters.values().map(|(n, _)| n).sum();
    let (code, (count, _)) = letters
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
    if total == 0 {
        return None;
    }
    Some((code.to_string(), round(count as f64 / total as f64)))
}

/// Number of alphabetic characters: the unit votes and thresholds are counted in.
pub fn letter_count(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// Round to 4 decimals so the output stays short and stable.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::Reason;
    use crate::document::{Drop, Paragraph, Verdict};

    fn doc_of(texts: &[&str]) -> Document {
        let mut doc = Document::new("d", "test", texts.join("\n"));
        doc.paragraphs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Paragraph::new(i, 0, 0, t.to_string()))
            .collect();
        doc
    }

    #[test]
    fn long_paragraphs_are_decided_on_their_own() {
        let det = LanguageDetector::new(LangConfig::default());
        let label =
            det.label("Le gouvernement a annoncé mardi une réforme importante des retraites.");
        assert_eq!(
            (label.code.as_str(), label.source),
            ("fr", LangSource::Paragraph)
        );
    }

    #[test]
    fn short_paragraphs_inherit_the_document_language() {
        let det = LanguageDetector::new(LangConfig::default());
        let mut doc = doc_of(&[
            "Sommaire",
            "Le gouvernement a annoncé mardi une réforme importante des retraites et des salaires.",
        ]);
        det.detect_paragraphs(&mut doc);
        det.elect_document_language(&mut doc);
        assert_eq!(doc.lang.as_deref(), Some("fr"));
        assert_eq!(doc.paragraphs[0].lang.code, "fr");
        assert_eq!(doc.paragraphs[0].lang.source, LangSource::Document);
    }

    #[test]
    fn document_language_counts_kept_letters_only() {
        let det = LanguageDetector::new(LangConfig::default());
        let mut doc = doc_of(&[
            "This long English boilerplate paragraph talks about cookies, privacy and consent settings for everyone.",
            "Le gouvernement a annoncé mardi une réforme des retraites.",
        ]);
        det.detect_paragraphs(&mut doc);
        doc.paragraphs[0].verdict = Verdict::Drop(Drop {
            reason: Reason::Cookies,
            evidence: String::new(),
        });
        det.elect_document_language(&mut doc);
        assert_eq!(doc.lang.as_deref(), Some("fr"));
    }

    #[test]
    fn nothing_decidable_is_und() {
        let det = LanguageDetector::new(LangConfig::default());
        let mut doc = doc_of(&["12 34", "—"]);
        det.detect_paragraphs(&mut doc);
        det.elect_document_language(&mut doc);
        assert_eq!(doc.lang, None);
        assert_eq!(doc.paragraphs[0].lang.code, UNDETERMINED);
        assert_eq!(doc.paragraphs[0].lang.source, LangSource::None);
    }

    #[test]
    fn allowlist_restricts_candidates() {
        let det = LanguageDetector::new(LangConfig {
            candidates: vec![Lang::Fra, Lang::Eng],
            ..LangConfig::default()
        });
        let label =
            det.label("El gobierno anunció el martes una importante reforma de las pensiones.");
        assert!(label.code == "fr" || label.code == "en" || label.code == UNDETERMINED);
    }
}
