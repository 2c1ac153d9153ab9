//! Gopher repetition rules (Rae et al. 2021, appendix A.1.1 and table A1), as datatrove's
//! `GopherRepetitionFilter`: duplicate lines and paragraphs (count and characters), the most
//! frequent word 2-, 3- and 4-gram, and word 5- to 10-grams that repeat. Fractions of
//! characters are of the document text (kept paragraphs joined by `\n`).
//!
//! polyclean's paragraphs are its lines (see [`super::text`]), so the line and paragraph
//! fractions measure the same thing; both are kept so each published threshold has its key.

use std::collections::{HashMap, HashSet};

use super::scores::{Family, FamilyScores, Limit, Measure};
use super::settings::GopherRepetition;
use super::text::{chars, duplicates, ratio, text_chars, words};

/// Characters of an n-gram as datatrove joins it: its words and the spaces between them.
fn gram_chars(gram: &[&str]) -> usize {
    gram.iter().map(|w| chars(w)).sum::<usize>() + gram.len().saturating_sub(1)
}

/// Characters of the most frequent n-gram times its count (the first to reach the top count
/// wins a tie, as Python's `Counter.most_common`); 0 when no n-gram occurs twice, and `None`
/// with fewer than `n` words. datatrove counts a top n-gram seen once too, which fails every
/// document of a dozen words whatever its content; a single occurrence is no repetition, and
/// documents long enough for the default `min_words` are not affected.
fn top_gram_chars(words: &[&str], n: usize) -> Option<usize> {
    if words.len() < n {
        return None;
    }
    let mut counts: HashMap<&[&str], usize> = HashMap::new();
    for gram in words.windows(n) {
        *counts.entry(gram).or_default() += 1;
    }
    let top = counts.values().copied().max()?;
    if top < 2 {
        return Some(0);
    }
    let gram = words.windows(n).find(|g| counts[g] == top)?;
    Some(gram_chars(gram) * top)
}

/// Characters of the n-grams that repeat an earlier one, scanning left to right and jumping
/// past each repeat so no word is counted twice (datatrove's `find_all_duplicate`, over words
/// as the paper defines it); `None` with fewer than `n` words.
fn dup_gram_chars(words: &[&str], n: usize) -> Option<usize> {
    if words.len() < n {
        return None;
    }
    let mut seen: HashSet<&[&str]> = HashSet::new();
    let (mut repeated, mut i) = (0, 0);
    while i + n <= words.len() {
        let gram = &words[i..i + n];
        if seen.contains(gram) {
            repeated += gram_chars(gram);
            i += n;
        } else {
            seen.insert(gram);
            i += 1;
        }
    }
    Some(repeated)
}

