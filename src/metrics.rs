//! The figures of docs/forms.md §4: per project and milestone (status, overdue days,
//! countdown), per unit and for the county. Per-row timing is plain date
//! arithmetic; the unit sums and counts are polars lazy group-bys over the
//! period frames.

use crate::batch::Batch;
use crate::config::Period;
use crate::forms::{attraction, milestone, project, Field, TableKind};
use crate::merge::{col, MergedRow};
use crate::roster::{Roster, UnitKind};
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

mod row_figures;
pub use row_figures::{PlanRate, SIGNED_STAGES};

/// Columns the metrics add to the period frames.
pub mod mcol {
    pub const DUE: &str = "due_to_start";
    pub const STARTED: &str = "started";
    pub const NEW_CONT: &str = "new_or_continuing";
    pub const OVERDUE: &str = "overdue";
    pub const DAYS_OVERDUE: &str = "days_overdue";
    pub const COUNTDOWN: &str = "countdown_days";
    pub const STATUS: &str = "status";
    pub const NO_PLANNED: &str = "no_planned_start";
}

/// Status words of the 项目进度 sheet.
pub const ST_FINISHED: &str = "已竣工";
pub const ST_STARTED: &str = "已开工";
pub const ST_OVERDUE: &str = "应开工未开工";
pub const ST_NOT_DUE: &str = "未到期";
/// Milestones.
pub const MS_DONE: &str = "已完成";
pub const MS_OVERDUE: &str = "已超期";
pub const MS_OPEN: &str = "未到期";

/// When a project or milestone is due, and how late or how far off it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Timing {
    pub due: bool,
    pub started: bool,
    /// 新建 or 续建 (projects); always true for milestones.
    pub counted: bool,
    /// Due and not done.
    pub overdue: bool,
    /// Period end − planned date, for an overdue item.
    pub days_overdue: Option<i64>,
    /// Planned date − period end, for an item not yet due.
    pub countdown_days: Option<i64>,
    pub status: &'static str,
    /// A 新建/续建 project with no 计划开工日期 (its form has no such column,
    /// docs/forms.md §9.4): never due, counted beside 应开工.
    pub no_planned_start: bool,
}

/// docs/forms.md §4 and §7.5: due when the planned date is on or before the period
/// end; overdue when due and not done.
fn timing(
    planned: Option<NaiveDate>,
    done: Option<NaiveDate>,
    end: NaiveDate,
) -> (bool, bool, Option<i64>, Option<i64>) {
    let due = planned.is_some_and(|p| p <= end);
    let overdue = due && done.is_none();
    let days_overdue = planned.filter(|_| overdue).map(|p| (end - p).num_days());
    let countdown = planned
        .filter(|p| *p > end && done.is_none())
        .map(|p| (p - end).num_days());
    (due, overdue, days_overdue, countdown)
}

/// The positions of `fields` among their table's fields, for hot loops that
/// index a row's values directly.
pub(crate) fn field_indexes<const N: usize>(fields: [Field; N]) -> [usize; N] {
    fields.map(Field::index)
}

fn project_fields() -> &'static [usize; 5] {
    static F: OnceLock<[usize; 5]> = OnceLock::new();
    F.get_or_init(|| {
        field_indexes([
            project::CATEGORY,
            project::ACTUAL_START,
            project::PLANNED_START,
            project::ACTUAL_FINISH,
            project::STARTED,
        ])
    })
}

fn milestone_fields() -> &'static [usize; 2] {
    static F: OnceLock<[usize; 2]> = OnceLock::new();
    F.get_or_init(|| field_indexes([milestone::ACTUAL_DATE, milestone::PLANNED_DATE]))
}

pub fn project_timing(r: &MergedRow, end: NaiveDate) -> Timing {
    let rec = &r.rec;
    debug_assert_eq!(rec.table, TableKind::Projects);
    let [category, actual_start, planned_start, actual_finish, flag] = *project_fields();
    let counted = matches!(rec.values[category].text(), Some("新建" | "续建"));
    let actual = rec.values[actual_start].date().filter(|d| *d <= end);
    // 是否开工 says so when there is no date (§9.4; with both, the reader
    // has made them agree, the date deciding).
    let began = actual.is_some()
        || (rec.values[actual_start].is_null() && rec.values[flag].text() == Some("是"));
    let planned = rec.values[planned_start].date();
    let (due, overdue, days_overdue, countdown_days) = timing(planned, began.then_some(end), end);
    let started = counted && began;
    let status = if rec.values[actual_finish].date().is_some_and(|d| d <= end) {
        ST_FINISHED
    } else if began {
        ST_STARTED
    } else if due {
        ST_OVERDUE
    } else {
        ST_NOT_DUE
    };
    Timing {
        due,
        started,
        counted,
        overdue: overdue && counted,
        days_overdue: days_overdue.filter(|_| counted),
        countdown_days,
        status,
        no_planned_start: counted && planned.is_none(),
    }
}

