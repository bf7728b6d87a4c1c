//! Reading: from a file in the inbox to typed rows and findings.
//!
//! `discover` lists the inbox, `workbook` opens a file safely, `header` finds
//! the tables, `cell` and `text` parse values; this module walks a sheet's data
//! rows and turns them into `Record`s, checking every field against the schema.

pub mod cell;
pub mod discover;
pub mod fuzz;
pub mod header;
/// Text helpers live one layer down (`crate::text`); the old path stays.
pub use crate::text;
pub mod workbook;
mod xlsx_merged;
mod xlsx_precheck;

use crate::config::Period;
use crate::finding::{Code, Finding, Place};
use crate::forms::{self, attraction, milestone, project, Field, FieldType, Required, TableKind};
use crate::formwords::FormWords;
use crate::model::{Record, Source, Value};
use crate::util::FastMap;
use cell::{cell_text, parse_amount, parse_date, parse_date_text, parse_number, CellProblem};
use chrono::NaiveDate;
use header::{cell_at, find_tables_with, last_row, rows_text, Layout, MapCtx, Schema};
use std::sync::{Arc, OnceLock};
use text::{clean, MoneyUnit};
use workbook::{Cell, RawSheet, Workbook};

/// Text fields that are matched against the roster or a list, so they are
/// normalised (half-width, simplified, trimmed); other text is kept as typed.
const MATCHED_TEXT: [Field; 3] = [project::UNIT, attraction::UNIT, milestone::QTY_UNIT];

/// Whether the text field at `index` of `table` is its 项目编号.
fn is_id(table: TableKind, index: usize) -> bool {
    table.id_field().is_some_and(|f| f.index() == index)
}

/// Whether the text field at `index` of `table` is one of [`MATCHED_TEXT`].
fn is_matched(table: TableKind, index: usize) -> bool {
    table
        .field_at(index)
        .is_some_and(|f| MATCHED_TEXT.contains(&f))
}

/// Whether a text field's value is normalised (`clean`) rather than kept as typed.
fn is_normalised_text(table: TableKind, index: usize) -> bool {
    is_id(table, index) || is_matched(table, index)
}

/// What the note rows above a table say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Note {
    /// 填报单位 as written.
    pub unit: Option<String>,
    /// 填报日期, parsed.
    pub report_date: Option<NaiveDate>,
    /// "单位:万元" and the like.
    pub money: Option<MoneyUnit>,
}

const NOTE_STOPS: &[&str] = &[
    "填报单位",
    "填报日期",
    "填报时间",
    "报送日期",
    "报送时间",
    "金额单位",
    "单位:",
    "联系人",
    "填表人",
    "审核人",
    "联系电话",
];

/// The value after a label such as "填报单位:" up to the next label or space.
fn after_label<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    for l in labels {
        if let Some(i) = line.find(l) {
            let mut rest = &line[i + l.len()..];
            // "填报单位(盖章):" — skip a bracketed remark, then separators.
            if rest.starts_with('(') {
                if let Some(j) = rest.find(')') {
                    rest = &rest[j + 1..];
                }
            }
            let rest = rest.trim_start_matches([':', ' ', '：']);
            let mut end = rest.find(' ').unwrap_or(rest.len());
            for stop in NOTE_STOPS {
                if let Some(j) = rest.find(stop) {
                    end = end.min(j);
                }
            }
            let v = rest[..end].trim();
            if !v.is_empty() {
                return Some(v);
            }
        }
    }
    None
}

/// Parse note lines ("填报单位:县交通局  填报日期:2026年6月3日  单位:万元").
pub fn parse_note(lines: &[String], period_year: i32) -> Note {
    let mut note = Note::default();
    for raw in lines {
        let line = clean(raw);
        if note.unit.is_none() {
            note.unit = after_label(&line, &["填报单位"]).map(str::to_string);
        }
        if note.report_date.is_none() {
            if let Some(v) = after_label(&line, &["填报日期", "填报时间", "报送日期", "报送时间"])
            {
                note.report_date = parse_date_text(v, period_year).ok().flatten();
            }
        }
        if note.money.is_none() {
            let mut from = 0;
            while let Some(i) = line[from..].find("单位") {
                let at = from + i + "单位".len();
                let rest = line[at..].trim_start_matches([':', ' ']);
                if let Some((_, u)) = MoneyUnit::BY_NAME
                    .iter()
                    .find(|(name, _)| rest.starts_with(name))
                {
                    note.money = Some(*u);
                    break;
                }
                from = at;
            }
        }
    }
    note
}

/// A table as read from one sheet: its layout, rows and the unit of its amounts.
#[derive(Debug)]
pub struct TableRead {
    pub table: TableKind,
    pub sheet: Arc<str>,
    pub layout: Layout,
    pub note: Note,
    pub records: Vec<Record>,
}

/// Everything read from one submission file.
#[derive(Debug, Default)]
pub struct FileRead {
    pub tables: Vec<TableRead>,
    /// The note of the first table that has one (填报单位, 填报日期).
    pub note: Note,
    pub findings: Vec<Finding>,
}

/// How a row of a table's data region is taken.
#[derive(Debug, PartialEq)]
enum RowKind {
    Blank,
    Footer,
    /// A note or title row (填报单位…, a table title before the next header).
    Note,
    /// 一、新建项目 — a section heading inside the table.
    Section,
    /// 合计 (all rows so far) or 小计 (rows since the last total).
    Total {
        grand: bool,
    },
    Data,
}

/// The cells of a row as read (trailing empty cells trimmed): the same cells
/// as `cell_at` over `first_col..last_col`, without scanning the sheet for its
/// width on every row.
fn row_cells(sheet: &RawSheet, row: u32) -> &[Cell] {
    row.checked_sub(sheet.first_row)
        .and_then(|r| sheet.rows.get(r as usize))
        .map_or(&[], Vec::as_slice)
}

/// Whether a cell shows nothing: `cell_text(c).is_empty()` without building the text.
fn is_blank(c: &Cell) -> bool {
    match c {
        Cell::Empty => true,
        Cell::Text(s) => s.trim().is_empty(),
        Cell::Error(e) => e.is_empty(),
        Cell::Number(_) | Cell::Bool(_) | Cell::Date(_) => false,
    }
}

/// Name keys of texts already seen in a table: the first texts of its rows
/// (a unit, a milestone name) repeat from row to row, and `name_key` converts.
type NameKeys<'s> = FastMap<&'s str, String>;

