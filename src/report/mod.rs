//! The output workbook: one module per sheet, shared formats, written whole or
//! not at all (a temporary file in the output folder, then a rename).

pub mod chart;
pub mod long;
pub mod notice;
pub mod overview;
pub mod ranking;
pub mod runinfo;
pub mod schedule;
pub mod span;
pub mod table;
pub mod warnings;
mod zipout;

use crate::assess::Assessment;
use crate::batch::Batch;
use crate::finding::Finding;
use crate::forms::{FieldType, TableKind};
use crate::merge::{FileStatus, MergedRow};
use crate::model::{joined, Value};
use long::{add_long_table, LongTable, PageText, TableFormats};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::Write;
use std::path::{Path, PathBuf};
use table::{page_setup, write_table_print, Formats, Out, Print};

/// Sheet names, in workbook order.
pub mod sheet {
    pub const OVERVIEW: &str = "总览";
    pub const RANKING: &str = "单位排名";
    pub const PROJECT_SCHEDULE: &str = "项目进度";
    pub const MILESTONE_SCHEDULE: &str = "节点时序";
    pub const WARNINGS: &str = "预警问责";
    pub const ATTRACTION: &str = "招商引资";
    pub const PROJECTS: &str = "项目明细";
    pub const FILES: &str = "报送情况";
    pub const FINDINGS: &str = "数据校验";
    pub const RUN_INFO: &str = super::runinfo::SHEET;
    pub const ALL: [&str; 10] = [
        OVERVIEW,
        RANKING,
        PROJECT_SCHEDULE,
        MILESTONE_SCHEDULE,
        WARNINGS,
        ATTRACTION,
        PROJECTS,
        FILES,
        FINDINGS,
        RUN_INFO,
    ];
}

/// The output file name for a period.
pub fn output_name(period: crate::config::Period) -> String {
    format!("调度通报_{period}.xlsx")
}

pub use crate::error::Error;

/// A workbook rust_xlsxwriter could not build.
impl From<XlsxError> for Error {
    fn from(e: XlsxError) -> Self {
        Error::Write(format!("生成工作簿失败:{e}"))
    }
}

/// What every sheet writer gets.
pub struct Ctx<'a> {
    pub batch: &'a Batch,
    pub a: &'a Assessment,
    pub fmt: Formats,
    pub period_cn: String,
    pub run_time: String,
}

fn value_out(spec_ty: FieldType, v: &Value) -> Out<'_> {
    match (spec_ty, v) {
        (_, Value::Null) => Out::Empty,
        (FieldType::Amount, Value::Num(n)) => Out::Wan(*n),
        (_, Value::Num(n)) => Out::Num(*n),
        (_, Value::Date(d)) => Out::Date(*d),
        (_, Value::Text(s)) => Out::text(s.as_str()),
    }
}

/// 招商引资 / 项目明细: the merged rows of a table as submitted, with the
/// unit each counts for and every place it was read from.
fn detail_table<'a>(cx: &'a Ctx, name: &'a str, table: TableKind) -> LongTable<'a> {
    let rows: &[MergedRow] = &cx.batch.merged.rows[table as usize];
    let fields = table.form_fields();
    let mut headers: Vec<&str> = vec!["计入单位"];
    headers.extend(fields.iter().map(|f| f.header));
    headers.extend(["来源文件", "工作表", "行号", "其他来源"]);
    let units = &cx.batch.roster.units;
    LongTable {
        name,
        title: None,
        headers,
        len: rows.len(),
        row: Box::new(move |i| {
            let m = &rows[i];
            let mut r = vec![Out::opt_text(m.rec.unit.map(|u| units[u].name.as_str()))];
            r.extend(
                fields
                    .iter()
                    .zip(&m.rec.values)
                    .map(|(f, v)| value_out(f.ty, v)),
            );
            r.push(Out::text(&*m.rec.src.file));
            r.push(Out::text(&*m.rec.src.sheet));
            r.push(Out::Int(m.rec.src.row as i64));
            r.push(Out::text(joined(m.sources.iter().skip(1), ";")));
            r
        }),
        widths: Vec::new(),
        print: detail_print(table),
        framed: false,
    }
}

/// What of a detail sheet prints: the unit, the project and its figures up
/// to the year's total (累计完成投资 / 累计到位资金), names capped so they
/// fit A4 landscape at full size; the rest of the fields and the sources lie
/// to the right of the print area.
fn detail_print(table: TableKind) -> Print {
    match table {
        TableKind::Projects => Print::first(11)
            .cap(0, 8)
            .cap(1, 8)
            .cap(2, 20)
            .cap(3, 8)
            .cap(4, 8)
            .cap(6, 8),
        TableKind::Attraction => Print::first(8).cap(0, 12).cap(1, 22).cap(2, 16),
        TableKind::Milestones => Print::default(),
    }
}

/// 报送情况's columns: the first 12 print.
pub const FILES_HEADERS: [&str; 21] = [
    "单位",
    "单位类别",
    "是否报送",
    "文件",
    "状态",
    "单位认定依据",
    "填报日期",
    "被替代为",
    "项目行 读取",
    "汇总",
    "拒收",
    "替代",
    "节点行 读取",
    "汇总",
    "拒收",
    "替代",
    "招商行 读取",
    "汇总",
    "拒收",
    "替代",
    "说明",
];

