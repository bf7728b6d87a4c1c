//! A plain table sheet, ready to print: Chinese headers, frozen header row,
//! autofilter, column widths that count a CJK character as two, number
//! formats, landscape A4 fit to the page width with repeated header rows, and
//! page numbers. Every sheet of the workbook that lists rows uses it.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// A cell to write. Text is always written as text, never as a formula,
/// whatever it starts with.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Empty,
    Text(String),
    /// An amount in 万元 (two decimals).
    Wan(f64),
    /// A count or day number.
    Int(i64),
    /// A plain quantity (up to two decimals).
    Num(f64),
    /// A fraction shown as a percentage with one decimal.
    Pct(f64),
    Date(NaiveDate),
    /// A value on a coloured background (red / yellow / green).
    Tone(Tone, Box<Out>),
}

/// Background colours that carry meaning: red, yellow, green.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Red,
    Yellow,
    Green,
}

impl Tone {
    pub fn color(self) -> &'static str {
        match self {
            Tone::Red => "#F8CBAD",
            Tone::Yellow => "#FFE699",
            Tone::Green => "#C6EFCE",
        }
    }
}

impl Out {
    pub fn tone(t: Tone, v: Out) -> Out {
        Out::Tone(t, Box::new(v))
    }

    pub fn text(s: impl Into<String>) -> Out {
        let s = s.into();
        if s.is_empty() {
            Out::Empty
        } else {
            Out::Text(s)
        }
    }

    pub fn opt_text(s: Option<&str>) -> Out {
        s.map_or(Out::Empty, Out::text)
    }

    pub fn opt_wan(v: Option<f64>) -> Out {
        v.map_or(Out::Empty, Out::Wan)
    }

    pub fn opt_date(v: Option<NaiveDate>) -> Out {
        v.map_or(Out::Empty, Out::Date)
    }

    /// Display width in narrow-character units, as it will show.
    fn width(&self) -> usize {
        match self {
            Out::Empty => 0,
            Out::Text(s) => s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
            Out::Wan(v) => format!("{v:.2}").len() + (v.abs() >= 1000.0) as usize * 2,
            Out::Int(v) => v.to_string().len(),
            Out::Num(v) => format!("{v:.2}").len(),
            Out::Pct(v) => format!("{:.1}%", v * 100.0).len(),
            Out::Date(_) => 10,
            Out::Tone(_, v) => v.width(),
        }
    }
}

/// The formats a workbook shares, built once.
pub struct Formats {
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub wan: Format,
    pub int: Format,
    pub num: Format,
    pub pct: Format,
    pub date: Format,
    pub title: Format,
    /// A left-aligned note line under a title.
    pub note: Format,
    /// Wrapped paragraph text (the bulletin).
    pub para: Format,
    /// [tone][text, int, pct, wan, date]
    toned: Vec<[Format; 5]>,
}

impl Formats {
    fn kind_of(&self, v: &Out) -> usize {
        match v {
            Out::Int(_) => 1,
            Out::Pct(_) => 2,
            Out::Wan(_) | Out::Num(_) => 3,
            Out::Date(_) => 4,
            _ => 0,
        }
    }

    fn toned(&self, t: Tone, v: &Out) -> &Format {
        let i = match t {
            Tone::Red => 0,
            Tone::Yellow => 1,
            Tone::Green => 2,
        };
        &self.toned[i][self.kind_of(v)]
    }
}

impl Default for Formats {
    fn default() -> Self {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            header: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#DDEBF7"),
            text: base.clone(),
            wrap: base.clone().set_text_wrap(),
            wan: base.clone().set_num_format("#,##0.00"),
            int: base.clone().set_num_format("0"),
            num: base.clone().set_num_format("0.##"),
            pct: base.clone().set_num_format("0.0%"),
            date: base.clone().set_num_format("yyyy-mm-dd"),
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(14)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: Format::new().set_font_name("宋体").set_font_size(10),
            para: Format::new()
                .set_font_name("仿宋")
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            toned: [Tone::Red, Tone::Yellow, Tone::Green]
                .iter()
                .map(|t| {
                    let c = t.color();
                    [
                        base.clone().set_background_color(c),
                        base.clone().set_num_format("0").set_background_color(c),
                        base.clone().set_num_format("0.0%").set_background_color(c),
                        base.clone()
                            .set_num_format("#,##0.00")
                            .set_background_color(c),
                        base.clone()
                            .set_num_format("yyyy-mm-dd")
                            .set_background_color(c),
                    ]
                })
                .collect(),
        }
    }
}

