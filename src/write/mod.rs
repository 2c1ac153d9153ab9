//! Sinks: the edge where documents become bytes. JSONL (one line per document), CSV (one
//! row per paragraph) and the rejected-paragraphs file, all over an atomic [`Destination`],
//! optionally compressed ([`Output`]), one file or one per language ([`SplitByLang`]), guarded
//! by an [`OutputLock`].

mod atomic;
mod compress;
mod csv;
mod dir;
mod explain;
mod jsonl;
mod lock;
mod predictions;
mod split;

pub use atomic::{clean_stale_temporaries, Destination, Prepared};
pub use compress::{Compression, Output};
pub use csv::{neutralize_formula, CsvWriter};
pub use dir::{check_output_dir, ensure_split_dir, OutputDirError};
pub use explain::ExplainWriter;
pub use jsonl::{
    JsonlWriter, OutputParagraph, OutputRecord, OutputSpan, RecordPosition, RejectedWriter,
};
pub use lock::{Holder, LockError, OutputLock};
pub use predictions::{CodePoints, PredictionWriter};
pub use split::{clean_stale_split_temporaries, SplitByLang};

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
    /// The format a path's extension asks for, under a `.gz`/`.zst` suffix (`.csv`,
    /// `.csv.gz` → CSV, anything else → JSONL).
    pub fn from_path(path: &Path) -> Format {
        let inner = match Compression::from_path(path) {
            Compression::None => path,
            _ => Path::new(path.file_stem().unwrap_or_default()),
        };
        match inner.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        }
    }

    /// The file extension, without a dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// How a file output is written: layout, compression, CSV cell treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputOptions {
    /// JSONL or CSV.
    pub format: Format,
    /// gzip, zstd or none.
    pub compression: Compression,
    /// CSV only: prefix `'` to cells that start like a spreadsheet formula.
    pub neutralize_formulas: bool,
    /// JSONL only: write each document's `position` (deduplication on: `polyclean dedup`
    /// needs it to apply a merged table).
    pub positions: bool,
}

impl OutputOptions {
    /// The options a path's extension asks for (`out.csv.gz` → gzip-compressed CSV).
    pub fn from_path(path: &Path) -> OutputOptions {
        OutputOptions {
            format: Format::from_path(path),
            compression: Compression::from_path(path),
            neutralize_formulas: false,
            positions: false,
        }
    }

    /// The file extension these options give, without a dot (`csv.gz`).
    pub fn extension(&self) -> String {
        format!("{}{}", self.format.extension(), self.compression.suffix())
    }
}

/// `--split-by-lang` files: layout and compression.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum SplitFormat {
    /// `fr.jsonl`.
    #[default]
    #[value(name = "jsonl")]
    #[serde(rename = "jsonl")]
    Jsonl,
    /// `fr.jsonl.gz`.
    #[value(name = "jsonl.gz")]
    #[serde(rename = "jsonl.gz")]
    JsonlGz,
    /// `fr.jsonl.zst`.
    #[value(name = "jsonl.zst")]
    #[serde(rename = "jsonl.zst")]
    JsonlZst,
    /// `fr.csv`.
    #[value(name = "csv")]
    #[serde(rename = "csv")]
    Csv,
    /// `fr.csv.gz`.
    #[value(name = "csv.gz")]
    #[serde(rename = "csv.gz")]
    CsvGz,
    /// `fr.csv.zst`.
    #[value(name = "csv.zst")]
    #[serde(rename = "csv.zst")]
    CsvZst,
}

impl SplitFormat {
    /// The output options of the per-language files.
    pub fn options(self, neutralize_formulas: bool) -> OutputOptions {
        let (format, compression) = match self {
            SplitFormat::Jsonl => (Format::Jsonl, Compression::None),
            SplitFormat::JsonlGz => (Format::Jsonl, Compression::Gzip),
            SplitFormat::JsonlZst => (Format::Jsonl, Compression::Zstd),
            SplitFormat::Csv => (Format::Csv, Compression::None),
            SplitFormat::CsvGz => (Format::Csv, Compression::Gzip),
            SplitFormat::CsvZst => (Format::Csv, Compression::Zstd),
        };
        OutputOptions {
            format,
            compression,
            neutralize_formulas,
            positions: false,
        }
    }
}

/// Something documents are written to, in order; nothing is visible before `finish`.
pub trait Sink: Send {
    /// Write one processed document.
    fn write(&mut self, doc: &Document) -> io::Result<()>;
    /// Flush and commit the output.
    fn finish(self: Box<Self>) -> io::Result<()>;
    /// A batch of documents is written: push it out now when the output is a stream (stdout,
    /// a pipe), so a program reading it sees each batch as it completes, not only at the end.
    /// Files are left to their buffers (nothing is visible before `finish` anyway).
    fn end_batch(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Open the sink for `path`, written as `options` say.
pub fn open(path: &Path, options: &OutputOptions) -> io::Result<Box<dyn Sink>> {
    Ok(Box::new(FileWriter::create(path, options)?))
}

/// A document sink over one file, either format: a concrete type, so that several can be
/// prepared before any is committed ([`SplitByLang`]).
// One per output file: its size does not matter, an extra box per write would.
#[allow(clippy::large_enum_variant)]
pub(crate) enum FileWriter {
    Jsonl(JsonlWriter),
    // Boxed: the csv crate's writer carries a large buffer state.
    Csv(Box<CsvWriter>),
}

impl FileWriter {
    fn create(path: &Path, options: &OutputOptions) -> io::Result<FileWriter> {
        let out = Output::new(Destination::create(path)?, options.compression)?;
        Ok(match options.format {
            Format::Jsonl => {
                FileWriter::Jsonl(JsonlWriter::new(out).with_positions(options.positions))
            }
            Format::Csv => FileWriter::Csv(Box::new(
                CsvWriter::new(out)?.neutralize_formulas(options.neutralize_formulas),
            )),
        })
    }

    /// End compression, flush and fsync; the rename is left to [`Prepared::commit`].
    fn prepare(self) -> io::Result<Prepared> {
        let out = match self {
            FileWriter::Jsonl(w) => w.into_output(),
            FileWriter::Csv(w) => w.into_output()?,
        };
        out.finish_encoding()?.prepare()
    }
}

impl Sink for FileWriter {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        match self {
            FileWriter::Jsonl(w) => w.write(doc),
            FileWriter::Csv(w) => w.write(doc),
        }
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.prepare()?.commit()
    }

    fn end_batch(&mut self) -> io::Result<()> {
        match self {
            FileWriter::Jsonl(w) => w.end_batch(),
            FileWriter::Csv(w) => w.end_batch(),
        }
    }
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

    fn end_batch(&mut self) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|s| s.end_batch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_is_read_under_the_compression_suffix() {
        let cases = [
            ("out.csv", Format::Csv, Compression::None),
            ("out.csv.gz", Format::Csv, Compression::Gzip),
            ("dir.v2/out.CSV.zst", Format::Csv, Compression::Zstd),
            ("out.jsonl.zst", Format::Jsonl, Compression::Zstd),
            ("out.gz", Format::Jsonl, Compression::Gzip),
            ("out", Format::Jsonl, Compression::None),
        ];
        for (path, format, compression) in cases {
            let options = OutputOptions::from_path(Path::new(path));
            assert_eq!(
                (options.format, options.compression),
                (format, compression),
                "{path}"
            );
        }
    }
}
