//! ISO 639 codes: whatlang speaks ISO 639-3 (`fra`), our output speaks ISO 639-1 (`fr`)
//! wherever a two-letter code exists.

use whatlang::Lang;

/// ISO 639-3 (whatlang's code) → ISO 639-1, for every whatlang language that has one.
const ISO_639_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// The output code of a whatlang language: ISO 639-1 when it exists, else ISO 639-3.
pub fn output_code(lang: Lang) -> &'static str {
    let three = lang.code();
    ISO_639_1
        .iter()
        .find(|(t, _)| *t == three)
        .map_or(three, |(_, two)| two)
}

/// Parse a user-supplied code, ISO 639-1 (`fr`) or ISO 639-3 (`fra`), case-insensitively.
pub fn parse_code(code: &str) -> Option<Lang> {
    let code = code.trim().to_ascii_lowercase();
    if let Some((three, _)) = ISO_639_1.iter().find(|(_, two)| *two == code) {
        return Lang::from_code(*three);
    }
    Lang::from_code(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whatlang_language_has_an_output_code_that_parses_back() {
        for &lang in Lang::all() {
            let code = output_code(lang);
            assert_eq!(parse_code(code), Some(lang), "{code}");
        }
    }

    #[test]
    fn accepts_both_iso_639_1_and_639_3() {
        assert_eq!(parse_code("FR"), Some(Lang::Fra));
        assert_eq!(parse_code("spa"), Some(Lang::Spa));
        assert_eq!(parse_code("xx"), None);
    }
}
