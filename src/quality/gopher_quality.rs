//! Gopher quality rules (Rae et al. 2021, "Scaling Language Models", appendix A.1.1), with
//! the thresholds and check order of datatrove's `GopherQualityFilter`: word count, mean word
//! length, `#` and ellipsis per word, bullet and ellipsis lines, words with a letter, and
//! stop words — those of the document's language, not English's.

use std::collections::HashSet;

use super::scores::{Family, FamilyScores, Limit, Measure};
use super::settings::GopherQuality;
use super::text::{chars, ends_with_ellipsis, ratio, words};

/// Line starts that make a bullet line: datatrove tests `•` only; polyclean adds the other
/// bullet glyphs and Markdown's `-`/`*` list markers (followed by a space), common in
/// scraped text.
const BULLETS: &[char] = &['•', '‣', '◦', '▪', '●', '○', '■', '►', '➤', '⁃'];

fn is_bullet_line(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with(BULLETS) || line.starts_with("- ") || line.starts_with("* ")
}

/// Whether `word` (lowercased) is a stop word: the word itself, or its elided head
/// (`l'` in `l'homme`, `d'` in `d'abord`).
fn is_stop_word(word: &str, list: &HashSet<String>) -> bool {
    let lower = word.to_lowercase();
    if list.contains(&lower) {
        return true;
    }
    lower
        .split_once(['\'', '’'])
        .is_some_and(|(head, _)| list.contains(head))
}

