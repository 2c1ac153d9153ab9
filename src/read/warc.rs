//! WARC and WET files: records are streamed one at a time by their Content-Length, never
//! the whole file. A `conversion` record (WET), a `resource` record of type text/plain, and a
//! `response` record whose HTTP payload is text/plain (2xx) each become a document; other
//! records (warcinfo, request, metadata, HTML responses…) are skipped silently. A malformed
//! record is an [`Issue`] naming `file:record N` and its byte offset, and reading resumes at
//! the next `WARC/1.` line.

use std::io::{self, BufRead, Read};

use serde_json::{Map, Value};

use super::limit::{self, Line};
use super::{decode_declared, Event, Issue, ReadOptions, Refused};
use crate::document::Document;

/// A header block's fields: lower-cased names, values as given.
type Fields = Vec<(String, String)>;

/// The longest header line read; longer lines make the record malformed.
const MAX_HEADER_LINE: u64 = 64 * 1024;
/// The most header lines in a WARC or HTTP header block.
const MAX_HEADER_LINES: usize = 1000;

/// Documents from a WARC or WET stream (already decompressed), one record at a time.
pub fn records(
    stream: Box<dyn BufRead + Send>,
    name: String,
    options: ReadOptions,
) -> impl Iterator<Item = Event> + Send {
    let mut reader = WarcReader {
        stream,
        name,
        limit: options.max_document_bytes,
        offset: 0,
        record_no: 0,
        resync: false,
        done: false,
        pending: None,
        line: Vec::new(),
    };
    std::iter::from_fn(move || reader.next_event())
}

struct WarcReader {
    stream: Box<dyn BufRead + Send>,
    name: String,
    limit: u64,
    /// Bytes consumed so far (of the decompressed stream).
    offset: u64,
    /// Records started so far; the current record's number, from 1.
    record_no: u64,
    /// After a malformed record: skip lines until the next `WARC/1.` line.
    resync: bool,
    done: bool,
    /// A document waiting behind its decoding note.
    pending: Option<Event>,
    line: Vec<u8>,
}

/// What the search for a record's version line found.
enum Start {
    Eof,
    /// A `WARC/1.x` line starting at this offset.
    Record(u64),
    /// Something else at this offset.
    Garbage(u64, String),
}

/// What a record's block holds, for our purposes.
enum Block {
    /// Text to decode, with the declared charset if any.
    Text(Vec<u8>, Option<String>),
    /// Not a text document (HTML, images, warcinfo…): skipped silently.
    NotText,
    /// A text payload larger than the limit.
    TooLarge(u64),
    /// A text payload we cannot read, and why.
    Unsupported(String),
}

impl WarcReader {
    fn next_event(&mut self) -> Option<Event> {
        if let Some(event) = self.pending.take() {
            return Some(event);
        }
        while !self.done {
            if let Some(event) = self.next_record() {
                return Some(event);
            }
        }
        None
    }

    fn location(&self) -> String {
        format!("{}:record {}", self.name, self.record_no)
    }

    fn skipped(&self, message: String) -> Option<Event> {
        Some(Event::Issue(Issue {
            location: self.location(),
            message,
            skipped: true,
        }))
    }

    /// A stream error ends the file: a truncated gzip member or a disk error do not recover.
    fn failed(&mut self, e: &io::Error) -> Option<Event> {
        self.done = true;
        self.skipped(format!("cannot read: {e}; rest of the file skipped"))
    }