/// What the text cells of a table gave, by their text: a unit, a measure unit
/// or a choice is written the same way in many rows, and cleaning converts.
#[derive(Default)]
struct TextMemo<'s> {
    /// `clean` of a text.
    clean: FastMap<&'s str, String>,
    /// The choice a text means, by field (fields differ in their choices).
    choice: FastMap<(usize, &'s str), Option<&'static str>>,
}

/// The name keys of the first three non-blank text cells of a row.
fn first_texts<'k, 's>(sheet: &'s RawSheet, row: u32, keys: &'k mut NameKeys<'s>) -> Vec<&'k str> {
    let raw: Vec<&'s str> = row_cells(sheet, row)
        .iter()
        .filter_map(|c| match c {
            Cell::Text(s) if !s.trim().is_empty() => Some(s.as_str()),
            _ => None,
        })
        .take(3)
        .collect();
    for s in &raw {
        keys.entry(*s).or_insert_with(|| text::name_key(s));
    }
    let keys: &'k NameKeys<'s> = keys;
    raw.iter().map(|s| keys[s].as_str()).collect()
}

/// What a section row (docs/forms.md §9.5) sets for the rows under it.
#[derive(Debug, Clone, Default)]
struct Section {
    /// The category it names, and the heading level that set it.
    category: Option<(&'static str, u8)>,
    /// The name it gives (a roster unit, merge decides), and its level.
    unit: Option<(Arc<str>, u8)>,
}

impl Section {
    /// Take a section heading: a level-1 heading (一、) clears what a
    /// level-2 heading ((一)) under the last one set.
    fn take(&mut self, heading: &str) {
        let level = if heading.starts_with('(') { 2 } else { 1 };
        let body = section_body(heading);
        if let Some(cat) = category_of_heading(&body) {
            self.category = Some((cat, level));
            if self.unit.as_ref().is_some_and(|(_, l)| *l > level) {
                self.unit = None;
            }
        } else if !body.is_empty() {
            self.unit = Some((Arc::from(body.as_str()), level));
            if self.category.is_some_and(|(_, l)| l > level) {
                self.category = None;
            }
        }
    }
}

/// A heading without its numbering and its count: "一、城关镇(5项)" → "城关镇".
fn section_body(heading: &str) -> String {
    const NUMS: &str = "一二三四五六七八九十";
    let mut t = heading.trim();
    if let Some(rest) = t.strip_prefix('(') {
        if let Some(i) = rest.find(')') {
            if rest[..i].chars().all(|c| NUMS.contains(c)) {
                t = &rest[i + 1..];
            }
        }
    } else {
        let n = t.chars().take_while(|c| NUMS.contains(*c)).count();
        if n > 0 {
            let rest: String = t.chars().skip(n).collect();
            if let Some(r) = rest.strip_prefix(['、', '.']) {
                return section_body_tail(r);
            }
        }
    }
    section_body_tail(t)
}

/// Cut a trailing count "(5项)", "（10个）", "48项".
fn section_body_tail(t: &str) -> String {
    let mut t = t.trim().to_string();
    if let Some(i) = t.rfind('(') {
        if t.ends_with(')') && t[i..].chars().any(|c| c.is_ascii_digit()) {
            t.truncate(i);
        }
    }
    let trimmed = t
        .trim_end_matches(['项', '个'])
        .trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < t.len() && t.ends_with(['项', '个']) {
        t = trimmed.to_string();
    }
    t.trim().to_string()
}

/// The category a section heading names: 新建项目, 续建项目, 在建项目,
/// 前期工作项目, 预备项目 … (docs/forms.md §9.5).
fn category_of_heading(body: &str) -> Option<&'static str> {
    let k = text::name_key(body);
    // A heading is short: "新建项目", "续建工业项目"; not a project's name.
    if k.chars().count() > 12 {
        return None;
    }
    match_choice(&k, forms::CATEGORIES)
}

fn is_section_heading(t: &str) -> bool {
    const NUMS: &str = "一二三四五六七八九十";
    let mut chars = t.chars();
    match chars.next() {
        Some(c) if NUMS.contains(c) => {
            let rest: String = chars.skip_while(|c| NUMS.contains(*c)).collect();
            rest.starts_with('、') || rest.starts_with('.')
        }
        Some('(') => {
            let rest: String = chars.collect();
            rest.chars().next().is_some_and(|c| NUMS.contains(c)) && rest.contains(')')
        }
        _ => false,
    }
}

/// `FOOTER_PREFIXES` as name keys, made once rather than for every row.
fn footer_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        forms::FOOTER_PREFIXES
            .iter()
            .map(|p| text::name_key(p))
            .collect()
    })
}

fn classify<'s>(
    sheet: &'s RawSheet,
    layout: &Layout,
    row: u32,
    keys: &mut NameKeys<'s>,
) -> RowKind {
    let nonempty = row_cells(sheet, row)
        .iter()
        .filter(|c| !is_blank(c))
        .count();
    if nonempty == 0 {
        return RowKind::Blank;
    }
    let texts = first_texts(sheet, row, keys);
    if let Some(first) = texts.first() {
        if footer_keys().iter().any(|p| first.starts_with(p.as_str())) {
            return RowKind::Footer;
        }
        if first.contains("填报单位") || first.contains("填报日期") {
            return RowKind::Note;
        }
    }
    for t in &texts {
        let t = t.trim_matches(|c: char| c.is_ascii_punctuation());
        if forms::TOTAL_WORDS.contains(&t) || t.ends_with("合计") || t.starts_with("合计") {
            return RowKind::Total {
                grand: !t.contains("小计"),
            };
        }
        if t.starts_with("小计") {
            return RowKind::Total { grand: false };
        }
    }
    // Section headings: the id column empty, a heading in the first text cell;
    // or a row with cells in the table's first two columns only that names a
    // category ("在建项目", docs/forms.md §9.5).
    let id_empty = layout
        .schema
        .table
        .and_then(TableKind::id_field)
        .and_then(|f| layout.column_of(f.index()))
        .is_none_or(|c| is_blank(cell_at(sheet, row, c.col)));
    if (id_empty || nonempty == 1) && texts.first().is_some_and(|t| is_section_heading(t)) {
        return RowKind::Section;
    }
    if id_empty && texts.len() <= 2 && in_first_two_columns(sheet, layout, row) {
        if let Some(t) = texts.last() {
            if category_of_heading(&section_body(t)).is_some() {
                return RowKind::Section;
            }
        }
    }
    // A lone title ("招商引资情况表") over what follows is not a row of this
    // table; nor is a row with nothing in any mapped column.
    let mapped = layout
        .columns
        .iter()
        .filter(|c| !is_blank(cell_at(sheet, row, c.col)))
        .count();
    let title_words = ["表", "情况", "统计", "清单", "明细", "汇总"];
    if mapped == 0
        || (nonempty == 1 && texts.len() == 1 && title_words.iter().any(|w| texts[0].contains(w)))
    {
        return RowKind::Note;
    }
    RowKind::Data
}

