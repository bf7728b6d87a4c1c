//! The batch: inbox → files → rows → merged period tables, with findings.

use crate::config::{Config, Period};
use crate::error::Error;
use crate::finding::{Code, Finding};
use crate::forms::TableKind;
use crate::formwords::FormWords;
use crate::ingest::discover::{discover, FileKind, InboxFile};
use crate::ingest::workbook::{Guard, ReadError};
use crate::ingest::{read_workbook_with, FileRead};
use crate::merge::{self, Counts, FileEntry, FileStatus, Merged, ReadFile};
use crate::provenance::{FileHash, Provenance};
use crate::roster::{read_roster, Roster};
use rayon::prelude::*;
use std::time::{Duration, Instant};

pub use crate::batch::{timed, Batch, Timings};

fn guard(config: &Config) -> Guard {
    Guard {
        limits: config.limits.clone(),
        child_exe: config.child_exe.clone(),
    }
}

/// The finding for a file the guard could not read.
pub fn read_error_finding(file: &str, e: &ReadError) -> Finding {
    let code = match e {
        ReadError::Encrypted => Code::FileEncrypted,
        ReadError::NotSpreadsheet(_) => Code::FileNotSpreadsheet,
        ReadError::Empty => Code::FileEmpty,
        _ => Code::FileUnreadable,
    };
    Finding::new(code, file, e.to_string())
}

fn entry(f: &InboxFile, status: FileStatus) -> FileEntry {
    FileEntry {
        name: f.name.clone(),
        size: f.size,
        modified: f.modified,
        status,
        unit: None,
        unit_from: None,
        report_date: None,
        superseded_by: None,
        reason: None,
        counts: [Counts::default(); 3],
        consolidated: false,
        units: Vec::new(),
    }
}

/// forms.toml's `[units]`: names that stand for roster units. A name for a
/// unit the roster does not have stops the run (exit 2), naming it.
pub fn add_office_names(
    roster: &mut Roster,
    words: &crate::formwords::FormWords,
) -> Result<(), Error> {
    for (written, unit) in &words.units {
        match roster.resolve(unit) {
            Some(u) => roster.add_alias(written, u),
            None => {
                return Err(Error::Run(format!(
                    "forms.toml 的 [units] 中 \"{written}\" = \"{unit}\":\"{unit}\"不在单位名册中,请写名册中的单位名称"
                )))
            }
        }
    }
    Ok(())
}

/// Read one file of the inbox: its rows and findings, or why not.
pub fn read_one(
    f: &InboxFile,
    idx: usize,
    guard: &Guard,
    period: Period,
    scan_rows: u32,
) -> (ReadFile, Vec<Finding>) {
    read_one_with(f, idx, guard, period, scan_rows, &FormWords::default())
}

/// [`read_one`] with the office's words (forms.toml).
pub fn read_one_with(
    f: &InboxFile,
    idx: usize,
    guard: &Guard,
    period: Period,
    scan_rows: u32,
    words: &FormWords,
) -> (ReadFile, Vec<Finding>) {
    let (rf, fi, _) = read_one_timed(f, idx, guard, period, scan_rows, words);
    (rf, fi)
}

