//! History: each run stores its period's merged tables, unit figures, ranks and
//! flags as Parquet under the work folder's `history/<YYYY-MM>/`, and later
//! months read them back for month-over-month figures, rank changes, F06 and
//! F08's decrease check, and the quarter and year views.
//!
//! A month's folder is written whole or not at all (a temporary folder, then a
//! rename); re-running a month replaces only that month's folder. A history
//! that is missing, unreadable or from another roster is a warning, and the
//! run goes on without it.

use crate::config::Period;
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

/// One row to carry into a form: values keyed by the `forms.rs` field keys of
/// its table (`project_id`, `category`, `planned_start`, …). Keys the table
/// does not have, and the fields of `FRESH_EACH_MONTH`, are ignored; a missing
/// key or `Value::Null` is a blank cell. Amounts in 万元, dates as `Value::Date`.
pub type PrefillRow = std::collections::BTreeMap<String, crate::model::Value>;

/// A unit's rows from the latest history, one list per table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrefillData {
    /// Key projects the unit is responsible for (docs/forms.md §7.8).
    pub projects: Vec<PrefillRow>,
    /// Milestones of those projects.
    pub milestones: Vec<PrefillRow>,
    /// Attraction rows counted for the unit.
    pub attraction: Vec<PrefillRow>,
}

impl PrefillData {
    pub fn rows(&self, table: crate::forms::TableKind) -> &[PrefillRow] {
        match table {
            crate::forms::TableKind::Projects => &self.projects,
            crate::forms::TableKind::Milestones => &self.milestones,
            crate::forms::TableKind::Attraction => &self.attraction,
        }
    }

    pub fn is_empty(&self) -> bool {
        crate::forms::TableKind::ALL
            .iter()
            .all(|t| self.rows(*t).is_empty())
    }
}

/// What the history gives all the forms of one period.
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    /// The month the rows come from; `None` when there is no history.
    pub from: Option<Period>,
    /// Per unit, by its roster name.
    pub units: std::collections::BTreeMap<String, PrefillData>,
}

pub fn month_dir(history: &Path, p: Period) -> PathBuf {
    history.join(p.to_string())
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
pub fn load(history: &Path, p: Period) -> Result<Month, crate::error::Error> {
    load_month(history, p).map_err(crate::error::Error::History)
}

fn load_month(history: &Path, p: Period) -> Result<Month, String> {
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
fn row_values(df: &DataFrame, table: crate::forms::TableKind, i: usize) -> PrefillRow {
    use crate::model::Value;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    let mut row = PrefillRow::new();
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
/// unit they count for (docs/forms.md §7.8). An unreadable history gives blank
/// forms and a warning.
pub fn prefill(history: &Path, period: Period) -> (Prefill, Option<String>) {
    use crate::forms::TableKind;
    let mut out = Prefill::default();
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
                    Prefill::default(),
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
