//! Horizontal bar charts as inline SVG: one row per category, one stacked segment per
//! series (kept, dropped). No script and no external resource, so the page works offline,
//! in a mail attachment, or under a strict Content-Security-Policy.

use std::fmt::Write;

use super::html::escape;

/// One series of a chart: its name in tooltips and the legend, and its CSS class (colour).
pub struct Series {
    /// `kept`, `dropped`.
    pub name: &'static str,
    /// The CSS class of its bars.
    pub class: &'static str,
}

/// One category of a chart: its label and one value per series.
pub struct Row {
    /// The category (a reason code, a language, a length bucket); text from data.
    pub label: String,
    /// One value per series, in the chart's series order.
    pub values: Vec<usize>,
}

/// Width of the label column, the bar area and the value column, in pixels.
const LABEL_WIDTH: usize = 130;
const BAR_WIDTH: usize = 420;
const VALUE_WIDTH: usize = 200;
/// Height of one row, and of its bar.
const ROW_HEIGHT: usize = 22;
const BAR_HEIGHT: usize = 16;

/// A titled chart (`<figure id=…>` holding an `<svg>`), appended to `out`. Each row is a
/// `<g class="bar">` with a `<title>` tooltip, a `text.name` label, one `rect` per non-zero
/// segment and a `text.value` with the figures.
pub fn bar_chart(out: &mut String, id: &str, caption: &str, series: &[Series], rows: &[Row]) {
    let width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
    let height = ROW_HEIGHT * rows.len().max(1);
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\">\n<figcaption>{caption}</figcaption>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n\
         <title id=\"{id}-title\">{caption}</title>\n",
        caption = escape(caption),
    );
    let max = rows
        .iter()
        .map(|r| r.values.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    for (i, row) in rows.iter().enumerate() {
        bar(out, i * ROW_HEIGHT, max, series, row);
    }
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "<text class=\"empty\" x=\"{LABEL_WIDTH}\" y=\"15\">nothing to show</text>"
        );
    }
    out.push_str("</svg>\n");
    if series.len() > 1 {
        legend(out, series);
    }
    out.push_str("</figure>\n");
}

/// One row: label, stacked segments scaled to the largest row, figures.
fn bar(out: &mut String, top: usize, max: usize, series: &[Series], row: &Row) {
    let label = escape(&row.label);
    let figures = figures(series, &row.values);
    let baseline = top + 15;
    let _ = write!(
        out,
        "<g class=\"bar\">\n<title>{label}: {figures}</title>\n\
         <text class=\"name\" x=\"{}\" y=\"{baseline}\" text-anchor=\"end\">{label}</text>\n",
        LABEL_WIDTH - 8,
    );
    let mut x = LABEL_WIDTH as f64;
    for (s, &value) in series.iter().zip(&row.values) {
        if value == 0 {
            continue;
        }
        // Scaled to the largest row; a non-zero value stays visible however small.
        let w = (value as f64 * BAR_WIDTH as f64 / max as f64).max(1.0);
        let _ = writeln!(
            out,
            "<rect class=\"{}\" x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{BAR_HEIGHT}\"/>",
            s.class,
            top + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        );
        x += w;
    }
    let _ = write!(
        out,
        "<text class=\"value\" x=\"{:.1}\" y=\"{baseline}\">{figures}</text>\n</g>\n",
        x + 6.0,
    );
}

/// `3` for a one-series chart; `12 kept · 3 dropped` otherwise.
fn figures(series: &[Series], values: &[usize]) -> String {
    if let [value] = values {
        return value.to_string();
    }
    let parts: Vec<String> = series
        .iter()
        .zip(values)
        .map(|(s, v)| format!("{v} {}", s.name))
        .collect();
    parts.join(" · ")
}

fn legend(out: &mut String, series: &[Series]) {
    out.push_str("<p class=\"legend\">");
    for s in series {
        let _ = write!(
            out,
            "<span class=\"swatch {}\"></span>{} ",
            s.class,
            escape(s.name)
        );
    }
    out.push_str("</p>\n");
}

/// The two series of a kept/dropped chart.
pub(super) const KEPT_DROPPED: [Series; 2] = [
    Series {
        name: "kept",
        class: "kept",
    },
    Series {
        name: "dropped",
        class: "dropped",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_to_the_largest_row() {
        let rows = [
            Row {
                label: "fr".into(),
                values: vec![30, 10],
            },
            Row {
                label: "en".into(),
                values: vec![0, 20],
            },
        ];
        let mut out = String::new();
        bar_chart(&mut out, "c", "Languages", &KEPT_DROPPED, &rows);
        // 40 is the largest total: 30 → 315 px, 10 → 105 px, 20 → 210 px of 420.
        assert!(out.contains("width=\"315.0\""), "{out}");
        assert!(out.contains("x=\"445.0\" y=\"3\" width=\"105.0\""), "{out}");
        assert!(
            out.contains("x=\"130.0\" y=\"25\" width=\"210.0\""),
            "{out}"
        );
        assert!(out.contains(">30 kept · 10 dropped</text>"));
        assert_eq!(out.matches("<rect").count(), 3, "no rect for a zero value");
    }

    #[test]
    fn labels_are_escaped() {
        let rows = [Row {
            label: "<b>&".into(),
            values: vec![1],
        }];
        let mut out = String::new();
        bar_chart(&mut out, "c", "T", &KEPT_DROPPED[..1], &rows);
        assert!(out.contains("&lt;b&gt;&amp;"));
        assert!(!out.contains("<b>"));
    }
}
