//! The form a paragraph is compared in, and its stable hash.
//!
//! Two paragraphs are duplicates when their normal forms are equal: CCNet's normalisation
//! for deduplication (Wenzek et al. 2020, `normalize_for_dedup`), so that case, accents,
//! numbers, punctuation and spacing — what differs between two copies of one template line or
//! one article — do not matter.

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Unicode punctuation (general category P) and invisible format characters (Cf: soft
/// hyphens, zero-width joiners, direction marks): removed without a trace.
fn removed() -> &'static Regex {
    static REMOVED: OnceLock<Regex> = OnceLock::new();
    REMOVED.get_or_init(|| Regex::new(r"[\p{P}\p{Cf}]+").expect("a valid pattern"))
}

/// The normal form of `text`: lowercased; decomposed (NFD) with the combining marks removed
/// (`é` → `e`); every numeric character replaced by `0`; punctuation and format characters
/// removed; control characters and whitespace runs turned into one space; no space at the ends.
pub fn normal_form(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.to_lowercase().nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            folded.push(' ');
        } else if c.is_numeric() {
            folded.push('0');
        } else {
            folded.push(c);
        }
    }
    let unpunctuated = removed().replace_all(&folded, "");
    let mut out = String::with_capacity(unpunctuated.len());
    for word in unpunctuated.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The 64-bit hash of a normal form: XXH3-64 (seed 0) of its UTF-8 bytes. XXH3 is a specified
/// algorithm, so the hash is the same on every machine and in every version of polyclean —
/// tables written on one machine are read on another.
pub fn hash_normal(normal: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(normal.as_bytes())
}

/// The hash a paragraph is deduplicated under, or `None` when its normal form is empty (a
/// paragraph of punctuation only is nobody's duplicate).
pub fn paragraph_hash(text: &str) -> Option<u64> {
    let normal = normal_form(text);
    (!normal.is_empty()).then(|| hash_normal(&normal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_digits_punctuation_and_spaces_are_folded() {
        assert_eq!(
            normal_form("  Le Chât est sur la TABLE,\t5 !  "),
            "le chat est sur la table 0"
        );
        assert_eq!(normal_form("Prix : 12,50 €"), "prix 0000 €", "symbols stay");
        assert_eq!(normal_form("l’«été» — 2024…"), "lete 0000");
        assert_eq!(
            normal_form("soft\u{AD}hyphen zero\u{200B}width"),
            "softhyphen zerowidth"
        );
        assert_eq!(normal_form("line\none\r\ntwo"), "line one two");
    }

    #[test]
    fn non_latin_scripts_keep_their_letters() {
        assert_eq!(normal_form("Привет, Мир!"), "привет мир");
        assert_eq!(normal_form("東京は晴れ。٣ أيام"), "東京は晴れ0 ايام");
    }

    #[test]
    fn the_normal_form_is_idempotent() {
        for text in ["Le Chât, 5 !", "l’«été» — 2024…", "Привет, Мир!", "a  -  b"]
        {
            let once = normal_form(text);
            assert_eq!(normal_form(&once), once, "{text}");
        }
    }

    #[test]
    fn the_hash_is_xxh3_64_of_the_normal_form() {
        // Expected values computed outside polyclean, with Python's `xxhash` package:
        // xxhash.xxh3_64_intdigest(b"le chat est sur la table 0") and b"hello world".
        assert_eq!(
            paragraph_hash("  Le Chât est sur la TABLE,\t5 !  "),
            Some(8_892_647_566_920_870_351)
        );
        assert_eq!(paragraph_hash("Hello, World!"), Some(0xd447_b1ea_40e6_988b));
    }

    #[test]
    fn punctuation_only_has_no_hash() {
        assert_eq!(paragraph_hash("* * * — …"), None);
        assert_eq!(paragraph_hash(""), None);
    }
}
