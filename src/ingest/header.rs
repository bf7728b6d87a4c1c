//! Finding a table's header row (or two rows, under a merged group cell) in a
//! sheet, and mapping its columns to the schema's fields.

use super::cell::cell_text;
use super::text::{header_key, period_template, MoneyUnit};
use super::workbook::{Cell, RawSheet};
use crate::config::Period;
use crate::forms::{self, FieldSpec, TableKind};
use crate::formwords::{FormWords, HeaderTarget};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What header mapping reads with besides the built-in form: the period
/// (headers such as 5月完成投资 name it) and the office's forms.toml.
#[derive(Debug, Clone, Copy)]
pub struct MapCtx<'a> {
    pub period: Option<Period>,
    pub words: &'a FormWords,
}

impl MapCtx<'static> {
    /// The built-in form alone, with no period (the roster, the templates).
    pub fn builtin() -> MapCtx<'static> {
        static EMPTY: OnceLock<FormWords> = OnceLock::new();
        MapCtx {
            period: None,
            words: EMPTY.get_or_init(FormWords::default),
        }
    }
}

/// By which rule a column was mapped (shown by `diaodu inspect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapRule {
    /// The form's header or one of its variants (docs/forms.md §2, §9.1).
    Builtin,
    /// A header naming the period, such as 1-5月完成投资 (§9.1).
    Period,
    /// The office's forms.toml (§9.2).
    Office,
}

impl MapRule {
    pub fn cn(self) -> &'static str {
        match self {
            MapRule::Builtin => "内置表头",
            MapRule::Period => "期间表头(§9.1)",
            MapRule::Office => "forms.toml",
        }
    }
}

/// What one header text maps to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mapping {
    Field(usize, Option<MoneyUnit>, MapRule),
    /// forms.toml says "ignore".
    Ignore,
    /// A period header naming another month or year: the field it would be.
    OtherPeriod(usize),
    /// A header that must never be taken for this year's figures.
    Never,
}

/// A form the reader can recognise: one of the three tables, or the roster.
#[derive(Debug)]
pub struct Schema {
    pub table: Option<TableKind>,
    pub title: &'static str,
    pub fields: &'static [FieldSpec],
    /// Of every group, one field (its position among `fields`) must map for
    /// a header row to count as this form's.
    pub signature: &'static [&'static [usize]],
    index: HashMap<String, usize>,
    /// Period headers (`period_template` form) → field.
    patterns: HashMap<String, usize>,
}

impl Schema {
    fn build(
        table: Option<TableKind>,
        title: &'static str,
        fields: &'static [FieldSpec],
        signature: &'static [&'static [usize]],
    ) -> Schema {
        let mut index = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            for h in std::iter::once(&f.header).chain(f.aliases.iter()) {
                index.entry(header_key(h).0).or_insert(i);
            }
        }
        let mut patterns = HashMap::new();
        for (field, pattern) in forms::PERIOD_HEADERS {
            if Some(field.table()) == table {
                patterns.insert(header_key(pattern).0, field.index());
            }
        }
        Schema {
            table,
            title,
            fields,
            signature,
            index,
            patterns,
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
                forms::roster::SIGNATURE,
            )
        })
    }

    /// Which field a normalised header key names, if any.
    fn lookup(&self, key: &str) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        self.index.get(key).copied()
    }

    /// Map one header text with the built-in form alone: exact (normalised)
    /// match first, then with any bracketed remark cut out ("项目名称(全称)").
    pub fn map_header(&self, raw: &str) -> Option<(usize, Option<MoneyUnit>)> {
        match self.map_header_with(raw, &mut Keys::default(), &MapCtx::builtin()) {
            Some(Mapping::Field(i, u, _)) => Some((i, u)),
            _ => None,
        }
    }

    /// Map one header text, taking the header keys from (and adding them to)
    /// `keys`: the office's words first, then headers that are never this
    /// year's figures, the form's headers, the period headers.
    fn map_header_with(&self, raw: &str, keys: &mut Keys, ctx: &MapCtx) -> Option<Mapping> {
        let (k, unit) = keys.get(raw).clone();
        if let Some(m) = self.map_key(&k, unit, ctx) {
            return Some(m);
        }
        let cut = cut_brackets(raw);
        if cut != raw {
            let (k2, unit2) = keys.get(&cut).clone();
            if let Some(m) = self.map_key(&k2, unit.or(unit2), ctx) {
                return Some(m);
            }
        }
        None
    }

    fn map_key(&self, k: &str, unit: Option<MoneyUnit>, ctx: &MapCtx) -> Option<Mapping> {
        if k.is_empty() {
            return None;
        }
        let office = |t: HeaderTarget| match t {
            HeaderTarget::Field(i) => Mapping::Field(i, unit, MapRule::Office),
            HeaderTarget::Ignore => Mapping::Ignore,
        };
        if let Some(table) = self.table {
            if let Some(t) = ctx.words.header(table, k) {
                return Some(office(t));
            }
        }
        if not_this_year(k) {
            return Some(Mapping::Never);
        }
        if let Some(i) = self.lookup(k) {
            return Some(Mapping::Field(i, unit, MapRule::Builtin));
        }
        let (template, year, month) = period_template(k)?;
        let (field, rule) = match self.table.and_then(|t| ctx.words.pattern(t, &template)) {
            Some(HeaderTarget::Ignore) => return Some(Mapping::Ignore),
            Some(HeaderTarget::Field(i)) => (i, MapRule::Office),
            None => (*self.patterns.get(&template)?, MapRule::Period),
        };
        let this = ctx
            .period
            .is_none_or(|p| year.is_none_or(|y| y == p.year) && month.is_none_or(|m| m == p.month));
        Some(if this {
            Mapping::Field(field, unit, rule)
        } else {
            Mapping::OtherPeriod(field)
        })
    }
}

