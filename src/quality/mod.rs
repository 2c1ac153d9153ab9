//! Document-level quality filters: the heuristic families datatrove and Dolma apply to web
//! text before training — Gopher quality, Gopher repetition, C4 and FineWeb — measured on a
//! document's kept paragraphs (its cleaned text), per language.
//!
//! The stage runs after the boilerplate and language stages. In `annotate` mode it stores
//! the measures on [`Document::quality`] (written as the `quality` object of the JSONL
//! record); in `filter` mode it also drops: C4's line rules drop single paragraphs, and the
//! first family with a failed check (in [`Family`] order) drops the rest of the document
//! with [`Document::drop_kept`]. See `docs/quality-filters.md`.

mod c4;
mod fineweb;
mod gopher_quality;
mod gopher_repetition;
mod scores;
mod settings;
mod text;

use std::collections::{HashMap, HashSet};

pub use scores::{Family, FamilyScores, Limit, LineDrop, Measure, QualityScores};
pub use settings::{
    mode_or_table, C4Overrides, FamilyOverrides, FineWeb, FineWebOverrides, GopherQuality,
    GopherQualityOverrides, GopherRepetition, GopherRepetitionOverrides, QualityConfig,
    QualityMode, Thresholds, C4,
};

use crate::document::{Document, Drop, Verdict};

/// The built-in stop words of a language (`fr`): the `stop-words` crate's list (NLTK or
/// stopwords-iso), also used by the content classifier; `None` when there is none.
pub fn builtin_stop_words(lang: &str) -> Option<HashSet<String>> {
    let list = stop_words::lookup(lang)?;
    Some(list.iter().map(|w| w.to_lowercase()).collect())
}

/// One language's thresholds with the stop words they use.
#[derive(Debug)]
struct Rules {
    thresholds: Thresholds,
    /// `stop_words` from the configuration, when given.
    stop_words: Option<HashSet<String>>,
}

impl Rules {
    fn new(thresholds: Thresholds) -> Rules {
        let custom = &thresholds.gopher_quality.stop_words;
        let stop_words =
            (!custom.is_empty()).then(|| custom.iter().map(|w| w.to_lowercase()).collect());
        Rules {
            thresholds,
            stop_words,
        }
    }
}

/// The quality stage, built once from the `[quality]` table and shared by every thread.
#[derive(Debug)]
pub struct QualityFilter {
    filter: bool,
    default: Rules,
    by_lang: HashMap<String, Rules>,
    stop_words: HashMap<&'static str, HashSet<String>>,
}

impl QualityFilter {
    /// The stage for `config`; `None` when its mode is off.
    pub fn new(config: &QualityConfig) -> Option<QualityFilter> {
        let filter = match config.mode() {
            QualityMode::Off => return None,
            QualityMode::Annotate => false,
            QualityMode::Filter => true,
        };
        let by_lang = config
            .lang
            .keys()
            .map(|lang| (lang.clone(), Rules::new(config.thresholds(Some(lang)))))
            .collect();
        let mut stop_words: HashMap<&'static str, HashSet<String>> =
            stop_words::available_languages()
                .iter()
                .filter_map(|&code| Some((code, builtin_stop_words(code)?)))
                .collect();
        // polyclean writes Norwegian Bokmål `nb`; the crate files it under `no`.
        if let Some(no) = stop_words.get("no").cloned() {
            stop_words.insert("nb", no);
        }
        Some(QualityFilter {
            filter,
            default: Rules::new(config.thresholds(None)),
            by_lang,
            stop_words,
        })
    }

    /// Measure `doc`'s kept paragraphs, store the scores on it and, in `filter` mode, drop
    /// what fails.
    pub fn apply(&self, doc: &mut Document) {
        let scores = self.measure(doc);
        if self.filter {
            drop_failures(doc, &scores);
        }
        doc.quality = Some(scores);
    }

