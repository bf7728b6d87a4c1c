//! A plain table sheet, ready to print: Chinese headers, frozen header row,
//! autofilter, column widths that count a CJK character as two, number
//! formats, landscape A4 fit to the page width with repeated header rows, and
//! page numbers. Every sheet of the workbook that lists rows uses it.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
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
}

impl Out {
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
                .set_align(FormatAlign::Center),
        }
    }
}

/// The widest a column gets before its text wraps (narrow-character units).
const MAX_WIDTH: usize = 48;

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
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| UnicodeWidthStr::width(*h).min(20))
        .collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &fmt.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let rn = top + 1 + r as u32;
        for (c, v) in row.iter().enumerate().take(headers.len()) {
            let cn = c as u16;
            widths[c] = widths[c].max(v.width());
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
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Excel's width unit is about one narrow character; pad by 2.
        ws.set_column_width(c as u16, (*w).clamp(4, MAX_WIDTH) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    if ncols > 0 {
        let last = top + rows.len() as u32;
        ws.autofilter(top, 0, last.max(top), ncols - 1)?;
    }
    Ok(())
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
}