/// Whether every non-blank cell of a row lies in the table's first two
/// columns (counted from the header row's first cell).
fn in_first_two_columns(sheet: &RawSheet, layout: &Layout, row: u32) -> bool {
    let first = row_cells(sheet, layout.header_first)
        .iter()
        .position(|c| !is_blank(c))
        .unwrap_or(0);
    row_cells(sheet, row)
        .iter()
        .enumerate()
        .all(|(i, c)| is_blank(c) || i <= first + 1)
}

/// The first non-blank text of a row, as written (for a section heading).
fn first_text(sheet: &RawSheet, row: u32) -> Option<String> {
    row_cells(sheet, row).iter().find_map(|c| match c {
        Cell::Text(s) if !s.trim().is_empty() => Some(text::clean(s)),
        _ => None,
    })
}

/// Words units write for a choice, and the choice they mean.
const CHOICE_WORDS: &[(&str, &str)] = &[
    ("新开工", "新建"),
    ("拟开工", "新建"),
    ("续建项目", "续建"),
    ("在建", "续建"),
    ("前期谋划", "前期"),
    ("储备", "前期"),
    ("预备", "前期"),
    ("筹建", "前期"),
    ("在谈", "洽谈"),
    ("对接", "洽谈"),
    ("接洽", "洽谈"),
    ("已落地", "签约"),
    ("在建", "开工"),
    ("建设中", "开工"),
    ("竣工投产", "投产"),
    ("已投运", "投产"),
    ("国外", "境外"),
    ("海外", "境外"),
    ("外资", "境外"),
    ("港澳台", "境外"),
    ("外省", "省外"),
];

/// Normalise a choice value: "新建项目" → 新建, "已签约" → 签约, "在谈" → 洽谈.
pub fn match_choice(v: &str, choices: &[&'static str]) -> Option<&'static str> {
    let k = text::name_key(v);
    if let Some(c) = choices.iter().find(|c| **c == k) {
        return Some(c);
    }
    // A known wording, when what it means is one of this field's choices.
    if let Some(c) = CHOICE_WORDS
        .iter()
        .filter(|(w, _)| k.contains(w))
        .find_map(|(_, meant)| choices.iter().find(|c| *c == meant))
    {
        return Some(c);
    }
    let hits: Vec<&&str> = choices.iter().filter(|c| k.contains(**c)).collect();
    match hits.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// What parsing a table's data rows needs, the same for every row.
struct RowCtx<'a, 's> {
    file: &'a Arc<str>,
    sheet: &'s RawSheet,
    sheet_name: &'a Arc<str>,
    layout: &'a Layout,
    /// The column of each field, shared by the table's records.
    cols: &'a Arc<[Option<u32>]>,
    table: TableKind,
    /// The table's money unit (a column may name its own).
    money: MoneyUnit,
    period: Period,
    file_idx: usize,
    words: &'a FormWords,
}

/// A finding about a cell of the row, its message still to write.
type CellFinding<'b> = dyn Fn(Code, &'static str, Option<u32>) -> Finding + 'b;

/// Parse one data row into a record, with findings for every field problem:
/// each column's value, then what the row as a whole says (the section's
/// category, required values, blanks as 0, 是否开工 against its date, the
/// row rules).
fn parse_row<'s>(
    cx: &RowCtx<'_, 's>,
    row: u32,
    src: Source,
    findings: &mut Vec<Finding>,
    memo: &mut TextMemo<'s>,
    section: &Section,
) -> Record {
    let table = cx.table;
    let fields = table.fields();
    let mut values = vec![Value::Null; fields.len()];
    let mut has_error = false;
    // Only a finding needs the file name or a cell's text: build them then.
    let base = |code: Code, key: &'static str, col: Option<u32>| {
        Finding::new(code, src.file.to_string(), String::new())
            .table(table)
            .sheet(src.sheet.to_string())
            .at(row, col)
            .field_key(key)
    };
    for col in &cx.layout.columns {
        let (v, bad) = field_value(cx, row, col, &base, memo, findings);
        values[col.field] = v;
        has_error |= bad;
    }
    // A value that failed to parse is already an error; "missing" is for blanks.
    let failed = failed_fields(findings, row, &src, fields);
    let idx = |f: Field| (f.table() == table).then_some(f.index());
    // A row without a category of its own takes its section's (§9.5).
    if let (Some(i), Some((cat, _))) = (idx(project::CATEGORY), section.category) {
        if values[i].is_null() && !failed.contains(&i) {
            values[i] = Value::Text(cat.to_string());
        }
    }
    has_error |= missing_values(table, &values, &failed, cx.cols, &base, findings);
    // Blank means 0 for this month's figures.
    for k in [project::MONTH_DONE, attraction::MONTH_FUNDS] {
        if let Some(i) = idx(k) {
            if values[i].is_null() && !failed.contains(&i) {
                values[i] = Value::Num(0.0);
            }
        }
    }
    // 是否开工 是 with a date after the period end: kept, the date decides
    // (§9.4), so not also rejected for the date.
    let late_start_warned = table == TableKind::Projects
        && start_conflict(&mut values, cx.cols, cx.period, &base, findings);
    let section_unit = match table.unit_field().map(Field::index) {
        Some(i) if values[i].is_null() => section.unit.as_ref().map(|(u, _)| u.clone()),
        _ => None,
    };
    let mut rec = Record {
        table,
        values,
        cols: cx.cols.clone(),
        src,
        file_idx: cx.file_idx,
        unit: None,
        has_error,
        section_unit,
    };
    crate::validate::row_rules_with(&mut rec, cx.period, findings, late_start_warned);
    rec
}

