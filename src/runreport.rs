//! The run report (docs/forms.md §8): `调度通报_<YYYY-MM>.json` beside the workbook,
//! the period's results for other systems (a city or provincial platform, an
//! audit). Amounts in 万元 (rounded to 4 decimals, i.e. to the yuan), rates as
//! fractions, dates ISO, null where a value does not apply. Its JSON Schema is
//! `docs/run-report.schema.json`; the README describes it.
//!
//! Every figure comes from the same values the workbook writes (`Metrics`,
//! the flags, the scores), never recomputed here.

use crate::assess::{Assessment, Mom};
use crate::batch::Batch;
use crate::config::Config;
use crate::flags::{count_levels, Flag};
use crate::forms::{FieldType, TableKind};
use crate::merge::{FileEntry, MergedRow};
use crate::metrics::{round4, Figures, Metrics, PlanRate, Timing};
use crate::model::Value;
use crate::provenance::Provenance;
use crate::rank::{self, Score};
use crate::report::{stage, Error, Staged};
use crate::roster::UnitKind;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value as Json};
use std::io::Write;
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

/// The figures shared by the county and each unit (docs/forms.md §8), in order.
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
    put("no_planned_start", json!(f.no_planned_start));
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
    o.insert("attraction_signed".into(), json!(m.attraction_signed));
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
struct ValueOut<'a>(FieldType, &'a Value);

impl Serialize for ValueOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            Value::Null => s.serialize_none(),
            Value::Text(t) => s.serialize_str(t),
            Value::Num(n) if self.0 == FieldType::Amount => s.serialize_f64(round4(*n)),
            Value::Num(n) => s.serialize_f64(*n),
            Value::Date(d) => match iso_date(*d) {
                Some(b) => s.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
                None => s.collect_str(d),
            },
        }
    }
}

/// A date as ISO `YYYY-MM-DD` without the formatting machinery (one per
/// date field of every merged row); none outside years 0–9999.
fn iso_date(d: chrono::NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let (y, m, day) = (u32::try_from(d.year()).ok()?, d.month(), d.day());
    if y > 9999 {
        return None;
    }
    let digit = |v: u32| b'0' + (v % 10) as u8;
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

/// One merged row: its section-2 keys, the roster name of the unit it counts
/// for under `unit` (the field as submitted when the row counts for no
/// roster unit), every place it was read from, and for projects and
/// milestones its timing and its rate (a project's against its annual plan,
/// a milestone's quantity done).
struct RowOut<'a> {
    batch: &'a Batch,
    table: TableKind,
    row: &'a MergedRow,
    timing: Option<&'a Timing>,
    rate: RowRate<'a>,
}

/// The rate of a merged row the run report gives beside its timing.
#[derive(Clone, Copy)]
enum RowRate<'a> {
    None,
    Plan(&'a PlanRate),
    Quantity(Option<f64>),
}

impl Serialize for RowOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rec = &self.row.rec;
        let mut o = s.serialize_map(None)?;
        let mut unit_field = None;
        // The keys of the handed-out form (§8); a milestone also names its
        // project (a table without 项目编号 finds it by name, §9.3).
        let fields = self.table.fields();
        let extra = match self.table {
            TableKind::Milestones => fields.len(),
            _ => self.table.form_fields().len(),
        };
        let unit_at = self.table.unit_field().map(crate::forms::Field::index);
        for (i, (spec, v)) in fields[..extra].iter().zip(&rec.values).enumerate() {
            if Some(i) == unit_at {
                unit_field = Some(ValueOut(spec.ty, v));
            } else {
                o.serialize_entry(spec.key, &ValueOut(spec.ty, v))?;
            }
        }
        if self.table == TableKind::Projects {
            o.serialize_entry("key", &rec.project_key())?;
        }
        match rec.unit {
            Some(u) => o.serialize_entry("unit", &self.batch.roster.units[u].name)?,
            None => o.serialize_entry("unit", &unit_field)?,
        }
        o.serialize_entry("sources", &self.row.sources)?;
        if let Some(tm) = self.timing {
            if self.table == TableKind::Projects {
                // 应开工 counts 新建/续建 projects only, as the county figure does.
                o.serialize_entry("due_to_start", &(tm.due && tm.counted))?;
                o.serialize_entry("started", &tm.started)?;
            }
            o.serialize_entry("days_overdue", &tm.days_overdue)?;
            o.serialize_entry("countdown_days", &tm.countdown_days)?;
            o.serialize_entry("status", tm.status)?;
        }
        match self.rate {
            RowRate::Plan(p) => {
                o.serialize_entry("plan_rate", &p.rate)?;
                o.serialize_entry("plan_gap_points", &p.gap_points)?;
            }
            RowRate::Quantity(q) => o.serialize_entry("quantity_rate", &q)?,
            RowRate::None => {}
        }
        o.end()
    }
}

