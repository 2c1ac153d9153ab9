//! The content classifier: a logistic score from text features of each paragraph and its
//! neighbours, smoothed along the document with a two-state Viterbi pass so that short lines
//! take the class of the block they sit in (headings and list items inside an article stay,
//! menu lines around it go). Lexicon hits are fixed as boilerplate before the pass and never
//! change: `Publicité` between two good paragraphs is still an ad.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::RuleError;
use crate::document::{Document, UNDETERMINED};

/// The built-in classifier settings, compiled in.
pub const BUILTIN: &str = include_str!("../../rules/classifier.toml");

/// Paragraphs shorter than this (in characters) count as short, for `short_run`.
const SHORT_CHARS: usize = 50;
/// A paragraph at least this long that ends like a sentence anchors the content zone.
const CONTENT_ANCHOR_CHARS: usize = 150;
/// Fewest words for a paragraph to count as a sentence next to content.
const SENTENCE_MIN_WORDS: usize = 6;
/// Longest paragraph (in characters) that can be a heading.
const HEADING_MAX_CHARS: usize = 150;
/// Distance used when a document has no content anchor at all.
const NO_ANCHOR_DISTANCE: f64 = 50.0;
/// Anchors at most this many paragraphs apart belong to one content block.
const MAIN_BLOCK_GAP: usize = 3;
/// Number of features.
const N_FEATURES: usize = 19;

/// Settings of the classifier, from `rules/classifier.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifierConfig {
    /// Added to every score: raise to keep more, lower to drop more.
    pub bias: f64,
    /// Cost of switching class between two consecutive paragraphs.
    pub switch_cost: f64,
    /// Documents with fewer paragraphs are not judged (everything stays content).
    pub min_paragraphs: usize,
    /// The model's intercept.
    pub intercept: f64,
    /// One weight per feature.
    pub weights: Weights,
}

impl ClassifierConfig {
    /// The built-in settings (`rules/classifier.toml`).
    pub fn builtin() -> Result<ClassifierConfig, RuleError> {
        toml::from_str(BUILTIN).map_err(|e| RuleError::Parse {
            path: "rules/classifier.toml".into(),
            message: e.to_string(),
        })
    }
}

/// The weight of each feature (see `rules/classifier.toml` for their definitions).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Weights {
    pub length: f64,
    pub stopword_density: f64,
    pub no_stopword_list: f64,
    pub terminal_punctuation: f64,
    pub sentences: f64,
    pub digit_share: f64,
    pub title_case_share: f64,
    pub has_url: f64,
    pub ends_with_colon: f64,
    pub position: f64,
    pub words: f64,
    pub short_run: f64,
    pub neighbour_length: f64,
    pub neighbour_stopwords: f64,
    pub distance_to_content: f64,
    pub before_content: f64,
    pub after_content: f64,
    pub relative_length: f64,
    pub after_main_block: f64,
}

/// Feature names, in the order of [`Features::values`].
pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "length",
    "stopword_density",
    "no_stopword_list",
    "terminal_punctuation",
    "sentences",
    "digit_share",
    "title_case_share",
    "has_url",
    "ends_with_colon",
    "position",
    "words",
    "short_run",
    "neighbour_length",
    "neighbour_stopwords",
    "distance_to_content",
    "before_content",
    "after_content",
    "relative_length",
    "after_main_block",
];

impl Weights {
    fn values(&self) -> [f64; N_FEATURES] {
        [
            self.length,
            self.stopword_density,
            self.no_stopword_list,
            self.terminal_punctuation,
            self.sentences,
            self.digit_share,
            self.title_case_share,
            self.has_url,
            self.ends_with_colon,
            self.position,
            self.words,
            self.short_run,
            self.neighbour_length,
            self.neighbour_stopwords,
            self.distance_to_content,
            self.before_content,
            self.after_content,
            self.relative_length,
            self.after_main_block,
        ]
    }
}

/// The features of one paragraph, in the order of [`FEATURE_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// Feature values.
    pub values: [f64; N_FEATURES],
}

/// One paragraph's verdict from the classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// True when the paragraph ends up in a content block.
    pub content: bool,
    /// The paragraph's own score (positive leans to content).
    pub score: f64,
    /// Human-readable evidence: the score and the features that weighed most against content.
    pub evidence: String,
}

static TERMINAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[.!?…]["»”’)\]]*$"#).expect("valid"));
static SENTENCE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[.!?…]["»”’)]*\s+\S"#).expect("valid"));
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://|www\.|\S+@\S+\.\w+").expect("valid"));

/// The classifier: settings plus the stop-word lists of every language, built once.
pub struct Classifier {
    config: ClassifierConfig,
    stopwords: HashMap<&'static str, HashSet<&'static str>>,
}

/// Per-paragraph measurements that the document-level features are computed from.
struct Measure {
    chars: usize,
    length: f64,
    density: f64,
    terminal: bool,
    words: usize,
    titled: usize,
    has_stopword_list: bool,
}

impl Classifier {
    /// The classifier with the built-in settings.
    pub fn builtin() -> Result<Classifier, RuleError> {
        Ok(Classifier::new(ClassifierConfig::builtin()?))
    }

    /// A classifier with `config`.
    pub fn new(config: ClassifierConfig) -> Classifier {
        let stopwords = stop_words::available_languages()
            .iter()
            .filter_map(|&code| Some((code, stop_words::lookup(code)?.iter().copied().collect())))
            .collect();
        Classifier { config, stopwords }
    }

    /// Judge every paragraph of `doc`. `fixed[i]` marks paragraphs already dropped by a rule:
    /// they are boilerplate whatever their score. `prior` is the language used for paragraphs
    /// whose own language is undecided.
    pub fn judge(&self, doc: &Document, fixed: &[bool], prior: Option<&str>) -> Vec<Judgement> {
        if doc.paragraphs.len() < self.config.min_paragraphs {
            let evidence = format!(
                "classifier: fewer than {} paragraphs, not judged",
                self.config.min_paragraphs
            );
            return fixed
                .iter()
                .map(|&f| Judgement {
                    content: !f,
                    score: 0.0,
                    evidence: evidence.clone(),
                })
                .collect();
        }
        let features = self.features(doc, fixed, prior);
        let weights = self.config.weights.values();
        let contributions: Vec<[f64; N_FEATURES]> = features
            .iter()
            .map(|f| std::array::from_fn(|k| f.values[k] * weights[k]))
            .collect();
        let scores: Vec<f64> = contributions
            .iter()
            .map(|c| self.config.intercept + self.config.bias + c.iter().sum::<f64>())
            .collect();
        // Paragraphs a rule already dropped are transparent to the sequence: they are gone
        // whatever happens, and must not pull their neighbours into a boilerplate block.
        let open: Vec<usize> = (0..scores.len()).filter(|&i| !fixed[i]).collect();
        let open_scores: Vec<f64> = open.iter().map(|&i| scores[i]).collect();
        let mut states = vec![false; scores.len()];
        let mut promotions = vec![false; scores.len()];
        let open_states = viterbi(
            &open_scores,
            &vec![false; open.len()],
            self.config.switch_cost,
        );
        let texts: Vec<&str> = open
            .iter()
            .map(|&i| doc.paragraphs[i].text.as_str())
            .collect();
        let footer: Vec<bool> = open
            .iter()
            .map(|&i| features[i].values[18] == 1.0)
            .collect();
        let promoted = promote(&texts, &open_states, &footer);
        for (k, &i) in open.iter().enumerate() {
            states[i] = open_states[k] || promoted[k];
            promotions[i] = promoted[k];
        }
        (0..scores.len())
            .map(|i| {
                let mut evidence = self.evidence(scores[i], states[i], &contributions[i]);
                if promotions[i] {
                    evidence.push_str("; kept as a heading or sentence next to content");
                }
                Judgement {
                    content: states[i],
                    score: scores[i],
                    evidence,
                }
            })
            .collect()
    }

    fn evidence(&self, score: f64, content: bool, contribution: &[f64; N_FEATURES]) -> String {
        let mut order: Vec<usize> = (0..N_FEATURES).collect();
        order.sort_by(|&a, &b| contribution[a].total_cmp(&contribution[b]));
        let against: Vec<String> = order
            .iter()
            .take(3)
            .filter(|&&k| contribution[k] < 0.0)
            .map(|&k| format!("{} {:+.2}", FEATURE_NAMES[k], contribution[k]))
            .collect();
        let block = match (score >= 0.0, content) {
            (false, false) => "below 0",
            (true, false) => "at least 0 but inside a boilerplate block",
            (false, true) => "below 0 but inside a content block",
            (true, true) => "at least 0",
        };
        format!(
            "classifier: score {score:+.2} {block} (switch cost {}); most against: {}",
            self.config.switch_cost,
            if against.is_empty() {
                "none".to_string()
            } else {
                against.join(", ")
            }
        )
    }

    /// The features of every paragraph of `doc`.
    pub fn features(&self, doc: &Document, fixed: &[bool], prior: Option<&str>) -> Vec<Features> {
        let measures: Vec<Measure> = doc
            .paragraphs
            .iter()
            .map(|p| self.measure(&p.text, &p.lang.code, prior))
            .collect();
        let n = measures.len();
        let anchors: Vec<usize> = (0..n)
            .filter(|&i| {
                !fixed[i] && measures[i].chars >= CONTENT_ANCHOR_CHARS && measures[i].terminal
            })
            .collect();
        let runs = short_runs(&measures);
        // Lengths are compared with the document's longest surviving paragraph: a 200-character
        // paragraph is the article on a page of captions, a footer line on a page of essays.
        let longest = (0..n)
            .filter(|&i| !fixed[i])
            .map(|i| measures[i].length)
            .fold(None, |m: Option<f64>, l| Some(m.map_or(l, |m| m.max(l))))
            .unwrap_or(0.0);
        let main_end = main_block_end(&anchors, &measures);
        doc.paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let own = self.own_features(&p.text, &measures[i]);
                let window: Vec<&Measure> = (i.saturating_sub(2)..(i + 3).min(n))
                    .filter(|&j| j != i)
                    .map(|j| &measures[j])
                    .collect();
                let mean = |f: fn(&Measure) -> f64| {
                    if window.is_empty() {
                        0.0
                    } else {
                        window.iter().map(|m| f(m)).sum::<f64>() / window.len() as f64
                    }
                };
                let distance = anchors
                    .iter()
                    .map(|&a| a.abs_diff(i) as f64)
                    .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))));
                let before = anchors.first().is_some_and(|&a| i < a);
                let after = anchors.last().is_some_and(|&a| i > a);
                let mut values = own;
                values[9] = i as f64 / (n.saturating_sub(1)).max(1) as f64;
                values[11] = (runs[i] as f64).ln_1p();
                values[12] = mean(|m| m.length);
                values[13] = mean(|m| m.density);
                values[14] = distance.unwrap_or(NO_ANCHOR_DISTANCE).ln_1p();
                values[15] = flag(before);
                values[16] = flag(after);
                values[17] = measures[i].length - longest;
                values[18] = flag(main_end.is_some_and(|end| i > end));
                Features { values }
            })
            .collect()
    }

    fn stopword_list(&self, lang: &str, prior: Option<&str>) -> Option<&HashSet<&'static str>> {
        let lang = if lang == UNDETERMINED { prior? } else { lang };
        self.stopwords.get(lang)
    }

    /// Everything the features need from one paragraph, computed in one pass over its words.
    fn measure(&self, text: &str, lang: &str, prior: Option<&str>) -> Measure {
        let chars = text.chars().count();
        let words: Vec<&str> = words(text).collect();
        let list = self.stopword_list(lang, prior);
        Measure {
            chars,
            length: (chars as f64).ln_1p(),
            density: self.density(&words, list),
            terminal: TERMINAL.is_match(text),
            words: words.len(),
            titled: words
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count(),
            has_stopword_list: list.is_some(),
        }
    }

    fn density(&self, words: &[&str], list: Option<&HashSet<&'static str>>) -> f64 {
        match list {
            Some(list) if !words.is_empty() => {
                words
                    .iter()
                    .filter(|w| list.contains(w.to_lowercase().as_str()))
                    .count() as f64
                    / words.len() as f64
            }
            _ => 0.0,
        }
    }

    /// The features that depend on the paragraph alone; context slots are left at 0.
    fn own_features(&self, text: &str, m: &Measure) -> [f64; N_FEATURES] {
        let n_words = m.words.max(1) as f64;
        let digits = text.chars().filter(|c| c.is_numeric()).count() as f64;
        let mut v = [0.0; N_FEATURES];
        v[0] = m.length;
        v[1] = m.density;
        v[2] = flag(!m.has_stopword_list);
        v[3] = flag(m.terminal);
        v[4] = (SENTENCE_BREAK.find_iter(text).count() as f64).ln_1p();
        v[5] = digits / (m.chars.max(1) as f64);
        v[6] = if m.words == 0 {
            0.0
        } else {
            m.titled as f64 / n_words
        };
        v[7] = flag(URL.is_match(text));
        v[8] = flag(text.ends_with(':'));
        v[10] = (m.words as f64).ln_1p();
        v
    }
}

