//! The roster: units, their kind, leader, annual targets and aliases (docs/forms.md §1).

use crate::error::Error;
use crate::finding::{Code, Finding};
use crate::forms::{roster as F, ROSTER_FIELDS};
use crate::ingest::cell::{cell_text, parse_amount};
use crate::ingest::header::{cell_at, find_tables, last_row, Schema};
use crate::ingest::text::{name_key, MoneyUnit};
use crate::ingest::workbook::{Guard, Workbook};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum UnitKind {
    #[serde(rename = "乡镇")]
    Township,
    #[serde(rename = "部门")]
    Department,
}

impl UnitKind {
    pub fn cn(self) -> &'static str {
        match self {
            UnitKind::Township => "乡镇",
            UnitKind::Department => "部门",
        }
    }

    fn parse(s: &str) -> Option<UnitKind> {
        let k = name_key(s);
        if k == "乡镇" || k.contains("街道") || k.contains('乡') || k.contains('镇') {
            Some(UnitKind::Township)
        } else if k == "部门" || k.contains("部门") || k.contains("县直") || k.contains("区直")
        {
            Some(UnitKind::Department)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub name: String,
    pub kind: UnitKind,
    pub leader: Option<String>,
    /// 万元.
    pub invest_target: f64,
    /// 万元.
    pub attract_target: f64,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub units: Vec<Unit>,
    by_key: HashMap<String, usize>,
}

impl Roster {
    pub fn new(units: Vec<Unit>) -> Roster {
        let mut by_key = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            by_key.entry(name_key(&u.name)).or_insert(i);
        }
        for (i, u) in units.iter().enumerate() {
            for a in &u.aliases {
                by_key.entry(name_key(a)).or_insert(i);
            }
        }
        Roster { units, by_key }
    }

    /// Take `name` as another name of `unit` (forms.toml's `[units]`).
    pub fn add_alias(&mut self, name: &str, unit: usize) {
        self.by_key.insert(name_key(name), unit);
    }

    /// The unit a name or alias stands for (whitespace, full-width and
    /// traditional characters do not matter).
    pub fn resolve(&self, name: &str) -> Option<usize> {
        let k = name_key(name);
        if let Some(i) = self.by_key.get(&k) {
            return Some(*i);
        }
        // "河口镇人民政府", "县交通运输局(盖章)": a known name plus a suffix.
        for suffix in ["人民政府", "政府", "办事处", "(盖章)", "盖章"] {
            if let Some(base) = k.strip_suffix(suffix) {
                if let Some(i) = self.by_key.get(base) {
                    return Some(*i);
                }
            }
        }
        None
    }

    /// The unit whose name or alias a file name contains; the longest match
    /// wins, and two different units matching equally long is no match.
    pub fn from_file_name(&self, file_name: &str) -> Option<usize> {
        let base = file_name.rsplit('/').next().unwrap_or(file_name);
        let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
        let k = name_key(stem);
        let mut best: Option<(usize, usize)> = None; // (len, unit)
        let mut tie = false;
        for (key, &i) in &self.by_key {
            if key.chars().count() >= 2 && k.contains(key.as_str()) {
                let len = key.chars().count();
                match best {
                    Some((l, u)) if len < l || (len == l && u == i) => {}
                    Some((l, _)) if len == l => tie = true,
                    _ => {
                        best = Some((len, i));
                        tie = false;
                    }
                }
            }
        }
        if tie {
            None
        } else {
            best.map(|(_, i)| i)
        }
    }
}

/// Read the roster workbook. Bad rows become findings and are left out; a
/// roster that cannot be read or holds no unit is an error.
pub fn read_roster(path: &Path, guard: &Guard) -> Result<(Roster, Vec<Finding>), Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !path.exists() {
        return Err(Error::Roster(format!(
            "找不到单位名册 {}:请把名册放在工作目录下(或用 --roster 指定)",
            path.display()
        )));
    }
    let wb = guard
        .read(path)
        .map_err(|e| Error::Roster(format!("单位名册 {name} 无法读取:{e}")))?;
    roster_from_workbook(&name, &wb)
}