/// Measure `lines` (the kept paragraphs).
pub fn measure(lines: &[&str], t: &GopherRepetition) -> FamilyScores {
    let total = text_chars(lines);
    let (dup_lines, dup_chars) = duplicates(lines.iter().copied());
    let text = lines.join("\n");
    let words: Vec<&str> = words(&text).collect();
    let mut measures = vec![
        Measure::new(
            "dup_line_frac",
            "duplicate line fraction",
            ratio(dup_lines, lines.len()),
            Limit::Max(t.max_dup_line_frac),
        ),
        Measure::new(
            "dup_para_frac",
            "duplicate paragraph fraction",
            ratio(dup_lines, lines.len()),
            Limit::Max(t.max_dup_para_frac),
        ),
        Measure::new(
            "dup_line_char_frac",
            "duplicate line character fraction",
            ratio(dup_chars, total),
            Limit::Max(t.max_dup_line_char_frac),
        ),
        Measure::new(
            "dup_para_char_frac",
            "duplicate paragraph character fraction",
            ratio(dup_chars, total),
            Limit::Max(t.max_dup_para_char_frac),
        ),
    ];
    let top = [
        (
            "top_2gram_char_frac",
            "top 2-gram character fraction",
            2,
            t.max_top_2gram_char_frac,
        ),
        (
            "top_3gram_char_frac",
            "top 3-gram character fraction",
            3,
            t.max_top_3gram_char_frac,
        ),
        (
            "top_4gram_char_frac",
            "top 4-gram character fraction",
            4,
            t.max_top_4gram_char_frac,
        ),
    ];
    for (check, label, n, max) in top {
        let value = top_gram_chars(&words, n).and_then(|c| ratio(c, total));
        measures.push(Measure::new(check, label, value, Limit::Max(max)));
    }
    let dup = [
        (
            "dup_5gram_char_frac",
            "duplicate 5-gram character fraction",
            5,
            t.max_dup_5gram_char_frac,
        ),
        (
            "dup_6gram_char_frac",
            "duplicate 6-gram character fraction",
            6,
            t.max_dup_6gram_char_frac,
        ),
        (
            "dup_7gram_char_frac",
            "duplicate 7-gram character fraction",
            7,
            t.max_dup_7gram_char_frac,
        ),
        (
            "dup_8gram_char_frac",
            "duplicate 8-gram character fraction",
            8,
            t.max_dup_8gram_char_frac,
        ),
        (
            "dup_9gram_char_frac",
            "duplicate 9-gram character fraction",
            9,
            t.max_dup_9gram_char_frac,
        ),
        (
            "dup_10gram_char_frac",
            "duplicate 10-gram character fraction",
            10,
            t.max_dup_10gram_char_frac,
        ),
    ];
    for (check, label, n, max) in dup {
        let value = dup_gram_chars(&words, n).and_then(|c| ratio(c, total));
        measures.push(Measure::new(check, label, value, Limit::Max(max)));
    }
    FamilyScores {
        family: Family::GopherRepetition,
        measures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(lines: &[&str], check: &str) -> Option<f64> {
        measure(lines, &GopherRepetition::default())
            .measures
            .into_iter()
            .find(|m| m.check == check)
            .and_then(|m| m.value)
    }

    fn fails(lines: &[&str], t: &GopherRepetition, check: &str) -> bool {
        measure(lines, t)
            .failures()
            .any(|f| f.starts_with(&format!("{check}:")))
    }

    /// Distinct lines of distinct words: `w{i}_{j}`.
    fn distinct(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                (0..8)
                    .map(|j| format!("w{i}x{j}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn duplicate_line_fraction() {
        let t = GopherRepetition {
            max_dup_line_char_frac: 1.0,
            max_dup_para_char_frac: 1.0,
            max_dup_5gram_char_frac: 1.0,
            max_dup_6gram_char_frac: 1.0,
            max_dup_7gram_char_frac: 1.0,
            max_dup_8gram_char_frac: 1.0,
            ..GopherRepetition::default()
        };
        let mut lines = distinct(10);
        // 3 of 10 lines repeat an earlier one: 0.3 passes; 4 of 10 fail.
        for i in 7..10 {
            lines[i] = lines[0].clone();
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(!fails(&refs, &t, "dup_line_frac"));
        let mut lines = lines.clone();
        lines[6] = lines[0].clone();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(fails(&refs, &t, "dup_line_frac"));
        assert!(fails(&refs, &t, "dup_para_frac"));
    }

    #[test]
    fn duplicate_character_fraction() {
        // Two lines of 10 chars, one of 39: the repeat is 10 of 61 chars (0.16); a 20-char
        // repeat of 20 + 20 + 39 + 2 newlines = 81 chars is 0.247.
        let long = "abcdefghi abcdefghi abcdefghi abcdefghi";
        let r = value(&["0123456789", "0123456789", long], "dup_line_char_frac").expect("measured");
        assert!((r - 10.0 / 61.0).abs() < 1e-9, "{r}");
        let t = GopherRepetition::default();
        assert!(!fails(
            &["0123456789", "0123456789", long],
            &t,
            "dup_line_char_frac"
        ));
        let twenty = "01234567890123456789";
        assert!(fails(&[twenty, twenty, long], &t, "dup_line_char_frac"));
    }

    #[test]
    fn top_ngram_fraction_counts_the_most_frequent_gram() {
        // "aa bb" ×3 in "aa bb aa bb aa bb cc": 5 chars × 3 = 15 of 20.
        assert_eq!(
            value(&["aa bb aa bb aa bb cc"], "top_2gram_char_frac"),
            Some(0.75)
        );
        assert_eq!(top_gram_chars(&["a", "b"], 3), None);
        // A gram seen once is no repetition.
        assert_eq!(top_gram_chars(&["a", "b", "c"], 2), Some(0));
    }

    #[test]
    fn top_2gram_threshold() {
        // 100 two-character words, one of three: 300 chars. "ab cd" (5 chars) ×12 is 60 chars
        // (0.2, passes); ×13 is 65 (fails).
        let with = |k: usize| {
            let mut w: Vec<String> = (0..100).map(|i| format!("{i:02}")).collect();
            w[99] = "999".into();
            for i in 0..k {
                w[i * 4] = "ab".into();
                w[i * 4 + 1] = "cd".into();
            }
            w.join(" ")
        };
        assert_eq!(chars(&with(12)), 300);
        let t = GopherRepetition::default();
        assert_eq!(value(&[&with(12)], "top_2gram_char_frac"), Some(0.2));
        assert!(!fails(&[&with(12)], &t, "top_2gram_char_frac"));
        assert!(fails(&[&with(13)], &t, "top_2gram_char_frac"));
    }

    #[test]
    fn repeated_ngrams_count_once_and_skip_ahead() {
        let w = [
            "a", "b", "c", "d", "e", "a", "b", "c", "d", "e", "a", "b", "c", "d", "e",
        ];
        // The 5-gram at 5 repeats the one at 0 (9 chars), then the one at 10 (9 chars).
        assert_eq!(dup_gram_chars(&w, 5), Some(18));
        assert_eq!(dup_gram_chars(&w[..4], 5), None);
        let text = w.join(" ");
        let r = value(&[&text], "dup_5gram_char_frac").expect("measured");
        assert!((r - 18.0 / 29.0).abs() < 1e-9);
    }

    #[test]
    fn dup_10gram_threshold() {
        // A 10-gram of one-letter words (19 chars) repeated once, then distinct filler:
        // 19 of 190 chars (0.1) passes, 19 of 189 fails.
        let gram = "a b c d e f g h i j";
        let doc = |extra: &str| {
            let filler: Vec<String> = (0..30).map(|i| format!("z{i:03}")).collect();
            format!("{gram} {gram} {}{extra}", filler.join(" "))
        };
        let (pass, fail) = (doc("z"), doc(""));
        assert_eq!((chars(&pass), chars(&fail)), (190, 189));
        let t = GopherRepetition::default();
        assert!(!fails(&[&pass], &t, "dup_10gram_char_frac"));
        assert!(fails(&[&fail], &t, "dup_10gram_char_frac"));
    }
}
