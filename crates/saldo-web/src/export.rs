//! Files for download: CSV fields that never run as formulas, and the period
//! a statement or a bank file covers.

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(crate) struct Period {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) before: Option<i64>,
}

/// A period from `YYYY-MM-DD` dates, whole Danish days; unreadable dates are ignored.
pub(crate) fn period(p: &Period) -> (Option<jiff::Timestamp>, Option<jiff::Timestamp>) {
    let day = |s: &Option<String>, extra_days: i64| {
        s.as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse::<jiff::civil::Date>().ok())
            .and_then(|d| d.checked_add(jiff::Span::new().days(extra_days)).ok())
            .and_then(|d| d.to_zoned(saldo_core::day::local_tz()).ok())
            .map(|z| z.timestamp())
    };
    (day(&p.from, 0), day(&p.to, 1))
}

/// A CSV field, quoted when it must be; text a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is kept as
/// text with a leading `'`.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_never_run_as_formulas() {
        assert_eq!(csv_field("Ida"), "Ida");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-20 %"), "'-20 %");
        assert_eq!(csv_field("@sum"), "'@sum");
    }
}
