//! Evidence for short texts that whatlang's trigram statistics lack: function words and
//! letters, weighed against the run's candidate languages.
//!
//! A function word (from the `stop-words` crate) or a letter beyond a–z (from
//! `rules/languages.toml`) is evidence for every candidate that has it, shared among them: a
//! word only French has among French, English and Spanish counts fully for French; `de`,
//! shared by French and Spanish, counts half for each. A letter a candidate never writes
//! (`ñ` for French) counts against it. The same data splits sentences (abbreviations).
//!
//! Each kind of evidence is used only when every candidate has it (a function-word list,
//! known letters): otherwise it would favour the languages that have it. With all of
//! whatlang's languages as candidates, whatlang decides alone.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use whatlang::Lang;

use super::codes::{output_code, parse_code};
use super::lexicon::{has_lexicon, Lexicon};

/// Texts of at most this many words judge unlisted words by their spelling.
pub const SPELLING_MAX_WORDS: usize = 5;

/// The built-in per-language data.
const LANGUAGES_TOML: &str = include_str!("../../rules/languages.toml");

/// What `rules/languages.toml` holds for one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LanguageData {
    pub(super) letters: String,
    abbreviations: Vec<String>,
    #[serde(default)]
    close: Vec<String>,
    /// ISO 639-3 code, given for the languages whatlang does not know (`unknown.rs`).
    #[serde(default)]
    pub(super) iso_639_3: Option<String>,
}

/// The built-in per-language data, parsed once.
pub(super) fn language_data() -> &'static HashMap<String, LanguageData> {
    static DATA: OnceLock<HashMap<String, LanguageData>> = OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str(LANGUAGES_TOML).expect("rules/languages.toml is valid (tested)")
    })
}

/// The group a text whatlang assigns to `lang` is re-decided among: `lang` and its close
/// languages (`rules/languages.toml`). When `lang` has a word lexicon, only the close languages
/// that have one too (so the group keeps the strongest evidence); otherwise all of them (their
/// letters and function words still tell them apart). `None` for a group of one.
pub fn close_group(lang: Lang) -> Option<Vec<Lang>> {
    let code = output_code(lang);
    let with_lexicon = has_lexicon(code);
    let mut group = vec![lang];
    for close in &language_data().get(code)?.close {
        if let Some(other) = parse_code(close).filter(|_| !with_lexicon || has_lexicon(close)) {
            group.push(other);
        }
    }
    (group.len() > 1).then_some(group)
}

/// Function words and letters of the candidate languages, indexed for scoring.
#[derive(Debug)]
pub struct Evidence {
    /// The candidates, in the order scores are returned.
    langs: Vec<Lang>,
    /// Word frequencies, when every candidate has a lexicon (then function words are unused).
    lexicon: Option<Lexicon>,
    /// Lowercase function word → the candidates (indices) that have it.
    words: HashMap<String, Vec<usize>>,
    /// Letter beyond a–z → the candidates (indices) that write it.
    letters: HashMap<char, Vec<usize>>,
    /// Whether the letters of each candidate are known (unknown: no evidence against it).
    alphabet_known: Vec<bool>,
    /// Abbreviations of all candidates, for the sentence splitter.
    abbreviations: HashSet<String>,
}

/// Per-candidate evidence found in one text.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// For each candidate: function words (shared ones split) plus letters only it writes,
    /// minus letters it never writes.
    pub scores: Vec<f64>,
}

impl Evidence {
    /// Index the built-in data for `langs`.
    pub fn new(langs: &[Lang]) -> Self {
        let data = language_data();
        let mut evidence = Evidence {
            langs: langs.to_vec(),
            lexicon: Lexicon::for_langs(langs),
            words: HashMap::new(),
            letters: HashMap::new(),
            alphabet_known: vec![false; langs.len()],
            abbreviations: HashSet::new(),
        };
        let data_of = |lang: Lang| data.get(output_code(lang));
        // Evidence some candidates lack would favour the others: each kind is used only when
        // every candidate has it.
        let all_have_words = langs
            .iter()
            .all(|&l| !function_words(output_code(l)).is_empty());
        let all_have_letters = langs.iter().all(|&l| data_of(l).is_some());
        for (i, &lang) in langs.iter().enumerate() {
            if all_have_words && evidence.lexicon.is_none() {
                for word in function_words(output_code(lang)) {
                    let holders = evidence.words.entry(word.to_lowercase()).or_default();
                    if holders.last() != Some(&i) {
                        holders.push(i);
                    }
                }
            }
            let Some(known) = data_of(lang) else {
                continue;
            };
            evidence
                .abbreviations
                .extend(known.abbreviations.iter().cloned());
            if all_have_letters {
                evidence.alphabet_known[i] = true;
                for c in known.letters.chars() {
                    evidence.letters.entry(c).or_default().push(i);
                }
            }
        }
        evidence
    }

    /// The candidates scores refer to.
    pub fn langs(&self) -> &[Lang] {
        &self.langs
    }

    /// The word-frequency lexicon, when every candidate has one.
    pub fn lexicon(&self) -> Option<&Lexicon> {
        self.lexicon.as_ref()
    }

    /// Abbreviations of the candidate languages (lowercase, no final period).
    pub fn abbreviations(&self) -> &HashSet<String> {
        &self.abbreviations
    }

    /// True when no kind of evidence applies to these candidates (whatlang decides alone).
    pub fn is_empty(&self) -> bool {
        self.lexicon.is_none() && self.words.is_empty() && self.letters.is_empty()
    }

