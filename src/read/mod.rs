//! Sources: the edge where bytes become [`Document`]s. Text files (one document each),
//! JSONL and CSV (one document per record), WARC/WET (one document per text record),
//! any of them gzip- or zstd-compressed, directories (walked recursively in path order)
//! and standard input. Problems never stop the run: they are reported as [`Issue`]s naming
//! the file (and line or record), and reading goes on with the next record or file.

mod compressed;
mod decode;
mod limit;
mod records;
mod warc;

pub use compressed::Compression;
pub use decode::{decode, decode_declared, decode_file, Decoded, Refused};

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::document::{Document, Position};

/// How an input's records are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// By extension, under any `.gz`/`.zst`: `.jsonl`/`.ndjson` → JSONL, `.csv` → CSV,
    /// `.warc`/`.wet` → WARC, anything else → text; standard input is WARC when it starts
    /// with `WARC/1.`, JSONL when it starts with `{`, else text.
    #[default]
    Auto,
    /// The whole input is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// WARC or WET: one document per text record.
    Warc,
}

/// Reader settings.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Layout of the inputs.
    pub format: InputFormat,
    /// The JSONL field / CSV column holding the text.
    pub text_field: String,
    /// The JSONL field / CSV column holding the id.
    pub id_field: String,
    /// Records, text files and WARC records larger than this are skipped with an issue,
    /// read in bounded memory.
    pub max_document_bytes: u64,
    /// The name standard input goes by in sources, ids and messages (default `stdin`): a
    /// worker fed one file of a larger run on stdin gives that file's path, so its records
    /// read as they would from the file.
    pub stdin_name: Option<String>,
}

/// The default [`ReadOptions::max_document_bytes`]: 64 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 64 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: InputFormat::Auto,
            text_field: "text".into(),
            id_field: "id".into(),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            stdin_name: None,
        }
    }
}

/// One input: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// How the input is named in messages and in `source`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "stdin".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// A problem with an input, reported with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// `file` or `file:line`.
    pub location: String,
    /// What is wrong, and what to do about it.
    pub message: String,
    /// Whether data was skipped (an input or a record), as opposed to a warning.
    pub skipped: bool,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What reading yields, in input order.
#[derive(Debug)]
pub enum Event {
    /// A document, ready for the pipeline.
    Document(Document),
    /// A warning or a skipped input/record.
    Issue(Issue),
}

/// Expand the command line's paths: files as given, directories walked recursively in path
/// order, `-` as standard input. Missing paths become issues.
pub fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<Issue>) {
    let mut inputs = Vec::new();
    let mut issues = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let walk = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .follow_links(true);
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() => inputs.push(Input::File(e.into_path())),
                    Ok(_) => {}
                    Err(e) => issues.push(skip(path.display().to_string(), e.to_string())),
                }
            }
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            issues.push(skip(
                path.display().to_string(),
                "no such file or directory".into(),
            ));
        }
    }
    (inputs, issues)
}

fn skip(location: String, message: String) -> Issue {
    Issue {
        location,
        message,
        skipped: true,
    }
}

/// Streams [`Event`]s from a list of inputs, one record at a time: memory does not grow
/// with the size of a JSONL or CSV file.
pub struct Reader {
    inputs: VecDeque<(u32, Input)>,
    options: ReadOptions,
    current: Option<Box<dyn Iterator<Item = Event> + Send>>,
    /// The position the next document gets.
    next: Position,
}

impl Reader {
    /// A reader over `inputs`.
    pub fn new(inputs: Vec<Input>, options: ReadOptions) -> Self {
        let numbered = (0..).zip(inputs).collect();
        Reader::numbered(numbered, options)
    }

    /// A reader over inputs that carry their own index in the run's input list (a shard or
    /// an incremental run reads a subset, yet positions stay those of the whole list).
    pub fn numbered(inputs: Vec<(u32, Input)>, options: ReadOptions) -> Self {
        Reader {
            inputs: inputs.into(),
            options,
            current: None,
            next: Position::default(),
        }
    }