/// Whether a header key is one of the figures that are never this year's
/// (docs/forms.md §9.1): a word of four characters or more anywhere in it
/// ("完成投资占年计划%"), a shorter one at its end ("投资完成率").
pub fn not_this_year(k: &str) -> bool {
    forms::NOT_THIS_YEAR.iter().any(|n| {
        // Four Chinese characters are twelve bytes.
        if n.len() >= 12 {
            k.contains(n)
        } else {
            k.ends_with(n)
        }
    })
}

/// `header_key` of the texts seen while looking for a header at one row: each
/// schema, and the one- and two-row readings, key the same texts again.
#[derive(Default)]
struct Keys(crate::util::FastMap<String, (String, Option<MoneyUnit>)>);

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
    /// By which rule it was mapped.
    pub rule: MapRule,
    /// Mapped by a generic 累计 header (累计完成投资), which an explicit
    /// this-year header beside it (今年已完成投资, 1-5月…) takes the place of.
    pub generic: bool,
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
    /// Header cells naming another period than the run's: (col, text, field).
    pub other_period: Vec<(u32, String, usize)>,
    /// Header cells forms.toml says to ignore.
    pub ignored: Vec<(u32, String)>,
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

/// Whether merged cells tie rows `row..row + depth` into one header: a group
/// cell merged across in the top row, or a header cell merged down over them.
fn merged_header(sheet: &RawSheet, row: u32, depth: u32) -> bool {
    let last = row + depth - 1;
    sheet.merged.iter().any(|&(r0, c0, r1, c1)| {
        (r0 == row && r1 == row && c1 > c0) || (r0 == row && r1 >= last && r1 <= last + 1)
    })
}

/// Whether a row holds no number, date or boolean: a sub-header row may be
/// nothing but text (or empty cells under a group).
fn text_only(sheet: &RawSheet, row: u32) -> bool {
    sheet
        .rows
        .get(row.wrapping_sub(sheet.first_row) as usize)
        .is_none_or(|cells| {
            cells
                .iter()
                .all(|c| matches!(c, Cell::Text(_) | Cell::Empty | Cell::Error(_)))
        })
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
    depth: u32,
    keys: &mut Keys,
    ctx: &MapCtx,
) -> Layout {
    let end = last_col(sheet);
    let mut layout = Layout {
        schema,
        header_first: row,
        header_last: row + depth - 1,
        columns: Vec::new(),
        duplicates: Vec::new(),
        unknown: Vec::new(),
        other_period: Vec::new(),
        ignored: Vec::new(),
    };
    // The group text carried right at each level above the last, where a
    // sheet has no merge information.
    let mut carried = vec![String::new(); depth as usize];
    for col in sheet.first_col..end {
        let levels = header_levels(sheet, row, depth, col, &mut carried);
        let lv: Vec<&String> = levels.iter().filter(|t| !t.is_empty()).collect();
        if lv.is_empty() {
            continue;
        }
        let (found, matched) = map_levels(schema, &lv, keys, ctx);
        let shown = lv.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("/");
        place_column(&mut layout, col, shown, found, &matched, keys);
    }
    layout
}

