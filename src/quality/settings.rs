//! The `[quality]` table of `polyclean.toml`: the mode, each family's thresholds, and
//! per-language overrides. Every threshold has a built-in default (its source is in
//! `docs/quality-filters.md`); a key set under `[quality.<family>]` replaces it for every
//! language, and one under `[quality.lang.<code>.<family>]` for that language only.
//!
//! ```toml
//! [quality]
//! mode = "filter"                 # off | annotate | filter (the --quality flag)
//!
//! [quality.c4]
//! terminal_punct = false          # FineWeb's own pipeline switches this rule off
//!
//! [quality.lang.de.gopher_quality]
//! max_mean_word_length = 12       # German compounds
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// What the quality stage does (`--quality`, `quality.mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum QualityMode {
    /// The stage does not run; the output is as without it.
    #[default]
    Off,
    /// Measure every document and write the scores; drop nothing.
    Annotate,
    /// Measure, write the scores, and drop what fails.
    Filter,
}

/// Declares one family's resolved thresholds (with their defaults) and the matching table of
/// optional overrides, so the two can never disagree on a key.
macro_rules! family_settings {
    (
        $(#[$meta:meta])* $name:ident, $(#[$ometa:meta])* $over:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $default:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            /// Whether the family runs.
            pub enabled: bool,
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { enabled: true, $( $field: $default, )* }
            }
        }

        $(#[$ometa])*
        #[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $over {
            /// `false` switches the family off.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub enabled: Option<bool>,
            $(
                #[allow(missing_docs)]
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl $over {
            /// Set every key given here on `target`.
            pub fn apply(&self, target: &mut $name) {
                if let Some(v) = self.enabled {
                    target.enabled = v;
                }
                $( if let Some(v) = &self.$field { target.$field = v.clone(); } )*
            }

            /// True when no key is set.
            pub fn is_empty(&self) -> bool {
                *self == $over::default()
            }
        }
    };
}

family_settings! {
    /// Gopher quality thresholds (Rae et al. 2021, appendix A; datatrove's defaults).
    GopherQuality,
    /// `[quality.gopher_quality]`.
    GopherQualityOverrides {
        /// Fewer words fail.
        min_words: u64 = 50,
        /// More words fail.
        max_words: u64 = 100_000,
        /// A smaller mean word length (characters) fails.
        min_mean_word_length: f64 = 3.0,
        /// A larger mean word length fails.
        max_mean_word_length: f64 = 10.0,
        /// More `#`, or more `...`/`…`, per word fails.
        max_symbol_word_ratio: f64 = 0.1,
        /// A larger fraction of lines starting with a bullet fails.
        max_bullet_lines_ratio: f64 = 0.9,
        /// A larger fraction of lines ending with an ellipsis fails.
        max_ellipsis_lines_ratio: f64 = 0.3,
        /// A smaller fraction of words holding a letter fails.
        min_alpha_words_ratio: f64 = 0.8,
        /// Fewer stop words of the document's language fail.
        min_stop_words: u64 = 2,
        /// The stop words to count; empty: the built-in list of the document's language.
        stop_words: Vec<String> = Vec::new(),
    }
}

family_settings! {
    /// Gopher repetition thresholds (Rae et al. 2021, table A1): maxima of each fraction.
    GopherRepetition,
    /// `[quality.gopher_repetition]`.
    GopherRepetitionOverrides {
        /// Duplicate lines / lines.
        max_dup_line_frac: f64 = 0.3,
        /// Duplicate paragraphs / paragraphs.
        max_dup_para_frac: f64 = 0.3,
        /// Characters in duplicate lines / characters.
        max_dup_line_char_frac: f64 = 0.2,
        /// Characters in duplicate paragraphs / characters.
        max_dup_para_char_frac: f64 = 0.2,
        /// Characters of the most frequent word 2-gram (times its count) / characters.
        max_top_2gram_char_frac: f64 = 0.2,
        /// The same for 3-grams.
        max_top_3gram_char_frac: f64 = 0.18,
        /// The same for 4-grams.
        max_top_4gram_char_frac: f64 = 0.16,
        /// Characters in repeated word 5-grams / characters.
        max_dup_5gram_char_frac: f64 = 0.15,
        /// The same for 6-grams.
        max_dup_6gram_char_frac: f64 = 0.14,
        /// The same for 7-grams.
        max_dup_7gram_char_frac: f64 = 0.13,
        /// The same for 8-grams.
        max_dup_8gram_char_frac: f64 = 0.12,
        /// The same for 9-grams.
        max_dup_9gram_char_frac: f64 = 0.11,
        /// The same for 10-grams.
        max_dup_10gram_char_frac: f64 = 0.10,
    }
}

family_settings! {
    /// C4 rules (Raffel et al. 2020, section 2.2; datatrove `C4QualityFilter` defaults).
    C4,
    /// `[quality.c4]`.
    C4Overrides {
        /// Line rule: drop lines that do not end in terminal punctuation (or end in `...`).
        terminal_punct: bool = true,
        /// Line rule: drop lines with fewer words (0: off).
        min_words_per_line: u64 = 3,
        /// Line rule: drop lines holding a longer word, in characters (0: off).
        max_word_length: u64 = 1000,
        /// Line rule: drop lines mentioning "javascript".
        javascript: bool = true,
        /// Line rule: drop lines with a terms-of-use / privacy / cookie-policy phrase.
        policy: bool = true,
        /// Ignore Wikipedia-style citations (`[1]`, `[edit]`) when testing the line's end.
        remove_citations: bool = true,
        /// Document rule: drop documents with "lorem ipsum".
        lorem_ipsum: bool = true,
        /// Document rule: drop documents with a `{`.
        curly_bracket: bool = true,
        /// Document rule: drop documents with fewer sentences in their kept lines (0: off).
        min_sentences: u64 = 5,
    }
}

family_settings! {
    /// FineWeb rules (Penedo et al. 2024; datatrove `FineWebQualityFilter` defaults).
    FineWeb,
    /// `[quality.fineweb]`.
    FineWebOverrides {
        /// The fraction of lines ending in terminal punctuation must be above this.
        min_line_punct_ratio: f64 = 0.12,
        /// Do not fail documents where no line ends in terminal punctuation.
        line_punct_exclude_zero: bool = false,
        /// The fraction of short lines must be below this.
        max_short_line_ratio: f64 = 0.67,
        /// A line of at most this many characters is short.
        short_line_length: u64 = 30,
        /// Characters in duplicate lines / characters must be below this.
        max_char_dup_ratio: f64 = 0.01,
        /// Line breaks per word may be at most this.
        max_list_ratio: f64 = 0.3,
    }
}

/// Every family's thresholds, resolved for one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thresholds {
    /// Gopher quality.
    pub gopher_quality: GopherQuality,
    /// Gopher repetition.
    pub gopher_repetition: GopherRepetition,
    /// C4.
    pub c4: C4,
    /// FineWeb.
    pub fineweb: FineWeb,
}

