//! Sinks: the edge where documents become bytes. JSONL (one line per document), CSV (one
//! row per paragraph) and the rejected-paragraphs file, all over an atomic [`Destination`].

mod atomic;
mod csv;
mod explain;
mod jsonl;
mod predictions;

pub use atomic::Destination;
pub use csv::CsvWriter;
pub use explain::ExplainWriter;
pub use jsonl::{JsonlWriter, RejectedWriter};
pub use predictions::{CodePoints, PredictionWriter};

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::Document;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per document and line.
    Jsonl,
    /// RFC 4180 CSV with a header row, one row per paragraph.
    Csv,
}

impl Format {
    /// The format a path's extension asks for (`.csv` → CSV, anything else → JSONL).
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        }
    }
}

/// Something documents are written to, in order; nothing is visible before `finish`.
pub trait Sink: Send {
    /// Write one processed document.
    fn write(&mut self, doc: &Document) -> io::Result<()>;
    /// Flush and commit the output.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// Open the sink for `path` in `format`.
pub fn open(path: &Path, format: Format) -> io::Result<Box<dyn Sink>> {
    let dest = Destination::create(path)?;
    Ok(match format {
        Format::Jsonl => Box::new(JsonlWriter::new(dest)),
        Format::Csv => Box::new(CsvWriter::new(dest)?),
    })
}

/// Several sinks fed the same documents (main output plus rejected file).
pub struct Tee(pub Vec<Box<dyn Sink>>);

impl Sink for Tee {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|s| s.write(doc))
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.0.into_iter().try_for_each(|s| s.finish())
    }
}