/// The fields of the row (ending at 0-based `row`) whose value failed to
/// parse: the findings just pushed for it.
fn failed_fields(
    findings: &[Finding],
    row: u32,
    src: &Source,
    fields: &[forms::FieldSpec],
) -> Vec<usize> {
    findings
        .iter()
        .rev()
        .take_while(|f| {
            f.row == Some(row + 1)
                && *f.file == *src.file
                && f.sheet.as_deref() == Some(&*src.sheet)
        })
        .filter_map(|f| f.field)
        .filter_map(|k| fields.iter().position(|s| s.key == k))
        .collect()
}

/// A finding for every required value left blank (and not failed); true
/// when there was one.
fn missing_values(
    table: TableKind,
    values: &[Value],
    failed: &[usize],
    cols: &[Option<u32>],
    base: &CellFinding,
    findings: &mut Vec<Finding>,
) -> bool {
    let fields = table.fields();
    let idx = |f: Field| (f.table() == table).then_some(f.index());
    let text_of = |f: Field| idx(f).and_then(|i| values[i].text().map(str::to_string));
    let mut any = false;
    for (i, spec) in fields.iter().enumerate() {
        if !values[i].is_null() || failed.contains(&i) {
            continue;
        }
        let needed = match spec.required {
            Required::Yes => true,
            Required::No => false,
            // A table without 项目编号 keys its rows by name (§9.3).
            Required::Key => cols[i].is_some(),
            // A form without the column cannot say it (§9.4: no 计划开工日期).
            Required::ForNewOrContinuing => {
                cols[i].is_some()
                    && matches!(text_of(project::CATEGORY).as_deref(), Some("新建" | "续建"))
            }
            Required::WhenSigned => {
                matches!(
                    text_of(attraction::STAGE).as_deref(),
                    Some("签约" | "开工" | "投产")
                )
            }
        };
        if needed {
            let mut f = base(Code::CellMissingValue, spec.key, cols[i]);
            f.message = match spec.required {
                Required::ForNewOrContinuing => format!("新建、续建项目必须填写{}", spec.label()),
                Required::WhenSigned => format!("已签约的项目必须填写{}", spec.label()),
                _ => format!("{}为必填项,不能为空", spec.label()),
            };
            if cols[i].is_none() {
                f.message.push_str("(表中没有这一列)");
            }
            findings.push(f);
            any = true;
        }
    }
    any
}

/// The cell of a column in a data row: a text cell merged down over several
/// data rows (a 责任单位 or 包抓领导 for a group of projects) holds its value
/// only in its first row.
fn field_cell<'s>(cx: &RowCtx<'_, 's>, row: u32, col: &header::Column) -> &'s Cell {
    let spec = &cx.table.fields()[col.field];
    let c = cell_at(cx.sheet, row, col.col);
    if matches!(c, Cell::Empty) && matches!(spec.ty, FieldType::Text | FieldType::Choice(_)) {
        if let Some((r0, c0)) = header::merged_origin(cx.sheet, row, col.col) {
            if r0 > cx.layout.header_last && r0 < row {
                return cell_at(cx.sheet, r0, c0);
            }
        }
    }
    c
}

/// One column's value in a data row, and whether it is an error (its
/// finding pushed).
fn field_value<'s>(
    cx: &RowCtx<'_, 's>,
    row: u32,
    col: &header::Column,
    base: &CellFinding,
    memo: &mut TextMemo<'s>,
    findings: &mut Vec<Finding>,
) -> (Value, bool) {
    let spec = &cx.table.fields()[col.field];
    let c = field_cell(cx, row, col);
    // Only a finding needs a cell's text as shown: build it then.
    let shown = || cell_text(c);
    // Text as typed: `clean` trims, so a text cell needs no trimmed copy first.
    // A text cell's cleaned text comes from the table's memo.
    let mut cleaned = || match c {
        Cell::Text(s) => memo
            .clean
            .entry(s.as_str())
            .or_insert_with(|| clean(s))
            .clone(),
        other => clean(&cell_text(other)),
    };
    let lab = spec.label();
    let mut bad = |f: Finding| {
        findings.push(f);
        true
    };
    match spec.ty {
        // Free text (names, progress, problems) is kept exactly as submitted:
        // nothing silently changed, and text that looks like a formula shows as
        // the same text everywhere. Only whether it is blank is asked, which
        // needs no cleaned copy.
        FieldType::Text
            if !is_normalised_text(cx.table, col.field) && matches!(c, Cell::Text(_)) =>
        {
            match c {
                Cell::Text(raw) if !text::is_blank(raw) => (Value::Text(raw.clone()), false),
                _ => (Value::Null, false),
            }
        }
        FieldType::Text => {
            let t = cleaned();
            if t.is_empty() {
                (Value::Null, false)
            } else if is_id(cx.table, col.field) {
                (Value::Text(t.replace(' ', "")), false)
            } else if is_matched(cx.table, col.field) {
                (Value::Text(t), false)
            } else {
                // Free text in a number or date cell: as shown.
                (Value::Text(t), false)
            }
        }
        FieldType::Choice(choices) => {
            let t = cleaned();
            if t.is_empty() {
                return (Value::Null, false);
            }
            match choice_of(cx, col, c, &t, choices, memo) {
                Some(c) => (Value::Text(c.to_string()), false),
                None => {
                    let mut f = base(Code::CellBadChoice, spec.key, Some(col.col)).value(shown());
                    f.message = format!(
                        "{lab}\"{t}\"不在可选范围内:请填写 {} 之一",
                        choices.join("、")
                    );
                    (Value::Text(t), bad(f))
                }
            }
        }
        FieldType::YesNo => {
            let t = cleaned();
            match yes_no(&t, spec.key, cx.words) {
                Some(yes) => (
                    Value::Text(if yes { "是" } else { "否" }.to_string()),
                    false,
                ),
                None => {
                    let mut f = base(Code::CellBadChoice, spec.key, Some(col.col)).value(shown());
                    f.message =
                        format!("{lab}\"{t}\"无法识别:请填写\"是\"或\"否\"(已开工填\"是\")");
                    (Value::Text(t), bad(f))
                }
            }
        }
        FieldType::Amount | FieldType::Quantity => {
            let parsed = if spec.ty == FieldType::Amount {
                parse_amount(c, col.unit.unwrap_or(cx.money))
            } else {
                parse_number(c).map(|o| o.map(|(v, _)| v))
            };
            match parsed {
                Ok(Some(n)) if n < 0.0 => {
                    let mut f = base(Code::CellNegative, spec.key, Some(col.col)).value(shown());
                    f.message = format!("{lab}不能为负数:请核实后填写");
                    (Value::Num(n), bad(f))
                }
                Ok(Some(n)) => (Value::Num(n), false),
                Ok(None) => (Value::Null, false),
                Err(p) => (
                    Value::Null,
                    bad(cell_problem(base, spec, col, c, p, "数字")),
                ),
            }
        }
        FieldType::Date => match parse_date(c, cx.period.year) {
            Ok(Some(d)) => (Value::Date(d), false),
            Ok(None) => (Value::Null, false),
            Err(p) => {
                let f = cell_problem(base, spec, col, c, p, "日期(如 2026-04-20)");
                (Value::Null, bad(f))
            }
        },
    }
}

