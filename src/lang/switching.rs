//! Where a text switches language: a word-level Viterbi path over the candidate languages.
//!
//! Every word carries the lexicon's evidence for each candidate (`Lexicon::weigh_word`:
//! 0 for the language that uses it most, negative for the others); words no lexicon knows
//! (names, numbers, typos) carry none and follow their neighbours. Switching language costs
//! [`SWITCH_COST`] between two words of one sentence and [`SENTENCE_SWITCH_COST`] across a
//! sentence boundary, so a foreign sentence switches easily, a foreign fragment of one to three
//! words only on clear evidence, and an isolated ambiguous word never. The best path (highest
//! evidence minus switch costs) gives the language spans. This finds foreign sentences that
//! lack punctuation and fragments inside sentences, which per-sentence detection cannot.

use std::ops::Range;

/// Cost of switching language between two words of one sentence (in Zipf units: a word
/// must be over 10^1.5 ≈ 30 times more frequent in the other language to pay for a switch
/// and its return).
pub const SWITCH_COST: f64 = 1.5;
/// Cost of switching language at a sentence boundary.
pub const SENTENCE_SWITCH_COST: f64 = 0.5;
/// Cost of starting or ending the paragraph in another language than its main one: as for a
/// switch inside a sentence, so that a fragment at the very start or end of a paragraph needs
/// the same evidence as one in its middle (`Kim Jong-un said…` must not open with a Dutch
/// `Jong`).
pub const EDGE_COST: f64 = SENTENCE_SWITCH_COST;

/// How much a word that looks like part of a name counts: names (`Jong-un`, `Barcelona`) are
/// spelled the same in every language, whatever a lexicon says about the word.
pub const NAME_WEIGHT: f64 = 0.25;

/// A word of the text: its byte range and whether a sentence starts with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// True when a sentence boundary lies between this word and the previous one.
    pub starts_sentence: bool,
    /// Capitalised inside a sentence, or hyphenated onto such a word (`Kim Jong-un`).
    pub name_like: bool,
}

impl Word {
    /// The weight of this word's evidence.
    pub fn weight(&self) -> f64 {
        if self.name_like {
            NAME_WEIGHT
        } else {
            1.0
        }
    }
}

/// The words of `text` (runs of letters), marked where `sentences` (byte ranges) start.
pub fn words(text: &str, sentences: &[Range<usize>]) -> Vec<Word> {
    // About one word per six bytes of prose: sized once rather than grown by doubling.
    let mut words: Vec<Word> = Vec::with_capacity(text.len() / 6 + 1);
    let mut start = None;
    let mut sentence = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let mut starts_sentence = false;
                while sentence < sentences.len() && sentences[sentence].start <= s {
                    starts_sentence = !words.is_empty();
                    sentence += 1;
                }
                let capitalised = text[s..].chars().next().is_some_and(char::is_uppercase);
                let first = words.is_empty() || starts_sentence;
                let hyphenated_to_name = text[..s].ends_with('-')
                    && words.last().is_some_and(|w| {
                        w.range.end + 1 == s && (w.name_like || capitalised_at(text, w))
                    });
                words.push(Word {
                    range: s..i,
                    starts_sentence,
                    name_like: (capitalised && !first) || hyphenated_to_name,
                });
                start = None;
            }
            _ => {}
        }
    }
    words
}

