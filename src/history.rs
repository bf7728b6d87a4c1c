//! History: each run stores its period's merged tables, unit figures, ranks and
//! flags as Parquet under the work folder's `history/<YYYY-MM>/`, and later
//! months read them back for month-over-month figures, rank changes, F06 and
//! F08's decrease check, and the quarter and year views.
//!
//! A month's folder is written whole or not at all (a temporary folder, then a
//! rename); re-running a month replaces only that month's folder. A history
//! that is missing, unreadable or from another roster is a warning, and the
//! run goes on without it.

use crate::assess::Assessment;
use crate::config::Period;
use crate::pipeline::Batch;
use crate::roster::Roster;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files of one month's folder.
pub mod file {
    pub const META: &str = "meta.json";
    pub const UNITS: &str = "units.parquet";
    pub const FLAGS: &str = "flags.parquet";
    pub const PROJECTS: &str = "projects.parquet";
    pub const MILESTONES: &str = "milestones.parquet";
    pub const ATTRACTION: &str = "attraction.parquet";
}

/// What a month's folder says about itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub period: String,
    pub diaodu_version: String,
    /// The roster's unit names, in roster order.
    pub units: Vec<String>,
    /// County figures of the month.
    pub county_ytd_done: f64,
    pub county_month_done: f64,
    pub county_invest_target: f64,
    pub county_ytd_funds: f64,
    pub county_month_funds: f64,
}

/// One unit's line of a past month.
#[derive(Debug, Clone, PartialEq)]
pub struct PastUnit {
    pub ytd_done: f64,
    pub month_done: f64,
    pub ytd_funds: f64,
    pub score: f64,
    pub rank_kind: u32,
    pub rank_all: u32,
    pub red: u32,
}

/// A past month as read back.
#[derive(Debug, Clone)]
pub struct Month {
    pub period: Period,
    pub meta: Meta,
    pub units: HashMap<String, PastUnit>,
    /// 项目编号 → 累计完成投资.
    pub project_ytd: HashMap<String, f64>,
    /// (引资单位, 项目名称) → 累计到位资金.
    pub attraction_ytd: HashMap<(String, String), f64>,
}

/// What the history holds for the period being run.
#[derive(Debug, Clone, Default)]
pub struct Prior {
    /// Earlier months of the same year, oldest first (only those readable).
    pub months: Vec<Month>,
    /// Problems with the history, one line each, for the findings.
    pub warnings: Vec<String>,
    /// Remarks that are no problem (the first month ever summarised), for
    /// the findings as information.
    pub notes: Vec<String>,
}

impl Prior {
    /// The month just before `p`, if the history has it.
    pub fn previous(&self, p: Period) -> Option<&Month> {
        let prev = p.prev();
        self.months.iter().find(|m| m.period == prev)
    }

    pub fn month(&self, p: Period) -> Option<&Month> {
        self.months.iter().find(|m| m.period == p)
    }
}

pub fn month_dir(history: &Path, p: Period) -> PathBuf {
    history.join(p.to_string())
}