    /// The next record's event, or `None` when it is skipped silently (or the file ended).
    fn next_record(&mut self) -> Option<Event> {
        let at = match self.find_start() {
            Ok(Start::Eof) => {
                self.done = true;
                return None;
            }
            Ok(Start::Record(at)) => at,
            Ok(Start::Garbage(at, found)) => {
                self.record_no += 1;
                self.resync = true;
                return self.skipped(format!(
                    "at byte {at}: expected a `WARC/1.x` version line, found `{found}`; skipping to the next record"
                ));
            }
            Err(e) => return self.failed(&e),
        };
        self.record_no += 1;
        let headers = match self.header_block() {
            Ok(Some(h)) => h,
            Ok(None) => {
                self.resync = true;
                return self.skipped(format!(
                    "at byte {at}: malformed or truncated WARC header; skipping to the next record"
                ));
            }
            Err(e) => return self.failed(&e),
        };
        let length = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok());
        let Some(length) = length else {
            self.resync = true;
            return self.skipped(format!(
                "at byte {at}: missing or invalid Content-Length; skipping to the next record"
            ));
        };
        let mut block = (&mut self.stream).take(length);
        let read = read_block(&mut block, &headers, self.limit)
            .and_then(|b| io::copy(&mut block, &mut io::sink()).map(|_| b));
        let missing = block.limit();
        self.offset += length - missing;
        let block = match read {
            Ok(b) => b,
            Err(e) => return self.failed(&e),
        };
        if missing > 0 {
            self.done = true;
            return self.skipped(format!(
                "at byte {at}: truncated: Content-Length is {length} but the file ends {missing} bytes short; record skipped"
            ));
        }
        self.document(block, &headers)
    }

    /// Skip blank lines (the `\r\n\r\n` after each block) up to the next version line; while
    /// resynchronising, skip anything that is not one.
    fn find_start(&mut self) -> io::Result<Start> {
        loop {
            let at = self.offset;
            let found = limit::read_line(&mut self.stream, &mut self.line, MAX_HEADER_LINE)?;
            let consumed = match found {
                Line::Eof => return Ok(Start::Eof),
                Line::Read => self.line.len() as u64,
                Line::TooLong(n) => n,
            };
            self.offset += consumed;
            if found == Line::Read && self.line.trim_ascii().is_empty() {
                continue;
            }
            if self.line.starts_with(b"WARC/1.") {
                self.resync = false;
                return Ok(Start::Record(at));
            }
            if !self.resync {
                let shown: String = String::from_utf8_lossy(self.line.trim_ascii())
                    .chars()
                    .take(40)
                    .collect();
                return Ok(Start::Garbage(at, shown));
            }
        }
    }

    /// The named fields up to the blank line; `None` when the block is malformed or cut.
    fn header_block(&mut self) -> io::Result<Option<Fields>> {
        let (headers, consumed) = read_headers(&mut self.stream, &mut self.line)?;
        self.offset += consumed;
        Ok(headers)
    }

    fn document(&mut self, block: Block, headers: &[(String, String)]) -> Option<Event> {
        let (body, charset) = match block {
            Block::Text(body, charset) => (body, charset),
            Block::NotText => return None,
            Block::TooLarge(len) => {
                return self.skipped(limit::over_limit("text", len, self.limit))
            }
            Block::Unsupported(why) => return self.skipped(format!("{why}; record skipped")),
        };
        let decoded = match decode_declared(&body, charset.as_deref()) {
            Ok(d) => d,
            Err(Refused::Empty) => return None,
            Err(refused) => return self.skipped(format!("{refused}; record skipped")),
        };
        // WET files hold many pages with no text at all: nothing to clean, nothing lost.
        if decoded.text.trim().is_empty() {
            return None;
        }
        let location = self.location();
        let id = header(headers, "warc-record-id")
            .map(|v| v.trim_start_matches('<').trim_end_matches('>').to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| location.clone());
        let mut doc = Document::new(id, location.clone(), decoded.text);
        let mut meta = Map::new();
        for (field, key) in [
            ("warc-target-uri", "url"),
            ("warc-date", "date"),
            ("warc-identified-content-language", "warc_languages"),
        ] {
            if let Some(value) = header(headers, field) {
                meta.insert(key.to_string(), Value::String(value.to_string()));
            }
        }
        doc.meta = (!meta.is_empty()).then_some(meta);
        let event = Event::Document(doc);
        match decoded.note {
            Some(note) => {
                self.pending = Some(event);
                Some(Event::Issue(Issue {
                    location,
                    message: note,
                    skipped: false,
                }))
            }
            None => Some(event),
        }
    }
}