/// The merged rows of one table, streamed one by one.
struct RowsOut<'a> {
    batch: &'a Batch,
    table: TableKind,
    timing: Option<&'a [Timing]>,
    m: &'a Metrics,
}

impl Serialize for RowsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rows = &self.batch.merged.rows[self.table as usize];
        let mut seq = s.serialize_seq(Some(rows.len()))?;
        for (i, row) in rows.iter().enumerate() {
            seq.serialize_element(&RowOut {
                batch: self.batch,
                table: self.table,
                row,
                timing: self.timing.and_then(|t| t.get(i)),
                rate: match self.table {
                    TableKind::Projects => self.m.plan.get(i).map_or(RowRate::None, RowRate::Plan),
                    TableKind::Milestones => self
                        .m
                        .quantity_rate
                        .get(i)
                        .map_or(RowRate::None, |q| RowRate::Quantity(*q)),
                    TableKind::Attraction => RowRate::None,
                },
            })?;
        }
        seq.end()
    }
}

/// The run report of docs/forms.md §8 plus its `run` section (provenance). It is
/// serialised straight to its writer: the merged rows (hundreds of thousands
/// at a province's scale) are never held as a JSON tree.
pub struct Report<'a> {
    batch: &'a Batch,
    m: &'a Metrics,
    flags: &'a [Flag],
    scores: &'a [Score],
    mom: Option<&'a [Mom]>,
    prov: &'a Provenance,
}

impl<'a> Serialize for Report<'a> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (b, m) = (self.batch, self.m);
        let mut o = s.serialize_map(None)?;
        o.serialize_entry("period", &m.period.to_string())?;
        o.serialize_entry("period_end", &m.period_end.to_string())?;
        o.serialize_entry("time_progress", &m.time_progress)?;
        o.serialize_entry("county", &county(m, self.flags))?;
        o.serialize_entry("units", &units(m, self.flags, self.scores, self.mom))?;
        o.serialize_entry("ranking", &ranking(m, self.scores))?;
        o.serialize_entry("rows", &rows(b))?;
        let files: Vec<Json> = b.merged.files.iter().map(|f| file(b, f)).collect();
        o.serialize_entry("files", &files)?;
        o.serialize_entry("flags", self.flags)?;
        o.serialize_entry("findings", b.findings())?;
        let table = |t: TableKind, timing: Option<&'a [Timing]>| RowsOut {
            batch: b,
            table: t,
            timing,
            m,
        };
        let mut merged = std::collections::BTreeMap::new();
        merged.insert("projects", table(TableKind::Projects, Some(&m.timing[0])));
        merged.insert(
            "milestones",
            table(TableKind::Milestones, Some(&m.timing[1])),
        );
        merged.insert("attraction", table(TableKind::Attraction, None));
        o.serialize_entry("merged", &merged)?;
        o.serialize_entry("run", self.prov)?;
        o.end()
    }
}

/// The run report with the prev_/change fields of the units from the scores
/// (ranks), null for ytd_done; `from_assessment` fills them from the history.
pub fn report<'a>(
    batch: &'a Batch,
    m: &'a Metrics,
    flags: &'a [Flag],
    scores: &'a [Score],
    prov: &'a Provenance,
) -> Report<'a> {
    Report {
        batch,
        m,
        flags,
        scores,
        mom: None,
        prov,
    }
}

