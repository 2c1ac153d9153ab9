//! Word-frequency lexicons (`rules/words/<lang>.txt`): how often each language uses a word.
//!
//! For short texts this is the strongest evidence there is: `the` is frequent in English and
//! absent from French; `pour` is frequent in French and rare elsewhere. A word scores, for each
//! candidate, its Zipf frequency there minus the best candidate's (0 for the language that uses
//! it most, negative for the others, never below [`MAX_PENALTY`]); a word missing from a list
//! counts as a little less than the list's rarest word. Summed over a text's words this is a log-likelihood ratio
//! between the candidates under a unigram model.
//!
//! In a short text (a few words), a word no list holds (a rare word, an inflection, a typo) is
//! scored instead by a character trigram model of each language, trained on the same lists:
//! `-ción` looks Spanish, `-ness` English, `-eux` French. Its evidence counts
//! [`SPELLING_WEIGHT`] as much, with the same floor. In longer texts the listed words decide and
//! the model is not consulted (it is the costliest part of the stage).
//!
//! Lexicons exist for en, fr, es, de, it and pt (whole lists), and for bg, ca, cs, da, hr, lt,
//! lv, mk, nb, nl, pl, ro, ru, sk, sl, sr, sv and uk (words down to Zipf 3.5), to separate
//! languages whatlang confuses. They are used only when every candidate language has one, since comparing
//! languages with a lexicon to languages without one would favour the former; each is parsed
//! on first use.

use std::collections::HashMap as StdHashMap;

/// Hash maps with a fast, non-cryptographic hasher: the keys are our own data, not input.
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::FixedState>;

use std::sync::OnceLock;

use whatlang::Lang;

use super::codes::output_code;

/// The built-in lexicons, by ISO 639-1 code.
const LEXICONS: &[(&str, &str)] = &[
    ("en", include_str!("../../rules/words/en.txt")),
    ("fr", include_str!("../../rules/words/fr.txt")),
    ("es", include_str!("../../rules/words/es.txt")),
    ("de", include_str!("../../rules/words/de.txt")),
    ("it", include_str!("../../rules/words/it.txt")),
    ("pt", include_str!("../../rules/words/pt.txt")),
    ("bg", include_str!("../../rules/words/bg.txt")),
    ("ca", include_str!("../../rules/words/ca.txt")),
    ("cs", include_str!("../../rules/words/cs.txt")),
    ("da", include_str!("../../rules/words/da.txt")),
    ("hr", include_str!("../../rules/words/hr.txt")),
    ("lt", include_str!("../../rules/words/lt.txt")),
    ("lv", include_str!("../../rules/words/lv.txt")),
    ("mk", include_str!("../../rules/words/mk.txt")),
    ("nb", include_str!("../../rules/words/nb.txt")),
    ("nl", include_str!("../../rules/words/nl.txt")),
    ("pl", include_str!("../../rules/words/pl.txt")),
    ("ro", include_str!("../../rules/words/ro.txt")),
    ("ru", include_str!("../../rules/words/ru.txt")),
    ("sk", include_str!("../../rules/words/sk.txt")),
    ("sl", include_str!("../../rules/words/sl.txt")),
    ("sr", include_str!("../../rules/words/sr.txt")),
    ("sv", include_str!("../../rules/words/sv.txt")),
    ("uk", include_str!("../../rules/words/uk.txt")),
];

/// A parsed lexicon with its spelling model, built on first use and shared by every analyser.
#[derive(Debug)]
struct Table {
    words: HashMap<&'static str, f32>,
    /// The Zipf frequency an unlisted word counts as.
    unlisted: f32,
    spelling: Spelling,
}

/// The parsed lexicons, in [`LEXICONS`] order.
static TABLES: [OnceLock<Table>; LEXICONS.len()] = [const { OnceLock::new() }; LEXICONS.len()];

/// The lexicon of the language polyclean writes as `code`, parsed on first use.
fn table(code: &str) -> Option<&'static Table> {
    let i = LEXICONS.iter().position(|(c, _)| *c == code)?;
    Some(TABLES[i].get_or_init(|| {
        let words = parse(LEXICONS[i].1);
        let rarest = words.values().copied().fold(f32::MAX, f32::min);
        let spelling = Spelling::train(&words);
        Table {
            unlisted: rarest - UNLISTED_BELOW_RAREST,
            words,
            spelling,
        }
    }))
}

/// Whether the language written `code` has a word lexicon.
pub fn has_lexicon(code: &str) -> bool {
    LEXICONS.iter().any(|(c, _)| *c == code)
}

/// How far below a list's rarest word an unlisted word counts: lists stop at different
/// frequencies (3.0 for the six main languages, 3.5 for the others), so a word missing from a
/// shorter list must not count as rarer than one missing from a longer list.
const UNLISTED_BELOW_RAREST: f32 = 1.0;
/// The most one word can count against a language.
const MAX_PENALTY: f32 = 3.0;

/// Weight of the spelling model's evidence for words no list holds.
const SPELLING_WEIGHT: f32 = 0.5;

/// Word frequencies of every candidate language, and their spelling models.
#[derive(Debug)]
pub struct Lexicon {
    tables: Vec<&'static Table>,
}

impl Lexicon {
    /// The lexicon of `langs`, or `None` when one of them has no word list.
    pub fn for_langs(langs: &[Lang]) -> Option<Lexicon> {
        let tables = langs
            .iter()
            .map(|&lang| table(output_code(lang)))
            .collect::<Option<Vec<_>>>()?;
        Some(Lexicon { tables })
    }

