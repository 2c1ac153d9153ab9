//! `polyclean stats`: figures over a cleaned corpus, read back from the JSONL that `run`
//! writes (not to be confused with [`crate::stats`], the counts a run gathers as it goes).
//!
//! The corpus is read one record at a time; memory is bounded by the number of distinct
//! languages and reasons, plus four fixed-size length histograms ([`lengths`]). Every figure
//! is defined in `docs/stats.md`.

mod lengths;
mod table;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};

pub use lengths::{LengthHistogram, Percentiles, EXACT_BELOW};
pub use table::render_table;

/// The language a `null` document language is counted under (as `--split-by-lang` names it).
pub const UNDETERMINED: &str = "und";

/// Reason codes counted as duplicates: any code starting with one of these prefixes, so
/// reasons added later (`duplicate_document`, `near_duplicate`, …) count without code changes.
pub const DUPLICATE_PREFIXES: [&str; 2] = ["duplicate", "near_duplicate"];

/// Whether a reason code marks a duplicate.
pub fn is_duplicate_reason(reason: &str) -> bool {
    DUPLICATE_PREFIXES.iter().any(|p| reason.starts_with(p))
}

/// One line of a `polyclean run` JSONL output: only the fields the figures need.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    lang: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow)]
    paragraphs: Vec<ParagraphRecord<'a>>,
}

#[derive(Deserialize)]
struct ParagraphRecord<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow, default)]
    lang: Option<Cow<'a, str>>,
    kept: bool,
    #[serde(borrow, default)]
    reason: Option<Cow<'a, str>>,
}

/// Why one line could not be counted.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Not JSON, or JSON without the fields of a `polyclean run` record.
    #[error(
        "not a polyclean output record ({0}); `stats` reads the JSONL that `polyclean run` writes"
    )]
    Schema(#[from] serde_json::Error),
    /// A dropped paragraph without a reason.
    #[error("paragraph {0} is dropped (`kept` is false) but has no `reason`")]
    NoReason(usize),
}

/// A line that could not be counted, with where it is.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {error}")]
pub struct LineError {
    /// The file as named by the caller.
    pub file: String,
    /// The line number, from 1.
    pub line: u64,
    /// What was wrong with it.
    pub error: RecordError,
}

/// Words and characters of some text: whitespace-separated words, Unicode scalar values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Size {
    /// Whitespace-separated words (`str::split_whitespace`).
    pub words: u64,
    /// Unicode scalar values (what Python's `len(str)` counts).
    pub characters: u64,
}

impl Size {
    fn of(text: &str) -> Size {
        Size {
            words: text.split_whitespace().count() as u64,
            characters: text.chars().count() as u64,
        }
    }

    fn add(&mut self, other: Size) {
        self.words += other.words;
        self.characters += other.characters;
    }
}

/// Figures of one document language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentLanguage {
    /// Documents whose `lang` is this language.
    pub documents: u64,
    /// Their kept paragraphs.
    pub kept_paragraphs: u64,
    /// Words and characters of their `text` (the kept paragraphs joined by blank lines).
    #[serde(flatten)]
    pub size: Size,
}

/// Figures of one paragraph language, over kept paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParagraphLanguage {
    /// Kept paragraphs whose `lang` is this language.
    pub paragraphs: u64,
    /// Their words and characters.
    #[serde(flatten)]
    pub size: Size,
}

/// Paragraphs dropped for one reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReasonFigures {
    /// Paragraphs dropped for the reason.
    pub paragraphs: u64,
    /// Their characters.
    pub characters: u64,
    /// `paragraphs` over every paragraph of the corpus (0–1).
    pub paragraph_share: f64,
    /// `characters` over the characters of every paragraph of the corpus (0–1).
    pub character_share: f64,
}

/// Paragraph counts of the corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ParagraphTotals {
    /// Every paragraph, kept or dropped.
    pub total: u64,
    /// Kept paragraphs.
    pub kept: u64,
    /// Dropped paragraphs.
    pub dropped: u64,
}

/// Duplicate rates: the reasons of [`is_duplicate_reason`] together.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Duplicates {
    /// The duplicate reason codes met, sorted.
    pub reasons: Vec<String>,
    /// Paragraphs dropped for any of them.
    pub paragraphs: u64,
    /// Their characters.
    pub characters: u64,
    /// `paragraphs` over every paragraph (0–1).
    pub paragraph_share: f64,
    /// `characters` over every paragraph's characters (0–1).
    pub character_share: f64,
    /// Documents left with no kept paragraph, at least one of them dropped as a duplicate.
    pub documents: u64,
    /// `documents` over every document (0–1).
    pub document_share: f64,
}

