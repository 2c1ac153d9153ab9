//! Language predictions, one JSON object per record: what `polyclean detect` writes.
//!
//! Offsets are in Unicode code points of the input text (what Python's `str` indexes), so the
//! file can be scored or joined with the input directly.

use std::io::{self, Write};

use serde::Serialize;
use whatlang::Lang;

use super::Destination;
use crate::document::{LangSpan, UNDETERMINED};
use crate::lang::{output_code, TextLanguage};

/// Writes `{"id","lang","confidence","decided","mixed","spans"}` lines.
pub struct PredictionWriter {
    dest: Destination,
    iso_639_3: bool,
}

#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    lang: &'a str,
    confidence: f64,
    decided: bool,
    mixed: bool,
    spans: Vec<Span<'a>>,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    lang: &'a str,
}

impl PredictionWriter {
    /// Write to `dest`, with ISO 639-3 codes (`fra`) when `iso_639_3`, else ISO 639-1 (`fr`).
    pub fn new(dest: Destination, iso_639_3: bool) -> Self {
        PredictionWriter { dest, iso_639_3 }
    }

    /// Write the prediction for one record. The language is the best guess even when it is
    /// not decided (`decided: false`); `und` only when there is no evidence at all.
    pub fn write(&mut self, id: &str, text: &str, analysis: &TextLanguage) -> io::Result<()> {
        let code = |lang: Lang| {
            if self.iso_639_3 {
                lang.code()
            } else {
                output_code(lang)
            }
        };
        let mut prediction = Prediction {
            id,
            lang: analysis.guess.lang.map_or(UNDETERMINED, code),
            confidence: analysis.guess.confidence,
            decided: analysis.guess.decided,
            mixed: analysis.is_mixed(),
            spans: CodePoints::new(text)
                .spans(&analysis.spans)
                .map(|(start, end, lang)| Span {
                    start,
                    end,
                    lang: code(lang),
                })
                .collect(),
        };
        // A language whatlang does not know covers the whole text.
        if let Some(unknown) = analysis.unknown {
            prediction.lang = if self.iso_639_3 {
                unknown.iso_639_3
            } else {
                unknown.code
            };
            prediction.spans = vec![Span {
                start: 0,
                end: text.chars().count(),
                lang: prediction.lang,
            }];
        }
        serde_json::to_writer(&mut self.dest, &prediction)?;
        self.dest.write_all(b"\n")
    }

    /// Flush and commit the output.
    pub fn finish(self) -> io::Result<()> {
        self.dest.commit()
    }
}

/// Byte offset → code-point offset, for offsets on character boundaries of one text.
pub struct CodePoints<'a> {
    text: &'a str,
}

impl<'a> CodePoints<'a> {
    /// Offsets into `text`.
    pub fn new(text: &'a str) -> Self {
        CodePoints { text }
    }

    /// The code-point offset of byte offset `byte` (clamped to the text).
    pub fn of(&self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        self.text[..byte].chars().count()
    }

    /// Language spans of this text with code-point offsets, as `(start, end, lang)`.
    pub fn spans<'s>(
        &'s self,
        spans: &'s [LangSpan],
    ) -> impl Iterator<Item = (usize, usize, Lang)> + 's {
        spans
            .iter()
            .map(|s| (self.of(s.start), self.of(s.end), s.lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_count_characters_not_bytes() {
        let offsets = CodePoints::new("Ça va? Sí.");
        assert_eq!(offsets.of(0), 0);
        assert_eq!(offsets.of(3), 2); // after "Ç" (2 bytes) and "a"
        assert_eq!(offsets.of(100), 10);
    }
}
