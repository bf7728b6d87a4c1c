//! Findings: every problem the reader and validator see, as data.
//!
//! Codes are stable and grouped the way frictionless groups its errors:
//! `file/…` (the file as a whole), `header/…` (the header row), `row/…` (a row
//! or rows together), `cell/…` (one value). The terminal summary, the 数据校验
//! sheet, `diaodu check` and the JSON report all print the same findings.

use crate::forms::{Field, TableKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row (or the file) is rejected.
    Error,
    /// Kept, but someone should look.
    Warning,
    /// For the record.
    Info,
}

impl Severity {
    pub fn cn(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// Every finding code, with its severity and its Chinese title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    FileUnreadable,
    FileEncrypted,
    FileNotSpreadsheet,
    FileEmpty,
    FileNoTable,
    FileUnknownUnit,
    FileUnitFallback,
    FileIgnored,
    FileSuperseded,
    FileSameDate,
    FileHistoryUnusable,
    FileDuplicateSheet,
    FileOtherPeriod,
    FileSheetNotRead,
    HeaderMissingField,
    HeaderDuplicateColumn,
    HeaderUnknownColumn,
    HeaderUnitConverted,
    HeaderOtherPeriod,
    RowTotalMismatch,
    RowDuplicateIdentical,
    RowDuplicateConflict,
    RowUnknownProject,
    RowUnknownUnit,
    RowAnnualAboveTotal,
    RowYtdBelowMonth,
    RowStartAfterPeriod,
    RowFinishBeforeStart,
    RowActualAfterPeriod,
    RowStartConflict,
    CellMissingValue,
    CellTypeError,
    CellNegative,
    CellErrorValue,
    CellBadChoice,
    CellTextCut,
}

impl Code {
    pub const ALL: [Code; 36] = [
        Code::FileUnreadable,
        Code::FileEncrypted,
        Code::FileNotSpreadsheet,
        Code::FileEmpty,
        Code::FileNoTable,
        Code::FileUnknownUnit,
        Code::FileUnitFallback,
        Code::FileIgnored,
        Code::FileSuperseded,
        Code::FileSameDate,
        Code::FileHistoryUnusable,
        Code::FileDuplicateSheet,
        Code::FileOtherPeriod,
        Code::FileSheetNotRead,
        Code::HeaderMissingField,
        Code::HeaderDuplicateColumn,
        Code::HeaderUnknownColumn,
        Code::HeaderUnitConverted,
        Code::HeaderOtherPeriod,
        Code::RowTotalMismatch,
        Code::RowDuplicateIdentical,
        Code::RowDuplicateConflict,
        Code::RowUnknownProject,
        Code::RowUnknownUnit,
        Code::RowAnnualAboveTotal,
        Code::RowYtdBelowMonth,
        Code::RowStartAfterPeriod,
        Code::RowFinishBeforeStart,
        Code::RowActualAfterPeriod,
        Code::RowStartConflict,
        Code::CellMissingValue,
        Code::CellTypeError,
        Code::CellNegative,
        Code::CellErrorValue,
        Code::CellBadChoice,
        Code::CellTextCut,
    ];

    pub fn as_str(self) -> &'static str {
        self.meta().0
    }

    pub fn severity(self) -> Severity {
        self.meta().1
    }

