//! Stage 3: the language of every paragraph, of its sentences, and of the document.
//!
//! Each paragraph is split into sentences ([`sentences`]); each sentence is guessed on its own
//! by whatlang together with short-text evidence whatlang lacks ([`evidence`]: function words
//! and letters of the candidate languages). The paragraph's language is elected by the letters
//! of its decided sentences; sentences too short or unclear to decide take the paragraph's
//! language. A paragraph whose sentences disagree is `mixed` and carries language spans.
//! Paragraphs that cannot be decided inherit the document's language (`lang_source:
//! document`), itself elected by the letters of the kept, decided paragraphs.

mod codes;
mod evidence;
mod lexicon;
mod sentences;
mod switching;

pub use codes::{output_code, parse_code};
pub use evidence::Evidence;
pub use sentences::sentence_ranges;

use std::collections::HashMap;
use std::ops::Range;

use whatlang::{Detector, Lang};

use crate::boilerplate::Reason;
use crate::document::{Document, Drop, LangLabel, LangSource, LangSpan, Verdict, UNDETERMINED};

/// Settings of the language stage.
#[derive(Debug, Clone)]
pub struct LangConfig {
    /// Candidate languages; empty means all of whatlang's.
    pub candidates: Vec<Lang>,
    /// Fewer letters than this and a paragraph is decided only on strong evidence.
    pub min_letters: usize,
    /// Lower confidence than this and a unit is not decided on its own.
    pub min_confidence: f64,
    /// Ask whatlang about texts too short to decide, for a best guess (`polyclean detect`);
    /// the pipeline skips the call, since it hands such texts the document's language anyway.
    pub guess_short_texts: bool,
}

impl Default for LangConfig {
    fn default() -> Self {
        LangConfig {
            candidates: Vec::new(),
            min_letters: 12,
            min_confidence: 0.5,
            guess_short_texts: false,
        }
    }
}

/// How whatlang's guess and the evidence are weighed into one score per candidate.
const DETECTOR_WEIGHT: f64 = 1.0;
/// Extra weight of whatlang's guess per letter: long texts are its strength.
const DETECTOR_WEIGHT_PER_LETTER: f64 = 0.02;
/// Weight of one unit of evidence (a function word only one candidate has, a letter).
const EVIDENCE_WEIGHT: f64 = 1.0;
/// Score margin over the runner-up that decides a short unit on evidence alone.
const EVIDENCE_MARGIN: f64 = 1.5;

/// The most text sent to whatlang for one unit: its cost grows with the text while its answer
/// stops changing long before (measured in docs/quality.md); the evidence still weighs it all.
const DETECTOR_MAX_BYTES: usize = 600;

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn capped(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// One unit's language guess.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// The best candidate, if any evidence at all points somewhere.
    pub lang: Option<Lang>,
    /// 0–1: whatlang's confidence when it decided alone; otherwise grows with the best
    /// score's lead over the runner-up (`1 - e^-lead`).
    pub confidence: f64,
    /// Whether the guess is firm enough to stand on its own (else the context decides).
    pub decided: bool,
}

impl Guess {
    const NONE: Guess = Guess {
        lang: None,
        confidence: 0.0,
        decided: false,
    };
}

/// The language of one paragraph: its guess, and its sentences' spans when they disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLanguage {
    /// The paragraph's language (letters of the decided sentences elect it).
    pub guess: Guess,
    /// Sentences (byte ranges of the text) with their languages, neighbours of one language
    /// merged; empty when the text has no letters.
    pub spans: Vec<LangSpan>,
}

impl TextLanguage {
    /// True when the spans hold more than one language.
    pub fn is_mixed(&self) -> bool {
        self.spans.windows(2).any(|w| w[0].lang != w[1].lang)
    }
}

/// The language stage: a whatlang detector and the evidence tables, built once.
pub struct LanguageDetector {
    detector: Detector,
    evidence: Evidence,
    config: LangConfig,
}

impl LanguageDetector {
    /// Build the detector for `config`.
    pub fn new(config: LangConfig) -> Self {
        let (detector, candidates) = if config.candidates.is_empty() {
            (Detector::new(), Lang::all().to_vec())
        } else {
            (
                Detector::with_allowlist(config.candidates.clone()),
                config.candidates.clone(),
            )
        };
        LanguageDetector {
            detector,
            evidence: Evidence::new(&candidates),
            config,
        }
    }

    /// Guess the language of one unit (a sentence, a short paragraph, a word) on its own.
    pub fn guess(&self, text: &str) -> Guess {
        if letter_count(text) == 0 {
            return Guess::NONE;
        }
        self.guess_with(text, self.evidence.weigh(text))
    }

