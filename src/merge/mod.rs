//! Merging the period's submissions: who submitted what, supersession of a
//! corrected file (`identify`), the row accounting (`accounting`),
//! duplicates across units and milestones of unknown projects
//! (`duplicates`, grouping by `groups`), and the period DataFrames
//! (`frames`). This module holds the types and runs the steps in order.

use crate::finding::{Code, Finding, Place, Severity};
use crate::forms::{milestone, Field, TableKind};
use crate::ingest::FileRead;
use crate::model::{Record, Source};
use crate::roster::Roster;
use chrono::NaiveDate;
use serde::Serialize;
use std::time::SystemTime;

mod accounting;
mod duplicates;
mod frames;
mod groups;
mod identify;

pub use frames::{col, frame, frame_of, Columns, Threads};
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
/// `identify_units` and `supersede`. The steps: the findings of superseded
/// files dropped; every row counted and given its unit (`accounting`); what
/// becomes of each row decided (`duplicates::Plan`); the rows moved to the
/// merged tables; the projects read more than once placed; the accounting
/// closed.
pub fn merge(mut files: Vec<ReadFile>, roster: &Roster, mut findings: Vec<Finding>) -> Merged {
    drop_superseded_findings(&files, &mut findings);
    let mut counts = accounting::count_and_resolve(&mut files, roster, &mut findings);
    let ledger = accounting::Ledger::of(&files);
    let plan = duplicates::Plan::of(&files);
    // Findings are kept in the order of the steps: project groups, then
    // milestones.
    let mut moved = move_rows(&mut files, &plan, &ledger, &mut counts);
    duplicates::place_groups(
        &mut moved.rows[0],
        moved.waiting,
        &plan.identical,
        &ledger,
        &mut counts,
        &mut files,
        &mut findings,
    );
    findings.append(&mut moved.ms_findings);
    accounting::consolidated_units(&mut files, &ledger, &moved.rows);
    accounting::output_rows(&mut counts, &mut files, &moved.rows);
    sort_findings(&mut findings);
    Merged {
        files: files.into_iter().map(|f| f.entry).collect(),
        rows: moved.rows,
        counts,
        findings,
    }
}

/// Row findings of superseded files are not this period's problems.
fn drop_superseded_findings(files: &[ReadFile], findings: &mut Vec<Finding>) {
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
}

/// The candidate rows moved out of the files.
struct Moved {
    /// The merged tables (TableKind order); projects read more than once
    /// are still waiting.
    rows: [Vec<MergedRow>; 3],
    waiting: duplicates::Waiting,
    /// The milestones' findings (unknown project, identical copy).
    ms_findings: Vec<Finding>,
}

/// The rows moved from the files to the merged tables. A project read once
/// goes straight to its table; the rows of a 项目编号 read more than once
/// wait for their whole group, which takes the place of its first row.
fn move_rows(
    files: &mut [ReadFile],
    plan: &duplicates::Plan,
    ledger: &accounting::Ledger,
    counts: &mut [Counts; 3],
) -> Moved {
    let mut m = Moved {
        rows: [
            Vec::with_capacity(plan.size.len()),
            Vec::with_capacity(plan.milestones.len()),
            Vec::with_capacity(plan.n_attraction),
        ],
        waiting: duplicates::Waiting::default(),
        ms_findings: Vec::new(),
    };
    // Where each milestone went in the milestones, for the first of a key.
    let mut out_at: Vec<usize> = vec![usize::MAX; plan.milestones.len()];
    let (mut project_no, mut milestone_no) = (0usize, 0usize);
    for fi in 0..files.len() {
        let Some(read) = files[fi].read.take() else {
            continue;
        };
        if files[fi].entry.status != FileStatus::Merged {
            continue;
        }
        for t in read.tables {
            for rec in t.records.into_iter().filter(|r| !r.has_error) {
                match t.table {
                    TableKind::Projects => {
                        let g = plan.group_of[project_no];
                        project_no += 1;
                        if plan.size[g as usize] == 1 {
                            ledger.merged(&rec, counts, files);
                            let sources = vec![rec.src.clone()];
                            m.rows[0].push(MergedRow { rec, sources });
                        } else {
                            m.waiting.push(g, m.rows[0].len(), rec);
                        }
                    }
                    TableKind::Milestones => {
                        let j = milestone_no;
                        milestone_no += 1;
                        let (unit, first) = plan.milestones[j];
                        let Some(u) = unit else {
                            m.ms_findings.push(unknown_project(&rec));
                            ledger.reject(&rec, counts, files);
                            continue;
                        };
                        let mut rec = rec;
                        rec.unit = u;
                        if let Some(j0) = first {
                            let prev = &mut m.rows[1][out_at[j0]];
                            if let Some(f) = duplicates::identical_milestone(prev, &rec) {
                                m.ms_findings.push(f);
                                ledger.merged(&rec, counts, files);
                                continue;
                            }
                        } else {
                            out_at[j] = m.rows[1].len();
                        }
                        ledger.merged(&rec, counts, files);
                        let sources = vec![rec.src.clone()];
                        m.rows[1].push(MergedRow { rec, sources });
                    }
                    TableKind::Attraction => {
                        ledger.merged(&rec, counts, files);
                        let sources = vec![rec.src.clone()];
                        m.rows[2].push(MergedRow { rec, sources });
                    }
                }
            }
        }
    }
    m
}