/// Paragraphs to keep although the sequence put them in boilerplate: first every full sentence
/// next to content (a closing quote, a short last paragraph), looking past headings in between,
/// unless it is in the `footer` zone (after the main content block), where sentences are as
/// often the site talking about itself ("write to the editors") and menu lines would otherwise
/// let them reach back to the article; then every heading right before content (including
/// content kept by the first step).
fn promote(texts: &[&str], states: &[bool], footer: &[bool]) -> Vec<bool> {
    let n = texts.len();
    let mut content = states.to_vec();
    let mut promoted = vec![false; n];
    for k in (0..n).filter(|&k| !states[k] && !footer[k] && is_sentence(texts[k])) {
        let before = (0..k)
            .rev()
            .find(|&j| !is_heading(texts[j]))
            .is_some_and(|j| states[j]);
        let after = (k + 1..n)
            .find(|&j| !is_heading(texts[j]))
            .is_some_and(|j| states[j]);
        if before || after {
            content[k] = true;
            promoted[k] = true;
        }
    }
    for k in (0..n).filter(|&k| !content[k] && is_heading(texts[k])) {
        if content.get(k + 1) == Some(&true) {
            promoted[k] = true;
        }
    }
    promoted
}

/// A sentence: ends with sentence punctuation and has at least [`SENTENCE_MIN_WORDS`] words.
fn is_sentence(text: &str) -> bool {
    TERMINAL.is_match(text) && words(text).count() >= SENTENCE_MIN_WORDS
}

