//! The run report (FORMS.md §8): `调度通报_<YYYY-MM>.json` beside the workbook,
//! the period's results for other systems (a city or provincial platform, an
//! audit). Amounts in 万元 (rounded to 4 decimals, i.e. to the yuan), rates as
//! fractions, dates ISO, null where a value does not apply. Its JSON Schema is
//! `docs/run-report.schema.json`; the README describes it.
//!
//! Every figure comes from the same values the workbook writes (`Metrics`,
//! the flags, the scores), never recomputed here.

use crate::assess::{Assessment, Mom};
use crate::config::Config;
use crate::flags::{count_levels, Flag};
use crate::forms::{FieldType, TableKind};
use crate::merge::{FileEntry, MergedRow};
use crate::metrics::{round4, Figures, Metrics, Timing};
use crate::model::Value;
use crate::pipeline::Batch;
use crate::provenance::Provenance;
use crate::rank::{self, Score};
use crate::report::{write_atomic, WriteError};
use crate::roster::UnitKind;
use serde_json::{json, Map, Value as Json};
use std::path::{Path, PathBuf};

/// The report's file name for a period: `调度通报_<YYYY-MM>.json`.
pub fn output_name(period: crate::config::Period) -> String {
    format!("调度通报_{period}.json")
}

/// Where the run report of `config.period` goes (beside the workbook).
pub fn json_path(config: &Config) -> PathBuf {
    config.out.join(output_name(config.period))
}

/// An amount in 万元, rounded to the yuan.
fn wan(x: f64) -> Json {
    json!(round4(x))
}

fn opt<T: serde::Serialize>(v: Option<T>) -> Json {
    v.map_or(Json::Null, |x| json!(x))
}

fn levels(n: [u32; 4]) -> Json {
    json!({"veto": n[0], "accountability": n[1], "red": n[2], "yellow": n[3]})
}

/// The figures shared by the county and each unit (FORMS.md §8), in order.
fn figures(f: &Figures, out: &mut Map<String, Json>) {
    let mut put = |k: &str, v: Json| {
        out.insert(k.to_string(), v);
    };
    put("invest_target", wan(f.invest_target));
    put("ytd_done", wan(f.ytd_done));
    put("month_done", wan(f.month_done));
    put("completion_rate", opt(f.completion_rate));
    put("gap_points", opt(f.gap_points));
    put("attract_target", wan(f.attract_target));
    put("ytd_funds", wan(f.ytd_funds));
    put("month_funds", wan(f.month_funds));
    put("attraction_rate", opt(f.attraction_rate));
    put("projects", json!(f.projects));
    put(
        "projects_by_category",
        json!({
            "新建": f.projects_by_category.new,
            "续建": f.projects_by_category.cont,
            "前期": f.projects_by_category.prelim,
        }),
    );
    put("projects_new_cont", json!(f.projects_new_cont));
    put("started", json!(f.started));
    put("start_rate", opt(f.start_rate));
    put("due_to_start", json!(f.due_to_start));
    put("overdue_not_started", json!(f.overdue_not_started));
    put("milestones", json!(f.milestones));
    put("milestones_overdue", json!(f.milestones_overdue));
    put("attraction_rows", json!(f.attraction_rows));
}

fn county(m: &Metrics, flags: &[Flag]) -> Json {
    let mut o = Map::new();
    o.insert("units".into(), json!(m.units.len()));
    o.insert("units_submitted".into(), json!(m.units_submitted()));
    o.insert("units_missing".into(), json!(m.units_missing()));
    figures(&m.county, &mut o);
    o.insert("flags_by_level".into(), levels(count_levels(flags, None)));
    Json::Object(o)
}

fn units(m: &Metrics, flags: &[Flag], scores: &[Score], mom: Option<&[Mom]>) -> Json {
    let list = m
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut o = Map::new();
            o.insert("unit".into(), json!(u.name));
            o.insert("unit_kind".into(), json!(u.kind.cn()));
            o.insert("leader".into(), opt(u.leader.as_deref()));
            o.insert("submitted".into(), json!(u.submitted));
            figures(&u.fig, &mut o);
            o.insert("flag_counts".into(), levels(count_levels(flags, Some(i))));
            let s = scores.iter().find(|s| s.unit == i);
            let mo = mom.and_then(|v| v.get(i));
            let mut put = |k: &str, v: Json| {
                o.insert(k.to_string(), v);
            };
            put("deductions", opt(s.map(|s| round4(s.deductions))));
            put("score", opt(s.map(|s| s.score)));
            put("rank_kind", opt(s.map(|s| s.rank_kind)));
            put("rank_all", opt(s.map(|s| s.rank_all)));
            put("prev_rank_kind", opt(s.and_then(|s| s.prev_rank_kind)));
            put("prev_rank_all", opt(s.and_then(|s| s.prev_rank_all)));
            put("rank_change_kind", opt(s.and_then(|s| s.rank_change_kind)));
            put("rank_change_all", opt(s.and_then(|s| s.rank_change_all)));
            put(
                "prev_ytd_done",
                opt(mo.and_then(|x| x.prev_ytd_done).map(round4)),
            );
            put(
                "ytd_done_change",
                opt(mo.and_then(|x| x.ytd_done_change).map(round4)),
            );
            Json::Object(o)
        })
        .collect();
    Json::Array(list)
}