/// Length percentiles of one unit (documents or paragraphs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LengthFigures {
    /// In Unicode scalar values.
    pub characters: Percentiles,
    /// In whitespace-separated words.
    pub words: Percentiles,
}

/// Length percentiles of documents and kept paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lengths {
    /// Of every document's `text` (empty documents included, as 0).
    pub documents: LengthFigures,
    /// Of every kept paragraph's `text`.
    pub paragraphs: LengthFigures,
}

/// Languages, by document and by kept paragraph, keyed by code.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Languages {
    /// Per document `lang` (`und` for `null`).
    pub documents: BTreeMap<String, DocumentLanguage>,
    /// Per paragraph `lang`, kept paragraphs only.
    pub paragraphs: BTreeMap<String, ParagraphLanguage>,
}

/// Everything `polyclean stats` reports: the JSON object of `--json` (schema in
/// `docs/stats.md`; fields are only ever added).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Schema version of this object.
    pub version: u32,
    /// Records counted.
    pub documents: u64,
    /// Documents with no kept paragraph (their `text` is empty).
    pub empty_documents: u64,
    /// Paragraph counts.
    pub paragraphs: ParagraphTotals,
    /// Words and characters of the kept paragraphs.
    pub kept: Size,
    /// Words and characters of the dropped paragraphs.
    pub dropped: Size,
    /// Figures per language.
    pub languages: Languages,
    /// Figures per drop reason, keyed by reason code.
    pub reasons: BTreeMap<String, ReasonFigures>,
    /// Duplicate rates.
    pub duplicates: Duplicates,
    /// Length percentiles.
    pub lengths: Lengths,
    /// Lines that could not be counted (reported on stderr with file and line).
    pub bad_lines: u64,
}

/// The version of [`Summary`]'s schema.
pub const SCHEMA_VERSION: u32 = 1;

/// Figures gathered one record at a time.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    documents: u64,
    empty_documents: u64,
    paragraphs: ParagraphTotals,
    kept: Size,
    dropped: Size,
    languages: Languages,
    /// Per reason: paragraphs, characters.
    reasons: BTreeMap<String, (u64, u64)>,
    duplicate_documents: u64,
    document_chars: LengthHistogram,
    document_words: LengthHistogram,
    paragraph_chars: LengthHistogram,
    paragraph_words: LengthHistogram,
    bad_lines: u64,
}

impl CorpusStats {
    /// No records yet.
    pub fn new() -> Self {
        CorpusStats::default()
    }

    /// Count one JSONL line; a line that is not a polyclean record is counted as bad and
    /// changes nothing else.
    pub fn add_line(&mut self, line: &[u8]) -> Result<(), RecordError> {
        let result = serde_json::from_slice::<Record>(line)
            .map_err(RecordError::from)
            .and_then(|record| self.add_record(&record));
        if result.is_err() {
            self.bad_lines += 1;
        }
        result
    }