/// As `read_one`, with the time spent reading the workbook and mapping its rows.
fn read_one_timed(
    f: &InboxFile,
    idx: usize,
    guard: &Guard,
    period: Period,
    scan_rows: u32,
    words: &FormWords,
) -> (ReadFile, Vec<Finding>, [Duration; 2]) {
    let mut findings = Vec::new();
    let mut times = [Duration::ZERO; 2];
    match f.kind {
        FileKind::Lock | FileKind::Hidden => {
            let why = if f.kind == FileKind::Lock {
                "Excel/WPS 打开文件时留下的临时锁文件"
            } else {
                "隐藏文件"
            };
            let mut e = entry(f, FileStatus::Ignored);
            e.reason = Some(format!("{why},已忽略"));
            findings.push(Finding::new(
                Code::FileIgnored,
                &f.name,
                format!("{why},已忽略"),
            ));
            return (
                ReadFile {
                    entry: e,
                    read: None,
                },
                findings,
                times,
            );
        }
        FileKind::Other => {
            let ext = f
                .name
                .rsplit_once('.')
                .map(|(_, e)| e)
                .unwrap_or("无扩展名");
            let msg = format!(
                "不是电子表格文件(.{ext}):请报送 .xlsx、.xls 或 .ods 格式的报表;如是说明材料,请另行报送"
            );
            let mut e = entry(f, FileStatus::Unreadable);
            e.reason = Some(msg.clone());
            findings.push(Finding::new(Code::FileNotSpreadsheet, &f.name, msg));
            return (
                ReadFile {
                    entry: e,
                    read: None,
                },
                findings,
                times,
            );
        }
        FileKind::Spreadsheet => {}
    }
    let t = Instant::now();
    let (wb, held) = guard.read_held(&f.path);
    times[0] = t.elapsed();
    match wb {
        Err(err) => {
            let fi = read_error_finding(&f.name, &err);
            let mut e = entry(f, FileStatus::Unreadable);
            e.reason = Some(fi.message.clone());
            findings.push(fi);
            (
                ReadFile {
                    entry: e,
                    read: None,
                },
                findings,
                times,
            )
        }
        Ok(wb) => {
            let t = Instant::now();
            let mut read: FileRead =
                read_workbook_with(&f.name, idx, &wb, period, scan_rows, words);
            findings.append(&mut read.findings);
            let mut e = entry(f, FileStatus::Merged);
            if read.tables.is_empty() {
                let looks_like = wb.sheets.iter().any(|sh| {
                    crate::ingest::header::best_guess(
                        &TableKind::ALL.map(crate::ingest::header::Schema::for_table),
                        sh,
                        sh.first_row + scan_rows,
                        &crate::ingest::header::MapCtx {
                            period: Some(period),
                            words,
                        },
                    )
                    .is_some()
                });
                let msg = if looks_like {
                    format!("文件中有像报表的表格,但没能识别为重点项目、节点计划或招商引资表:请运行 diaodu inspect \"{}\" 查看各列被读成什么、缺少什么,再在工作目录的 forms.toml 中写明对照", f.name)
                } else {
                    "文件中没有找到重点项目、节点计划或招商引资表:表头须在前 15 行内,并包含\"项目名称\"\"总投资\"等栏目;请使用下发的模板或本单位的报表".to_string()
                };
                findings.push(Finding::new(Code::FileNoTable, &f.name, msg.clone()));
                e.status = FileStatus::Unreadable;
                e.reason = Some(msg);
            }
            drop(wb);
            drop(held);
            times[1] = t.elapsed();
            (
                ReadFile {
                    entry: e,
                    read: Some(read),
                },
                findings,
                times,
            )
        }
    }
}

/// Run the batch in memory: nothing is written.
pub fn run(config: Config) -> Result<Batch, Error> {
    run_with_progress(config, &mut |_, _, _| {})
}