    /// [`LanguageDetector::guess`] with the text's evidence already weighed.
    fn guess_with(&self, text: &str, found: evidence::Found) -> Guess {
        let letters = letter_count(text);
        if letters == 0 {
            return Guess::NONE;
        }
        let no_evidence = found.scores.iter().all(|&s| s == 0.0);
        if no_evidence && letters < self.config.min_letters && !self.config.guess_short_texts {
            // whatlang alone cannot decide so short a text: spare the call.
            return Guess::NONE;
        }
        let mut scores: Vec<f64> = found.scores.iter().map(|s| s * EVIDENCE_WEIGHT).collect();
        let info = self.detector.detect(capped(text, DETECTOR_MAX_BYTES));
        if let Some(info) = &info {
            if let Some(i) = self.evidence.langs().iter().position(|&l| l == info.lang()) {
                let weight = DETECTOR_WEIGHT + DETECTOR_WEIGHT_PER_LETTER * letters as f64;
                scores[i] += weight * info.confidence();
            }
        }
        let Some((best, lead)) = top_two(&scores) else {
            return Guess::NONE;
        };
        if info.is_none() && lead == 0.0 {
            return Guess::NONE; // no evidence at all
        }
        let lang = self.evidence.langs()[best];
        let detector_agrees = info.as_ref().filter(|i| i.lang() == lang);
        // Without evidence whatlang decided alone: its own confidence is the one to report.
        let confidence = match detector_agrees {
            Some(i) if no_evidence => round(i.confidence()),
            _ => round(1.0 - (-lead).exp()),
        };
        let by_detector = letters >= self.config.min_letters
            && detector_agrees.is_some_and(|i| i.confidence() >= self.config.min_confidence);
        Guess {
            lang: Some(lang),
            confidence,
            decided: by_detector || lead >= EVIDENCE_MARGIN,
        }
    }

    /// Analyse one paragraph: its language and, where it switches language, its spans.
    ///
    /// With word lexicons for every candidate, the spans follow the best word-level path
    /// ([`switching`]); otherwise each sentence is guessed on its own, undecided sentences take
    /// the paragraph's language, and neighbours of one language merge. Either way the
    /// paragraph's language is elected by letters when it mixes languages, and guessed on the
    /// whole text when it does not.
    pub fn analyse(&self, text: &str) -> TextLanguage {
        let ranges = sentence_ranges(text, self.evidence.abbreviations());
        if self.evidence.lexicon().is_some() {
            self.analyse_by_words(text, &ranges)
        } else {
            self.analyse_by_sentences(text, ranges)
        }
    }

    fn analyse_by_words(&self, text: &str, sentences: &[Range<usize>]) -> TextLanguage {
        let words = switching::words(text, sentences);
        let langs = self.evidence.langs();
        // Weigh every word once: its lexicon scores drive the path, and with its letters they
        // are the whole text's evidence.
        let mut emissions = vec![0.0; words.len() * langs.len()];
        let mut found = evidence::Found {
            scores: vec![0.0; langs.len()],
            words: words.len(),
        };
        let mut letters = vec![0.0; langs.len()];
        for (word, row) in words.iter().zip(emissions.chunks_mut(langs.len().max(1))) {
            let lower = text[word.range.clone()].to_lowercase();
            self.evidence.weigh_word(&lower, row, &mut letters);
            found
                .scores
                .iter_mut()
                .zip(row.iter())
                .for_each(|(s, e)| *s += e);
        }
        found
            .scores
            .iter_mut()
            .zip(&letters)
            .for_each(|(s, l)| *s += l);
        let path = switching::best_path(&words, &emissions, langs.len());
        let mut spans: Vec<LangSpan> = Vec::new();
        for (word, &k) in words.iter().zip(&path) {
            match spans.last_mut() {
                Some(last) if last.lang == langs[k] => {}
                Some(last) => {
                    last.end = word.range.start;
                    spans.push(LangSpan {
                        start: word.range.start,
                        end: text.len(),
                        lang: langs[k],
                    });
                }
                None => spans.push(LangSpan {
                    start: 0,
                    end: text.len(),
                    lang: langs[k],
                }),
            }
        }
        if spans.len() > 1 {
            let ranges: Vec<Range<usize>> = spans.iter().map(|s| s.start..s.end).collect();
            let guesses: Vec<Guess> = spans
                .iter()
                .map(|s| Guess {
                    lang: Some(s.lang),
                    confidence: 1.0,
                    decided: true,
                })
                .collect();
            if let Some(guess) = elect(text, &ranges, &guesses) {
                return TextLanguage { guess, spans };
            }
        }
        self.whole(text, self.guess_with(text, found))
    }

