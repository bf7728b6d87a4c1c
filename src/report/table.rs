//! A plain table sheet, ready to print: Chinese headers, frozen header row,
//! autofilter, column widths that count a CJK character as two, number
//! formats, landscape A4 fit to the page width with repeated header rows, and
//! page numbers. Every sheet of the workbook that lists rows uses it.

use crate::excel_limits::{fit, fit_owned};
use crate::text::display_width;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use std::borrow::Cow;

/// A cell to write. Text is always written as text, never as a formula,
/// whatever it starts with.
/// Text borrows where it can: the long tables' rows are made by the
/// hundred thousand, their text straight from the merged records.
#[derive(Debug, Clone, PartialEq)]
pub enum Out<'a> {
    Empty,
    Text(Cow<'a, str>),
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
    Tone(Tone, Box<Out<'a>>),
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

impl<'a> Out<'a> {
    pub fn tone(t: Tone, v: Out<'a>) -> Out<'a> {
        Out::Tone(t, Box::new(v))
    }

    pub fn text(s: impl Into<Cow<'a, str>>) -> Out<'a> {
        let s = s.into();
        if s.is_empty() {
            Out::Empty
        } else {
            Out::Text(s)
        }
    }

    pub fn opt_text(s: Option<&'a str>) -> Out<'a> {
        s.map_or(Out::Empty, Out::text)
    }

    pub fn opt_wan(v: Option<f64>) -> Out<'a> {
        v.map_or(Out::Empty, Out::Wan)
    }

    pub fn opt_date(v: Option<NaiveDate>) -> Out<'a> {
        v.map_or(Out::Empty, Out::Date)
    }

    /// Display width in narrow-character units, as it will show. Runs on
    /// every cell of every table: numbers are measured without formatting.
    pub(super) fn width(&self) -> usize {
        match self {
            Out::Empty => 0,
            Out::Text(s) => s.lines().map(display_width).max().unwrap_or(0),
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
    /// A section heading on a summary sheet ("一、总体情况"): bold, unwrapped,
    /// so it runs on over the empty cells beside it instead of wrapping.
    pub heading: Format,
    /// A line of headline figures under the title (总览).
    pub lead: Format,
    /// [tone][text, int, pct, wan, date]
    toned: Vec<[Format; 5]>,
}

/// The one table from a value to its style: the index of its format among
/// [`Formats::prototypes`] (plain: text, wrapped text, 万元, count, number,
/// percentage, date; then per tone, red, yellow, green: text, count,
/// percentage, number, date). The sheets written cell by cell ([`put`]) and
/// the long tables (`long::xml`, by the prototype cells' style ids) both
/// look a value's style up here. Text that `wrap`s takes the wrapped style.
pub(super) fn style_of(v: &Out, wrap: bool) -> usize {
    match v {
        Out::Empty => style::TEXT,
        Out::Text(_) if wrap => style::WRAP,
        Out::Text(_) => style::TEXT,
        Out::Wan(_) => style::WAN,
        Out::Int(_) => style::INT,
        Out::Num(_) => style::NUM,
        Out::Pct(_) => style::PCT,
        Out::Date(_) => style::DATE,
        Out::Tone(t, inner) => {
            // A toned number has the 万元 format; a toned blank or text, text's.
            let kind = match **inner {
                Out::Int(_) => 1,
                Out::Pct(_) => 2,
                Out::Wan(_) | Out::Num(_) => 3,
                Out::Date(_) => 4,
                _ => 0,
            };
            style::TONED + style::PER_TONE * (*t as usize) + kind
        }
    }
}

/// The styles' places in [`style_of`]'s table.
pub(super) mod style {
    pub const TEXT: usize = 0;
    pub const WRAP: usize = 1;
    pub const WAN: usize = 2;
    pub const INT: usize = 3;
    pub const NUM: usize = 4;
    pub const PCT: usize = 5;
    pub const DATE: usize = 6;
    /// The first toned style, and the styles of each tone (text, count,
    /// percentage, number, date).
    pub const TONED: usize = 7;
    pub const PER_TONE: usize = 5;
    /// Every style: the plain ones and three tones'.
    pub const COUNT: usize = TONED + 3 * PER_TONE;
}

impl Formats {
    /// The format of style `i` of [`style_of`]'s table.
    pub(super) fn of_style(&self, i: usize) -> &Format {
        match i {
            style::TEXT => &self.text,
            style::WRAP => &self.wrap,
            style::WAN => &self.wan,
            style::INT => &self.int,
            style::NUM => &self.num,
            style::PCT => &self.pct,
            style::DATE => &self.date,
            i => {
                let k = i - style::TONED;
                &self.toned[k / style::PER_TONE][k % style::PER_TONE]
            }
        }
    }

    /// The formats of the long tables' cells, one per style, in the order
    /// of [`style_of`]'s table (the long tables read their prototypes so).
    pub(super) fn prototypes(&self) -> Vec<&Format> {
        (0..style::COUNT).map(|i| self.of_style(i)).collect()
    }
}

impl Default for Formats {
    fn default() -> Self {
        Formats::with_border(FormatBorder::Thin)
    }
}

/// The lines a wrapped text takes in a column `cap` narrow characters wide.
pub(super) fn wrapped_lines(s: &str, cap: usize) -> usize {
    // The column is `cap` wide and padded by 2 ([`column_width`]).
    let cap = cap.clamp(4, MAX_WIDTH) + 2;
    s.lines()
        .map(|l| display_width(l).div_ceil(cap).max(1))
        .sum::<usize>()
        .clamp(1, 30)
}

/// The height of a row of `lines` lines of 10 pt text (points).
pub(super) fn row_height(lines: usize) -> f64 {
    13.0 * lines as f64 + 2.0
}

/// Text wider than its column gets (`cap`), or on several lines, wraps.
fn wraps(s: &str, cap: usize) -> bool {
    wraps_at(display_width(s), s.contains('\n'), cap)
}

/// [`wraps`] for text already measured: `width` wide, on several `lines`.
pub(super) fn wraps_at(width: usize, lines: bool, cap: usize) -> bool {
    width > cap.min(MAX_WIDTH) || lines
}

impl Formats {
    /// The formats of the long tables (项目进度, 节点时序, the detail sheets):
    /// no cell borders, the header's aside; those sheets print gridlines.
    pub fn plain() -> Self {
        Formats::with_border(FormatBorder::None)
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
            note: Format::new()
                .set_font_name("宋体")
                .set_font_size(10)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            para: Format::new()
                .set_font_name("仿宋")
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            heading: Format::new()
                .set_font_name("黑体")
                .set_font_size(11)
                .set_bold()
                .set_align(FormatAlign::VerticalCenter),
            lead: Format::new()
                .set_font_name("黑体")
                .set_font_size(11)
                .set_align(FormatAlign::VerticalCenter),
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
pub(super) const MAX_WIDTH: usize = 48;

/// Narrow characters a line of a title's note holds, at the least.
const NOTE_LINE: usize = 110;

/// The widest a sheet's printed columns may be together (Excel width units,
/// each column's padding included) for A4 landscape at 100%: 770 pt between
/// the margins, a column of width w taking 5.25 w + 3.75 pt. Fit-to-width
/// never has to shrink a sheet whose printed columns stay within this, so its
/// 10 pt text prints at 10 pt (the print rules ask for at least 9).
pub const PRINT_WIDTH: f64 = 138.0;

/// What of a table prints: its first `cols` columns (0: every column; the
/// rest stay to the right of the print area), each column at most `caps`
/// wide (narrow-character units; wider text wraps in the cell).
#[derive(Debug, Clone, Default)]
pub struct Print {
    pub cols: usize,
    pub caps: Vec<(u16, usize)>,
}

impl Print {
    /// The first `cols` columns print.
    pub fn first(cols: usize) -> Print {
        Print {
            cols,
            caps: Vec::new(),
        }
    }

    /// Column `c` at most `cap` wide.
    pub fn cap(mut self, c: usize, cap: usize) -> Print {
        self.caps.push((c as u16, cap));
        self
    }

    /// The widest column `c`'s values make it before they wrap.
    pub fn cap_of(&self, c: usize) -> usize {
        self.caps
            .iter()
            .find(|(x, _)| *x as usize == c)
            .map_or(MAX_WIDTH, |(_, w)| *w)
    }

    /// The caps of `n` columns, in order.
    pub fn caps_of(&self, n: usize) -> Vec<usize> {
        (0..n).map(|c| self.cap_of(c)).collect()
    }
}

/// Two-character (or 类别内) words a long header breaks after: "计划\n开工日期".
const HEADER_PREFIXES: &[&str] = &[
    "类别内",
    "上月",
    "本月",
    "计划",
    "实际",
    "年度",
    "累计",
    "综合",
    "单位",
    "完成",
    "其他",
    "预警",
];

/// A header as it is written: on two lines when it is wider than 8 narrow
/// characters, broken where the words part (before a bracket, at a space,
/// after a leading word such as 计划 or 累计), never inside a word. Its
/// column is made as wide as its longest line, so it never wraps on its own.
pub fn header_text(h: &str) -> Cow<'_, str> {
    if h.contains('\n') || display_width(h) <= 8 {
        return Cow::Borrowed(h);
    }
    if let Some(i) = h.find(' ') {
        return Cow::Owned(format!("{}\n{}", &h[..i], &h[i + 1..]));
    }
    if let Some(i) = h.find('(').filter(|i| *i > 0) {
        return Cow::Owned(format!("{}\n{}", &h[..i], &h[i..]));
    }
    if let Some(p) = HEADER_PREFIXES
        .iter()
        .find(|p| h.starts_with(**p) && h.len() > p.len() + 3)
    {
        return Cow::Owned(format!("{p}\n{}", &h[p.len()..]));
    }
    Cow::Borrowed(h)
}

/// The width of a header's longest line as written ([`header_text`]).
fn header_claim(h: &str) -> usize {
    header_text(h).lines().map(display_width).max().unwrap_or(0)
}

/// Page setup shared by every sheet: landscape A4, one page wide, header
/// with the title, period and run time, "第 N 页 共 M 页" footer.
pub fn page_setup(
    ws: &mut Worksheet,
    title: &str,
    period_cn: &str,
    run_time: &str,
    repeat_to: u32,
) -> Result<(), XlsxError> {
    page_setup_with(ws, title, period_cn, run_time, Some(repeat_to))
}

/// [`page_setup`], repeating rows 0..=`repeat_to` on every page, or none.
pub fn page_setup_with(
    ws: &mut Worksheet,
    title: &str,
    period_cn: &str,
    run_time: &str,
    repeat_to: Option<u32>,
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
    if let Some(last) = repeat_to {
        ws.set_repeat_rows(0, last)?;
    }
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
    write_table_print(ws, fmt, top, headers, rows, &Print::default())
}

/// [`write_table`] with what of it prints: the print area is its first
/// `print.cols` columns (all when 0), from the sheet's top to its last row.
pub fn write_table_print(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
    rows: &[Vec<Out>],
    print: &Print,
) -> Result<(), XlsxError> {
    let n = write_rows(ws, fmt, top, headers, rows.iter().cloned(), print)?;
    if print.cols > 0 {
        ws.set_print_area(0, 0, top + n, print.cols.min(headers.len()) as u16 - 1)?;
    }
    Ok(())
}

/// The header row's height: one line per line of its tallest header (headers
/// are written on their lines, [`header_text`], in columns as wide as them).
pub(super) fn header_height(headers: &[&str], _widths: &[usize]) -> f64 {
    let lines = headers
        .iter()
        .map(|h| header_text(h).lines().count())
        .max()
        .unwrap_or(1)
        .clamp(1, 4);
    14.0 * lines as f64 + 4.0
}

/// Write a table from row `top`: the header row, then the rows. Returns the
/// number of data rows written.
fn write_rows<'a>(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Out<'a>>>,
    print: &Print,
) -> Result<u32, XlsxError> {
    let mut widths = write_header(ws, fmt, top, headers)?;
    let caps = print.caps_of(headers.len());
    let mut n = 0u32;
    for row in rows {
        let rn = top + 1 + n;
        let mut lines = 1;
        for (c, v) in row.into_iter().enumerate().take(headers.len()) {
            let w = v.width();
            widths[c] = widths[c].max(w.min(caps[c]));
            if let Out::Text(s) = &v {
                if wraps_at(w, s.contains('\n'), caps[c]) {
                    lines = lines.max(wrapped_lines(s, caps[c]));
                }
            }
            put(ws, fmt, rn, c as u16, v, caps[c])?;
        }
        if lines > 1 {
            ws.set_row_height(rn, row_height(lines))?;
        }
        n += 1;
    }
    finish_table(ws, top, headers, &widths, n)?;
    ws.set_row_height(top, header_height(headers, &widths))?;
    Ok(n)
}

/// Write the header row; returns the widths the headers claim (they wrap:
/// as wide as their longest line each, [`header_text`]).
pub(super) fn write_header(
    ws: &mut Worksheet,
    fmt: &Formats,
    top: u32,
    headers: &[&str],
) -> Result<Vec<usize>, XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, header_text(h), &fmt.header)?;
    }
    Ok(header_widths(headers))
}

/// The widths headers claim: their longest line each ([`header_text`]).
pub(super) fn header_widths(headers: &[&str]) -> Vec<usize> {
    headers.iter().map(|h| header_claim(h)).collect()
}

/// The width a column is given for its widest value (narrow-character
/// units): at least 4, at most MAX_WIDTH, padded by 2.
pub(super) fn column_width(measured: usize) -> f64 {
    measured.clamp(4, MAX_WIDTH) as f64 + 2.0
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
        // Excel's width unit is about one narrow character.
        ws.set_column_width(c as u16, column_width(*w))?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(top, 0, top + n, headers.len() as u16 - 1)?;
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
    put(ws, fmt, rn, cn, v.clone(), MAX_WIDTH)
}

/// [`write_cell`], taking the value (its text is moved, not copied); text
/// wider than `cap` wraps.
fn put(
    ws: &mut Worksheet,
    fmt: &Formats,
    rn: u32,
    cn: u16,
    v: Out,
    cap: usize,
) -> Result<(), XlsxError> {
    let wrap = matches!(&v, Out::Text(s) if wraps(s, cap));
    let f = fmt.of_style(style_of(&v, wrap));
    let v = match v {
        Out::Tone(_, inner) => match *inner {
            Out::Tone(..) => Out::Empty,
            inner => inner,
        },
        v => v,
    };
    match v {
        Out::Empty | Out::Tone(..) => ws.write_blank(rn, cn, f)?,
        Out::Text(s) => ws.write_string_with_format(rn, cn, fit_owned(s), f)?,
        Out::Wan(x) | Out::Num(x) | Out::Pct(x) => ws.write_number_with_format(rn, cn, x, f)?,
        Out::Int(x) => ws.write_number_with_format(rn, cn, x as f64, f)?,
        Out::Date(d) => ws.write_date_with_format(rn, cn, d, f)?,
    };
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
    let (title, note) = (fit(title), note.map(fit));
    let note = note.as_deref();
    if last > 0 {
        ws.merge_range(0, 0, 0, last, &title, &fmt.title)?;
    } else {
        ws.write_string_with_format(0, 0, &*title, &fmt.title)?;
    }
    ws.set_row_height(0, 24)?;
    let mut next = 1;
    if let Some(n) = note {
        if last > 0 {
            ws.merge_range(1, 0, 1, last, n, &fmt.note)?;
        } else {
            ws.write_string_with_format(1, 0, n, &fmt.note)?;
        }
        // The note wraps: a line for about every 110 narrow characters (the
        // printed width of a sheet is about 130), so it is never cut.
        let lines = display_width(n).div_ceil(NOTE_LINE).max(1);
        ws.set_row_height(1, 14.0 * lines as f64 + 2.0)?;
        next = 2;
    }
    Ok(next)
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
    fn long_headers_break_between_words() {
        assert_eq!(header_text("单位"), "单位");
        assert_eq!(header_text("年度投资目标(万元)"), "年度投资目标\n(万元)");
        assert_eq!(
            header_text("与时间进度差(百分点)"),
            "与时间进度差\n(百分点)"
        );
        assert_eq!(header_text("项目行 读取"), "项目行\n读取");
        assert_eq!(header_text("计划开工日期"), "计划\n开工日期");
        assert_eq!(header_text("类别内名次变化"), "类别内\n名次变化");
        assert_eq!(header_text("上月类别内排名"), "上月\n类别内排名");
        // A column is as wide as the header's longest line.
        assert_eq!(header_widths(&["年度投资目标(万元)", "得分"]), vec![12, 4]);
        assert_eq!(header_height(&["计划开工日期", "得分"], &[]), 32.0);
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
}
