//! One analyser: a whatlang detector and the evidence tables for one set of candidates, and
//! how they guess a unit and analyse a paragraph.

use std::ops::Range;

use whatlang::{Detector, Info, Lang};

use super::evidence::{self, Evidence};
use super::{letter_count, round, sentence_ranges, switching, Guess, LangConfig, TextLanguage};
use crate::document::LangSpan;

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
pub(super) const DETECTOR_MAX_BYTES: usize = 600;

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(super) fn capped(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A detector and evidence over one candidate set.
pub(super) struct Analyser {
    pub(super) detector: Detector,
    evidence: Evidence,
    config: LangConfig,
}

impl Analyser {
    /// The analyser of `candidates`, with `detector` restricted to them.
    pub(super) fn new(detector: Detector, candidates: &[Lang], config: &LangConfig) -> Self {
        Analyser {
            detector,
            evidence: Evidence::new(candidates),
            config: config.clone(),
        }
    }

    /// The analyser of `lang`'s group ([`evidence::close_group`]); `None` when it has none.
    pub(super) fn for_group(lang: Lang, config: &LangConfig) -> Option<Analyser> {
        let group = evidence::close_group(lang)?;
        Some(Analyser::new(
            Detector::with_allowlist(group.clone()),
            &group,
            config,
        ))
    }

    /// Guess the language of one unit (a sentence, a short paragraph, a word) on its own.
    pub(super) fn guess(&self, text: &str) -> Guess {
        self.guess_with(text, self.evidence.weigh(text), None)
    }

    /// [`Analyser::guess`] with the text's evidence already weighed.
    /// `known`, whatlang's answer on this very text when the caller already has it, saves the
    /// detector call (used only if its language is one of this analyser's candidates).
    fn guess_with(&self, text: &str, found: evidence::Found, known: Option<&Info>) -> Guess {
        let letters = letter_count(text);
        if letters == 0 {
            return Guess::NONE;
        }
        let no_evidence = found.scores.iter().all(|&s| s == 0.0);
        let short = letters < self.config.min_letters && !self.config.guess_short_texts;
        if no_evidence && short {
            // whatlang alone cannot decide so short a text: spare the call.
            return Guess::NONE;
        }
        let mut scores: Vec<f64> = found.scores.iter().map(|s| s * EVIDENCE_WEIGHT).collect();
        let weight = DETECTOR_WEIGHT + DETECTOR_WEIGHT_PER_LETTER * letters as f64;
        // When the evidence leads by more than whatlang's whole weight (and by the deciding
        // margin), whatlang's answer cannot change the language nor whether it is decided:
        // spare the call, the costliest step of the stage.
        let settled = top_two(&scores).is_some_and(|(_, lead)| lead > weight.max(EVIDENCE_MARGIN));
        let info = match known.filter(|i| self.evidence.langs().contains(&i.lang())) {
            Some(i) => Some(Info::new(i.script(), i.lang(), i.confidence())),
            // A short text in the pipeline is decided by its words or by the document: whatlang
            // would add little for its cost.
            None if short || settled => None,
            None => self.detector.detect(capped(text, DETECTOR_MAX_BYTES)),
        };
        if let Some(info) = &info {
            if let Some(i) = self.evidence.langs().iter().position(|&l| l == info.lang()) {
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
    /// whole text when it does not. `known` is whatlang's answer on the whole text, if the
    /// caller already asked.
    pub(super) fn analyse(&self, text: &str, known: Option<&Info>) -> TextLanguage {
        let ranges = sentence_ranges(text, self.evidence.abbreviations());
        if self.evidence.lexicon().is_some() {
            self.analyse_by_words(text, &ranges, known)
        } else {
            self.analyse_by_sentences(text, ranges, known)
        }
    }

    fn analyse_by_words(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        known: Option<&Info>,
    ) -> TextLanguage {
        let words = switching::words(text, sentences);
        let langs = self.evidence.langs();
        // Weigh every word once: its lexicon scores drive the path, and with its letters they
        // are the whole text's evidence.
        let mut emissions = vec![0.0; words.len() * langs.len()];
        let mut found = evidence::Found {
            scores: vec![0.0; langs.len()],
        };
        let mut letters = vec![0.0; langs.len()];
        // Spelling decides short texts; in the pipeline, texts too short to decide on their own
        // are left to their listed words or the document.
        let too_short =
            !self.config.guess_short_texts && letter_count(text) < self.config.min_letters;
        let spell = words.len() <= evidence::SPELLING_MAX_WORDS && !too_short;
        let mut lower = String::new();
        for (word, row) in words.iter().zip(emissions.chunks_mut(langs.len().max(1))) {
            lowercase_into(&text[word.range.clone()], &mut lower);
            self.evidence.weigh_word(&lower, row, &mut letters, spell);
            row.iter_mut().for_each(|e| *e *= word.weight());
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
        // The main language: the most evidence over the whole paragraph.
        let main = top_two(&found.scores).map_or(0, |(best, _)| best);
        let path = switching::best_path(&words, &emissions, langs.len(), main);
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
                return TextLanguage {
                    guess,
                    spans,
                    unknown: None,
                };
            }
        }
        self.whole(text, self.guess_with(text, found, known))
    }

    fn analyse_by_sentences(
        &self,
        text: &str,
        ranges: Vec<Range<usize>>,
        known: Option<&Info>,
    ) -> TextLanguage {
        let whole_guess = || self.guess_with(text, self.evidence.weigh(text), known);
        if ranges.len() <= 1 {
            return self.whole(text, whole_guess());
        }
        let guesses: Vec<Guess> = ranges
            .iter()
            .map(|r| self.guess(&text[r.clone()]))
            .collect();
        let Some(elected) = elect(text, &ranges, &guesses) else {
            // No sentence decided on its own: the whole text may be.
            return self.whole(text, whole_guess());
        };
        let spans = spans(&ranges, &guesses, elected.lang);
        if spans.len() > 1 {
            return TextLanguage {
                guess: elected,
                spans,
                unknown: None,
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
        TextLanguage {
            guess,
            spans,
            unknown: None,
        }
    }
}

/// `word` lowercased into `buffer`, as `str::to_lowercase` would, without allocating a string
/// per word. Only the Greek capital sigma lowercases by context (final `ς`): that case is left
/// to the standard library.
fn lowercase_into(word: &str, buffer: &mut String) {
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else if word.contains('Σ') {
        buffer.push_str(&word.to_lowercase());
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercasing_into_a_buffer_matches_the_standard_library() {
        let mut buffer = String::from("left over");
        for word in [
            "Été",
            "STRASSE",
            "İstanbul",
            "ΟΔΥΣΣΕΥΣ",
            "Σ",
            "ǅemal",
            "ﬁn",
            "",
            "Hello",
            "hello",
            "HELLO",
        ] {
            lowercase_into(word, &mut buffer);
            assert_eq!(buffer, word.to_lowercase(), "{word}");
        }
    }
}