    /// Short Chinese title of the code, for the summary table.
    pub fn title(self) -> &'static str {
        self.meta().2
    }

    fn meta(self) -> (&'static str, Severity, &'static str) {
        use Severity::*;
        match self {
            Code::FileUnreadable => ("file/unreadable", Error, "文件无法读取"),
            Code::FileEncrypted => ("file/encrypted", Error, "文件加密"),
            Code::FileNotSpreadsheet => ("file/not-spreadsheet", Error, "不是电子表格"),
            Code::FileEmpty => ("file/empty", Error, "空文件"),
            Code::FileNoTable => ("file/no-table", Error, "未找到报表"),
            Code::FileUnknownUnit => ("file/unknown-unit", Error, "无法认定填报单位"),
            Code::FileUnitFallback => ("file/unit-fallback", Warning, "填报单位不在名册"),
            Code::FileIgnored => ("file/ignored", Info, "已忽略的文件"),
            Code::FileSuperseded => ("file/superseded", Info, "被更正报送替代"),
            Code::FileSameDate => ("file/same-date", Warning, "重复报送日期相同"),
            Code::FileHistoryUnusable => ("file/history-unusable", Warning, "历史数据不可用"),
            Code::FileDuplicateSheet => ("file/duplicate-sheet", Info, "重复的工作表"),
            Code::FileOtherPeriod => ("file/other-period", Warning, "标题不是本期"),
            Code::FileSheetNotRead => ("file/sheet-not-read", Info, "工作表像报表但未识别"),
            Code::HeaderMissingField => ("header/missing-field", Error, "缺少必填列"),
            Code::HeaderDuplicateColumn => ("header/duplicate-column", Warning, "重复的列"),
            Code::HeaderUnknownColumn => ("header/unknown-column", Info, "未识别的列"),
            Code::HeaderUnitConverted => ("header/unit-converted", Info, "金额单位已换算"),
            Code::HeaderOtherPeriod => ("header/other-period", Warning, "表头不是本期"),
            Code::RowTotalMismatch => ("row/total-mismatch", Warning, "合计行与明细不符"),
            Code::RowDuplicateIdentical => ("row/duplicate-identical", Warning, "重复项目(相同)"),
            Code::RowDuplicateConflict => ("row/duplicate-conflict", Error, "项目编号冲突"),
            Code::RowUnknownProject => ("row/unknown-project", Error, "节点对应项目不存在"),
            Code::RowUnknownUnit => ("row/unknown-unit", Error, "单位不在名册"),
            Code::RowAnnualAboveTotal => ("row/annual-above-total", Warning, "年度计划超过总投资"),
            Code::RowYtdBelowMonth => ("row/ytd-below-month", Error, "累计小于本月"),
            Code::RowStartAfterPeriod => ("row/start-after-period", Error, "开工日期晚于报告期"),
            Code::RowFinishBeforeStart => ("row/finish-before-start", Error, "竣工早于开工"),
            Code::RowActualAfterPeriod => ("row/actual-after-period", Error, "完成日期晚于报告期"),
            Code::RowStartConflict => ("row/start-conflict", Warning, "是否开工与开工日期不符"),
            Code::CellMissingValue => ("cell/missing-value", Error, "必填项为空"),
            Code::CellTypeError => ("cell/type-error", Error, "格式不正确"),
            Code::CellNegative => ("cell/negative", Error, "数值为负"),
            Code::CellErrorValue => ("cell/error-value", Error, "单元格错误值"),
            Code::CellBadChoice => ("cell/bad-choice", Error, "不在可选范围"),
            Code::CellTextCut => ("cell/text-cut", Warning, "文字超长已截断"),
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Another place a finding refers to (the other copy of a duplicate).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub file: String,
    pub sheet: String,
    pub row: u32,
    pub cell: Option<String>,
}

impl std::fmt::Display for Place {
    /// "file › sheet › 第N行", as `Source` shows it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} › {} › 第{}行", self.file, self.sheet, self.row)
    }
}

/// One problem, with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub table: Option<TableKind>,
    /// The file's name as it sits in the inbox.
    pub file: String,
    pub sheet: Option<String>,
    /// 1-based, as Excel shows it.
    pub row: Option<u32>,
    /// The field key of docs/forms.md §2.
    pub field: Option<&'static str>,
    /// A1 form.
    pub cell: Option<String>,
    pub value: Option<String>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    pub places: Vec<Place>,
}

impl Finding {
    pub fn new(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            severity: code.severity(),
            code,
            table: None,
            file: file.into(),
            sheet: None,
            row: None,
            field: None,
            cell: None,
            value: None,
            message: message.into(),
            places: Vec::new(),
        }
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn table(mut self, t: TableKind) -> Self {
        self.table = Some(t);
        self
    }

    pub fn sheet(mut self, s: impl Into<String>) -> Self {
        self.sheet = Some(s.into());
        self
    }

    /// 0-based row and column: sets both `row` (1-based) and `cell` (A1).
    pub fn at(mut self, row0: u32, col0: Option<u32>) -> Self {
        self.row = Some(row0 + 1);
        self.cell = col0.map(|c| crate::text::a1(row0, c));
        self
    }

    /// The field the finding is about.
    pub fn field(mut self, f: Field) -> Self {
        self.field = Some(f.key());
        self
    }

