//! Normalization on arbitrary text, both forms: no panic, idempotent, no control characters,
//! no leading, trailing or doubled whitespace.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polyclean::normalize::{normalize, UnicodeForm};

fuzz_target!(|text: &str| {
    for form in [UnicodeForm::Nfc, UnicodeForm::Nfkc] {
        let once = normalize(text, form);
        assert_eq!(
            normalize(&once, form),
            once,
            "not idempotent under {form:?}"
        );
        assert_eq!(once.trim(), once);
        assert!(!once.chars().any(char::is_control));
    }
});