/// A header block's fields (names lower-cased, continuation lines joined) up to its blank
/// line, and the bytes consumed; `None` for the fields when the block is malformed or cut.
fn read_headers(stream: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<(Option<Fields>, u64)> {
    let mut fields: Fields = Vec::new();
    let mut consumed = 0;
    for _ in 0..MAX_HEADER_LINES {
        match limit::read_line(stream, line, MAX_HEADER_LINE)? {
            Line::Eof => return Ok((None, consumed)),
            Line::TooLong(n) => return Ok((None, consumed + n)),
            Line::Read => consumed += line.len() as u64,
        }
        if !line.ends_with(b"\n") {
            return Ok((None, consumed));
        }
        let text = String::from_utf8_lossy(line);
        if text.trim().is_empty() {
            return Ok((Some(fields), consumed));
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
                continue;
            }
        }
        let Some((name, value)) = text.split_once(':') else {
            return Ok((None, consumed));
        };
        fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok((None, consumed))
}

/// The first value of a (lower-case) field.
fn header<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A Content-Type's media type (lower case) and charset parameter.
fn media_type(content_type: Option<&str>) -> (String, Option<String>) {
    let Some(content_type) = content_type else {
        return (String::new(), None);
    };
    let mut parts = content_type.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    });
    (mime, charset)
}

