//! Languages whatlang does not know (Welsh, for one), described in data: an entry in
//! `rules/languages.toml` with an `iso_639_3` code, and a hand-written list of its function
//! words and very frequent words (`rules/words/<code>.txt`, registered in [`WORD_LISTS`]).
//!
//! whatlang labels such a text with the nearest language it knows. Before asking it, a text is
//! checked against each of these languages: it is labelled with one when enough of its words
//! are in that language's list and clearly more of them than in any known language's frequent
//! words (its `stop-words` function words and, where it has a word lexicon, its words of Zipf
//! 5 and above). A word with a letter only that language writes (`ŵ`, `ŷ` for Welsh) counts for
//! it; a word with a letter it never writes counts against it. Anything less clear is left to
//! the usual analysis, unchanged. The check runs only with all languages as candidates.

use std::borrow::Cow;
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};

/// Hash tables with a fast, non-cryptographic hasher: the keys are our own data, not input.
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::FixedState>;
type HashSet<K> = StdHashSet<K, foldhash::fast::FixedState>;

use whatlang::Lang;

use super::codes::output_code;
use super::evidence::{self, function_words, is_extended_latin, language_data};
use super::lexicon::frequent_words;

/// The word lists of the languages whatlang does not know, by code (`rules/languages.toml`).
const WORD_LISTS: &[(&str, &str)] = &[("cy", include_str!("../../rules/words/cy.txt"))];

/// Words looked at: enough to settle the question on any paragraph.
const MAX_WORDS: usize = 48;
/// Fewer words than this and the text is left to the usual analysis.
const MIN_WORDS: usize = 3;
/// The share of the words the language's list must hold.
const MIN_SHARE: f64 = 0.3;
/// How many more words than the best known language's lists the language's list must hold,
/// at least, and as a share of the words.
const MIN_LEAD: usize = 2;
const MIN_LEAD_SHARE: f64 = 0.2;
/// Known languages' words at least this frequent (Zipf) compete with a language's list.
const COMPETING_ZIPF: f32 = 5.0;

/// A language whatlang does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownLang {
    /// The code polyclean writes (ISO 639-1 where one exists): `cy`.
    pub code: &'static str,
    /// ISO 639-3, for `--iso-639-3`: `cym`.
    pub iso_639_3: &'static str,
}

/// One language's data, indexed.
#[derive(Debug)]
struct Described {
    lang: UnknownLang,
    words: HashSet<&'static str>,
    /// Letters it writes beyond a–z.
    letters: HashSet<char>,
    /// Letters beyond a–z that it alone writes.
    own_letters: HashSet<char>,
}

/// The languages whatlang does not know, and the frequent words of those it does.
#[derive(Debug)]
pub struct Unknown {
    langs: Vec<Described>,
    /// Lowercase word → the known languages (bits, in `Lang::all()` order: 69 of them, tested
    /// to fit) that use it often.
    competing: HashMap<&'static str, u128>,
}

/// One language as data: the form tests use to define a language of their own.
pub struct Description {
    /// Its codes.
    pub lang: UnknownLang,
    /// Its word list (`rules/words/<code>.txt` format).
    pub words: &'static str,
    /// Letters beyond a–z that it writes.
    pub letters: &'static str,
}

impl Unknown {
    /// The built-in languages: every `rules/languages.toml` entry with an `iso_639_3` code
    /// whatlang does not know. `None` when there is none.
    pub fn builtin() -> Option<Unknown> {
        let mut described = Vec::new();
        for (code, data) in language_data() {
            let Some(iso) = data.iso_639_3.as_deref() else {
                continue;
            };
            if Lang::from_code(iso).is_some() {
                continue; // whatlang knows it
            }
            let Some((code, words)) = WORD_LISTS.iter().find(|(c, _)| c == code) else {
                continue; // tested: every such entry has a list
            };
            described.push(Description {
                lang: UnknownLang {
                    code,
                    iso_639_3: iso,
                },
                words,
                letters: &data.letters,
            });
        }
        described.sort_by_key(|d| d.lang.code);
        (!described.is_empty()).then(|| Unknown::new(described))
    }

