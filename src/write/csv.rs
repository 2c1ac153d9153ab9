//! CSV sink: RFC 4180, a header row, one row per paragraph.

use std::borrow::Cow;
use std::io;

use super::{Output, Sink};
use crate::document::Document;

/// The header row; the column order is part of the output format.
pub const HEADER: [&str; 7] = [
    "doc_id",
    "index",
    "lang",
    "confidence",
    "kept",
    "reason",
    "text",
];

/// Writes one CSV row per paragraph.
pub struct CsvWriter {
    writer: csv::Writer<Output>,
    neutralize_formulas: bool,
}

impl CsvWriter {
    /// A writer over `dest` (a [`Destination`](super::Destination) or a compressed
    /// [`Output`]); writes the header at once.
    pub fn new(dest: impl Into<Output>) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(dest.into());
        writer.write_record(HEADER).map_err(io::Error::other)?;
        Ok(CsvWriter {
            writer,
            neutralize_formulas: false,
        })
    }

    /// Prefix `'` to every cell a spreadsheet would read as a formula (see
    /// [`neutralize_formula`]).
    pub fn neutralize_formulas(mut self, on: bool) -> Self {
        self.neutralize_formulas = on;
        self
    }

    /// The output, everything written, not yet committed.
    pub fn into_output(self) -> io::Result<Output> {
        self.writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }

    fn cell<'a>(&self, value: &'a str) -> Cow<'a, str> {
        if self.neutralize_formulas {
            neutralize_formula(value)
        } else {
            Cow::Borrowed(value)
        }
    }
}

/// The characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a
/// formula, after OWASP's "CSV Injection" guidance.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `value` with a `'` in front when it starts like a formula, so a spreadsheet shows it as
/// text instead of evaluating it; other values unchanged.
pub fn neutralize_formula(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

impl Sink for CsvWriter {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        for p in &doc.paragraphs {
            let drop = p.verdict.drop_info();
            let record = [
                self.cell(&doc.id),
                Cow::Owned(p.index.to_string()),
                self.cell(&p.lang.code),
                Cow::Owned(p.lang.confidence.to_string()),
                Cow::Borrowed(if drop.is_none() { "true" } else { "false" }),
                Cow::Borrowed(drop.map_or("", |d| d.reason.as_str())),
                self.cell(&p.text),
            ];
            self.writer
                .write_record(record.iter().map(|c| c.as_bytes()))
                .map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.into_output()?.commit()
    }

    fn end_batch(&mut self) -> io::Result<()> {
        // The csv writer keeps its own buffer in front of the output's.
        if self.writer.get_ref().is_plain_stream() {
            self.writer.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        for value in [
            "=1+1",
            "+33 1 23",
            "-2",
            "@SUM(A1)",
            "\tcmd",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(neutralize_formula(value), format!("'{value}"), "{value:?}");
        }
    }

    #[test]
    fn other_cells_are_unchanged() {
        for value in ["", "texte", " =1", "'=1", "1-2", "a=b", "fr", "0.93"] {
            assert!(
                matches!(neutralize_formula(value), Cow::Borrowed(v) if v == value),
                "{value:?}"
            );
        }
    }
}
