//! Finding a table's header row (or two rows, under a merged group cell) in a
//! sheet, and mapping its columns to the schema's fields.

use super::cell::cell_text;
use super::text::{header_key, MoneyUnit};
use super::workbook::{Cell, RawSheet};
use crate::forms::{self, FieldSpec, TableKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A form the reader can recognise: one of the three tables, or the roster.
#[derive(Debug)]
pub struct Schema {
    pub table: Option<TableKind>,
    pub title: &'static str,
    pub fields: &'static [FieldSpec],
    /// Keys that must all map for a header row to count as this form's.
    pub signature: &'static [&'static str],
    index: HashMap<String, usize>,
}

impl Schema {
    fn build(
        table: Option<TableKind>,
        title: &'static str,
        fields: &'static [FieldSpec],
        signature: &'static [&'static str],
    ) -> Schema {
        let mut index = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            for h in std::iter::once(&f.header).chain(f.aliases.iter()) {
                index.entry(header_key(h).0).or_insert(i);
            }
        }
        Schema {
            table,
            title,
            fields,
            signature,
            index,
        }
    }

    pub fn for_table(kind: TableKind) -> &'static Schema {
        static S: OnceLock<[Schema; 3]> = OnceLock::new();
        let all = S.get_or_init(|| {
            TableKind::ALL.map(|k| Schema::build(Some(k), k.title(), k.fields(), k.signature()))
        });
        &all[kind as usize]
    }

    pub fn roster() -> &'static Schema {
        static S: OnceLock<Schema> = OnceLock::new();
        S.get_or_init(|| {
            Schema::build(
                None,
                "单位目标",
                forms::ROSTER_FIELDS,
                &["unit", "unit_kind", "invest_target", "attract_target"],
            )
        })
    }

    pub fn field_index(&self, key: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key} in {}", self.title))
    }

    /// Which field a normalised header key names, if any.
    fn lookup(&self, key: &str) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        self.index.get(key).copied()
    }

    /// Map one header text: exact (normalised) match first, then with any
    /// bracketed remark cut out ("项目名称(全称)").
    pub fn map_header(&self, raw: &str) -> Option<(usize, Option<MoneyUnit>)> {
        self.map_header_with(raw, &mut Keys::default())
    }

    /// `map_header`, taking the header keys from (and adding them to) `keys`.
    fn map_header_with(&self, raw: &str, keys: &mut Keys) -> Option<(usize, Option<MoneyUnit>)> {
        let (k, unit) = keys.get(raw);
        if let Some(i) = self.lookup(k) {
            return Some((i, *unit));
        }
        let unit = *unit;
        let cut = cut_brackets(raw);
        if cut != raw {
            let (k2, unit2) = keys.get(&cut);
            if let Some(i) = self.lookup(k2) {
                return Some((i, unit.or(*unit2)));
            }
        }
        None
    }
}

/// `header_key` of the texts seen while looking for a header at one row: each
/// schema, and the one- and two-row readings, key the same texts again.
#[derive(Default)]
struct Keys(crate::merge::FastMap<String, (String, Option<MoneyUnit>)>);

impl Keys {
    fn get(&mut self, raw: &str) -> &(String, Option<MoneyUnit>) {
        if !self.0.contains_key(raw) {
            self.0.insert(raw.to_string(), header_key(raw));
        }
        &self.0[raw]
    }
}

/// Remove bracketed remarks, half- and full-width.
fn cut_brackets(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// One mapped column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Absolute 0-based column.
    pub col: u32,
    /// Index into the schema's fields.
    pub field: usize,
    /// The header text as written (both rows for a two-row header).
    pub header: String,
    /// A money unit written in the header.
    pub unit: Option<MoneyUnit>,
}

/// A recognised table header.
#[derive(Debug, Clone)]
pub struct Layout {
    pub schema: &'static Schema,
    /// Absolute 0-based first and last header row.
    pub header_first: u32,
    pub header_last: u32,
    pub columns: Vec<Column>,
    /// Columns that map to a field already mapped: (col, header text, field).
    pub duplicates: Vec<(u32, String, usize)>,
    /// Non-empty header cells that map to nothing (序号 excluded).
    pub unknown: Vec<(u32, String)>,
}

impl Layout {
    pub fn column_of(&self, field: usize) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }
}

