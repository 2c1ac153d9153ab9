//! Paragraph segmentation on arbitrary text: no panic; paragraphs are numbered in order,
//! their byte ranges are in order, non-overlapping, on character boundaries, and every
//! non-blank line of the input lies inside one of them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polyclean::segment;

fuzz_target!(|raw: &str| {
    let paragraphs = segment::paragraphs(raw);
    let mut previous_end = 0;
    for (i, p) in paragraphs.iter().enumerate() {
        assert_eq!(p.index, i);
        assert!(previous_end <= p.start && p.start < p.end && p.end <= raw.len());
        assert!(raw.is_char_boundary(p.start) && raw.is_char_boundary(p.end));
        assert!(!p.text.is_empty());
        previous_end = p.end;
    }
    // Every line with visible content starts inside a paragraph.
    let mut offset = 0;
    for line in raw.split_inclusive(['\n', '\r']) {
        let start = offset;
        offset += line.len();
        let Some(lead) = line.find(|c: char| !is_blank(c)) else {
            continue;
        };
        let at = start + lead;
        assert!(
            paragraphs.iter().any(|p| p.start <= at && at < p.end),
            "line at byte {at} is in no paragraph"
        );
    }
});

/// What the segmenter treats as blank: whitespace and invisible characters.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{00ad}')
}
