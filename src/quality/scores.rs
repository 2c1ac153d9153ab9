//! What the quality stage measured on a document: one value per check, the limit it was held
//! to, and whether it failed. The same values are written in `annotate` mode and decide the
//! drops in `filter` mode, so the output never explains a drop with a second computation.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::boilerplate::Reason;

/// The four heuristic families, in the order of their reasons in [`Reason::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Gopher quality rules (Rae et al. 2021, table A1; datatrove `GopherQualityFilter`).
    GopherQuality,
    /// Gopher repetition rules (Rae et al. 2021, table A1; datatrove `GopherRepetitionFilter`).
    GopherRepetition,
    /// C4 rules (Raffel et al. 2020, section 2.2; datatrove `C4QualityFilter`).
    C4,
    /// FineWeb rules (Penedo et al. 2024; datatrove `FineWebQualityFilter`).
    FineWeb,
}

impl Family {
    /// The family's name: its key in `[quality]` and in the output, and its reason code.
    pub fn as_str(self) -> &'static str {
        self.reason().as_str()
    }

    /// The reason a paragraph dropped by this family carries.
    pub fn reason(self) -> Reason {
        match self {
            Family::GopherQuality => Reason::GopherQuality,
            Family::GopherRepetition => Reason::GopherRepetition,
            Family::C4 => Reason::C4,
            Family::FineWeb => Reason::FineWeb,
        }
    }
}

/// The limit a measured value is held to; the comparisons are datatrove's, so a value equal
/// to a `Min`/`Max` limit passes while one equal to an `Above`/`Below` limit fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// Fails when the value is smaller than the limit.
    Min(f64),
    /// Fails when the value is larger than the limit.
    Max(f64),
    /// Fails when the value is outside the range (bounds pass).
    Range(f64, f64),
    /// Fails unless the value is strictly larger than the limit.
    Above(f64),
    /// Fails unless the value is strictly smaller than the limit.
    Below(f64),
    /// Informational: never fails.
    None,
}

impl Limit {
    /// Whether `value` fails the limit, and the comparison that says so (`<`, `>`, `≤`, `≥`).
    fn failure(self, value: f64) -> Option<(&'static str, f64)> {
        match self {
            Limit::Min(t) if value < t => Some(("<", t)),
            Limit::Max(t) if value > t => Some((">", t)),
            Limit::Range(lo, _) if value < lo => Some(("<", lo)),
            Limit::Range(_, hi) if value > hi => Some((">", hi)),
            Limit::Above(t) if value <= t => Some(("≤", t)),
            Limit::Below(t) if value >= t => Some(("≥", t)),
            _ => None,
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// The check's key in the output (`mean_word_length`).
    pub check: &'static str,
    /// What the evidence calls it (`mean word length`).
    pub label: &'static str,
    /// The measured value; `None` when it cannot be measured (no words, no stop-word list).
    pub value: Option<f64>,
    /// The limit it is held to.
    pub limit: Limit,
}

impl Measure {
    /// A measurement held to `limit`.
    pub fn new(check: &'static str, label: &'static str, value: Option<f64>, limit: Limit) -> Self {
        Measure {
            check,
            label,
            value,
            limit,
        }
    }

    /// The evidence of a failed check (`mean word length 2.1 < 3`); `None` when it passed.
    pub fn failure(&self) -> Option<String> {
        let value = self.value?;
        let (op, limit) = self.limit.failure(value)?;
        Some(format!(
            "{} {} {op} {}",
            self.label,
            round(value),
            round(limit)
        ))
    }
}

/// A value as written: at most 4 decimals, so outputs do not depend on float noise.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// One family's measures, in the order its checks run.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyScores {
    /// Which family.
    pub family: Family,
    /// Its checks.
    pub measures: Vec<Measure>,
}

impl FamilyScores {
    /// The first failed check's evidence (`mean word length 2.1 < 3`): a document drop's
    /// evidence in `filter` mode.
    pub fn first_failure(&self) -> Option<String> {
        self.measures.iter().find_map(Measure::failure)
    }

    /// Every failed check, as `check: evidence`.
    pub fn failures(&self) -> impl Iterator<Item = String> + '_ {
        self.measures
            .iter()
            .filter_map(|m| Some(format!("{}: {}", m.check, m.failure()?)))
    }
}