/// Cell access by absolute position.
pub fn cell_at(sheet: &RawSheet, row: u32, col: u32) -> &Cell {
    const EMPTY: Cell = Cell::Empty;
    if row < sheet.first_row || col < sheet.first_col {
        return &EMPTY;
    }
    sheet
        .rows
        .get((row - sheet.first_row) as usize)
        .and_then(|r| r.get((col - sheet.first_col) as usize))
        .unwrap_or(&EMPTY)
}

fn text_at(sheet: &RawSheet, row: u32, col: u32) -> String {
    match cell_at(sheet, row, col) {
        Cell::Text(s) => s.trim().to_string(),
        _ => String::new(),
    }
}

pub fn last_col(sheet: &RawSheet) -> u32 {
    let w = sheet.rows.iter().map(|r| r.len()).max().unwrap_or(0) as u32;
    sheet.first_col + w
}

pub fn last_row(sheet: &RawSheet) -> u32 {
    sheet.first_row + sheet.rows.len() as u32
}

/// A labelled note cell ("填报单位:", "填报日期：2026年6月3日", "填报单位(盖章):"):
/// never part of a header. A header cell that only names the field ("填报单位")
/// is not one.
fn is_note_cell(s: &str) -> bool {
    const LABELS: [&str; 5] = ["填报单位", "填报日期", "填报时间", "报送日期", "报送时间"];
    if !(s.contains("填报") || s.contains("报送")) {
        return false;
    }
    let t = super::text::name_key(s);
    LABELS.iter().any(|l| {
        t.split(l)
            .skip(1)
            .any(|rest| rest.starts_with(':') || rest.starts_with('('))
    })
}

/// A row can only be a header if it has at least three text cells, no
/// numbers or dates and no labelled note cell — so the note row right above a
/// header ("填报单位:" "县交通局" "填报日期:" "单位:亿元" in their own cells) is
/// never taken for the top row of a two-row header. Cheap to check on every
/// row of a big sheet.
fn header_candidate(sheet: &RawSheet, row: u32) -> bool {
    let Some(cells) = sheet.rows.get(row.wrapping_sub(sheet.first_row) as usize) else {
        return false;
    };
    let mut texts = 0;
    for c in cells {
        match c {
            Cell::Text(s) if is_note_cell(s) => return false,
            Cell::Text(s) if !s.trim().is_empty() => texts += 1,
            Cell::Number(_) | Cell::Date(_) => return false,
            _ => {}
        }
    }
    texts >= 3
}

/// The text a merged region shows at (row, col), if (row, col) lies in one.
pub fn merged_origin(sheet: &RawSheet, row: u32, col: u32) -> Option<(u32, u32)> {
    sheet
        .merged
        .iter()
        .find(|(r0, c0, r1, c1)| (*r0..=*r1).contains(&row) && (*c0..=*c1).contains(&col))
        .map(|(r0, c0, _, _)| (*r0, *c0))
}

/// Map the header at `row` (and `row + 1` when `two_rows`).
fn map_row(
    schema: &'static Schema,
    sheet: &RawSheet,
    row: u32,
    two_rows: bool,
    keys: &mut Keys,
) -> Layout {
    let end = last_col(sheet);
    let mut layout = Layout {
        schema,
        header_first: row,
        header_last: if two_rows { row + 1 } else { row },
        columns: Vec::new(),
        duplicates: Vec::new(),
        unknown: Vec::new(),
    };
    let mut carried_top = String::new();
    for col in sheet.first_col..end {
        let mut top = text_at(sheet, row, col);
        let sub = if two_rows {
            text_at(sheet, row + 1, col)
        } else {
            String::new()
        };
        if two_rows && top.is_empty() {
            // A group cell merged across: its text sits in the region's first cell.
            if let Some((r0, c0)) = merged_origin(sheet, row, col) {
                if r0 == row && c0 < col {
                    top = text_at(sheet, r0, c0);
                }
            } else if !sub.is_empty() && !carried_top.is_empty() {
                // No merge information (ods, or not merged): carry the group
                // text right while sub-headers continue.
                top = carried_top.clone();
            }
        }
        carried_top = if two_rows && !sub.is_empty() {
            top.clone()
        } else {
            String::new()
        };
        if top.is_empty() && sub.is_empty() {
            continue;
        }
        let found = if sub.is_empty() {
            schema.map_header_with(&top, keys).map(|m| (m, top.clone()))
        } else {
            [sub.clone(), format!("{top}{sub}"), format!("{sub}{top}")]
                .into_iter()
                .find_map(|h| schema.map_header_with(&h, keys).map(|m| (m, h)))
                .map(|((f, u), h)| ((f, u.or(keys.get(&top).1)), h))
        };
        let shown = if sub.is_empty() {
            top.clone()
        } else if top.is_empty() {
            sub.clone()
        } else {
            format!("{top}/{sub}")
        };
        match found {
            Some(((field, unit), _)) => {
                if layout.columns.iter().any(|c| c.field == field) {
                    layout.duplicates.push((col, shown, field));
                } else {
                    layout.columns.push(Column {
                        col,
                        field,
                        header: shown,
                        unit,
                    });
                }
            }
            None => {
                let k = &keys.get(&shown).0;
                if !forms::IGNORED_HEADERS.contains(&k.as_str()) {
                    layout.unknown.push((col, shown));
                }
            }
        }
    }
    layout
}

