//! Sentence boundaries, for per-sentence language detection.
//!
//! A sentence ends at `.`, `!`, `?`, `…` (or a run of them), optionally followed by closing
//! quotes or brackets, then whitespace — except after an abbreviation (`M.`, `Dr.`, `etc.`,
//! `p. ex.`), an initial (`J. Smith`), or an ordinal or number followed by a lowercase word
//! (`le 3. mai`). CJK full stops end a sentence without any space. Lowercase starts are
//! allowed: chat and forum text often skips capitals, and a missed boundary costs more (two
//! languages merged into one unit) than a spurious one (a short unit the paragraph's language
//! absorbs).

use std::collections::HashSet;
use std::ops::Range;

/// Closing punctuation that may sit between a terminator and the following space.
const CLOSERS: &[char] = &['"', '\'', '»', '”', '’', ')', ']', '›'];
/// Full stops of scripts written without spaces (Chinese, Japanese).
const CJK_STOPS: &[char] = &['。', '！', '？'];

/// Split `text` into sentences: trimmed, non-empty byte ranges in order. `abbreviations` are
/// lowercase words without their final period.
///
/// Walks the text by byte offset (no vector of characters per paragraph: this runs on every
/// paragraph), skipping ASCII bytes that can neither end a sentence nor be a CJK stop.
pub fn sentence_ranges(text: &str, abbreviations: &HashSet<String>) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < text.len() {
        if bytes[pos].is_ascii() && !matches!(bytes[pos], b'.' | b'!' | b'?') {
            pos += 1;
            continue;
        }
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        let next = pos + c.len_utf8();
        if CJK_STOPS.contains(&c) {
            push_trimmed(text, start..next, &mut ranges);
            start = next;
            pos = next;
            continue;
        }
        if !is_terminator(c) {
            pos = next;
            continue;
        }
        // Take the whole run of terminators and closers.
        let mut end = next;
        while let Some(n) = text[end..]
            .chars()
            .next()
            .filter(|&n| is_terminator(n) || CLOSERS.contains(&n))
        {
            end += n.len_utf8();
        }
        // French closing guillemets follow a (no-break) space: « non. »
        let mut after = text[end..].chars();
        if let (Some(space), Some(quote)) = (after.next(), after.next()) {
            if space.is_whitespace() && matches!(quote, '»' | '›') {
                end += space.len_utf8() + quote.len_utf8();
            }
        }
        let rest = &text[end..];
        let followed_by_space = rest.chars().next().is_none_or(char::is_whitespace);
        if followed_by_space && !is_false_stop(text, pos, c, rest, abbreviations) {
            push_trimmed(text, start..end, &mut ranges);
            start = end;
        }
        pos = end;
    }
    push_trimmed(text, start..text.len(), &mut ranges);
    ranges
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‽')
}

/// A period that does not end a sentence: after an abbreviation, an initial, or a number
/// followed by a lowercase word.
fn is_false_stop(
    text: &str,
    pos: usize,
    c: char,
    rest: &str,
    abbreviations: &HashSet<String>,
) -> bool {
    if c != '.' {
        return false;
    }
    let word = last_word(&text[..pos]);
    if word.is_empty() {
        return false;
    }
    let next = rest.chars().find(|n| !n.is_whitespace());
    let next_is_lower = next.is_some_and(|n| n.is_lowercase());
    let single_letter = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    if single_letter && word.chars().all(char::is_uppercase) {
        return true; // an initial: "J. Smith"
    }
    if word.chars().all(|ch| ch.is_ascii_digit()) {
        return next_is_lower; // "le 3. mai", but "en 1987. Il"
    }
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        abbreviations.contains(word) // already lowercase: no string to build
    } else {
        abbreviations.contains(&word.to_lowercase())
    }
}