    /// Index `langs` against the frequent words of every language whatlang knows.
    pub fn new(langs: Vec<Description>) -> Unknown {
        let known_letters: HashSet<char> = language_data()
            .iter()
            .filter(|(code, data)| {
                data.iso_639_3
                    .as_deref()
                    .is_none_or(|iso| Lang::from_code(iso).is_some())
                    && !langs.iter().any(|d| d.lang.code == code.as_str())
            })
            .flat_map(|(_, data)| data.letters.chars())
            .collect();
        let langs = langs
            .into_iter()
            .map(|d| {
                let letters: HashSet<char> = d.letters.chars().collect();
                Described {
                    lang: d.lang,
                    words: parse(d.words),
                    own_letters: letters
                        .iter()
                        .copied()
                        .filter(|c| !known_letters.contains(c))
                        .collect(),
                    letters,
                }
            })
            .collect();
        let mut competing: HashMap<&'static str, u128> = HashMap::default();
        for (bit, &lang) in Lang::all().iter().enumerate() {
            let code = output_code(lang);
            let words = function_words(code)
                .iter()
                .copied()
                // One-letter words of the frequency lists are mostly pieces of contractions
                // (`I'm`, `don't`) and abbreviations; the function-word lists say which are words.
                .chain(
                    frequent_words(code, COMPETING_ZIPF)
                        .into_iter()
                        .filter(|w| w.chars().nth(1).is_some()),
                );
            for word in words {
                *competing.entry(word).or_default() |= 1 << bit;
            }
        }
        Unknown { langs, competing }
    }

    /// The language whatlang does not know that `text` is clearly in, with a confidence.
    pub fn detect(&self, text: &str) -> Option<(UnknownLang, f64)> {
        // Each word once: a repeated name or menu item (`Pam Pam Pam`) is one piece of
        // evidence, not three.
        let mut words: Vec<Cow<str>> = tokens(text).take(MAX_WORDS).collect();
        words.sort_unstable();
        words.dedup();
        if words.len() < MIN_WORDS {
            return None;
        }
        // Most texts fail here, after one lookup per word.
        let (lang, own) = self
            .langs
            .iter()
            .map(|l| (l, words.iter().filter(|w| l.holds(w)).count()))
            .max_by_key(|&(_, n)| n)?;
        if (own as f64) < MIN_SHARE * words.len() as f64 {
            return None;
        }
        let mut known = [0usize; 128];
        let mut foreign = 0;
        for word in &words {
            if lang.is_foreign(word) {
                foreign += 1;
            } else if let Some(&bits) = self.competing.get(word.trim_start_matches('\'')) {
                for (bit, n) in known.iter_mut().enumerate() {
                    *n += usize::from(bits & (1 << bit) != 0);
                }
            }
        }
        let rival = known.iter().copied().max().unwrap_or(0).max(foreign);
        let lead = own.saturating_sub(rival);
        let clear = lead >= MIN_LEAD && lead as f64 >= MIN_LEAD_SHARE * words.len() as f64;
        clear.then(|| (lang.lang, super::round(1.0 - (-(lead as f64)).exp())))
    }
}

/// The output code of the language whatlang does not know written `code` (`cy` or `cym`, any
/// case), if it is one of the built-in ones.
pub fn unknown_code(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    language_data()
        .iter()
        .filter(|(_, data)| {
            data.iso_639_3
                .as_deref()
                .is_some_and(|iso| Lang::from_code(iso).is_none())
        })
        .find(|(key, data)| **key == code || data.iso_639_3.as_deref() == Some(code.as_str()))
        .map(|(key, _)| key.as_str())
}

impl Described {
    /// Whether (lowercase) `word` is evidence for this language.
    fn holds(&self, word: &str) -> bool {
        self.words.contains(word) || word.chars().any(|c| self.own_letters.contains(&c))
    }

    /// Whether `word` has a letter beyond a–z this language never writes.
    fn is_foreign(&self, word: &str) -> bool {
        !word.is_ascii()
            && word
                .chars()
                .any(|c| is_extended_latin(c) && !self.letters.contains(&c))
    }
}

/// The lowercase words of `text`, as [`evidence::words`] gives them, except that a part
/// written after an apostrophe inside a word keeps it (`mae'r` gives `mae` and `'r`; `don’t`,
/// `don` and `'t`): clitics are among a language's most frequent words, and a bare `r` or `n` is
/// noise in every frequency list.
fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    let is_apostrophe = |c: char| c == '\'' || c == '’';
    text.split(move |c: char| !c.is_alphabetic() && !is_apostrophe(c))
        .flat_map(move |run| {
            let mut attached = false;
            run.split(is_apostrophe).filter_map(move |part| {
                let clitic = std::mem::replace(&mut attached, !part.is_empty());
                (!part.is_empty()).then(|| {
                    let lower = evidence::words(part).next().unwrap_or_default();
                    if clitic {
                        Cow::Owned(format!("'{lower}"))
                    } else {
                        lower
                    }
                })
            })
        })
}