/// As `run`, calling `progress(done, total, file)` after each file is read.
///
/// Files are read and mapped in parallel on rayon's pool (one task per file);
/// `progress` is called on the calling thread, in the order files finish. The
/// results are kept in the inbox's (file name) order, so the output does not
/// depend on which thread finished first.
pub fn run_with_progress(
    config: Config,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Batch, Error> {
    let mut timings = Timings::default();
    let guard = guard(&config);
    // The roster read and hashed (provenance), timed together.
    let (mut provenance, roster) = timings.time("roster", || {
        (
            Provenance::start(&config),
            read_roster(&config.roster, &guard),
        )
    });
    let (mut roster, roster_findings) = roster?;
    add_office_names(&mut roster, &config.words)?;
    if !config.inbox.is_dir() {
        return Err(Error::Run(format!(
            "收件文件夹 {} 不存在:请把各单位报送的文件放在这个文件夹里(或用 --inbox 指定)",
            config.inbox.display()
        )));
    }
    let inbox = timings
        .time("discover", || discover(&config.inbox))
        .map_err(|e| Error::Run(format!("无法读取收件文件夹 {}:{e}", config.inbox.display())))?;
    let mut findings = roster_findings;
    let total = inbox.len();
    let (period, scan_rows) = (config.period, config.header_scan_rows);
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    let results: Vec<(ReadFile, Vec<Finding>, [Duration; 2], FileHash)> = std::thread::scope(|s| {
        let inbox = &inbox;
        let guard = &guard;
        let words = &config.words;
        let worker = s.spawn(move || {
            let read_all = move || {
                inbox
                    .par_iter()
                    .enumerate()
                    .map_with(tx, |tx, (i, f)| {
                        // Hashed just before it is read: the bytes the run used.
                        let t = Instant::now();
                        let hash = crate::provenance::hash_inbox_file(f);
                        let hashing = t.elapsed();
                        let (rf, fi, [read, map]) =
                            read_one_timed(f, i, guard, period, scan_rows, words);
                        let _ = tx.send(i);
                        (rf, fi, [read + hashing, map], hash)
                    })
                    .collect()
            };
            // Read on lanes of their own (Guard::lanes: more than the cores when workers
            // parse), or on the global pool if those threads cannot be started.
            match rayon::ThreadPoolBuilder::new()
                .num_threads(guard.lanes())
                .thread_name(|i| format!("diaodu-read-{i}"))
                .build()
            {
                Ok(lanes) => lanes.install(read_all),
                Err(_) => read_all(),
            }
        });
        // Every sender is gone when the workers are done.
        for (done, i) in rx.iter().enumerate() {
            progress(done + 1, total, &inbox[i].name);
        }
        worker
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    });
    let wall = started.elapsed();
    // The readers' processes end here: their memory is not held while the outputs are made.
    crate::ingest::workbook::shutdown_pools();
    let mut files = Vec::with_capacity(total);
    for (rf, mut fi, [r, m], hash) in results {
        provenance.files.push(hash);
        findings.append(&mut fi);
        files.push(rf);
        timings.read_cpu += r;
        timings.map_cpu += m;
    }
    timings.threads = guard.lanes();
    let cpu = (timings.read_cpu + timings.map_cpu).as_secs_f64();
    let read_share = if cpu > 0.0 {
        timings.read_cpu.as_secs_f64() / cpu
    } else {
        1.0
    };
    timings.add("read", wall.mul_f64(read_share));
    timings.add("map", wall.mul_f64(1.0 - read_share));
    let merged = timings.time("merge", || {
        merge::identify_units(&mut files, &roster, &mut findings);
        merge::supersede(&mut files, &roster, &mut findings);
        let mut merged = merge::merge(files, &roster, findings);
        finish_findings(&mut merged);
        merged
    });
    let t0 = Instant::now();
    let frame = |t: TableKind| {
        merge::frame_of(
            t,
            &merged.rows[t as usize],
            &roster,
            merge::Columns::Figures,
            merge::Threads::All,
        )
        .map_err(|e| Error::Run(format!("内部错误:汇总{}表失败:{e}", t.title())))
    };
    // The milestones frame is the largest: build it beside the other two.
    let (ms, (pr, at)) = rayon::join(
        || frame(TableKind::Milestones),
        || (frame(TableKind::Projects), frame(TableKind::Attraction)),
    );
    let frames = [pr?, ms?, at?];
    timings.add("frames", t0.elapsed());
    Ok(Batch {
        config,
        roster,
        merged,
        frames,
        timings,
        provenance,
    })
}

/// The findings as every output shows them: a `cell/text-cut` warning for
/// each merged text longer than a cell holds (written cut), then bounded per
/// file and code ([`crate::finding::cap`]).
fn finish_findings(merged: &mut Merged) {
    let cut = crate::excel_limits::text_cut_findings(merged.rows.iter().flatten().map(|m| &m.rec));
    if !cut.is_empty() {
        merged.findings.extend(cut);
        merge::sort_findings(&mut merged.findings);
    }
    crate::finding::cap(&mut merged.findings);
}

/// What a month's run tells its caller while it works (for a progress line).
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A file of the inbox read: how many of how many, and its name.
    File {
        done: usize,
        total: usize,
        name: &'a str,
    },
    /// The figures, ranks and flags are being computed.
    Assess,
    /// The outputs are being written.
    Write,
}

impl Step<'_> {
    /// The stage as the progress line says it.
    pub fn cn(&self) -> &'static str {
        match self {
            Step::File { .. } => "读取报送文件",
            Step::Assess => "计算指标、排名和预警",
            Step::Write => "写出工作簿、运行报告和通报文档",
        }
    }
}

/// A month's run as it happened: the batch read and merged, its assessment,
/// and what was written (or why not: the figures are there to print even
/// when an output could not be written).
pub struct Month {
    pub batch: Batch,
    pub assessment: crate::assess::Assessment,
    pub written: Result<Written, Error>,
}