    /// A reader over one already-open stream (bytes in memory, a pipe…): decompressed when
    /// its first bytes are gzip or zstd, its format sniffed as for standard input when
    /// [`ReadOptions::format`] is `Auto`. `name` stands for the input in issues, in
    /// `source` and, for text, as the document id. The fuzz targets read through this.
    pub fn from_stream(
        stream: impl BufRead + Send + 'static,
        name: &str,
        options: ReadOptions,
    ) -> Self {
        let mut stream: Box<dyn BufRead + Send> = Box::new(stream);
        let compression = Compression::sniff(&mut stream);
        let current = match compression.wrap(stream) {
            Ok(stream) => events(stream, name.to_string(), None, &options),
            Err(e) => one(Event::Issue(skip(
                name.to_string(),
                format!("cannot open: {e}"),
            ))),
        };
        Reader {
            inputs: VecDeque::new(),
            options,
            current: Some(current),
            next: Position::default(),
        }
    }

    /// Number the inputs from `first` rather than 0: a stream that carries input `first` of
    /// a larger run (a filter-mode worker fed one file of many) gets that run's positions.
    pub fn first_input(mut self, first: u32) -> Self {
        self.next.input = first;
        self
    }

    /// The position the next document will get: where the reader stands, so an issue just
    /// read can be placed among the documents (a shard keeps the issues of its records).
    pub fn position(&self) -> Position {
        self.next
    }

    fn open(&self, input: &Input) -> Box<dyn Iterator<Item = Event> + Send> {
        let name = match (input, &self.options.stdin_name) {
            (Input::Stdin, Some(name)) => name.clone(),
            _ => input.name(),
        };
        match open_stream(input) {
            Ok((stream, format_path)) => {
                // A named stdin is read as the file it stands for: format by extension, ids
                // of text documents from its stem.
                let named = match (input, &self.options.stdin_name) {
                    (Input::Stdin, Some(name)) => Some(Compression::from_path(Path::new(name)).1),
                    _ => None,
                };
                events(stream, name, named.or(format_path), &self.options)
            }
            Err(e) => one(Event::Issue(skip(name, format!("cannot open: {e}")))),
        }
    }
}

/// The events of one decompressed stream. Its format is the options' format, else read from
/// `format_path`'s extension, else sniffed; a text document's id is the path's stem, else
/// `name`.
fn events(
    mut stream: Box<dyn BufRead + Send>,
    name: String,
    format_path: Option<PathBuf>,
    options: &ReadOptions,
) -> Box<dyn Iterator<Item = Event> + Send> {
    let format = match (options.format, &format_path) {
        (InputFormat::Auto, Some(p)) => match format_of(p) {
            // A WARC file named without its extension is still WARC.
            InputFormat::Text if sniff(&mut stream) == InputFormat::Warc => InputFormat::Warc,
            format => format,
        },
        (InputFormat::Auto, None) => sniff(&mut stream),
        (format, _) => format,
    };
    let options = options.clone();
    match format {
        InputFormat::Jsonl => Box::new(records::jsonl(stream, name, options)),
        InputFormat::Csv => records::csv(stream, name, options),
        InputFormat::Warc => Box::new(warc::records(stream, name, options)),
        InputFormat::Text | InputFormat::Auto => {
            let id = match &format_path {
                Some(p) => p
                    .file_stem()
                    .map_or(name.clone(), |s| s.to_string_lossy().into_owned()),
                None => name.clone(),
            };
            Box::new(text_document(stream, id, name, &options).into_iter())
        }
    }
}

/// An input's bytes, decompressed, and the path its format is read from (the file's path
/// without a compression extension; `None` for standard input). Public for the commands that
/// read files back (`stats`).
pub fn open_stream(input: &Input) -> io::Result<(Box<dyn BufRead + Send>, Option<PathBuf>)> {
    let (mut stream, compression, format_path): (Box<dyn BufRead + Send>, _, _) = match input {
        Input::Stdin => (
            Box::new(BufReader::new(io::stdin())),
            Compression::None,
            None,
        ),
        Input::File(p) => {
            let (compression, rest) = Compression::from_path(p);
            let file = File::open(p)?;
            (
                Box::new(BufReader::with_capacity(1 << 16, file)),
                compression,
                Some(rest),
            )
        }
    };
    // A compressed stream whose extension says nothing (stdin, `a.jsonl` that is gzip).
    let compression = match compression {
        Compression::None => Compression::sniff(&mut stream),
        named => named,
    };
    Ok((compression.wrap(stream)?, format_path))
}