/// The widest a column gets before its text wraps (narrow-character units).
const MAX_WIDTH: usize = 48;
/// The width a header claims before it wraps (narrow-character units).
const HEADER_WIDTH: usize = 10;

/// Page setup shared by every sheet: landscape A4, one page wide, header
/// with the title, period and run time, "第 N 页 共 M 页" footer.
pub fn page_setup(
    ws: &mut Worksheet,
    title: &str,
    period_cn: &str,
    run_time: &str,
    repeat_to: u32,
) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.7, 0.6, 0.3, 0.3);
    ws.set_header(format!(
        "&L{period_cn}&C&\"黑体,Bold\"{}&R运行时间 {run_time}",
        title.replace('&', "&&")
    ));
    ws.set_footer("&C第 &P 页 共 &N 页");
    ws.set_repeat_rows(0, repeat_to)?;
    Ok(())
}

/// Write a table from row `top`: the header row, then the rows. Returns the
/// number of data rows written. Freezes the header, sets the autofilter and
/// the column widths.
pub fn write_table(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
    rows: &[Vec<Out>],
) -> Result<(), XlsxError> {
    let ncols = headers.len() as u16;
    // Headers wrap: they claim at most HEADER_WIDTH of a column's width.
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| UnicodeWidthStr::width(*h).min(HEADER_WIDTH))
        .collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &fmt.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let rn = top + 1 + r as u32;
        for (c, v) in row.iter().enumerate().take(headers.len()) {
            widths[c] = widths[c].max(v.width());
            write_cell(ws, fmt, rn, c as u16, v)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Excel's width unit is about one narrow character; pad by 2.
        ws.set_column_width(c as u16, (*w).clamp(4, MAX_WIDTH) as f64 + 2.0)?;
    }
    // Room for wrapped headers: one line per HEADER_WIDTH of the longest one.
    let lines = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| UnicodeWidthStr::width(*h).div_ceil((*w).clamp(4, MAX_WIDTH)))
        .max()
        .unwrap_or(1)
        .clamp(1, 4);
    ws.set_row_height(top, 14.0 * lines as f64 + 4.0)?;
    ws.set_freeze_panes(top + 1, 0)?;
    if ncols > 0 {
        let last = top + rows.len() as u32;
        ws.autofilter(top, 0, last.max(top), ncols - 1)?;
    }
    Ok(())
}

/// Write one cell in its format. Text is always text, never a formula.
pub fn write_cell(
    ws: &mut Worksheet,
    fmt: &Formats,
    rn: u32,
    cn: u16,
    v: &Out,
) -> Result<(), XlsxError> {
    match v {
        Out::Empty => {
            ws.write_blank(rn, cn, &fmt.text)?;
        }
        Out::Text(s) => {
            let f = if UnicodeWidthStr::width(s.as_str()) > MAX_WIDTH || s.contains('\n') {
                &fmt.wrap
            } else {
                &fmt.text
            };
            ws.write_string_with_format(rn, cn, s, f)?;
        }
        Out::Wan(x) => {
            ws.write_number_with_format(rn, cn, *x, &fmt.wan)?;
        }
        Out::Int(x) => {
            ws.write_number_with_format(rn, cn, *x as f64, &fmt.int)?;
        }
        Out::Num(x) => {
            ws.write_number_with_format(rn, cn, *x, &fmt.num)?;
        }
        Out::Pct(x) => {
            ws.write_number_with_format(rn, cn, *x, &fmt.pct)?;
        }
        Out::Date(d) => {
            ws.write_date_with_format(rn, cn, d, &fmt.date)?;
        }
        Out::Tone(t, inner) => {
            let f = fmt.toned(*t, inner);
            match inner.as_ref() {
                Out::Empty | Out::Tone(..) => {
                    ws.write_blank(rn, cn, f)?;
                }
                Out::Text(s) => {
                    ws.write_string_with_format(rn, cn, s, f)?;
                }
                Out::Wan(x) | Out::Num(x) | Out::Pct(x) => {
                    ws.write_number_with_format(rn, cn, *x, f)?;
                }
                Out::Int(x) => {
                    ws.write_number_with_format(rn, cn, *x as f64, f)?;
                }
                Out::Date(d) => {
                    ws.write_date_with_format(rn, cn, d, f)?;
                }
            }
        }
    }
    Ok(())
}

