//! Row rules of docs/forms.md §2: relations between the fields of one row.
//! (Field-level rules — required, types, ranges — are checked while parsing in
//! `ingest`; rules across rows and files are in `merge`.)

use crate::config::Period;
use crate::finding::{Code, Finding};
use crate::forms::{attraction, milestone, project, Field, TableKind};
use crate::model::Record;
use crate::text::fmt_num;

fn finding(rec: &Record, code: Code, key: Field, value: String, message: String) -> Finding {
    let mut f = Finding::new(code, rec.src.file.to_string(), message)
        .table(rec.table)
        .sheet(rec.src.sheet.to_string())
        .at(rec.src.row - 1, rec.col(key))
        .field(key)
        .value(value);
    f.row = Some(rec.src.row);
    f
}

/// Check one row; errors mark the record as rejected.
pub fn row_rules(rec: &mut Record, period: Period, out: &mut Vec<Finding>) {
    row_rules_with(rec, period, out, false)
}

/// [`row_rules`]; `late_start_warned`: the row's 是否开工 says started while
/// its 实际开工日期 lies after the period end, already `row/start-conflict`
/// (docs/forms.md §9.4: the row is kept and the date decides), so the date
/// is not also an error.
pub fn row_rules_with(
    rec: &mut Record,
    period: Period,
    out: &mut Vec<Finding>,
    late_start_warned: bool,
) {
    let end = period.end();
    let mut found = Vec::new();
    match rec.table {
        TableKind::Projects => {
            if let (Some(plan), Some(total)) = (
                rec.num(project::ANNUAL_PLAN),
                rec.num(project::TOTAL_INVEST),
            ) {
                if plan > total + 1e-9 && total >= 0.0 {
                    found.push(finding(
                        rec,
                        Code::RowAnnualAboveTotal,
                        project::ANNUAL_PLAN,
                        fmt_num(plan),
                        format!(
                            "年度计划投资 {} 万元超过总投资 {} 万元:请核实",
                            fmt_num(plan),
                            fmt_num(total)
                        ),
                    ));
                }
            }
            if let (Some(ytd), Some(month)) =
                (rec.num(project::YTD_DONE), rec.num(project::MONTH_DONE))
            {
                if ytd + 1e-9 < month {
                    found.push(finding(
                        rec,
                        Code::RowYtdBelowMonth,
                        project::YTD_DONE,
                        fmt_num(ytd),
                        format!(
                            "累计完成投资 {} 万元小于本月完成投资 {} 万元:累计应包含本月,请更正",
                            fmt_num(ytd),
                            fmt_num(month)
                        ),
                    ));
                }
            }
            if let Some(d) = rec
                .date(project::ACTUAL_START)
                .filter(|_| !late_start_warned)
            {
                if d > end {
                    found.push(finding(
                        rec,
                        Code::RowStartAfterPeriod,
                        project::ACTUAL_START,
                        d.to_string(),
                        format!(
                            "实际开工日期 {d} 晚于报告期末 {end}:尚未开工的请留空,日期填错的请更正"
                        ),
                    ));
                }
            }
            if let (Some(s), Some(f)) = (
                rec.date(project::PLANNED_START),
                rec.date(project::PLANNED_FINISH),
            ) {
                if f < s {
                    found.push(finding(
                        rec,
                        Code::RowFinishBeforeStart,
                        project::PLANNED_FINISH,
                        f.to_string(),
                        format!("计划竣工日期 {f} 早于计划开工日期 {s}:请更正"),
                    ));
                }
            }
        }
        TableKind::Milestones => {
            if let Some(d) = rec.date(milestone::ACTUAL_DATE) {
                if d > end {
                    found.push(finding(
                        rec,
                        Code::RowActualAfterPeriod,
                        milestone::ACTUAL_DATE,
                        d.to_string(),
                        format!(
                            "实际完成日期 {d} 晚于报告期末 {end}:尚未完成的请留空,日期填错的请更正"
                        ),
                    ));
                }
            }
        }
        TableKind::Attraction => {
            if let (Some(ytd), Some(month)) = (
                rec.num(attraction::YTD_FUNDS),
                rec.num(attraction::MONTH_FUNDS),
            ) {
                if ytd + 1e-9 < month {
                    found.push(finding(
                        rec,
                        Code::RowYtdBelowMonth,
                        attraction::YTD_FUNDS,
                        fmt_num(ytd),
                        format!(
                            "累计到位资金 {} 万元小于本月到位资金 {} 万元:累计应包含本月,请更正",
                            fmt_num(ytd),
                            fmt_num(month)
                        ),
                    ));
                }
            }
        }
    }
    if found
        .iter()
        .any(|f| f.severity == crate::finding::Severity::Error)
    {
        rec.has_error = true;
    }
    out.extend(found);
}