/// The choice a text means: the office's words (forms.toml) first, then the
/// form's choices; the same for the same text, so a text cell's is looked up
/// once per field.
fn choice_of<'s>(
    cx: &RowCtx<'_, 's>,
    col: &header::Column,
    c: &'s Cell,
    t: &str,
    choices: &[&'static str],
    memo: &mut TextMemo<'s>,
) -> Option<&'static str> {
    let key = cx.table.fields()[col.field].key;
    let mean = |t: &str| cx.words.value(key, t).or_else(|| match_choice(t, choices));
    match c {
        Cell::Text(s) => *memo
            .choice
            .entry((col.field, s.as_str()))
            .or_insert_with(|| mean(t)),
        _ => mean(t),
    }
}

/// A cell that does not parse as `what`: an error value, or the wrong type.
fn cell_problem(
    base: &CellFinding,
    spec: &forms::FieldSpec,
    col: &header::Column,
    c: &Cell,
    p: CellProblem,
    what: &str,
) -> Finding {
    let lab = spec.label();
    let (code, msg) = match p {
        CellProblem::ErrorValue(e) => (
            Code::CellErrorValue,
            format!("{lab}是错误值 {e}:请检查该单元格的公式,填入数值"),
        ),
        _ => (
            Code::CellTypeError,
            format!("{lab}应为{what},无法识别:请按{what}格式填写"),
        ),
    };
    let mut f = base(code, spec.key, Some(col.col)).value(cell_text(c));
    f.message = msg;
    f
}