    fn analyse_by_sentences(&self, text: &str, ranges: Vec<Range<usize>>) -> TextLanguage {
        if ranges.len() <= 1 {
            return self.whole(text, self.guess(text));
        }
        let guesses: Vec<Guess> = ranges
            .iter()
            .map(|r| self.guess(&text[r.clone()]))
            .collect();
        let Some(elected) = elect(text, &ranges, &guesses) else {
            // No sentence decided on its own: the whole text may be.
            return self.whole(text, self.guess(text));
        };
        let spans = spans(&ranges, &guesses, elected.lang);
        if spans.len() > 1 {
            return TextLanguage {
                guess: elected,
                spans,
            };
        }
        // One language: report the sentences' confidence, weighted by letters (the text is
        // not sent to the detector a second time).
        let guess = Guess {
            confidence: mean_confidence(text, &ranges, &guesses, elected.lang),
            ..elected
        };
        self.whole(text, guess)
    }

    /// `text` as one span in the language of `guess`.
    fn whole(&self, text: &str, guess: Guess) -> TextLanguage {
        let spans = guess
            .lang
            .map(|lang| LangSpan {
                start: 0,
                end: text.len(),
                lang,
            })
            .into_iter()
            .collect();
        TextLanguage { guess, spans }
    }

    /// Label one text on its own: decided (`source: paragraph`) or not (`source: none`).
    pub fn label(&self, text: &str) -> LangLabel {
        label_of(self.analyse(text).guess)
    }

