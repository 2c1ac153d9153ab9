//! FineWeb rules (Penedo et al. 2024, "The FineWeb Datasets"), as datatrove's
//! `FineWebQualityFilter`: lines ending in punctuation, short lines, characters in duplicate
//! lines, and line breaks per word. They run on the lines the C4 line rules keep (when C4
//! runs), as in the FineWeb pipeline where C4 comes first and rewrites the text.

use super::scores::{Family, FamilyScores, Limit, Measure};
use super::settings::FineWeb;
use super::text::{chars, duplicates, ends_with_terminal, ratio, words};

/// Measure `lines` (the kept paragraphs that passed C4's line rules).
pub fn measure(lines: &[&str], t: &FineWeb) -> FamilyScores {
    let n = lines.len();
    let punct = lines.iter().filter(|l| ends_with_terminal(l)).count();
    let punct_ratio = ratio(punct, n);
    // datatrove: a ratio of exactly 0 passes when `line_punct_exclude_zero` is set.
    let punct_limit = if t.line_punct_exclude_zero && punct_ratio == Some(0.0) {
        Limit::None
    } else {
        Limit::Above(t.min_line_punct_ratio)
    };
    let short = lines
        .iter()
        .filter(|l| chars(l) as u64 <= t.short_line_length)
        .count();
    let non_empty: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let (_, dup_chars) = duplicates(non_empty.iter().copied());
    let all_chars: usize = lines.iter().map(|l| chars(l)).sum();
    let word_count: usize = lines.iter().map(|l| words(l).count()).sum();
    let measures = vec![
        Measure::new(
            "line_punct_ratio",
            "fraction of lines ending in punctuation",
            punct_ratio,
            punct_limit,
        ),
        Measure::new(
            "short_line_ratio",
            "fraction of short lines",
            ratio(short, n),
            Limit::Below(t.max_short_line_ratio),
        ),
        Measure::new(
            "char_dup_ratio",
            "duplicate line character fraction",
            ratio(dup_chars, all_chars),
            Limit::Below(t.max_char_dup_ratio),
        ),
        Measure::new(
            "list_ratio",
            "line breaks per word",
            ratio(n.saturating_sub(1), word_count),
            Limit::Max(t.max_list_ratio),
        ),
    ];
    FamilyScores {
        family: Family::FineWeb,
        measures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(lines: &[&str], t: &FineWeb) -> Vec<String> {
        measure(lines, t).failures().collect()
    }

    const PROSE: &str = "The committee met on Tuesday to discuss the new budget proposal";

    fn prose(i: usize) -> String {
        format!("{PROSE} number {i}.")
    }

    /// Lines of prose, all distinct and long; `unpunctuated` of them lose their full stop.
    fn doc(n: usize, unpunctuated: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let mut l = prose(i);
                if i < unpunctuated {
                    l.pop();
                }
                l
            })
            .collect()
    }

    fn refs(lines: &[String]) -> Vec<&str> {
        lines.iter().map(String::as_str).collect()
    }

    #[test]
    fn line_punctuation_ratio_must_exceed_the_threshold() {
        let t = FineWeb::default();
        // 13 of 100 lines punctuated (0.13) pass; 12 of 100 (0.12) fail.
        assert!(failed(&refs(&doc(100, 87)), &t).is_empty());
        assert_eq!(
            failed(&refs(&doc(100, 88)), &t),
            ["line_punct_ratio: fraction of lines ending in punctuation 0.12 ≤ 0.12"]
        );
        let t = FineWeb {
            line_punct_exclude_zero: true,
            ..t
        };
        assert!(failed(&refs(&doc(10, 10)), &t).is_empty());
    }

    #[test]
    fn short_line_ratio_must_stay_below_the_threshold() {
        let t = FineWeb::default();
        // 30 characters is short. 66 of 100 lines short pass (0.66), 67 fail (0.67).
        let with = |k: usize| {
            let mut lines = doc(100, 0);
            for (i, l) in lines.iter_mut().enumerate().take(k) {
                *l = format!("Un titre court, la page n° {i:02}.");
            }
            lines
        };
        assert_eq!(chars(&with(1)[0]), 30);
        assert!(with(66).iter().take(66).all(|l| chars(l) <= 30));
        assert!(!failed(&refs(&with(66)), &t)
            .iter()
            .any(|f| f.starts_with("short_line")));
        assert!(failed(&refs(&with(67)), &t)
            .iter()
            .any(|f| f.starts_with("short_line")));
    }

    #[test]
    fn duplicate_characters_must_stay_below_one_percent() {
        let t = FineWeb::default();
        // Lines of equal length, one repeating the first: 1 of 101 lines' characters
        // (0.0099) passes, 1 of 100 (0.01) fails.
        let lines = |n: usize| {
            let mut lines: Vec<String> =
                (0..n).map(|i| format!("{PROSE} number {i:03}.")).collect();
            lines[n - 1] = lines[0].clone();
            lines
        };
        assert!(failed(&refs(&lines(101)), &t).is_empty());
        assert_eq!(
            failed(&refs(&lines(100)), &t),
            ["char_dup_ratio: duplicate line character fraction 0.01 ≥ 0.01"]
        );
    }

    #[test]
    fn list_ratio_counts_line_breaks_per_word() {
        let t = FineWeb {
            max_short_line_ratio: 1.1,
            ..FineWeb::default()
        };
        // 4 lines of 2 words: 3 breaks / 8 words = 0.375 fails; 3 words each: 3/12 passes.
        assert_eq!(
            failed(
                &["Un mot.", "Deux mots.", "Trois mots.", "Quatre mots."],
                &t
            ),
            ["list_ratio: line breaks per word 0.375 > 0.3"]
        );
        assert!(failed(
            &[
                "Un petit mot.",
                "Deux petits mots.",
                "Trois petits mots.",
                "Quatre petits mots."
            ],
            &t
        )
        .is_empty());
        // Exactly 0.3: 3 breaks / 10 words passes.
        assert!(failed(
            &[
                "Un petit mot.",
                "Deux petits mots.",
                "Trois mots.",
                "Quatre mots."
            ],
            &t
        )
        .is_empty());
    }
}