fn unit_frame(batch: &Batch, a: &Assessment) -> PolarsResult<DataFrame> {
    let m = &a.metrics;
    let units = &m.units;
    let f =
        |g: &dyn Fn(&crate::metrics::UnitFigures) -> f64| units.iter().map(g).collect::<Vec<f64>>();
    let levels: Vec<[u32; 4]> = units.iter().map(|u| a.levels[u.unit]).collect();
    let _ = batch;
    DataFrame::new(
        units.len(),
        vec![
            Column::new(
                "unit".into(),
                units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "unit_kind".into(),
                units.iter().map(|u| u.kind.cn()).collect::<Vec<_>>(),
            ),
            Column::new(
                "submitted".into(),
                units.iter().map(|u| u.submitted).collect::<Vec<_>>(),
            ),
            Column::new("invest_target".into(), f(&|u| u.fig.invest_target)),
            Column::new("ytd_done".into(), f(&|u| u.fig.ytd_done)),
            Column::new("month_done".into(), f(&|u| u.fig.month_done)),
            Column::new("attract_target".into(), f(&|u| u.fig.attract_target)),
            Column::new("ytd_funds".into(), f(&|u| u.fig.ytd_funds)),
            Column::new("month_funds".into(), f(&|u| u.fig.month_funds)),
            Column::new(
                "completion_rate".into(),
                units
                    .iter()
                    .map(|u| u.fig.completion_rate)
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "start_rate".into(),
                units.iter().map(|u| u.fig.start_rate).collect::<Vec<_>>(),
            ),
            Column::new(
                "score".into(),
                a.scores.iter().map(|s| s.score).collect::<Vec<_>>(),
            ),
            Column::new(
                "deductions".into(),
                a.scores.iter().map(|s| s.deductions).collect::<Vec<_>>(),
            ),
            Column::new(
                "rank_kind".into(),
                a.scores.iter().map(|s| s.rank_kind).collect::<Vec<_>>(),
            ),
            Column::new(
                "rank_all".into(),
                a.scores.iter().map(|s| s.rank_all).collect::<Vec<_>>(),
            ),
            Column::new(
                "red".into(),
                levels.iter().map(|l| l[2]).collect::<Vec<_>>(),
            ),
            Column::new(
                "yellow".into(),
                levels.iter().map(|l| l[3]).collect::<Vec<_>>(),
            ),
            Column::new(
                "accountability".into(),
                levels.iter().map(|l| l[1]).collect::<Vec<_>>(),
            ),
            Column::new(
                "veto".into(),
                levels.iter().map(|l| l[0]).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn flag_frame(a: &Assessment) -> PolarsResult<DataFrame> {
    let fl = &a.flags;
    DataFrame::new(
        fl.len(),
        vec![
            Column::new("code".into(), fl.iter().map(|f| f.code).collect::<Vec<_>>()),
            Column::new(
                "unit".into(),
                fl.iter().map(|f| f.unit.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "project_id".into(),
                fl.iter()
                    .map(|f| f.project_id.as_deref())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "level".into(),
                fl.iter().map(|f| f.level.key()).collect::<Vec<_>>(),
            ),
            Column::new(
                "subject".into(),
                fl.iter().map(|f| f.subject.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "detail".into(),
                fl.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// Rows of a month's table written to its Parquet file at a time.
const ROW_GROUP: usize = 65_536;

/// Parquet files are made in memory (megabytes even at a province's scale)
/// and written with one call: polars writes a file in thousands of small
/// pieces (14,000 write calls for a county's month), and a buffered file
/// would only report a failed last write by losing it.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}:{e}", path.display()))
}

fn write_parquet(path: &Path, mut df: DataFrame) -> Result<(), String> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(&mut df)
        .map_err(|e| format!("{}:{e}", path.display()))?;
    write_file(path, &bytes)
}

/// Finish or undo a swap a killed run left half done: a `.<YYYY-MM>-old`
/// folder whose month is missing goes back in place; one whose month is there
/// is removed, as are temporary folders.
pub fn recover(history: &Path) {
    let Ok(entries) = std::fs::read_dir(history) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix('.') else {
            continue;
        };
        if let Some(month) = rest.strip_suffix("-old") {
            let dest = history.join(month);
            if Period::parse(month).is_some() && !dest.exists() {
                let _ = std::fs::rename(e.path(), &dest);
            } else {
                let _ = std::fs::remove_dir_all(e.path());
            }
        } else if e.path().is_dir() && rest.len() > 7 && Period::parse(&rest[..7]).is_some() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Store the period: `history/<YYYY-MM>/` replaced whole, other months untouched.
pub fn save(history: &Path, batch: &Batch, a: &Assessment) -> Result<PathBuf, String> {
    stage(history, batch, a)?.commit()
}

/// A month written whole into a temporary folder in the history, not yet in
/// place: [`StagedMonth::commit`] swaps it in; dropped uncommitted, it is
/// removed.
pub struct StagedMonth {
    tmp: tempfile::TempDir,
    history: PathBuf,
    period: Period,
}

/// The first half of [`save`]: the month written into a temporary folder
/// beside its place, to be committed (so it can be written at the same time
/// as the workbook and put in place after it).
pub fn stage(history: &Path, batch: &Batch, a: &Assessment) -> Result<StagedMonth, String> {
    std::fs::create_dir_all(history)
        .map_err(|e| format!("无法创建历史数据文件夹 {}:{e}", history.display()))?;
    recover(history);
    let period = batch.config.period;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{period}-"))
        .tempdir_in(history)
        .map_err(|e| format!("无法写入历史数据文件夹 {}:{e}", history.display()))?;
    let c = &a.metrics.county;
    let meta = Meta {
        period: period.to_string(),
        diaodu_version: env!("CARGO_PKG_VERSION").to_string(),
        units: batch.roster.units.iter().map(|u| u.name.clone()).collect(),
        county_ytd_done: c.ytd_done,
        county_month_done: c.month_done,
        county_invest_target: c.invest_target,
        county_ytd_funds: c.ytd_funds,
        county_month_funds: c.month_funds,
    };
    let meta_text = serde_json::to_string_pretty(&meta).map_err(|e| e.to_string())?;
    std::fs::write(tmp.path().join(file::META), meta_text).map_err(|e| e.to_string())?;
    let err = |e: PolarsError| e.to_string();
    write_parquet(
        &tmp.path().join(file::UNITS),
        unit_frame(batch, a).map_err(err)?,
    )?;
    write_parquet(&tmp.path().join(file::FLAGS), flag_frame(a).map_err(err)?)?;
    // The tables whole (every field and source); built and written a slice
    // of rows at a time (one row group each), so that at a province's scale
    // no whole table is held a second time as a frame.
    for (t, name) in [
        (crate::TableKind::Projects, file::PROJECTS),
        (crate::TableKind::Milestones, file::MILESTONES),
        (crate::TableKind::Attraction, file::ATTRACTION),
    ] {
        let rows = &batch.merged.rows[t as usize];
        let timing = &a.metrics.timing[t as usize];
        let part = |range: std::ops::Range<usize>| -> PolarsResult<DataFrame> {
            let df = crate::merge::frame(t, &rows[range.clone()], &batch.roster)?;
            if t == crate::TableKind::Attraction {
                Ok(df)
            } else {
                crate::metrics::with_timing(&df, &timing[range])
            }
        };
        let path = tmp.path().join(name);
        let at = |e: PolarsError| format!("{}:{e}", path.display());
        let first = part(0..rows.len().min(ROW_GROUP)).map_err(err)?;
        let mut bytes = Vec::new();
        let mut w = ParquetWriter::new(&mut bytes)
            .batched(first.schema())
            .map_err(at)?;
        w.write_batch(&first).map_err(at)?;
        drop(first);
        for start in (ROW_GROUP..rows.len()).step_by(ROW_GROUP) {
            let df = part(start..rows.len().min(start + ROW_GROUP)).map_err(err)?;
            w.write_batch(&df).map_err(at)?;
        }
        w.finish().map_err(at)?;
        drop(w);
        write_file(&path, &bytes)?;
    }
    Ok(StagedMonth {
        tmp,
        history: history.to_path_buf(),
        period,
    })
}

impl StagedMonth {
    /// Put the month in place of the one the history may hold; returns its folder.
    pub fn commit(self) -> Result<PathBuf, String> {
        let (history, period) = (self.history.as_path(), self.period);
        let dest = month_dir(history, period);
        let tmp_path = self.tmp.keep();
        // Swap: the old folder aside, the new one in, the old one removed.
        let old = history.join(format!(".{period}-old"));
        let _ = std::fs::remove_dir_all(&old);
        if dest.exists() {
            std::fs::rename(&dest, &old).map_err(|e| format!("无法替换 {}:{e}", dest.display()))?;
        }
        std::fs::rename(&tmp_path, &dest).map_err(|e| {
            let _ = std::fs::rename(&old, &dest);
            format!("无法保存 {}:{e}", dest.display())
        })?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(dest)
    }
}

fn read_parquet(path: &Path) -> Result<DataFrame, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}:{e}", path.display()))?;
    ParquetReader::new(f)
        .finish()
        .map_err(|e| format!("{}:{e}", path.display()))
}

fn str_col<'a>(df: &'a DataFrame, name: &str) -> Result<&'a StringChunked, String> {
    df.column(name)
        .and_then(|c| c.str())
        .map_err(|e| format!("{name}:{e}"))
}

fn f64_at(df: &DataFrame, name: &str, i: usize) -> Result<f64, String> {
    let c = df.column(name).map_err(|e| e.to_string())?;
    let c = c.cast(&DataType::Float64).map_err(|e| e.to_string())?;
    Ok(c.f64().map_err(|e| e.to_string())?.get(i).unwrap_or(0.0))
}

/// Read one month back.
pub fn load(history: &Path, p: Period) -> Result<Month, String> {
    let dir = month_dir(history, p);
    let meta: Meta = serde_json::from_str(
        &std::fs::read_to_string(dir.join(file::META))
            .map_err(|e| format!("{}:{e}", dir.join(file::META).display()))?,
    )
    .map_err(|e| format!("{}:{e}", dir.join(file::META).display()))?;
    let u = read_parquet(&dir.join(file::UNITS))?;
    let names = str_col(&u, "unit")?;
    let mut units = HashMap::new();
    for i in 0..u.height() {
        let Some(n) = names.get(i) else { continue };
        units.insert(
            n.to_string(),
            PastUnit {
                ytd_done: f64_at(&u, "ytd_done", i)?,
                month_done: f64_at(&u, "month_done", i)?,
                ytd_funds: f64_at(&u, "ytd_funds", i)?,
                score: f64_at(&u, "score", i)?,
                rank_kind: f64_at(&u, "rank_kind", i)? as u32,
                rank_all: f64_at(&u, "rank_all", i)? as u32,
                red: f64_at(&u, "red", i)? as u32,
            },
        );
    }
    let pj = read_parquet(&dir.join(file::PROJECTS))?;
    let ids = str_col(&pj, "project_id")?;
    let names = str_col(&pj, "project_name")?;
    let mut project_ytd = HashMap::new();
    for i in 0..pj.height() {
        // A project is followed by its 项目编号, else by its name (§9.3), as
        // `Record::project_key` writes it.
        let key = match (ids.get(i), names.get(i)) {
            (Some(id), _) => format!("id:{id}"),
            (None, Some(n)) => format!("name:{}", crate::ingest::text::name_key(n)),
            (None, None) => continue,
        };
        project_ytd.insert(key, f64_at(&pj, "ytd_done", i)?);
    }
    let at = read_parquet(&dir.join(file::ATTRACTION))?;
    let (aunits, anames) = (
        str_col(&at, crate::merge::col::UNIT)?,
        str_col(&at, "project_name")?,
    );
    let mut attraction_ytd = HashMap::new();
    for i in 0..at.height() {
        if let (Some(u), Some(n)) = (aunits.get(i), anames.get(i)) {
            attraction_ytd.insert((u.to_string(), n.to_string()), f64_at(&at, "ytd_funds", i)?);
        }
    }
    Ok(Month {
        period: p,
        meta,
        units,
        project_ytd,
        attraction_ytd,
    })
}

/// The earlier months of `period`'s year that the history holds, read back.
/// A month whose folder is missing is simply absent (the first month ever,
/// or a month not run); one that cannot be read, or that comes from another
/// roster (fewer than half of today's units in it), is a warning.
pub fn prior(history: &Path, period: Period, roster: &Roster) -> Prior {
    recover(history);
    let mut out = Prior::default();
    // A history with no month at all is a first use, not a missing month.
    let first_use = std::fs::read_dir(history).map_or(true, |entries| {
        !entries
            .filter_map(|e| e.ok())
            .any(|e| Period::parse(&e.file_name().to_string_lossy()).is_some() && e.path().is_dir())
    });
    if first_use && period.month > 1 {
        out.notes.push(format!(
            "history 文件夹中还没有任何月份的记录(首次汇总):本月不计算环比、名次变化和连续预警;本月结果已存入 history,下月起可以比较。如{}已汇总过,请把当时的 history 文件夹放回工作目录",
            period.prev().cn()
        ));
        return out;
    }
    for month in 1..period.month {
        let p = Period {
            year: period.year,
            month,
        };
        let dir = month_dir(history, p);
        if !dir.exists() {
            if month == period.month - 1 {
                out.warnings.push(format!(
                    "历史数据中没有上月({})的记录:本月不计算环比、名次变化和连续预警。如上月已汇总,请确认 history 文件夹完整",
                    p.cn()
                ));
            }
            continue;
        }
        match load(history, p) {
            Ok(m) => {
                let shared = roster
                    .units
                    .iter()
                    .filter(|u| m.meta.units.contains(&u.name))
                    .count();
                if shared * 2 < roster.units.len() {
                    out.warnings.push(format!(
                        "历史数据 {} 来自另一份单位名册(与本月名册只有 {} 个单位相同),已不使用",
                        dir.display(),
                        shared
                    ));
                } else {
                    out.months.push(m);
                }
            }
            Err(e) => out.warnings.push(format!(
                "历史数据 {} 无法读取({e}),已不使用:可删除该月文件夹后重新汇总该月",
                dir.display()
            )),
        }
    }
    out
}

/// The latest month in the history before `period`, if any.
pub fn latest_before(history: &Path, period: Period) -> Option<Period> {
    std::fs::read_dir(history)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join(file::META).exists())
        .filter_map(|e| Period::parse(&e.file_name().to_string_lossy()))
        .filter(|p| *p < period)
        .max()
}

/// One row of a stored frame as forms.rs field values.
fn row_values(
    df: &DataFrame,
    table: crate::forms::TableKind,
    i: usize,
) -> crate::template::PrefillRow {
    use crate::model::Value;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    let mut row = crate::template::PrefillRow::new();
    for f in table.fields() {
        let Ok(c) = df.column(f.key) else { continue };
        let v = match c.get(i) {
            Ok(AnyValue::String(s)) => Value::Text(s.to_string()),
            Ok(AnyValue::StringOwned(s)) => Value::Text(s.to_string()),
            Ok(AnyValue::Float64(x)) => Value::Num(x),
            Ok(AnyValue::Date(d)) => epoch
                .checked_add_signed(chrono::Duration::days(d as i64))
                .map_or(Value::Null, Value::Date),
            _ => Value::Null,
        };
        row.insert(f.key.to_string(), v);
    }
    row
}

/// What next month's forms carry from the latest month before `period`: each
/// unit's projects, their milestones and its attraction rows, grouped by the
/// unit they count for (FORMS.md §7.8). An unreadable history gives blank
/// forms and a warning.
pub fn prefill(history: &Path, period: Period) -> (crate::template::Prefill, Option<String>) {
    use crate::forms::TableKind;
    let mut out = crate::template::Prefill::default();
    let Some(from) = latest_before(history, period) else {
        return (out, None);
    };
    let dir = month_dir(history, from);
    for (table, name) in [
        (crate::TableKind::Projects, file::PROJECTS),
        (crate::TableKind::Milestones, file::MILESTONES),
        (crate::TableKind::Attraction, file::ATTRACTION),
    ] {
        let df = match read_parquet(&dir.join(name)) {
            Ok(df) => df,
            Err(e) => {
                return (
                    crate::template::Prefill::default(),
                    Some(format!(
                        "历史数据 {} 无法读取({e}),生成的是空白报表",
                        dir.display()
                    )),
                )
            }
        };
        let Ok(units) = str_col(&df, crate::merge::col::UNIT) else {
            continue;
        };
        for i in 0..df.height() {
            let Some(u) = units.get(i) else { continue };
            let data = out.units.entry(u.to_string()).or_default();
            let row = row_values(&df, table, i);
            match table {
                TableKind::Projects => data.projects.push(row),
                TableKind::Milestones => data.milestones.push(row),
                TableKind::Attraction => data.attraction.push(row),
            }
        }
    }
    out.from = Some(from);
    (out, None)
}