/// What a 是否开工 cell says: started (true), not (false, blank too), or
/// not a word we know (None).
fn yes_no(t: &str, key: &'static str, words: &FormWords) -> Option<bool> {
    if t.is_empty() {
        return Some(false);
    }
    if let Some(v) = words.value(key, t) {
        return Some(v == "是");
    }
    let k = text::name_key(t).to_uppercase();
    if forms::YES_WORDS.contains(&k.as_str()) {
        Some(true)
    } else if forms::NO_WORDS.contains(&k.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// 是否开工 against 实际开工日期 when a row has both (§9.4): the date decides,
/// and a disagreement is `row/start-conflict` naming both cells.
/// True when it warned of a 是 whose date lies after the period end.
fn start_conflict(
    values: &mut [Value],
    cols: &[Option<u32>],
    period: Period,
    base: &dyn Fn(Code, &'static str, Option<u32>) -> Finding,
    findings: &mut Vec<Finding>,
) -> bool {
    let (si, ai) = (project::STARTED.index(), project::ACTUAL_START.index());
    let (Some(scol), Some(acol)) = (cols[si], cols[ai]) else {
        return false;
    };
    let Some(flag) = values[si].text().map(|t| t == "是") else {
        return false;
    };
    let date = values[ai].date();
    let by_date = date.is_some_and(|d| d <= period.end());
    if flag == by_date {
        return false;
    }
    let mut f = base(Code::RowStartConflict, project::STARTED.key(), Some(scol));
    f.field = None;
    let row0 = f.row.map(|r| r - 1).unwrap_or(0);
    let (scell, acell) = (text::a1(row0, scol), text::a1(row0, acol));
    f.value = Some(if flag { "是" } else { "否" }.to_string());
    f.message = match (flag, date) {
        (true, None) => format!(
            "是否开工({scell})填\"是\",但实际开工日期({acell})为空:已按未开工统计,请补填实际开工日期或更正是否开工"
        ),
        (true, Some(d)) => format!(
            "是否开工({scell})填\"是\",但实际开工日期({acell})为 {d},晚于报告期末:已按日期统计为未开工,请核实"
        ),
        (false, Some(d)) => format!(
            "是否开工({scell})填\"否\",但实际开工日期({acell})为 {d}:已按日期统计为已开工,请核实"
        ),
        (false, None) => return false,
    };
    f.places = vec![Place {
        file: f.file.clone(),
        sheet: f.sheet.clone().unwrap_or_default(),
        row: row0 + 1,
        cell: Some(acell),
    }];
    findings.push(f);
    values[si] = Value::Text(if by_date { "是" } else { "否" }.to_string());
    flag && date.is_some_and(|d| d > period.end())
}

/// Sum the amount columns of records, by field index.
fn amount_sums(table: TableKind, recs: &[Record]) -> Vec<(usize, f64)> {
    table
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.ty == FieldType::Amount)
        .map(|(i, _)| (i, recs.iter().filter_map(|r| r.values[i].num()).sum()))
        .collect()
}

/// Read the data rows of one table.
#[allow(clippy::too_many_arguments)]
fn read_table(
    file: &Arc<str>,
    file_idx: usize,
    sheet: &RawSheet,
    sheet_name: &Arc<str>,
    layout: Layout,
    end_row: u32,
    note: Note,
    period: Period,
    findings: &mut Vec<Finding>,
    words: &FormWords,
) -> TableRead {
    let table = layout.schema.table.expect("submission schema");
    // The column of each field, the same for every row: shared by its records.
    let mut field_cols = vec![None; table.fields().len()];
    for c in &layout.columns {
        field_cols[c.field] = Some(c.col);
    }
    let field_cols: Arc<[Option<u32>]> = field_cols.into();
    let cx = RowCtx {
        file,
        sheet,
        sheet_name,
        layout: &layout,
        cols: &field_cols,
        table,
        money: note.money.unwrap_or(MoneyUnit::Wanyuan),
        period,
        file_idx,
        words,
    };
    let records = read_rows(&cx, end_row, findings);
    TableRead {
        table,
        sheet: sheet_name.clone(),
        layout,
        note,
        records,
    }
}

/// The records of a table's data rows, its section rows read for the rows
/// under them and its total rows checked against the rows they total.
fn read_rows(cx: &RowCtx, end_row: u32, findings: &mut Vec<Finding>) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut since_subtotal = 0usize;
    let mut name_keys = NameKeys::default();
    let mut text_memo = TextMemo::default();
    let mut section = Section::default();
    // Where the current section's rows start, and the totals waiting for
    // their rows: a 合计 above the data totals the whole table, a 小计 right
    // under its heading its section (docs/forms.md §9.9.2).
    let mut section_start = 0usize;
    let mut waiting: Vec<(u32, bool, usize)> = Vec::new();
    for row in cx.layout.header_last + 1..end_row {
        match classify(cx.sheet, cx.layout, row, &mut name_keys) {
            RowKind::Section => {
                // A 小计 waiting under the last heading totals that section.
                for (trow, grand, from) in std::mem::take(&mut waiting) {
                    if grand {
                        waiting.push((trow, grand, from));
                    } else {
                        check_total(cx, trow, false, &records[from..], findings);
                    }
                }
                if let Some(t) = first_text(cx.sheet, row) {
                    section.take(&t);
                }
                section_start = records.len();
                since_subtotal = records.len();
            }
            RowKind::Data => {
                let src = Source {
                    file: cx.file.clone(),
                    sheet: cx.sheet_name.clone(),
                    row: row + 1,
                };
                let rec = parse_row(cx, row, src, findings, &mut text_memo, &section);
                records.push(rec);
            }
            RowKind::Total { grand } => {
                let from = if grand {
                    0
                } else {
                    since_subtotal.max(section_start)
                };
                if records.len() == from {
                    // Above the rows it totals: checked when they are read.
                    waiting.push((row, grand, from));
                } else {
                    check_total(cx, row, grand, &records[from..], findings);
                }
                since_subtotal = records.len();
            }
            RowKind::Blank | RowKind::Footer | RowKind::Note => {}
        }
    }
    for (trow, grand, from) in waiting {
        check_total(cx, trow, grand, &records[from..], findings);
    }
    records
}

/// A total row against the rows it totals: `row/total-mismatch` for every
/// amount that differs.
fn check_total(cx: &RowCtx, row: u32, grand: bool, rows: &[Record], findings: &mut Vec<Finding>) {
    let (table, layout) = (cx.table, cx.layout);
    let sums = amount_sums(table, rows);
    let mut diffs = Vec::new();
    for (i, sum) in sums {
        let Some(c) = layout.column_of(i) else {
            continue;
        };
        let cell = cell_at(cx.sheet, row, c.col);
        if let Ok(Some(v)) = parse_amount(cell, c.unit.unwrap_or(cx.money)) {
            if (v - sum).abs() > 0.005 {
                diffs.push((i, c.col, v, sum));
            }
        }
    }
    for (i, col, v, sum) in diffs {
        let spec = &table.fields()[i];
        let mut f = Finding::new(Code::RowTotalMismatch, cx.file.to_string(), String::new())
            .table(table)
            .sheet(cx.sheet_name.to_string())
            .at(row, Some(col))
            .field_key(spec.key)
            .value(cell::fmt_num(v));
        f.message = format!(
            "{}行的{}为 {} 万元,与明细合计 {} 万元不符:合计行不参与汇总,请核对明细",
            if grand { "合计" } else { "小计" },
            spec.label(),
            cell::fmt_num(v),
            cell::fmt_num((sum * 10000.0).round() / 10000.0)
        );
        findings.push(f);
    }
}

/// Header-level findings of a layout.
fn header_findings(
    file: &str,
    sheet: &str,
    l: &Layout,
    money: Option<MoneyUnit>,
    period: Period,
    out: &mut Vec<Finding>,
) {
    let table = l.schema.table.expect("submission schema");
    let hdr = |code: Code, col: Option<u32>| {
        Finding::new(code, file, String::new())
            .table(table)
            .sheet(sheet)
            .at(l.header_first, col)
    };
    for (i, spec) in table.fields().iter().enumerate() {
        if spec.required == Required::Yes && l.column_of(i).is_none() {
            let mut f = hdr(Code::HeaderMissingField, None).field_key(spec.key);
            f.message = format!(
                "{}表缺少必填列\"{}\":请按模板补上这一列",
                table.title(),
                spec.header
            );
            out.push(f);
        }
    }
    for (col, text, field) in &l.duplicates {
        let first = l
            .column_of(*field)
            .map(|c| text::col_letters(c.col))
            .unwrap_or_default();
        let mut f = hdr(Code::HeaderDuplicateColumn, Some(*col))
            .field_key(table.fields()[*field].key)
            .value(text.clone());
        let since_start = !l.column_of(*field).is_some_and(|c| c.generic)
            && forms::GENERIC_CUMULATIVE.contains(&text::header_key(text).0.as_str());
        f.message = if since_start {
            format!("列\"{text}\"是开工以来的累计数(表中 {first} 列是本年的),已按 {first} 列读取,本列未读")
        } else {
            format!("列\"{text}\"与 {first} 列重复,已按 {first} 列读取,本列未读:请删去多余的一列")
        };
        out.push(f);
    }
    for (col, text, field) in &l.other_period {
        let mut f = hdr(Code::HeaderOtherPeriod, Some(*col)).value(text.clone());
        f.message = format!(
            "列\"{text}\"写的是其他月份或年份(不是本期 {}),未作为{}读取:如误报了上期报表,请改报本期数据",
            period.cn(),
            table.fields()[*field].label()
        );
        out.push(f);
    }
    for (col, text) in &l.unknown {
        let mut f = hdr(Code::HeaderUnknownColumn, Some(*col)).value(text.clone());
        f.message = format!("列\"{text}\"不是{}表的栏目,已忽略", table.title());
        out.push(f);
    }
    let mut converted: Vec<String> = Vec::new();
    for c in &l.columns {
        let spec = &table.fields()[c.field];
        if spec.ty == FieldType::Amount {
            if let Some(u) = c.unit.or(money).filter(|u| *u != MoneyUnit::Wanyuan) {
                converted.push(format!("{}({})", spec.label(), u.name()));
            }
        }
    }
    if !converted.is_empty() {
        let mut f = hdr(Code::HeaderUnitConverted, None);
        f.message = format!("金额已换算为万元:{}", converted.join("、"));
        out.push(f);
    }
}

/// Read all tables of a workbook with the built-in form alone.
pub fn read_workbook(
    file: &str,
    file_idx: usize,
    wb: &Workbook,
    period: Period,
    scan_rows: u32,
) -> FileRead {
    read_workbook_with(file, file_idx, wb, period, scan_rows, &FormWords::default())
}

/// Read all tables of a workbook, with the office's words (forms.toml).
/// Hidden sheets, rows and columns are read like visible ones; a sheet that
/// repeats an earlier sheet's table row for row is read once (§9.7).
pub fn read_workbook_with(
    file: &str,
    file_idx: usize,
    wb: &Workbook,
    period: Period,
    scan_rows: u32,
    words: &FormWords,
) -> FileRead {
    let file: Arc<str> = Arc::from(file);
    let schemas: Vec<&'static Schema> = TableKind::ALL
        .iter()
        .map(|k| Schema::for_table(*k))
        .collect();
    let ctx = MapCtx {
        period: Some(period),
        words,
    };
    let mut out = FileRead::default();
    let mut other_period: Option<(String, String)> = None;
    for sheet in &wb.sheets {
        let layouts = find_tables_with(&schemas, sheet, sheet.first_row + scan_rows, &ctx);
        if let Some(first) = layouts.first() {
            if other_period.is_none() {
                other_period = titled_period(sheet, first.header_first, period);
            }
        }
        let sheet_read = SheetRead {
            file: &file,
            file_idx,
            sheet,
            period,
            words,
        };
        sheet_read.tables(layouts, &mut out);
    }
    // A sheet that looks like a table but is none (the file has others): say
    // so, and how to find out why (docs/forms.md §9.8).
    if !out.tables.is_empty() {
        sheets_not_read(&file, wb, &schemas, scan_rows, &ctx, &mut out);
    }
    if let Some((sheet, line)) = other_period {
        out.findings.push(
            Finding::new(
                Code::FileOtherPeriod,
                file.to_string(),
                format!(
                    "标题\"{line}\"写的不是本期({}):请确认报送的是本期的报表;本文件的数据仍已读取",
                    period.cn()
                ),
            )
            .sheet(sheet),
        );
    }
    // Notes written anywhere on a sheet without a table (a cover sheet).
    if out.note.unit.is_none() || out.note.report_date.is_none() {
        for sheet in &wb.sheets {
            let top = (sheet.first_row + scan_rows).min(last_row(sheet));
            let n = parse_note(&rows_text(sheet, sheet.first_row, top), period.year);
            out.note.unit = out.note.unit.take().or(n.unit);
            out.note.report_date = out.note.report_date.or(n.report_date);
        }
    }
    out
}

/// A line above a sheet's first table (its header at `header_first`) that
/// names another period than the run's: the sheet's name and the line.
fn titled_period(sheet: &RawSheet, header_first: u32, period: Period) -> Option<(String, String)> {
    rows_text(sheet, sheet.first_row, header_first)
        .iter()
        .find_map(|line| {
            let (y, m) = named_period(line);
            let other = y.is_some_and(|y| y != period.year) || m.is_some_and(|m| m != period.month);
            other.then(|| (sheet.name.clone(), line.clone()))
        })
}

/// One sheet of a workbook being read.
struct SheetRead<'a> {
    file: &'a Arc<str>,
    file_idx: usize,
    sheet: &'a RawSheet,
    period: Period,
    words: &'a FormWords,
}