/// The texts of a column's header, top level first: a group cell merged
/// across holds its text in the region's first cell; without merge
/// information (ods, or not merged) a group's text is carried right while
/// sub-headers continue (`carried`, per level above the last).
fn header_levels(
    sheet: &RawSheet,
    row: u32,
    depth: u32,
    col: u32,
    carried: &mut [String],
) -> Vec<String> {
    let sub = text_at(sheet, row + depth - 1, col);
    let mut levels: Vec<String> = Vec::with_capacity(depth as usize);
    for l in 0..depth - 1 {
        let r = row + l;
        let mut t = text_at(sheet, r, col);
        if t.is_empty() {
            if let Some((r0, c0)) = merged_origin(sheet, r, col) {
                if r0 == r && c0 < col {
                    t = text_at(sheet, r0, c0);
                }
            } else if !carried[l as usize].is_empty()
                && (row + l + 1..row + depth).any(|below| !text_at(sheet, below, col).is_empty())
            {
                // No merge information (ods, or not merged): carry the
                // group text right while sub-headers continue.
                t = carried[l as usize].clone();
            }
        }
        levels.push(t);
    }
    for l in 0..depth - 1 {
        let below = (row + l + 1..row + depth).any(|b| !text_at(sheet, b, col).is_empty());
        carried[l as usize] = if below {
            levels[l as usize].clone()
        } else {
            String::new()
        };
    }
    levels.push(sub);
    levels
}

/// What a column's header texts (`lv`, top first, none blank) map to, and
/// the text that mapped (for whether it is a generic 累计 header). A
/// one-level header maps as it is; a deeper one tries its last text with its
/// parent's and the top's around it, and a group naming another month or
/// year makes its columns another period's.
fn map_levels(
    schema: &'static Schema,
    lv: &[&String],
    keys: &mut Keys,
    ctx: &MapCtx,
) -> (Option<Mapping>, String) {
    let last = lv[lv.len() - 1];
    let mut matched: String = last.clone();
    if lv.len() == 1 {
        return (schema.map_header_with(last, keys, ctx), matched);
    }
    let upper: String = lv[..lv.len() - 1].iter().map(|s| s.as_str()).collect();
    let parent = lv[lv.len() - 2];
    let mut tries = vec![
        last.clone(),
        format!("{parent}{last}"),
        format!("{last}{parent}"),
    ];
    if lv.len() > 2 {
        tries.push(format!("{upper}{last}"));
        tries.push(format!("{}{last}", lv[0]));
        tries.push(format!("{last}{}", lv[0]));
    }
    // A group naming another month or year ("8月" over 当月完成投资额
    // in a July report) makes its columns another period's.
    let other = ctx.period.is_some_and(|p| {
        lv[..lv.len() - 1].iter().any(|t| {
            let k = keys.get(t.as_str()).0.clone();
            period_template(&k).is_some_and(|(_, y, m)| {
                y.is_some_and(|y| y != p.year) || m.is_some_and(|m| m != p.month)
            })
        })
    });
    let mut found = None;
    for h in &tries {
        match schema.map_header_with(h, keys, ctx) {
            Some(Mapping::Field(f, _, _)) if other => {
                found = Some(Mapping::OtherPeriod(f));
                break;
            }
            Some(Mapping::Field(f, u, r)) => {
                let unit = u.or(keys.get(parent).1).or(keys.get(&upper).1);
                found = Some(Mapping::Field(f, unit, r));
                matched = h.clone();
                break;
            }
            // A reading that is never a field, or another period's, is
            // kept unless a later reading is a field.
            Some(m) if found.is_none() => found = Some(m),
            _ => {}
        }
    }
    (found, matched)
}

