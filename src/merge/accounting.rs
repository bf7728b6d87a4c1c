//! The row accounting of the merge: every row read is counted once, as
//! merged, rejected or superseded, per table and per file; and the unit each
//! candidate row counts for (docs/forms.md §7.8, §9.5).

use super::{row_finding, Counts, FileStatus, MergedRow, ReadFile};
use crate::finding::{Code, Finding};
use crate::forms::Field;
use crate::model::{Record, Value};
use crate::roster::Roster;
use crate::util::FastMap;

/// The first pass, in place: every row is counted as read; the rows of
/// superseded and unreadable files and the rows with errors are counted out.
/// The others (of a merged file, without error) are the candidates; they get
/// the unit they count for. Returns the counts per table.
pub(super) fn count_and_resolve(
    files: &mut [ReadFile],
    roster: &Roster,
    findings: &mut Vec<Finding>,
) -> [Counts; 3] {
    let mut counts = [Counts::default(); 3];
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
                if let Some(unit_field) = rec.table.unit_field() {
                    let from = Submitter {
                        unit: submitter,
                        consolidated,
                    };
                    resolve_unit(rec, unit_field, roster, from, &mut resolved, findings);
                }
                if rec.has_error {
                    counts[ti].rejected += 1;
                    f.entry.counts[ti].rejected += 1;
                }
            }
        }
    }
    counts
}

/// Who submitted a file: its unit, and whether it is a consolidated table.
#[derive(Clone, Copy)]
struct Submitter {
    unit: Option<usize>,
    consolidated: bool,
}

/// The unit a project or attraction row counts for: its 责任单位 (引资单位),
/// else its section's unit (§9.5), else the file's; a name the roster does
/// not know, or a blank in a consolidated table, is an error of the row.
/// Each distinct name is resolved once (`resolve` cleans and converts it).
fn resolve_unit(
    rec: &mut Record,
    unit_field: Field,
    roster: &Roster,
    from: Submitter,
    resolved: &mut FastMap<String, Option<usize>>,
    findings: &mut Vec<Finding>,
) {
    // A row without 责任单位 under a section row naming a
    // roster unit counts for that unit (§9.5).
    if rec.get(unit_field).is_null() {
        if let Some(u) = rec.section_unit.as_deref().and_then(|n| roster.resolve(n)) {
            rec.values[unit_field.index()] = Value::Text(roster.units[u].name.clone());
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
            let what = unit_field.label();
            findings.push(row_finding(
                rec,
                Code::RowUnknownUnit,
                unit_field,
                format!("{what}\"{n}\"不在单位名册中:请填写名册中的单位全称,或在名册中添加别名"),
            ));
            rec.has_error = true;
        }
        None if from.consolidated => {
            let what = unit_field.label();
            findings.push(row_finding(
                rec,
                Code::RowUnknownUnit,
                unit_field,
                format!("{what}为空:本表汇总了多个单位,每一行都须填写{what}"),
            ));
            rec.has_error = true;
        }
        None => rec.unit = from.unit,
    }
}

/// Where the rows' counts go: the table's, and the file's the row was read
/// from.
pub(super) struct Ledger {
    file_index: FastMap<String, usize>,
    unique_names: bool,
}

impl Ledger {
    pub(super) fn of(files: &[ReadFile]) -> Ledger {
        let mut file_index: FastMap<String, usize> = FastMap::default();
        for (i, f) in files.iter().enumerate() {
            file_index.insert(f.entry.name.clone(), i);
        }
        let unique_names = file_index.len() == files.len();
        Ledger {
            file_index,
            unique_names,
        }
    }

    /// The file a row was read from: the one of that name. With names unique
    /// (an inbox's are), the file at the row's `file_idx` is it when the name
    /// matches, which spares hashing the name for every row.
    fn file_of(&self, rec: &Record, files: &[ReadFile]) -> Option<usize> {
        let at = files.get(rec.file_idx);
        if self.unique_names && at.is_some_and(|f| *f.entry.name == *rec.src.file) {
            Some(rec.file_idx)
        } else {
            self.file_index.get(&*rec.src.file).copied()
        }
    }

    /// The file of that name.
    pub(super) fn named(&self, name: &str) -> Option<usize> {
        self.file_index.get(name).copied()
    }

    /// A candidate row counted out.
    pub(super) fn reject(&self, rec: &Record, counts: &mut [Counts; 3], files: &mut [ReadFile]) {
        let ti = rec.table as usize;
        counts[ti].rejected += 1;
        if let Some(i) = self.file_of(rec, files) {
            files[i].entry.counts[ti].rejected += 1;
        }
    }

    /// A candidate row merged (alone or as a copy).
    pub(super) fn merged(&self, rec: &Record, counts: &mut [Counts; 3], files: &mut [ReadFile]) {
        let ti = rec.table as usize;
        counts[ti].merged += 1;
        if let Some(i) = self.file_of(rec, files) {
            files[i].entry.counts[ti].merged += 1;
        }
    }
}

/// The units a consolidated table submitted for: those its merged rows count for.
pub(super) fn consolidated_units(
    files: &mut [ReadFile],
    ledger: &Ledger,
    rows: &[Vec<MergedRow>; 3],
) {
    if !files.iter().any(|f| f.entry.consolidated) {
        return;
    }
    for row in rows.iter().flatten() {
        let Some(u) = row.rec.unit else { continue };
        for src in &row.sources {
            if let Some(i) = ledger.named(&src.file) {
                let e = &mut files[i].entry;
                if e.consolidated && !e.units.contains(&u) {
                    e.units.push(u);
                }
            }
        }
    }
}

/// The rows of each merged table; a file's output rows are the rows it had merged.
pub(super) fn output_rows(
    counts: &mut [Counts; 3],
    files: &mut [ReadFile],
    rows: &[Vec<MergedRow>; 3],
) {
    for (c, r) in counts.iter_mut().zip(rows) {
        c.output_rows = r.len();
    }
    for f in files.iter_mut() {
        for c in f.entry.counts.iter_mut() {
            c.output_rows = c.merged;
        }
    }
}