fn files_sheet<'a>(wb: &mut Workbook, cx: &'a Ctx) -> Result<(), Error> {
    let b = cx.batch;
    let headers = FILES_HEADERS;
    let mut rows: Vec<Vec<Out>> = Vec::new();
    let file_row = |unit: Option<usize>, f: &'a crate::merge::FileEntry| -> Vec<Out<'a>> {
        let (uname, kind, submitted) = match unit {
            Some(u) => (
                b.roster.units[u].name.as_str(),
                b.roster.units[u].kind.cn(),
                if b.merged
                    .files
                    .iter()
                    .any(|x| x.unit == Some(u) && x.status == FileStatus::Merged)
                {
                    "已报送"
                } else {
                    "未报送"
                },
            ),
            None => ("(未认定)", "", ""),
        };
        let mut r = vec![
            Out::text(uname),
            Out::text(kind),
            Out::text(submitted),
            Out::text(f.name.clone()),
            Out::text(f.status.cn()),
            Out::opt_text(f.unit_from.map(|u| u.cn())),
            Out::opt_date(f.report_date),
            Out::opt_text(f.superseded_by.as_deref()),
        ];
        for c in &f.counts {
            r.extend([c.read, c.merged, c.rejected, c.superseded].map(|n| Out::Int(n as i64)));
        }
        r.push(Out::opt_text(f.reason.as_deref()));
        r
    };
    for (u, unit) in b.roster.units.iter().enumerate() {
        let mine: Vec<_> = b
            .merged
            .files
            .iter()
            .filter(|f| f.unit == Some(u))
            .collect();
        if mine.is_empty() {
            let mut r = vec![
                Out::text(unit.name.clone()),
                Out::text(unit.kind.cn()),
                Out::text("未报送"),
            ];
            r.resize(headers.len() - 1, Out::Empty);
            r.push(Out::text("未收到该单位的报表"));
            rows.push(r);
        }
        for f in mine {
            rows.push(file_row(Some(u), f));
        }
    }
    for f in b.merged.files.iter().filter(|f| f.unit.is_none()) {
        rows.push(file_row(None, f));
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet::FILES)?;
    page_setup(ws, sheet::FILES, &cx.period_cn, &cx.run_time, 0)?;
    // Printed: the unit, its file and how it was read, and the project rows.
    let print = Print::first(12).cap(0, 12).cap(3, 20).cap(5, 10).cap(7, 16);
    write_table_print(ws, &cx.fmt, 0, &headers, &rows, &print)?;
    Ok(())
}

/// 数据校验's columns: where and what (the first eight, printed); the code,
/// the table and the other places to the right of the print area.
pub const FINDINGS_HEADERS: [&str; 12] = [
    "级别",
    "问题",
    "文件",
    "工作表",
    "单元格",
    "栏目",
    "所填内容",
    "说明",
    "代码",
    "报表",
    "行号",
    "其他位置",
];

/// The 数据校验 sheet: every finding.
fn findings_sheet(wb: &mut Workbook, cx: &Ctx, findings: &[Finding]) -> Result<(), Error> {
    let headers = FINDINGS_HEADERS;
    let rows: Vec<Vec<Out>> = findings
        .iter()
        .map(|f| {
            vec![
                Out::text(f.severity.cn()),
                Out::text(f.code.title()),
                Out::text(f.file.clone()),
                Out::opt_text(f.sheet.as_deref()),
                Out::opt_text(f.cell.as_deref()),
                Out::opt_text(
                    f.table
                        .zip(f.field)
                        .and_then(|(t, k)| t.field_by_key(k))
                        .map(crate::forms::Field::label),
                ),
                Out::opt_text(f.value.as_deref()),
                Out::text(f.message.clone()),
                Out::text(f.code.as_str()),
                Out::opt_text(f.table.map(|t| t.title())),
                f.row.map_or(Out::Empty, |r| Out::Int(r as i64)),
                Out::text(joined(&f.places, ";")),
            ]
        })
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name(sheet::FINDINGS)?;
    page_setup(ws, sheet::FINDINGS, &cx.period_cn, &cx.run_time, 0)?;
    let print = Print::first(8)
        .cap(1, 16)
        .cap(2, 20)
        .cap(3, 10)
        .cap(5, 10)
        .cap(6, 12)
        .cap(7, 40);
    write_table_print(ws, &cx.fmt, 0, &headers, &rows, &print)?;
    Ok(())
}

/// The zip compression of the workbook: level 1 of 9 saves in about half
/// the time of the default 6 for a file about 1.7 times the size (measured
/// on the 2000-unit benchmark, BENCHMARKS.md).
const ZIP_LEVEL: u8 = 1;