/// A milestone whose project is not merged: the finding that says so.
fn unknown_project(rec: &Record) -> Finding {
    match rec.project_id() {
        Some(id) => row_finding(
            rec,
            Code::RowUnknownProject,
            milestone::PROJECT_ID,
            format!("节点所属项目编号 {id} 不在本期汇总的重点项目中:请核对项目编号,或补报该项目"),
        ),
        None => {
            let name = rec.project_name().unwrap_or_default();
            row_finding(
                rec,
                Code::RowUnknownProject,
                milestone::PROJECT_NAME,
                format!(
                    "节点所属项目\"{name}\"不在本期汇总的重点项目中:请核对项目名称,或补报该项目"
                ),
            )
        }
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
    use crate::forms::project;
    use crate::ingest::header::Schema;
    use crate::model::joined;
    use crate::model::Value;
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

    /// 15 project rows (X and Y conflict, their names differ; A, C and E
    /// are identical copies) and a copy of the third with an error.
    fn projects_read_twice() -> Vec<Record> {
        let t = |x: &str| Value::Text(x.to_string());
        let ids = [
            "A", "C", "B", "C", "X", "D", "X", "E", "E", "F", "Y", "G", "Y", "H", "A",
        ];
        let mut projects: Vec<Record> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
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
        let mut bad = projects[2].clone();
        bad.src.row = 40;
        bad.has_error = true;
        projects.push(bad);
        projects
    }

    /// Milestones of merged projects (C twice, H, A), of a conflicting one
    /// (X) and of an unknown one (Z).
    fn their_milestones() -> Vec<Record> {
        let t = |x: &str| Value::Text(x.to_string());
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
        vec![
            ms("C", "m1", 2),
            ms("X", "m1", 3),
            ms("C", "m1", 4),
            ms("H", "m2", 5),
            ms("Z", "m1", 6),
            ms("A", "m1", 7),
        ]
    }

    /// One merged file of unit 0 with these tables.
    fn merged_file(tables: Vec<(TableKind, Vec<Record>)>) -> ReadFile {
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
        ReadFile {
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
                tables: tables.into_iter().map(|(k, r)| table(k, r)).collect(),
                note: Default::default(),
                findings: Vec::new(),
            }),
        }
    }

    fn one_unit() -> Roster {
        Roster::new(vec![crate::roster::Unit {
            name: "城关镇".into(),
            kind: crate::roster::UnitKind::Township,
            leader: None,
            invest_target: 0.0,
            attract_target: 0.0,
            aliases: Vec::new(),
        }])
    }

    /// Rows of a 项目编号 read more than once (identical or not) between rows
    /// read once: the merged rows keep the order of first appearance, and each
    /// milestone counts for its merged project or is rejected.
    #[test]
    fn duplicates_keep_the_order_of_first_appearance() {
        let file = merged_file(vec![
            (TableKind::Projects, projects_read_twice()),
            (TableKind::Milestones, their_milestones()),
        ]);
        let roster = one_unit();
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