/// A column put where its mapping says: a field's column (a second column
/// of a field is a duplicate, unless it replaces a generic 累计 one), an
/// ignored one, another period's, or an unknown header.
fn place_column(
    layout: &mut Layout,
    col: u32,
    shown: String,
    found: Option<Mapping>,
    matched: &str,
    keys: &mut Keys,
) {
    match found {
        Some(Mapping::Field(field, unit, rule)) => {
            let generic = forms::GENERIC_CUMULATIVE.contains(&keys.get(matched).0.as_str());
            let new = Column {
                col,
                field,
                header: shown,
                unit,
                rule,
                generic,
            };
            match layout.columns.iter().position(|c| c.field == field) {
                // 累计完成投资 beside 今年已完成投资: the generic one is since
                // the start of works, the explicit one this year's (§9.1).
                Some(i) if layout.columns[i].generic && !generic => {
                    let old = std::mem::replace(&mut layout.columns[i], new);
                    layout.duplicates.push((old.col, old.header, field));
                }
                Some(_) => layout.duplicates.push((new.col, new.header, field)),
                None => layout.columns.push(new),
            }
        }
        Some(Mapping::Ignore) => layout.ignored.push((col, shown)),
        Some(Mapping::OtherPeriod(field)) => layout.other_period.push((col, shown, field)),
        Some(Mapping::Never) | None => {
            let k = &keys.get(&shown).0;
            if !forms::IGNORED_HEADERS.contains(&k.as_str()) {
                layout.unknown.push((col, shown));
            }
        }
    }
}

/// Whether a header row is this form's: of every signature group one field
/// maps, or is named for another period (a table whose headers name last
/// month is still this table, and says so: `header/other-period`).
fn satisfies(layout: &Layout) -> bool {
    layout.schema.signature.iter().all(|group| {
        group.iter().any(|&i| {
            layout.columns.iter().any(|c| c.field == i)
                || layout.other_period.iter().any(|(_, _, f)| *f == i)
        })
    })
}

