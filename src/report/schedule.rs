//! The time schedule: 项目进度 (every project's start, finish, status, days
//! overdue or countdown, investment against plan and time) and 节点时序 (the
//! milestones as a Gantt-style month grid).

use super::long::LongTable;
use super::table::{Out, Print, Tone};
use super::{sheet, Ctx};
use crate::forms::{milestone, project, Field};
use crate::merge::MergedRow;
use crate::metrics::{self, Timing};
use chrono::Datelike;

/// 项目进度's columns: the key ones it prints first, then the rest.
pub const PROJECT_HEADERS: &[&str] = &[
    "单位",
    "项目名称",
    "项目类别",
    "年度计划投资(万元)",
    "累计完成投资(万元)",
    "完成年度计划",
    "与时间进度差(百分点)",
    "计划开工日期",
    "状态",
    "逾期天数",
    "倒计时(天)",
    "项目编号",
    "行业领域",
    "包抓领导",
    "总投资(万元)",
    "本月完成投资(万元)",
    "实际开工日期",
    "计划竣工日期",
    "实际竣工日期",
    "形象进度",
    "存在问题",
    "来源",
];

/// 项目进度 prints its first 11 columns (up to 倒计时), the unit and the
/// project's name capped so they fit A4 landscape at full size.
fn project_print() -> Print {
    Print::first(11).cap(0, 10).cap(1, 18)
}

/// Rows sorted by unit (roster order; rows of no unit first), then id, then
/// source row, ties in merged order: placed by unit in one counting pass,
/// then each unit's few hundred rows sorted, the units in parallel. Each
/// with its timing and its figure (`fig`, in the rows' order).
fn sorted<'a, F: Sync>(
    id: Field,
    rows: &'a [MergedRow],
    t: &'a [Timing],
    fig: &'a [F],
) -> Vec<(&'a MergedRow, &'a Timing, &'a F)> {
    use rayon::prelude::*;
    let pid = id.index();
    let bucket = |r: &MergedRow| r.rec.unit.map_or(0, |u| u + 1);
    let mut starts = vec![0usize; rows.iter().map(bucket).max().map_or(1, |b| b + 2)];
    for r in rows {
        starts[bucket(r) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut at = starts.clone();
    let mut slots: Vec<Option<(&MergedRow, &Timing, &F)>> = vec![None; rows.len()];
    for ((r, tm), x) in rows.iter().zip(t).zip(fig) {
        let b = bucket(r);
        slots[at[b]] = Some((r, tm, x));
        at[b] += 1;
    }
    let mut v: Vec<(&MergedRow, &Timing, &F)> = slots.into_iter().flatten().collect();
    let mut groups: Vec<&mut [(&MergedRow, &Timing, &F)]> = Vec::with_capacity(starts.len());
    let mut rest = v.as_mut_slice();
    for w in starts.windows(2) {
        let (group, tail) = rest.split_at_mut(w[1] - w[0]);
        groups.push(group);
        rest = tail;
    }
    groups.into_par_iter().for_each(|g| {
        g.sort_by(|(a, ..), (b, ..)| {
            (a.rec.values[pid].text(), a.rec.src.row)
                .cmp(&(b.rec.values[pid].text(), b.rec.src.row))
        })
    });
    v
}

/// A status word on its colour: overdue yellow (red past `red_days`), done green.
fn status_cell(t: &Timing, red_days: i64, overdue: &str, done: &[&str]) -> Out<'static> {
    if t.status == overdue {
        let tone = if t.days_overdue.unwrap_or(0) > red_days {
            Tone::Red
        } else {
            Tone::Yellow
        };
        Out::tone(tone, Out::text(t.status))
    } else if done.contains(&t.status) {
        Out::tone(Tone::Green, Out::text(t.status))
    } else {
        Out::text(t.status)
    }
}

/// 项目进度: every project with its timing, by unit (roster order) then id.
pub fn projects_table<'a>(cx: &'a Ctx) -> LongTable<'a> {
    let m = &cx.a.metrics;
    let units = &cx.batch.roster.units;
    let tp = m.time_progress;
    let red_days = cx.batch.config.rules.f04_red_days;
    let rows = sorted(
        project::PROJECT_ID,
        &cx.batch.merged.rows[0],
        &m.timing[0],
        &m.plan,
    );
    let [ytd, plan, pid, pname, cat, sector, leader, total, month, ps, as_, pf, af, note, problems] =
        metrics::field_indexes([
            project::YTD_DONE,
            project::ANNUAL_PLAN,
            project::PROJECT_ID,
            project::PROJECT_NAME,
            project::CATEGORY,
            project::SECTOR,
            project::LEADER,
            project::TOTAL_INVEST,
            project::MONTH_DONE,
            project::PLANNED_START,
            project::ACTUAL_START,
            project::PLANNED_FINISH,
            project::ACTUAL_FINISH,
            project::PROGRESS_NOTE,
            project::PROBLEMS,
        ]);
    let note_text = format!(
        "报告期末 {},时间进度 {:.1}%。状态:已开工 / 已竣工 / 应开工未开工(计划开工日期已到而未开工,逾期天数 = 期末 − 计划开工日期)/ 未到期(倒计时 = 计划开工日期 − 期末)。",
        m.period_end,
        tp * 100.0
    );
    LongTable {
        name: sheet::PROJECT_SCHEDULE,
        title: Some((format!("{}重点项目进度", cx.period_cn), note_text)),
        headers: PROJECT_HEADERS.to_vec(),
        len: rows.len(),
        row: Box::new(move |i| {
            let (r, t, p) = rows[i];
            let v = &r.rec.values;
            let status = status_cell(
                t,
                red_days,
                metrics::ST_OVERDUE,
                &[metrics::ST_STARTED, metrics::ST_FINISHED],
            );
            let text = |i: usize| Out::opt_text(v[i].text());
            let date = |i: usize| Out::opt_date(v[i].date());
            vec![
                Out::opt_text(r.rec.unit.map(|u| units[u].name.as_str())),
                text(pname),
                text(cat),
                Out::opt_wan(v[plan].num()),
                Out::opt_wan(v[ytd].num()),
                p.rate.map_or(Out::Empty, Out::Pct),
                p.gap_points.map_or(Out::Empty, Out::Num),
                date(ps),
                status,
                t.days_overdue.map_or(Out::Empty, Out::Int),
                t.countdown_days.map_or(Out::Empty, Out::Int),
                text(pid),
                text(sector),
                text(leader),
                Out::opt_wan(v[total].num()),
                Out::opt_wan(v[month].num()),
                date(as_),
                date(pf),
                date(af),
                text(note),
                text(problems),
                Out::text(r.rec.src.place()),
            ]
        }),
        widths: Vec::new(),
        print: project_print(),
        framed: false,
    }
}

