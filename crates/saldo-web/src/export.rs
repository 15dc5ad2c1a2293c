//! Files for download: the period a statement or a bank file covers (the
//! cells are written by `saldo_app::csv_file`).

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
