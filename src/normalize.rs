//! Stage 2: Unicode and whitespace normalization of paragraph text.
//!
//! What changes: Unicode composition (NFC, or NFKC on request), control characters,
//! zero-width and bidi-control characters (removed), whitespace runs (collapsed) and the
//! ends (trimmed). What never changes: letters, accents, punctuation. French typography
//! survives: a run of whitespace that holds a no-break space collapses to that no-break space,
//! so `« en pointe »` keeps its U+00A0 under NFC (NFKC, by definition, turns it into a space).
//!
//! Normalizing twice equals normalizing once (property-tested below).

use serde::{Deserialize, Serialize};
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// The Unicode normalization form applied to every paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum UnicodeForm {
    /// Canonical composition: `e` + combining acute becomes `é`; nothing else changes.
    #[default]
    Nfc,
    /// Compatibility composition: also folds ligatures, full-width forms, `…`, no-break spaces.
    Nfkc,
}

/// Normalize one paragraph's text.
pub fn normalize(text: &str, form: UnicodeForm) -> String {
    if is_normalized(text, form) {
        return text.to_owned();
    }
    normalize_fully(text, form)
}

/// Normalize `text` where it lies: most scraped paragraphs are already normalized, and then
/// this neither copies nor allocates.
pub fn normalize_in_place(text: &mut String, form: UnicodeForm) {
    if !is_normalized(text, form) {
        *text = normalize_fully(text, form);
    }
}

/// True when [`normalize`] would return `text` unchanged, decided in one pass without
/// allocating: no character to remove or to turn into a space, every whitespace run one
/// character long (not a line separator) and inside the text, and Unicode's quick check says
/// "in the form" (ASCII always is). A "maybe" from the quick check counts as no: the full
/// path then decides.
pub fn is_normalized(text: &str, form: UnicodeForm) -> bool {
    let bytes = text.as_bytes();
    let mut after_space = true; // leading whitespace would be trimmed
    let mut ascii = true;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII (most of the text) is judged on its byte: its only whitespace that stays is
        // the space, everything below it and DEL are controls.
        let space = if bytes[i] < 0x80 {
            let b = bytes[i];
            i += 1;
            if b < 0x20 || b == 0x7f {
                return false;
            }
            b == b' '
        } else {
            let Some(c) = text[i..].chars().next() else {
                return false;
            };
            i += c.len_utf8();
            ascii = false;
            if is_removed(c) || is_joiner(c) || is_whitespace_control(c) || is_line_separator(c) {
                return false;
            }
            c.is_whitespace()
        };
        if space && after_space {
            return false;
        }
        after_space = space;
    }
    if after_space && !text.is_empty() {
        return false; // trailing whitespace would be trimmed
    }
    ascii
        || match form {
            UnicodeForm::Nfc => is_nfc_quick(text.chars()) == IsNormalized::Yes,
            UnicodeForm::Nfkc => is_nfkc_quick(text.chars()) == IsNormalized::Yes,
        }
}

/// The whole normalization, character by character (the reference [`is_normalized`]
/// short-cuts).
fn normalize_fully(text: &str, form: UnicodeForm) -> String {
    let mut composed = compose(&remove_invisible(text), form);
    // Composition can change a kept joiner's neighbour (NFKC turns U+FE76 into a space and a
    // mark; canonical reordering moves a mark next to it), so joiners are judged again on
    // the composed text until nothing changes; otherwise a later pass would drop them and
    // normalization would not be idempotent. Each round removes a joiner or ends the loop,
    // and it only runs on text that still holds joiners (rare).
    while composed.contains(is_joiner) {
        let again = compose(&remove_invisible(&composed), form);
        if again == composed {
            break;
        }
        composed = again;
    }
    collapse_whitespace(&composed)
}

fn compose(text: &str, form: UnicodeForm) -> String {
    match form {
        UnicodeForm::Nfc => text.nfc().collect(),
        UnicodeForm::Nfkc => text.nfkc().collect(),
    }
}

/// Drop control, zero-width and bidi-control characters. Zero-width (non-)joiners are kept
/// only between two characters of a script or emoji sequence where they change the rendering
/// (Arabic and Persian, Indic scripts, emoji); everywhere else they are scraping debris.
fn remove_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_joiner(c) {
            let prev_ok = out.chars().next_back().is_some_and(uses_joiners);
            let next_ok = chars.peek().copied().is_some_and(uses_joiners);
            if prev_ok && next_ok {
                out.push(c);
            }
        } else if is_whitespace_control(c) {
            out.push(' ');
        } else if !is_removed(c) {
            out.push(c);
        }
    }
    out
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}')
}

/// Tabs, line breaks and other control characters that separate words: they become spaces.
fn is_whitespace_control(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}')
}

/// Characters removed outright: controls, zero-width spaces, BOM, soft hyphen, bidi controls.
fn is_removed(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Scripts and symbols in which ZWJ/ZWNJ are meaningful. The ranges are closed under NFKC
/// (Arabic presentation forms fold into the Arabic block), which keeps normalization idempotent.
fn uses_joiners(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06ff}'
        | '\u{0750}'..='\u{077f}'
        | '\u{0900}'..='\u{0dff}'
        | '\u{fb50}'..='\u{fdff}'
        | '\u{fe70}'..='\u{fefe}'
        | '\u{2600}'..='\u{27bf}'
        | '\u{1f300}'..='\u{1faff}')
}

/// No-break spaces: kept (one) when they occur in a whitespace run, for French typography.
fn is_no_break(c: char) -> bool {
    matches!(c, '\u{00a0}' | '\u{202f}' | '\u{2007}')
}