/// The fixed columns of 节点时序 before the month grid.
/// The columns of 节点时序 before the month grid (printed with it) …
pub const MILESTONE_HEADERS: &[&str] = &[
    "单位",
    "项目名称",
    "节点名称",
    "计划完成日期",
    "状态",
    "超期天数",
];
/// … and after it (not printed).
pub const MILESTONE_MORE: &[&str] = &[
    "项目编号",
    "实际完成日期",
    "倒计时(天)",
    "计划工程量",
    "完成工程量",
    "计量单位",
    "工程量进度",
    "来源",
];
pub const MONTHS: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];

/// The month cells of one milestone in the period's year: "计划" in the planned
/// month, "完成" in the month done, and red "超期" from the planned month to the
/// period's month while it is overdue.
pub fn month_cells(
    planned: Option<chrono::NaiveDate>,
    done: Option<chrono::NaiveDate>,
    t: &Timing,
    year: i32,
    period_month: u32,
) -> Vec<Out<'static>> {
    let mut cells = vec![Out::Empty; 12];
    let in_year = |d: chrono::NaiveDate| (d.year() == year).then(|| d.month0() as usize);
    if let Some(p) = planned.and_then(in_year) {
        cells[p] = Out::tone(Tone::Yellow, Out::text("计划"));
    }
    if t.overdue {
        let from = planned
            .map(|p| {
                if p.year() < year {
                    0
                } else {
                    p.month0() as usize
                }
            })
            .unwrap_or(0);
        for c in cells.iter_mut().take(period_month as usize).skip(from) {
            *c = Out::tone(Tone::Red, Out::text("超期"));
        }
    }
    if let Some(d) = done.and_then(in_year) {
        cells[d] = Out::tone(Tone::Green, Out::text("完成"));
    }
    cells
}

