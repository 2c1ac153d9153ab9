//! Record formats: JSONL (one object per line) and CSV (header row). Each record becomes a
//! document; a bad record becomes an [`Issue`] with `file:line` and reading goes on.

use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::limit::{self, Line};
use super::{decode, Event, Issue, ReadOptions};
use crate::document::Document;

/// Documents from a JSONL stream, one line at a time.
pub fn jsonl(
    mut stream: Box<dyn BufRead + Send>,
    name: String,
    options: ReadOptions,
) -> impl Iterator<Item = Event> + Send {
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    let mut pending: Option<Event> = None;
    let mut done = false;
    std::iter::from_fn(move || loop {
        if let Some(event) = pending.take() {
            return Some(event);
        }
        if done {
            return None;
        }
        line_no += 1;
        let location = format!("{name}:{line_no}");
        match limit::read_line(&mut stream, &mut buf, options.max_document_bytes) {
            Ok(Line::Eof) => return None,
            Ok(Line::Read) => {}
            Ok(Line::TooLong(len)) => {
                return Some(skipped(
                    location,
                    limit::over_limit("record", len, options.max_document_bytes),
                ))
            }
            Err(e) => {
                // A failed stream (a truncated gzip member, a disk error) does not recover.
                done = true;
                return Some(skipped(
                    location,
                    format!("cannot read: {e}; rest of the file skipped"),
                ));
            }
        }
        let bytes = if line_no == 1 {
            buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
        } else {
            &buf
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let decoded = match decode(bytes) {
            Ok(d) => d,
            Err(refused) => return Some(skipped(location, format!("{refused}; record skipped"))),
        };
        let event = parse_json_record(&decoded.text, &name, line_no, &options);
        if let Some(note) = decoded.note {
            pending = Some(event);
            return Some(Event::Issue(Issue {
                location,
                message: note,
                skipped: false,
            }));
        }
        return Some(event);
    })
}

fn parse_json_record(line: &str, name: &str, line_no: usize, options: &ReadOptions) -> Event {
    let location = format!("{name}:{line_no}");
    let mut object = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            return skipped(
                location,
                format!(
                    "expected a JSON object, found {}; record skipped",
                    kind_of(&other)
                ),
            )
        }
        Err(e) => return skipped(location, format!("not valid JSON ({e}); record skipped")),
    };
    let text = match object.remove(&options.text_field) {
        Some(Value::String(s)) => s,
        None | Some(Value::Null) => {
            let fields: Vec<&str> = object.keys().map(String::as_str).collect();
            return skipped(
                location,
                format!(
                    "no field `{}` (fields: {}); use --text-field to pick another field; record skipped",
                    options.text_field,
                    fields.join(", ")
                ),
            );
        }
        Some(other) => {
            return skipped(
                location,
                format!(
                    "field `{}` is {}, not a string; use --text-field to pick another field; record skipped",
                    options.text_field,
                    kind_of(&other)
                ),
            )
        }
    };
    let id = match object.remove(&options.id_field) {
        Some(Value::String(s)) => s,
        None | Some(Value::Null) => location.clone(),
        Some(other) => other.to_string(),
    };
    Event::Document(record_document(id, location, text, object))
}

fn record_document(id: String, source: String, text: String, meta: Map<String, Value>) -> Document {
    let mut doc = Document::new(id, source, text);
    doc.meta = (!meta.is_empty()).then_some(meta);
    doc
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn skipped(location: String, message: String) -> Event {
    Event::Issue(Issue {
        location,
        message,
        skipped: true,
    })
}

/// Documents from a CSV stream with a header row, one record at a time. A record over the
/// size limit is skipped; one that grows far past it while being read stops the file, so
/// memory stays bounded (the CSV parser buffers a whole record).
pub fn csv(
    stream: Box<dyn BufRead + Send>,
    name: String,
    options: ReadOptions,
) -> Box<dyn Iterator<Item = Event> + Send> {
    let limit = options.max_document_bytes;
    let allowed = Arc::new(AtomicU64::new(limit.saturating_add(CSV_SLACK)));
    let guarded = Guard {
        inner: stream,
        read: 0,
        allowed: Arc::clone(&allowed),
        limit,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(guarded);
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect(),
        Err(e) => {
            return Box::new(std::iter::once(skipped(
                name,
                format!("cannot read the CSV header: {e}; skipped"),
            )))
        }
    };
    let find = |field: &str| headers.iter().position(|h| h == field);
    let Some(text_col) = find(&options.text_field) else {
        let message = format!(
            "no column `{}` in the header (columns: {}); use --text-field to pick another column; skipped",
            options.text_field,
            headers.join(", ")
        );
        return Box::new(std::iter::once(skipped(name, message)));
    };
    let id_col = find(&options.id_field);
    let mut records = reader.into_byte_records();
    let mut pending: Vec<Event> = Vec::new();
    let mut done = false;
    let mut last_line = 1;
    Box::new(std::iter::from_fn(move || loop {
        if let Some(event) = pending.pop() {
            return Some(event);
        }
        if done {
            return None;
        }
        let record = match records.next()? {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(last_line + 1, |p| p.line());
                // An I/O error repeats forever; a malformed record does not.
                done = matches!(e.kind(), csv::ErrorKind::Io(_));
                let message = if done {
                    format!("cannot read: {e}; rest of the file skipped")
                } else {
                    format!("malformed CSV record ({e}); record skipped")
                };
                return Some(skipped(format!("{name}:{line}"), message));
            }
        };
        let end = records.reader().position().byte();
        allowed.store(
            end.saturating_add(limit).saturating_add(CSV_SLACK),
            Ordering::Relaxed,
        );
        let start = record.position().map_or(end, |p| p.byte());
        let line = record.position().map_or(0, |p| p.line());
        last_line = line;
        if end.saturating_sub(start) > limit {
            return Some(skipped(
                format!("{name}:{line}"),
                limit::over_limit("record", end.saturating_sub(start), limit),
            ));
        }
        let location = format!("{name}:{line}");
        let mut lossy = false;
        let mut field = |i: usize| {
            let bytes = record.get(i).unwrap_or_default();
            std::str::from_utf8(bytes)
                .map(str::to_string)
                .unwrap_or_else(|_| {
                    lossy = true;
                    decode(bytes)
                        .map(|d| d.text)
                        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
                })
        };
        let text = field(text_col);
        let id = id_col
            .map(&mut field)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| location.clone());
        let meta: Map<String, Value> = headers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != text_col && Some(*i) != id_col)
            .map(|(i, h)| (h.clone(), Value::String(field(i))))
            .collect();
        pending.push(Event::Document(record_document(
            id,
            location.clone(),
            text,
            meta,
        )));
        if lossy {
            pending.push(Event::Issue(Issue {
                location,
                message: "not valid UTF-8; decoded with a detected legacy encoding".into(),
                skipped: false,
            }));
        }
    }))
}

