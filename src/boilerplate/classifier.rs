//! The content classifier: a logistic score from text features of each paragraph and its
//! neighbours, smoothed along the document with a two-state Viterbi pass so that short lines
//! take the class of the block they sit in (headings and list items inside an article stay,
//! menu lines around it go). Lexicon hits are fixed as boilerplate before the pass and never
//! change: `Publicité` between two good paragraphs is still an ad. Last, the blocks of kept
//! paragraphs that lie apart from the article with little sentence text are dropped
//! ([`super::main_block`]).

use std::collections::{HashMap, HashSet};

/// A stop-word list. Looked up for every word of every paragraph and never iterated, so a
/// fast non-keyed hasher (the one the word lexicons use) replaces SipHash.
type StopWords = HashSet<&'static str, foldhash::fast::FixedState>;
type Vocabulary = HashSet<String, foldhash::fast::FixedState>;
/// Per language, every word that is a stop word there or boilerplate vocabulary there (its own
/// or the language-independent one), with which: one lookup per word instead of three.
type WordClasses = HashMap<String, u8, foldhash::fast::FixedState>;
/// [`WordClasses`] flag: a stop word of the language.
const STOP: u8 = 1;
/// [`WordClasses`] flag: boilerplate vocabulary of the language or of every language.
const LISTED: u8 = 2;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::main_block::{self, Block, BlockSettings, SentenceText};
use super::{MatchKind, RuleError, RuleFile, RuleSet};
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
    /// Dropped paragraphs in a row that separate two blocks of kept paragraphs.
    pub block_gap: usize,
    /// Blocks with less sentence weight than this share of the main block's are dropped…
    pub block_share: f64,
    /// …unless they hold at least this many characters of sentences.
    pub block_keep_chars: usize,
    /// Sentence-like paragraphs shorter than this count in their block's sentence weight by
    /// the share of it they fill (a 150-character one as 75 with 300); 0 counts every one in
    /// full.
    pub block_full_chars: usize,
    /// Sentences and headings are promoted next to content only within the main block and
    /// this many paragraphs around it.
    pub promotion_reach: usize,
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
    pub prose_before: f64,
    pub prose_after: f64,
    pub boilerplate_vocabulary: f64,
    pub log_index: f64,
    pub log_remaining: f64,
    pub log_paragraphs: f64,
    pub relative_length: f64,
}

/// How many features the model has.
pub const FEATURE_COUNT: usize = 24;

/// Feature names, in the order of [`Features::values`].
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
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
    "prose_before",
    "prose_after",
    "boilerplate_vocabulary",
    "log_index",
    "log_remaining",
    "log_paragraphs",
    "relative_length",
];

impl Weights {
    fn values(&self) -> [f64; FEATURE_COUNT] {
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
            self.prose_before,
            self.prose_after,
            self.boilerplate_vocabulary,
            self.log_index,
            self.log_remaining,
            self.log_paragraphs,
            self.relative_length,
        ]
    }
}

/// The features of one paragraph, in the order of [`FEATURE_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// Feature values.
    pub values: [f64; FEATURE_COUNT],
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

/// The classifier: settings plus the stop-word lists of every language and the boilerplate
/// vocabulary of the lexicons, built once.
pub struct Classifier {
    config: ClassifierConfig,
    /// The languages that have a stop-word list (their words are in `classes`).
    stop_listed: HashSet<&'static str>,
    /// Per language, its stop words and its boilerplate vocabulary (see [`WordClasses`]); `*`
    /// holds the language-independent vocabulary alone, for languages with neither. The
    /// vocabulary: words of the lexicon phrases (regex rules aside), per rule-file language
    /// (`*` for the language-independent files), without that language's stop words:
    /// "newsletter", "abonnieren", "commentaire"… A paragraph made of them talks about the
    /// page, not the article, even when no phrase matches whole.
    classes: HashMap<String, WordClasses>,
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
    /// Share of the words that belong to the boilerplate vocabulary.
    vocabulary: f64,
    /// Weight of the paragraph in the document's prose: characters × (0.5 + stop-word
    /// density) for a sentence-like paragraph no rule dropped, 0 otherwise.
    prose: f64,
}