    /// Weigh the words and letters of `text` for every candidate.
    pub fn weigh(&self, text: &str) -> Found {
        let mut found = Found {
            scores: vec![0.0; self.langs.len()],
        };
        if self.is_empty() {
            return found;
        }
        let mut letters = vec![0.0; self.langs.len()];
        let all: Vec<Cow<str>> = words(text).collect();
        let spell = all.len() <= SPELLING_MAX_WORDS;
        for word in &all {
            self.weigh_word(word, &mut found.scores, &mut letters, spell);
        }
        for (score, l) in found.scores.iter_mut().zip(letters) {
            *score += l;
        }
        found
    }

    /// Add one lowercase word's evidence: its words evidence (lexicon or function words) to
    /// `lexical`, its letters' to `letters`, one score per candidate.
    /// `spell`: judge words no lexicon lists by their spelling (for short texts, see
    /// [`SPELLING_MAX_WORDS`]).
    pub fn weigh_word(&self, word: &str, lexical: &mut [f64], letters: &mut [f64], spell: bool) {
        if let Some(lexicon) = &self.lexicon {
            lexicon.weigh_word(word, lexical, spell);
        } else if let Some(holders) = self.words.get(word) {
            share(lexical, holders, 1.0);
        }
        // Extended Latin letters are never ASCII: most words have none to look for.
        if !self.letters.is_empty() && !word.is_ascii() {
            for c in word.chars().filter(|&c| is_extended_latin(c)) {
                self.weigh_letter(c, letters);
            }
        }
    }

    fn weigh_letter(&self, c: char, scores: &mut [f64]) {
        let holders = self.letters.get(&c).map_or(&[][..], Vec::as_slice);
        share(scores, holders, 1.0);
        for (i, score) in scores.iter_mut().enumerate() {
            if self.alphabet_known[i] && !holders.contains(&i) {
                *score -= 1.0;
            }
        }
    }
}

/// Add `weight` split evenly among `holders`.
fn share(scores: &mut [f64], holders: &[usize], weight: f64) {
    if holders.is_empty() {
        return;
    }
    let each = weight / holders.len() as f64;
    for &i in holders {
        scores[i] += each;
    }
}

/// The lowercase words of `text`: runs of letters (apostrophes and hyphens split words, so
/// `l'homme` gives `l` and `homme`). Words already lowercase ASCII are borrowed, not copied.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes().all(|b| b.is_ascii_lowercase()) {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
}

/// The function words of a language, by the code polyclean outputs for it.
pub(super) fn function_words(code: &str) -> &'static [&'static str] {
    let code = match code {
        "nb" => "no",
        other => other,
    };
    stop_words::lookup(code).unwrap_or(&[])
}

/// Latin letters beyond a–z (accented letters, ß, æ, ə…), the ones alphabets disagree on.
pub(super) fn is_extended_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{0250}'..='\u{02AF}' | '\u{1E00}'..='\u{1EFF}')
        && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr_en_es() -> Evidence {
        Evidence::new(&[Lang::Fra, Lang::Eng, Lang::Spa])
    }

    fn best(evidence: &Evidence, text: &str) -> Lang {
        let found = evidence.weigh(text);
        let (i, _) = found
            .scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("candidates");
        evidence.langs()[i]
    }

    #[test]
    fn the_languages_file_parses_and_covers_the_main_languages() {
        let data: HashMap<String, LanguageData> =
            toml::from_str(LANGUAGES_TOML).expect("valid TOML");
        for code in ["en", "fr", "es", "de", "it", "pt"] {
            assert!(data.contains_key(code), "{code} missing");
        }
    }

    #[test]
    fn close_languages_form_groups() {
        let group = close_group(Lang::Dan).expect("a group");
        assert_eq!(group[0], Lang::Dan);
        assert!(group.contains(&Lang::Nob) && group.contains(&Lang::Swe));
        // Afrikaans has no lexicon: its group keeps Dutch, told apart without lexicons.
        assert_eq!(close_group(Lang::Afr), Some(vec![Lang::Afr, Lang::Nld]));
        // Dutch has one: its group leaves Afrikaans out.
        assert!(!close_group(Lang::Nld)
            .expect("a group")
            .contains(&Lang::Afr));
        // A language without close languages has no group.
        assert!(close_group(Lang::Kor).is_none());
        for (code, data) in language_data() {
            for close in &data.close {
                assert!(
                    parse_code(close).is_some(),
                    "{code}: unknown close language {close}"
                );
            }
        }
    }

    #[test]
    fn function_words_decide_short_phrases() {
        let ev = fr_en_es();
        assert_eq!(best(&ev, "with the"), Lang::Eng);
        assert_eq!(best(&ev, "avec les"), Lang::Fra);
        assert_eq!(best(&ev, "aunque los"), Lang::Spa);
    }

    #[test]
    fn exclusive_letters_count_for_and_against() {
        let ev = fr_en_es();
        assert_eq!(best(&ev, "mañana"), Lang::Spa);
        assert_eq!(best(&ev, "garçon"), Lang::Fra);
        let found = ev.weigh("mañana");
        assert!(found.scores[0] < 0.0 && found.scores[1] < 0.0);
    }

    #[test]
    fn words_split_on_apostrophes_and_lowercase() {
        let words: Vec<String> = words("L'homme d'État, 2024 été ÉTÉ")
            .map(Cow::into_owned)
            .collect();
        assert_eq!(words, ["l", "homme", "d", "état", "été", "été"]);
    }
}
