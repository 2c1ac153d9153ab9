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

/// How many built-in lexicons there are.
const LEXICON_COUNT: usize = 24;

/// The built-in lexicons, by ISO 639-1 code. A static, not a constant: each use of a constant
/// may carry its own copy of the 5.6 MB of lists into the binary.
static LEXICONS: [(&str, &str); LEXICON_COUNT] = [
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
/// The words of the [`INDEXED`] lists live in the shared [`WordIndex`] instead.
#[derive(Debug)]
struct Table {
    /// Position in [`LEXICONS`].
    list: usize,
    /// The words, for lists outside the shared index.
    words: Option<HashMap<&'static str, f32>>,
    /// The Zipf frequency an unlisted word counts as.
    unlisted: f32,
    spelling: Spelling,
}

/// The parsed lexicons, in [`LEXICONS`] order.
static TABLES: [OnceLock<Table>; LEXICON_COUNT] = [const { OnceLock::new() }; LEXICON_COUNT];

/// The lexicon of the language polyclean writes as `code`, parsed on first use.
fn table(code: &str) -> Option<&'static Table> {
    let i = LEXICONS.iter().position(|(c, _)| *c == code)?;
    Some(TABLES[i].get_or_init(|| {
        let words = parse(LEXICONS[i].1);
        let rarest = words.values().copied().fold(f32::MAX, f32::min);
        let spelling = Spelling::train(&words);
        Table {
            list: i,
            unlisted: rarest - UNLISTED_BELOW_RAREST,
            words: (i >= INDEXED).then_some(words),
            spelling,
        }
    }))
}

/// The first lists of [`LEXICONS`] (en fr es de it pt), met in most texts, share one index.
const INDEXED: usize = 6;

/// The words of the [`INDEXED`] lists in one hash table: a word is looked up once, not once
/// per language, and its postings say which lists hold it at what frequency (this runs for
/// every word of every paragraph). The other lists, used for a few close languages only, keep
/// their own tables.
#[derive(Debug)]
struct WordIndex {
    rows: HashMap<&'static str, u32>,
    /// Row `r`'s postings are `postings[starts[r]..starts[r + 1]]`.
    starts: Vec<u32>,
    /// `(list, Zipf frequency)`, lists ascending within a row.
    postings: Vec<(u8, f32)>,
}

static WORD_INDEX: OnceLock<WordIndex> = OnceLock::new();

impl WordIndex {
    fn get() -> &'static WordIndex {
        WORD_INDEX.get_or_init(|| {
            let lists: Vec<HashMap<&'static str, f32>> = LEXICONS[..INDEXED]
                .iter()
                .map(|(_, data)| parse(data))
                .collect();
            let mut rows: HashMap<&'static str, u32> = HashMap::default();
            let mut counts: Vec<u32> = Vec::new();
            for list in &lists {
                for word in list.keys() {
                    let next = counts.len() as u32;
                    let row = *rows.entry(word).or_insert(next) as usize;
                    if row == counts.len() {
                        counts.push(0);
                    }
                    counts[row] += 1;
                }
            }
            // Counting sort: each row's postings contiguous, in list order.
            let mut starts = Vec::with_capacity(counts.len() + 1);
            let mut total = 0u32;
            starts.push(0);
            for c in &counts {
                total += c;
                starts.push(total);
            }
            let mut fill: Vec<u32> = starts[..counts.len()].to_vec();
            let mut postings = vec![(0u8, 0f32); total as usize];
            for (i, list) in lists.iter().enumerate() {
                for (word, &zipf) in list {
                    let row = rows[word] as usize;
                    postings[fill[row] as usize] = (i as u8, zipf);
                    fill[row] += 1;
                }
            }
            WordIndex {
                rows,
                starts,
                postings,
            }
        })
    }

    /// The lists holding `word`, with its frequency in each.
    fn postings(&self, word: &str) -> &[(u8, f32)] {
        match self.rows.get(word) {
            Some(&row) => {
                let row = row as usize;
                &self.postings[self.starts[row] as usize..self.starts[row + 1] as usize]
            }
            None => &[],
        }
    }
}

/// Whether the language written `code` has a word lexicon.
pub fn has_lexicon(code: &str) -> bool {
    LEXICONS.iter().any(|(c, _)| *c == code)
}

/// The words of the language written `code` at least `min_zipf` frequent (none without a
/// lexicon): its most frequent words, to weigh against a list of another language's. Lists are
/// sorted by falling frequency (tested), so only their head is read.
pub fn frequent_words(code: &str, min_zipf: f32) -> Vec<&'static str> {
    let data = LEXICONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, d)| d);
    frequency_lines(data)
        .take_while(|(zipf, _)| *zipf >= min_zipf)
        .flat_map(|(_, words)| words.split(' ').filter(|w| !w.is_empty()))
        .collect()
}

/// The `(Zipf frequency, words)` lines of a list, comments skipped.
fn frequency_lines(data: &'static str) -> impl Iterator<Item = (f32, &'static str)> {
    data.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let (zipf, words) = line.split_once(' ')?;
            Some((zipf.parse::<f32>().ok()?, words))
        })
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
    /// With every candidate's list in the shared index: for each indexed list, its
    /// candidate's position plus one (0: not a candidate).
    slots: Option<[u8; INDEXED]>,
}