/// Measure `lines` (the kept paragraphs). `stop_words`: the list of the document's language;
/// `None` when there is none, and the stop-word check is then not measured.
pub fn measure(
    lines: &[&str],
    stop_words: Option<&HashSet<String>>,
    t: &GopherQuality,
) -> FamilyScores {
    let text = lines.join("\n");
    let words: Vec<&str> = words(&text).collect();
    let n = words.len();
    let word_chars: usize = words.iter().map(|w| chars(w)).sum();
    let hashes = text.matches('#').count();
    let ellipses = text.matches("...").count() + text.matches('…').count();
    let bullet_lines = lines.iter().filter(|l| is_bullet_line(l)).count();
    let ellipsis_lines = lines.iter().filter(|l| ends_with_ellipsis(l)).count();
    let alpha = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    let stops = stop_words.map(|list| words.iter().filter(|w| is_stop_word(w, list)).count());
    let measures = vec![
        Measure::new(
            "word_count",
            "word count",
            Some(n as f64),
            Limit::Range(t.min_words as f64, t.max_words as f64),
        ),
        Measure::new(
            "mean_word_length",
            "mean word length",
            ratio(word_chars, n),
            Limit::Range(t.min_mean_word_length, t.max_mean_word_length),
        ),
        Measure::new(
            "hash_ratio",
            "'#' per word",
            ratio(hashes, n),
            Limit::Max(t.max_symbol_word_ratio),
        ),
        Measure::new(
            "ellipsis_ratio",
            "ellipses per word",
            ratio(ellipses, n),
            Limit::Max(t.max_symbol_word_ratio),
        ),
        Measure::new(
            "bullet_lines_ratio",
            "fraction of lines starting with a bullet",
            ratio(bullet_lines, lines.len()),
            Limit::Max(t.max_bullet_lines_ratio),
        ),
        Measure::new(
            "ellipsis_lines_ratio",
            "fraction of lines ending with an ellipsis",
            ratio(ellipsis_lines, lines.len()),
            Limit::Max(t.max_ellipsis_lines_ratio),
        ),
        Measure::new(
            "alpha_words_ratio",
            "fraction of words with a letter",
            ratio(alpha, n),
            Limit::Min(t.min_alpha_words_ratio),
        ),
        Measure::new(
            "stop_words",
            "stop words",
            stops.map(|s| s as f64),
            Limit::Min(t.min_stop_words as f64),
        ),
    ];
    FamilyScores {
        family: Family::GopherQuality,
        measures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> HashSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    fn failed(lines: &[&str], stop: Option<&HashSet<String>>, t: &GopherQuality) -> Vec<String> {
        measure(lines, stop, t).failures().collect()
    }

    /// `n` words of `len` letters each ("aaa aaa …"), on one line.
    fn words_of(n: usize, len: usize) -> String {
        vec!["a".repeat(len); n].join(" ")
    }

    fn loose() -> GopherQuality {
        GopherQuality {
            min_words: 0,
            min_stop_words: 0,
            ..GopherQuality::default()
        }
    }

    #[test]
    fn word_count_bounds_are_inclusive() {
        let t = GopherQuality::default();
        assert!(failed(&[&words_of(50, 4)], None, &t).is_empty());
        assert_eq!(
            failed(&[&words_of(49, 4)], None, &t),
            ["word_count: word count 49 < 50"]
        );
        let t = GopherQuality { max_words: 60, ..t };
        assert!(failed(&[&words_of(60, 4)], None, &t).is_empty());
        assert_eq!(
            failed(&[&words_of(61, 4)], None, &t),
            ["word_count: word count 61 > 60"]
        );
    }

    #[test]
    fn mean_word_length_bounds() {
        let t = loose();
        // 2 and 4 letters: mean 3, just passes; 2 and 3: mean 2.5, fails.
        assert!(failed(&["ab abcd ab abcd"], None, &t).is_empty());
        assert_eq!(
            failed(&["ab abc ab abc"], None, &t),
            ["mean_word_length: mean word length 2.5 < 3"]
        );
        assert!(failed(&[&words_of(4, 10)], None, &t).is_empty());
        assert_eq!(
            failed(&[&words_of(4, 11)], None, &t),
            ["mean_word_length: mean word length 11 > 10"]
        );
    }

    #[test]
    fn hash_and_ellipsis_ratios() {
        let t = loose();
        let ten = words_of(10, 4);
        assert!(failed(&[&format!("{ten} #")], None, &t).is_empty());
        assert_eq!(
            failed(&[&format!("{ten} ##")], None, &t),
            ["hash_ratio: '#' per word 0.2 > 0.1"]
        );
        assert!(failed(&[&format!("… {ten}")], None, &t).is_empty());
        assert_eq!(
            failed(&[&format!("…... {ten}")], None, &t),
            ["ellipsis_ratio: ellipses per word 0.2 > 0.1"]
        );
    }

    #[test]
    fn bullet_and_ellipsis_lines() {
        let t = loose();
        let line = words_of(5, 4);
        let bullet = format!("• {line}");
        // 9 of 10 bullet lines pass (0.9), 10 of 10 fail.
        let mut lines: Vec<&str> = vec![bullet.as_str(); 9];
        lines.push(&line);
        assert!(failed(&lines, None, &t).is_empty());
        lines[9] = "- aaaa aaaa aaaa aaaa";
        assert_eq!(
            failed(&lines, None, &t),
            ["bullet_lines_ratio: fraction of lines starting with a bullet 1 > 0.9"]
        );
        let trailing = format!("{line}…");
        // 3 of 10 lines ending with an ellipsis pass (0.3), 4 of 10 fail.
        let mut lines: Vec<&str> = vec![line.as_str(); 10];
        lines[..3].fill(trailing.as_str());
        assert!(failed(&lines, None, &t).is_empty());
        lines[3] = trailing.as_str();
        assert_eq!(
            failed(&lines, None, &t),
            ["ellipsis_lines_ratio: fraction of lines ending with an ellipsis 0.4 > 0.3"]
        );
    }

    #[test]
    fn words_without_letters() {
        let t = loose();
        // 8 of 10 words with a letter pass; 7 of 10 fail.
        assert!(failed(
            &["aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa 1234 2024"],
            None,
            &t
        )
        .is_empty());
        assert_eq!(
            failed(
                &["aaaa aaaa aaaa aaaa aaaa aaaa aaaa 1234 2024 1999"],
                None,
                &t
            ),
            ["alpha_words_ratio: fraction of words with a letter 0.7 < 0.8"]
        );
    }

    #[test]
    fn stop_words_need_a_list_and_two_hits() {
        let t = GopherQuality {
            min_words: 0,
            ..GopherQuality::default()
        };
        let fr = list(&["le", "la", "de", "l"]);
        assert!(failed(&["Le chat dort"], Some(&fr), &t)
            .iter()
            .any(|f| f == "stop_words: stop words 1 < 2"));
        assert!(failed(&["Le chat de l'école dort"], Some(&fr), &t).is_empty());
        // No list for the language: not measured, never failed.
        let scores = measure(&["zzzz zzzz"], None, &t);
        assert_eq!(scores.measures[7].value, None);
        assert!(scores.failures().next().is_none());
    }

    #[test]
    fn french_text_passes_on_french_stop_words_and_fails_on_english_ones() {
        let t = GopherQuality {
            min_words: 0,
            ..GopherQuality::default()
        };
        let fr = super::super::builtin_stop_words("fr").expect("nltk has French");
        let en = super::super::builtin_stop_words("en").expect("nltk has English");
        let text = ["Les habitants de la vallée préparent une grande fête pour célébrer la récolte des pommes dans le village."];
        assert!(failed(&text, Some(&fr), &t).is_empty());
        assert_eq!(
            failed(&text, Some(&en), &t),
            ["stop_words: stop words 0 < 2"]
        );
    }
}
