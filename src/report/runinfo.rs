//! The 运行信息 sheet: the program, the period, the rules in force, forms.toml,
//! the roster and every input file with its size, time, SHA-256 and status.

use super::table::{page_setup, write_table_print, Formats, Out, Print};
use crate::provenance::{rule_rows, FileHash, Provenance};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::BTreeMap;

/// The name of the workbook sheet.
pub const SHEET: &str = "运行信息";

/// 运行信息's columns (all printed).
pub const HEADERS: [&str; 7] = [
    "类别",
    "项目",
    "值",
    "大小(字节)",
    "修改时间",
    "SHA-256",
    "说明",
];

/// Write the 运行信息 sheet: the program, the period, the rules in force, the
/// roster and every input file with its size, modification time and SHA-256.
/// Each file's status in the run comes from `status` (file name → status text),
/// when given.
pub fn write_sheet(
    wb: &mut Workbook,
    fmt: &Formats,
    prov: &Provenance,
    status: &BTreeMap<String, String>,
    period_cn: &str,
    run_time: &str,
) -> Result<(), XlsxError> {
    let headers = HEADERS;
    let info = |kind: &str, item: &str, v: Out<'static>, note: &str| -> Vec<Out<'static>> {
        vec![
            Out::text(kind.to_string()),
            Out::text(item.to_string()),
            v,
            Out::Empty,
            Out::Empty,
            Out::Empty,
            Out::text(note.to_string()),
        ]
    };
    let file_row = |kind: &str, f: &FileHash, note: &str| -> Vec<Out<'static>> {
        vec![
            Out::text(kind.to_string()),
            Out::text(f.file.clone()),
            Out::Empty,
            Out::Int(f.size as i64),
            Out::text(f.modified.clone().unwrap_or_default()),
            Out::text(f.sha256.clone().unwrap_or_else(|| "(无法读取)".into())),
            Out::text(note.to_string()),
        ]
    };
    let mut rows = vec![
        info("程序", "diaodu 版本", Out::text(prov.version.clone()), ""),
        info("程序", "报告期", Out::text(prov.period.clone()), period_cn),
        info(
            "程序",
            "运行开始时间",
            Out::text(prov.generated_at.clone()),
            "",
        ),
    ];
    for (key, label, v) in rule_rows(&prov.rules) {
        rows.push(info("规则", label, Out::Num(v), key));
    }
    rows.push(file_row("单位名册", &prov.roster, ""));
    if let Some(forms) = &prov.forms {
        rows.push(vec![
            Out::text("表格对照"),
            Out::text(forms.file.clone()),
            Out::Empty,
            Out::Empty,
            Out::Empty,
            Out::text(forms.sha256.clone()),
            Out::text("本单位表格的对照设置"),
        ]);
        for e in &forms.entries {
            rows.push(info(
                "表格对照",
                &e.written,
                Out::text(e.means.clone()),
                &e.section,
            ));
        }
    }
    for f in &prov.files {
        let note = status.get(&f.file).map(String::as_str).unwrap_or("");
        rows.push(file_row("报送文件", f, note));
    }
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    page_setup(ws, SHEET, period_cn, run_time, 0)?;
    // Every column prints, the long ones capped (they wrap) to fit A4
    // landscape at full size: a SHA-256 on two lines.
    let print = Print::first(headers.len())
        .cap(1, 24)
        .cap(2, 16)
        .cap(4, 19)
        .cap(5, 32)
        .cap(6, 14);
    write_table_print(ws, fmt, 0, &headers, &rows, &print)?;
    Ok(())
}

/// Each inbox file's status in the batch, in Chinese, for the 运行信息 sheet.
pub fn file_statuses(batch: &crate::batch::Batch) -> BTreeMap<String, String> {
    batch
        .merged
        .files
        .iter()
        .map(|f| (f.name.clone(), f.status.cn().to_string()))
        .collect()
}