/// A paragraph a line rule (C4) drops, and the rule's evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDrop {
    /// The paragraph's index in the document.
    pub index: usize,
    /// Which rule, as written in the evidence (`no terminal punctuation`).
    pub evidence: String,
}

/// Everything the quality stage measured on one document (stored on
/// [`Document::quality`](crate::Document::quality), written as the `quality` object).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QualityScores {
    /// The enabled families' measures, in [`Family`] order.
    pub families: Vec<FamilyScores>,
    /// Paragraphs the C4 line rules drop.
    pub line_drops: Vec<LineDrop>,
}

impl QualityScores {
    /// The family whose failure decides a document-level drop (the first in [`Family`]
    /// order), with its evidence.
    pub fn document_failure(&self) -> Option<(Family, String)> {
        self.families
            .iter()
            .find_map(|f| Some((f.family, f.first_failure()?)))
    }

    /// Every failure, as written in the output's `failed` list: `family.check: evidence`
    /// for document checks, `c4.line: paragraph N: evidence` for line rules.
    pub fn failed(&self) -> Vec<String> {
        let mut failed: Vec<String> = self
            .families
            .iter()
            .flat_map(|f| {
                f.failures()
                    .map(move |e| format!("{}.{e}", f.family.as_str()))
            })
            .collect();
        failed.extend(
            self.line_drops
                .iter()
                .map(|d| format!("c4.line: paragraph {}: {}", d.index, d.evidence)),
        );
        failed
    }
}

/// `{"gopher_quality": {"word_count": 120.0, …}, …, "failed": ["…"]}`: every value a number
/// (or null when unmeasurable), so the field has one type across documents.
impl Serialize for QualityScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.families.len() + 1))?;
        for family in &self.families {
            map.serialize_entry(family.family.as_str(), &Values(&family.measures))?;
        }
        map.serialize_entry("failed", &self.failed())?;
        map.end()
    }
}

struct Values<'a>(&'a [Measure]);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for m in self.0 {
            map.serialize_entry(m.check, &m.value.map(round))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_compare_as_datatrove_does() {
        assert_eq!(Limit::Min(3.0).failure(3.0), None);
        assert_eq!(Limit::Min(3.0).failure(2.9), Some(("<", 3.0)));
        assert_eq!(Limit::Max(0.1).failure(0.1), None);
        assert!(Limit::Above(0.12).failure(0.12).is_some());
        assert!(Limit::Below(0.67).failure(0.67).is_some());
        assert_eq!(Limit::Below(0.67).failure(0.66), None);
        assert_eq!(Limit::None.failure(1e9), None);
        assert_eq!(Limit::Range(3.0, 10.0).failure(10.0), None);
        assert_eq!(Limit::Range(3.0, 10.0).failure(10.5), Some((">", 10.0)));
        assert_eq!(Limit::Range(3.0, 10.0).failure(2.5), Some(("<", 3.0)));
    }

    #[test]
    fn evidence_names_the_check_value_and_limit() {
        let m = Measure::new(
            "mean_word_length",
            "mean word length",
            Some(2.1),
            Limit::Min(3.0),
        );
        assert_eq!(m.failure().as_deref(), Some("mean word length 2.1 < 3"));
        let unmeasured = Measure::new("stop_words", "stop words", None, Limit::Min(2.0));
        assert_eq!(unmeasured.failure(), None);
    }

    #[test]
    fn serializes_values_and_failures() {
        let scores = QualityScores {
            families: vec![FamilyScores {
                family: Family::GopherQuality,
                measures: vec![
                    Measure::new("word_count", "word count", Some(10.0), Limit::Min(50.0)),
                    Measure::new("stop_words", "stop words", None, Limit::Min(2.0)),
                ],
            }],
            line_drops: vec![LineDrop {
                index: 2,
                evidence: "fewer than 3 words".into(),
            }],
        };
        let json = serde_json::to_string(&scores).expect("serializable");
        assert_eq!(
            json,
            r#"{"gopher_quality":{"word_count":10.0,"stop_words":null},"failed":["gopher_quality.word_count: word count 10 < 50","c4.line: paragraph 2: fewer than 3 words"]}"#
        );
    }
}
