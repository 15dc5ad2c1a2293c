//! Reading the old system's export files: bytes to text (UTF-8 with or without
//! a byte-order mark, or Windows-1252 as older exports are), text to records
//! (`;`-separated, quoted fields as RFC 4180 has them, CRLF, LF or a stray CR).

use serde::Serialize;

/// The text encoding a file turned out to be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Windows1252,
}

impl Encoding {
    pub fn describe(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 with byte-order mark",
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes a file: UTF-8 when it is valid UTF-8 (the byte-order mark
/// dropped), else Windows-1252, which every byte sequence is.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(text) = std::str::from_utf8(rest) {
            return (text.to_owned(), Encoding::Utf8Bom);
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => (bytes.iter().map(|&b| windows_1252(b)).collect(), Encoding::Windows1252),
    }
}

/// Windows-1252 is Latin-1 except for 0x80–0x9F; the five bytes it leaves
/// undefined map to the C1 controls of the same value, as browsers do.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// One record of a CSV file: the line it starts on (the header is line 1)
/// and its fields, unquoted but not trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
    /// Quoting the reader had to guess about; such a row is not trusted.
    pub defect: Option<&'static str>,
}

/// The longest field the reader keeps; anything longer is a broken file.
const MAX_FIELD: usize = 10_000;

/// Splits text into records. Empty lines are not records. Never fails: what
/// it cannot read cleanly it marks as a defect on the record.
pub fn records(text: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut in_quotes = false;
    let mut was_quoted = false;
    let mut defect: Option<&'static str> = None;
    let mut chars = text.chars().peekable();

    let mut finish = |fields: &mut Vec<String>, field: &mut String, start: usize, defect: &mut Option<&'static str>| {
        fields.push(std::mem::take(field));
        let empty = fields.len() == 1 && fields[0].trim().is_empty();
        if !empty {
            out.push(Record { line: start, fields: std::mem::take(fields), defect: defect.take() });
        }
        fields.clear();
        *defect = None;
    };

    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            if field.len() > MAX_FIELD {
                defect = Some("a field is implausibly long (a quote that is never closed?)");
                in_quotes = false;
            }
            continue;
        }
        match c {
            ';' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '"' if field.trim().is_empty() && !was_quoted => {
                field.clear();
                in_quotes = true;
                was_quoted = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                finish(&mut fields, &mut field, start_line, &mut defect);
                was_quoted = false;
                line += 1;
                start_line = line;
            }
            _ => {
                if was_quoted && !c.is_whitespace() {
                    defect.get_or_insert("text after a closing quote");
                }
                if c == '"' && !was_quoted {
                    defect.get_or_insert("a quote inside an unquoted field");
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        defect = Some("a quoted field is never closed");
    }
    finish(&mut fields, &mut field, start_line, &mut defect);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        records(text).into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn decodes_utf8_with_and_without_bom_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFF\xC3\xB8dselsdato"), ("Fødselsdato".into(), Encoding::Utf8Bom));
        assert_eq!(decode("Åse".as_bytes()), ("Åse".into(), Encoding::Utf8));
        assert_eq!(decode(b"F\xF8dselsdato \xC5se \x80"), ("Fødselsdato Åse €".into(), Encoding::Windows1252));
    }

    #[test]
    fn splits_on_semicolons_and_any_line_end() {
        let text = "a;b;c\r\n1;2;3\r\n4;;6\n7;8;9\r10;11;12\r\n\r\n";
        assert_eq!(
            fields(text),
            vec![
                vec!["a", "b", "c"],
                vec!["1", "2", "3"],
                vec!["4", "", "6"],
                vec!["7", "8", "9"],
                vec!["10", "11", "12"]
            ]
        );
        let lines: Vec<usize> = records(text).iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn reads_quoted_fields_with_separators_quotes_and_line_breaks() {
        let text = "B000012;\"Møller; \"\"Junior\"\"\";x\r\nB2;\"two\r\nlines\";y\r\nB3;z;w";
        let records = records(text);
        assert_eq!(records[0].fields, vec!["B000012", "Møller; \"Junior\"", "x"]);
        assert_eq!(records[1].fields, vec!["B2", "two\nlines", "y"]);
        assert_eq!(records[2].line, 4, "line numbers count the line break inside the quotes");
        assert!(records.iter().all(|r| r.defect.is_none()));
    }

    #[test]
    fn marks_broken_quoting_instead_of_guessing_silently() {
        assert_eq!(records("a;\"b\"c;d")[0].defect, Some("text after a closing quote"));
        assert_eq!(records("a;b\"c;d")[0].defect, Some("a quote inside an unquoted field"));
        let unclosed = records("a;\"b;c\r\nd;e");
        assert_eq!(unclosed.len(), 1);
        assert_eq!(unclosed[0].defect, Some("a quoted field is never closed"));
    }
}
