//! Sources: the edge where bytes become [`Document`]s. Text files (one document each),
//! JSONL and CSV (one document per record), directories (walked recursively in path order)
//! and standard input. Problems never stop the run: they are reported as [`Issue`]s naming
//! the file (and line), and reading goes on with the next record or file.

mod decode;
mod records;

pub use decode::{decode, decode_file, Decoded, Refused};

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::document::Document;

/// How an input's records are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// By extension: `.jsonl`/`.ndjson` → JSONL, `.csv` → CSV, anything else → text;
    /// standard input is JSONL when it starts with `{`, else text.
    #[default]
    Auto,
    /// The whole input is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
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
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: InputFormat::Auto,
            text_field: "text".into(),
            id_field: "id".into(),
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
    inputs: VecDeque<Input>,
    options: ReadOptions,
    current: Option<Box<dyn Iterator<Item = Event> + Send>>,
}

impl Reader {
    /// A reader over `inputs`.
    pub fn new(inputs: Vec<Input>, options: ReadOptions) -> Self {
        Reader {
            inputs: inputs.into(),
            options,
            current: None,
        }
    }

    fn open(&self, input: &Input) -> Box<dyn Iterator<Item = Event> + Send> {
        let name = input.name();
        let stream: io::Result<Box<dyn BufRead + Send>> = match input {
            Input::Stdin => Ok(Box::new(BufReader::new(io::stdin()))),
            Input::File(p) => {
                File::open(p).map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as _)
            }
        };
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => return one(Event::Issue(skip(name, format!("cannot open: {e}")))),
        };
        let format = match (self.options.format, input) {
            (InputFormat::Auto, Input::File(p)) => format_of(p),
            (InputFormat::Auto, Input::Stdin) => sniff(&mut stream),
            (format, _) => format,
        };
        match format {
            InputFormat::Jsonl => Box::new(records::jsonl(stream, name, self.options.clone())),
            InputFormat::Csv => records::csv(stream, name, self.options.clone()),
            InputFormat::Text | InputFormat::Auto => {
                Box::new(text_document(stream, input, name).into_iter())
            }
        }
    }
}

impl Iterator for Reader {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.current.as_mut().and_then(Iterator::next) {
                return Some(event);
            }
            let input = self.inputs.pop_front()?;
            self.current = Some(self.open(&input));
        }
    }
}

fn one(event: Event) -> Box<dyn Iterator<Item = Event> + Send> {
    Box::new(std::iter::once(event))
}

/// The format a file's extension implies.
pub fn format_of(path: &Path) -> InputFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => InputFormat::Jsonl,
        "csv" => InputFormat::Csv,
        _ => InputFormat::Text,
    }
}

/// Standard input is JSONL when its first non-blank byte is `{`.
fn sniff(stream: &mut Box<dyn BufRead + Send>) -> InputFormat {
    let starts_with_brace = stream
        .fill_buf()
        .map(|buf| buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
        .unwrap_or(false);
    if starts_with_brace {
        InputFormat::Jsonl
    } else {
        InputFormat::Text
    }
}

/// A whole text input as one document, whose id is the file name without extension;
/// a decoding warning, if any, comes first.
fn text_document(mut stream: Box<dyn BufRead + Send>, input: &Input, name: String) -> Vec<Event> {
    let mut bytes = Vec::new();
    if let Err(e) = stream.read_to_end(&mut bytes) {
        return vec![Event::Issue(skip(name, format!("cannot read: {e}")))];
    }
    let decoded = match decode_file(&bytes) {
        Ok(d) => d,
        Err(refused) => return vec![Event::Issue(skip(name, format!("{refused}; skipped")))],
    };
    let id = match input {
        Input::Stdin => "stdin".to_string(),
        Input::File(p) => p
            .file_stem()
            .map_or(name.clone(), |s| s.to_string_lossy().into_owned()),
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