fn satisfies(layout: &Layout) -> bool {
    layout.schema.signature.iter().all(|key| {
        let i = layout.schema.field_index(key);
        layout.columns.iter().any(|c| c.field == i)
    })
}

/// The best header for any of `schemas` at `row`, one or two rows deep.
pub fn header_at(schemas: &[&'static Schema], sheet: &RawSheet, row: u32) -> Option<Layout> {
    if !header_candidate(sheet, row) {
        return None;
    }
    let mut best: Option<Layout> = None;
    let mut keys = Keys::default();
    for &schema in schemas {
        let one = map_row(schema, sheet, row, false, &mut keys);
        let two = if row + 1 < last_row(sheet) {
            Some(map_row(schema, sheet, row, true, &mut keys))
        } else {
            None
        };
        let pick = match two {
            Some(t) if satisfies(&t) && t.columns.len() > one.columns.len() => t,
            _ => one,
        };
        if satisfies(&pick)
            && best
                .as_ref()
                .is_none_or(|b| pick.columns.len() > b.columns.len())
        {
            best = Some(pick);
        }
    }
    best
}

/// Every table header in a sheet, top to bottom. The first header must lie in
/// the first `scan_rows` rows of the sheet; further tables may follow below the
/// data of the one before (several tables on one sheet).
pub fn find_tables(schemas: &[&'static Schema], sheet: &RawSheet, scan_rows: u32) -> Vec<Layout> {
    let mut out: Vec<Layout> = Vec::new();
    let end = last_row(sheet);
    let mut row = sheet.first_row;
    while row < end {
        if out.is_empty() && row >= scan_rows {
            break;
        }
        if let Some(l) = header_at(schemas, sheet, row) {
            row = l.header_last + 1;
            out.push(l);
        } else {
            row += 1;
        }
    }
    out
}

/// All the text of the rows `from..to` joined, for the note rows above a header.
pub fn rows_text(sheet: &RawSheet, from: u32, to: u32) -> Vec<String> {
    (from..to)
        .map(|r| {
            let mut line = String::new();
            for c in sheet.first_col..last_col(sheet) {
                let t = cell_text(cell_at(sheet, r, c));
                if !t.is_empty() {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(&t);
                }
            }
            line
        })
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: Vec<Vec<&str>>) -> RawSheet {
        RawSheet {
            name: "S".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else if let Ok(n) = s.parse::<f64>() {
                                Cell::Number(n)
                            } else {
                                Cell::Text(s.into())
                            }
                        })
                        .collect()
                })
                .collect(),
            merged: vec![],
        }
    }

    fn all() -> Vec<&'static Schema> {
        TableKind::ALL
            .iter()
            .map(|k| Schema::for_table(*k))
            .collect()
    }

    fn keys(l: &Layout) -> Vec<(u32, &'static str)> {
        l.columns
            .iter()
            .map(|c| (c.col, l.schema.fields[c.field].key))
            .collect()
    }

    #[test]
    fn finds_header_below_title_rows() {
        let s = sheet(vec![
            vec!["XX县重点项目建设进度月报表(2026年5月)"],
            vec!["填报单位:县交通局  填报日期:2026年6月3日  单位:万元"],
            vec![
                "序号",
                "项目编号",
                "项目名称",
                "项目类别",
                "总投资",
                "年度计划投资",
                "累计完成投资",
                "备注",
            ],
            vec!["1", "JT-1", "路", "新建", "100", "50", "20", ""],
        ]);
        let t = find_tables(&all(), &s, 15);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].schema.table, Some(TableKind::Projects));
        assert_eq!(t[0].header_first, 2);
        assert_eq!(t[0].header_last, 2);
        assert_eq!(
            keys(&t[0]),
            vec![
                (1, "project_id"),
                (2, "project_name"),
                (3, "category"),
                (4, "total_invest"),
                (5, "annual_plan"),
                (6, "ytd_done")
            ]
        );
        // 序号 is ignored silently, 备注 is listed as unknown.
        assert_eq!(t[0].unknown, vec![(7, "备注".to_string())]);
    }

    #[test]
    fn a_note_in_cells_right_above_the_header_is_no_group_row() {
        // "填报单位:" "县交通局" "填报日期:" "单位:亿元" in four cells, no date
        // yet: three text cells, but a note, not the top row of a two-row header.
        let s = sheet(vec![
            vec!["县交通局重点项目建设进度月报表(2026年6月)"],
            vec![
                "填报单位:",
                "县交通局",
                "",
                "填报日期:",
                "",
                "",
                "单位:亿元",
            ],
            vec![
                "项目编号",
                "项目名称",
                "责任单位",
                "项目类别",
                "总投资(亿元)",
                "年度计划投资",
                "累计完成投资",
            ],
            vec!["JT-1", "路", "", "新建", "1.5", "0.5", "0.2"],
        ]);
        let t = find_tables(&all(), &s, 15);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].header_first, t[0].header_last), (2, 2));
        assert!(t[0].columns.iter().all(|c| !c.header.contains('/')));
        assert!(!header_candidate(&s, 1));
        // A header cell that merely names 填报单位 is still a header.
        let h = sheet(vec![vec!["填报单位", "项目编号", "项目名称", "总投资"]]);
        assert!(header_candidate(&h, 0));
    }

    #[test]
    fn two_row_header_under_merged_group() {
        let mut s = sheet(vec![
            vec![
                "项目编号",
                "项目名称",
                "项目类别",
                "总投资(万元)",
                "年度计划投资(万元)",
                "完成投资(亿元)",
                "",
            ],
            vec!["", "", "", "", "", "本月", "累计"],
            vec!["A-1", "路", "新建", "100", "50", "0.1", "0.2"],
        ]);
        s.merged = vec![(0, 5, 0, 6), (0, 0, 1, 0)];
        let t = find_tables(&all(), &s, 15);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header_last, 1);
        let k = keys(&t[0]);
        assert!(k.contains(&(5, "month_done")), "{k:?}");
        assert!(k.contains(&(6, "ytd_done")), "{k:?}");
        // The group's unit applies to both sub-columns.
        assert_eq!(t[0].column_of(9).unwrap().unit, Some(MoneyUnit::Yiyuan));
        assert_eq!(t[0].column_of(8).unwrap().unit, Some(MoneyUnit::Yiyuan));
        // Without merge information the group text is carried right.
        s.merged.clear();
        let t = find_tables(&all(), &s, 15);
        assert!(keys(&t[0]).contains(&(6, "ytd_done")));
    }

    #[test]
    fn traditional_and_broken_headers() {
        let s = sheet(vec![
            vec![
                "項目編號",
                "項目 名稱",
                "項目類別",
                "總投資（萬元）",
                "年度計劃投資",
                "累计完成\n投资(万元)",
                "當月完成投資",
            ],
            vec!["A-1", "路", "新建", "100", "50", "20", "5"],
        ]);
        let t = find_tables(&all(), &s, 15);
        assert_eq!(
            keys(&t[0]),
            vec![
                (0, "project_id"),
                (1, "project_name"),
                (2, "category"),
                (3, "total_invest"),
                (4, "annual_plan"),
                (5, "ytd_done"),
                (6, "month_done")
            ]
        );
    }

    #[test]
    fn several_tables_on_one_sheet_and_header_limit() {
        let s = sheet(vec![
            vec!["项目编号", "节点名称", "计划完成日期", "实际完成日期"],
            vec!["A-1", "开工", "2026-04-01", ""],
            vec![""],
            vec!["招商引资情况"],
            vec!["项目名称", "进展阶段", "累计到位资金(万元)"],
            vec!["厂", "签约", "100"],
        ]);
        let t = find_tables(&all(), &s, 15);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].schema.table, Some(TableKind::Milestones));
        assert_eq!(t[1].schema.table, Some(TableKind::Attraction));
        assert_eq!(t[1].header_first, 4);
        // The first header must be within the scan limit.
        assert!(find_tables(&all(), &s, 0).is_empty());
    }

    #[test]
    fn xuhao_is_not_the_project_id() {
        let s = sheet(vec![vec!["序号", "项目名称", "总投资", "年度计划投资"]]);
        assert!(find_tables(&all(), &s, 15).is_empty());
    }
}