pub fn milestone_timing(r: &MergedRow, end: NaiveDate) -> Timing {
    let rec = &r.rec;
    debug_assert_eq!(rec.table, TableKind::Milestones);
    let [actual_date, planned_date] = *milestone_fields();
    let done = rec.values[actual_date].date().filter(|d| *d <= end);
    let (due, overdue, days_overdue, countdown_days) =
        timing(rec.values[planned_date].date(), done, end);
    Timing {
        due,
        started: done.is_some(),
        counted: true,
        overdue,
        days_overdue,
        countdown_days,
        status: if done.is_some() {
            MS_DONE
        } else if overdue {
            MS_OVERDUE
        } else {
            MS_OPEN
        },
        no_planned_start: false,
    }
}

/// Add the timing columns to a frame (in the rows' order).
pub fn with_timing(df: &DataFrame, t: &[Timing]) -> PolarsResult<DataFrame> {
    let mut df = df.clone();
    df.with_column(Column::new(
        mcol::DUE.into(),
        t.iter().map(|x| x.due).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::STARTED.into(),
        t.iter().map(|x| x.started).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::NEW_CONT.into(),
        t.iter().map(|x| x.counted).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::OVERDUE.into(),
        t.iter().map(|x| x.overdue).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::DAYS_OVERDUE.into(),
        t.iter().map(|x| x.days_overdue).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::COUNTDOWN.into(),
        t.iter().map(|x| x.countdown_days).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::STATUS.into(),
        t.iter().map(|x| x.status).collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        mcol::NO_PLANNED.into(),
        t.iter().map(|x| x.no_planned_start).collect::<Vec<_>>(),
    ))?;
    Ok(df)
}

/// Projects by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ByCategory {
    #[serde(rename = "新建")]
    pub new: u32,
    #[serde(rename = "续建")]
    pub cont: u32,
    #[serde(rename = "前期")]
    pub prelim: u32,
}

/// The figures of one unit, or of the county (docs/forms.md §4, §8).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub invest_target: f64,
    pub ytd_done: f64,
    pub month_done: f64,
    /// ytd_done / invest_target; None when the target is 0.
    pub completion_rate: Option<f64>,
    /// (completion rate − time progress) × 100, in percentage points.
    pub gap_points: Option<f64>,
    pub attract_target: f64,
    pub ytd_funds: f64,
    pub month_funds: f64,
    pub attraction_rate: Option<f64>,
    pub projects: u32,
    pub projects_by_category: ByCategory,
    pub projects_new_cont: u32,
    pub started: u32,
    /// started / projects_new_cont; None when there are none.
    pub start_rate: Option<f64>,
    pub due_to_start: u32,
    /// 新建/续建 projects without a 计划开工日期 (their form has none, §9.4).
    pub no_planned_start: u32,
    pub overdue_not_started: u32,
    pub milestones: u32,
    pub milestones_overdue: u32,
    pub attraction_rows: u32,
}

impl Figures {
    fn finish(&mut self, time_progress: f64) {
        self.completion_rate = rate(self.ytd_done, self.invest_target);
        self.gap_points = self
            .completion_rate
            .map(|r| round4((r - time_progress) * 100.0));
        self.attraction_rate = rate(self.ytd_funds, self.attract_target);
        self.start_rate = rate(self.started as f64, self.projects_new_cont as f64);
    }

    fn add(&mut self, o: &Figures) {
        self.invest_target += o.invest_target;
        self.ytd_done += o.ytd_done;
        self.month_done += o.month_done;
        self.attract_target += o.attract_target;
        self.ytd_funds += o.ytd_funds;
        self.month_funds += o.month_funds;
        self.projects += o.projects;
        self.projects_by_category.new += o.projects_by_category.new;
        self.projects_by_category.cont += o.projects_by_category.cont;
        self.projects_by_category.prelim += o.projects_by_category.prelim;
        self.projects_new_cont += o.projects_new_cont;
        self.started += o.started;
        self.due_to_start += o.due_to_start;
        self.no_planned_start += o.no_planned_start;
        self.overdue_not_started += o.overdue_not_started;
        self.milestones += o.milestones;
        self.milestones_overdue += o.milestones_overdue;
        self.attraction_rows += o.attraction_rows;
    }
}

fn rate(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Round to 4 decimals (docs/forms.md §7.13), also used to compare scores.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// One unit's figures with its identity.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFigures {
    pub unit: usize,
    pub name: String,
    pub kind: UnitKind,
    pub leader: Option<String>,
    pub submitted: bool,
    #[serde(flatten)]
    pub fig: Figures,
}