/// Read what a record's block holds, leaving the rest of it unread.
fn read_block(
    block: &mut dyn BufRead,
    headers: &[(String, String)],
    limit: u64,
) -> io::Result<Block> {
    let warc_type = header(headers, "warc-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let (mime, charset) = media_type(header(headers, "content-type"));
    let charset = match warc_type.as_str() {
        // A conversion is text extracted from a page, whatever its Content-Type says.
        "conversion" => charset,
        "resource" if mime == "text/plain" => charset,
        "response" if mime == "application/http" => match http_payload(block)? {
            Ok(charset) => charset,
            Err(block) => return Ok(block),
        },
        "response" if mime == "text/plain" => charset,
        _ => return Ok(Block::NotText),
    };
    let mut body = Vec::new();
    block.take(limit.saturating_add(1)).read_to_end(&mut body)?;
    if body.len() as u64 > limit {
        let rest = io::copy(block, &mut io::sink())?;
        return Ok(Block::TooLarge(body.len() as u64 + rest));
    }
    Ok(Block::Text(body, charset))
}

/// Read an HTTP response's status line and headers: the payload's charset when it is a
/// 2xx text/plain payload we can read, else what to do with the record.
fn http_payload(block: &mut dyn BufRead) -> io::Result<Result<Option<String>, Block>> {
    let mut line = Vec::new();
    limit::read_line(block, &mut line, MAX_HEADER_LINE)?;
    let status = String::from_utf8_lossy(&line).into_owned();
    let mut words = status.split_whitespace();
    let (Some(version), Some(code)) = (words.next(), words.next()) else {
        return Ok(Err(Block::Unsupported(
            "no HTTP status line in the response".into(),
        )));
    };
    if !version.starts_with("HTTP/") {
        return Ok(Err(Block::Unsupported(
            "no HTTP status line in the response".into(),
        )));
    }
    let (fields, _) = read_headers(block, &mut line)?;
    let Some(fields) = fields else {
        return Ok(Err(Block::Unsupported(
            "malformed HTTP header block".into(),
        )));
    };
    let (mime, charset) = media_type(header(&fields, "content-type"));
    if !code.starts_with('2') || mime != "text/plain" {
        return Ok(Err(Block::NotText));
    }
    for field in ["content-encoding", "transfer-encoding"] {
        if let Some(coding) = header(&fields, field).filter(|c| !c.eq_ignore_ascii_case("identity"))
        {
            return Ok(Err(Block::Unsupported(format!(
                "HTTP payload has {field} `{coding}`, which is not supported"
            ))));
        }
    }
    Ok(Ok(charset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, extra: &str, body: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\n{extra}Content-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    }

    fn events(input: String, limit: u64) -> Vec<Event> {
        let options = ReadOptions {
            max_document_bytes: limit,
            ..ReadOptions::default()
        };
        records(
            Box::new(io::Cursor::new(input.into_bytes())),
            "f.warc".into(),
            options,
        )
        .collect()
    }

    fn summary(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Event::Document(d) => format!("doc {} {} {:?}", d.id, d.source, d.raw),
                Event::Issue(i) => format!("issue {i}"),
            })
            .collect()
    }

    #[test]
    fn conversion_records_are_documents_with_meta() {
        let input = record("warcinfo", "", "software: x\r\n")
            + &record(
                "conversion",
                "WARC-Target-URI: http://a.fr/\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nWARC-Identified-Content-Language: fra,eng\r\nContent-Type: text/plain\r\n",
                "Bonjour à tous.",
            );
        let events = events(input, 1000);
        assert_eq!(
            summary(&events),
            ["doc urn:uuid:conversion f.warc:record 2 \"Bonjour à tous.\""]
        );
        let Event::Document(doc) = &events[0] else {
            unreachable!()
        };
        let meta = doc.meta.as_ref().expect("meta");
        assert_eq!(meta["url"], "http://a.fr/");
        assert_eq!(meta["date"], "2024-01-02T03:04:05Z");
        assert_eq!(meta["warc_languages"], "fra,eng");
    }

    #[test]
    fn only_text_plain_responses_and_resources_are_documents() {
        let http = |ctype: &str, body: &str| {
            format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n{body}")
        };
        let input = record("request", "", "GET / HTTP/1.1\r\n\r\n")
            + &record(
                "response",
                "Content-Type: application/http; msgtype=response\r\n",
                &http("text/html", "<p>x</p>"),
            )
            + &record(
                "response",
                "Content-Type: application/http; msgtype=response\r\n",
                &http("text/plain; charset=ISO-8859-1", "caf\u{e9}"),
            )
            + &record("resource", "Content-Type: text/plain\r\n", "a resource")
            + &record("resource", "Content-Type: image/png\r\n", "png")
            + &record("metadata", "", "fetchTimeMs: 3\r\n");
        let got = summary(&events(input, 1000));
        // The Latin-1 payload was written as UTF-8 here, so "é" is two Latin-1 characters.
        assert_eq!(
            got,
            [
                "doc urn:uuid:response f.warc:record 3 \"cafÃ©\"",
                "doc urn:uuid:resource f.warc:record 4 \"a resource\""
            ]
        );
    }

    #[test]
    fn a_bad_version_line_is_reported_and_reading_resumes() {
        let input = "garbage line\r\nmore garbage\r\n".to_string()
            + &record("conversion", "", "first")
            + "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: lots\r\n\r\nbody\r\n\r\n"
            + &record("conversion", "", "second");
        let got = summary(&events(input, 1000));
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].starts_with("issue f.warc:record 1: at byte 0: expected a `WARC/1.x` version line, found `garbage line`"), "{got:?}");
        assert!(got[1].starts_with("doc urn:uuid:conversion f.warc:record 2"));
        assert!(got[2].contains("f.warc:record 3: at byte"), "{got:?}");
        assert!(
            got[2].contains("missing or invalid Content-Length"),
            "{got:?}"
        );
        assert!(
            got[3].starts_with("doc urn:uuid:conversion f.warc:record 4 \"second\""),
            "{got:?}"
        );
    }

    #[test]
    fn a_truncated_body_is_reported() {
        let mut input =
            record("conversion", "", "first") + &record("conversion", "", "second record");
        input.truncate(input.len() - 10);
        let got = summary(&events(input, 1000));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].contains("f.warc:record 2: at byte"), "{got:?}");
        assert!(got[1].contains("truncated"), "{got:?}");
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_and_the_next_read() {
        let input = record("conversion", "", &"x".repeat(5000))
            + &record("resource", "Content-Type: text/plain\r\n", "small");
        let got = summary(&events(input, 100));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].contains(
                "record 1: text of 5000 bytes is larger than the 100 bytes document limit"
            ),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("doc urn:uuid:resource f.warc:record 2"),
            "{got:?}"
        );
    }

    #[test]
    fn empty_conversions_are_skipped_silently() {
        let input = record("conversion", "", "") + &record("conversion", "", " \r\n");
        assert!(events(input, 100).is_empty());
    }

    #[test]
    fn encoded_http_payloads_are_reported() {
        let body =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n\x1f";
        let input = record("response", "Content-Type: application/http\r\n", body);
        let got = summary(&events(input, 100));
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("content-encoding `gzip`"), "{got:?}");
    }
}