impl SheetRead<'_> {
    /// Read the sheet's tables (found at `layouts`, in order) into `out`: each
    /// with its note rows and header findings; a table that repeats one
    /// already read is a finding, not a table.
    fn tables(&self, layouts: Vec<Layout>, out: &mut FileRead) {
        let (sheet, period) = (self.sheet, self.period);
        let sheet_name: Arc<str> = Arc::from(sheet.name.as_str());
        let starts: Vec<u32> = layouts.iter().map(|l| l.header_first).collect();
        let mut prev_end = sheet.first_row;
        for (i, layout) in layouts.into_iter().enumerate() {
            let end = starts
                .get(i + 1)
                .copied()
                .unwrap_or_else(|| last_row(sheet));
            // Note rows: up to 6 rows above the header, not before the previous table.
            let from = layout.header_first.saturating_sub(6).max(prev_end);
            let note = parse_note(&rows_text(sheet, from, layout.header_first), period.year);
            let findings_before = out.findings.len();
            header_findings(
                self.file,
                &sheet.name,
                &layout,
                note.money,
                period,
                &mut out.findings,
            );
            let t = read_table(
                self.file,
                self.file_idx,
                sheet,
                &sheet_name,
                layout,
                end,
                note,
                period,
                &mut out.findings,
                self.words,
            );
            prev_end = t.layout.header_last + 1 + t.records.len() as u32;
            if let Some(copy_of) = out.tables.iter().find(|o| same_table(o, &t)) {
                // A copy: read once, its problems are the first's.
                out.findings.truncate(findings_before);
                let f = duplicate_sheet(self.file, copy_of, &t);
                out.findings.push(f);
                continue;
            }
            if out.note.unit.is_none() && t.note.unit.is_some() {
                out.note.unit = t.note.unit.clone();
            }
            if out.note.report_date.is_none() && t.note.report_date.is_some() {
                out.note.report_date = t.note.report_date;
            }
            out.tables.push(t);
        }
    }
}

/// The finding of a table `t` that repeats `copy_of` row for row.
fn duplicate_sheet(file: &str, copy_of: &TableRead, t: &TableRead) -> Finding {
    let mut f = Finding::new(
        Code::FileDuplicateSheet,
        file.to_string(),
        format!(
            "工作表\"{}\"的{}表与工作表\"{}\"逐行相同,是重复的副本,只读取一次",
            t.sheet,
            t.table.title(),
            copy_of.sheet
        ),
    )
    .table(t.table)
    .sheet(t.sheet.to_string());
    f.places = vec![Place {
        file: file.to_string(),
        sheet: copy_of.sheet.to_string(),
        row: copy_of.layout.header_first + 1,
        cell: None,
    }];
    f
}

