//! Charts as server-rendered SVG: a report's picture needs no JavaScript.
//! One kind for now, bars over days; the numbers are also in a table beside
//! it, so the chart is a picture with a title and a description, not the
//! only way to read them.

use std::fmt::Write;

/// One bar: its label under the axis (shown for some bars only when there
/// are many), and its value.
pub struct Bar {
    pub label: String,
    pub value: i64,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 240;
const LEFT: i64 = 8;
const BOTTOM: i64 = 24;
const TOP: i64 = 8;

/// A bar chart scaled to its viewBox, so it shrinks to a phone's width.
/// `title` and `description` are its accessible name and description.
pub fn bars(bars: &[Bar], title: &str, description: &str) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let count = i64::try_from(bars.len()).unwrap_or(i64::MAX).max(1);
    let slot = (WIDTH - LEFT) / count;
    let plot = HEIGHT - BOTTOM - TOP;
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-title\" aria-describedby=\"chart-desc\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{WIDTH}\" y2=\"{}\" class=\"axis\"/>",
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM
    );
    // Every label when they fit, else about seven of them.
    let label_every = if count <= 10 { 1 } else { (count / 7).max(1) };
    for (i, bar) in bars.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(0);
        let h = bar.value.max(0).saturating_mul(plot) / max;
        let x = LEFT + i * slot + slot / 8;
        let w = (slot * 3 / 4).max(1);
        let _ =
            write!(svg, "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{h}\" class=\"bar\"/>", HEIGHT - BOTTOM - h);
        if i % label_every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"label\">{}</text>",
                x + w / 2,
                HEIGHT - 6,
                escape(&bar.label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_text_is_escaped() {
        let svg = bars(
            &[
                Bar { label: "1".into(), value: 50 },
                Bar { label: "2".into(), value: 100 },
                Bar { label: "<3>".into(), value: 0 },
            ],
            "Salg pr. dag",
            "A & B",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"chart-title\">Salg pr. dag</title>"));
        assert!(svg.contains("A &amp; B") && svg.contains("&lt;3&gt;"));
        let plot = HEIGHT - BOTTOM - TOP;
        assert!(svg.contains(&format!("height=\"{plot}\"")), "the largest bar fills the plot: {svg}");
        assert!(svg.contains(&format!("height=\"{}\"", plot / 2)), "half the largest, half the height");
        assert!(svg.contains("height=\"0\""));
        assert!(!bars(&[], "t", "d").contains("<rect"));
    }
}