/// The run report of an assessed batch, month-over-month fields included;
/// the provenance is the batch's own.
pub fn of_assessment<'a>(batch: &'a Batch, a: &'a Assessment) -> Report<'a> {
    Report {
        batch,
        m: &a.metrics,
        flags: &a.flags,
        scores: &a.scores,
        mom: Some(&a.mom),
        prov: &batch.provenance,
    }
}

/// The run report as a JSON tree (tests, small batches): the same
/// serialisation the file gets.
pub fn run_report(
    batch: &Batch,
    m: &Metrics,
    flags: &[Flag],
    scores: &[Score],
    prov: &Provenance,
) -> Json {
    to_tree(&report(batch, m, flags, scores, prov))
}

/// The run report of an assessed batch as a JSON tree.
pub fn from_assessment(batch: &Batch, a: &Assessment) -> Json {
    to_tree(&of_assessment(batch, a))
}

fn to_tree(r: &Report) -> Json {
    // Serialising our own records to a tree cannot fail (string keys only).
    serde_json::to_value(r).unwrap_or(Json::Null)
}

/// The report's layout: indented like `serde_json`'s pretty printer down to
/// the lists (the sections, their keys, the lists of the sections), and one
/// line per element of a list (a unit, a flag, a finding, a merged row):
/// readable, and about a third smaller and faster to write than indenting
/// every key of every row.
#[derive(Default)]
struct Lines {
    /// Per open object or array: is it indented, has it had a value yet.
    open: Vec<(bool, bool)>,
}

impl Lines {
    fn begin<W: ?Sized + Write>(&mut self, w: &mut W, array: bool) -> std::io::Result<()> {
        let depth = self.open.len() + 1;
        let parent_indented = self.open.last().is_none_or(|o| o.0);
        let indented = depth <= 2 || (array && depth == 3 && parent_indented);
        self.open.push((indented, false));
        w.write_all(if array { b"[" } else { b"{" })
    }

    fn end<W: ?Sized + Write>(&mut self, w: &mut W, array: bool) -> std::io::Result<()> {
        if let Some((true, true)) = self.open.pop() {
            self.newline(w)?;
        }
        w.write_all(if array { b"]" } else { b"}" })
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.open.len() {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if let Some(&(true, _)) = self.open.last() {
            self.newline(w)?;
        }
        Ok(())
    }

    fn had_value(&mut self) {
        if let Some(o) = self.open.last_mut() {
            o.1 = true;
        }
    }
}

impl serde_json::ser::Formatter for Lines {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, true)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, true)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.had_value();
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, false)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, false)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        match self.open.last() {
            Some((true, _)) => w.write_all(b": "),
            _ => w.write_all(b":"),
        }
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.had_value();
        Ok(())
    }
}

/// Write the report to `path` whole or not at all (a temporary file beside
/// it, then a rename); an existing file is kept unless `force`. The report
/// is serialised straight into the file, pretty-printed.
pub fn write_json(path: &Path, report: &Report, force: bool) -> Result<(), Error> {
    stage_json(path, report, force)?.commit()
}

/// [`write_json`] up to the rename: the report in a temporary file beside
/// `path`, to be committed.
pub fn stage_json(path: &Path, report: &Report, force: bool) -> Result<Staged, Error> {
    stage(path, force, &mut |w| {
        // A buffer of a concrete type in front of the file's: the serializer
        // writes a few bytes at a time, and each write is then inlined, not a
        // call through `dyn Write`.
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        let mut ser = serde_json::Serializer::with_formatter(&mut w, Lines::default());
        report
            .serialize(&mut ser)
            .map_err(|e| std::io::Error::other(format!("生成运行报告失败:{e}")))?;
        w.write_all(b"\n")?;
        w.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 5, 31),
            (1999, 12, 1),
            (205, 1, 9),
            (9999, 12, 31),
            (0, 1, 1),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let b = iso_date(date).unwrap();
            assert_eq!(std::str::from_utf8(&b).unwrap(), date.to_string());
        }
        let far = chrono::NaiveDate::from_ymd_opt(10000, 1, 1).unwrap();
        assert_eq!(iso_date(far), None);
        let bc = chrono::NaiveDate::from_ymd_opt(-1, 1, 1).unwrap();
        assert_eq!(iso_date(bc), None);
    }
}
