//! The terminal form of a [`Summary`]: aligned sections, names left, figures right.

use std::fmt::Write;

use super::{Percentiles, Summary};

/// The summary as aligned plain-text tables, one per section, ending in a newline.
pub fn render_table(s: &Summary) -> String {
    let mut out = String::new();
    let p = &s.paragraphs;
    let totals = vec![
        row(["documents", &s.documents.to_string(), ""]),
        row([
            "  empty (no kept paragraph)",
            &s.empty_documents.to_string(),
            &percent(s.empty_documents, s.documents),
        ]),
        row(["paragraphs", &p.total.to_string(), ""]),
        row(["  kept", &p.kept.to_string(), &percent(p.kept, p.total)]),
        row([
            "  dropped",
            &p.dropped.to_string(),
            &percent(p.dropped, p.total),
        ]),
        row(["kept words", &s.kept.words.to_string(), ""]),
        row(["kept characters", &s.kept.characters.to_string(), ""]),
        row(["dropped characters", &s.dropped.characters.to_string(), ""]),
    ];
    section(&mut out, totals);

    let kept_chars = s.kept.characters;
    let mut docs = vec![row([
        "document language",
        "documents",
        "kept paragraphs",
        "words",
        "characters",
        "% characters",
    ])];
    for (lang, f) in &s.languages.documents {
        docs.push(row([
            lang,
            &f.documents.to_string(),
            &f.kept_paragraphs.to_string(),
            &f.size.words.to_string(),
            &f.size.characters.to_string(),
            &percent(f.size.characters, doc_text_chars(s)),
        ]));
    }
    section(&mut out, docs);

    let mut paras = vec![row([
        "paragraph language (kept)",
        "paragraphs",
        "words",
        "characters",
        "% characters",
    ])];
    for (lang, f) in &s.languages.paragraphs {
        paras.push(row([
            lang,
            &f.paragraphs.to_string(),
            &f.size.words.to_string(),
            &f.size.characters.to_string(),
            &percent(f.size.characters, kept_chars),
        ]));
    }
    section(&mut out, paras);

    let mut reasons = vec![row([
        "drop reason",
        "paragraphs",
        "% paragraphs",
        "characters",
        "% characters",
    ])];
    for (code, f) in &s.reasons {
        reasons.push(row([
            code,
            &f.paragraphs.to_string(),
            &format_share(f.paragraph_share),
            &f.characters.to_string(),
            &format_share(f.character_share),
        ]));
    }
    section(&mut out, reasons);

    let d = &s.duplicates;
    let reasons_met = if d.reasons.is_empty() {
        "none".to_string()
    } else {
        d.reasons.join(", ")
    };
    section(
        &mut out,
        vec![
            row(["duplicates", "count", "%"]),
            row([
                "paragraphs",
                &d.paragraphs.to_string(),
                &format_share(d.paragraph_share),
            ]),
            row([
                "characters",
                &d.characters.to_string(),
                &format_share(d.character_share),
            ]),
            row([
                "documents emptied",
                &d.documents.to_string(),
                &format_share(d.document_share),
            ]),
        ],
    );
    let _ = writeln!(out, "duplicate reasons: {reasons_met}\n");

    let l = &s.lengths;
    section(
        &mut out,
        vec![
            row(["length", "count", "p10", "p50", "p90", "p99", "max"]),
            length_row("document characters", &l.documents.characters),
            length_row("document words", &l.documents.words),
            length_row("kept paragraph characters", &l.paragraphs.characters),
            length_row("kept paragraph words", &l.paragraphs.words),
        ],
    );
    if s.bad_lines > 0 {
        let _ = writeln!(out, "bad lines (not counted): {}", s.bad_lines);
    }
    out
}

/// Characters of every document's `text`, the whole the document-language shares are of.
fn doc_text_chars(s: &Summary) -> u64 {
    s.languages
        .documents
        .values()
        .map(|f| f.size.characters)
        .sum()
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn length_row(name: &str, p: &Percentiles) -> Vec<String> {
    [
        p.count,
        p.p10.into(),
        p.p50.into(),
        p.p90.into(),
        p.p99.into(),
        p.max.into(),
    ]
    .iter()
    .map(u64::to_string)
    .fold(vec![name.to_string()], |mut row, cell| {
        row.push(cell);
        row
    })
}

/// `part / whole` as a percentage with one decimal, empty when `whole` is 0.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format_share(part as f64 / whole as f64)
}

fn format_share(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Write `rows` with the first column left-aligned and the others right-aligned, two spaces
/// apart, then a blank line.
fn section(out: &mut String, rows: Vec<Vec<String>>) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
}