    /// Read every line of `input` (already decompressed), reporting each bad one to
    /// `on_error` and going on. Blank lines are skipped. An I/O error (a truncated
    /// compressed file) ends the input and is returned, with the line it happened at.
    pub fn read(
        &mut self,
        file: &str,
        mut input: impl BufRead,
        mut on_error: impl FnMut(LineError),
    ) -> Result<(), (u64, io::Error)> {
        let mut line = Vec::new();
        let mut number = 0;
        loop {
            line.clear();
            number += 1;
            match input.read_until(b'\n', &mut line) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) => return Err((number, e)),
            }
            if line.trim_ascii().is_empty() {
                continue;
            }
            if let Err(error) = self.add_line(&line) {
                on_error(LineError {
                    file: file.to_string(),
                    line: number,
                    error,
                });
            }
        }
    }

    /// Check a record whole before counting any of it, so a bad one changes nothing.
    fn add_record(&mut self, record: &Record) -> Result<(), RecordError> {
        if let Some(i) = record
            .paragraphs
            .iter()
            .position(|p| !p.kept && p.reason.is_none())
        {
            return Err(RecordError::NoReason(i));
        }
        self.documents += 1;
        let doc_size = Size::of(&record.text);
        self.document_chars.add(doc_size.characters as usize);
        self.document_words.add(doc_size.words as usize);
        let mut kept_here = 0;
        let mut duplicate_here = false;
        for p in &record.paragraphs {
            let size = Size::of(&p.text);
            self.paragraphs.total += 1;
            if p.kept {
                kept_here += 1;
                self.count_kept(p, size);
            } else {
                let reason = p.reason.as_deref().unwrap_or_default();
                duplicate_here |= is_duplicate_reason(reason);
                self.count_dropped(reason, size);
            }
        }
        if kept_here == 0 {
            self.empty_documents += 1;
            if duplicate_here {
                self.duplicate_documents += 1;
            }
        }
        let lang = record.lang.as_deref().unwrap_or(UNDETERMINED);
        let figures = entry(&mut self.languages.documents, lang);
        figures.documents += 1;
        figures.kept_paragraphs += kept_here;
        figures.size.add(doc_size);
        Ok(())
    }

    fn count_kept(&mut self, p: &ParagraphRecord, size: Size) {
        self.paragraphs.kept += 1;
        self.kept.add(size);
        self.paragraph_chars.add(size.characters as usize);
        self.paragraph_words.add(size.words as usize);
        let lang = p.lang.as_deref().unwrap_or(UNDETERMINED);
        let figures = entry(&mut self.languages.paragraphs, lang);
        figures.paragraphs += 1;
        figures.size.add(size);
    }

    fn count_dropped(&mut self, reason: &str, size: Size) {
        self.paragraphs.dropped += 1;
        self.dropped.add(size);
        let figures = entry(&mut self.reasons, reason);
        figures.0 += 1;
        figures.1 += size.characters;
    }

    /// Lines counted as bad so far.
    pub fn bad_lines(&self) -> u64 {
        self.bad_lines
    }

    /// The figures, shares computed.
    pub fn summary(&self) -> Summary {
        let all_paragraphs = self.paragraphs.total;
        let all_chars = self.kept.characters + self.dropped.characters;
        let reasons: BTreeMap<String, ReasonFigures> = self
            .reasons
            .iter()
            .map(|(code, &(paragraphs, characters))| {
                let figures = ReasonFigures {
                    paragraphs,
                    characters,
                    paragraph_share: share(paragraphs, all_paragraphs),
                    character_share: share(characters, all_chars),
                };
                (code.clone(), figures)
            })
            .collect();
        let duplicate: Vec<(&String, &ReasonFigures)> = reasons
            .iter()
            .filter(|(code, _)| is_duplicate_reason(code))
            .collect();
        let paragraphs = duplicate.iter().map(|(_, f)| f.paragraphs).sum();
        let characters = duplicate.iter().map(|(_, f)| f.characters).sum();
        let duplicates = Duplicates {
            reasons: duplicate.iter().map(|(code, _)| (*code).clone()).collect(),
            paragraphs,
            characters,
            paragraph_share: share(paragraphs, all_paragraphs),
            character_share: share(characters, all_chars),
            documents: self.duplicate_documents,
            document_share: share(self.duplicate_documents, self.documents),
        };
        Summary {
            version: SCHEMA_VERSION,
            documents: self.documents,
            empty_documents: self.empty_documents,
            paragraphs: self.paragraphs,
            kept: self.kept,
            dropped: self.dropped,
            languages: self.languages.clone(),
            reasons,
            duplicates,
            lengths: Lengths {
                documents: LengthFigures {
                    characters: self.document_chars.percentiles(),
                    words: self.document_words.percentiles(),
                },
                paragraphs: LengthFigures {
                    characters: self.paragraph_chars.percentiles(),
                    words: self.paragraph_words.percentiles(),
                },
            },
            bad_lines: self.bad_lines,
        }
    }
}