/// Collapse each whitespace run to one character and trim both ends. A run keeps its first
/// no-break space if it has one, a lone space-like character (thin space…) is kept as is,
/// anything else becomes one ASCII space.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        if !run.is_empty() && !out.is_empty() {
            out.push(collapse_run(&run));
        }
        run.clear();
        out.push(c);
    }
    out
}

fn collapse_run(run: &[char]) -> char {
    if let Some(&nb) = run.iter().find(|&&c| is_no_break(c)) {
        nb
    } else if run.len() == 1 && !is_whitespace_control(run[0]) && !is_line_separator(run[0]) {
        run[0]
    } else {
        ' '
    }
}

fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nfc(s: &str) -> String {
        normalize(s, UnicodeForm::Nfc)
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(nfc("e\u{301}te\u{301}"), "été");
    }

    #[test]
    fn nfkc_folds_compatibility_characters() {
        assert_eq!(normalize("ﬁn…", UnicodeForm::Nfkc), "fin...");
    }

    #[test]
    fn removes_bom_controls_zero_width_and_bidi() {
        assert_eq!(
            nfc("\u{feff}Bon\u{200b}jour\u{200e} \u{7}monde\u{202e}"),
            "Bonjour monde"
        );
    }

    #[test]
    fn collapses_spaces_and_tabs_and_trims() {
        assert_eq!(nfc("  a \t  b\t\tc  "), "a b c");
    }

    #[test]
    fn keeps_french_no_break_spaces() {
        assert_eq!(nfc("«\u{a0}en pointe\u{a0}»"), "«\u{a0}en pointe\u{a0}»");
        assert_eq!(nfc("Question\u{202f}:"), "Question\u{202f}:");
        assert_eq!(nfc("35\u{a0}\u{a0}−\u{a0} 28"), "35\u{a0}−\u{a0}28");
    }

    #[test]
    fn never_touches_letters_accents_or_punctuation() {
        let s = "L’été « chaud » : ¿Qué? ¡Sí! — c’est ça…";
        assert_eq!(nfc(s), s);
    }

    #[test]
    fn crlf_inside_a_paragraph_becomes_a_space() {
        assert_eq!(nfc("one\r\ntwo"), "one two");
    }

    #[test]
    fn joiners_are_judged_again_until_reordering_settles() {
        // Canonical reordering moves the acute after the viramas one round at a time, and
        // each round gives a kept joiner a new neighbour: a fixed two rounds left the last
        // joiner next to the acute, and a second normalization dropped it (found by proptest).
        let text = "\u{301}\u{94d}\u{200c}\u{94d}\u{200c}\u{628}";
        let once = normalize(text, UnicodeForm::Nfc);
        assert_eq!(once, "\u{94d}\u{94d}\u{301}\u{628}");
        assert_eq!(normalize(&once, UnicodeForm::Nfc), once);
    }

    #[test]
    fn joiner_before_a_presentation_form_that_becomes_a_space_is_dropped() {
        // NFKC turns U+FE76 (fatha, isolated) into a space and a fatha: the joiner kept
        // before it by the first look has a space for neighbour after composition.
        assert_eq!(
            normalize("\u{915}\u{200c}\u{fe76}", UnicodeForm::Nfkc),
            "\u{915} \u{64e}"
        );
        assert_eq!(
            normalize("\u{628}\u{200d}\u{fe70}", UnicodeForm::Nfkc),
            "\u{628} \u{64b}"
        );
    }

    #[test]
    fn short_cut_sees_what_normalization_would_change() {
        for changed in [
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\u{2028}b",
            "a\u{200b}b",
            "e\u{301}",
            "\u{2126}",
            "a\u{200d}b",
        ] {
            assert!(!is_normalized(changed, UnicodeForm::Nfc), "{changed:?}");
        }
        assert!(!is_normalized("\u{fb01}", UnicodeForm::Nfkc));
        for unchanged in ["", "a b", "été « chaud »", "a\u{a0}b", "\u{fb01}"] {
            assert!(is_normalized(unchanged, UnicodeForm::Nfc), "{unchanged:?}");
        }
    }

    #[test]
    fn zero_width_joiner_kept_only_where_it_matters() {
        assert_eq!(nfc("a\u{200c}b"), "ab");
        let persian = "می\u{200c}خواهم";
        assert_eq!(nfc(persian), persian);
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(s in "\\PC*|[\\s\\u{a0}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}a-zé\\u{301}\\u{fb01}\\u{0600}-\\u{0605}\\u{0628}\\u{1f600}]{0,40}") {
            for form in [UnicodeForm::Nfc, UnicodeForm::Nfkc] {
                let once = normalize(&s, form);
                prop_assert_eq!(normalize(&once, form), once.clone());
            }
        }

        #[test]
        fn short_cut_only_for_text_normalization_leaves_unchanged(s in "\\PC*|[ \\t\\r\\n\\u{85}\\u{a0}\\u{2000}-\\u{200f}\\u{2028}\\u{202f}a-zé\\u{301}\\u{fb01}\\u{2126}\\u{628}\\u{7}]{0,12}") {
            for form in [UnicodeForm::Nfc, UnicodeForm::Nfkc] {
                if is_normalized(&s, form) {
                    prop_assert_eq!(normalize_fully(&s, form), s.clone());
                }
                let mut in_place = s.clone();
                normalize_in_place(&mut in_place, form);
                prop_assert_eq!(in_place, normalize_fully(&s, form));
            }
        }

        #[test]
        fn output_has_no_edge_or_double_whitespace(s in any::<String>()) {
            let out = nfc(&s);
            prop_assert_eq!(out.trim(), out.as_str());
            prop_assert!(!out.contains("  "));
            prop_assert!(!out.chars().any(|c| c.is_control()));
        }
    }
}
