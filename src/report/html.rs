//! The HTML report: one self-contained page (inline CSS, inline SVG charts, no scripts, no
//! external resources) with the summary figures, three charts and the issue list. Every
//! piece of text that comes from data — file names, messages, codes — goes through
//! [`escape`].

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::chart::{bar_chart, Row, Series, KEPT_DROPPED};
use super::Report;

const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#666;margin-top:0}
table{border-collapse:collapse}
th,td{text-align:left;padding:.2rem .8rem .2rem 0;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
table.issues td{border-top:1px solid #eee}
table.issues td.location{font-family:ui-monospace,monospace;word-break:break-all}
figure{margin:0}
figcaption{font-weight:600;margin:.5rem 0}
svg text{font:12px system-ui,sans-serif;fill:#222}
.kept{fill:#3b7f4f;background:#3b7f4f}
.dropped{fill:#c0504d;background:#c0504d}
.swatch{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em}
.skipped{color:#c0504d}
";

const DROPPED: [Series; 1] = [Series {
    name: "dropped",
    class: "dropped",
}];

/// Write `report` as an HTML page to `out`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::with_capacity(64 << 10);
    head(&mut page, report);
    summary(&mut page, report);
    charts(&mut page, report);
    document_languages(&mut page, report);
    issues(&mut page, report);
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// `text` with the five HTML-significant characters replaced by entities, safe in element
/// content and in quoted attribute values (also inside inline SVG).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

fn head(page: &mut String, report: &Report) {
    let started = report.started_at.as_deref().unwrap_or("unknown time");
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>polyclean run report — {started}</title>\n<style>\n{STYLE}</style>\n</head>\n\
         <body>\n<h1>polyclean run report</h1>\n\
         <p class=\"meta\">Run started {started} · {} {} · report schema version {}</p>\n",
        report.tool.name,
        report.tool.version,
        report.version,
        started = escape(started),
    );
}

fn summary(page: &mut String, report: &Report) {
    let p = &report.paragraphs;
    let rows = [
        ("Duration", format!("{:.3} s", report.duration_seconds)),
        (
            "Throughput",
            format!(
                "{:.2} MB/s · {:.1} documents/s",
                report.throughput_mb_per_second, report.documents_per_second
            ),
        ),
        ("Inputs read", report.inputs.to_string()),
        ("Documents", report.documents.to_string()),
        ("Paragraphs", p.total.to_string()),
        ("Kept", with_share(p.kept, p.total)),
        ("Dropped", with_share(p.dropped, p.total)),
        ("Bytes in", report.bytes_in.to_string()),
        ("Bytes out (kept text)", report.bytes_out.to_string()),
        (
            "Issues",
            format!(
                "{} ({} skipped, {} warnings)",
                report.issues.total, report.issues.skipped, report.issues.warnings
            ),
        ),
    ];
    page.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"figures\">\n");
    for (name, value) in rows {
        let _ = writeln!(page, "<tr><th>{name}</th><td class=\"n\">{value}</td></tr>");
    }
    page.push_str("</table>\n</section>\n");
}

/// `12 (80.0%)`.
fn with_share(part: usize, total: usize) -> String {
    if total == 0 {
        return part.to_string();
    }
    format!("{part} ({:.1}%)", part as f64 * 100.0 / total as f64)
}

fn charts(page: &mut String, report: &Report) {
    // Reasons that dropped something, most frequent first (precedence order breaks ties).
    let mut reasons: Vec<Row> = report
        .dropped_by_reason
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(r, &n)| Row {
            label: r.as_str().to_string(),
            values: vec![n],
        })
        .collect();
    reasons.sort_by(|a, b| b.values[0].cmp(&a.values[0]));
    section(page, "reasons", |page| {
        bar_chart(
            page,
            "chart-reasons",
            "Dropped paragraphs per reason",
            &DROPPED,
            &reasons,
        )
    });

    let mut languages: Vec<Row> = report
        .paragraph_languages
        .iter()
        .map(|(code, c)| Row {
            label: code.clone(),
            values: vec![c.kept, c.dropped],
        })
        .collect();
    languages.sort_by_key(|r| std::cmp::Reverse(r.values.iter().sum::<usize>()));
    section(page, "languages", |page| {
        bar_chart(
            page,
            "chart-languages",
            "Paragraphs per paragraph language",
            &KEPT_DROPPED,
            &languages,
        )
    });

    let lengths: Vec<Row> = report
        .paragraph_lengths
        .iter()
        .map(|b| Row {
            label: b.label(),
            values: vec![b.kept, b.dropped],
        })
        .collect();
    section(page, "lengths", |page| {
        bar_chart(
            page,
            "chart-lengths",
            "Paragraph length (characters)",
            &KEPT_DROPPED,
            &lengths,
        )
    });
}

fn section(page: &mut String, id: &str, body: impl FnOnce(&mut String)) {
    let _ = writeln!(page, "<section id=\"{id}\">");
    body(page);
    page.push_str("</section>\n");
}

fn document_languages(page: &mut String, report: &Report) {
    page.push_str(
        "<section id=\"document-languages\">\n<h2>Documents per language</h2>\n<table>\n",
    );
    let mut langs: Vec<(&String, &usize)> = report.document_languages.iter().collect();
    langs.sort_by_key(|(_, &n)| std::cmp::Reverse(n));
    for (code, n) in langs {
        let _ = writeln!(
            page,
            "<tr><th>{}</th><td class=\"n\">{n}</td></tr>",
            escape(code)
        );
    }
    page.push_str("</table>\n</section>\n");
}

fn issues(page: &mut String, report: &Report) {
    let issues = &report.issues;
    page.push_str("<section id=\"issues\">\n<h2>Issues</h2>\n");
    if issues.total == 0 {
        page.push_str("<p>No issues: every input was read.</p>\n</section>\n");
        return;
    }
    if issues.truncated {
        let _ = writeln!(
            page,
            "<p>The first {} of {} issues:</p>",
            issues.list.len(),
            issues.total
        );
    }
    page.push_str(
        "<table class=\"issues\">\n<tr><th>Location</th><th>Kind</th><th>Message</th></tr>\n",
    );
    for issue in &issues.list {
        let kind = if issue.skipped { "skipped" } else { "warning" };
        let _ = writeln!(
            page,
            "<tr class=\"{kind}\"><td class=\"location\">{}</td><td>{kind}</td><td>{}</td></tr>",
            escape(&issue.location),
            escape(&issue.message)
        );
    }
    page.push_str("</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_markup_characters() {
        assert_eq!(escape(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&#39;");
        assert!(matches!(escape("plain é"), Cow::Borrowed("plain é")));
    }
}
