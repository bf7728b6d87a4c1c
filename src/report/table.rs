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

    /// Display width in narrow-character units, as it will show. Runs on
    /// every cell of every table: numbers are measured without formatting.
    fn width(&self) -> usize {
        match self {
            Out::Empty => 0,
            Out::Text(s) => s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
            // "1234.50" and two more for the thousands separators of big amounts.
            Out::Wan(v) => fixed_len(*v, 2) + (v.abs() >= 1000.0) as usize * 2,
            Out::Int(v) => fixed_len(*v as f64, 0),
            Out::Num(v) => fixed_len(*v, 2),
            Out::Pct(v) => fixed_len(v * 100.0, 1) + 1,
            Out::Date(_) => 10,
            Out::Tone(_, v) => v.width(),
        }
    }
}

/// The length of `format!("{v:.decimals$}")`, without formatting it.
fn fixed_len(v: f64, decimals: u32) -> usize {
    if !v.is_finite() {
        return 3;
    }
    let scale = 10f64.powi(decimals as i32);
    let r = (v.abs() * scale).round() / scale;
    let mut x = r.trunc();
    let digits = if x < 1e18 {
        (x as u64).checked_ilog10().map_or(1, |d| d as usize + 1)
    } else {
        let mut digits = 1;
        while x >= 10.0 && digits < 400 {
            x /= 10.0;
            digits += 1;
        }
        digits
    };
    // Rust keeps the sign of a negative that rounds to zero ("-0.00").
    let neg = v.is_sign_negative();
    neg as usize
        + digits
        + if decimals > 0 {
            1 + decimals as usize
        } else {
            0
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
        Formats::with_border(FormatBorder::Thin)
    }
}

/// The kinds of cell a long table's column can take its format from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Pct,
    Wan,
    Num,
    Date,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Text,
        Kind::Int,
        Kind::Pct,
        Kind::Wan,
        Kind::Num,
        Kind::Date,
    ];

    /// The kind of a value written in its column's format; none for blanks,
    /// coloured cells and text that wraps.
    fn of(v: &Out) -> Option<Kind> {
        Kind::of_sized(v, v.width())
    }

    /// [`Kind::of`] for a value whose `width()` is `width` (measured once).
    fn of_sized(v: &Out, width: usize) -> Option<Kind> {
        Some(match v {
            Out::Text(s) if width <= MAX_WIDTH && !s.contains('\n') => Kind::Text,
            Out::Int(_) => Kind::Int,
            Out::Pct(_) => Kind::Pct,
            Out::Wan(_) => Kind::Wan,
            Out::Num(_) => Kind::Num,
            Out::Date(_) => Kind::Date,
            _ => return None,
        })
    }
}

/// Text wider than a column gets, or on several lines, wraps.
fn wraps(s: &str) -> bool {
    UnicodeWidthStr::width(s) > MAX_WIDTH || s.contains('\n')
}

impl Formats {
    /// The formats of the long tables (项目进度, 节点时序, the detail sheets):
    /// no cell borders, the header's aside; those sheets print gridlines.
    pub fn plain() -> Self {
        Formats::with_border(FormatBorder::None)
    }

    fn of_kind(&self, k: Kind) -> &Format {
        match k {
            Kind::Text => &self.text,
            Kind::Int => &self.int,
            Kind::Pct => &self.pct,
            Kind::Wan => &self.wan,
            Kind::Num => &self.num,
            Kind::Date => &self.date,
        }
    }

