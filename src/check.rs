//! `diaodu check`: a unit checks its own files before submitting, with the
//! same reader and rules as the monthly run.

use crate::config::Period;
use crate::error::Error;
use crate::finding::{Code, Finding, Severity};
use crate::forms::{milestone, project, TableKind};
use crate::formwords::FormWords;
use crate::ingest::discover::InboxFile;
use crate::ingest::workbook::Guard;
use crate::merge::{self, sort_findings, FileStatus, ReadFile};
use crate::pipeline::read_one_with;
use crate::roster::Roster;
use std::collections::HashMap;
use std::path::PathBuf;

/// The outcome of checking some files.
pub struct CheckReport {
    pub findings: Vec<Finding>,
    /// Per file: name, rows read per table, status.
    pub files: Vec<(String, [usize; 3], FileStatus)>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}

/// Check files. With a roster, the unit is identified and every row rule of the
/// monthly run applies (including 责任单位 and duplicates across the files);
/// without one, the checks that need no roster.
pub fn check_files(
    paths: &[PathBuf],
    period: Period,
    guard: &Guard,
    roster: Option<&Roster>,
) -> Result<CheckReport, Error> {
    check_files_with(paths, period, guard, roster, &FormWords::default())
}

/// [`check_files`] with the office's words (forms.toml, docs/forms.md §9.2).
pub fn check_files_with(
    paths: &[PathBuf],
    period: Period,
    guard: &Guard,
    roster: Option<&Roster>,
    words: &FormWords,
) -> Result<CheckReport, Error> {
    let (mut files, mut findings) = read_given(paths, period, guard, words)?;
    // The texts `run` would write cut (rows without errors: the others are not written).
    let cut = crate::excel_limits::text_cut_findings(
        files
            .iter()
            .flat_map(|rf| rf.read.iter().flat_map(|r| &r.tables))
            .flat_map(|t| &t.records)
            .filter(|r| !r.has_error),
    );
    if let Some(roster) = roster {
        merge::identify_units(&mut files, roster, &mut findings);
        merge::supersede(&mut files, roster, &mut findings);
        let counts: Vec<[usize; 3]> = files.iter().map(rows_of).collect();
        let mut m = merge::merge(files, roster, findings);
        let list = m
            .files
            .iter()
            .zip(counts)
            .map(|(f, c)| (f.name.clone(), c, f.status))
            .collect();
        m.findings.extend(cut);
        sort_findings(&mut m.findings);
        crate::finding::cap(&mut m.findings);
        return Ok(CheckReport {
            findings: m.findings,
            files: list,
        });
    }
    // Without a roster: the cross-row rules within the given files.
    findings.extend(cross_row_findings(&files));
    findings.extend(cut);
    sort_findings(&mut findings);
    crate::finding::cap(&mut findings);
    let list = files
        .iter()
        .map(|rf| (rf.entry.name.clone(), rows_of(rf), rf.entry.status))
        .collect();
    Ok(CheckReport {
        findings,
        files: list,
    })
}

/// Read the files given, each as `run` reads an inbox file; a path that is
/// missing or a folder stops the check.
fn read_given(
    paths: &[PathBuf],
    period: Period,
    guard: &Guard,
    words: &FormWords,
) -> Result<(Vec<ReadFile>, Vec<Finding>), Error> {
    let mut findings = Vec::new();
    let mut files: Vec<ReadFile> = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        let meta = std::fs::metadata(p)
            .map_err(|_| Error::Check(format!("找不到文件 {}:请检查文件名和路径", p.display())))?;
        if meta.is_dir() {
            return Err(Error::Check(format!(
                "{} 是文件夹:请给出要检查的报表文件",
                p.display()
            )));
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let f = InboxFile {
            kind: crate::ingest::discover::classify(&name),
            path: p.clone(),
            name,
            size: meta.len(),
            modified: meta.modified().ok(),
        };
        let (rf, mut fi) = read_one_with(&f, i, guard, period, 15, words);
        findings.append(&mut fi);
        files.push(rf);
    }
    Ok((files, findings))
}

/// The rows a file had read, per table.
fn rows_of(rf: &ReadFile) -> [usize; 3] {
    let mut n = [0; 3];
    if let Some(r) = &rf.read {
        for t in &r.tables {
            n[t.table as usize] += t.records.len();
        }
    }
    n
}

/// Without a roster, the rules across rows of the given files: a 项目编号
/// given more than once, and a milestone of a project none of them lists.
fn cross_row_findings(files: &[ReadFile]) -> Vec<Finding> {
    let mut ids: HashMap<String, Vec<&crate::model::Record>> = HashMap::new();
    for rf in files {
        for t in rf.read.iter().flat_map(|r| &r.tables) {
            if t.table == TableKind::Projects {
                for r in t.records.iter() {
                    if let Some(id) = r.project_id() {
                        ids.entry(id.to_string()).or_default().push(r);
                    }
                }
            }
        }
    }
    let mut extra = duplicate_ids(&ids);
    let has_projects = files
        .iter()
        .flat_map(|rf| rf.read.iter().flat_map(|r| &r.tables))
        .any(|t| t.table == TableKind::Projects);
    if has_projects {
        extra.extend(unknown_projects(files, &ids));
    }
    extra
}

/// A finding on every row of a 项目编号 given more than once, naming the others.
fn duplicate_ids(ids: &HashMap<String, Vec<&crate::model::Record>>) -> Vec<Finding> {
    let mut extra = Vec::new();
    for (id, recs) in ids {
        if recs.len() > 1 {
            for r in recs {
                // At most a few other places, and how many there are in all.
                let mut others = crate::model::joined(
                    recs.iter()
                        .filter(|o| o.src != r.src)
                        .take(crate::finding::MAX_PLACES)
                        .map(|o| format!("{} › 第{}行", o.src.sheet, o.src.row)),
                    "、",
                );
                if recs.len() - 1 > crate::finding::MAX_PLACES {
                    others.push_str(&format!(" 等共 {} 处", recs.len() - 1));
                }
                let mut f = Finding::new(
                    Code::RowDuplicateConflict,
                    r.src.file.to_string(),
                    format!("项目编号 {id} 重复出现(另见 {others}):每个项目只填一行"),
                )
                .table(TableKind::Projects)
                .sheet(r.src.sheet.to_string())
                .field(project::PROJECT_ID)
                .value(id.clone());
                f.row = Some(r.src.row);
                f.cell = r.cell_ref(project::PROJECT_ID);
                extra.push(f);
            }
        }
    }
    extra
}

/// A finding on every milestone whose 项目编号 no project row of the files has.
fn unknown_projects(
    files: &[ReadFile],
    ids: &HashMap<String, Vec<&crate::model::Record>>,
) -> Vec<Finding> {
    let mut extra = Vec::new();
    for t in files
        .iter()
        .flat_map(|rf| rf.read.iter().flat_map(|r| &r.tables))
    {
        if t.table != TableKind::Milestones {
            continue;
        }
        for r in &t.records {
            let id = r.project_id().unwrap_or_default();
            if !id.is_empty() && !ids.contains_key(id) {
                let mut f = Finding::new(
                    Code::RowUnknownProject,
                    r.src.file.to_string(),
                    format!("节点所属项目编号 {id} 不在重点项目表中:请核对项目编号"),
                )
                .table(TableKind::Milestones)
                .sheet(r.src.sheet.to_string())
                .field(milestone::PROJECT_ID)
                .value(id);
                f.row = Some(r.src.row);
                f.cell = r.cell_ref(milestone::PROJECT_ID);
                extra.push(f);
            }
        }
    }
    extra
}
