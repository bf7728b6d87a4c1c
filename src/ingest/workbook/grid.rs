//! Cell conversion and grid building: calamine's values to [`Cell`]s, charged against
//! the budget, and the dense grid built only once its rows and size were checked.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// Largest Excel serial date (9999-12-31 is 2958465).
pub(super) const MAX_SERIAL: f64 = 2_958_466.0;

pub(super) fn convert_datetime(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if !serial.is_finite() {
        return Cell::Error("#NUM!".into());
    }
    // Durations ([h]:mm formats) are amounts of time, not points in time.
    if dt.is_duration() || !(0.0..MAX_SERIAL).contains(&serial) {
        return Cell::Number(serial);
    }
    match dt.as_datetime() {
        Some(d) => Cell::Date(d),
        None => Cell::Number(serial),
    }
}

pub(super) fn parse_iso_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.naive_local());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(chrono::NaiveTime::MIN))
}

pub(super) fn number(f: f64) -> Cell {
    // JSON (and spreadsheets) cannot hold NaN or infinities.
    if f.is_finite() {
        Cell::Number(f)
    } else {
        Cell::Error("#NUM!".into())
    }
}

pub(super) fn convert_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => convert_datetime(dt),
        DataRef::DateTimeIso(s) => {
            parse_iso_datetime(s).map_or_else(|| Cell::Text(s.clone()), Cell::Date)
        }
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