fn capitalised_at(text: &str, word: &Word) -> bool {
    text[word.range.clone()]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// The best language (candidate index) of every word, given each word's evidence for each
/// of the `candidates` (`emissions`, one row per word) and the paragraph's `main` language
/// (the path pays [`EDGE_COST`] to start or end elsewhere); empty when there are no words.
pub fn best_path(words: &[Word], emissions: &[f64], candidates: usize, main: usize) -> Vec<usize> {
    if words.is_empty() || candidates == 0 {
        return Vec::new();
    }
    let edge = |k: usize| if k == main { 0.0 } else { EDGE_COST };
    let rows = emissions.chunks(candidates);
    let mut score = vec![0.0; candidates];
    let mut back: Vec<usize> = Vec::with_capacity(words.len() * candidates);
    for (n, (word, emission)) in words.iter().zip(rows).enumerate() {
        if n == 0 {
            for (k, s) in score.iter_mut().enumerate() {
                *s = emission[k] - edge(k);
            }
            back.extend(0..candidates);
            continue;
        }
        let cost = if word.starts_sentence {
            SENTENCE_SWITCH_COST
        } else {
            SWITCH_COST
        };
        let (leader, leader_score) = argmax(&score);
        for k in 0..candidates {
            // Stay in k, or switch from the best state.
            let (prev, best) = if score[k] >= leader_score - cost {
                (k, score[k])
            } else {
                (leader, leader_score - cost)
            };
            back.push(prev);
            score[k] = best + emission[k];
        }
    }
    for (k, s) in score.iter_mut().enumerate() {
        *s -= edge(k);
    }
    let (mut state, _) = argmax(&score);
    let mut path = vec![0; words.len()];
    for n in (0..words.len()).rev() {
        path[n] = state;
        state = back[n * candidates + state];
    }
    path
}

/// Index and value of the largest score (the first on ties).
fn argmax(scores: &[f64]) -> (usize, f64) {
    scores
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, s)| {
            if s > best.1 {
                (i, s)
            } else {
                best
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lexicon::Lexicon;
    use whatlang::Lang;

    fn path_langs(text: &str) -> Vec<(&str, Lang)> {
        path_langs_among(&[Lang::Fra, Lang::Eng, Lang::Spa], text)
    }

    fn path_langs_among<'t>(langs: &[Lang], text: &'t str) -> Vec<(&'t str, Lang)> {
        let lexicon = Lexicon::for_langs(langs).expect("lexicons");
        let sentences = std::iter::once(0..text.len()).collect::<Vec<_>>();
        let words = words(text, &sentences);
        let mut emissions = vec![0.0; words.len() * langs.len()];
        for (w, row) in words.iter().zip(emissions.chunks_mut(langs.len())) {
            lexicon.weigh_word(&text[w.range.clone()].to_lowercase(), row, false);
            row.iter_mut().for_each(|e| *e *= w.weight());
        }
        let main = (0..langs.len())
            .max_by(|&a, &b| {
                let total = |k: usize| emissions.iter().skip(k).step_by(langs.len()).sum::<f64>();
                total(a).total_cmp(&total(b))
            })
            .unwrap_or(0);
        let path = best_path(&words, &emissions, langs.len(), main);
        words
            .iter()
            .zip(path)
            .map(|(w, k)| (&text[w.range.clone()], langs[k]))
            .collect()
    }

    #[test]
    fn capitalised_words_inside_a_sentence_and_their_hyphenated_parts_look_like_names() {
        let text = "Hier, Kim Jong-un a parlé. Madrid dort.";
        let found = words(text, &[0..26, 27..39]);
        let names: Vec<&str> = found
            .iter()
            .filter(|w| w.name_like)
            .map(|w| &text[w.range.clone()])
            .collect();
        assert_eq!(names, ["Kim", "Jong", "un"]);
    }

    #[test]
    fn words_know_where_sentences_start() {
        let text = "Il pleut. It rains";
        let found = words(text, &[0..9, 10..18]);
        let starts: Vec<bool> = found.iter().map(|w| w.starts_sentence).collect();
        assert_eq!(starts, [false, false, true, false]);
        assert_eq!(&text[found[2].range.clone()], "It");
    }

    #[test]
    fn a_foreign_phrase_inside_a_sentence_gets_its_own_language() {
        let found = path_langs(
            "Le directeur a expliqué que le projet était, comme on dit, the best of both worlds pour la ville.",
        );
        let english: Vec<&str> = found
            .iter()
            .filter(|(_, l)| *l == Lang::Eng)
            .map(|(w, _)| *w)
            .collect();
        assert_eq!(english, ["the", "best", "of", "both", "worlds"]);
    }

    #[test]
    fn a_name_opening_a_paragraph_does_not_switch_it() {
        // "jong" is a frequent Dutch word; at the paragraph's start it is still a name.
        let found = path_langs_among(
            &[Lang::Eng, Lang::Nld, Lang::Ita],
            "Kim Jong-un responded with insults while his regime tested new missiles.",
        );
        assert!(found.iter().all(|(_, l)| *l == Lang::Eng), "{found:?}");
    }

    #[test]
    fn an_isolated_ambiguous_word_does_not_switch() {
        // "guide" and "stress" are common in French too.
        let found = path_langs("Le guide explique comment gérer le stress avant un examen.");
        assert!(found.iter().all(|(_, l)| *l == Lang::Fra), "{found:?}");
    }
}