/// Build the workbook and save it into `w`; the long tables' rows are made
/// as they are written (see [`long`]).
pub fn write_workbook(
    batch: &Batch,
    a: &Assessment,
    run_time: &str,
    w: &mut dyn Write,
) -> Result<(), Error> {
    let cx = Ctx {
        batch,
        a,
        fmt: Formats::default(),
        period_cn: batch.config.period.cn(),
        run_time: run_time.to_string(),
    };
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
    let long = [
        schedule::projects_table(&cx),
        schedule::milestones_table(&cx),
        detail_table(&cx, sheet::ATTRACTION, TableKind::Attraction),
        detail_table(&cx, sheet::PROJECTS, TableKind::Projects),
        warnings::table(&cx),
    ];
    let page = PageText {
        period_cn: &cx.period_cn,
        run_time,
    };
    let plain = Formats::plain();
    let formats = TableFormats {
        framed: &cx.fmt,
        plain: &plain,
    };
    let mut parts = Vec::new();
    let mut add = |wb: &mut Workbook, t: usize| -> Result<(), Error> {
        parts.extend(add_long_table(
            wb,
            &formats,
            &long,
            t,
            batch.config.sheet_rows,
            &page,
        )?);
        Ok(())
    };
    overview::write(&mut wb, &cx)?;
    ranking::write(&mut wb, &cx)?;
    add(&mut wb, 0)?;
    add(&mut wb, 1)?;
    add(&mut wb, 4)?;
    add(&mut wb, 2)?;
    add(&mut wb, 3)?;
    files_sheet(&mut wb, &cx)?;
    findings_sheet(&mut wb, &cx, batch.findings())?;
    runinfo::write_sheet(
        &mut wb,
        &cx.fmt,
        &batch.provenance,
        &runinfo::file_statuses(batch),
        &cx.period_cn,
        run_time,
    )?;
    // December: the year's ranking (年度评比), as assess computed it.
    if let Some(y) = &a.year {
        span::write_sheet(&mut wb, &cx.fmt, y.span, &batch.roster, &y.rows, run_time)?;
    }
    long::save(wb, &long, &parts, w)
}

/// Write bytes to `path` whole or not at all: a temporary file beside it,
/// flushed, then renamed over. An existing file is kept unless `force`.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    write_atomic_with(path, force, &mut |w| w.write_all(bytes))
}

/// Write a file whole or not at all: `fill` writes its content into a
/// temporary file beside `path` (buffered), which is flushed to disk and
/// renamed over. An existing file is kept unless `force`; when `fill` fails
/// the temporary file is removed and the old file stays.
pub fn write_atomic_with(
    path: &Path,
    force: bool,
    fill: &mut dyn FnMut(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<(), Error> {
    stage(path, force, fill)?.commit()
}

/// A file written whole into a temporary file beside its path, flushed to
/// disk, not yet in place: [`Staged::commit`] renames it over; dropped
/// uncommitted, it is removed.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Put the file in place (a rename over the old one, if any).
    pub fn commit(self) -> Result<(), Error> {
        let path = self.path;
        self.tmp.persist(&path).map_err(|e| {
            Error::Write(format!(
                "无法保存 {}:{}(文件是否正在 Excel/WPS 中打开?请关闭后重试)",
                path.display(),
                e.error
            ))
        })?;
        Ok(())
    }
}

/// The first half of [`write_atomic_with`]: the content written and flushed
/// to a temporary file beside `path`, to be committed.
pub fn stage(
    path: &Path,
    force: bool,
    fill: &mut dyn FnMut(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<Staged, Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Write(format!("无法创建输出文件夹 {}:{e}", dir.display())))?;
    if path.exists() && !force {
        return Err(Error::Write(exists_message(path)));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".diaodu-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::Write(format!("无法在 {} 写入临时文件:{e}", dir.display())))?;
    // The temporary file is private (0600); the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    let written = {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        fill(&mut w).and_then(|_| w.flush())
    };
    written
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::Write(format!("写入 {} 失败:{e}", path.display())))?;
    Ok(Staged {
        tmp,
        path: path.to_path_buf(),
    })
}

/// Where the workbook of the batch's period goes.
pub fn path(batch: &Batch) -> PathBuf {
    batch.config.out.join(output_name(batch.config.period))
}

/// What a run says when an output exists and `--force` was not given.
pub fn exists_message(path: &Path) -> String {
    format!(
        "{} 已存在,未覆盖:如需重新生成,请加 --force,或先把旧文件移走",
        path.display()
    )
}

/// Build the workbook and save it into a temporary file beside its place in
/// the output folder, to be committed. Saved straight into the file: the
/// zipped workbook is never held in memory whole.
pub fn stage_workbook(
    batch: &Batch,
    a: &Assessment,
    run_time: &str,
    force: bool,
) -> Result<Staged, Error> {
    stage(&path(batch), force, &mut |w| {
        write_workbook(batch, a, run_time, w)
            .map_err(|e| std::io::Error::other(e.message().to_string()))
    })
}

/// Build and write the workbook into the output folder; returns its path.
pub fn write(batch: &Batch, a: &Assessment, run_time: &str, force: bool) -> Result<PathBuf, Error> {
    stage_workbook(batch, a, run_time, force)?.commit()?;
    Ok(path(batch))
}
