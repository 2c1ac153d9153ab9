//! C4 rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning", section 2.2), in
//! the order and with the defaults of datatrove's `C4QualityFilter`.
//!
//! C4 has *line* rules, which remove a line and keep the page, and *page* rules, which
//! remove the page. In polyclean a line is a kept paragraph: a line rule drops that paragraph
//! (reason `c4`), a page rule drops every kept paragraph of the document (reason `c4`). As in
//! datatrove, a line is tested rule by rule and leaves at its first failure, so the page
//! rules (`lorem ipsum`, `{`) only see lines that passed the rules before them, and the
//! sentence count is taken over the lines that pass them all.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::scores::{Family, FamilyScores, Limit, LineDrop, Measure};
use super::settings::C4;
use super::text::{chars, ends_with_terminal};
use crate::lang::sentence_ranges;

/// Wikipedia-style citation marks, ignored when testing how a line ends (datatrove's regex).
static CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\d*\]|\[edit\]|\[citation needed\]").expect("valid"));

/// datatrove's policy phrases (English; polyclean's `cookies` and `legal` rules cover other
/// languages in the boilerplate stage).
const POLICY: &[&str] = &[
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// Sentences are counted without an abbreviation list (NLTK's punkt knows a few English ones).
static NO_ABBREVIATIONS: LazyLock<HashSet<String>> = LazyLock::new(HashSet::new);

/// What the C4 rules decided about a document's kept paragraphs.
#[derive(Debug)]
pub struct C4Outcome {
    /// The page rules' measures.
    pub scores: FamilyScores,
    /// Paragraphs a line rule drops.
    pub drops: Vec<LineDrop>,
    /// Positions (in the input slice) of the lines that pass every rule.
    pub kept: Vec<usize>,
}

/// How one line fares.
enum Line {
    Drop(String),
    LoremIpsum,
    CurlyBracket,
    Keep { sentences: usize },
}

fn judge(line: &str, t: &C4) -> Line {
    let line = line.trim();
    let words = line.split_whitespace().count();
    if t.max_word_length > 0
        && line
            .split_whitespace()
            .any(|w| chars(w) as u64 > t.max_word_length)
    {
        return Line::Drop(format!(
            "a word longer than {} characters",
            t.max_word_length
        ));
    }
    let cleaned = if t.remove_citations {
        CITATION.replace_all(line, "")
    } else {
        line.into()
    };
    let cleaned = cleaned.trim_end();
    if t.terminal_punct && !ends_with_terminal(cleaned) {
        return Line::Drop("no terminal punctuation".into());
    }
    if (words as u64) < t.min_words_per_line {
        return Line::Drop(format!("fewer than {} words", t.min_words_per_line));
    }
    let lower = cleaned.to_lowercase();
    if t.lorem_ipsum && lower.contains("lorem ipsum") {
        return Line::LoremIpsum;
    }
    if t.javascript && lower.contains("javascript") {
        return Line::Drop("mentions javascript".into());
    }
    if t.curly_bracket && cleaned.contains('{') {
        return Line::CurlyBracket;
    }
    if t.policy && POLICY.iter().any(|p| lower.contains(p)) {
        return Line::Drop("terms-of-use, privacy or cookie-policy phrase".into());
    }
    Line::Keep {
        sentences: sentence_ranges(cleaned, &NO_ABBREVIATIONS).len(),
    }
}

/// Apply the rules to `lines`: `(paragraph index, text)` of the kept paragraphs.
pub fn measure(lines: &[(usize, &str)], t: &C4) -> C4Outcome {
    let (mut lorem, mut curly, mut sentences) = (0, 0, 0);
    let mut drops = Vec::new();
    let mut kept = Vec::new();
    for (pos, &(index, text)) in lines.iter().enumerate() {
        match judge(text, t) {
            Line::Drop(evidence) => drops.push(LineDrop { index, evidence }),
            Line::LoremIpsum => lorem += 1,
            Line::CurlyBracket => curly += 1,
            Line::Keep { sentences: s } => {
                sentences += s;
                kept.push(pos);
            }
        }
    }
    let flag = |on: bool| if on { Limit::Max(0.0) } else { Limit::None };
    let min_sentences = if t.min_sentences > 0 {
        Limit::Min(t.min_sentences as f64)
    } else {
        Limit::None
    };
    let measures = vec![
        Measure::new(
            "lorem_ipsum",
            "lines with 'lorem ipsum'",
            Some(lorem as f64),
            flag(t.lorem_ipsum),
        ),
        Measure::new(
            "curly_bracket",
            "lines with '{'",
            Some(curly as f64),
            flag(t.curly_bracket),
        ),
        Measure::new(
            "sentences",
            "sentences in kept lines",
            Some(sentences as f64),
            min_sentences,
        ),
        Measure::new(
            "lines_dropped",
            "lines dropped",
            Some(drops.len() as f64),
            Limit::None,
        ),
    ];
    C4Outcome {
        scores: FamilyScores {
            family: Family::C4,
            measures,
        },
        drops,
        kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Option<String> {
        match judge(text, &C4::default()) {
            Line::Drop(e) => Some(e),
            Line::LoremIpsum => Some("lorem".into()),
            Line::CurlyBracket => Some("curly".into()),
            Line::Keep { .. } => None,
        }
    }

    #[test]
    fn line_rules_table() {
        let rows: &[(&str, Option<&str>)] = &[
            ("Le conseil municipal a voté le budget.", None),
            ("« Nous avons voté le budget », dit-elle.", None),
            ("Il a dit « nous avons voté »", None),
            ("Accueil", Some("no terminal punctuation")),
            ("Lire la suite...", Some("no terminal punctuation")),
            ("The river flooded the valley.[1]", None),
            ("The river flooded the valley. [citation needed]", None),
            ("Il pleut.", Some("fewer than 3 words")),
            ("Il pleut fort.", None),
            (
                "Please enable JavaScript in your browser.",
                Some("mentions javascript"),
            ),
            (
                "Read our privacy policy for details.",
                Some("terms-of-use, privacy or cookie-policy phrase"),
            ),
            (
                "This site uses cookies to work well.",
                Some("terms-of-use, privacy or cookie-policy phrase"),
            ),
            ("Lorem ipsum dolor sit amet.", Some("lorem")),
            ("The function body is { return 1; }.", Some("curly")),
        ];
        for (text, expected) in rows {
            assert_eq!(line(text).as_deref(), *expected, "{text}");
        }
    }

    #[test]
    fn long_word_limit_is_inclusive() {
        let t = C4 {
            max_word_length: 10,
            ..C4::default()
        };
        assert!(matches!(
            judge("A tiny abcdefghij word.", &t),
            Line::Keep { .. }
        ));
        assert!(matches!(
            judge("A tiny abcdefghijk word.", &t),
            Line::Drop(_)
        ));
    }

    #[test]
    fn rules_can_be_switched_off() {
        let t = C4 {
            terminal_punct: false,
            min_words_per_line: 0,
            ..C4::default()
        };
        assert!(matches!(judge("Accueil", &t), Line::Keep { .. }));
    }

    #[test]
    fn page_needs_five_sentences_in_kept_lines() {
        let lines = [
            (0, "Le maire a parlé. Les élus ont écouté."),
            (1, "Menu principal"),
            (2, "La séance a duré deux heures. Elle a fini tard."),
        ];
        let out = measure(&lines, &C4::default());
        assert_eq!(out.kept, [0, 2]);
        assert_eq!(out.drops[0].index, 1);
        assert_eq!(
            out.scores.first_failure().as_deref(),
            Some("sentences in kept lines 4 < 5")
        );
        let mut five = lines.to_vec();
        five.push((3, "Le budget est voté."));
        assert_eq!(measure(&five, &C4::default()).scores.first_failure(), None);
    }

    #[test]
    fn lorem_ipsum_fails_the_page() {
        let lines = [(
            0,
            "Lorem ipsum dolor sit amet, consectetur. Une. Deux. Trois. Quatre. Cinq.",
        )];
        let out = measure(&lines, &C4::default());
        assert_eq!(
            out.scores.first_failure().as_deref(),
            Some("lines with 'lorem ipsum' 1 > 0")
        );
    }
}