/// The words of a list: whitespace-separated, `#` lines are comments.
fn parse(data: &'static str) -> HashSet<&'static str> {
    data.lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn welsh() -> Unknown {
        Unknown::builtin().expect("Welsh is built in")
    }

    fn code(unknown: &Unknown, text: &str) -> Option<&'static str> {
        unknown.detect(text).map(|(lang, _)| lang.code)
    }

    #[test]
    fn welsh_sentences_are_welsh() {
        let cy = welsh();
        for text in [
            "Mae'r plant yn chwarae yn yr ardd bob prynhawn ar ôl yr ysgol.",
            "Roedd hi'n bwrw glaw drwy'r dydd, felly arhoson ni yn y tŷ.",
            "Bydd y cyngor yn cyfarfod nos Fawrth i drafod y cynllun newydd.",
            "Dw i ddim yn gwybod pam wnaeth e adael mor gynnar.",
            "Ganwyd hi yng Nghaerdydd ac mae hi'n byw yno o hyd gyda'i theulu.",
        ] {
            assert_eq!(code(&cy, text), Some("cy"), "{text}");
        }
        let found = cy
            .detect("Mae'r plant yn chwarae yn yr ardd.")
            .expect("Welsh");
        assert_eq!(found.0.iso_639_3, "cym");
        assert!(found.1 > 0.9, "{found:?}");
    }

    #[test]
    fn sentences_sharing_short_words_with_welsh_are_not_welsh() {
        let cy = welsh();
        for text in [
            "I am in a car.",
            "I am at a loss, and so is she.",
            "Y a la casa de mi madre fui yo ayer.",
            "Ni una palabra más, y a la cama.",
            "Il y a un an, je ne savais pas.",
            "Do you want to go to the park with me?",
            "A o e i u são vogais em português.",
            "W domu nie ma nikogo, a my jesteśmy tu.",
            "Ada yang ingin dia katakan dan ini penting.",
        ] {
            assert_eq!(code(&cy, text), None, "{text}");
        }
        // Too few words to say.
        assert_eq!(code(&cy, "yn y"), None);
    }

    #[test]
    fn a_letter_only_the_language_writes_counts_for_it() {
        let cy = welsh();
        // `dŵr` and `tŷ` are in no list, but `ŵ` and `ŷ` are Welsh letters alone.
        assert_eq!(code(&cy, "Dŵr oer yn y tŷ"), Some("cy"));
        // A letter Welsh never writes counts against it.
        assert_eq!(code(&cy, "yn y ñoño ñandú"), None);
    }

    #[test]
    fn a_language_defined_only_in_data_is_detected() {
        // A made-up language, written by this test alone.
        let toy = Unknown::new(vec![Description {
            lang: UnknownLang {
                code: "tq",
                iso_639_3: "tqq",
            },
            words: "# toy words\nzo ka blin\nmur vek",
            letters: "ꝑ",
        }]);
        assert_eq!(
            toy.detect("zo blin mur ka vek").map(|(l, _)| l),
            Some(UnknownLang {
                code: "tq",
                iso_639_3: "tqq"
            })
        );
        let lang_of = |text: &str| toy.detect(text).map(|(lang, _)| lang.code);
        // Its own letter counts for it.
        assert_eq!(lang_of("ꝑorl ꝑand zo"), Some("tq"));
        assert_eq!(lang_of("the cat is on the mat"), None);
        // Its words among as many English function words: not clear enough.
        assert_eq!(lang_of("zo the ka of blin and"), None);
    }

    #[test]
    fn clitics_after_an_apostrophe_keep_it() {
        let found: Vec<Cow<str>> = tokens("Mae'r Plant, don’t say 'quoted' o'r tŷ").collect();
        assert_eq!(
            found,
            ["mae", "'r", "plant", "don", "'t", "say", "quoted", "o", "'r", "tŷ"]
        );
    }

    #[test]
    fn every_known_language_has_a_bit() {
        assert!(Lang::all().len() <= u128::BITS as usize);
    }

    #[test]
    fn codes_of_languages_whatlang_lacks_parse_in_both_forms() {
        assert_eq!(unknown_code("cy"), Some("cy"));
        assert_eq!(unknown_code(" CYM "), Some("cy"));
        assert_eq!(unknown_code("fr"), None, "whatlang knows French");
        assert_eq!(unknown_code("xx"), None);
    }

    #[test]
    fn every_language_whatlang_lacks_has_a_word_list_and_back() {
        for (code, data) in language_data() {
            let unknown = data
                .iso_639_3
                .as_deref()
                .is_some_and(|iso| Lang::from_code(iso).is_none());
            let listed = WORD_LISTS.iter().any(|(c, _)| c == code);
            assert_eq!(unknown, listed, "{code}");
        }
        for (code, data) in WORD_LISTS {
            let words = parse(data);
            assert!(words.len() > 100, "{code}: {} words", words.len());
            for word in words {
                let bare = word.strip_prefix('\'').unwrap_or(word);
                assert!(
                    bare.chars().all(char::is_alphabetic) && word.to_lowercase() == word,
                    "{code}: {word} is not one lowercase word"
                );
            }
        }
    }
}
