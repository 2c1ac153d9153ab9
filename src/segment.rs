//! Stage 1: split a document's raw text into paragraphs.
//!
//! The rule (documented in `docs/architecture.md`):
//! - every non-blank line is a paragraph — scraped text uses both "one paragraph per line"
//!   and "blank line between paragraphs" layouts, and a line break is the only structure
//!   the scraper left us;
//! - except hard-wrapped prose: inside a block of consecutive non-blank lines whose longest
//!   line is 40–120 characters (a fixed wrap width), a line is joined to the previous one when
//!   the previous line is *full* (the next line's first word would not have fit on it), the
//!   next line starts with a lowercase letter or digit (or the previous one ends with `,` `;`
//!   or a hyphen), and neither line is a list item.
//!
//! Joining errs on the side of not joining: a missed join splits one paragraph in two,
//! a wrong join would glue a menu item or a table row to prose.

use crate::document::Paragraph;

/// Shortest and longest block width (in characters) accepted as a hard-wrap width.
const WRAP_WIDTH: std::ops::RangeInclusive<usize> = 40..=120;

/// One line of the raw text: its trimmed content and byte range.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Split `raw` into paragraphs with their byte offsets; texts are not normalized yet.
pub fn paragraphs(raw: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for block in blocks(raw) {
        let width = block
            .iter()
            .map(|l| l.text.chars().count())
            .max()
            .unwrap_or(0);
        let mut current: Option<(usize, usize, String)> = None;
        for (i, line) in block.iter().enumerate() {
            let joins = i > 0 && continues(&block[i - 1], line, width);
            match current.as_mut() {
                Some((_, end, text)) if joins => {
                    text.push(' ');
                    text.push_str(line.text);
                    *end = line.end;
                }
                _ => {
                    if let Some((start, end, text)) = current.take() {
                        out.push(Paragraph::new(out.len(), start, end, text));
                    }
                    current = Some((line.start, line.end, line.text.to_string()));
                }
            }
        }
        if let Some((start, end, text)) = current {
            out.push(Paragraph::new(out.len(), start, end, text));
        }
    }
    out
}

/// Groups of consecutive non-blank lines.
fn blocks(raw: &str) -> Vec<Vec<Line<'_>>> {
    let mut blocks = Vec::new();
    let mut block = Vec::new();
    for line in lines(raw) {
        if line.text.is_empty() {
            if !block.is_empty() {
                blocks.push(std::mem::take(&mut block));
            }
        } else {
            block.push(line);
        }
    }
    if !block.is_empty() {
        blocks.push(block);
    }
    blocks
}

/// Lines split on `\n`, `\r\n` or `\r`, trimmed of whitespace and invisible characters,
/// with the byte range of the trimmed content.
fn lines(raw: &str) -> impl Iterator<Item = Line<'_>> {
    let mut offset = 0;
    raw.split_inclusive(['\n', '\r'])
        .filter_map(move |piece| {
            let start = offset;
            offset += piece.len();
            // "\r\n" splits into "…\r" and "\n": the lone "\n" is an empty line we skip,
            // so CRLF counts as one break, not two.
            if piece == "\n" && start > 0 && raw.as_bytes()[start - 1] == b'\r' {
                return None;
            }
            Some((start, piece))
        })
        .map(|(start, piece)| {
            let content = piece.trim_end_matches(['\n', '\r']);
            let lead = content.len() - content.trim_start_matches(is_blank_char).len();
            let text = content.trim_matches(is_blank_char);
            Line {
                text,
                start: start + lead,
                end: start + lead + text.len(),
            }
        })
}

/// Whitespace, and invisible characters that make a line look non-empty without content.
fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{00ad}')
}

/// Whether `next` continues the hard-wrapped paragraph that `prev` belongs to.
fn continues(prev: &Line, next: &Line, width: usize) -> bool {
    if !WRAP_WIDTH.contains(&width) || is_list_item(prev.text) || is_list_item(next.text) {
        return false;
    }
    let first_word = next.text.split_whitespace().next().unwrap_or("");
    let full = prev.text.chars().count() + 1 + first_word.chars().count() > width;
    let next_starts_low = next
        .text
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
    let prev_open = prev.text.ends_with([',', ';', '-', '\u{2010}']);
    full && (next_starts_low || prev_open)
}

/// Bullets, dashes and numbered items: lines that stand alone even inside a wrapped block.
fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('•' | '◦' | '▪' | '‣' | '*' | '-' | '–' | '—' | '·' | '>') => true,
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(raw: &str) -> Vec<String> {
        paragraphs(raw).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn blank_line_blocks_are_paragraphs() {
        assert_eq!(
            texts("One.\n\nTwo.\n\n\nThree."),
            ["One.", "Two.", "Three."]
        );
    }

    #[test]
    fn every_line_is_a_paragraph_in_line_layout() {
        let raw = "A first sentence that ends here.\nA second one, also complete.\nQuestion ?";
        assert_eq!(texts(raw).len(), 3);
    }

    #[test]
    fn hard_wrapped_prose_is_joined() {
        let raw = "The committee met on Tuesday to discuss the budget for the\n\
                   coming year, and members agreed that spending on roads and\n\
                   schools would rise.\n\nNext paragraph.";
        assert_eq!(
            texts(raw),
            [
                "The committee met on Tuesday to discuss the budget for the coming year, \
                 and members agreed that spending on roads and schools would rise.",
                "Next paragraph."
            ]
        );
    }

    #[test]
    fn table_rows_and_capitalised_lines_stay_apart() {
        let raw = "Partner Aid Main impact of the agreement\n\
                   Norway Fisheries, energy, shipping Reduced tariffs overall\n\
                   Chile Copper, wine Stable trade";
        assert_eq!(texts(raw).len(), 3);
    }

    #[test]
    fn list_items_are_never_joined() {
        let raw = "  • 2018 : first summit in a city that is quite far away from here\n  • 2019 : second summit";
        assert_eq!(texts(raw).len(), 2);
    }

    #[test]
    fn short_menu_lines_are_not_joined() {
        assert_eq!(texts("home\nabout us\ncontact").len(), 3);
    }

    #[test]
    fn offsets_point_at_the_raw_text() {
        let raw = "\u{feff}Title\r\n\r\n  Body text here.  \r\n";
        let ps = paragraphs(raw);
        assert_eq!(ps.len(), 2);
        assert_eq!(&raw[ps[0].start..ps[0].end], "Title");
        assert_eq!(&raw[ps[1].start..ps[1].end], "Body text here.");
        assert_eq!((ps[0].index, ps[1].index), (0, 1));
    }

    #[test]
    fn crlf_and_lone_cr_are_line_breaks() {
        assert_eq!(texts("a\r\nb\rc"), ["a", "b", "c"]);
    }

    #[test]
    fn blank_only_text_has_no_paragraph() {
        assert!(paragraphs(" \n\u{200b}\n\t\n").is_empty());
    }
}