    /// Add one (lowercase) word's evidence to `scores`, one per candidate.
    ///
    /// With `spell`, a word no list holds is judged by its spelling; without, it carries no
    /// evidence (cheaper, and in a text of many words the listed ones decide anyway).
    pub fn weigh_word(&self, word: &str, scores: &mut [f64], spell: bool) {
        // On the stack: this runs for every word of every paragraph.
        let mut values = [0f32; LEXICONS.len()];
        let values = &mut values[..self.tables.len()];
        let mut listed = false;
        for (v, t) in values.iter_mut().zip(&self.tables) {
            *v = match t.words.get(word) {
                Some(&z) => {
                    listed = true;
                    z
                }
                None => t.unlisted,
            };
        }
        if listed {
            add_relative(scores, values, 1.0);
        } else if spell {
            for (v, t) in values.iter_mut().zip(&self.tables) {
                *v = t.spelling.log_prob(word);
            }
            add_relative(scores, values, SPELLING_WEIGHT);
        }
    }
}

impl Lexicon {
    /// Count, per candidate, whether its list holds (lowercase) `word`.
    pub fn count_listed(&self, word: &str, counts: &mut [usize]) {
        for (count, t) in counts.iter_mut().zip(&self.tables) {
            *count += usize::from(t.words.contains_key(word));
        }
    }
}

/// Add `weight ×` each value's distance to the best value (0 for the best, never below
/// `-MAX_PENALTY × weight`).
fn add_relative(scores: &mut [f64], values: &[f32], weight: f32) {
    let best = values.iter().copied().fold(f32::MIN, f32::max);
    for (score, v) in scores.iter_mut().zip(values) {
        *score += f64::from(weight * (v - best).max(-MAX_PENALTY));
    }
}

/// A character trigram model of one language's words (`<` and `>` mark the word's ends).
#[derive(Debug)]
struct Spelling {
    trigrams: HashMap<[char; 3], u32>,
    bigrams: HashMap<[char; 2], u32>,
}

impl Spelling {
    /// Count the trigrams of every word of a lexicon (each word once: spelling, not usage).
    fn train(table: &HashMap<&'static str, f32>) -> Spelling {
        let mut model = Spelling {
            trigrams: HashMap::default(),
            bigrams: HashMap::default(),
        };
        for word in table.keys() {
            for t in trigrams(word) {
                *model.trigrams.entry(t).or_default() += 1;
                *model.bigrams.entry([t[0], t[1]]).or_default() += 1;
            }
        }
        model
    }

    /// log10 P(word): each letter given the two before it, smoothed.
    fn log_prob(&self, word: &str) -> f32 {
        trigrams(word)
            .map(|t| {
                let n = self.trigrams.get(&t).copied().unwrap_or(0) as f32;
                let context = self.bigrams.get(&[t[0], t[1]]).copied().unwrap_or(0) as f32;
                ((n + 0.1) / (context + 4.0)).log10()
            })
            .sum()
    }
}

/// The character trigrams of `<word>`.
fn trigrams(word: &str) -> impl Iterator<Item = [char; 3]> + '_ {
    let mut chars = std::iter::once('<')
        .chain(word.chars())
        .chain(std::iter::once('>'));
    let mut window = [
        chars.next().unwrap_or('<'),
        chars.next().unwrap_or('>'),
        ' ',
    ];
    chars.map(move |c| {
        window[2] = c;
        let trigram = window;
        window = [window[1], c, ' '];
        trigram
    })
}

/// Parse `zipf word word…` lines; `#` lines are comments.
fn parse(data: &'static str) -> HashMap<&'static str, f32> {
    let mut table = HashMap::default();
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split(' ');
        let Some(Ok(zipf)) = fields.next().map(str::parse::<f32>) else {
            continue;
        };
        for word in fields.filter(|w| !w.is_empty()) {
            table.entry(word).or_insert(zipf);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigrams_include_the_word_ends() {
        let found: Vec<String> = trigrams("été").map(|t| t.iter().collect()).collect();
        assert_eq!(found, ["<ét", "été", "té>"]);
        assert_eq!(trigrams("a").count(), 1);
    }

    #[test]
    fn every_list_parses_into_thousands_of_words() {
        for (code, data) in LEXICONS {
            let table = parse(data);
            assert!(table.len() > 10_000, "{code}: {} words", table.len());
            assert!(table.keys().all(|w| w.chars().all(char::is_alphabetic)));
        }
    }

    #[test]
    fn frequent_words_point_to_their_language() {
        let lexicon = Lexicon::for_langs(&[Lang::Fra, Lang::Eng, Lang::Spa]).expect("lexicons");
        for (word, expected) in [("pourquoi", 0), ("although", 1), ("todavía", 2)] {
            let mut scores = vec![0.0; 3];
            lexicon.weigh_word(word, &mut scores, true);
            assert_eq!(scores[expected], 0.0, "{word}");
            assert!(
                scores.iter().filter(|&&s| s < -1.0).count() == 2,
                "{word}: {scores:?}"
            );
        }
    }

    #[test]
    fn unlisted_words_are_judged_by_their_spelling() {
        let lexicon = Lexicon::for_langs(&[Lang::Fra, Lang::Eng, Lang::Spa]).expect("lexicons");
        // Made-up words, in no list, spelled the way each language spells.
        for (word, expected) in [("glorbeuses", 0), ("flimberness", 1), ("zampación", 2)] {
            let mut scores = vec![0.0; 3];
            lexicon.weigh_word(word, &mut scores, true);
            let best = (0..3).max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
            assert_eq!(best, Some(expected), "{word}: {scores:?}");
        }
    }

    #[test]
    fn no_lexicon_when_a_candidate_has_no_list() {
        assert!(Lexicon::for_langs(&[Lang::Fra, Lang::Afr]).is_none());
    }
}