/// A title row merged across `ncols` columns, and an optional note row under it.
pub fn write_title(
    ws: &mut Worksheet,
    fmt: &Formats,
    title: &str,
    note: Option<&str>,
    ncols: u16,
) -> Result<u32, XlsxError> {
    let last = ncols.max(1) - 1;
    if last > 0 {
        ws.merge_range(0, 0, 0, last, title, &fmt.title)?;
    } else {
        ws.write_string_with_format(0, 0, title, &fmt.title)?;
    }
    ws.set_row_height(0, 24)?;
    let mut next = 1;
    if let Some(n) = note {
        if last > 0 {
            ws.merge_range(1, 0, 1, last, n, &fmt.note)?;
        } else {
            ws.write_string_with_format(1, 0, n, &fmt.note)?;
        }
        next = 2;
    }
    Ok(next)
}

/// The most rows an Excel sheet holds (1,048,576).
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// How a table too long for one sheet is split over several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// Rows a sheet may hold, header and title rows included: Excel's limit,
    /// or less (tests use a tiny one).
    pub max_rows: u32,
    /// Add the sheets in rust_xlsxwriter's constant-memory mode: each sheet's
    /// rows go to a temporary file as they are written instead of staying in
    /// memory until the workbook is saved. Rows must then be written top to
    /// bottom, and a row's height or format can no longer be set once a later
    /// row was written.
    pub constant_memory: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            max_rows: EXCEL_MAX_ROWS,
            constant_memory: false,
        }
    }
}

/// The name of part `i` (0-based) of a split sheet: `项目明细`, `项目明细(2)`, …
pub fn part_name(name: &str, i: usize) -> String {
    if i == 0 {
        name.to_string()
    } else {
        format!("{name}({})", i + 1)
    }
}

