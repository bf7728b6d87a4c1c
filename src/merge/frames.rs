//! The period's merged rows as polars DataFrames, one column per field.

use super::MergedRow;
use crate::forms::{attraction, milestone, project, Field, FieldType, TableKind};
use crate::model::joined;
use crate::roster::Roster;
use chrono::NaiveDate;
use polars::prelude::*;

/// Column names of the period frames besides the schema's field keys.
pub mod col {
    pub const UNIT: &str = "unit_name";
    pub const UNIT_KIND: &str = "unit_kind";
    pub const SRC_FILE: &str = "src_file";
    pub const SRC_SHEET: &str = "src_sheet";
    pub const SRC_ROW: &str = "src_row";
    /// The places an identical copy of the row was also read from (null for
    /// most rows: the first place is src_file, src_sheet, src_row).
    pub const OTHER_SOURCES: &str = "other_sources";
}

/// Days since 1970-01-01, as polars stores a Date.
fn epoch_days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

/// Which columns a frame has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Every field and every source column (the month's history).
    All,
    /// What the figures are computed from: the numbers, dates and choices,
    /// the ids and names (FIGURE_TEXT), the unit and the source row; no free
    /// text and no file names, which at a province's scale are most of a
    /// frame's memory.
    Figures,
}

/// The text fields a `Columns::Figures` frame keeps.
const FIGURE_TEXT: [Field; 6] = [
    project::PROJECT_ID,
    project::PROJECT_NAME,
    milestone::PROJECT_ID,
    milestone::MILESTONE,
    milestone::PROJECT_NAME,
    attraction::PROJECT_NAME,
];

/// Where a frame's columns are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// On the calling thread, one column after another: for a thread beside
    /// rayon's busy pool (the history's month, written beside the workbook),
    /// where a job handed to the pool would wait behind the workbook's pieces.
    One,
    /// On rayon's pool: for the frames stage, where nothing else runs.
    All,
}

/// One table's merged rows as a DataFrame, built column by column: a column per
/// field (text, Float64 in 万元, Date), the unit it counts for, and its source.
pub fn frame(table: TableKind, rows: &[MergedRow], roster: &Roster) -> PolarsResult<DataFrame> {
    frame_of(table, rows, roster, Columns::All, Threads::One)
}

/// One column of a frame: a field's, or one of [`col`]'s.
#[derive(Clone, Copy)]
enum Part {
    Field(usize),
    Unit,
    UnitKind,
    SrcFile,
    SrcSheet,
    SrcRow,
    OtherSources,
}

/// [`frame`] with all or only some of its columns, made on one thread or on
/// all cores (the milestones' frame alone is most of the frames stage: made
/// column after column there, it kept one core waiting).
pub fn frame_of(
    table: TableKind,
    rows: &[MergedRow],
    roster: &Roster,
    columns: Columns,
    threads: Threads,
) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    let parts = parts_of(table, columns);
    let make = |&part: &Part| column(table, rows, roster, part);
    let cols = match threads {
        Threads::One => parts.iter().map(make).collect::<PolarsResult<Vec<_>>>()?,
        Threads::All => parts
            .par_iter()
            .map(make)
            .collect::<PolarsResult<Vec<_>>>()?,
    };
    DataFrame::new(rows.len(), cols)
}

/// The columns of a frame, in their order: the fields (all, or those the
/// figures need), the unit, the source.
fn parts_of(table: TableKind, columns: Columns) -> Vec<Part> {
    let all = columns == Columns::All;
    let mut parts: Vec<Part> = Vec::new();
    for (i, spec) in table.fields().iter().enumerate() {
        if !all
            && spec.ty == FieldType::Text
            && !table.field_at(i).is_some_and(|f| FIGURE_TEXT.contains(&f))
        {
            continue;
        }
        // What 是否开工 says is in the row's timing, not a column.
        if spec.ty == FieldType::YesNo {
            continue;
        }
        parts.push(Part::Field(i));
    }
    parts.extend([Part::Unit, Part::UnitKind]);
    if all {
        parts.extend([Part::SrcFile, Part::SrcSheet]);
    }
    parts.push(Part::SrcRow);
    if all {
        parts.push(Part::OtherSources);
    }
    parts
}

/// One column of [`frame_of`].
fn column(
    table: TableKind,
    rows: &[MergedRow],
    roster: &Roster,
    part: Part,
) -> PolarsResult<Column> {
    let unit = |r: &MergedRow| r.rec.unit.map(|u| &roster.units[u]);
    Ok(match part {
        Part::Field(i) => {
            let spec = &table.fields()[i];
            let name: PlSmallStr = spec.key.into();
            match spec.ty {
                FieldType::YesNo => unreachable!("not a column"),
                FieldType::Text | FieldType::Choice(_) => Column::new(
                    name,
                    rows.iter()
                        .map(|r| r.rec.values[i].text())
                        .collect::<Vec<_>>(),
                ),
                FieldType::Amount | FieldType::Quantity => Column::new(
                    name,
                    rows.iter()
                        .map(|r| r.rec.values[i].num())
                        .collect::<Vec<_>>(),
                ),
                FieldType::Date => Column::new(
                    name,
                    rows.iter()
                        .map(|r| r.rec.values[i].date().map(epoch_days))
                        .collect::<Vec<_>>(),
                )
                .cast(&DataType::Date)?,
            }
        }
        Part::Unit => Column::new(
            col::UNIT.into(),
            rows.iter()
                .map(|r| unit(r).map(|u| u.name.as_str()))
                .collect::<Vec<_>>(),
        ),
        Part::UnitKind => Column::new(
            col::UNIT_KIND.into(),
            rows.iter()
                .map(|r| unit(r).map(|u| u.kind.cn()))
                .collect::<Vec<_>>(),
        ),
        Part::SrcFile => Column::new(
            col::SRC_FILE.into(),
            rows.iter().map(|r| &*r.rec.src.file).collect::<Vec<_>>(),
        ),
        Part::SrcSheet => Column::new(
            col::SRC_SHEET.into(),
            rows.iter().map(|r| &*r.rec.src.sheet).collect::<Vec<_>>(),
        ),
        Part::SrcRow => Column::new(
            col::SRC_ROW.into(),
            rows.iter().map(|r| r.rec.src.row).collect::<Vec<_>>(),
        ),
        Part::OtherSources => Column::new(
            col::OTHER_SOURCES.into(),
            rows.iter()
                .map(|r| (r.sources.len() > 1).then(|| joined(&r.sources[1..], ";")))
                .collect::<Vec<_>>(),
        ),
    })
}