/// Overrides of every family (the body of `[quality]` or of `[quality.lang.<code>]`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyOverrides {
    /// `[…gopher_quality]`.
    #[serde(default, skip_serializing_if = "GopherQualityOverrides::is_empty")]
    pub gopher_quality: GopherQualityOverrides,
    /// `[…gopher_repetition]`.
    #[serde(default, skip_serializing_if = "GopherRepetitionOverrides::is_empty")]
    pub gopher_repetition: GopherRepetitionOverrides,
    /// `[…c4]`.
    #[serde(default, skip_serializing_if = "C4Overrides::is_empty")]
    pub c4: C4Overrides,
    /// `[…fineweb]`.
    #[serde(default, skip_serializing_if = "FineWebOverrides::is_empty")]
    pub fineweb: FineWebOverrides,
}

impl FamilyOverrides {
    fn apply(&self, t: &mut Thresholds) {
        self.gopher_quality.apply(&mut t.gopher_quality);
        self.gopher_repetition.apply(&mut t.gopher_repetition);
        self.c4.apply(&mut t.c4);
        self.fineweb.apply(&mut t.fineweb);
    }
}

/// The `[quality]` table. `quality = "filter"` is accepted as a short form of
/// `[quality] mode = "filter"`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QualityConfig {
    /// What the stage does; unset: off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<QualityMode>,
    /// `[quality.gopher_quality]`, for every language.
    #[serde(default, skip_serializing_if = "GopherQualityOverrides::is_empty")]
    pub gopher_quality: GopherQualityOverrides,
    /// `[quality.gopher_repetition]`, for every language.
    #[serde(default, skip_serializing_if = "GopherRepetitionOverrides::is_empty")]
    pub gopher_repetition: GopherRepetitionOverrides,
    /// `[quality.c4]`, for every language.
    #[serde(default, skip_serializing_if = "C4Overrides::is_empty")]
    pub c4: C4Overrides,
    /// `[quality.fineweb]`, for every language.
    #[serde(default, skip_serializing_if = "FineWebOverrides::is_empty")]
    pub fineweb: FineWebOverrides,
    /// Overrides for one language, by its code (`fr`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lang: BTreeMap<String, FamilyOverrides>,
}

impl QualityConfig {
    /// True when nothing is set (the table is then left out of printed configurations).
    pub fn is_empty(&self) -> bool {
        *self == QualityConfig::default()
    }

    /// The mode (off when unset).
    pub fn mode(&self) -> QualityMode {
        self.mode.unwrap_or_default()
    }

    /// `self` (the command line, which sets only the mode) over `base` (the file).
    pub fn overlay(self, base: QualityConfig) -> QualityConfig {
        QualityConfig {
            mode: self.mode.or(base.mode),
            ..base
        }
    }

    /// The thresholds for documents in `lang` (`None`: no language): defaults, then
    /// `[quality.<family>]`, then `[quality.lang.<lang>.<family>]`.
    pub fn thresholds(&self, lang: Option<&str>) -> Thresholds {
        let mut t = Thresholds::default();
        self.gopher_quality.apply(&mut t.gopher_quality);
        self.gopher_repetition.apply(&mut t.gopher_repetition);
        self.c4.apply(&mut t.c4);
        self.fineweb.apply(&mut t.fineweb);
        if let Some(over) = lang.and_then(|l| self.lang.get(l)) {
            over.apply(&mut t);
        }
        t
    }

