//! Cell values: numbers, amounts with units, dates in every form the units type.

use super::text::{halfwidth, MoneyUnit};
use super::workbook::Cell;
pub use crate::text::{fmt_num, month_end};
use chrono::{Datelike, NaiveDate};

/// Why a cell's value could not be taken.
#[derive(Debug, Clone, PartialEq)]
pub enum CellProblem {
    /// An Excel error value such as #DIV/0! or #REF!.
    ErrorValue(String),
    /// Not a number where one is needed.
    NotNumber,
    /// Not a date where one is needed.
    NotDate,
}

/// Text that people write for "nothing here".
fn is_placeholder(t: &str) -> bool {
    matches!(t, "" | "-" | "--" | "—" | "——" | "/" | "无" | "暂无" | "\\")
}

/// The cell as trimmed display text (numbers without a trailing ".0").
pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.trim().to_string(),
        Cell::Number(n) => fmt_num(*n),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Date(d) => {
            if d.time() == chrono::NaiveTime::MIN {
                d.date().to_string()
            } else {
                d.to_string()
            }
        }
        Cell::Error(e) => e.clone(),
    }
}

/// Parse a number. `Ok(None)` for an empty cell or a placeholder ("-", "/", "无").
/// A money unit written in the text ("1200万元", "1.2亿元") is returned with it,
/// so the caller can prefer it over the column's unit.
pub fn parse_number(c: &Cell) -> Result<Option<(f64, Option<MoneyUnit>)>, CellProblem> {
    match c {
        Cell::Empty => Ok(None),
        Cell::Number(n) if n.is_finite() => Ok(Some((*n, None))),
        Cell::Number(_) => Err(CellProblem::NotNumber),
        Cell::Error(e) => Err(CellProblem::ErrorValue(e.clone())),
        Cell::Bool(_) | Cell::Date(_) => Err(CellProblem::NotNumber),
        Cell::Text(s) => parse_number_text(s),
    }
}

pub fn parse_number_text(s: &str) -> Result<Option<(f64, Option<MoneyUnit>)>, CellProblem> {
    let t: String = halfwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if is_placeholder(&t) {
        return Ok(None);
    }
    if t.starts_with('#') {
        return Err(CellProblem::ErrorValue(t));
    }
    let mut body = t.as_str();
    let mut unit = None;
    for (name, u) in MoneyUnit::BY_NAME {
        if let Some(b) = body.strip_suffix(name) {
            body = b;
            unit = Some(u);
            break;
        }
    }
    let digits: String = body.chars().filter(|&c| c != ',').collect();
    // Only plain decimal notation: no "inf", "nan", hex or stray letters.
    let ok = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && digits.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return Err(CellProblem::NotNumber);
    }
    match digits.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some((v, unit))),
        _ => Err(CellProblem::NotNumber),
    }
}

/// Parse an amount and convert it to 万元: a unit in the cell text wins over the
/// column's unit (from the header or the note row).
pub fn parse_amount(c: &Cell, column_unit: MoneyUnit) -> Result<Option<f64>, CellProblem> {
    Ok(parse_number(c)?.map(|(v, u)| v * u.unwrap_or(column_unit).to_wan()))
}

/// An Excel serial day number (1900 system) to a date. Serial 60 is Excel's
/// fictitious 1900-02-29; plausible reporting dates are far from it.
pub fn from_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let days = n.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(days))
}

