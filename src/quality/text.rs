//! How the quality rules see a document's text: lines, words, terminal punctuation.
//!
//! polyclean's paragraphs hold no line breaks (segmentation makes every line a paragraph,
//! joining only hard-wrapped prose), so a kept paragraph is one *line* of the rules, and the
//! document's text is its kept paragraphs joined by `\n`.

use std::collections::HashSet;

/// Words: whitespace-separated tokens with punctuation and symbols trimmed from both ends
/// (`«bonjour»,` → `bonjour`, `l'État` stays whole); tokens that are nothing but punctuation
/// are not words. This stands in for NLTK's `word_tokenize`, which datatrove uses and which
/// splits punctuation off as tokens of its own.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// Characters (code points, as Python's `len`).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Characters of the lines joined by `\n`: the document text the fractions are taken of.
pub fn text_chars(lines: &[&str]) -> usize {
    lines.iter().map(|l| chars(l)).sum::<usize>() + lines.len().saturating_sub(1)
}

/// Ends that count as terminal punctuation: datatrove's `. ! ? " '`, plus the closing quotes
/// and full stops of other scripts (`” ’ » 。 ！ ？ ؟ ।`), since the rules run on every language.
const TERMINAL: &[char] = &[
    '.', '!', '?', '"', '\'', '”', '’', '»', '。', '！', '？', '؟', '।', '」', '』',
];

/// Whether `line` ends in terminal punctuation (an ellipsis `...`/`…` does not count, as in C4).
pub fn ends_with_terminal(line: &str) -> bool {
    let line = line.trim_end();
    line.ends_with(TERMINAL) && !ends_with_ellipsis(line)
}

/// Whether `line` ends with `...` or `…`.
pub fn ends_with_ellipsis(line: &str) -> bool {
    let line = line.trim_end();
    line.ends_with("...") || line.ends_with('…')
}

/// Items that repeat an earlier one: how many, and their characters (datatrove's
/// `find_duplicates`: the first occurrence is not counted).
pub fn duplicates<'a>(items: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    let mut seen = HashSet::new();
    let (mut count, mut chars_) = (0, 0);
    for item in items {
        if !seen.insert(item) {
            count += 1;
            chars_ += chars(item);
        }
    }
    (count, chars_)
}

/// `part / whole`, or `None` when `whole` is 0 (nothing to measure).
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_punctuation_but_keep_inner_apostrophes() {
        let w: Vec<&str> = words("«Bonjour», dit-il — l'État (2024)...").collect();
        assert_eq!(w, ["Bonjour", "dit-il", "l'État", "2024"]);
    }

    #[test]
    fn terminal_punctuation_excludes_ellipses() {
        assert!(ends_with_terminal("Il pleut."));
        assert!(ends_with_terminal("« Il pleut ! »") || ends_with_terminal("Il a dit « oui »"));
        assert!(ends_with_terminal("他来了。"));
        assert!(!ends_with_terminal("Lire la suite..."));
        assert!(!ends_with_terminal("Lire la suite…"));
        assert!(!ends_with_terminal("Accueil"));
    }

    #[test]
    fn duplicates_count_repeats_not_first_occurrences() {
        assert_eq!(duplicates(["ab", "c", "ab", "ab"]), (2, 4));
    }
}
