//! Typed rows as they come out of the reader, before merging.

use crate::forms::{Field, TableKind};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// A parsed field value. Amounts are in 万元.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Text(String),
    Num(f64),
    Date(NaiveDate),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// Equality after parsing: numbers equal to 1e-6 万元.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Num(a), Value::Num(b)) => (a - b).abs() < 1e-6,
            _ => self == other,
        }
    }

    pub fn display(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Num(n) => crate::text::fmt_num(*n),
            Value::Date(d) => d.to_string(),
        }
    }
}

/// Where a row came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The file's name as it sits in the inbox.
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    /// 1-based, as Excel shows it.
    pub row: u32,
}

impl std::fmt::Display for Source {
    /// "file › sheet › 第N行", as every sheet and message shows a place.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} › {} › 第{}行", self.file, self.sheet, self.row)
    }
}

impl Source {
    /// The place as [`Display`] shows it, in a string made at its size (the
    /// long sheets make one for every row).
    pub fn place(&self) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(self.file.len() + self.sheet.len() + 24);
        let _ = write!(s, "{self}");
        s
    }
}

/// Places (or anything shown) joined by `sep`: "a › s › 第2行;b › s › 第5行".
pub fn joined<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, sep: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let _ = write!(out, "{x}");
    }
    out
}

/// One data row of a submission table.
#[derive(Debug, Clone)]
pub struct Record {
    pub table: TableKind,
    /// One value per field of `table.fields()`.
    pub values: Vec<Value>,
    /// The 0-based column each field was read from, for cell references.
    /// Shared by every record of the same table in the same sheet.
    pub cols: std::sync::Arc<[Option<u32>]>,
    pub src: Source,
    /// Index of the file in the run's file list.
    pub file_idx: usize,
    /// The roster unit the row counts for (docs/forms.md §7.8), once resolved.
    pub unit: Option<usize>,
    /// True when validation found an error in the row.
    pub has_error: bool,
    /// The name a section row above the row gave (一、城关镇（5项）), for a row
    /// with no 责任单位 of its own: merge takes it when it names a roster unit
    /// (docs/forms.md §9.5).
    pub section_unit: Option<Arc<str>>,
}

impl Record {
    /// The value of `field`. A field of another table than the record's is
    /// a mistake of the caller: it reads as blank (and fails a debug build).
    pub fn get(&self, field: Field) -> &Value {
        static NULL: Value = Value::Null;
        debug_assert_eq!(
            field.table(),
            self.table,
            "{field:?} read from a {:?} row",
            self.table
        );
        if field.table() != self.table {
            return &NULL;
        }
        self.values.get(field.index()).unwrap_or(&NULL)
    }

    /// The 0-based column `field` was read from, if the sheet has it.
    pub fn col(&self, field: Field) -> Option<u32> {
        if field.table() != self.table {
            return None;
        }
        self.cols.get(field.index()).copied().flatten()
    }

    pub fn text(&self, field: Field) -> Option<&str> {
        self.get(field).text()
    }

    pub fn num(&self, field: Field) -> Option<f64> {
        self.get(field).num()
    }

    pub fn date(&self, field: Field) -> Option<NaiveDate> {
        self.get(field).date()
    }

    /// The row's 项目编号, if its table has one and the row fills it.
    pub fn project_id(&self) -> Option<&str> {
        self.table.id_field().and_then(|f| self.text(f))
    }

    /// The row's 项目名称 (for a milestone, the one its own form wrote).
    pub fn project_name(&self) -> Option<&str> {
        self.text(self.table.name_field())
    }

    /// The 责任单位 / 引资单位 the row wrote, if its table has one.
    pub fn unit_written(&self) -> Option<&str> {
        self.table.unit_field().and_then(|f| self.text(f))
    }

    /// The project's identity (docs/forms.md §9.3): `id:<项目编号>`, else
    /// `name:<项目名称 as a name key>`, as the run report's `key` writes it.
    /// For a milestone, the project it belongs to.
    pub fn project_key(&self) -> String {
        match self.project_id() {
            Some(id) => format!("id:{id}"),
            None => format!(
                "name:{}",
                crate::text::name_key(self.project_name().unwrap_or_default())
            ),
        }
    }

    /// Whether the row has no 项目编号 and is known by its name.
    pub fn keyed_by_name(&self) -> bool {
        self.table.id_field().is_none_or(|f| self.get(f).is_null())
    }

    /// A1 reference of a field's cell in this row, if the column exists.
    pub fn cell_ref(&self, field: Field) -> Option<String> {
        self.col(field)
            .map(|c| crate::text::a1(self.src.row - 1, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_is_the_display() {
        let s = Source {
            file: "城关镇_2026年10月.xlsx".into(),
            sheet: "Sheet1".into(),
            row: 12,
        };
        assert_eq!(s.place(), s.to_string());
        assert_eq!(s.place(), "城关镇_2026年10月.xlsx › Sheet1 › 第12行");
    }
}
