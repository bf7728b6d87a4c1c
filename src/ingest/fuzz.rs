//! Entry points for fuzzing the header and cell parsers: the cargo-fuzz
//! targets in `fuzz/` call them with libFuzzer's bytes, and tests/fuzz.rs
//! calls them with seeded random bytes in every `cargo test`, so both run the
//! same code. Neither may panic on any input.
//!
//! [`sheet`] reads the bytes as a small sheet: each cell takes a byte that
//! picks what it holds — a header word of the built-in or an office's form, a
//! section or total row's words, a number, a date, an error, or text taken
//! from the bytes that follow — so the header finder and the row mapper are
//! reached far more often than by arbitrary text alone.

use super::workbook::{Cell, Format, RawSheet, Workbook};
use crate::config::Period;

/// Words a form's cells hold beside the built-in headers: other periods'
/// and offices' headers, section and total rows, choices, notes and units.
const EXTRA_WORDS: &[&str] = &[
    "1-5月累计完成投资",
    "2025年完成投资",
    "是否开工",
    "签约金额(亿元)",
    "到位资金(元)",
    "合计",
    "小计",
    "一、产业项目",
    "(二)城关镇",
    "新建",
    "续建",
    "前期",
    "是",
    "否",
    "序号",
    "填报单位:城关镇",
    "2026年5月",
    "元",
    "亿元",
    "—",
    "",
];

/// The built-in form's headers (forms.rs), then [`EXTRA_WORDS`].
fn words() -> &'static [&'static str] {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        crate::forms::TableKind::ALL
            .iter()
            .flat_map(|t| t.form_fields().iter().map(|f| f.header))
            .chain(EXTRA_WORDS.iter().copied())
            .collect()
    })
}

/// A sheet from bytes: rows of at most 24 cells, at most 40 rows.
pub fn sheet(data: &[u8]) -> RawSheet {
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new()];
    let mut i = 0;
    while i < data.len() && rows.len() <= 40 {
        let b = data[i];
        i += 1;
        let cell = match b % 8 {
            0 => {
                rows.push(Vec::new());
                continue;
            }
            1..=3 => {
                let w = words();
                Cell::Text(w[b as usize % w.len()].to_string())
            }
            4 => {
                let n = data
                    .get(i..i + 2)
                    .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]));
                i += 2;
                Cell::Number(match b / 8 % 4 {
                    0 => n as f64,
                    1 => n as f64 / 7.0,
                    2 => -(n as f64),
                    _ => 45_000.0 + n as f64 % 2_000.0,
                })
            }
            5 => {
                let n = data.get(i).copied().unwrap_or(0);
                i += 1;
                chrono::NaiveDate::from_ymd_opt(2020 + (n % 10) as i32, 1 + (n % 12) as u32, 1)
                    .map_or(Cell::Empty, |d| Cell::Date(d.and_time(Default::default())))
            }
            6 => {
                let len = (b / 8) as usize;
                let end = (i + len).min(data.len());
                let s = String::from_utf8_lossy(&data[i..end]).into_owned();
                i = end;
                Cell::Text(s)
            }
            _ => match b / 8 % 4 {
                0 => Cell::Empty,
                1 => Cell::Bool(b.is_multiple_of(2)),
                2 => Cell::Error("#DIV/0!".into()),
                _ => {
                    // A header the built-in form knows, whole: the rows
                    // after it are then read as projects.
                    if let Some(r) = rows.last_mut() {
                        r.extend(
                            ["项目名称", "总投资(万元)", "年度计划投资(万元)"]
                                .map(|h| Cell::Text(h.into())),
                        );
                    }
                    Cell::Text("累计完成投资(万元)".into())
                }
            },
        };
        if let Some(r) = rows.last_mut() {
            if r.len() < 24 {
                r.push(cell);
            }
        }
    }
    RawSheet {
        name: "Sheet1".into(),
        hidden: false,
        first_row: 0,
        first_col: 0,
        rows,
        merged: Vec::new(),
    }
}

/// The header and row parsers over the sheet the bytes make: its tables
/// found, mapped and validated as a submitted file's. Returns the rows read
/// (for tests that the harness reaches them).
pub fn headers(data: &[u8]) -> usize {
    let wb = Workbook {
        format: Format::Xlsx,
        sheets: vec![sheet(data)],
    };
    let period = Period {
        year: 2026,
        month: 5,
    };
    let read = super::read_workbook("fuzz.xlsx", 0, &wb, period, 15);
    read.tables.iter().map(|t| t.records.len()).sum()
}

/// The cell parsers over the bytes as text: numbers with their money units,
/// dates, header keys, period templates and names.
pub fn cells(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let _ = super::cell::parse_number_text(&s);
    let _ = super::cell::parse_date_text(&s, 2026);
    let _ = super::cell::parse_number(&Cell::Text(s.to_string()));
    let _ = super::cell::parse_date(&Cell::Text(s.to_string()), 2026);
    let _ = crate::text::header_key(&s);
    let _ = crate::text::period_template(&s);
    let _ = crate::text::name_key(&s);
    let _ = super::named_period(&s);
    if data.len() >= 8 {
        let n = f64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
        let _ = super::cell::parse_number(&Cell::Number(n));
        let _ = super::cell::parse_date(&Cell::Number(n), 2026);
    }
}