/// 节点时序: every milestone with its timing and its month grid, by unit
/// (roster order) then project id.
pub fn milestones_table<'a>(cx: &'a Ctx) -> LongTable<'a> {
    let m = &cx.a.metrics;
    let units = &cx.batch.roster.units;
    let [id_at, name_at] = metrics::field_indexes([project::PROJECT_ID, project::PROJECT_NAME]);
    let names: crate::merge::FastMap<&str, &str> = cx.batch.merged.rows[0]
        .iter()
        .filter_map(|p| Some((p.rec.values[id_at].text()?, p.rec.values[name_at].text()?)))
        .collect();
    let mut headers: Vec<&str> = MILESTONE_HEADERS.to_vec();
    headers.extend(MONTHS);
    headers.extend(MILESTONE_MORE);
    let red_days = cx.batch.config.rules.f05_red_days;
    let (year, month) = (m.period.year, m.period.month);
    let rows = sorted(
        milestone::PROJECT_ID,
        &cx.batch.merged.rows[1],
        &m.timing[1],
        &m.quantity_rate,
    );
    let [pid, milestone, planned, actual, planned_qty, done_qty, qty_unit] =
        metrics::field_indexes([
            milestone::PROJECT_ID,
            milestone::MILESTONE,
            milestone::PLANNED_DATE,
            milestone::ACTUAL_DATE,
            milestone::PLANNED_QTY,
            milestone::DONE_QTY,
            milestone::QTY_UNIT,
        ]);
    let note = format!(
        "{}年节点时序:\"计划\"为计划完成月份,\"完成\"为实际完成月份,红色\"超期\"为计划日期已过仍未完成(超期天数 = 期末 {} − 计划完成日期);倒计时 = 计划完成日期 − 期末。",
        m.period.year, m.period_end
    );
    let first_month = MILESTONE_HEADERS.len() as u16;
    LongTable {
        name: sheet::MILESTONE_SCHEDULE,
        title: Some((format!("{}重点项目节点时序", cx.period_cn), note)),
        headers,
        len: rows.len(),
        row: Box::new(move |i| {
            let (r, t, qty) = rows[i];
            let v = &r.rec.values;
            let status = status_cell(t, red_days, metrics::MS_OVERDUE, &[metrics::MS_DONE]);
            let id = v[pid].text();
            let mut row = vec![
                Out::opt_text(r.rec.unit.map(|u| units[u].name.as_str())),
                Out::opt_text(id.and_then(|id| names.get(id).copied())),
                Out::opt_text(v[milestone].text()),
                Out::opt_date(v[planned].date()),
                status,
                t.days_overdue.map_or(Out::Empty, Out::Int),
            ];
            row.extend(month_cells(
                v[planned].date(),
                v[actual].date(),
                t,
                year,
                month,
            ));
            row.extend([
                Out::opt_text(id),
                Out::opt_date(v[actual].date()),
                t.countdown_days.map_or(Out::Empty, Out::Int),
                v[planned_qty].num().map_or(Out::Empty, Out::Num),
                v[done_qty].num().map_or(Out::Empty, Out::Num),
                Out::opt_text(v[qty_unit].text()),
                qty.map_or(Out::Empty, Out::Pct),
                Out::text(r.rec.src.place()),
            ]);
            row
        }),
        widths: (0..12).map(|c| (first_month + c, 5.0)).collect(),
        // The fixed columns and the month grid print; the unit, project and
        // milestone names capped to fit A4 landscape at full size.
        print: Print::first(MILESTONE_HEADERS.len() + 12)
            .cap(0, 10)
            .cap(1, 12)
            .cap(2, 10),
        framed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::TableKind;
    use crate::model::{Record, Source, Value};

    /// The counting placement and per-unit sorts give the order of one
    /// stable sort by (unit, id, row): rows of no unit first, ties kept in
    /// merged order.
    #[test]
    fn sorted_is_one_stable_sort() {
        let fields = TableKind::Projects.fields().len();
        let [pid] = metrics::field_indexes([project::PROJECT_ID]);
        let row = |unit: Option<usize>, id: Option<&str>, file: &str, row: u32| {
            let mut values = vec![Value::Null; fields];
            values[pid] = id.map_or(Value::Null, |s| Value::Text(s.into()));
            MergedRow {
                rec: Record {
                    table: TableKind::Projects,
                    values,
                    cols: vec![None; fields].into(),
                    src: Source {
                        file: file.into(),
                        sheet: "Sheet1".into(),
                        row,
                    },
                    file_idx: 0,
                    unit,
                    has_error: false,
                    section_unit: None,
                },
                sources: Vec::new(),
            }
        };
        let rows = vec![
            row(Some(2), Some("B"), "a", 5),
            row(Some(0), Some("Z"), "a", 3),
            row(None, Some("X"), "b", 9),
            row(Some(2), Some("A"), "b", 7),
            row(Some(0), Some("Z"), "c", 3), // ties the second row: stays after it
            row(Some(2), None, "c", 8),
            row(None, Some("A"), "a", 1),
            row(Some(0), Some("Y"), "a", 4),
        ];
        let timing = metrics::project_timing(&rows[0], chrono::NaiveDate::MIN);
        let t = vec![timing; rows.len()];
        let got: Vec<(Option<usize>, u32, String)> = sorted(project::PROJECT_ID, &rows, &t, &t)
            .iter()
            .map(|(r, ..)| (r.rec.unit, r.rec.src.row, r.rec.src.file.to_string()))
            .collect();
        let mut want: Vec<&MergedRow> = rows.iter().collect();
        want.sort_by_key(|r| (r.rec.unit, r.rec.project_id(), r.rec.src.row));
        let want: Vec<(Option<usize>, u32, String)> = want
            .iter()
            .map(|r| (r.rec.unit, r.rec.src.row, r.rec.src.file.to_string()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(got[0], (None, 1, "a".into()));
        assert_eq!(got[3], (Some(0), 3, "a".into()));
        assert_eq!(got[4], (Some(0), 3, "c".into()));
    }
}