    /// Every enabled family's measures on `doc`'s kept paragraphs.
    pub fn measure(&self, doc: &Document) -> QualityScores {
        let lang = doc.lang.as_deref();
        let rules = lang
            .and_then(|l| self.by_lang.get(l))
            .unwrap_or(&self.default);
        let t = &rules.thresholds;
        let kept: Vec<(usize, &str)> = doc.kept().map(|p| (p.index, p.text.as_str())).collect();
        let lines: Vec<&str> = kept.iter().map(|&(_, text)| text).collect();
        let mut scores = QualityScores::default();
        if t.gopher_quality.enabled {
            let stop = rules
                .stop_words
                .as_ref()
                .or_else(|| lang.and_then(|l| self.stop_words.get(l)));
            let measured = gopher_quality::measure(&lines, stop, &t.gopher_quality);
            scores.families.push(measured);
        }
        if t.gopher_repetition.enabled {
            let measured = gopher_repetition::measure(&lines, &t.gopher_repetition);
            scores.families.push(measured);
        }
        // FineWeb sees the lines C4 keeps, as in the FineWeb pipeline.
        let mut fineweb_lines = lines.clone();
        if t.c4.enabled {
            let outcome = c4::measure(&kept, &t.c4);
            fineweb_lines = outcome.kept.iter().map(|&i| lines[i]).collect();
            scores.families.push(outcome.scores);
            scores.line_drops = outcome.drops;
        }
        if t.fineweb.enabled {
            scores
                .families
                .push(fineweb::measure(&fineweb_lines, &t.fineweb));
        }
        scores
    }
}

/// `filter` mode: C4's line drops first (each paragraph keeps the rule that removed it),
/// then the document-level failure, if any, drops every paragraph still kept.
fn drop_failures(doc: &mut Document, scores: &QualityScores) {
    for line in &scores.line_drops {
        let paragraph = doc.paragraphs.iter_mut().find(|p| p.index == line.index);
        if let Some(p) = paragraph {
            if p.verdict.is_kept() {
                p.verdict = Verdict::Drop(Drop {
                    reason: Family::C4.reason(),
                    evidence: format!("line: {}", line.evidence),
                });
            }
        }
    }
    if let Some((family, evidence)) = scores.document_failure() {
        doc.drop_kept(family.reason(), &evidence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::Reason;
    use crate::document::Paragraph;

    const FR: &str = "Les habitants de la vallée préparent une grande fête pour célébrer la récolte des pommes dans le village.";

    fn doc(lang: &str, texts: &[&str]) -> Document {
        let mut doc = Document::new("d", "d.txt", "");
        doc.paragraphs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Paragraph::new(i, 0, 0, t.to_string()))
            .collect();
        doc.lang = Some(lang.to_string());
        doc
    }

    fn stop_words(scores: &QualityScores) -> Option<f64> {
        scores.families[0]
            .measures
            .iter()
            .find(|m| m.check == "stop_words")?
            .value
    }

    #[test]
    fn stop_words_follow_the_document_language() {
        let config = QualityConfig {
            mode: Some(QualityMode::Annotate),
            ..QualityConfig::default()
        };
        let stage = QualityFilter::new(&config).expect("on");
        assert!(stop_words(&stage.measure(&doc("fr", &[FR]))).expect("fr list") >= 2.0);
        assert_eq!(stop_words(&stage.measure(&doc("en", &[FR]))), Some(0.0));
        // No list for the language: not measured.
        assert_eq!(stop_words(&stage.measure(&doc("und", &[FR]))), None);
    }

    #[test]
    fn filter_drops_lines_then_the_document_and_annotate_drops_nothing() {
        let texts = ["Un titre sans point", FR];
        let mut config = QualityConfig {
            mode: Some(QualityMode::Annotate),
            ..QualityConfig::default()
        };
        let mut annotated = doc("fr", &texts);
        QualityFilter::new(&config)
            .expect("on")
            .apply(&mut annotated);
        assert!(annotated.paragraphs.iter().all(|p| p.verdict.is_kept()));
        assert!(annotated.quality.is_some());
        config.mode = Some(QualityMode::Filter);
        let mut filtered = doc("fr", &texts);
        QualityFilter::new(&config)
            .expect("on")
            .apply(&mut filtered);
        let reasons: Vec<_> = filtered
            .paragraphs
            .iter()
            .map(|p| {
                p.verdict
                    .drop_info()
                    .map(|d| (d.reason, d.evidence.clone()))
            })
            .collect();
        assert_eq!(
            reasons,
            [
                Some((Reason::C4, "line: no terminal punctuation".to_string())),
                Some((Reason::GopherQuality, "word count 22 < 50".to_string())),
            ]
        );
        config.mode = Some(QualityMode::Off);
        assert!(QualityFilter::new(&config).is_none());
    }
}