impl Iterator for Reader {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            match self.current.as_mut().and_then(Iterator::next) {
                Some(Event::Document(mut doc)) => {
                    doc.position = self.next;
                    self.next.record += 1;
                    return Some(Event::Document(doc));
                }
                Some(issue) => return Some(issue),
                None => {}
            }
            let (index, input) = self.inputs.pop_front()?;
            self.next = Position {
                input: index,
                record: 0,
            };
            self.current = Some(self.open(&input));
        }
    }
}

fn one(event: Event) -> Box<dyn Iterator<Item = Event> + Send> {
    Box::new(std::iter::once(event))
}

/// The format a file's extension implies, under any compression extension
/// (`a.jsonl.gz` → JSONL).
pub fn format_of(path: &Path) -> InputFormat {
    let (_, path) = Compression::from_path(path);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => InputFormat::Jsonl,
        "csv" => InputFormat::Csv,
        "warc" | "wet" => InputFormat::Warc,
        _ => InputFormat::Text,
    }
}

/// An input whose name says nothing is WARC when it starts with `WARC/1.`, JSONL when its
/// first non-blank byte is `{`, else text.
fn sniff(stream: &mut Box<dyn BufRead + Send>) -> InputFormat {
    let Ok(head) = stream.fill_buf() else {
        return InputFormat::Text;
    };
    if head.starts_with(b"WARC/1.") {
        InputFormat::Warc
    } else if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        InputFormat::Jsonl
    } else {
        InputFormat::Text
    }
}

/// A whole text input as one document with the given id; a decoding warning, if any,
/// comes first. An input larger than the limit is skipped after reading one byte past it.
fn text_document(
    stream: Box<dyn BufRead + Send>,
    id: String,
    name: String,
    options: &ReadOptions,
) -> Vec<Event> {
    let limit = options.max_document_bytes;
    let mut bytes = Vec::new();
    if let Err(e) = stream.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        return vec![Event::Issue(skip(
            name,
            format!("cannot read: {e}; skipped"),
        ))];
    }
    if bytes.len() as u64 > limit {
        return vec![Event::Issue(skip(name, too_large(limit)))];
    }
    let decoded = match decode_file(&bytes) {
        Ok(d) => d,
        Err(refused) => return vec![Event::Issue(skip(name, format!("{refused}; skipped")))],
    };
    let mut events = Vec::new();
    if let Some(note) = decoded.note {
        events.push(Event::Issue(Issue {
            location: name.clone(),
            message: note,
            skipped: false,
        }));
    }
    events.push(Event::Document(Document::new(id, name, decoded.text)));
    events
}

/// The message for a document over the size limit.
fn too_large(limit: u64) -> String {
    format!(
        "larger than the {} document limit; skipped (raise it with --max-document-mb)",
        limit::size(limit)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(reader: Reader) -> Vec<(String, u32, u64)> {
        reader
            .filter_map(|e| match e {
                Event::Document(d) => Some((d.id, d.position.input, d.position.record)),
                Event::Issue(_) => None,
            })
            .collect()
    }

    #[test]
    fn documents_are_numbered_by_input_index_and_ordinal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.jsonl");
        let b = dir.path().join("b.txt");
        std::fs::write(
            &a,
            "{\"id\":\"a1\",\"text\":\"x\"}\n{\"id\":\"a2\",\"text\":\"y\"}\n",
        )
        .expect("write");
        std::fs::write(&b, "plain text").expect("write");
        let missing = Input::File(dir.path().join("missing.txt"));
        let inputs = vec![Input::File(a.clone()), missing, Input::File(b.clone())];
        // The input that cannot be opened still takes its index.
        assert_eq!(
            positions(Reader::new(inputs, ReadOptions::default())),
            [("a1".into(), 0, 0), ("a2".into(), 0, 1), ("b".into(), 2, 0)]
        );
        // A subset keeps the indices it is given.
        let subset = vec![(7, Input::File(b)), (9, Input::File(a))];
        assert_eq!(
            positions(Reader::numbered(subset, ReadOptions::default())),
            [("b".into(), 7, 0), ("a1".into(), 9, 0), ("a2".into(), 9, 1)]
        );
    }

    #[test]
    fn a_stream_can_carry_the_index_of_its_input_in_a_larger_run() {
        let stream = io::Cursor::new(b"{\"id\":\"r\",\"text\":\"x\"}\n".to_vec());
        let reader = Reader::from_stream(stream, "-", ReadOptions::default()).first_input(4);
        assert_eq!(positions(reader), [("r".into(), 4, 0)]);
    }
}