/// The month's run, whole: refuse existing outputs without `force`, read and
/// check the inbox, merge it, assess it against the history, and write the
/// workbook, the run report, the 通报 and the month's history, timing each
/// stage in the batch's timings. `on` hears of each file and stage.
pub fn run_month(
    config: Config,
    force: bool,
    run_time: &str,
    on: &mut dyn FnMut(Step),
) -> Result<Month, Error> {
    // Refused before the inbox is read, not after minutes of reading; the write
    // checks again (write_outputs_timed, an entry of its own), for outputs that
    // appeared meanwhile.
    refuse_existing(&config, force)?;
    crate::lock::clean_stale_temp(&config.out);
    let mut batch = run_with_progress(config, &mut |done, total, name| {
        on(Step::File { done, total, name })
    })?;
    on(Step::Assess);
    let t = Instant::now();
    let assessment = judge(&mut batch);
    batch.timings.add("metrics", t.elapsed());
    let assessment = assessment?;
    on(Step::Write);
    let mut wt = Timings::default();
    let written = write_outputs_timed(&batch, &assessment, run_time, force, &mut wt);
    batch.timings.absorb(wt);
    Ok(Month {
        batch,
        assessment,
        written,
    })
}

/// Judge the period with the history of the earlier months; problems with the
/// history become warnings among the findings.
pub fn judge(batch: &mut Batch) -> Result<crate::assess::Assessment, Error> {
    let prior = crate::history::prior(&batch.config.history, batch.config.period, &batch.roster);
    for w in &prior.warnings {
        batch.merged.findings.push(Finding::new(
            Code::FileHistoryUnusable,
            "history",
            w.clone(),
        ));
    }
    for n in &prior.notes {
        batch.merged.findings.push(
            Finding::new(Code::FileHistoryUnusable, "history", n.clone())
                .severity(crate::finding::Severity::Info),
        );
    }
    let a = crate::assess::assess_with(batch, prior)
        .map_err(|e| Error::Run(format!("内部错误:计算指标失败:{e}")))?;
    // What the year's ranking lacked reaches the findings too.
    for w in a.year.iter().flat_map(|y| &y.warnings) {
        batch.merged.findings.push(Finding::new(
            Code::FileHistoryUnusable,
            "history",
            w.clone(),
        ));
    }
    Ok(a)
}

/// The outputs of a month, in the order they are written: the workbook, the
/// run report and the 通报 document beside it.
pub fn output_paths(config: &Config) -> [std::path::PathBuf; 3] {
    [
        config.out.join(crate::report::output_name(config.period)),
        crate::runreport::json_path(config),
        config
            .out
            .join(crate::report::notice::output_name(config.period)),
    ]
}

/// The outputs of this month that already exist (a run needs --force to replace them).
pub fn existing_outputs(config: &Config) -> Vec<std::path::PathBuf> {
    output_paths(config)
        .into_iter()
        .filter(|p| p.exists())
        .collect()
}

/// Without `force`, refuse a run whose outputs exist (the first one named).
pub fn refuse_existing(config: &Config, force: bool) -> Result<(), Error> {
    match existing_outputs(config).first() {
        Some(p) if !force => Err(Error::Write(crate::report::exists_message(p))),
        _ => Ok(()),
    }
}

/// For tests of a killed run: `DIAODU_TEST_PAUSE_BEFORE_WRITE=<seconds>` makes
/// the run say so on stderr and sleep before it writes anything.
fn test_pause_before_write() {
    if let Some(secs) = std::env::var("DIAODU_TEST_PAUSE_BEFORE_WRITE")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
    {
        eprintln!("DIAODU_TEST_PAUSE_BEFORE_WRITE: pausing {secs} s before writing");
        std::thread::sleep(std::time::Duration::from_secs_f64(secs));
    }
}

/// Write the period's outputs: the workbook, the run report (JSON) beside it,
/// then the month's history. Each is written to a temporary name and renamed,
/// so a run killed midway leaves the earlier files as they were. Nothing is
/// written when an output exists and `force` is not given. Returns the
/// workbook's path.
pub fn write_outputs(
    batch: &Batch,
    a: &crate::assess::Assessment,
    run_time: &str,
    force: bool,
) -> Result<std::path::PathBuf, Error> {
    write_outputs_timed(batch, a, run_time, force, &mut Timings::default()).map(|w| w.workbook)
}

/// What [`write_outputs_timed`] wrote, and what the terminal should add.
#[derive(Debug)]
pub struct Written {
    /// The workbook's path.
    pub workbook: std::path::PathBuf,
    /// Lines for the terminal about the outputs (why the 通报's charts are
    /// table bars, when they are).
    pub notes: Vec<String>,
}