    /// The field by its key, where the key comes from a [`FieldSpec`](crate::forms::FieldSpec) being
    /// walked (a header's fields, the roster's).
    pub fn field_key(mut self, key: &'static str) -> Self {
        self.field = Some(key);
        self
    }

    pub fn value(mut self, v: impl Into<String>) -> Self {
        let v = v.into();
        if !v.is_empty() {
            self.value = Some(v);
        }
        self
    }

    pub fn place(mut self, p: Place) -> Self {
        self.places.push(p);
        self
    }

    /// "文件 › 工作表 › 单元格" as one location string.
    pub fn location(&self) -> String {
        let mut s = self.file.clone();
        if let Some(sh) = &self.sheet {
            s.push_str(" › ");
            s.push_str(sh);
        }
        match (&self.cell, self.row) {
            (Some(c), _) => {
                s.push_str(" › ");
                s.push_str(c);
            }
            (None, Some(r)) => s.push_str(&format!(" › 第{r}行")),
            _ => {}
        }
        s
    }

    /// One line for the terminal: "[错误] file/… 位置:消息". Control
    /// characters a quoted cell or a file name may carry (line breaks,
    /// terminal escapes) are shown as spaces.
    pub fn one_line(&self) -> String {
        let mut s = format!(
            "[{}] {}  {}:{}",
            self.severity.cn(),
            self.code.as_str(),
            self.location(),
            self.message
        );
        if let Some(v) = &self.value {
            s.push_str(&format!("(所填:{v})"));
        }
        one_line(s)
    }
}

/// `s` on one line: control characters (line breaks, tabs, terminal escapes,
/// NUL) become spaces.
fn one_line(s: String) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    } else {
        s
    }
}

/// Findings of one code kept in full per file; the rest are counted in one
/// summary finding (see [`cap`]).
pub const MAX_PER_FILE_CODE: usize = 200;

/// Places a duplicate finding names; the rest are counted ("等共 N 处").
pub const MAX_PLACES: usize = 5;

/// The first [`MAX_PLACES`] of `places` and the text naming them, with the
/// count of all when there are more: "a › S › 第2行、b › S › 第3行 等共 1000 处".
/// A duplicate's finding stays the same size however many rows share its id.
pub fn some_places(places: &[Place]) -> (String, Vec<Place>) {
    let shown = &places[..places.len().min(MAX_PLACES)];
    let mut text = crate::model::joined(shown, "、");
    if places.len() > shown.len() {
        text.push_str(&format!(" 等共 {} 处", places.len()));
    }
    (text, shown.to_vec())
}