    /// Detect every paragraph of `doc` (before boilerplate removal).
    pub fn detect_paragraphs(&self, doc: &mut Document) {
        for p in &mut doc.paragraphs {
            let analysis = self.analyse(&p.text);
            p.lang = label_of(analysis.guess);
            p.spans = if analysis.is_mixed() {
                analysis.spans
            } else {
                Vec::new()
            };
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

/// Drop kept paragraphs whose language is not in `keep` (output codes) with reason
/// `language`; run after the document's language is elected, so undecided paragraphs are
/// judged by the language they inherited. Mixed paragraphs are judged by their main language:
/// their foreign spans are reported, not cut.
pub fn keep_only(doc: &mut Document, keep: &[String]) {
    for p in &mut doc.paragraphs {
        if !p.verdict.is_kept() || keep.contains(&p.lang.code) {
            continue;
        }
        let evidence = format!(
            "language {} ({}), not in --keep-langs {}",
            p.lang.code,
            p.lang.source.as_str(),
            keep.join(",")
        );
        p.verdict = Verdict::Drop(Drop {
            reason: Reason::Language,
            evidence,
        });
    }
}

/// The label a paragraph gets from its own guess: decided, or `und` waiting for the document.
fn label_of(guess: Guess) -> LangLabel {
    match guess.lang {
        Some(lang) if guess.decided => LangLabel {
            code: output_code(lang).to_string(),
            confidence: guess.confidence,
            reliable: true,
            source: LangSource::Paragraph,
        },
        _ => LangLabel {
            confidence: guess.confidence,
            ..LangLabel::undetermined()
        },
    }
}

/// The best candidate and its lead over the runner-up (ties go to the first candidate).
fn top_two(scores: &[f64]) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    let mut second = f64::NEG_INFINITY;
    for (i, &s) in scores.iter().enumerate() {
        match best {
            Some((_, b)) if s <= b => second = second.max(s),
            Some((_, b)) => {
                second = b;
                best = Some((i, s));
            }
            None => best = Some((i, s)),
        }
    }
    let (i, s) = best?;
    Some((
        i,
        if second.is_finite() {
            s - second
        } else {
            s.max(0.0)
        },
    ))
}

/// The language holding most letters among the decided units, with its share as confidence.
fn elect(text: &str, ranges: &[Range<usize>], guesses: &[Guess]) -> Option<Guess> {
    let mut letters: Vec<(Lang, usize)> = Vec::new();
    for (range, guess) in ranges.iter().zip(guesses) {
        let Some(lang) = guess.lang.filter(|_| guess.decided) else {
            continue;
        };
        let n = letter_count(&text[range.clone()]);
        match letters.iter_mut().find(|(l, _)| *l == lang) {
            Some(entry) => entry.1 += n,
            None => letters.push((lang, n)),
        }
    }
    let total: usize = letters.iter().map(|(_, n)| n).sum();
    // Ties go to the language seen first.
    let (lang, n) = letters
        .into_iter()
        .rev()
        .max_by_key(|&(_, n)| n)
        .filter(|_| total > 0)?;
    Some(Guess {
        lang: Some(lang),
        confidence: round(n as f64 / total as f64),
        decided: true,
    })
}

/// The letter-weighted confidence of the units guessed as `lang`.
fn mean_confidence(
    text: &str,
    ranges: &[Range<usize>],
    guesses: &[Guess],
    lang: Option<Lang>,
) -> f64 {
    let (mut sum, mut letters) = (0.0, 0);
    for (range, guess) in ranges.iter().zip(guesses) {
        if guess.lang == lang {
            let n = letter_count(&text[range.clone()]);
            sum += guess.confidence * n as f64;
            letters += n;
        }
    }
    if letters == 0 {
        return 0.0;
    }
    round(sum / letters as f64)
}

/// Each unit with its own language if decided, else the paragraph's; neighbours of one
/// language merged (the gap between them included).
fn spans(ranges: &[Range<usize>], guesses: &[Guess], paragraph: Option<Lang>) -> Vec<LangSpan> {
    let mut spans: Vec<LangSpan> = Vec::new();
    for (range, guess) in ranges.iter().zip(guesses) {
        let own = guess.lang.filter(|_| guess.decided);
        let Some(lang) = own.or(paragraph) else {
            continue;
        };
        match spans.last_mut() {
            Some(last) if last.lang == lang => last.end = range.end,
            _ => spans.push(LangSpan {
                start: range.start,
                end: range.end,
                lang,
            }),
        }
    }
    spans
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
    use crate::document::Paragraph;

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

    fn detector(langs: &[Lang]) -> LanguageDetector {
        LanguageDetector::new(LangConfig {
            candidates: langs.to_vec(),
            ..LangConfig::default()
        })
    }

    fn span_langs(analysis: &TextLanguage) -> Vec<Lang> {
        analysis.spans.iter().map(|s| s.lang).collect()
    }

    #[test]
    fn without_lexicons_each_sentence_is_guessed_and_the_paragraph_mixes() {
        // Dutch has no lexicon: the sentence-level path runs.
        let det = detector(&[Lang::Fra, Lang::Eng, Lang::Nld]);
        let text =
            "Le conseil municipal a voté hier soir le budget de la ville pour l'année prochaine. \
            The council approved the budget after a long and heated debate last night. \
            Les travaux commenceront au printemps prochain, selon la mairie de la ville.";
        let analysis = det.analyse(text);
        assert_eq!(span_langs(&analysis), [Lang::Fra, Lang::Eng, Lang::Fra]);
        assert!(analysis.is_mixed());
        assert_eq!(analysis.guess.lang, Some(Lang::Fra));
    }

    #[test]
    fn one_language_gives_one_span_over_the_whole_text() {
        let det = detector(&[Lang::Fra, Lang::Eng, Lang::Spa]);
        let text = "Il pleut depuis ce matin. Les rues sont vides et les cafés sont pleins.";
        let analysis = det.analyse(text);
        assert!(!analysis.is_mixed());
        assert_eq!(analysis.spans.len(), 1);
        assert_eq!(
            (analysis.spans[0].start, analysis.spans[0].end),
            (0, text.len())
        );
    }

    #[test]
    fn short_texts_are_decided_by_clear_word_evidence_only() {
        let det = detector(&[Lang::Fra, Lang::Eng, Lang::Spa]);
        let clear = det.guess("Pourquoi maintenant");
        assert_eq!((clear.lang, clear.decided), (Some(Lang::Fra), true));
        // A name says nothing about a language.
        let unclear = det.guess("Zidane");
        assert!(!unclear.decided, "{unclear:?}");
    }

    #[test]
    fn keep_only_drops_other_languages_but_not_boilerplate_reasons() {
        let mut doc = doc_of(&["un", "dos", "tres"]);
        for (p, code) in doc.paragraphs.iter_mut().zip(["fr", "es", "es"]) {
            p.lang.code = code.to_string();
        }
        doc.paragraphs[2].verdict = Verdict::Drop(Drop {
            reason: Reason::Ad,
            evidence: String::new(),
        });
        keep_only(&mut doc, &["fr".to_string()]);
        let reasons: Vec<Option<Reason>> = doc
            .paragraphs
            .iter()
            .map(|p| p.verdict.drop_info().map(|d| d.reason))
            .collect();
        assert_eq!(reasons, [None, Some(Reason::Language), Some(Reason::Ad)]);
    }

    #[test]
    fn the_detector_sees_at_most_a_capped_prefix_on_a_char_boundary() {
        assert_eq!(capped("déjà", 100), "déjà");
        assert_eq!(capped("déjà", 2), "d"); // "é" is two bytes: cut before it
        assert_eq!(capped("déjà", 3), "dé");
    }
}