pub(super) fn convert_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => convert_datetime(dt),
        Data::DateTimeIso(s) => {
            parse_iso_datetime(s).map_or_else(|| Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// Collect one non-empty cell, charging its memory to the budget before any text is copied.
pub(super) fn push_ref(
    cells: &mut Vec<(u32, u32, Cell)>,
    c: calamine::Cell<DataRef<'_>>,
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let v = c.get_value();
    if matches!(v, DataRef::Empty) {
        return Ok(());
    }
    let text = match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        DataRef::SharedString(s) => s.len(),
        _ => 0,
    };
    budget.charge_bytes(SPARSE_CELL_BYTES + text as u64)?;
    let (r, col) = c.get_position();
    cells.push((r, col, convert_ref(v)));
    Ok(())
}

/// At most this many sparse cells are reserved ahead of a sheet's `<dimension>`
/// (2.5 MiB): enough for a unit's form, too little to need charging to the budget.
pub(super) const PRESIZE_CELLS: u64 = 1 << 16;

/// Heap bytes of one collected sparse cell, without its text.
pub(super) const SPARSE_CELL_BYTES: u64 = std::mem::size_of::<(u32, u32, Cell)>() as u64;
/// Heap bytes of one grid slot and of one grid row.
pub(super) const SLOT_BYTES: u64 = std::mem::size_of::<Cell>() as u64;
pub(super) const ROW_BYTES: u64 = std::mem::size_of::<Vec<Cell>>() as u64;

/// What the workbook being read may still use: grid slots and (estimated) heap bytes.
/// Text from a shared-string table is copied into every cell that refers to it, so a small
/// file can ask for far more memory than it holds; charging before copying stops that.
pub(super) struct Budget {
    cells_left: u64,
    max_cells: u64,
    max_rows: u64,
    bytes_left: u64,
    max_bytes: u64,
}

impl Budget {
    pub(super) fn new(limits: &ReadLimits) -> Budget {
        Budget {
            cells_left: limits.max_cells,
            max_cells: limits.max_cells,
            max_rows: limits.max_rows_per_sheet,
            bytes_left: limits.max_memory_bytes,
            max_bytes: limits.max_memory_bytes,
        }
    }

    pub(super) fn charge_bytes(&mut self, n: u64) -> Result<(), ReadError> {
        if n > self.bytes_left {
            return Err(ReadError::TooLarge(format!(
                "表格内容估计需要超过 {} MiB 内存",
                self.max_bytes / MIB
            )));
        }
        self.bytes_left -= n;
        Ok(())
    }
}

/// A sheet's cells before they are laid out in rows.
pub(super) struct Grid {
    first_row: u32,
    first_col: u32,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// Lay sparse `(row, col, cell)` triples out as a dense grid, after checking that the
    /// grid (one slot per row plus the cells up to each row's last used cell) fits the budget.
    pub(super) fn build(
        mut cells: Vec<(u32, u32, Cell)>,
        name: &str,
        budget: &mut Budget,
    ) -> Result<Grid, ReadError> {
        if cells.is_empty() {
            return Ok(Grid {
                first_row: 0,
                first_col: 0,
                rows: Vec::new(),
            });
        }
        // Every reader gives a sheet's cells row by row, left to right: sort only when
        // not (a stable sort allocates a scratch buffer even for sorted input).
        if !cells.is_sorted_by_key(|(r, c, _)| (*r, *c)) {
            cells.sort_by_key(|(r, c, _)| (*r, *c));
        }
        let first_row = cells.first().map_or(0, |c| c.0);
        let last_row = cells.last().map_or(0, |c| c.0);
        let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let rows = u64::from(last_row - first_row) + 1;
        if rows > budget.max_rows {
            return Err(ReadError::TooLarge(format!(
                "工作表 \"{}\" 有 {rows} 行,超过每个工作表 {} 行的上限,见 diaodu.toml [limits] max_rows_per_sheet",
                one_line(name),
                budget.max_rows
            )));
        }
        let mut cost = u64::from(last_row - first_row) + 1;
        for (i, (r, c, _)) in cells.iter().enumerate() {
            let row_end = cells.get(i + 1).is_none_or(|n| n.0 != *r);
            if row_end {
                cost = cost.saturating_add(u64::from(c - first_col) + 1);
            }
        }
        if cost > budget.cells_left {
            return Err(ReadError::TooLarge(format!(
                "表格区域 {} 行 × {} 列,超过每个文件 {} 个单元格的上限,见 diaodu.toml [limits] max_cells",
                u64::from(last_row - first_row) + 1,
                cells
                    .iter()
                    .map(|c| u64::from(c.1 - first_col) + 1)
                    .max()
                    .unwrap_or(0),
                budget.max_cells
            )));
        }
        budget.cells_left -= cost;
        let height = u64::from(last_row - first_row) + 1;
        budget.charge_bytes((cost - height).saturating_mul(SLOT_BYTES) + height * ROW_BYTES)?;
        let height = (last_row - first_row) as usize + 1;
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(height);
        rows.resize_with(height, Vec::new);
        // Each row is allocated once, to the width of its last cell (the cells are
        // sorted); a position given twice keeps its last cell.
        for (i, (r, c, _)) in cells.iter().enumerate() {
            if cells.get(i + 1).is_none_or(|n| n.0 != *r) {
                rows[(r - first_row) as usize].reserve_exact((c - first_col) as usize + 1);
            }
        }
        for (r, c, cell) in cells {
            let row = &mut rows[(r - first_row) as usize];
            let col = (c - first_col) as usize;
            if row.len() <= col {
                row.resize(col + 1, Cell::Empty);
            }
            row[col] = cell;
        }
        Ok(Grid {
            first_row,
            first_col,
            rows,
        })
    }

    pub(super) fn from_range(
        range: &calamine::Range<Data>,
        name: &str,
        budget: &mut Budget,
    ) -> Result<Grid, ReadError> {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, v) in range.used_cells() {
            let text = match v {
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
                _ => 0,
            };
            budget.charge_bytes(SPARSE_CELL_BYTES + text as u64)?;
            cells.push((r0 + r as u32, c0 + c as u32, convert_data(v)));
        }
        Grid::build(cells, name, budget)
    }

    pub(super) fn into_sheet(
        self,
        name: String,
        hidden: bool,
        merged: Vec<(u32, u32, u32, u32)>,
    ) -> RawSheet {
        RawSheet {
            name,
            hidden,
            first_row: self.first_row,
            first_col: self.first_col,
            rows: self.rows,
            merged,
        }
    }
}
