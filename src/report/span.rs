//! The quarter's and the year's ranking sheet (季度评比, 年度评比), from the
//! rows assess (`periodic`) computed.

use super::table::{page_setup, write_table_print, write_title, Formats, Out, Print, Tone};
use crate::periodic::{Span, SpanRow};
use crate::roster::Roster;

/// The columns every span's sheet starts with; the months' scores follow.
pub const KEY_HEADERS: [&str; 11] = [
    "类别",
    "类别内排名",
    "综合排名",
    "单位",
    "平均得分",
    "期末投资完成率",
    "红色预警",
    "黄色预警",
    "问责",
    "一票否决",
    "评先资格",
];

/// Most months whose scores print (a quarter's); a year's lie to the right
/// of the print area.
const PRINTED_MONTHS: usize = 3;

/// Write the span's sheet into a workbook.
pub fn write_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    fmt: &Formats,
    span: Span,
    roster: &Roster,
    rows: &[SpanRow],
    run_time: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let months = span.months();
    // The key columns first, the months' scores after them: a year's twelve
    // would shrink the printed page below the print rules' 9 pt, so they lie
    // to the right of its print area (a quarter's three print).
    let mut headers: Vec<String> = KEY_HEADERS.map(String::from).to_vec();
    headers.extend(months.iter().map(|p| format!("{}月得分", p.month)));
    let mut order: Vec<&SpanRow> = rows.iter().collect();
    order.sort_by_key(|r| {
        (
            roster.units[r.unit].kind,
            r.rank_kind.unwrap_or(u32::MAX),
            r.unit,
        )
    });
    let data: Vec<Vec<Out>> = order
        .iter()
        .map(|r| {
            let u = &roster.units[r.unit];
            let opt = |x: Option<u32>| x.map_or(Out::Empty, |x| Out::Int(x as i64));
            let mut v = vec![
                Out::text(u.kind.cn()),
                opt(r.rank_kind),
                opt(r.rank_all),
                Out::text(u.name.clone()),
                r.average.map_or(Out::Empty, Out::Num),
                r.completion_rate.map_or(Out::Empty, Out::Pct),
            ];
            v.extend([r.red, r.yellow, r.accountability, r.veto].map(|n| Out::Int(n as i64)));
            v.push(if r.veto > 0 {
                Out::tone(Tone::Red, Out::text("取消(一票否决)"))
            } else {
                Out::text("保留")
            });
            v.extend(r.scores.iter().map(|s| s.map_or(Out::Empty, Out::Num)));
            v
        })
        .collect();
    let ws = wb.add_worksheet();
    let name = span.title();
    ws.set_name(name)?;
    let note = format!(
        "{}:按各月得分的平均值排名(缺少历史数据的月份不计入),得分相同者名次并列;期内有一票否决(F07)的单位取消年度评先资格。",
        span.cn()
    );
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let printed = if months.len() > PRINTED_MONTHS {
        KEY_HEADERS.len()
    } else {
        h.len()
    };
    // The title and its note across the printed columns.
    write_title(
        ws,
        fmt,
        &format!("{}{}", span.cn(), name),
        Some(&note),
        printed as u16,
    )?;
    let print = Print::first(printed).cap(3, 20);
    write_table_print(ws, fmt, 2, &h, &data, &print)?;
    page_setup(ws, name, &span.cn(), run_time, 2)?;
    Ok(())
}