/// [`write_outputs`], timing the outputs as stages of `timings`: `write`
/// (the workbook, the run report and the history's month, made at the same
/// time) and `history` (the month put in place).
pub fn write_outputs_timed(
    batch: &Batch,
    a: &crate::assess::Assessment,
    run_time: &str,
    force: bool,
    timings: &mut Timings,
) -> Result<Written, Error> {
    refuse_existing(&batch.config, force)?;
    // Everything is computed before the first write. The month's history is
    // staged from the start, on a thread of its own; beside it the 通报
    // document, then the workbook and the run report at the same time, each
    // into a temporary file or folder; then they are put in place, workbook,
    // report, document, history, one right after the other.
    let report = crate::runreport::of_assessment(batch, a);
    test_pause_before_write();
    let t = Instant::now();
    let (((wb, wb_time), (json, json_time)), (docx, docx_time), (month, month_time)) =
        std::thread::scope(|s| {
            // The history's month on a thread of its own: its Parquet work runs on
            // polars' threads, and a rayon worker waiting for them would take on
            // pieces of the workbook meanwhile and finish late.
            let month =
                s.spawn(|| timed(|| crate::history_write::stage(&batch.config.history, batch, a)));
            // The 通报 document beside the history only: it is quick (0.3 s at 2000
            // units, on one core, so the history takes the other) and, made beside
            // the workbook, its tree of 20,000 table cells would add to the run's
            // peak memory.
            let docx = timed(|| crate::report::notice::stage(batch, a, run_time, force));
            let outputs = rayon::join(
                || timed(|| crate::report::stage_workbook(batch, a, run_time, force)),
                || {
                    let path = crate::runreport::json_path(&batch.config);
                    timed(|| crate::runreport::stage_json(&path, &report, force))
                },
            );
            let month = month.join().unwrap_or_else(|_| {
                (
                    Err(Error::Write(
                        "内部错误:写历史数据的线程意外终止".to_string(),
                    )),
                    Duration::ZERO,
                )
            });
            (outputs, docx, month)
        });
    let wb = wb?;
    let json = json?;
    let (docx, chart_note) = docx?;
    wb.commit()?;
    json.commit()
        .map_err(|e| e.map_message(|m| format!("工作簿已写出,但{m}")))?;
    docx.commit()
        .map_err(|e| e.map_message(|m| format!("工作簿和运行报告已写出,但{m}")))?;
    timings.add("write", t.elapsed());
    timings.workbook = wb_time;
    timings.json = json_time;
    timings.docx = docx_time;
    timings.history = month_time;
    let path = crate::report::path(batch);
    timings
        .time("history", || month.and_then(|m| m.commit()))
        .map_err(|e| e.map_message(|m| format!("工作簿已写出,但保存历史数据失败:{m}")))?;
    Ok(Written {
        workbook: path,
        notes: chart_note.into_iter().collect(),
    })
}

/// Build the span's workbook from the history and write it into the output
/// folder (`季度评比_2026-Q2.xlsx`, `年度评比_2026.xlsx`). Returns its path and
/// the warnings about months the history lacks; an error when it has none.
pub fn write_span(
    config: &crate::config::Config,
    span: crate::periodic::Span,
    run_time: &str,
    force: bool,
) -> Result<
    (
        std::path::PathBuf,
        Vec<crate::periodic::SpanRow>,
        Roster,
        Vec<String>,
    ),
    Error,
> {
    let guard = crate::ingest::workbook::Guard {
        limits: config.limits.clone(),
        child_exe: config.child_exe.clone(),
    };
    let (roster, _) = crate::roster::read_roster(&config.roster, &guard)?;
    let (rows, warnings) = crate::periodic::span_table(&config.history, span, &roster, None);
    if rows.iter().all(|r| r.average.is_none()) {
        return Err(Error::Run(format!(
            "历史数据中没有{}任何月份的记录({}):请先逐月汇总(diaodu run --period YYYY-MM)",
            span.cn(),
            config.history.display()
        )));
    }
    let fmt = crate::report::table::Formats::default();
    let mut wb = rust_xlsxwriter::Workbook::new();
    crate::report::span::write_sheet(&mut wb, &fmt, span, &roster, &rows, run_time)
        .and_then(|_| wb.save_to_buffer())
        .map_err(|e| Error::Run(format!("生成工作簿失败:{e}")))
        .and_then(|bytes| {
            let path = config
                .out
                .join(format!("{}_{}.xlsx", span.title(), span.key()));
            crate::report::write_atomic(&path, &bytes, force)?;
            Ok((path, rows, roster, warnings))
        })
}
