//! Merging the period's submissions: who submitted what, supersession of a
//! corrected file, duplicates across units, milestones of unknown projects, the
//! row accounting, and the period DataFrames.

use crate::finding::{Code, Finding, Place, Severity};
use crate::forms::{milestone, project, Field, TableKind};
use crate::ingest::FileRead;
use crate::model::{Record, Source, Value};
use crate::roster::Roster;
use chrono::NaiveDate;
use serde::Serialize;
use std::time::SystemTime;

mod frames;
mod groups;
mod identify;

pub use frames::{col, frame, frame_of, Columns};
use groups::{candidates, first_of_key, rows_read, ProjectGroups};
pub use identify::{identify_units, supersede};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Merged,
    Superseded,
    Ignored,
    Unreadable,
}

impl FileStatus {
    pub fn cn(self) -> &'static str {
        match self {
            FileStatus::Merged => "已汇总",
            FileStatus::Superseded => "已被更正替代",
            FileStatus::Ignored => "已忽略",
            FileStatus::Unreadable => "无法读取",
        }
    }
}

pub(crate) use crate::util::FastMap;

/// How the submitting unit of a file was found (docs/forms.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitFrom {
    Note,
    Column,
    Filename,
}

impl UnitFrom {
    pub fn cn(self) -> &'static str {
        match self {
            UnitFrom::Note => "填报单位",
            UnitFrom::Column => "责任单位列",
            UnitFrom::Filename => "文件名",
        }
    }
}

/// Rows of one table: read = merged + rejected + superseded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub read: usize,
    pub merged: usize,
    pub rejected: usize,
    pub superseded: usize,
    /// Rows in the merged table (identical duplicates held once).
    pub output_rows: usize,
}

impl Counts {
    pub fn balanced(&self) -> bool {
        self.read == self.merged + self.rejected + self.superseded
    }
}

/// One file of the inbox and what became of it.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub name: String,
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub status: FileStatus,
    pub unit: Option<usize>,
    pub unit_from: Option<UnitFrom>,
    pub report_date: Option<NaiveDate>,
    pub superseded_by: Option<String>,
    pub reason: Option<String>,
    /// Per table (TableKind order).
    pub counts: [Counts; 3],
    /// A consolidated table (docs/forms.md §9.6): one file, many units; its
    /// `unit` is None and every row counts for its own 责任单位.
    pub consolidated: bool,
    /// The units its merged rows counted for (each of them has submitted
    /// through this file).
    pub units: Vec<usize>,
}

/// A file as the reader left it, before merging.
pub struct ReadFile {
    pub entry: FileEntry,
    pub read: Option<FileRead>,
}

/// A merged row with every place it was read from.
#[derive(Debug, Clone)]
pub struct MergedRow {
    pub rec: Record,
    pub sources: Vec<Source>,
}

/// The period's merged data.
pub struct Merged {
    pub files: Vec<FileEntry>,
    /// Per table (TableKind order).
    pub rows: [Vec<MergedRow>; 3],
    pub counts: [Counts; 3],
    pub findings: Vec<Finding>,
}

fn place(s: &Source, rec: &Record, key: Field) -> Place {
    Place {
        file: s.file.to_string(),
        sheet: s.sheet.to_string(),
        row: s.row,
        cell: rec.cell_ref(key),
    }
}

fn row_finding(rec: &Record, code: Code, key: Field, msg: String) -> Finding {
    let mut f = Finding::new(code, rec.src.file.to_string(), msg)
        .table(rec.table)
        .sheet(rec.src.sheet.to_string())
        .field(key)
        .value(rec.get(key).display());
    f.row = Some(rec.src.row);
    f.cell = rec.cell_ref(key);
    f
}

impl Merged {
    /// Which of the roster's `n` units submitted: those with a merged file of
    /// their own, and those a consolidated table's merged rows count for
    /// (docs/forms.md §9.6). The one place this is decided.
    pub fn submitted(&self, n: usize) -> Vec<bool> {
        let mut submitted = vec![false; n];
        for f in &self.files {
            if f.status == FileStatus::Merged {
                for u in f.unit.iter().chain(&f.units) {
                    if let Some(s) = submitted.get_mut(*u) {
                        *s = true;
                    }
                }
            }
        }
        submitted
    }
}