/// All figures of the period.
#[derive(Debug, Clone)]
pub struct Metrics {
    pub period: Period,
    pub period_end: NaiveDate,
    pub time_progress: f64,
    /// Per table (TableKind order), per merged row.
    pub timing: [Vec<Timing>; 3],
    /// The period frames with the timing columns added.
    pub frames: [DataFrame; 3],
    /// In roster order.
    pub units: Vec<UnitFigures>,
    pub county: Figures,
    /// Per project (merged order): against its annual plan.
    pub plan: Vec<PlanRate>,
    /// Per milestone (merged order): done_qty / planned_qty.
    pub quantity_rate: Vec<Option<f64>>,
    /// Merged attraction rows at a signed stage (签约, 开工, 投产), every
    /// row counted, of a roster unit or not.
    pub attraction_signed: u32,
}

impl Metrics {
    pub fn units_submitted(&self) -> usize {
        self.units.iter().filter(|u| u.submitted).count()
    }

    pub fn units_missing(&self) -> Vec<&str> {
        self.units
            .iter()
            .filter(|u| !u.submitted)
            .map(|u| u.name.as_str())
            .collect()
    }
}

fn get_f64(df: &DataFrame, name: &str, i: usize) -> PolarsResult<f64> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .get(i)
        .unwrap_or(0.0))
}

fn get_u32(df: &DataFrame, name: &str, i: usize) -> PolarsResult<u32> {
    Ok(df
        .column(name)?
        .cast(&DataType::UInt32)?
        .u32()?
        .get(i)
        .unwrap_or(0))
}

/// Sum of a boolean column as a count.
fn count_true(name: &str) -> Expr {
    col(name).cast(DataType::UInt32).sum().alias(name)
}

fn eq_text(name: &str, v: &str) -> Expr {
    col(name).eq(lit(v.to_string())).fill_null(lit(false))
}

/// Per-unit aggregates of one frame, with each unit name's row in it.
struct Agg {
    df: DataFrame,
    row: HashMap<String, usize>,
}

impl Agg {
    fn get(&self, unit: &str) -> Option<(&DataFrame, usize)> {
        self.row.get(unit).map(|r| (&self.df, *r))
    }
}

fn aggregate(df: &DataFrame, aggs: Vec<Expr>) -> PolarsResult<Agg> {
    let out = df
        .clone()
        .lazy()
        .filter(col(col::UNIT).is_not_null())
        .group_by([col(col::UNIT)])
        .agg(aggs)
        .collect()?;
    let names = out.column(col::UNIT)?.str()?.clone();
    let mut row = HashMap::new();
    for i in 0..out.height() {
        if let Some(n) = names.get(i) {
            row.insert(n.to_string(), i);
        }
    }
    Ok(Agg { df: out, row })
}

/// Per unit: the projects' sums and counts.
fn project_sums(df: &DataFrame) -> PolarsResult<Agg> {
    aggregate(
        df,
        vec![
            col(project::YTD_DONE.key())
                .fill_null(lit(0.0))
                .sum()
                .alias("ytd_done"),
            col(project::MONTH_DONE.key())
                .fill_null(lit(0.0))
                .sum()
                .alias("month_done"),
            // 项目名称 is in every merged row; 项目编号 is not (§9.3).
            col(project::PROJECT_NAME.key()).count().alias("projects"),
            eq_text(project::CATEGORY.key(), "新建")
                .cast(DataType::UInt32)
                .sum()
                .alias("cat_new"),
            eq_text(project::CATEGORY.key(), "续建")
                .cast(DataType::UInt32)
                .sum()
                .alias("cat_cont"),
            eq_text(project::CATEGORY.key(), "前期")
                .cast(DataType::UInt32)
                .sum()
                .alias("cat_prelim"),
            count_true(mcol::NEW_CONT),
            count_true(mcol::STARTED),
            col(mcol::DUE)
                .and(col(mcol::NEW_CONT))
                .cast(DataType::UInt32)
                .sum()
                .alias(mcol::DUE),
            count_true(mcol::OVERDUE),
            count_true(mcol::NO_PLANNED),
        ],
    )
}

/// Per unit: the milestones and those overdue.
fn milestone_sums(df: &DataFrame) -> PolarsResult<Agg> {
    aggregate(
        df,
        vec![
            col(milestone::MILESTONE.key()).count().alias("milestones"),
            count_true(mcol::OVERDUE),
        ],
    )
}