/// How far past the limit a CSV record may be read before the file is given up: room for
/// the parser's read-ahead buffer, so a record just over the limit is skipped, not fatal.
const CSV_SLACK: u64 = 1 << 20;

/// The CSV parser's source: fails once the bytes read pass `allowed`, the end of the last
/// record plus the limit, so an endless record cannot fill memory.
struct Guard {
    inner: Box<dyn BufRead + Send>,
    read: u64,
    allowed: Arc<AtomicU64>,
    limit: u64,
}

impl Read for Guard {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self
            .allowed
            .load(Ordering::Relaxed)
            .saturating_sub(self.read);
        if room == 0 {
            return Err(io::Error::other(format!(
                "a record is larger than the {} document limit (raise it with --max-document-mb)",
                limit::size(self.limit)
            )));
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    /// A source that yields `data`, then fails as a dying disk or a cut network would.
    struct FailsAfter(io::Cursor<Vec<u8>>);

    impl Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.read(buf)? {
                0 => Err(io::Error::other("device error")),
                n => Ok(n),
            }
        }
    }

    fn failing(data: &str) -> Box<dyn BufRead + Send> {
        Box::new(BufReader::new(FailsAfter(io::Cursor::new(data.into()))))
    }

    fn describe(events: impl Iterator<Item = Event>) -> Vec<String> {
        events
            .map(|e| match e {
                Event::Document(d) => format!("doc {}", d.id),
                Event::Issue(i) => format!("issue {i}"),
            })
            .collect()
    }

    #[test]
    fn a_read_error_keeps_the_records_before_it_and_ends_the_file() {
        let data =
            "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n{\"id\":\"c\",";
        let events = jsonl(failing(data), "f.jsonl".into(), ReadOptions::default());
        assert_eq!(
            describe(events),
            [
                "doc a",
                "doc b",
                "issue f.jsonl:3: cannot read: device error; rest of the file skipped"
            ]
        );
    }

    #[test]
    fn a_csv_read_error_names_the_line_reached_and_ends_the_file() {
        let events = csv(
            failing("id,text\na,one\nb,two\n"),
            "f.csv".into(),
            ReadOptions::default(),
        );
        let got = describe(events);
        assert_eq!(got[..2], ["doc a", "doc b"]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[2].starts_with("issue f.csv:4: cannot read"), "{got:?}");
        assert!(got[2].contains("device error"), "{got:?}");
    }

    #[test]
    fn a_jsonl_record_over_the_limit_is_skipped_and_the_next_read() {
        let data = format!(
            "{{\"id\":\"big\",\"text\":\"{}\"}}\n{{\"id\":\"small\",\"text\":\"ok\"}}\n",
            "x".repeat(500)
        );
        let options = ReadOptions {
            max_document_bytes: 100,
            ..ReadOptions::default()
        };
        let got = describe(jsonl(
            Box::new(io::Cursor::new(data)),
            "f.jsonl".into(),
            options,
        ));
        assert_eq!(got, ["issue f.jsonl:1: record of 523 bytes is larger than the 100 bytes document limit; record skipped (raise it with --max-document-mb)", "doc small"]);
    }

    #[test]
    fn a_csv_record_over_the_limit_is_skipped_and_the_next_read() {
        let data = format!("id,text\nbig,\"{}\"\nsmall,ok\n", "x\n".repeat(300));
        let options = ReadOptions {
            max_document_bytes: 100,
            ..ReadOptions::default()
        };
        let got = describe(csv(
            Box::new(io::Cursor::new(data)),
            "f.csv".into(),
            options,
        ));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("issue f.csv:2: record of 607 bytes is larger"),
            "{got:?}"
        );
        assert_eq!(got[1], "doc small");
    }

    #[test]
    fn an_endless_csv_record_stops_the_file_in_bounded_memory() {
        let endless = io::repeat(b'x').take(u64::MAX);
        let stream = BufReader::new(io::Cursor::new(b"id,text\na,\"".to_vec()).chain(endless));
        let options = ReadOptions {
            max_document_bytes: 1000,
            ..ReadOptions::default()
        };
        let got = describe(csv(Box::new(stream), "f.csv".into(), options));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("f.csv:2: cannot read"), "{got:?}");
        assert!(
            got[0].contains("larger than the 1000 bytes document limit"),
            "{got:?}"
        );
    }
}