impl Measure {
    /// What a sentence-like paragraph (what [`is_sentence`] says) adds to its block's
    /// sentence text; nothing for other paragraphs.
    fn sentence_text(&self, full_chars: usize) -> SentenceText {
        if self.terminal && self.words >= SENTENCE_MIN_WORDS {
            SentenceText::of(self.chars, full_chars)
        } else {
            SentenceText::default()
        }
    }
}

impl Classifier {
    /// The classifier with the built-in settings and the built-in rules' vocabulary.
    pub fn builtin() -> Result<Classifier, RuleError> {
        let rules = RuleSet::compile(&RuleFile::builtin_named()?, &[])?;
        Ok(Classifier::new(ClassifierConfig::builtin()?, &rules))
    }

    /// A classifier with `config`, whose boilerplate vocabulary comes from `rules` (user
    /// lexicon entries included, rules switched off excluded).
    pub fn new(config: ClassifierConfig, rules: &RuleSet) -> Classifier {
        let stopwords: HashMap<&'static str, StopWords> = stop_words::available_languages()
            .iter()
            .filter_map(|&code| Some((code, stop_words::lookup(code)?.iter().copied().collect())))
            .collect();
        let mut vocabulary: HashMap<String, Vocabulary> = HashMap::new();
        for compiled in rules.rules() {
            if compiled.rule.kind == MatchKind::Regex {
                continue;
            }
            let stop = stopwords.get(compiled.lang.as_str());
            let known = vocabulary.entry(compiled.lang.clone()).or_default();
            for phrase in &compiled.rule.phrases {
                let lower = phrase.to_lowercase();
                let fresh = words(&lower)
                    .filter(|w| !stop.is_some_and(|s| s.contains(w)))
                    .map(str::to_string);
                known.extend(fresh);
            }
        }
        let classes = word_classes(&stopwords, &vocabulary);
        Classifier {
            config,
            stop_listed: stopwords.into_keys().collect(),
            classes,
        }
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
        let measures = self.measures(doc, fixed, prior);
        let features = self.features_of(doc, fixed, &measures);
        let weights = self.config.weights.values();
        let contributions: Vec<[f64; FEATURE_COUNT]> = features
            .iter()
            .map(|f| std::array::from_fn(|k| f.values[k] * weights[k]))
            .collect();
        let scores: Vec<f64> = contributions
            .iter()
            .map(|c| self.config.intercept + self.config.bias + c.iter().sum::<f64>())
            .collect();
        // Evidence names what sets a paragraph apart from the others of its document: the
        // document's size, say, weighs the same on all of them and explains none.
        let average: [f64; FEATURE_COUNT] = std::array::from_fn(|k| {
            contributions.iter().map(|c| c[k]).sum::<f64>() / contributions.len().max(1) as f64
        });
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
        for (k, &i) in open.iter().enumerate() {
            states[i] = open_states[k];
        }
        let settings = self.block_settings();
        let sentence_text: Vec<SentenceText> = measures
            .iter()
            .map(|m| m.sentence_text(settings.full_chars))
            .collect();
        let texts: Vec<&str> = open
            .iter()
            .map(|&i| doc.paragraphs[i].text.as_str())
            .collect();
        let promoted = promote(&texts, &open_states);
        self.promote_near_main_block(&open, &promoted, &sentence_text, &mut states);
        for (k, &i) in open.iter().enumerate() {
            promotions[i] = promoted[k] && states[i];
        }
        let (main, minor) = Self::drop_minor_blocks(&sentence_text, settings, &mut states);
        let switch_cost = self.config.switch_cost.to_string();
        (0..scores.len())
            .map(|i| {
                let relative: [f64; FEATURE_COUNT] =
                    std::array::from_fn(|k| contributions[i][k] - average[k]);
                if let (Some(block), Some(main)) = (minor[i], main) {
                    return Judgement {
                        content: false,
                        score: scores[i],
                        evidence: Self::minor_block_evidence(scores[i], block, main, settings),
                    };
                }
                let mut evidence = Self::evidence(scores[i], states[i], &relative, &switch_cost);
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

    /// Keep the `promoted` open paragraphs that lie near the main block of `states` (indices of
    /// `promoted` are positions in `open`).
    ///
    /// Promotion is for the article's own short sentences and headings: near the main block
    /// only, so a sentence next to a kept teaser in the footer stays out. Reach is counted in
    /// open paragraphs (rule drops are transparent) and grows with each sentence promoted after
    /// the block, so a run of closing sentences is kept whole; a promoted heading does not move
    /// it, so it cannot carry promotion over to an author box after a share bar.
    fn promote_near_main_block(
        &self,
        open: &[usize],
        promoted: &[bool],
        sentence_text: &[SentenceText],
        states: &mut [bool],
    ) {
        let blocks = main_block::blocks(states, sentence_text, self.config.block_gap);
        let Some(main) = main_block::main_block(&blocks) else {
            return;
        };
        let reach = self.config.promotion_reach;
        let position = |i: usize| open.binary_search(&i).unwrap_or_else(|k| k);
        let first = position(main.first).saturating_sub(reach);
        let mut last = position(main.last).saturating_add(reach);
        for (k, &i) in open.iter().enumerate() {
            if promoted[k] && (first..=last).contains(&k) {
                states[i] = true;
                if sentence_text[i].chars > 0 {
                    last = last.max(k.saturating_add(reach));
                }
            }
        }
    }

    /// Drop the kept paragraphs of the blocks apart from the main block (see [`main_block`]);
    /// returns the main block and, per paragraph so dropped, its block.
    fn drop_minor_blocks(
        sentence_text: &[SentenceText],
        settings: BlockSettings,
        states: &mut [bool],
    ) -> (Option<Block>, Vec<Option<Block>>) {
        let mut minor = vec![None; states.len()];
        let blocks = main_block::blocks(states, sentence_text, settings.gap);
        let Some(main) = main_block::main_block(&blocks) else {
            return (None, minor);
        };
        for block in main_block::minor_blocks(&blocks, main, settings) {
            for i in block.first..=block.last {
                minor[i] = states[i].then_some(block);
                states[i] = false;
            }
        }
        (Some(main), minor)
    }

    /// The settings of the main-block step.
    fn block_settings(&self) -> BlockSettings {
        BlockSettings {
            gap: self.config.block_gap,
            share: self.config.block_share,
            keep_chars: self.config.block_keep_chars,
            full_chars: self.config.block_full_chars,
        }
    }

    /// Why a paragraph the score kept was dropped with its block.
    fn minor_block_evidence(score: f64, block: Block, main: Block, s: BlockSettings) -> String {
        let mut evidence = format!(
            "classifier: apart from the main block (¶{}–{}, sentence weight {}): its block \
             ¶{}–{} weighs {}, under {:.0} % of that, with {} characters of sentences, under \
             {}; score ",
            main.first,
            main.last,
            main.text.weight,
            block.first,
            block.last,
            block.text.weight,
            s.share * 100.0,
            block.text.chars,
            s.keep_chars,
        );
        push_hundredths(&mut evidence, score);
        evidence
    }

    /// `contribution`: each feature's weighted value minus its document average;
    /// `switch_cost`: the configured switch cost, formatted once per document.
    ///
    /// Written into one string (no string per feature, no vector of indices): this runs for
    /// every paragraph of every judged document.
    fn evidence(
        score: f64,
        content: bool,
        contribution: &[f64; FEATURE_COUNT],
        switch_cost: &str,
    ) -> String {
        use std::fmt::Write;
        let order = three_smallest(contribution);
        let block = match (score >= 0.0, content) {
            (false, false) => "below 0",
            (true, false) => "at least 0 but inside a boilerplate block",
            (false, true) => "below 0 but inside a content block",
            (true, true) => "at least 0",
        };
        let mut evidence = String::with_capacity(224);
        // Writing to a String cannot fail.
        evidence.push_str("classifier: score ");
        push_hundredths(&mut evidence, score);
        let _ = write!(
            evidence,
            " {block} (switch cost {switch_cost}); most against \
             (vs. the document's average paragraph): "
        );
        let mut against = order.iter().filter(|&&k| contribution[k] < 0.0).peekable();
        if against.peek().is_none() {
            evidence.push_str("none");
        }
        for (n, &k) in against.enumerate() {
            if n > 0 {
                evidence.push_str(", ");
            }
            evidence.push_str(FEATURE_NAMES[k]);
            evidence.push(' ');
            push_hundredths(&mut evidence, contribution[k]);
        }
        evidence
    }

    /// The features of every paragraph of `doc`.
    pub fn features(&self, doc: &Document, fixed: &[bool], prior: Option<&str>) -> Vec<Features> {
        self.features_of(doc, fixed, &self.measures(doc, fixed, prior))
    }

    /// The per-paragraph measurements the features are computed from.
    fn measures(&self, doc: &Document, fixed: &[bool], prior: Option<&str>) -> Vec<Measure> {
        doc.paragraphs
            .iter()
            .zip(fixed)
            .map(|(p, &f)| self.measure(&p.text, &p.lang.code, prior, f))
            .collect()
    }

    /// The features of every paragraph of `doc`, from its `measures`.
    fn features_of(&self, doc: &Document, fixed: &[bool], measures: &[Measure]) -> Vec<Features> {
        let n = measures.len();
        let anchors: Vec<usize> = (0..n)
            .filter(|&i| {
                !fixed[i] && measures[i].chars >= CONTENT_ANCHOR_CHARS && measures[i].terminal
            })
            .collect();
        let runs = short_runs(measures);
        let prose = prose_shares(measures);
        let longest = measures.iter().map(|m| m.chars).max().unwrap_or(0).max(1) as f64;
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
                values[17] = prose[i].0;
                values[18] = prose[i].1;
                values[19] = measures[i].vocabulary;
                values[20] = (i as f64).ln_1p();
                values[21] = ((n - 1 - i) as f64).ln_1p();
                values[22] = (n as f64).ln_1p();
                values[23] = measures[i].chars as f64 / longest;
                Features { values }
            })
            .collect()
    }

    /// The language whose lists apply to a paragraph: its own, or `prior` when undecided.
    fn resolve<'a>(lang: &'a str, prior: Option<&'a str>) -> Option<&'a str> {
        if lang == UNDETERMINED {
            prior
        } else {
            Some(lang)
        }
    }

    /// Everything the features need from one paragraph, computed in one pass over its words.
    /// `fixed` paragraphs (dropped by a rule) weigh nothing in the document's prose.
    fn measure(&self, text: &str, lang: &str, prior: Option<&str>, fixed: bool) -> Measure {
        let chars = text.chars().count();
        let words: Vec<&str> = words(text).collect();
        let lang = Self::resolve(lang, prior);
        let has_stopword_list = lang.is_some_and(|l| self.stop_listed.contains(l));
        let classes = lang
            .and_then(|l| self.classes.get(l))
            .or_else(|| self.classes.get("*"));
        let (mut stop, mut listed) = (0usize, 0usize);
        let mut buffer = String::new();
        if let Some(classes) = classes {
            for word in &words {
                let class = classes
                    .get(lowercase(word, &mut buffer))
                    .copied()
                    .unwrap_or(0);
                stop += usize::from(class & STOP != 0);
                listed += usize::from(class & LISTED != 0);
            }
        }
        let share = |count: usize| {
            if words.is_empty() {
                0.0
            } else {
                count as f64 / words.len() as f64
            }
        };
        let density = if has_stopword_list { share(stop) } else { 0.0 };
        let terminal = TERMINAL.is_match(text);
        let sentence = terminal && words.len() >= SENTENCE_MIN_WORDS;
        Measure {
            chars,
            length: (chars as f64).ln_1p(),
            density,
            terminal,
            words: words.len(),
            titled: words
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count(),
            has_stopword_list,
            vocabulary: share(listed),
            prose: if sentence && !fixed {
                chars as f64 * (0.5 + density)
            } else {
                0.0
            },
        }
    }

    /// The features that depend on the paragraph alone; context slots are left at 0.
    fn own_features(&self, text: &str, m: &Measure) -> [f64; FEATURE_COUNT] {
        let n_words = m.words.max(1) as f64;
        let digits = text.chars().filter(|c| c.is_numeric()).count() as f64;
        let mut v = [0.0; FEATURE_COUNT];
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
/// next to content (a closing quote, a short last paragraph), looking past headings in between
/// — a sentence kept this way counts as content for the next one, so an article that ends in a
/// run of one-sentence paragraphs keeps all of them; then every heading right before content
/// that is not itself a heading (including content kept by the first step).
fn promote(texts: &[&str], states: &[bool]) -> Vec<bool> {
    let n = texts.len();
    let mut content = states.to_vec();
    let mut promoted = vec![false; n];
    for k in (0..n).filter(|&k| !states[k] && is_sentence(texts[k])) {
        let before = (0..k)
            .rev()
            .find(|&j| !is_heading(texts[j]))
            .is_some_and(|j| content[j]);
        let after = (k + 1..n)
            .find(|&j| !is_heading(texts[j]))
            .is_some_and(|j| states[j]);
        if before || after {
            content[k] = true;
            promoted[k] = true;
        }
    }
    for k in (0..n).filter(|&k| !content[k] && is_heading(texts[k])) {
        // A heading introduces text: a line before another heading is more likely a menu item
        // ("Sign in" above the headline).
        if content.get(k + 1) == Some(&true) && !is_heading(texts[k + 1]) {
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

/// Every language's [`WordClasses`]: its stop words, its vocabulary and the
/// language-independent vocabulary (`*`); `*` alone under `*`.
fn word_classes(
    stopwords: &HashMap<&'static str, StopWords>,
    vocabulary: &HashMap<String, Vocabulary>,
) -> HashMap<String, WordClasses> {
    let common = vocabulary.get("*");
    let langs: HashSet<&str> = stopwords
        .keys()
        .copied()
        .chain(vocabulary.keys().map(String::as_str))
        .chain(["*"])
        .collect();
    langs
        .into_iter()
        .map(|lang| {
            let mut classes = WordClasses::default();
            for word in stopwords.get(lang).into_iter().flatten() {
                *classes.entry((*word).to_string()).or_default() |= STOP;
            }
            for word in vocabulary.get(lang).into_iter().chain(common).flatten() {
                *classes.entry(word.clone()).or_default() |= LISTED;
            }
            (lang.to_string(), classes)
        })
        .collect()
}

/// The indices of the three smallest `values` (`total_cmp`), smallest first, ties in index
/// order: the first three of a stable sort, without sorting all of them.
fn three_smallest(values: &[f64; FEATURE_COUNT]) -> [usize; 3] {
    let mut best = [0usize, 1, 2];
    best.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    for k in 3..FEATURE_COUNT {
        // Strictly smaller only: an equal value seen later stays behind (stable order).
        let Some(slot) = best
            .iter()
            .position(|&b| values[k].total_cmp(&values[b]).is_lt())
        else {
            continue;
        };
        best.copy_within(slot..2, slot + 1);
        best[slot] = k;
    }
    best
}

/// Append `x` as `format!("{x:+.2}")` would write it (sign always, two decimals, exact ties to
/// even), from integer arithmetic on its binary value: float formatting with a precision was
/// most of the cost of the classifier's evidence, written for every paragraph.
fn push_hundredths(out: &mut String, x: f64) {
    use std::fmt::Write;
    if !x.is_finite() || x.abs() >= 1e15 {
        let _ = write!(out, "{x:+.2}");
        return;
    }
    out.push(if x.is_sign_negative() { '-' } else { '+' });
    let bits = x.abs().to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    // |x| = mantissa × 2^power exactly.
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exponent - 1075)
    };
    let scaled = u128::from(mantissa) * 100;
    let hundredths = if power >= 0 {
        scaled << power // below 1e17: |x| < 1e15
    } else {
        let shift = power.unsigned_abs();
        if shift >= 128 {
            0 // far below 0.005
        } else {
            let (quotient, rest, half) = (
                scaled >> shift,
                scaled & ((1u128 << shift) - 1),
                1u128 << (shift - 1),
            );
            quotient + u128::from(rest > half || (rest == half && quotient & 1 == 1))
        }
    };
    let _ = write!(out, "{}.{:02}", hundredths / 100, hundredths % 100);
}

/// For each paragraph, the shares of the document's prose (see [`Measure::prose`]) that lie
/// strictly before and strictly after it. The article is where the prose is: a paragraph with
/// almost none of it after sits in the footer, however short the article's paragraphs are.
fn prose_shares(measures: &[Measure]) -> Vec<(f64, f64)> {
    let total: f64 = measures.iter().map(|m| m.prose).sum();
    let total = if total > 0.0 { total } else { 1.0 };
    let mut before = 0.0;
    measures
        .iter()
        .map(|m| {
            let shares = (before / total, (total - before - m.prose) / total);
            before += m.prose;
            shares
        })
        .collect()
}

/// `word` lowercased as `str::to_lowercase` would; ASCII words go through `buffer` (no
/// allocation), the rest through the standard library (final sigma depends on context).
fn lowercase<'a>(word: &'a str, buffer: &'a mut String) -> &'a str {
    if !word.bytes().any(|b| b.is_ascii_uppercase()) && word.is_ascii() {
        return word;
    }
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        *buffer = word.to_lowercase();
    }
    buffer
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
    fn lowercase_matches_the_standard_library() {
        let mut buffer = String::new();
        for word in [
            "the",
            "The",
            "THE",
            "Été",
            "ΟΔΥΣΣΕΥΣ",
            "İstanbul",
            "a_b",
            "",
        ] {
            assert_eq!(lowercase(word, &mut buffer), word.to_lowercase(), "{word}");
        }
    }

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
            vocabulary: 0.0,
            prose: 0.0,
        };
        assert_eq!(short_runs(&[m(10), m(12), m(200), m(5)]), [2, 2, 0, 1]);
    }

    fn measure_with_prose(prose: f64) -> Measure {
        Measure {
            chars: 100,
            length: 0.0,
            density: 0.0,
            terminal: true,
            words: 10,
            titled: 0,
            has_stopword_list: true,
            vocabulary: 0.0,
            prose,
        }
    }

    #[test]
    fn word_classes_say_what_the_separate_lists_say() {
        let mut stopwords: HashMap<&'static str, StopWords> = HashMap::new();
        stopwords.insert("fr", ["le", "de"].into_iter().collect());
        stopwords.insert("en", ["the"].into_iter().collect());
        let mut vocabulary: HashMap<String, Vocabulary> = HashMap::new();
        let set = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vocabulary>();
        vocabulary.insert("fr".into(), set(&["abonnez", "de"]));
        vocabulary.insert("*".into(), set(&["cookies", "le"]));
        vocabulary.insert("de".into(), set(&["abonnieren"]));
        let classes = word_classes(&stopwords, &vocabulary);
        let class = |lang: &str, word: &str| {
            classes
                .get(lang)
                .or_else(|| classes.get("*"))
                .and_then(|c| c.get(word))
                .copied()
                .unwrap_or(0)
        };
        assert_eq!(
            class("fr", "le"),
            STOP | LISTED,
            "stop word, and common vocabulary"
        );
        assert_eq!(class("fr", "de"), STOP | LISTED);
        assert_eq!(class("fr", "abonnez"), LISTED);
        assert_eq!(class("fr", "the"), 0, "another language's stop word");
        assert_eq!(class("en", "the"), STOP);
        assert_eq!(class("en", "cookies"), LISTED);
        assert_eq!(class("en", "abonnez"), 0, "another language's vocabulary");
        assert_eq!(
            class("de", "abonnieren"),
            LISTED,
            "vocabulary without a stop list"
        );
        assert_eq!(
            class("xx", "cookies"),
            LISTED,
            "unknown language: common vocabulary"
        );
        assert_eq!(class("xx", "le"), LISTED);
        assert_eq!(class("xx", "abonnez"), 0);
    }

    #[test]
    fn three_smallest_are_the_first_three_of_a_stable_sort() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for round in 0..5000 {
            let values: [f64; FEATURE_COUNT] = std::array::from_fn(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Few distinct values in early rounds, so ties are common; -0.0 and 0.0 too.
                let range = if round < 2500 { 5 } else { 1000 };
                (state % range) as f64 - (range / 2) as f64
                    + if state & 64 == 0 { 0.0 } else { -0.0 }
            });
            let mut order: Vec<usize> = (0..FEATURE_COUNT).collect();
            order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
            assert_eq!(three_smallest(&values), order[..3], "{values:?}");
        }
    }

    #[test]
    fn hundredths_are_written_as_the_standard_formatter_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.005,
            0.015,
            0.125,
            0.375,
            0.625,
            0.875,
            -0.125,
            2.675,
            1e-300,
            -1e-300,
            5e-324,
            0.004999999999999999,
            99.995,
            1e14,
            1e15,
            -3e20,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        // Exact and near ties (k/200, k/8) and pseudo-random values at every scale.
        for k in -4000..4000 {
            let tie = f64::from(k) / 200.0;
            values.extend([tie, f64::from(k) / 8.0, tie.next_up(), tie.next_down()]);
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            values.push(f64::from_bits(state));
            values.push((state >> 11) as f64 / (1u64 << 53) as f64 * 40.0 - 20.0);
        }
        for x in values {
            let mut written = String::new();
            push_hundredths(&mut written, x);
            assert_eq!(written, format!("{x:+.2}"), "{x:e}");
        }
    }

    #[test]
    fn prose_shares_locate_the_article() {
        let shares = prose_shares(&[
            measure_with_prose(0.0),
            measure_with_prose(100.0),
            measure_with_prose(300.0),
            measure_with_prose(0.0),
        ]);
        assert_eq!(
            shares,
            [(0.0, 1.0), (0.0, 0.75), (0.25, 0.0), (1.0, 0.0)],
            "a menu line before, the article, a footer line after"
        );
    }

    #[test]
    fn prose_comes_from_sentences_no_rule_dropped() {
        let c = Classifier::builtin().expect("builtin");
        let sentence = "Le conseil municipal a voté le budget de la ville hier soir.";
        assert!(c.measure(sentence, "fr", None, false).prose > 0.0);
        assert_eq!(c.measure(sentence, "fr", None, true).prose, 0.0, "fixed");
        assert_eq!(
            c.measure("Accueil Actualités Sport", "fr", None, false)
                .prose,
            0.0
        );
    }

    #[test]
    fn vocabulary_share_counts_lexicon_words_but_not_stop_words() {
        let c = Classifier::builtin().expect("builtin");
        // "abonnez" and "newsletter" are lexicon words; "vous", "à", "notre" are stop words.
        let m = c.measure("Abonnez-vous à notre newsletter", "fr", None, false);
        assert!((m.vocabulary - 2.0 / 5.0).abs() < 1e-9, "{}", m.vocabulary);
        let de = c.measure("Jetzt den Newsletter abonnieren", "de", None, false);
        assert!(de.vocabulary >= 0.5, "{}", de.vocabulary);
        let prose = "Les pompiers ont maîtrisé l'incendie avant l'aube.";
        assert_eq!(c.measure(prose, "fr", None, false).vocabulary, 0.0);
        // An undecided paragraph uses the document's language.
        assert!(
            c.measure("Abonnez-vous", UNDETERMINED, Some("fr"), false)
                .vocabulary
                > 0.0
        );
    }

    #[test]
    fn user_lexicon_entries_join_the_vocabulary() {
        let user = RuleFile::parse(
            "polyclean.toml",
            "lang = \"en\"\n[[rule]]\nreason = \"ad\"\nmatch = \"whole\"\nphrases = [\"flashdeal\"]\nnote = \"n\"\n",
        )
        .expect("valid");
        let rules = RuleSet::compile(&[("polyclean.toml".into(), user)], &[]).expect("compiles");
        let c = Classifier::new(ClassifierConfig::builtin().expect("builtin"), &rules);
        assert_eq!(
            c.measure("Flashdeal Zanzibar", "en", None, false)
                .vocabulary,
            0.5
        );
        let builtin = Classifier::builtin().expect("builtin");
        assert_eq!(
            builtin
                .measure("Flashdeal Zanzibar", "en", None, false)
                .vocabulary,
            0.0
        );
    }

    #[test]
    fn promotion_carries_through_a_run_of_closing_sentences() {
        let texts = [
            "A long paragraph of the article that the sequence kept as content, as it should.",
            "The town will vote on the plan next spring.",
            "Until then, the old bridge stays closed to cars.",
            "Nobody expects the works to start before the summer holidays.",
            "Home | Contact",
        ];
        let promoted = promote(&texts, &[true, false, false, false, false]);
        assert_eq!(promoted, [false, true, true, true, false]);
    }
}
