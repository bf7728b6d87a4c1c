//! Who submitted each file (the 填报单位 note, the 责任单位 column, the file
//! name; a consolidated table submits for the units it names), and which of a
//! unit's files supersede the others.

use super::{FileStatus, ReadFile, UnitFrom};
use crate::finding::{Code, Finding};
use crate::forms::TableKind;
use crate::roster::Roster;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::time::SystemTime;

/// Identify the submitting unit of each readable file: the 填报单位 note, else
/// the 责任单位 (引资单位) column, else the file name.
pub fn identify_units(files: &mut [ReadFile], roster: &Roster, findings: &mut Vec<Finding>) {
    for f in files.iter_mut() {
        let Some(read) = &f.read else { continue };
        let mut chosen: Option<(usize, UnitFrom)> = None;
        let note_unit = read.note.unit.clone();
        if let Some(n) = &note_unit {
            chosen = roster.resolve(n).map(|u| (u, UnitFrom::Note));
        }
        if chosen.is_none() {
            let mut tally: HashMap<usize, usize> = HashMap::new();
            for t in &read.tables {
                if t.table == TableKind::Milestones {
                    continue;
                }
                for r in &t.records {
                    let name = r.unit_written().or(r.section_unit.as_deref());
                    if let Some(u) = name.and_then(|n| roster.resolve(n)) {
                        *tally.entry(u).or_default() += 1;
                    }
                }
            }
            // No 填报单位 note naming a roster unit (none, or the office's own
            // name) and several roster units named: the office's own ledger,
            // every row for its own unit (§9.6, §9.9.1).
            if tally.len() > 1 {
                f.entry.consolidated = true;
                f.entry.unit_from = Some(UnitFrom::Column);
                f.entry.report_date = read.note.report_date;
                continue;
            }
            // Most rows first; equal counts go to the roster's order.
            chosen = tally
                .into_iter()
                .max_by_key(|(u, n)| (*n, std::cmp::Reverse(*u)))
                .map(|(u, _)| (u, UnitFrom::Column));
        }
        if chosen.is_none() {
            chosen = roster
                .from_file_name(&f.entry.name)
                .map(|u| (u, UnitFrom::Filename));
        }
        match (chosen, &note_unit) {
            (Some((u, from)), Some(n)) if from != UnitFrom::Note => findings.push(Finding::new(
                Code::FileUnitFallback,
                f.entry.name.clone(),
                format!(
                    "填报单位\"{n}\"不在单位名册中,已按{}认定为\"{}\":请核对名称或在名册中添加别名",
                    from.cn(),
                    roster.units[u].name
                ),
            )),
            (None, _) => {
                let msg = format!(
                    "无法认定填报单位:{}责任单位列和文件名都不对应名册中的单位,本文件未汇总。请在表头上方注明\"填报单位:单位全称\"后重新报送,或在名册中添加别名",
                    note_unit
                        .as_ref()
                        .map(|n| format!("填报单位\"{n}\"、"))
                        .unwrap_or_default()
                );
                findings.push(Finding::new(
                    Code::FileUnknownUnit,
                    f.entry.name.clone(),
                    msg.clone(),
                ));
                f.entry.status = FileStatus::Unreadable;
                f.entry.reason = Some(msg);
            }
            _ => {}
        }
        if let Some((u, from)) = chosen {
            f.entry.unit = Some(u);
            f.entry.unit_from = Some(from);
        }
        f.entry.report_date = read.note.report_date;
    }
}

/// Which of two submissions is the later: by 填报日期 when both have one and
/// they differ, else by modification time.
fn later(
    a: (Option<NaiveDate>, Option<SystemTime>),
    b: (Option<NaiveDate>, Option<SystemTime>),
) -> std::cmp::Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => a.1.cmp(&b.1),
    }
}

/// For every unit with more than one file, keep the one with the later 填报日期
/// (else the later modification time); the others are superseded.
pub fn supersede(files: &mut [ReadFile], roster: &Roster, findings: &mut Vec<Finding>) {
    let mut by_unit: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if f.entry.status == FileStatus::Merged {
            if let Some(u) = f.entry.unit {
                by_unit.entry(u).or_default().push(i);
            }
        }
    }
    let mut units: Vec<_> = by_unit.into_iter().filter(|(_, v)| v.len() > 1).collect();
    units.sort();
    for (u, idxs) in units {
        let keys: HashMap<usize, _> = idxs
            .iter()
            .map(|&i| (i, (files[i].entry.report_date, files[i].entry.modified)))
            .collect();
        let key = |i: usize| keys[&i];
        let winner = *idxs
            .iter()
            .max_by(|a, b| {
                later(key(**a), key(**b)).then(files[**a].entry.name.cmp(&files[**b].entry.name))
            })
            .expect("non-empty");
        let wname = files[winner].entry.name.clone();
        for &i in &idxs {
            if i == winner {
                continue;
            }
            if later(key(i), key(winner)) == std::cmp::Ordering::Equal {
                findings.push(Finding::new(
                    Code::FileSameDate,
                    files[i].entry.name.clone(),
                    format!(
                        "\"{}\"的两份报表填报日期和修改时间相同,已采用文件名靠后的\"{wname}\":请确认哪一份是更正后的报表",
                        roster.units[u].name
                    ),
                ));
            }
            let e = &mut files[i].entry;
            e.status = FileStatus::Superseded;
            e.superseded_by = Some(wname.clone());
            let why = match (e.report_date, files[winner].entry.report_date) {
                (Some(a), Some(b)) if a != b => format!("填报日期 {a} 早于 {b}"),
                _ => "修改时间较早".to_string(),
            };
            let msg = format!("已被同一单位的\"{wname}\"替代({why}),本文件的数据未汇总");
            files[i].entry.reason = Some(msg.clone());
            findings.push(Finding::new(
                Code::FileSuperseded,
                files[i].entry.name.clone(),
                msg,
            ));
        }
    }
}