/// Write a table that may be longer than a sheet holds: as many sheets as
/// needed, named by [`part_name`] (`项目明细`, `项目明细(2)`, …), each with the
/// header row and as many rows as fit under it, in order; nothing dropped. An
/// empty table still gets its one sheet with the header.
///
/// `setup(ws, sheet_name, part)` prepares each new sheet (page setup, a title
/// above the table) and returns the row where the table's header goes (0 for
/// none above). Returns the names of the sheets written.
///
/// ```ignore
/// let names = write_table_parts(&mut wb, &fmt, "项目明细", &headers, &data, Parts::default(),
///     &mut |ws, name, _part| {
///         page_setup(ws, name, &period_cn, &run_time, 0)?;
///         Ok(0)
///     })?;
/// ```
pub fn write_table_parts(
    wb: &mut Workbook,
    fmt: &Formats,
    name: &str,
    headers: &[&str],
    rows: &[Vec<Out>],
    parts: Parts,
    setup: &mut dyn FnMut(&mut Worksheet, &str, usize) -> Result<u32, XlsxError>,
) -> Result<Vec<String>, XlsxError> {
    let mut names = Vec::new();
    let mut rest = rows;
    loop {
        let sheet = part_name(name, names.len());
        let ws = if parts.constant_memory {
            wb.add_worksheet_with_constant_memory()?
        } else {
            wb.add_worksheet()
        };
        ws.set_name(&sheet)?;
        let top = setup(ws, &sheet, names.len())?;
        // Room under the header; at least one row, so a part always moves on.
        let room = parts.max_rows.saturating_sub(top + 1).max(1) as usize;
        let (this, next) = rest.split_at(room.min(rest.len()));
        write_table(ws, fmt, top, headers, this)?;
        names.push(sheet);
        rest = next;
        if rest.is_empty() {
            return Ok(names);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(Out::text("城关镇").width(), 6);
        assert_eq!(Out::text("abc").width(), 3);
        assert_eq!(Out::Pct(0.251).width(), 5);
        assert_eq!(Out::text(""), Out::Empty);
    }

    fn rows(n: usize) -> Vec<Vec<Out>> {
        (0..n)
            .map(|i| vec![Out::Int(i as i64), Out::text(format!("项目{i}"))])
            .collect()
    }

    /// Read back (sheet name, header cell, first and last data value) of each sheet.
    fn read_back(bytes: Vec<u8>) -> Vec<(String, String, Vec<f64>)> {
        use calamine::{Data, Reader, Xlsx};
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        x.sheet_names()
            .into_iter()
            .map(|n| {
                let r = x.worksheet_range(&n).unwrap();
                let mut it = r.rows();
                let mut header = String::new();
                let mut ids = Vec::new();
                for row in &mut it {
                    match &row[0] {
                        Data::String(s) if header.is_empty() && s == "序" => header = s.clone(),
                        Data::Float(f) => ids.push(*f),
                        _ => {}
                    }
                }
                (n, header, ids)
            })
            .collect()
    }

    fn split(
        n: usize,
        max_rows: u32,
        title: bool,
        constant_memory: bool,
    ) -> Vec<(String, String, Vec<f64>)> {
        let mut wb = Workbook::new();
        let fmt = Formats::default();
        let parts = Parts {
            max_rows,
            constant_memory,
        };
        let names = write_table_parts(
            &mut wb,
            &fmt,
            "项目明细",
            &["序", "名称"],
            &rows(n),
            parts,
            &mut |ws, name, _| {
                if title {
                    ws.write_string(0, 0, name)?;
                    Ok(1)
                } else {
                    Ok(0)
                }
            },
        )
        .unwrap();
        let back = read_back(wb.save_to_buffer().unwrap());
        assert_eq!(names, back.iter().map(|b| b.0.clone()).collect::<Vec<_>>());
        back
    }

    #[test]
    fn splits_a_long_table_into_parts_in_order() {
        // 5 rows a sheet: the header and 4 data rows; 10 rows → 4 + 4 + 2.
        let back = split(10, 5, false, false);
        let names: Vec<&str> = back.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(names, ["项目明细", "项目明细(2)", "项目明细(3)"]);
        assert!(
            back.iter().all(|b| b.1 == "序"),
            "every part has the header"
        );
        let ids: Vec<f64> = back.iter().flat_map(|b| b.2.clone()).collect();
        assert_eq!(
            ids,
            (0..10).map(|i| i as f64).collect::<Vec<_>>(),
            "nothing dropped, in order"
        );
        assert_eq!(back[0].2.len(), 4);
        assert_eq!(back[2].2.len(), 2);
    }

    #[test]
    fn split_counts_the_rows_above_the_header() {
        // A title row: 5 rows hold the title, the header and 3 data rows.
        let back = split(6, 5, true, false);
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].2, [0.0, 1.0, 2.0]);
        assert_eq!(back[1].2, [3.0, 4.0, 5.0]);
    }

    #[test]
    fn split_edges() {
        // Exactly full: one sheet. One more row: a second sheet with it.
        assert_eq!(split(4, 5, false, false).len(), 1);
        let back = split(5, 5, false, false);
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].2, [4.0]);
        // Empty: one sheet with the header.
        let back = split(0, 5, false, false);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].1, "序");
        assert_eq!(part_name("项目明细", 0), "项目明细");
        assert_eq!(part_name("项目明细", 1), "项目明细(2)");
        assert_eq!(Parts::default().max_rows, 1_048_576);
    }

    #[test]
    fn split_in_constant_memory_mode() {
        let back = split(10, 5, true, true);
        assert_eq!(back.len(), 4);
        let ids: Vec<f64> = back.iter().flat_map(|b| b.2.clone()).collect();
        assert_eq!(ids, (0..10).map(|i| i as f64).collect::<Vec<_>>());
    }
}