    /// Language keys must be codes polyclean writes (`fr`, not `fra` or `french`), or the
    /// overrides would silently never apply.
    pub fn check(&self) -> Result<(), String> {
        for code in self.lang.keys() {
            let known = crate::lang::parse_code(code)
                .is_some_and(|l| crate::lang::output_code(l) == code.as_str());
            if !known {
                let hint = crate::lang::parse_code(code)
                    .map(|l| format!("; write it `{}`", crate::lang::output_code(l)))
                    .unwrap_or_default();
                return Err(format!(
                    "[quality.lang.{code}]: unknown language code `{code}`{hint} (ISO 639-1 as in the output's `lang`, e.g. fr)"
                ));
            }
        }
        Ok(())
    }
}

/// `quality = "filter"` or a `[quality]` table.
pub fn mode_or_table<'de, D: Deserializer<'de>>(d: D) -> Result<QualityConfig, D::Error> {
    use serde::de::Error;
    match toml::Value::deserialize(d)? {
        toml::Value::String(mode) => {
            let mode =
                QualityMode::deserialize(toml::Value::String(mode.clone())).map_err(|_| {
                    D::Error::custom(format!(
                        "quality: unknown mode `{mode}`; use \"off\", \"annotate\" or \"filter\""
                    ))
                })?;
            Ok(QualityConfig {
                mode: Some(mode),
                ..QualityConfig::default()
            })
        }
        table @ toml::Value::Table(_) => QualityConfig::deserialize(table)
            .map_err(|e| D::Error::custom(format!("[quality]: {e}"))),
        _ => Err(D::Error::custom(
            "quality: give a mode (\"off\", \"annotate\", \"filter\") or a [quality] table",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<QualityConfig, String> {
        #[derive(Deserialize)]
        struct File {
            #[serde(deserialize_with = "mode_or_table")]
            quality: QualityConfig,
        }
        toml::from_str::<File>(text)
            .map(|f| f.quality)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_are_the_published_ones() {
        let t = Thresholds::default();
        assert_eq!(t.gopher_quality.min_words, 50);
        assert_eq!(t.gopher_quality.max_mean_word_length, 10.0);
        assert_eq!(t.gopher_repetition.max_top_3gram_char_frac, 0.18);
        assert_eq!(t.gopher_repetition.max_dup_10gram_char_frac, 0.10);
        assert_eq!(t.c4.min_sentences, 5);
        assert_eq!(t.fineweb.max_short_line_ratio, 0.67);
    }

    #[test]
    fn language_overrides_apply_over_family_overrides() {
        let c = parse(
            "[quality]\nmode = \"filter\"\n[quality.gopher_quality]\nmin_words = 20\nmax_mean_word_length = 11\n[quality.lang.de.gopher_quality]\nmax_mean_word_length = 12\n[quality.lang.de.c4]\nenabled = false\n",
        )
        .expect("valid");
        assert_eq!(c.mode(), QualityMode::Filter);
        let de = c.thresholds(Some("de"));
        assert_eq!(
            (
                de.gopher_quality.min_words,
                de.gopher_quality.max_mean_word_length
            ),
            (20, 12.0)
        );
        assert!(!de.c4.enabled);
        let fr = c.thresholds(Some("fr"));
        assert_eq!(fr.gopher_quality.max_mean_word_length, 11.0);
        assert!(fr.c4.enabled);
    }

    #[test]
    fn short_form_sets_the_mode() {
        assert_eq!(
            parse("quality = \"annotate\"").expect("valid").mode(),
            QualityMode::Annotate
        );
        let err = parse("quality = \"strict\"").unwrap_err();
        assert!(err.contains("unknown mode `strict`"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = parse("[quality.gopher_quality]\nmin_word = 3\n").unwrap_err();
        assert!(err.contains("min_word"), "{err}");
        let err = parse("[quality.gopher]\nmin_words = 3\n").unwrap_err();
        assert!(err.contains("gopher"), "{err}");
    }

    #[test]
    fn language_keys_must_be_output_codes() {
        let c = parse("[quality.lang.fra.c4]\nenabled = false\n").expect("parses");
        let err = c.check().unwrap_err();
        assert!(err.contains("write it `fr`"), "{err}");
        let c = parse("[quality.lang.fr.c4]\nenabled = false\n").expect("parses");
        assert_eq!(c.check(), Ok(()));
    }

    #[test]
    fn printed_table_parses_back() {
        let c = parse("[quality]\nmode = \"filter\"\n[quality.fineweb]\nshort_line_length = 40\n[quality.lang.fr.gopher_quality]\nstop_words = [\"le\", \"la\"]\n").expect("valid");
        #[derive(Serialize)]
        struct File<'a> {
            quality: &'a QualityConfig,
        }
        let printed = toml::to_string(&File { quality: &c }).expect("printable");
        assert_eq!(parse(&printed).expect("valid"), c);
    }
}