/// Merge the readable files' rows. `files` must have gone through
/// `identify_units` and `supersede`.
pub fn merge(mut files: Vec<ReadFile>, roster: &Roster, mut findings: Vec<Finding>) -> Merged {
    // Row findings of superseded files are not this period's problems.
    let superseded: std::collections::HashSet<String> = files
        .iter()
        .filter(|f| f.entry.status == FileStatus::Superseded)
        .map(|f| f.entry.name.clone())
        .collect();
    findings.retain(|f| {
        !(superseded.contains(&f.file)
            && f.code != Code::FileSuperseded
            && f.code != Code::FileSameDate)
    });

    let mut counts = [Counts::default(); 3];
    // First, in place: every row is counted as read; the rows of superseded and
    // unreadable files and the rows with errors are counted out. The others
    // (of a merged file, without error) are the candidates; they get the unit
    // they count for.
    let mut resolved: FastMap<String, Option<usize>> = FastMap::default();
    for f in files.iter_mut() {
        let status = f.entry.status;
        let submitter = f.entry.unit;
        let consolidated = f.entry.consolidated;
        let Some(read) = f.read.as_mut() else {
            continue;
        };
        for t in read.tables.iter_mut() {
            let ti = t.table as usize;
            for rec in t.records.iter_mut() {
                counts[ti].read += 1;
                f.entry.counts[ti].read += 1;
                match status {
                    FileStatus::Superseded => {
                        counts[ti].superseded += 1;
                        f.entry.counts[ti].superseded += 1;
                        continue;
                    }
                    FileStatus::Merged => {}
                    _ => {
                        counts[ti].rejected += 1;
                        f.entry.counts[ti].rejected += 1;
                        continue;
                    }
                }
                // The unit the row counts for (docs/forms.md §7.8); milestones later.
                // Each distinct name is resolved once (`resolve` cleans and converts it).
                if let Some(unit_field) = rec.table.unit_field() {
                    // A row without 责任单位 under a section row naming a
                    // roster unit counts for that unit (§9.5).
                    if rec.get(unit_field).is_null() {
                        if let Some(u) = rec.section_unit.as_deref().and_then(|n| roster.resolve(n))
                        {
                            rec.values[unit_field.index()] =
                                Value::Text(roster.units[u].name.clone());
                        }
                    }
                    let unit = rec.unit_written().map(|n| match resolved.get(n) {
                        Some(u) => *u,
                        None => {
                            let u = roster.resolve(n);
                            resolved.insert(n.to_string(), u);
                            u
                        }
                    });
                    match unit {
                        Some(Some(u)) => rec.unit = Some(u),
                        Some(None) => {
                            let n = rec.unit_written().unwrap_or_default().to_string();
                            let what = if rec.table == TableKind::Projects {
                                "责任单位"
                            } else {
                                "引资单位"
                            };
                            findings.push(row_finding(
                                rec,
                                Code::RowUnknownUnit,
                                unit_field,
                                format!("{what}\"{n}\"不在单位名册中:请填写名册中的单位全称,或在名册中添加别名"),
                            ));
                            rec.has_error = true;
                        }
                        None if consolidated => {
                            let what = if rec.table == TableKind::Projects {
                                "责任单位"
                            } else {
                                "引资单位"
                            };
                            findings.push(row_finding(
                                rec,
                                Code::RowUnknownUnit,
                                unit_field,
                                format!("{what}为空:本表汇总了多个单位,每一行都须填写{what}"),
                            ));
                            rec.has_error = true;
                        }
                        None => rec.unit = submitter,
                    }
                }
                if rec.has_error {
                    counts[ti].rejected += 1;
                    f.entry.counts[ti].rejected += 1;
                }
            }
        }
    }
    let mut file_index: FastMap<String, usize> = FastMap::default();
    for (i, f) in files.iter().enumerate() {
        file_index.insert(f.entry.name.clone(), i);
    }
    // The file a row was read from: the one of that name. With names unique (an
    // inbox's are), the file at the row's `file_idx` is it when the name matches,
    // which spares hashing the name for every row.
    let unique_names = file_index.len() == files.len();
    let file_of = |rec: &Record, files: &[ReadFile]| -> Option<usize> {
        let at = files.get(rec.file_idx);
        if unique_names && at.is_some_and(|f| *f.entry.name == *rec.src.file) {
            Some(rec.file_idx)
        } else {
            file_index.get(&*rec.src.file).copied()
        }
    };
    let reject = |rec: &Record, counts: &mut [Counts; 3], files: &mut [ReadFile]| {
        let ti = rec.table as usize;
        counts[ti].rejected += 1;
        if let Some(i) = file_of(rec, files) {
            files[i].entry.counts[ti].rejected += 1;
        }
    };
    let merged_count = |rec: &Record, counts: &mut [Counts; 3], files: &mut [ReadFile]| {
        let ti = rec.table as usize;
        counts[ti].merged += 1;
        if let Some(i) = file_of(rec, files) {
            files[i].entry.counts[ti].merged += 1;
        }
    };

    // Then, borrowing the candidates where they are: the group (项目编号) of
    // each project row, numbered in order of first appearance, and beside it
    // (on another thread) the first earlier milestone with the same project
    // and name of each milestone row.
    // Names are keys too when some project or milestone has no 项目编号.
    let names = candidates(&files, TableKind::Projects)
        .chain(candidates(&files, TableKind::Milestones))
        .any(|r| r.keyed_by_name());
    let (groups, first_of) = rayon::join(
        || {
            let n = rows_read(&files, TableKind::Projects);
            ProjectGroups::of(candidates(&files, TableKind::Projects), n, names)
        },
        || {
            let n = rows_read(&files, TableKind::Milestones);
            first_of_key(candidates(&files, TableKind::Milestones), n)
        },
    );
    let n_attraction = candidates(&files, TableKind::Attraction).count();
    // Milestones must belong to a merged project (read once, or only in
    // identical copies); they count for its unit. The unit of each milestone's
    // project (none when the project is not merged), and its first earlier
    // copy. The project is looked up once per run of rows with the same
    // 项目编号 (a project's milestones are written together).
    let (ms_id_at, ms_name_at) = (
        milestone::PROJECT_ID.index(),
        milestone::PROJECT_NAME.index(),
    );
    let plan: Vec<(Option<Option<usize>>, Option<usize>)> = {
        // The last milestone's project (项目编号, 项目名称) and the unit it found.
        type Found<'r> = ((Option<&'r str>, Option<&'r str>), Option<Option<usize>>);
        let mut last: Option<Found> = None;
        candidates(&files, TableKind::Milestones)
            .zip(&first_of)
            .map(|(rec, first)| {
                let key = (rec.values[ms_id_at].text(), rec.values[ms_name_at].text());
                let unit = match last {
                    Some((l, u)) if l == key => u,
                    _ => {
                        let u = groups
                            .of_milestone(key.0, key.1)
                            .and_then(|g| groups.unit(g));
                        last = Some((key, u));
                        u
                    }
                };
                match unit {
                    Some(unit) => (Some(unit), *first),
                    None => (None, None),
                }
            })
            .collect()
    };
    drop(first_of);
    let ProjectGroups {
        of: group_of,
        size,
        identical,
        ..
    } = groups;

    // Last, the rows are moved from the files to the merged tables. A project
    // read once goes straight to its table; the rows of a 项目编号 read more
    // than once wait for their whole group, which takes the place of its first
    // row. Findings are kept in the order of the steps: project groups, then
    // milestones.
    let mut out_projects: Vec<MergedRow> = Vec::with_capacity(size.len());
    let mut waiting: FastMap<u32, Vec<Record>> = FastMap::default();
    let mut pending: Vec<(usize, u32)> = Vec::new();
    let mut out_milestones: Vec<MergedRow> = Vec::with_capacity(plan.len());
    // Where each milestone went in `out_milestones`, for the first of a key.
    let mut out_at: Vec<usize> = vec![usize::MAX; plan.len()];
    let mut ms_findings: Vec<Finding> = Vec::new();
    let mut out_attraction = Vec::with_capacity(n_attraction);
    let (mut project_no, mut milestone_no) = (0usize, 0usize);
    for fi in 0..files.len() {
        let Some(read) = files[fi].read.take() else {
            continue;
        };
        if files[fi].entry.status != FileStatus::Merged {
            continue;
        }
        for t in read.tables {
            let table = t.table;
            for mut rec in t.records {
                if rec.has_error {
                    continue;
                }
                match table {
                    TableKind::Projects => {
                        let g = group_of[project_no];
                        project_no += 1;
                        if size[g as usize] == 1 {
                            merged_count(&rec, &mut counts, &mut files);
                            let sources = vec![rec.src.clone()];
                            out_projects.push(MergedRow { rec, sources });
                            continue;
                        }
                        let members = waiting.entry(g).or_default();
                        if members.is_empty() {
                            pending.push((out_projects.len(), g));
                        }
                        members.push(rec);
                    }
                    TableKind::Milestones => {
                        let j = milestone_no;
                        milestone_no += 1;
                        let (unit, first) = plan[j];
                        match unit {
                            Some(u) => rec.unit = u,
                            None => {
                                let f = match rec.project_id() {
                                    Some(id) => row_finding(
                                        &rec,
                                        Code::RowUnknownProject,
                                        milestone::PROJECT_ID,
                                        format!("节点所属项目编号 {id} 不在本期汇总的重点项目中:请核对项目编号,或补报该项目"),
                                    ),
                                    None => {
                                        let name = rec.project_name().unwrap_or_default();
                                        row_finding(
                                            &rec,
                                            Code::RowUnknownProject,
                                            milestone::PROJECT_NAME,
                                            format!("节点所属项目\"{name}\"不在本期汇总的重点项目中:请核对项目名称,或补报该项目"),
                                        )
                                    }
                                };
                                ms_findings.push(f);
                                reject(&rec, &mut counts, &mut files);
                                continue;
                            }
                        }
                        // The same milestone listed twice, identically, counts once.
                        if let Some(j0) = first {
                            let prev: &mut MergedRow = &mut out_milestones[out_at[j0]];
                            if prev
                                .rec
                                .values
                                .iter()
                                .zip(&rec.values)
                                .all(|(a, b): (&Value, &Value)| a.same(b))
                            {
                                let mut f = row_finding(
                                    &rec,
                                    Code::RowDuplicateIdentical,
                                    milestone::MILESTONE,
                                    format!(
                                        "节点\"{}\"重复填报,内容相同,只计一次",
                                        rec.text(milestone::MILESTONE).unwrap_or_default()
                                    ),
                                );
                                f.places =
                                    vec![place(&prev.rec.src, &prev.rec, milestone::MILESTONE)];
                                ms_findings.push(f);
                                merged_count(&rec, &mut counts, &mut files);
                                prev.sources.push(rec.src.clone());
                                continue;
                            }
                        } else {
                            out_at[j] = out_milestones.len();
                        }
                        merged_count(&rec, &mut counts, &mut files);
                        let sources = vec![rec.src.clone()];
                        out_milestones.push(MergedRow { rec, sources });
                    }
                    TableKind::Attraction => {
                        merged_count(&rec, &mut counts, &mut files);
                        let sources = vec![rec.src.clone()];
                        out_attraction.push(MergedRow { rec, sources });
                    }
                }
            }
        }
    }
    // The projects read more than once, in order of first appearance.
    let mut placed: Vec<(usize, MergedRow)> = Vec::new();
    for &(at, g) in &pending {
        let mut recs = waiting.remove(&g).expect("waiting group");
        // The copy with a 项目编号 stands for the project (§9.9.7).
        if let Some(i) = recs
            .iter()
            .position(|r| !r.keyed_by_name())
            .filter(|i| *i > 0)
        {
            let r = recs.remove(i);
            recs.insert(0, r);
        }
        let (what, key) = match recs[0].project_id() {
            Some(id) => (format!("项目编号 {id}"), project::PROJECT_ID),
            None => (
                format!("项目\"{}\"", recs[0].project_name().unwrap_or_default()),
                project::PROJECT_NAME,
            ),
        };
        let places: Vec<Place> = recs.iter().map(|r| place(&r.src, r, key)).collect();
        // A few places named, all counted: the finding's size does not grow with the rows.
        let (where_, places) = crate::finding::some_places(&places);
        if identical[g as usize] {
            let first = &recs[0];
            let mut f = row_finding(
                first,
                Code::RowDuplicateIdentical,
                key,
                format!("{what} 在 {where_} 重复报送,内容完全相同,只计一次:请商定由一个单位报送"),
            );
            f.places = places;
            findings.push(f);
            for r in &recs {
                merged_count(r, &mut counts, &mut files);
            }
            let sources = recs.iter().map(|r| r.src.clone()).collect();
            let rec = recs.into_iter().next().expect("first");
            placed.push((at, MergedRow { rec, sources }));
        } else {
            for r in &recs {
                let mut f = row_finding(
                    r,
                    Code::RowDuplicateConflict,
                    key,
                    format!("{what} 在 {where_} 重复出现且内容不一致,各处均未汇总:请相关单位核对后只保留一份正确的数据"),
                );
                f.places = places.clone();
                findings.push(f);
                reject(r, &mut counts, &mut files);
            }
        }
    }
    if !placed.is_empty() {
        let singles = std::mem::take(&mut out_projects);
        out_projects.reserve_exact(singles.len() + placed.len());
        let mut placed = placed.into_iter().peekable();
        for (i, m) in singles.into_iter().enumerate() {
            while let Some((_, p)) = placed.next_if(|(at, _)| *at == i) {
                out_projects.push(p);
            }
            out_projects.push(m);
        }
        out_projects.extend(placed.map(|(_, p)| p));
    }
    findings.append(&mut ms_findings);

    // The units a consolidated table submitted for: those its merged rows count for.
    if files.iter().any(|f| f.entry.consolidated) {
        for row in out_projects
            .iter()
            .chain(&out_milestones)
            .chain(&out_attraction)
        {
            let Some(u) = row.rec.unit else { continue };
            for src in &row.sources {
                if let Some(&i) = file_index.get(&*src.file) {
                    let e = &mut files[i].entry;
                    if e.consolidated && !e.units.contains(&u) {
                        e.units.push(u);
                    }
                }
            }
        }
    }
    counts[0].output_rows = out_projects.len();
    counts[1].output_rows = out_milestones.len();
    counts[2].output_rows = out_attraction.len();
    for f in files.iter_mut() {
        for (ti, c) in f.entry.counts.iter_mut().enumerate() {
            let _ = ti;
            c.output_rows = c.merged;
        }
    }
    sort_findings(&mut findings);
    Merged {
        files: files.into_iter().map(|f| f.entry).collect(),
        rows: [out_projects, out_milestones, out_attraction],
        counts,
        findings,
    }
}