/// Per unit: the attraction rows' funds.
fn attraction_sums(df: &DataFrame) -> PolarsResult<Agg> {
    aggregate(
        df,
        vec![
            col(attraction::YTD_FUNDS.key())
                .fill_null(lit(0.0))
                .sum()
                .alias("ytd_funds"),
            col(attraction::MONTH_FUNDS.key())
                .fill_null(lit(0.0))
                .sum()
                .alias("month_funds"),
            col(attraction::PROJECT_NAME.key())
                .count()
                .alias("attraction_rows"),
        ],
    )
}

/// Compute every figure of the period.
pub fn compute(batch: &Batch) -> PolarsResult<Metrics> {
    let period = batch.config.period;
    let end = period.end();
    let tp = period.time_progress();
    let roster: &Roster = &batch.roster;
    let rows = &batch.merged.rows;
    // Projects and milestones side by side: their timing, then their sums.
    let ((pt, pf), (mt, mf)) = rayon::join(
        || {
            let t: Vec<Timing> = rows[0].iter().map(|r| project_timing(r, end)).collect();
            let f = with_timing(batch.frame(TableKind::Projects), &t);
            (t, f)
        },
        || {
            let t: Vec<Timing> = rows[1].iter().map(|r| milestone_timing(r, end)).collect();
            let f = with_timing(batch.frame(TableKind::Milestones), &t);
            (t, f)
        },
    );
    let timing = [pt, mt, Vec::new()];
    let frames = [pf?, mf?, batch.frame(TableKind::Attraction).clone()];
    let (p, (m, a)) = rayon::join(
        || project_sums(&frames[0]),
        || {
            rayon::join(
                || milestone_sums(&frames[1]),
                || attraction_sums(&frames[2]),
            )
        },
    );
    let (p, m, a) = (p?, m?, a?);
    // Units with a merged file, found in one pass over the files.
    let submitted = batch.merged.submitted(roster.units.len());
    let mut units = Vec::with_capacity(roster.units.len());
    let mut county = Figures::default();
    for (i, u) in roster.units.iter().enumerate() {
        let mut fig = Figures {
            invest_target: u.invest_target,
            attract_target: u.attract_target,
            ..Default::default()
        };
        if let Some((df, r)) = p.get(&u.name) {
            fig.ytd_done = get_f64(df, "ytd_done", r)?;
            fig.month_done = get_f64(df, "month_done", r)?;
            fig.projects = get_u32(df, "projects", r)?;
            fig.projects_by_category = ByCategory {
                new: get_u32(df, "cat_new", r)?,
                cont: get_u32(df, "cat_cont", r)?,
                prelim: get_u32(df, "cat_prelim", r)?,
            };
            fig.projects_new_cont = get_u32(df, mcol::NEW_CONT, r)?;
            fig.started = get_u32(df, mcol::STARTED, r)?;
            fig.due_to_start = get_u32(df, mcol::DUE, r)?;
            fig.overdue_not_started = get_u32(df, mcol::OVERDUE, r)?;
            fig.no_planned_start = get_u32(df, mcol::NO_PLANNED, r)?;
        }
        if let Some((df, r)) = m.get(&u.name) {
            fig.milestones = get_u32(df, "milestones", r)?;
            fig.milestones_overdue = get_u32(df, mcol::OVERDUE, r)?;
        }
        if let Some((df, r)) = a.get(&u.name) {
            fig.ytd_funds = get_f64(df, "ytd_funds", r)?;
            fig.month_funds = get_f64(df, "month_funds", r)?;
            fig.attraction_rows = get_u32(df, "attraction_rows", r)?;
        }
        county.add(&fig);
        fig.finish(tp);
        units.push(UnitFigures {
            unit: i,
            name: u.name.clone(),
            kind: u.kind,
            leader: u.leader.clone(),
            submitted: submitted[i],
            fig,
        });
    }
    county.finish(tp);
    Ok(Metrics {
        period,
        period_end: end,
        time_progress: tp,
        timing,
        frames,
        units,
        county,
        plan: row_figures::plan_rates(&rows[0], tp),
        quantity_rate: row_figures::quantity_rates(&rows[1]),
        attraction_signed: row_figures::signed(&rows[2]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn due_overdue_and_countdown() {
        let end = d(5, 31);
        // Planned on the period end, not done: due, 0 days overdue.
        assert_eq!(timing(Some(end), None, end), (true, true, Some(0), None));
        // Planned after the end: not due, countdown.
        assert_eq!(
            timing(Some(d(6, 30)), None, end),
            (false, false, None, Some(30))
        );
        // Due and done: not overdue.
        assert_eq!(
            timing(Some(d(4, 1)), Some(d(4, 5)), end),
            (true, false, None, None)
        );
        assert_eq!(
            timing(Some(d(4, 30)), None, end),
            (true, true, Some(31), None)
        );
        assert_eq!(timing(None, None, end), (false, false, None, None));
    }
}