/// The run of letters, digits and inner periods/hyphens just before `pos` (`p. ex` → `ex`,
/// `J.-C` → `j.-c`).
fn last_word(before: &str) -> &str {
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '.' || ch == '-'))
        .map_or(0, |(i, ch)| i + ch.len_utf8());
    before[start..].trim_start_matches(['.', '-'])
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let abbreviations: HashSet<String> = ["m", "dr", "etc", "ex", "p", "sr", "av", "j.-c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sentence_ranges(text, &abbreviations)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_at_terminators_followed_by_space() {
        assert_eq!(
            split("Il pleut. It rains! ¿Llueve? Oui…"),
            ["Il pleut.", "It rains!", "¿Llueve?", "Oui…"]
        );
    }

    #[test]
    fn abbreviations_initials_and_ordinals_do_not_end_sentences() {
        assert_eq!(
            split("M. Dupont et le Dr. Ruiz, etc. sont venus le 3. mai, vers 50 av. J.-C. ici."),
            ["M. Dupont et le Dr. Ruiz, etc. sont venus le 3. mai, vers 50 av. J.-C. ici."]
        );
        assert_eq!(
            split("Written by J. R. Tolkien in 1937. It sold."),
            ["Written by J. R. Tolkien in 1937.", "It sold."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("Il a dit « non. » Puis il est parti. \"Yes.\" Fine."),
            [
                "Il a dit « non. »",
                "Puis il est parti.",
                "\"Yes.\"",
                "Fine."
            ]
        );
    }

    #[test]
    fn lowercase_starts_and_decimals() {
        assert_eq!(
            split("C'est fini. whatever, you know. Pi vaut 3.14 environ."),
            [
                "C'est fini.",
                "whatever, you know.",
                "Pi vaut 3.14 environ."
            ]
        );
    }

    /// The splitter as it was before it walked byte offsets (a vector of characters per
    /// text), kept to check the two agree.
    fn reference_split(text: &str, abbreviations: &HashSet<String>) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            if CJK_STOPS.contains(&c) {
                let end = pos + c.len_utf8();
                push_trimmed(text, start..end, &mut ranges);
                start = end;
                i += 1;
                continue;
            }
            if !is_terminator(c) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < chars.len() && (is_terminator(chars[j].1) || CLOSERS.contains(&chars[j].1)) {
                j += 1;
            }
            if j + 1 < chars.len()
                && chars[j].1.is_whitespace()
                && matches!(chars[j + 1].1, '»' | '›')
            {
                j += 2;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let followed_by_space = chars.get(j).is_none_or(|&(_, n)| n.is_whitespace());
            if followed_by_space && !is_false_stop(text, pos, c, &text[end..], abbreviations) {
                push_trimmed(text, start..end, &mut ranges);
                start = end;
            }
            i = j;
        }
        push_trimmed(text, start..text.len(), &mut ranges);
        ranges
    }

    #[test]
    fn walking_bytes_splits_as_walking_characters_did() {
        let abbreviations: HashSet<String> = ["m", "dr", "etc", "ex", "p", "j.-c", "sr"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Every combination of a few tricky pieces, so runs, closers, guillemets, CJK stops,
        // abbreviations (any case), initials and numbers meet each other.
        let pieces = [
            "Il pleut",
            ". ",
            "!? ",
            "…",
            "» ",
            " »",
            "\u{a0}»",
            "\"",
            "M.",
            "DR. ",
            "Etc. ",
            "J. ",
            "3. mai",
            "1987. Il",
            "今日は晴れ。",
            "？",
            "é. É",
            "‽",
            ".",
            " ",
            "x",
            "ÉTAT. ",
            "p. ex. ",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}{a}");
                    assert_eq!(
                        sentence_ranges(&text, &abbreviations),
                        reference_split(&text, &abbreviations),
                        "{text:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn cjk_stops_need_no_space_and_blank_text_has_no_sentence() {
        assert_eq!(
            split("今日は晴れ。明日は雨？"),
            ["今日は晴れ。", "明日は雨？"]
        );
        assert!(split("   ").is_empty());
    }
}