fn ranking(m: &Metrics, scores: &[Score]) -> Json {
    let list = |kind: Option<UnitKind>| -> Json {
        rank::order(scores, m, kind)
            .into_iter()
            .map(|u| {
                let s = &scores[u];
                json!({
                    "rank": if kind.is_some() { s.rank_kind } else { s.rank_all },
                    "unit": m.units[u].name,
                    "score": s.score,
                })
            })
            .collect()
    };
    json!({
        "乡镇": list(Some(UnitKind::Township)),
        "部门": list(Some(UnitKind::Department)),
        "全部": list(None),
    })
}

fn rows(batch: &Batch) -> Json {
    let mut o = Map::new();
    for t in TableKind::ALL {
        o.insert(t.key().into(), json!(batch.counts(t)));
    }
    Json::Object(o)
}

fn file(batch: &Batch, f: &FileEntry) -> Json {
    json!({
        "file": f.name,
        "unit": f.unit.map(|u| batch.roster.units[u].name.as_str()),
        "unit_from": f.unit_from,
        "report_date": f.report_date.map(|d| d.to_string()),
        "status": f.status,
        "superseded_by": f.superseded_by,
        "reason": f.reason,
    })
}

/// A parsed value as JSON: text, a number (amounts in 万元, to the yuan), an
/// ISO date, or null.
fn value(ty: FieldType, v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Text(s) => json!(s),
        Value::Num(n) if ty == FieldType::Amount => wan(*n),
        Value::Num(n) => json!(n),
        Value::Date(d) => json!(d.to_string()),
    }
}

/// A merged row: its section-2 keys, the roster name of the unit it counts for
/// under `unit`, and every place it was read from.
fn merged_row(batch: &Batch, t: TableKind, r: &MergedRow) -> Map<String, Json> {
    let mut o = Map::new();
    for (spec, v) in t.fields().iter().zip(&r.rec.values) {
        o.insert(spec.key.into(), value(spec.ty, v));
    }
    if let Some(u) = r.rec.unit {
        o.insert("unit".into(), json!(batch.roster.units[u].name));
    } else {
        o.entry("unit").or_insert(Json::Null);
    }
    o.insert("sources".into(), json!(r.sources));
    o
}

fn merged(batch: &Batch, m: &Metrics) -> Json {
    let rows = &batch.merged.rows;
    let with_timing = |t: TableKind, timing: &[Timing], project: bool| -> Json {
        rows[t as usize]
            .iter()
            .zip(timing)
            .map(|(r, tm)| {
                let mut o = merged_row(batch, t, r);
                if project {
                    // 应开工 counts 新建/续建 projects only, as the county figure does.
                    o.insert("due_to_start".into(), json!(tm.due && tm.counted));
                    o.insert("started".into(), json!(tm.started));
                }
                o.insert("days_overdue".into(), opt(tm.days_overdue));
                o.insert("countdown_days".into(), opt(tm.countdown_days));
                o.insert("status".into(), json!(tm.status));
                Json::Object(o)
            })
            .collect()
    };
    let attraction: Vec<Json> = rows[TableKind::Attraction as usize]
        .iter()
        .map(|r| Json::Object(merged_row(batch, TableKind::Attraction, r)))
        .collect();
    json!({
        "projects": with_timing(TableKind::Projects, &m.timing[0], true),
        "milestones": with_timing(TableKind::Milestones, &m.timing[1], false),
        "attraction": attraction,
    })
}

/// The run report of FORMS.md §8 plus its `run` section (provenance). The
/// prev_/change fields of the units come from the scores (ranks) and are null
/// for ytd_done; use `from_assessment` to fill them from the history.
pub fn run_report(
    batch: &Batch,
    m: &Metrics,
    flags: &[Flag],
    scores: &[Score],
    prov: &Provenance,
) -> Json {
    build(batch, m, flags, scores, None, prov)
}

/// The run report of an assessed batch, month-over-month fields included;
/// the provenance is the batch's own.
pub fn from_assessment(batch: &Batch, a: &Assessment) -> Json {
    build(
        batch,
        &a.metrics,
        &a.flags,
        &a.scores,
        Some(&a.mom),
        &batch.provenance,
    )
}

fn build(
    batch: &Batch,
    m: &Metrics,
    flags: &[Flag],
    scores: &[Score],
    mom: Option<&[Mom]>,
    prov: &Provenance,
) -> Json {
    json!({
        "period": m.period.to_string(),
        "period_end": m.period_end.to_string(),
        "time_progress": m.time_progress,
        "county": county(m, flags),
        "units": units(m, flags, scores, mom),
        "ranking": ranking(m, scores),
        "rows": rows(batch),
        "files": batch.merged.files.iter().map(|f| file(batch, f)).collect::<Vec<_>>(),
        "flags": flags,
        "findings": batch.findings(),
        "merged": merged(batch, m),
        "run": prov,
    })
}

/// Write the report to `path` whole or not at all (a temporary file beside
/// it, then a rename); an existing file is kept unless `force`.
pub fn write_json(path: &Path, report: &Json, force: bool) -> Result<(), WriteError> {
    let mut text = serde_json::to_string_pretty(report)
        .map_err(|e| WriteError(format!("生成运行报告失败:{e}")))?;
    text.push('\n');
    write_atomic(path, text.as_bytes(), force)
}