/// The best header for any of `schemas` at `row`, one or two rows deep.
pub fn header_at(
    schemas: &[&'static Schema],
    sheet: &RawSheet,
    row: u32,
    ctx: &MapCtx,
) -> Option<Layout> {
    if !header_candidate(sheet, row) {
        return None;
    }
    let mut best: Option<Layout> = None;
    let mut keys = Keys::default();
    for &schema in schemas {
        // One, two or three rows deep: a deeper reading only when it maps more,
        // and only over rows that hold no numbers or dates (a data row is no
        // sub-header).
        let mut pick = map_row(schema, sheet, row, 1, &mut keys, ctx);
        for depth in 2..=3 {
            if row + depth > last_row(sheet) || !text_only(sheet, row + depth - 1) {
                break;
            }
            let l = map_row(schema, sheet, row, depth, &mut keys, ctx);
            // Deeper when it maps more; as many, when merged cells say the
            // rows are one header (a group over its sub-headers, or headers
            // merged down): the sub-header row is then no data row.
            let more = l.columns.len() > pick.columns.len()
                || (l.columns.len() == pick.columns.len() && merged_header(sheet, row, depth));
            if satisfies(&l) && (!satisfies(&pick) || more) {
                pick = l;
            }
        }
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
    find_tables_with(schemas, sheet, scan_rows, &MapCtx::builtin())
}

/// [`find_tables`] with the period and the office's words.
pub fn find_tables_with(
    schemas: &[&'static Schema],
    sheet: &RawSheet,
    scan_rows: u32,
    ctx: &MapCtx,
) -> Vec<Layout> {
    let mut out: Vec<Layout> = Vec::new();
    let end = last_row(sheet);
    let mut row = sheet.first_row;
    while row < end {
        if out.is_empty() && row >= scan_rows {
            break;
        }
        if let Some(l) = header_at(schemas, sheet, row, ctx) {
            row = l.header_last + 1;
            out.push(l);
        } else {
            row += 1;
        }
    }
    out
}

/// A sheet that looks like a table but is none of `schemas`: the header row
/// (one or two rows deep) whose columns map best to one schema, mapped
/// without its signature, for `diaodu inspect` to say what it lacks. None when
/// no row within `scan_rows` maps at least two columns.
pub fn best_guess(
    schemas: &[&'static Schema],
    sheet: &RawSheet,
    scan_rows: u32,
    ctx: &MapCtx,
) -> Option<Layout> {
    let mut keys = Keys::default();
    let mut best: Option<Layout> = None;
    let end = last_row(sheet).min(scan_rows);
    for row in sheet.first_row..end {
        if !header_candidate(sheet, row) {
            continue;
        }
        for &schema in schemas {
            for depth in 1..=3 {
                if row + depth > last_row(sheet)
                    || (depth > 1 && !text_only(sheet, row + depth - 1))
                {
                    continue;
                }
                let l = map_row(schema, sheet, row, depth, &mut keys, ctx);
                if l.columns.len() >= 2
                    && best
                        .as_ref()
                        .is_none_or(|b| l.columns.len() > b.columns.len())
                {
                    best = Some(l);
                }
            }
        }
    }
    best
}

/// The signature groups of a layout's schema that none of its columns meets.
pub fn missing_signature(layout: &Layout) -> Vec<&'static [usize]> {
    layout
        .schema
        .signature
        .iter()
        .filter(|group| {
            !group
                .iter()
                .any(|&i| layout.columns.iter().any(|c| c.field == i))
        })
        .copied()
        .collect()
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
        // A table with no 项目编号 is read, its projects keyed by name
        // (docs/forms.md §9.3); 序号 never becomes the id.
        let s = sheet(vec![vec!["序号", "项目名称", "总投资", "年度计划投资"]]);
        let t = find_tables(&all(), &s, 15);
        assert_eq!(t.len(), 1);
        assert_eq!(
            keys(&t[0]),
            vec![(1, "project_name"), (2, "total_invest"), (3, "annual_plan")]
        );
        assert!(t[0].unknown.is_empty());
        // Name and 总投资 alone are not enough for a projects table.
        let s = sheet(vec![vec!["序号", "项目名称", "总投资", "建设内容"]]);
        assert!(find_tables(&all(), &s, 15).is_empty());
    }

    fn ctx(period: (i32, u32)) -> MapCtx<'static> {
        MapCtx {
            period: Some(Period {
                year: period.0,
                month: period.1,
            }),
            ..MapCtx::builtin()
        }
    }

    #[test]
    fn period_headers_map_for_the_period_only() {
        let s = sheet(vec![vec![
            "序号",
            "项目名称",
            "总投资",
            "2026年计划投资",
            "5月完成投资",
            "1－5月累计完成投资",
            "4月完成投资",
            "五月份进展情况",
        ]]);
        let t = find_tables_with(&all(), &s, 15, &ctx((2026, 5)));
        assert_eq!(
            keys(&t[0]),
            vec![
                (1, "project_name"),
                (2, "total_invest"),
                (3, "annual_plan"),
                (4, "month_done"),
                (5, "ytd_done"),
                (7, "progress_note")
            ]
        );
        assert_eq!(t[0].columns[3].rule, MapRule::Period);
        let month_done = TableKind::Projects
            .fields()
            .iter()
            .position(|f| f.key == "month_done")
            .unwrap();
        assert_eq!(
            t[0].other_period,
            vec![(6, "4月完成投资".to_string(), month_done)]
        );
        // In a 2027 run the year's plan is last year's.
        let t = find_tables_with(&all(), &s, 15, &ctx((2027, 5)));
        assert!(t[0].other_period.iter().any(|(c, _, _)| *c == 3));
    }

    #[test]
    fn not_this_years_figures_never_map() {
        let s = sheet(vec![vec![
            "项目名称",
            "总投资",
            "开工累计完成投资",
            "至上年底累计完成投资",
            "占年计划%",
            "今年已完成投资",
        ]]);
        let t = find_tables_with(&all(), &s, 15, &ctx((2026, 5)));
        assert_eq!(
            keys(&t[0]),
            vec![(0, "project_name"), (1, "total_invest"), (5, "ytd_done")]
        );
        assert_eq!(t[0].unknown.len(), 3);
    }
}