    fn with_border(border: FormatBorder) -> Self {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10)
            .set_border(border)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            header: base
                .clone()
                .set_border(FormatBorder::Thin)
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

/// Write a table from row `top`: the header row, then the rows. Freezes the
/// header, sets the autofilter and the column widths.
pub fn write_table(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
    rows: &[Vec<Out>],
) -> Result<(), XlsxError> {
    write_rows(ws, fmt, top, headers, rows.iter().cloned()).map(|_| ())
}

/// The header row's height: one line per column width of its longest header
/// (at most four lines).
fn header_height(headers: &[&str], widths: &[usize]) -> f64 {
    let lines = headers
        .iter()
        .zip(widths)
        .map(|(h, w)| UnicodeWidthStr::width(*h).div_ceil((*w).clamp(4, MAX_WIDTH)))
        .max()
        .unwrap_or(1)
        .clamp(1, 4);
    14.0 * lines as f64 + 4.0
}

/// Write a table from row `top`: the header row, then the rows. Returns the
/// number of data rows written.
fn write_rows(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Out>>,
) -> Result<u32, XlsxError> {
    let mut widths = write_header(ws, fmt, top, headers)?;
    let mut n = 0u32;
    for row in rows {
        let rn = top + 1 + n;
        for (c, v) in row.into_iter().enumerate().take(headers.len()) {
            widths[c] = widths[c].max(v.width());
            put(ws, fmt, rn, c as u16, v)?;
        }
        n += 1;
    }
    finish_table(ws, top, headers, &widths, n)?;
    ws.set_row_height(top, header_height(headers, &widths))?;
    Ok(n)
}

/// Write the header row; returns the widths the headers claim (they wrap:
/// at most HEADER_WIDTH of a column's width each).
fn write_header(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
) -> Result<Vec<usize>, XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &fmt.header)?;
    }
    Ok(headers
        .iter()
        .map(|h| UnicodeWidthStr::width(*h).min(HEADER_WIDTH))
        .collect())
}