/// Parse a date in any of the forms the units use (docs/forms.md §3). `period_year`
/// completes forms without a year ("4月20日", "4月底").
pub fn parse_date(c: &Cell, period_year: i32) -> Result<Option<NaiveDate>, CellProblem> {
    match c {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(d.date())),
        Cell::Number(n) => {
            let n = *n;
            // 20260420 typed as a number.
            if (19_000_101.0..=21_001_231.0).contains(&n) && n.fract() == 0.0 {
                let v = n as i64;
                return ymd(
                    (v / 10_000) as i32,
                    (v / 100 % 100) as u32,
                    (v % 100) as u32,
                )
                .map(Some)
                .ok_or(CellProblem::NotDate);
            }
            // Serial numbers between 1954 and 2119: anything else is no date.
            if (20_000.0..80_000.0).contains(&n) {
                return from_serial(n).map(Some).ok_or(CellProblem::NotDate);
            }
            Err(CellProblem::NotDate)
        }
        Cell::Error(e) => Err(CellProblem::ErrorValue(e.clone())),
        Cell::Bool(_) => Err(CellProblem::NotDate),
        Cell::Text(s) => parse_date_text(s, period_year),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Split into runs of ASCII digits and the separators between them.
fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_digit = None;
    for (i, ch) in s.char_indices() {
        let d = ch.is_ascii_digit();
        match in_digit {
            None => in_digit = Some(d),
            Some(prev) if prev != d => {
                out.push(tok(&s[start..i], prev));
                start = i;
                in_digit = Some(d);
            }
            _ => {}
        }
    }
    if let Some(d) = in_digit {
        out.push(tok(&s[start..], d));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Num(u32),
    Sep(&'a str),
}

fn tok(s: &str, digit: bool) -> Tok<'_> {
    if digit {
        // Long digit runs overflow u32: treat as an impossible number.
        Tok::Num(s.parse().unwrap_or(u32::MAX))
    } else {
        Tok::Sep(s)
    }
}

/// "月上旬" → 1, "月中旬" → 2, "月下旬" → 3.
fn ten_days(sep: &str) -> Option<u8> {
    match sep {
        "月上旬" => Some(1),
        "月中旬" => Some(2),
        "月下旬" => Some(3),
        _ => None,
    }
}

fn ten_day_date(year: i32, month: u32, part: u8) -> Option<NaiveDate> {
    match part {
        1 => ymd(year, month, 10),
        2 => ymd(year, month, 20),
        _ => month_end(year, month),
    }
}

pub fn parse_date_text(s: &str, period_year: i32) -> Result<Option<NaiveDate>, CellProblem> {
    // A time part after the date ("2026-04-20 00:00:00" or "2026-04-20T08:00").
    let h = halfwidth(s);
    let h = h.trim();
    let h = match h.find(['T', ' ']) {
        Some(i) if i >= 8 && h[i..].contains(':') => &h[..i],
        _ => h,
    };
    let t: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    if is_placeholder(&t) {
        return Ok(None);
    }
    let t = t
        .trim_end_matches('号')
        .trim_end_matches('日')
        .trim_end_matches('止')
        .to_string();
    use Tok::*;
    let toks = tokens(&t);
    let year = |y: u32| -> Option<i32> {
        match y {
            1900..=2199 => Some(y as i32),
            _ => None,
        }
    };
    let end_words = ["月底", "月末", "底", "末"];
    let d = match toks.as_slice() {
        // 2026-04-20, 2026/4/20, 2026.4.20, 2026年4月20(日)
        [Num(y), Sep(a), Num(m), Sep(b), Num(d)]
            if matches!(
                (*a, *b),
                ("-", "-") | ("/", "/") | (".", ".") | ("年", "月")
            ) =>
        {
            year(*y).and_then(|y| ymd(y, *m, *d))
        }
        // 2026年4月, 2026-04, 2026.4, 2026/4: the month's last day
        [Num(y), Sep(a), Num(m)] if matches!(*a, "年" | "-" | "/" | ".") => {
            year(*y).and_then(|y| month_end(y, *m))
        }
        [Num(y), Sep("年"), Num(m), Sep(e)] if *e == "月" || end_words.contains(e) => {
            year(*y).and_then(|y| month_end(y, *m))
        }
        // 2026年4月上旬 / 中旬 / 下旬: the 10th, the 20th, the month's end
        [Num(y), Sep("年"), Num(m), Sep(e)] if ten_days(e).is_some() => {
            year(*y).and_then(|y| ten_days(e).and_then(|t| ten_day_date(y, *m, t)))
        }
        [Num(m), Sep(e)] if ten_days(e).is_some() => {
            ten_days(e).and_then(|t| ten_day_date(period_year, *m, t))
        }
        // 4月20(日): the period's year
        [Num(m), Sep("月"), Num(d)] => ymd(period_year, *m, *d),
        // 4月底, 4月末, 4月
        [Num(m), Sep(e)] if *e == "月" || end_words.contains(e) => month_end(period_year, *m),
        // 20260420
        [Num(n)] if t.len() == 8 => {
            let n = *n;
            year(n / 10_000).and_then(|y| ymd(y, n / 100 % 100, n % 100))
        }
        // 46132 typed as text: an Excel serial number
        [Num(n)] if (20_000..80_000).contains(n) => from_serial(*n as f64),
        _ => None,
    };
    d.map(Some).ok_or(CellProblem::NotDate)
}

/// The year of a date, for callers that only have a period.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn numbers_as_text() {
        let n = |s: &str| parse_number_text(s).unwrap().map(|x| x.0);
        assert_eq!(n("1,200"), Some(1200.0));
        assert_eq!(n("1，200.5"), Some(1200.5));
        assert_eq!(n("１２００"), Some(1200.0));
        assert_eq!(n(" 350 "), Some(350.0));
        assert_eq!(n("-"), None);
        assert_eq!(n(""), None);
        assert_eq!(
            parse_number_text("1200万元").unwrap(),
            Some((1200.0, Some(MoneyUnit::Wanyuan)))
        );
        assert_eq!(
            parse_number_text("1.5亿元").unwrap(),
            Some((1.5, Some(MoneyUnit::Yiyuan)))
        );
        assert_eq!(parse_number_text("abc"), Err(CellProblem::NotNumber));
        assert_eq!(parse_number_text("inf"), Err(CellProblem::NotNumber));
        assert_eq!(parse_number_text("1.2.3"), Err(CellProblem::NotNumber));
        assert_eq!(
            parse_number_text("#DIV/0!"),
            Err(CellProblem::ErrorValue("#DIV/0!".into()))
        );
    }

    #[test]
    fn amounts_convert_to_wan() {
        let a = |c: Cell, u| parse_amount(&c, u).unwrap();
        assert_eq!(a(Cell::Number(3.5), MoneyUnit::Yiyuan), Some(35_000.0));
        assert_eq!(a(Cell::Number(12_000_000.0), MoneyUnit::Yuan), Some(1200.0));
        // The cell's own unit wins over the column's.
        assert_eq!(
            a(Cell::Text("1200万元".into()), MoneyUnit::Yiyuan),
            Some(1200.0)
        );
        assert_eq!(
            parse_amount(&Cell::Error("#REF!".into()), MoneyUnit::Wanyuan),
            Err(CellProblem::ErrorValue("#REF!".into()))
        );
    }

    #[test]
    fn every_date_form() {
        let p = |s: &str| parse_date_text(s, 2026).unwrap();
        assert_eq!(p("2026-04-20"), d(2026, 4, 20));
        assert_eq!(p("2026/4/20"), d(2026, 4, 20));
        assert_eq!(p("2026.4.20"), d(2026, 4, 20));
        assert_eq!(p("2026年4月20日"), d(2026, 4, 20));
        assert_eq!(p("2026年4月"), d(2026, 4, 30));
        assert_eq!(p("2026年2月"), d(2026, 2, 28));
        assert_eq!(p("4月20日"), d(2026, 4, 20));
        assert_eq!(p("4月底"), d(2026, 4, 30));
        assert_eq!(p("2026年12月底"), d(2026, 12, 31));
        assert_eq!(p("2026年4月上旬"), d(2026, 4, 10));
        assert_eq!(p("2026年4月中旬"), d(2026, 4, 20));
        assert_eq!(p("4月下旬"), d(2026, 4, 30));
        assert_eq!(p("２０２６年４月２０日"), d(2026, 4, 20));
        assert_eq!(p("2026-04-20 00:00:00"), d(2026, 4, 20));
        assert_eq!(p("20260420"), d(2026, 4, 20));
        assert_eq!(p("46132"), d(2026, 4, 20));
        assert_eq!(p("-"), None);
        assert!(parse_date_text("2026-13-01", 2026).is_err());
        assert!(parse_date_text("下月", 2026).is_err());
        assert!(parse_date_text("2026年2月30日", 2026).is_err());
    }

    #[test]
    fn date_cells_and_serials() {
        assert_eq!(
            parse_date(&Cell::Number(46132.0), 2026).unwrap(),
            d(2026, 4, 20)
        );
        assert_eq!(
            parse_date(&Cell::Number(20260420.0), 2026).unwrap(),
            d(2026, 4, 20)
        );
        let dt = d(2026, 4, 20).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(parse_date(&Cell::Date(dt), 2026).unwrap(), d(2026, 4, 20));
        assert_eq!(
            parse_date(&Cell::Number(12.0), 2026),
            Err(CellProblem::NotDate)
        );
    }
}