impl Lexicon {
    /// The lexicon of `langs`, or `None` when one of them has no word list.
    pub fn for_langs(langs: &[Lang]) -> Option<Lexicon> {
        let tables = langs
            .iter()
            .map(|&lang| table(output_code(lang)))
            .collect::<Option<Vec<_>>>()?;
        let slots = tables.iter().all(|t| t.list < INDEXED).then(|| {
            let mut slots = [0u8; INDEXED];
            for (k, t) in tables.iter().enumerate() {
                slots[t.list] = k as u8 + 1;
            }
            slots
        });
        Some(Lexicon { tables, slots })
    }

    /// Each candidate's value for (lowercase) `word` into `values`: its Zipf frequency, or the
    /// list's unlisted value. True when some candidate's list holds the word.
    fn lookup(&self, word: &str, values: &mut [f32]) -> bool {
        for (v, t) in values.iter_mut().zip(&self.tables) {
            *v = t.unlisted;
        }
        let mut listed = false;
        match &self.slots {
            Some(slots) => {
                for &(list, zipf) in WordIndex::get().postings(word) {
                    if let Some(k) = slots[list as usize].checked_sub(1) {
                        values[k as usize] = zipf;
                        listed = true;
                    }
                }
            }
            None => {
                let postings = WordIndex::get().postings(word);
                for (v, t) in values.iter_mut().zip(&self.tables) {
                    let zipf = match &t.words {
                        Some(words) => words.get(word).copied(),
                        None => postings
                            .iter()
                            .find(|(list, _)| *list as usize == t.list)
                            .map(|&(_, z)| z),
                    };
                    if let Some(z) = zipf {
                        *v = z;
                        listed = true;
                    }
                }
            }
        }
        listed
    }

    /// Add one (lowercase) word's evidence to `scores`, one per candidate.
    ///
    /// With `spell`, a word no list holds is judged by its spelling; without, it carries no
    /// evidence (cheaper, and in a text of many words the listed ones decide anyway).
    pub fn weigh_word(&self, word: &str, scores: &mut [f64], spell: bool) {
        // On the stack: this runs for every word of every paragraph.
        let mut values = [0f32; LEXICON_COUNT];
        let values = &mut values[..self.tables.len()];
        if self.lookup(word, values) {
            add_relative(scores, values, 1.0);
        } else if spell {
            for (v, t) in values.iter_mut().zip(&self.tables) {
                *v = t.spelling.log_prob(word);
            }
            add_relative(scores, values, SPELLING_WEIGHT);
        }
    }

    /// Count, per candidate, whether its list holds (lowercase) `word`.
    pub fn count_listed(&self, word: &str, counts: &mut [usize]) {
        let mut values = [0f32; LEXICON_COUNT];
        let values = &mut values[..self.tables.len()];
        if !self.lookup(word, values) {
            return;
        }
        for ((count, v), t) in counts.iter_mut().zip(values.iter()).zip(&self.tables) {
            // A listed word's value is never the unlisted one (that is below every word).
            *count += usize::from(*v != t.unlisted);
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
    fn lists_are_sorted_by_falling_frequency_so_their_head_is_their_frequent_words() {
        for (code, data) in LEXICONS {
            let zipfs: Vec<f32> = frequency_lines(data).map(|(z, _)| z).collect();
            assert!(zipfs.windows(2).all(|w| w[0] >= w[1]), "{code}");
        }
        let frequent = frequent_words("en", 7.0);
        assert!(frequent.contains(&"the") && !frequent.contains(&"although"));
        assert!(frequent_words("xx", 0.0).is_empty());
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
    fn the_shared_index_gives_what_each_list_says() {
        // Indexed lists (en fr es), and a mix with a list outside the index (nl).
        for langs in [
            vec![Lang::Fra, Lang::Eng, Lang::Spa],
            vec![Lang::Eng, Lang::Nld],
        ] {
            let lexicon = Lexicon::for_langs(&langs).expect("lexicons");
            let lists: Vec<HashMap<&str, f32>> = langs
                .iter()
                .map(|&l| {
                    let code = output_code(l);
                    parse(LEXICONS.iter().find(|(c, _)| *c == code).expect("list").1)
                })
                .collect();
            for word in ["de", "the", "que", "pourquoi", "although", "het", "zzzqx"] {
                let mut counts = vec![0usize; langs.len()];
                lexicon.count_listed(word, &mut counts);
                let held: Vec<usize> = lists
                    .iter()
                    .map(|l| usize::from(l.contains_key(word)))
                    .collect();
                assert_eq!(counts, held, "{word} in {langs:?}");
                let mut scores = vec![0.0; langs.len()];
                lexicon.weigh_word(word, &mut scores, false);
                let mut expected = vec![0.0; langs.len()];
                if held.contains(&1) {
                    let values: Vec<f32> = lists
                        .iter()
                        .zip(&lexicon.tables)
                        .map(|(l, t)| l.get(word).copied().unwrap_or(t.unlisted))
                        .collect();
                    add_relative(&mut expected, &values, 1.0);
                }
                assert_eq!(scores, expected, "{word} in {langs:?}");
            }
        }
    }

    #[test]
    fn no_lexicon_when_a_candidate_has_no_list() {
        assert!(Lexicon::for_langs(&[Lang::Fra, Lang::Afr]).is_none());
    }
}