/// Column widths, the frozen header and the autofilter of a table of `n` rows.
fn finish_table(
    ws: &mut Worksheet,
    top: u32,
    headers: &[&str],
    widths: &[usize],
    n: u32,
) -> Result<(), XlsxError> {
    for (c, w) in widths.iter().enumerate() {
        // Excel's width unit is about one narrow character; pad by 2.
        ws.set_column_width(c as u16, (*w).clamp(4, MAX_WIDTH) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(top, 0, top + n, headers.len() as u16 - 1)?;
    }
    Ok(())
}

/// Rows a long table looks at to choose its columns' formats.
const SAMPLE_ROWS: usize = 256;

/// Write a long table into a constant-memory sheet, as [`write_table`] does
/// but at a fraction of the cost per cell: each column takes the format of
/// the kind of value most of its first rows hold (`fmt` are the borderless
/// [`Formats::plain`]), a value of that kind is written without a format of
/// its own (it shows in the column's), any other value with its own, and a
/// blank is not written at all. The header row's height is set before the
/// rows, from the headers alone: in constant-memory mode a row is final once a
/// later row is written. Returns the number of data rows written.
pub fn write_long_rows(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Out>>,
) -> Result<u32, XlsxError> {
    let ncols = headers.len();
    let mut widths = write_header(ws, fmt, top, headers)?;
    ws.set_row_height(top, header_height(headers, &widths))?;
    let mut rows = rows.into_iter();
    let sample: Vec<Vec<Out>> = rows.by_ref().take(SAMPLE_ROWS).collect();
    let mut kinds: Vec<Option<Kind>> = vec![None; ncols];
    for (c, kind) in kinds.iter_mut().enumerate() {
        let mut count = [0usize; Kind::ALL.len()];
        for k in sample.iter().filter_map(|r| r.get(c).and_then(Kind::of)) {
            count[k as usize] += 1;
        }
        let (best, n) = count
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
            .unwrap_or((0, &0));
        if *n > 0 {
            *kind = Some(Kind::ALL[best]);
            ws.set_column_format(c as u16, fmt.of_kind(Kind::ALL[best]))?;
        }
    }
    let mut n = 0u32;
    for row in sample.into_iter().chain(rows) {
        let rn = top + 1 + n;
        for (c, v) in row.into_iter().enumerate().take(ncols) {
            let cn = c as u16;
            let w = match &v {
                // Two columns a character at most: text this short can neither
                // widen its column nor wrap, and needs no measuring.
                Out::Text(s)
                    if 2 * s.chars().count() <= widths[c].min(MAX_WIDTH) && !s.contains('\n') =>
                {
                    0
                }
                _ => v.width(),
            };
            widths[c] = widths[c].max(w);
            let kind = Kind::of_sized(&v, w);
            if kind.is_some() && kind == kinds[c] {
                match v {
                    Out::Text(s) => ws.write_string(rn, cn, s)?,
                    Out::Wan(x) | Out::Num(x) | Out::Pct(x) => ws.write_number(rn, cn, x)?,
                    Out::Int(x) => ws.write_number(rn, cn, x as f64)?,
                    Out::Date(d) => ws.write_datetime(rn, cn, d)?,
                    Out::Empty | Out::Tone(..) => ws,
                };
            } else if v != Out::Empty {
                put(ws, fmt, rn, cn, v)?;
            }
        }
        n += 1;
    }
    finish_table(ws, top, headers, &widths, n)?;
    Ok(n)
}

/// Write one cell in its format. Text is always text, never a formula.
pub fn write_cell(
    ws: &mut Worksheet,
    fmt: &Formats,
    rn: u32,
    cn: u16,
    v: &Out,
) -> Result<(), XlsxError> {
    put(ws, fmt, rn, cn, v.clone())
}

/// [`write_cell`], taking the value (its text is moved, not copied).
fn put(ws: &mut Worksheet, fmt: &Formats, rn: u32, cn: u16, v: Out) -> Result<(), XlsxError> {
    match v {
        Out::Empty => {
            ws.write_blank(rn, cn, &fmt.text)?;
        }
        Out::Text(s) => {
            let f = if wraps(&s) { &fmt.wrap } else { &fmt.text };
            ws.write_string_with_format(rn, cn, s, f)?;
        }
        Out::Wan(x) => {
            ws.write_number_with_format(rn, cn, x, &fmt.wan)?;
        }
        Out::Int(x) => {
            ws.write_number_with_format(rn, cn, x as f64, &fmt.int)?;
        }
        Out::Num(x) => {
            ws.write_number_with_format(rn, cn, x, &fmt.num)?;
        }
        Out::Pct(x) => {
            ws.write_number_with_format(rn, cn, x, &fmt.pct)?;
        }
        Out::Date(d) => {
            ws.write_date_with_format(rn, cn, d, &fmt.date)?;
        }
        Out::Tone(t, inner) => {
            let f = fmt.toned(t, &inner);
            match *inner {
                Out::Empty | Out::Tone(..) => {
                    ws.write_blank(rn, cn, f)?;
                }
                Out::Text(s) => {
                    ws.write_string_with_format(rn, cn, s, f)?;
                }
                Out::Wan(x) | Out::Num(x) | Out::Pct(x) => {
                    ws.write_number_with_format(rn, cn, x, f)?;
                }
                Out::Int(x) => {
                    ws.write_number_with_format(rn, cn, x as f64, f)?;
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

/// A table that may be long: written row by row into constant-memory sheets
/// (each sheet's rows go to a temporary file as they are written, so memory
/// stays flat however many rows there are), its sheets filled in parallel
/// with the other long tables, and split over several sheets where it is
/// longer than a sheet holds.
pub struct LongTable<'a> {
    /// The sheet's name; the parts of a split table are `name`, `name(2)`, …
    pub name: &'a str,
    /// A merged title row and a note row above the header, on every part.
    pub title: Option<(String, String)>,
    pub headers: Vec<&'a str>,
    /// The number of data rows.
    pub len: usize,
    /// Data row `i` (0-based), made when it is written.
    pub row: Box<dyn Fn(usize) -> Vec<Out> + Sync + 'a>,
    /// Column widths that override the ones measured (column, width).
    pub widths: Vec<(u16, f64)>,
}

impl LongTable<'_> {
    /// The row of the header: under the title and note, if any.
    pub fn header_row(&self) -> u32 {
        if self.title.is_some() {
            2
        } else {
            0
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

/// One sheet of a long table: the workbook's sheet `sheet` gets the table's
/// rows `rows`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub table: usize,
    pub sheet: usize,
    pub rows: std::ops::Range<usize>,
}

/// Page headers and footers of the sheets.
pub struct PageText<'a> {
    pub period_cn: &'a str,
    pub run_time: &'a str,
}

/// Add the sheets of `tables[table]` to the workbook, in place in the sheet
/// order, each with its page setup and title and at most `max_rows` rows
/// (`sheet_rows`: Excel's limit unless set lower), header and title rows included;
/// nothing is dropped and an empty table still gets its one sheet. Their rows
/// are written later by [`fill_long_tables`]. Returns the parts to fill.
pub fn add_long_table(
    wb: &mut Workbook,
    fmt: &Formats,
    tables: &[LongTable],
    table: usize,
    max_rows: u32,
    page: &PageText,
) -> Result<Vec<Part>, XlsxError> {
    let t = &tables[table];
    let top = t.header_row();
    // Room under the header; at least one row, so a part always moves on.
    let room = max_rows.saturating_sub(top + 1).max(1) as usize;
    let mut parts = Vec::new();
    let mut start = 0;
    loop {
        let name = part_name(t.name, parts.len());
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(&name)?;
        page_setup(ws, &name, page.period_cn, page.run_time, top)?;
        // The cells have no borders (see `write_long_rows`): print the grid.
        ws.set_print_gridlines(true);
        if let Some((title, note)) = &t.title {
            write_title(ws, fmt, title, Some(note), t.headers.len() as u16)?;
        }
        let end = (start + room).min(t.len);
        parts.push(Part {
            table,
            sheet: wb.worksheets().len() - 1,
            rows: start..end,
        });
        start = end;
        if start >= t.len {
            return Ok(parts);
        }
    }
}

/// Write the rows of every part, the sheets in parallel (the largest
/// first), each sheet's rows in order.
pub fn fill_long_tables(
    wb: &mut Workbook,
    fmt: &Formats,
    tables: &[LongTable],
    mut parts: Vec<Part>,
) -> Result<(), XlsxError> {
    use rayon::prelude::*;
    let cells = |p: &Part| p.rows.len() * tables[p.table].headers.len();
    parts.sort_by_key(|p| std::cmp::Reverse(cells(p)));
    let mut sheets: Vec<Option<&mut Worksheet>> =
        wb.worksheets_mut().iter_mut().map(Some).collect();
    let mut work = Vec::with_capacity(parts.len());
    for p in &parts {
        let ws = sheets
            .get_mut(p.sheet)
            .and_then(Option::take)
            .ok_or_else(|| XlsxError::ParameterError(format!("sheet {} is not a part", p.sheet)))?;
        work.push((ws, p));
    }
    work.into_par_iter().try_for_each(|(ws, p)| {
        let t = &tables[p.table];
        let rows = p.rows.clone().map(|i| (t.row)(i));
        write_long_rows(ws, fmt, t.header_row(), &t.headers, rows)?;
        for &(c, w) in &t.widths {
            ws.set_column_width(c, w)?;
        }
        Ok(())
    })
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

    #[test]
    fn number_widths_match_their_formatting() {
        let values = [
            0.0, 0.004, 0.005, -0.004, -0.006, 1.0, 9.995, 9.994, 99.999, 999.995, 1234.5, -1234.5,
            1e15, 12.25, 0.95, -0.05,
        ];
        for v in values {
            assert_eq!(fixed_len(v, 2), format!("{v:.2}").len(), "{v}");
            assert_eq!(fixed_len(v, 1), format!("{v:.1}").len(), "{v}");
            assert_eq!(fixed_len(v, 0), format!("{v:.0}").len(), "{v}");
            assert_eq!(
                Out::Pct(v).width(),
                format!("{:.1}%", v * 100.0).len(),
                "{v}"
            );
        }
        for i in [-1234567i64, -10, -1, 0, 7, 10, 99, 100, 1_000_000] {
            assert_eq!(Out::Int(i).width(), i.to_string().len(), "{i}");
        }
    }

    /// A long table's cells take their column's format, blanks are no cells,
    /// and what differs from the column keeps its own format.
    #[test]
    fn long_rows_use_column_formats() {
        use calamine::{Data, Reader, Xlsx};
        use std::io::Read;
        let d = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let mut data: Vec<Vec<Out>> = (0..10)
            .map(|i| {
                vec![
                    Out::Wan(i as f64 * 1.5),
                    Out::Date(d),
                    Out::text(format!("甲{i}")),
                ]
            })
            .collect();
        data[3] = vec![
            Out::text("无"),
            Out::Empty,
            Out::tone(Tone::Red, Out::text("超期")),
        ];
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet_with_constant_memory().unwrap();
        let fmt = Formats::plain();
        let n = write_long_rows(ws, &fmt, 0, &["金额", "日期", "说明"], data).unwrap();
        assert_eq!(n, 10);
        let bytes = wb.save_to_buffer().unwrap();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let r = x.worksheet_range("Sheet1").unwrap();
        assert_eq!(r.get_value((2, 0)), Some(&Data::Float(1.5)));
        assert!(
            matches!(r.get_value((2, 1)), Some(Data::DateTime(_))),
            "a date, by its column's format"
        );
        assert_eq!(r.get_value((4, 0)), Some(&Data::String("无".into())));
        assert_eq!(r.get_value((4, 2)), Some(&Data::String("超期".into())));
        let mut xml = String::new();
        zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .unwrap()
            .by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(!xml.contains(r#"r="B5""#), "a blank is no cell: {xml}");
        // The amount in A3 has its column's style; the text in A5 and the red
        // cell in C5 have styles of their own.
        let style = |cell: &str| -> String {
            let at = xml.find(&format!(r#"r="{cell}""#)).unwrap();
            let rest = &xml[at..];
            let end = rest.find('>').unwrap();
            rest[..end]
                .split("s=\"")
                .nth(1)
                .map_or(String::new(), |s| s.split('"').next().unwrap().to_string())
        };
        assert!(xml.contains(r#"<col min="1" max="1" width"#), "{xml}");
        let col_a = xml.split(r#"<col min="1" max="1""#).nth(1).unwrap();
        let col_a_style = col_a
            .split("style=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(style("A3"), col_a_style);
        assert_ne!(style("A5"), col_a_style);
        assert_ne!(style("C5"), style("C3"));
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

    fn split(n: usize, max_rows: u32, title: bool) -> Vec<(String, String, Vec<f64>)> {
        let mut wb = Workbook::new();
        let fmt = Formats::plain();
        let data = rows(n);
        let tables = [LongTable {
            name: "项目明细",
            title: title.then(|| ("标题".to_string(), "说明".to_string())),
            headers: vec!["序", "名称"],
            len: n,
            row: Box::new(move |i| data[i].clone()),
            widths: Vec::new(),
        }];
        wb.add_worksheet().set_name("总览").unwrap();
        let page = PageText {
            period_cn: "2026年5月",
            run_time: "2026-06-10 09:00",
        };
        let parts = add_long_table(&mut wb, &fmt, &tables, 0, max_rows, &page).unwrap();
        wb.add_worksheet().set_name("报送情况").unwrap();
        assert!(parts.iter().all(|p| p.sheet >= 1 && p.sheet <= parts.len()));
        fill_long_tables(&mut wb, &fmt, &tables, parts).unwrap();
        let mut back = read_back(wb.save_to_buffer().unwrap());
        // The parts sit in place between the sheets around them.
        assert_eq!(back.remove(0).0, "总览");
        assert_eq!(back.pop().unwrap().0, "报送情况");
        back
    }

    #[test]
    fn splits_a_long_table_into_parts_in_order() {
        // 5 rows a sheet: the header and 4 data rows; 10 rows → 4 + 4 + 2.
        let back = split(10, 5, false);
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
        // A title and a note row: 5 rows hold them, the header and 2 data rows.
        let back = split(5, 5, true);
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].2, [0.0, 1.0]);
        assert_eq!(back[1].2, [2.0, 3.0]);
        assert_eq!(back[2].2, [4.0]);
    }

    #[test]
    fn split_edges() {
        // Exactly full: one sheet. One more row: a second sheet with it.
        assert_eq!(split(4, 5, false).len(), 1);
        let back = split(5, 5, false);
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].2, [4.0]);
        // Empty: one sheet with the header.
        let back = split(0, 5, false);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].1, "序");
        assert_eq!(part_name("项目明细", 0), "项目明细");
        assert_eq!(part_name("项目明细", 1), "项目明细(2)");
        assert_eq!(crate::config::SHEET_ROWS_MAX, 1_048_576);
    }
}
