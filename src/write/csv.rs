//! CSV sink: RFC 4180, a header row, one row per paragraph.

use std::io;

use super::{Destination, Sink};
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
    writer: csv::Writer<Destination>,
}

impl CsvWriter {
    /// A writer over `dest`; writes the header at once.
    pub fn new(dest: Destination) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(dest);
        writer.write_record(HEADER).map_err(io::Error::other)?;
        Ok(CsvWriter { writer })
    }
}

impl Sink for CsvWriter {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        for p in &doc.paragraphs {
            let drop = p.verdict.drop_info();
            self.writer
                .write_record([
                    doc.id.as_str(),
                    &p.index.to_string(),
                    &p.lang.code,
                    &p.lang.confidence.to_string(),
                    if drop.is_none() { "true" } else { "false" },
                    drop.map_or("", |d| d.reason.as_str()),
                    &p.text,
                ])
                .map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let dest = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        dest.commit()
    }
}