/// A heading: short, and not ending like a sentence (a question or a colon is fine).
fn is_heading(text: &str) -> bool {
    text.chars().count() <= HEADING_MAX_CHARS && !text.ends_with(['.', '!', '…', ';', ','])
}

fn flag(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Words: runs of letters, digits and underscores.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The last paragraph of the document's main content block: anchors (long paragraphs that end
/// like a sentence) at most [`MAIN_BLOCK_GAP`] paragraphs apart form a block, and the block with
/// the most characters is the article (the first one on a tie). What follows it is the footer
/// zone even when a stray anchor (an "about us" blurb, a long teaser) comes later; `None`
/// without anchors.
fn main_block_end(anchors: &[usize], measures: &[Measure]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None; // (characters, last anchor)
    let mut start = 0;
    for k in 1..=anchors.len() {
        if k == anchors.len() || anchors[k] - anchors[k - 1] > MAIN_BLOCK_GAP {
            let chars = anchors[start..k].iter().map(|&a| measures[a].chars).sum();
            if best.is_none_or(|(most, _)| chars > most) {
                best = Some((chars, anchors[k - 1]));
            }
            start = k;
        }
    }
    best.map(|(_, end)| end)
}

/// For each paragraph, the length of the run of consecutive short paragraphs it belongs to
/// (0 when it is not short).
fn short_runs(measures: &[Measure]) -> Vec<usize> {
    let mut runs = vec![0; measures.len()];
    let mut i = 0;
    while i < measures.len() {
        if measures[i].chars >= SHORT_CHARS {
            i += 1;
            continue;
        }
        let end = (i..measures.len())
            .find(|&j| measures[j].chars >= SHORT_CHARS)
            .unwrap_or(measures.len());
        runs[i..end].iter_mut().for_each(|r| *r = end - i);
        i = end;
    }
    runs
}

/// The most likely content/boilerplate sequence: each paragraph earns `+score/2` as content
/// and `-score/2` as boilerplate, each change of state costs `switch_cost`, and `fixed`
/// paragraphs can only be boilerplate. Returns `true` for content.
fn viterbi(scores: &[f64], fixed: &[bool], switch_cost: f64) -> Vec<bool> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let emit = |i: usize, content: bool| -> f64 {
        match (fixed[i], content) {
            (true, true) => f64::NEG_INFINITY,
            (true, false) => 0.0,
            (false, true) => scores[i] / 2.0,
            (false, false) => -scores[i] / 2.0,
        }
    };
    // value[s] is the best total ending in state s (0 = boilerplate, 1 = content).
    let mut value = [emit(0, false), emit(0, true)];
    let mut back: Vec<[usize; 2]> = vec![[0, 0]; n];
    for (i, back_i) in back.iter_mut().enumerate().skip(1) {
        let mut next = [0.0; 2];
        for s in 0..2 {
            let stay = value[s];
            let switch = value[1 - s] - switch_cost;
            let (best, from) = if stay >= switch {
                (stay, s)
            } else {
                (switch, 1 - s)
            };
            next[s] = best + emit(i, s == 1);
            back_i[s] = from;
        }
        value = next;
    }
    let mut state = if value[0] > value[1] { 0 } else { 1 };
    let mut states = vec![false; n];
    for i in (0..n).rev() {
        states[i] = state == 1;
        state = back[i][state];
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_settings_parse() {
        assert!(Classifier::builtin().is_ok());
    }

    #[test]
    fn viterbi_follows_strong_scores() {
        assert_eq!(
            viterbi(&[5.0, -5.0, 5.0], &[false; 3], 1.0),
            [true, false, true]
        );
    }

    #[test]
    fn viterbi_lets_a_weak_line_take_its_block() {
        // A slightly negative heading between two content paragraphs stays content…
        assert_eq!(
            viterbi(&[4.0, -0.5, 4.0], &[false; 3], 1.0),
            [true, true, true]
        );
        // …and a slightly positive line inside a menu goes with the menu.
        assert_eq!(
            viterbi(&[-4.0, 0.5, -4.0], &[false; 3], 1.0),
            [false, false, false]
        );
    }

    #[test]
    fn viterbi_never_keeps_a_fixed_paragraph() {
        assert_eq!(
            viterbi(&[4.0, 9.0, 4.0], &[false, true, false], 1.0),
            [true, false, true]
        );
    }

    fn document(lang: &str, texts: &[&str]) -> Document {
        let mut doc = Document::new("d", "test", texts.join("\n\n"));
        doc.paragraphs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut p = crate::document::Paragraph::new(i, 0, 0, t.to_string());
                p.lang.code = lang.to_string();
                p
            })
            .collect();
        doc
    }

    const ARTICLE_EN: [&str; 4] = [
        "The city council voted on Tuesday evening to turn three streets of the old town into \
         cycling lanes, after two years of consultations with shopkeepers and residents.",
        "Supporters say the change will make the centre safer for children walking to school, \
         while several traders worry that their customers will no longer find a place to park.",
        "The works are expected to start in the spring and to last about four months, during \
         which buses will use the northern ring road instead of the market square.",
        "A final vote on the budget is planned for the next meeting of the council in May.",
    ];
    const FOOTER_EN: &str = "The Riverside Courier is an independent local newspaper founded \
         in 1921. We cover politics, culture and sport in the valley, and our readers can write \
         to the editors at any time.";

    /// Menu, headline, article, a row of links, then the site's self-description.
    fn page_en() -> Document {
        let mut texts = vec!["Home", "Local", "Sport", "Culture"];
        texts.push("Council approves cycling lanes in the old town");
        texts.extend(ARTICLE_EN);
        texts.extend([
            "Weather",
            "Events",
            "Obituaries",
            "Jobs",
            FOOTER_EN,
            "Contact",
        ]);
        document("en", &texts)
    }

    fn measures(chars: &[usize]) -> Vec<Measure> {
        chars
            .iter()
            .map(|&chars| Measure {
                chars,
                length: (chars as f64).ln_1p(),
                density: 0.0,
                terminal: true,
                words: 0,
                titled: 0,
                has_stopword_list: true,
            })
            .collect()
    }

    #[test]
    fn main_block_is_the_run_of_anchors_with_most_text() {
        let m = measures(&[300; 20]);
        // Anchors 2, 3, 6 form one block (gaps of at most 3), 12 and 13 another.
        assert_eq!(main_block_end(&[2, 3, 6, 12, 13], &m), Some(6));
        // A later block with more text wins…
        assert_eq!(main_block_end(&[2, 8, 9, 10], &m), Some(10));
        // …on a tie the first block is the article.
        assert_eq!(main_block_end(&[2, 3, 9, 10], &m), Some(3));
        assert_eq!(main_block_end(&[], &m), None);
        let uneven = measures(&[300, 300, 300, 300, 2000]);
        assert_eq!(main_block_end(&[0, 4], &uneven), Some(4));
    }

    #[test]
    fn footer_zone_starts_after_the_main_block() {
        let doc = page_en();
        let classifier = Classifier::builtin().unwrap();
        let fixed = vec![false; doc.paragraphs.len()];
        let f = classifier.features(&doc, &fixed, None);
        let after: Vec<f64> = f.iter().map(|f| f.values[18]).collect();
        // The last long paragraph of the article is 7; the footer blurb (13) is an anchor too,
        // but four paragraphs further on, so it is a block of its own and a smaller one.
        assert_eq!(after[..8], [0.0; 8]);
        assert_eq!(after[8..], [1.0; 7]);
        // Relative length: 0 for the longest paragraph, negative for the others.
        let relative: Vec<f64> = f.iter().map(|f| f.values[17]).collect();
        let longest = relative.iter().position(|&r| r == 0.0).unwrap();
        assert_eq!(doc.paragraphs[longest].text, FOOTER_EN);
        assert!(relative.iter().all(|&r| r <= 0.0));
        assert!(relative[0] < relative[5] && relative[5] < relative[6]);
    }

    #[test]
    fn footer_prose_after_the_article_is_dropped_the_article_kept() {
        let doc = page_en();
        let classifier = Classifier::builtin().unwrap();
        let judged = classifier.judge(&doc, &vec![false; doc.paragraphs.len()], None);
        let kept: Vec<bool> = judged.iter().map(|j| j.content).collect();
        // The headline and the article stay (the menu line right above the headline is kept
        // as a heading before content, a known limit); the link row and the site's
        // self-description after the article go, although the latter is full sentences.
        assert_eq!(kept[4..9], [true; 5], "{judged:#?}");
        assert_eq!(kept[9..], [false; 6], "{judged:#?}");
        assert!(judged[13].evidence.contains("after_main_block"));
    }

    #[test]
    fn an_article_interrupted_by_short_lines_stays_whole() {
        // A photo caption and a pull quote inside a French article: still one block, the
        // paragraphs after them are not a footer.
        let texts = [
            "Accueil",
            "Actualités",
            "Région",
            "La rénovation du vieux pont commencera en mars",
            "Les travaux de rénovation du vieux pont de la ville commenceront au mois de mars, \
             a annoncé le maire lors de la séance du conseil municipal de jeudi soir.",
            "Le chantier doit durer un an et coûter près de quatre millions d'euros, dont la \
             moitié sera prise en charge par la région et par l'État.",
            "Le vieux pont, en 1910.",
            "« Nous n'avions plus le choix »",
            "Selon les ingénieurs, plusieurs piles présentent des fissures qui rendent une \
             intervention nécessaire avant l'hiver prochain, faute de quoi il faudrait fermer le pont.",
            "Pendant les travaux, une passerelle provisoire sera installée pour les piétons et \
             les cyclistes, tandis que les voitures devront faire un détour par le nord.",
            "Les riverains seront informés lors d'une réunion publique le 12 février.",
        ];
        let doc = document("fr", &texts);
        let classifier = Classifier::builtin().unwrap();
        let fixed = vec![false; texts.len()];
        let f = classifier.features(&doc, &fixed, None);
        // Up to the last long paragraph nothing is after the main block; the short closing
        // sentence is (as it is after the last anchor), and is kept as a sentence next to content.
        assert!(f[..10].iter().all(|f| f.values[18] == 0.0));
        let judged = classifier.judge(&doc, &fixed, None);
        let kept: Vec<bool> = judged.iter().map(|j| j.content).collect();
        assert_eq!(kept[3..], [true; 8], "{judged:#?}");
    }

    #[test]
    fn short_runs_measure_menus() {
        let m = |chars| Measure {
            chars,
            length: 0.0,
            density: 0.0,
            terminal: false,
            words: 0,
            titled: 0,
            has_stopword_list: true,
        };
        assert_eq!(short_runs(&[m(10), m(12), m(200), m(5)]), [2, 2, 0, 1]);
    }
}