pub fn roster_from_workbook(name: &str, wb: &Workbook) -> Result<(Roster, Vec<Finding>), Error> {
    let schema = Schema::roster();
    let mut units: Vec<Unit> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut findings = Vec::new();
    for sheet in wb.sheets.iter().filter(|s| !s.hidden) {
        for layout in find_tables(&[schema], sheet, sheet.first_row + 15) {
            let col = |k: usize| layout.column_of(k);
            for row in layout.header_last + 1..last_row(sheet) {
                let text = |k: usize| {
                    col(k)
                        .map(|c| crate::ingest::text::clean(&cell_text(cell_at(sheet, row, c.col))))
                        .unwrap_or_default()
                };
                let unit = text(F::UNIT);
                if unit.is_empty() {
                    continue;
                }
                if crate::forms::TOTAL_WORDS.contains(&name_key(&unit).as_str()) {
                    continue;
                }
                let bad = |code: Code, key: usize, msg: String| {
                    Finding::new(code, name, msg)
                        .sheet(sheet.name.clone())
                        .at(row, col(key).map(|c| c.col))
                        .field_key(ROSTER_FIELDS[key].key)
                };
                let kind_text = text(F::UNIT_KIND);
                let Some(kind) = UnitKind::parse(&kind_text) else {
                    findings.push(
                        bad(
                            Code::CellBadChoice,
                            F::UNIT_KIND,
                            format!("单位\"{unit}\"的单位类别应为\"乡镇\"或\"部门\":该单位未列入名册,请更正"),
                        )
                        .value(kind_text),
                    );
                    continue;
                };
                let mut target = |k: usize| -> Option<f64> {
                    let c = col(k)?;
                    let cell = cell_at(sheet, row, c.col);
                    match parse_amount(cell, c.unit.unwrap_or(MoneyUnit::Wanyuan)) {
                        Ok(Some(v)) if v >= 0.0 => Some(v),
                        Ok(None) => Some(0.0),
                        _ => {
                            findings.push(
                                bad(
                                    Code::CellTypeError,
                                    k,
                                    format!("单位\"{unit}\"的目标应为不小于 0 的数字:该单位未列入名册,请更正"),
                                )
                                .value(cell_text(cell)),
                            );
                            None
                        }
                    }
                };
                let (Some(invest_target), Some(attract_target)) =
                    (target(F::INVEST_TARGET), target(F::ATTRACT_TARGET))
                else {
                    continue;
                };
                let leader = Some(text(F::LEADER)).filter(|s| !s.is_empty());
                let aliases = text(F::ALIASES)
                    .split([';', '；', '、', ',', '，'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                // A set of the keys seen: a province's roster has thousands of units.
                if !seen.insert(name_key(&unit)) {
                    findings.push(bad(
                        Code::RowDuplicateConflict,
                        F::UNIT,
                        format!("单位\"{unit}\"在名册中出现两次:只保留第一行,请删去重复的一行"),
                    ));
                    continue;
                }
                units.push(Unit {
                    name: unit,
                    kind,
                    leader,
                    invest_target,
                    attract_target,
                    aliases,
                });
            }
        }
    }
    if units.is_empty() {
        return Err(Error::Roster(format!(
            "单位名册 {name} 中没有找到单位:表头应含 单位名称、单位类别、年度投资目标(万元)、年度招商引资目标(万元)"
        )));
    }
    Ok((Roster::new(units), findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, aliases: &[&str]) -> Unit {
        Unit {
            name: name.into(),
            kind: UnitKind::Department,
            leader: None,
            invest_target: 1.0,
            attract_target: 1.0,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn resolve_names_aliases_and_file_names() {
        let r = Roster::new(vec![
            unit("县交通运输局", &["县交通局", "交通局"]),
            unit("河口镇", &[]),
            unit("城关镇", &[]),
        ]);
        assert_eq!(r.resolve("县交通局"), Some(0));
        assert_eq!(r.resolve(" 縣交通運輸局 "), Some(0));
        assert_eq!(r.resolve("河口镇人民政府"), Some(1));
        assert_eq!(r.resolve("青石镇"), None);
        assert_eq!(r.from_file_name("交通局10月报表.xlsx"), Some(0));
        assert_eq!(r.from_file_name("inbox/城关镇_2026年10月.xlsx"), Some(2));
        assert_eq!(r.from_file_name("报表.xlsx"), None);
        // Two units in one name: no guess.
        assert_eq!(r.from_file_name("城关镇河口镇.xlsx"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(UnitKind::parse("乡镇"), Some(UnitKind::Township));
        assert_eq!(UnitKind::parse("街道"), Some(UnitKind::Township));
        assert_eq!(UnitKind::parse("部门"), Some(UnitKind::Department));
        assert_eq!(UnitKind::parse("企业"), None);
    }
}