/// Bound the findings: per file, code and severity the first
/// [`MAX_PER_FILE_CODE`] are kept in full and the rest replaced by one finding
/// of the same code saying how many more there were, where the first of them
/// stood. The order is kept. One broken column of 250,000 rows gives 201
/// findings, not 250,000, in the terminal, the workbook and the JSON.
pub fn cap(findings: &mut Vec<Finding>) {
    use std::collections::HashMap;
    if findings.len() <= MAX_PER_FILE_CODE {
        return;
    }
    // Per group: how many seen, and the position of the first one dropped.
    let mut seen: HashMap<(&str, Code, Severity), (usize, usize)> = HashMap::new();
    let mut keep = vec![true; findings.len()];
    for (i, f) in findings.iter().enumerate() {
        let e = seen
            .entry((f.file.as_str(), f.code, f.severity))
            .or_insert((0, usize::MAX));
        e.0 += 1;
        if e.0 > MAX_PER_FILE_CODE {
            keep[i] = false;
            e.1 = e.1.min(i);
        }
    }
    // The summaries, by the position they take.
    let mut summaries: HashMap<usize, Finding> = seen
        .into_iter()
        .filter(|(_, (n, _))| *n > MAX_PER_FILE_CODE)
        .map(|((_, code, severity), (n, at))| {
            let first = &findings[at];
            let more = n - MAX_PER_FILE_CODE;
            let mut f = Finding::new(
                code,
                first.file.clone(),
                format!(
                    "另有 {more} 条同类问题({})未逐条列出:本文件此类问题共 {n} 条,以上列出前 {MAX_PER_FILE_CODE} 条;请按列出的问题找出规律一并改正,改正后重新检查",
                    code.title()
                ),
            )
            .severity(severity);
            f.table = first.table;
            (at, f)
        })
        .collect();
    if summaries.is_empty() {
        return;
    }
    let old = std::mem::take(findings);
    findings.reserve(keep.iter().filter(|k| **k).count() + summaries.len());
    for (i, (f, k)) in old.into_iter().zip(keep).enumerate() {
        if let Some(s) = summaries.remove(&i) {
            findings.push(s);
        }
        if k {
            findings.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_grouped() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {}", c.as_str());
            let group = c.as_str().split('/').next().unwrap();
            assert!(["file", "header", "row", "cell"].contains(&group));
        }
    }

    #[test]
    fn location_and_line() {
        let f = Finding::new(Code::CellNegative, "a.xlsx", "总投资不能为负数")
            .sheet("Sheet1")
            .at(4, Some(6))
            .field(crate::forms::project::TOTAL_INVEST)
            .value("-5");
        assert_eq!(f.cell.as_deref(), Some("G5"));
        assert_eq!(f.row, Some(5));
        assert_eq!(
            f.one_line(),
            "[错误] cell/negative  a.xlsx › Sheet1 › G5:总投资不能为负数(所填:-5)"
        );
    }

    #[test]
    fn a_finding_quoting_control_characters_prints_on_one_line() {
        let f = Finding::new(
            Code::HeaderUnknownColumn,
            "a.xlsx",
            "列\"甲\n乙\u{1b}[31m\"已忽略",
        )
        .value("x\r\ny\0");
        // Kept as seen (the JSON and the workbook escape them) …
        assert_eq!(f.message, "列\"甲\n乙\u{1b}[31m\"已忽略");
        assert_eq!(f.value.as_deref(), Some("x\r\ny\0"));
        // … shown on one line in the terminal.
        assert_eq!(
            f.one_line(),
            "[提示] header/unknown-column  a.xlsx:列\"甲 乙 [31m\"已忽略(所填:x  y )"
        );
    }

    fn cell(file: &str, code: Code, row: u32) -> Finding {
        Finding::new(code, file, "x").sheet("S").at(row, Some(0))
    }

    #[test]
    fn cap_keeps_the_first_of_each_file_and_code_and_counts_the_rest() {
        let mut all = Vec::new();
        for r in 0..250 {
            all.push(cell("a.xlsx", Code::CellMissingValue, r));
        }
        for r in 0..3 {
            all.push(cell("a.xlsx", Code::CellNegative, r));
        }
        for r in 0..201 {
            all.push(cell("b.xlsx", Code::CellMissingValue, r));
        }
        cap(&mut all);
        let count = |file: &str, code: Code| {
            all.iter()
                .filter(|f| f.file == file && f.code == code)
                .count()
        };
        assert_eq!(
            count("a.xlsx", Code::CellMissingValue),
            MAX_PER_FILE_CODE + 1
        );
        assert_eq!(count("a.xlsx", Code::CellNegative), 3);
        assert_eq!(
            count("b.xlsx", Code::CellMissingValue),
            MAX_PER_FILE_CODE + 1
        );
        // The summary stands where the first dropped one stood, and counts them.
        let s = &all[MAX_PER_FILE_CODE];
        assert_eq!((s.code, s.row), (Code::CellMissingValue, None));
        assert!(s.message.starts_with("另有 50 条同类问题"), "{}", s.message);
        assert_eq!(
            all[MAX_PER_FILE_CODE - 1].row,
            Some(MAX_PER_FILE_CODE as u32)
        );
        assert_eq!(all[MAX_PER_FILE_CODE + 1].code, Code::CellNegative);
        let b = all.iter().rfind(|f| f.file == "b.xlsx").unwrap();
        assert!(b.message.starts_with("另有 1 条同类问题"), "{}", b.message);
    }

    #[test]
    fn some_places_names_five_and_counts_all() {
        let p = |row| Place {
            file: "a.xlsx".into(),
            sheet: "S".into(),
            row,
            cell: None,
        };
        let many: Vec<Place> = (1..=1000).map(p).collect();
        let (text, shown) = some_places(&many);
        assert_eq!(shown.len(), MAX_PLACES);
        assert!(text.ends_with(" 等共 1000 处"), "{text}");
        assert_eq!(text.matches("第").count(), MAX_PLACES);
        let (text, shown) = some_places(&many[..2]);
        assert_eq!(shown.len(), 2);
        assert_eq!(text, "a.xlsx › S › 第1行、a.xlsx › S › 第2行");
    }
}
