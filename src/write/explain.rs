//! The human-readable sink behind `polyclean explain`: every paragraph with its verdict,
//! language, reason and evidence, coloured on a terminal.

use std::io::{self, Write};

use super::{CodePoints, Destination, Sink};
use crate::document::{Document, Paragraph, Verdict};
use crate::lang::output_code;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Longest paragraph text shown before it is cut (unless `full`).
const PREVIEW_CHARS: usize = 110;

/// Writes one block per document, one line (plus an evidence line when dropped) per paragraph.
pub struct ExplainWriter {
    dest: Destination,
    colour: bool,
    full: bool,
}

impl ExplainWriter {
    /// A writer over `dest`; `colour` adds ANSI colours, `full` shows whole paragraphs.
    pub fn new(dest: Destination, colour: bool, full: bool) -> Self {
        ExplainWriter { dest, colour, full }
    }

    fn paint<'a>(&self, code: &'a str) -> &'a str {
        if self.colour {
            code
        } else {
            ""
        }
    }

    fn preview(&self, text: &str) -> String {
        if self.full || text.chars().count() <= PREVIEW_CHARS {
            return text.to_string();
        }
        let cut: String = text.chars().take(PREVIEW_CHARS).collect();
        format!("{cut}…")
    }
}

impl Sink for ExplainWriter {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        let (bold, dim, reset) = (self.paint(BOLD), self.paint(DIM), self.paint(RESET));
        let kept = doc.kept().count();
        writeln!(
            self.dest,
            "{bold}== {} ({}){reset} {dim}{} — {kept} of {} paragraphs kept{reset}",
            doc.id,
            doc.lang.as_deref().unwrap_or(crate::document::UNDETERMINED),
            doc.source,
            doc.paragraphs.len()
        )?;
        for p in &doc.paragraphs {
            let lang = format!("{} {}", p.lang.code, p.lang.source.as_str());
            let (label, colour, note) = match &p.verdict {
                Verdict::Keep(why) => ("KEEP", GREEN, why.clone()),
                Verdict::Drop(drop) => (
                    "DROP",
                    RED,
                    Some(format!("{}: {}", drop.reason, drop.evidence)),
                ),
            };
            let colour = self.paint(colour);
            let text = self.preview(&p.text);
            writeln!(
                self.dest,
                "{colour}{label}{reset} {:>4} {dim}{lang:<14}{reset} {text}",
                p.index
            )?;
            if let Some(note) = note {
                writeln!(self.dest, "{dim}          {note}{reset}")?;
            }
            if !p.spans.is_empty() {
                writeln!(self.dest, "{dim}          mixed: {}{reset}", spans_line(p))?;
            }
        }
        writeln!(self.dest)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.dest.commit()
    }

    fn end_batch(&mut self) -> io::Result<()> {
        if self.dest.is_stream() {
            self.dest.flush()?;
        }
        Ok(())
    }
}

/// `fr 0–69, en 69–113, fr 113–160`: a mixed paragraph's spans, in code points.
fn spans_line(p: &Paragraph) -> String {
    let spans: Vec<String> = CodePoints::new(&p.text)
        .spans(&p.spans)
        .map(|(start, end, lang)| format!("{} {start}–{end}", output_code(lang)))
        .collect();
    spans.join(", ")
}