/// The sheets that look like a table but were not read (neither a table
/// nor a copy of one): a finding each, naming the header row it guessed.
fn sheets_not_read(
    file: &str,
    wb: &Workbook,
    schemas: &[&'static Schema],
    scan_rows: u32,
    ctx: &MapCtx,
    out: &mut FileRead,
) {
    for sheet in &wb.sheets {
        if out.tables.iter().any(|t| *t.sheet == *sheet.name)
            || out.findings.iter().any(|f| {
                f.code == Code::FileDuplicateSheet && f.sheet.as_deref() == Some(&sheet.name)
            })
        {
            continue;
        }
        if let Some(l) = header::best_guess(schemas, sheet, sheet.first_row + scan_rows, ctx) {
            let table = l.schema.table.expect("submission schema");
            out.findings.push(
                Finding::new(
                    Code::FileSheetNotRead,
                    file.to_string(),
                    format!(
                        "工作表\"{}\"第 {} 行像{}表的表头,但缺少识别所需的栏目,未读取:如是本单位的报表,请运行 diaodu inspect \"{file}\" 查看缺少什么",
                        sheet.name,
                        l.header_first + 1,
                        table.title()
                    ),
                )
                .sheet(sheet.name.clone()),
            );
        }
    }
}

/// Whether `b` repeats `a` row for row: the same table, the same number of
/// rows, every value equal after parsing.
fn same_table(a: &TableRead, b: &TableRead) -> bool {
    a.table == b.table
        && a.records.len() == b.records.len()
        && !a.records.is_empty()
        && a.records.iter().zip(&b.records).all(|(x, y)| {
            x.values.len() == y.values.len()
                && x.values.iter().zip(&y.values).all(|(p, q)| p.same(q))
        })
}

/// The year and month a title or note line names (docs/forms.md §9.7), not
/// counting a 填报日期 or any full date (2026年6月3日).
pub fn named_period(line: &str) -> (Option<i32>, Option<u32>) {
    let mut k = text::name_key(line);
    for label in [
        "填报日期",
        "填报时间",
        "报送日期",
        "报送时间",
        "日期",
        "时间",
    ] {
        if let Some(i) = k.find(label) {
            k.truncate(i);
        }
    }
    // Full dates are not periods: drop "6月3日" style tails.
    let chars: Vec<char> = k.chars().collect();
    let mut kept = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '月' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && matches!(chars[j], '日' | '号') {
                // Remove the month number before 月 too.
                while kept.ends_with(|c: char| c.is_ascii_digit()) {
                    kept.pop();
                }
                i = j + 1;
                continue;
            }
        }
        kept.push(chars[i]);
        i += 1;
    }
    match text::period_template(&kept) {
        Some((_, y, m)) => (y, m),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes() {
        let n = parse_note(
            &["填报单位:县交通局  填报日期:2026年6月3日  单位:万元".to_string()],
            2026,
        );
        assert_eq!(n.unit.as_deref(), Some("县交通局"));
        assert_eq!(n.report_date, NaiveDate::from_ymd_opt(2026, 6, 3));
        assert_eq!(n.money, Some(MoneyUnit::Wanyuan));
        let n = parse_note(
            &[
                "填报单位(盖章):河口镇人民政府 金额单位:亿元".to_string(),
                "填报日期: 6月5日".to_string(),
            ],
            2026,
        );
        assert_eq!(n.unit.as_deref(), Some("河口镇人民政府"));
        assert_eq!(n.money, Some(MoneyUnit::Yiyuan));
        assert_eq!(n.report_date, NaiveDate::from_ymd_opt(2026, 6, 5));
        let n = parse_note(&["填报单位:县住建局".to_string()], 2026);
        assert_eq!(n.money, None);
        let n = parse_note(&["填报单位：城关镇填报日期：2026.6.2".to_string()], 2026);
        assert_eq!(n.unit.as_deref(), Some("城关镇"));
        assert_eq!(n.report_date, NaiveDate::from_ymd_opt(2026, 6, 2));
    }

    #[test]
    fn a_note_split_over_cells_right_above_the_header_gives_unit_and_money() {
        let t = |s: &str| Cell::Text(s.into());
        let mut header: Vec<Cell> = forms::PROJECT_FIELDS.iter().map(|f| t(f.label())).collect();
        header.truncate(10);
        let row = vec![
            t("JT-1"),
            t("G318改扩建"),
            Cell::Empty,
            Cell::Empty,
            t("新建"),
            Cell::Empty,
            Cell::Number(1.5),
            Cell::Number(0.5),
            Cell::Number(0.1),
            Cell::Number(0.2),
        ];
        let sheet = RawSheet {
            name: "重点项目".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows: vec![
                vec![t("县交通局重点项目建设进度月报表(2026年6月)")],
                vec![
                    t("填报单位:"),
                    t("县交通局"),
                    Cell::Empty,
                    t("填报日期:"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t("单位:亿元"),
                ],
                header,
                row,
            ],
            merged: vec![],
        };
        let wb = Workbook {
            format: workbook::Format::Xlsx,
            sheets: vec![sheet],
        };
        let p = Period {
            year: 2026,
            month: 6,
        };
        let read = read_workbook("f.xlsx", 0, &wb, p, 15);
        assert_eq!(read.note.unit.as_deref(), Some("县交通局"));
        let r = &read.tables[0].records[0];
        assert_eq!(r.num(project::TOTAL_INVEST), Some(15000.0));
        assert_eq!(r.num(project::YTD_DONE), Some(2000.0));
    }

    #[test]
    fn choices() {
        assert_eq!(match_choice("新建项目", forms::CATEGORIES), Some("新建"));
        assert_eq!(match_choice(" 續建 ", forms::CATEGORIES), Some("续建"));
        assert_eq!(match_choice("已签约", forms::STAGES), Some("签约"));
        // docs/forms.md §9.1: 在建 is 续建 as a category, 开工 as a stage.
        assert_eq!(match_choice("在建", forms::CATEGORIES), Some("续建"));
        assert_eq!(match_choice("筹建", forms::CATEGORIES), Some("前期"));
        assert_eq!(match_choice("在建", forms::STAGES), Some("开工"));
        assert_eq!(match_choice("新开工项目", forms::CATEGORIES), Some("新建"));
        assert_eq!(match_choice("正在洽谈", forms::STAGES), Some("洽谈"));
        assert_eq!(match_choice("在谈", forms::STAGES), Some("洽谈"));
        assert_eq!(match_choice("港澳台", forms::SOURCES), Some("境外"));
        assert_eq!(match_choice("签约投产", forms::STAGES), None);
    }

    #[test]
    fn section_headings() {
        assert!(is_section_heading("一、新建项目(12个)"));
        assert!(is_section_heading("(二)续建项目"));
        assert!(!is_section_heading("一号厂房"));
        assert!(!is_section_heading("城关镇老旧小区改造"));
    }
}
