//! The one CSV writer every export uses: the `csv` crate quotes, and every
//! cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a
//! carriage return first) is kept as text with a leading `'`. A plain number
//! (`-20,00`) is left a number.

/// A CSV file being written, row by row, CRLF between rows.
pub struct CsvFile {
    writer: csv::Writer<Vec<u8>>,
    bom: bool,
}

impl CsvFile {
    /// Semicolons between cells: what a Danish spreadsheet opens as columns.
    pub fn danish() -> CsvFile {
        CsvFile::with(b';', true)
    }

    /// Semicolons and no byte-order mark, for the card printer.
    pub fn with_semicolons() -> CsvFile {
        CsvFile::with(b';', false)
    }

    /// Commas and no byte-order mark, for machines.
    pub fn plain() -> CsvFile {
        CsvFile::with(b',', false)
    }

    fn with(delimiter: u8, bom: bool) -> CsvFile {
        let writer =
            csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        CsvFile { writer, bom }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|cell| neutralized(cell.as_ref())).collect();
        // Writing to memory cannot fail, and every row is text.
        self.writer.write_record(&cells).expect("a CSV row in memory");
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        let text = String::from_utf8(bytes).unwrap_or_default();
        if self.bom {
            format!("\u{feff}{text}")
        } else {
            text
        }
    }
}

fn neutralized(cell: &str) -> String {
    let number = cell.strip_prefix(['-', '+']).is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    });
    if !number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(cell: &str) -> String {
        let mut file = CsvFile::danish();
        file.row([cell]);
        file.finish().trim_start_matches('\u{feff}').trim_end_matches("\r\n").to_owned()
    }

    #[test]
    fn cells_are_quoted_and_never_run_as_formulas() {
        assert_eq!(one("Ida"), "Ida");
        assert_eq!(one("a;b"), "\"a;b\"");
        assert_eq!(one("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(one("-20 %"), "'-20 %");
        assert_eq!(one("+45 12 34"), "'+45 12 34");
        assert_eq!(one("@sum"), "'@sum");
        assert_eq!(one("\tx"), "'\tx");
        assert_eq!(one("-20,00"), "-20,00", "an amount stays a number");
        assert_eq!(one("-"), "'-");
        let mut file = CsvFile::plain();
        file.row(["a", "b"]);
        file.row(["c", "d"]);
        assert_eq!(file.finish(), "a,b\r\nc,d\r\n");
    }
}