/// The entry for `key`, allocating the key only the first time it is met.
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// `part / whole`, 0 when `whole` is 0.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn para(text: &str, lang: &str, reason: Option<&str>) -> serde_json::Value {
        json!({"text": text, "lang": lang, "kept": reason.is_none(), "reason": reason})
    }

    fn line(lang: Option<&str>, paragraphs: &[serde_json::Value]) -> Vec<u8> {
        let kept: Vec<&str> = paragraphs
            .iter()
            .filter(|p| p["kept"] == true)
            .filter_map(|p| p["text"].as_str())
            .collect();
        let record =
            json!({"id": "d", "lang": lang, "text": kept.join("\n\n"), "paragraphs": paragraphs});
        serde_json::to_vec(&record).expect("serializable")
    }

    #[test]
    fn any_reason_starting_with_duplicate_counts_as_a_duplicate() {
        assert!(is_duplicate_reason("duplicate"));
        assert!(is_duplicate_reason("duplicate_document"));
        assert!(is_duplicate_reason("near_duplicate"));
        assert!(is_duplicate_reason("near_duplicate_cluster"));
        assert!(!is_duplicate_reason("repeated"));
        assert!(!is_duplicate_reason("ad"));
    }

    #[test]
    fn reasons_unknown_to_this_version_are_counted_and_duplicates_found_by_prefix() {
        let mut stats = CorpusStats::new();
        let doc = line(
            Some("fr"),
            &[
                para("Un deux trois", "fr", None),
                para("Un deux trois", "fr", Some("near_duplicate_v9")),
                para("Menu", "fr", Some("brand_new_reason")),
            ],
        );
        stats.add_line(&doc).expect("valid");
        let s = stats.summary();
        assert_eq!(s.reasons["brand_new_reason"].paragraphs, 1);
        assert_eq!(s.reasons["near_duplicate_v9"].characters, 13);
        assert_eq!(s.duplicates.reasons, ["near_duplicate_v9"]);
        assert_eq!(s.duplicates.paragraphs, 1);
        assert!((s.duplicates.paragraph_share - 1.0 / 3.0).abs() < 1e-12);
        // The document still has a kept paragraph: it is not emptied by duplicates.
        assert_eq!(s.duplicates.documents, 0);
    }

    #[test]
    fn a_document_emptied_by_a_duplicate_counts_as_a_duplicate_document() {
        let mut stats = CorpusStats::new();
        let doc = line(
            None,
            &[
                para("Texte", "fr", Some("duplicate_document")),
                para("Publicité", "fr", Some("ad")),
            ],
        );
        stats.add_line(&doc).expect("valid");
        stats
            .add_line(&line(None, &[para("Publicité", "fr", Some("ad"))]))
            .expect("valid");
        let s = stats.summary();
        assert_eq!(s.empty_documents, 2);
        assert_eq!(s.duplicates.documents, 1);
        assert!((s.duplicates.document_share - 0.5).abs() < 1e-12);
        // A null document language is counted as `und`.
        assert_eq!(s.languages.documents["und"].documents, 2);
    }

    #[test]
    fn words_are_split_on_whitespace_and_characters_are_code_points() {
        let mut stats = CorpusStats::new();
        let doc = line(Some("fr"), &[para("  Été\tà  Paris\n", "fr", None)]);
        stats.add_line(&doc).expect("valid");
        let s = stats.summary();
        assert_eq!(s.kept.words, 3);
        assert_eq!(
            s.kept.characters,
            "  Été\tà  Paris\n".chars().count() as u64
        );
        assert_eq!(s.languages.paragraphs["fr"].size.characters, 15);
    }

    #[test]
    fn a_bad_record_is_counted_as_bad_and_changes_nothing_else() {
        let mut stats = CorpusStats::new();
        let no_reason = br#"{"lang":"fr","text":"","paragraphs":[{"text":"x","lang":"fr","kept":false,"reason":null}]}"#;
        assert!(matches!(
            stats.add_line(no_reason),
            Err(RecordError::NoReason(0))
        ));
        assert!(matches!(
            stats.add_line(b"{\"text\": 3}"),
            Err(RecordError::Schema(_))
        ));
        assert!(stats.add_line(b"not json").is_err());
        let s = stats.summary();
        assert_eq!((s.documents, s.paragraphs.total, s.bad_lines), (0, 0, 3));
        assert!(s.languages.documents.is_empty());
    }

    #[test]
    fn reading_reports_bad_lines_with_their_number_and_skips_blank_ones() {
        let mut stats = CorpusStats::new();
        let mut input = line(Some("en"), &[para("Hello there", "en", None)]);
        input.extend(b"\n\n{oops\n");
        input.extend(line(Some("en"), &[para("Bye", "en", None)]));
        let mut errors = Vec::new();
        stats
            .read("out.jsonl", &input[..], |e| errors.push(e.to_string()))
            .expect("in memory");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("out.jsonl:3: not a polyclean output record"),
            "{}",
            errors[0]
        );
        assert_eq!(stats.summary().documents, 2);
    }

    #[test]
    fn shares_of_an_empty_corpus_are_zero() {
        let s = CorpusStats::new().summary();
        assert_eq!(s.documents, 0);
        assert_eq!(s.duplicates.paragraph_share, 0.0);
        assert_eq!(s.lengths.documents.characters.count, 0);
    }
}
