//! Bytes to text: UTF-8 as is, UTF-16 by its BOM, legacy encodings (Windows-1252,
//! ISO-8859-x…) detected with chardetng and reported. Binary and empty inputs are refused.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// Text decoded from bytes, and a note when it was not plain UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// Set when the bytes were not UTF-8: which encoding was used.
    pub note: Option<String>,
}

/// Why bytes were refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// No bytes, or only whitespace.
    #[error("empty input")]
    Empty,
    /// NUL bytes outside UTF-16: an image, an archive, an executable.
    #[error("binary content (NUL bytes); not a text file")]
    Binary,
}

/// Decode a whole text file.
pub fn decode_file(bytes: &[u8]) -> Result<Decoded, Refused> {
    let decoded = decode(bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(Refused::Empty);
    }
    Ok(decoded)
}

/// Decode one record or file; the caller decides what empty means.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Refused> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            return Ok(Decoded {
                text: text.into_owned(),
                note: Some(format!("decoded as {}", encoding.name())),
            });
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(Refused::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            note: None,
        }),
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let encoding = detector.guess(None, true);
            let (text, _, _) = encoding.decode(bytes);
            Ok(Decoded {
                text: text.into_owned(),
                note: Some(format!("not valid UTF-8; decoded as {}", encoding.name())),
            })
        }
    }
}

/// Decode bytes whose charset was declared (e.g. by a `Content-Type` header): the declared
/// encoding when encoding_rs knows it and it is not UTF-8, else [`decode`] (UTF-8, or
/// detection when the bytes are not UTF-8). A declared encoding is the source's own word,
/// so using it earns no note.
pub fn decode_declared(bytes: &[u8], charset: Option<&str>) -> Result<Decoded, Refused> {
    let declared = charset.and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    let encoding = match declared {
        Some(encoding) if encoding != encoding_rs::UTF_8 => encoding,
        _ => return decode(bytes),
    };
    // Only UTF-16 has NUL bytes in text.
    if encoding != UTF_16LE && encoding != UTF_16BE && bytes.contains(&0) {
        return Err(Refused::Binary);
    }
    let (text, _) = encoding.decode_with_bom_removal(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_charset_is_used() {
        let d = decode_declared(b"caf\xe9 cr\xe8me", Some("ISO-8859-1")).expect("ok");
        assert_eq!(d.text, "café crème");
        assert_eq!(d.note, None);
    }

    #[test]
    fn an_unknown_or_utf8_charset_falls_back_to_detection() {
        assert_eq!(
            decode_declared("Été".as_bytes(), Some("utf-8"))
                .expect("ok")
                .text,
            "Été"
        );
        let d = decode_declared(b"Le pr\xe9sident a d\xe9clar\xe9", Some("no-such")).expect("ok");
        assert!(d.note.is_some());
        assert_eq!(
            decode_declared(b"a\0b", Some("latin1")),
            Err(Refused::Binary)
        );
    }

    #[test]
    fn utf8_passes_through_without_bom() {
        let d = decode_file("\u{feff}Été".as_bytes()).expect("ok");
        assert_eq!(
            d,
            Decoded {
                text: "Été".into(),
                note: None
            }
        );
    }

    #[test]
    fn windows_1252_is_detected_and_reported() {
        let bytes =
            b"Le pr\xe9sident a d\xe9clar\xe9 que l'\xe9t\xe9 serait chaud \x96 tr\xe8s chaud.";
        let d = decode_file(bytes).expect("ok");
        assert_eq!(
            d.text,
            "Le président a déclaré que l'été serait chaud – très chaud."
        );
        assert!(
            d.note
                .as_deref()
                .is_some_and(|n| n.contains("windows-1252")),
            "{:?}",
            d.note
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Hola".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_file(&bytes).expect("ok").text, "Hola");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode_file(b"\x89PNG\r\n\x1a\n\0\0\0"),
            Err(Refused::Binary)
        );
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(decode_file(b" \n\t\n"), Err(Refused::Empty));
        assert_eq!(decode_file(b""), Err(Refused::Empty));
    }
}