/// Errors first, then by file, sheet and row, so each file's problems read in order.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        (a.severity, &a.file, &a.sheet, a.row, &a.cell)
            .cmp(&(b.severity, &b.file, &b.sheet, b.row, &b.cell))
    });
}

/// The severities counted, for summaries.
pub fn count_by_severity(findings: &[Finding]) -> [usize; 3] {
    let mut n = [0; 3];
    for f in findings {
        n[match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::header::Schema;
    use crate::model::joined;
    use std::sync::Arc;

    fn rec(table: TableKind, row: u32, values: &[(Field, Value)]) -> Record {
        let mut v = vec![Value::Null; table.fields().len()];
        for (k, x) in values {
            assert_eq!(k.table(), table);
            v[k.index()] = x.clone();
        }
        Record {
            table,
            values: v,
            cols: vec![Some(0); table.fields().len()].into(),
            src: Source {
                file: Arc::from("f.xlsx"),
                sheet: Arc::from("S"),
                row,
            },
            file_idx: 0,
            unit: None,
            has_error: false,
            section_unit: None,
        }
    }

    /// Rows of a 项目编号 read more than once (identical or not) between rows
    /// read once: the merged rows keep the order of first appearance, and each
    /// milestone counts for its merged project or is rejected.
    #[test]
    fn duplicates_keep_the_order_of_first_appearance() {
        let t = |x: &str| Value::Text(x.to_string());
        let ids = [
            "A", "C", "B", "C", "X", "D", "X", "E", "E", "F", "Y", "G", "Y", "H", "A",
        ];
        let projects: Vec<Record> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                // X and Y conflict (their names differ); A, C and E are identical copies.
                let name = if *id == "X" || *id == "Y" {
                    format!("{id}{i}")
                } else {
                    id.to_string()
                };
                rec(
                    TableKind::Projects,
                    i as u32 + 2,
                    &[
                        (project::PROJECT_ID, t(id)),
                        (project::PROJECT_NAME, t(&name)),
                        (project::TOTAL_INVEST, Value::Num(10.0)),
                    ],
                )
            })
            .collect();
        // A row with an error is counted out before the grouping: B is read once.
        let mut projects = projects;
        let mut bad = projects[2].clone();
        bad.src.row = 40;
        bad.has_error = true;
        projects.push(bad);
        let ms = |id: &str, name: &str, row: u32| {
            rec(
                TableKind::Milestones,
                row,
                &[
                    (milestone::PROJECT_ID, t(id)),
                    (milestone::MILESTONE, t(name)),
                ],
            )
        };
        let milestones = vec![
            ms("C", "m1", 2),
            ms("X", "m1", 3),
            ms("C", "m1", 4),
            ms("H", "m2", 5),
            ms("Z", "m1", 6),
            ms("A", "m1", 7),
        ];
        let table = |kind: TableKind, records: Vec<Record>| crate::ingest::TableRead {
            table: kind,
            sheet: Arc::from("S"),
            layout: crate::ingest::header::Layout {
                schema: Schema::for_table(kind),
                header_first: 0,
                header_last: 0,
                columns: Vec::new(),
                duplicates: Vec::new(),
                unknown: Vec::new(),
                other_period: Vec::new(),
                ignored: Vec::new(),
            },
            note: Default::default(),
            records,
        };
        let file = ReadFile {
            entry: FileEntry {
                name: "f.xlsx".into(),
                size: 0,
                modified: None,
                status: FileStatus::Merged,
                unit: Some(0),
                unit_from: Some(UnitFrom::Note),
                report_date: None,
                superseded_by: None,
                reason: None,
                counts: [Counts::default(); 3],
                consolidated: false,
                units: Vec::new(),
            },
            read: Some(FileRead {
                tables: vec![
                    table(TableKind::Projects, projects),
                    table(TableKind::Milestones, milestones),
                ],
                note: Default::default(),
                findings: Vec::new(),
            }),
        };
        let roster = Roster::new(vec![crate::roster::Unit {
            name: "城关镇".into(),
            kind: crate::roster::UnitKind::Township,
            leader: None,
            invest_target: 0.0,
            attract_target: 0.0,
            aliases: Vec::new(),
        }]);
        let m = merge(vec![file], &roster, Vec::new());
        let order: Vec<&str> = m.rows[0]
            .iter()
            .map(|r| r.rec.project_id().unwrap_or_default())
            .collect();
        assert_eq!(order, ["A", "C", "B", "D", "E", "F", "G", "H"]);
        let sources = |id: &str| {
            m.rows[0]
                .iter()
                .find(|r| r.rec.project_id() == Some(id))
                .map(|r| r.sources.iter().map(|s| s.row).collect::<Vec<_>>())
        };
        assert_eq!(sources("A"), Some(vec![2, 16]));
        assert_eq!(sources("C"), Some(vec![3, 5]));
        assert_eq!(sources("B"), Some(vec![4]));
        let ms_out: Vec<(u32, Vec<u32>)> = m.rows[1]
            .iter()
            .map(|r| (r.rec.src.row, r.sources.iter().map(|s| s.row).collect()))
            .collect();
        assert_eq!(ms_out, [(2, vec![2, 4]), (5, vec![5]), (7, vec![7])]);
        let c = m.counts[0];
        assert_eq!(
            (c.read, c.merged, c.rejected, c.output_rows),
            (16, 11, 5, 8)
        );
        let c = m.counts[1];
        assert_eq!((c.read, c.merged, c.rejected, c.output_rows), (6, 4, 2, 3));
        let codes: Vec<(Code, Option<u32>)> = m.findings.iter().map(|f| (f.code, f.row)).collect();
        assert_eq!(
            codes,
            [
                (Code::RowUnknownProject, Some(3)),
                (Code::RowDuplicateConflict, Some(6)),
                (Code::RowUnknownProject, Some(6)),
                (Code::RowDuplicateConflict, Some(8)),
                (Code::RowDuplicateConflict, Some(12)),
                (Code::RowDuplicateConflict, Some(14)),
                (Code::RowDuplicateIdentical, Some(2)),
                (Code::RowDuplicateIdentical, Some(3)),
                (Code::RowDuplicateIdentical, Some(4)),
                (Code::RowDuplicateIdentical, Some(9)),
            ]
        );
    }

    #[test]
    fn sources_join_as_format_and_join() {
        let src = |f: &str, s: &str, row: u32| Source {
            file: Arc::from(f),
            sheet: Arc::from(s),
            row,
        };
        for sources in [
            vec![],
            vec![src("城关镇.xlsx", "Sheet1", 7)],
            vec![src("a.xlsx", "重点项目", 0), src("b", "", 4_294_967_295)],
            vec![
                src("x", "y", 10),
                src("x", "y", 100),
                src("x", "y", 1_000_009),
            ],
        ] {
            let want = sources
                .iter()
                .map(|s| format!("{} › {} › 第{}行", s.file, s.sheet, s.row))
                .collect::<Vec<_>>()
                .join(";");
            assert_eq!(joined(&sources, ";"), want);
        }
    }
}
