//! Every file is read in a pool worker process (issue 13, items 1–2): a reader that aborts
//! costs its file only, and the limits of `[limits]` (rows per sheet, cells per file, the
//! reader's memory, capped by the system too) are findings naming the file and the setting.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");

fn run(work: &Path) -> Output {
    Command::new(BIN)
        .arg("run")
        .arg(work)
        .arg("--force")
        .output()
        .unwrap()
}

fn report(work: &Path) -> serde_json::Value {
    let p = work.join("out/调度通报_2026-05.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn file_entry<'a>(r: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    r["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("{file} not in files[]"))
}

/// The findings of `code` about `file`.
fn findings<'a>(r: &'a serde_json::Value, code: &str, file: &str) -> Vec<&'a serde_json::Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code && f["file"] == file)
        .collect()
}

fn projects(unit: &str, prefix: &str, n: usize) -> Vec<Vec<C>> {
    let mut rows = vec![row(PROJECT_HEADER)];
    for i in 0..n {
        rows.push(project(
            &format!("{prefix}-{i}"),
            &format!("项目{i}"),
            unit,
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "2026-01-05",
        ));
    }
    rows
}

fn with_limits(w: &Work, limits: &str) {
    std::fs::write(
        w.path().join("diaodu.toml"),
        format!("period = \"2026-05\"\n[limits]\n{limits}\n"),
    )
    .unwrap();
}

/// The run exited 0, `bad` is unreadable with one file/unreadable finding whose message
/// contains `why`, and `good` (河口镇's two projects) is merged.
fn only_bad_lost(w: &Work, out: &Output, bad: &str, why: &str) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(w.path());
    assert_eq!(file_entry(&r, bad)["status"], "unreadable");
    let f = findings(&r, "file/unreadable", bad);
    assert_eq!(f.len(), 1, "{f:?}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains(why), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    assert_eq!(file_entry(&r, "河口镇.xlsx")["status"], "merged");
    let merged = r["merged"]["projects"].to_string();
    assert!(
        merged.contains("HK-0") && merged.contains("HK-1"),
        "{merged}"
    );
    assert!(!merged.contains("CG-0"), "{merged}");
}

#[test]
fn xlsx_reader_abort_costs_one_file() {
    // 60,000 distinct 100-character texts: calamine loads the shared strings (~12 MB of
    // text) whole before any cell is read, past the worker's 8 MiB cap: the worker aborts
    // ("memory allocation of … failed"), is replaced, and the next file is read.
    let w = Work::new(&roster());
    with_limits(&w, "max_memory_mib = 8");
    let mut rows = projects("城关镇", "CG", 1);
    for i in 0..60_000 {
        rows.push(vec![s(&format!("{i:06}{}", "备注文字".repeat(24)))]);
    }
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    write_xlsx(
        &w.inbox("河口镇.xlsx"),
        &[sheet("Sheet1", projects("河口镇", "HK", 2))],
    );
    let out = run(w.path());
    only_bad_lost(&w, &out, "城关镇.xlsx", "读取时内存超过 8 MiB 上限");
}

#[test]
fn rows_per_sheet_limit_is_a_finding() {
    let w = Work::new(&roster());
    with_limits(&w, "max_rows_per_sheet = 50");
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet("Sheet1", projects("城关镇", "CG", 60))],
    );
    write_xlsx(
        &w.inbox("河口镇.xlsx"),
        &[sheet("Sheet1", projects("河口镇", "HK", 2))],
    );
    let out = run(w.path());
    only_bad_lost(
        &w,
        &out,
        "城关镇.xlsx",
        "\"Sheet1\" 有 61 行,超过每个工作表 50 行的上限,见 diaodu.toml [limits] max_rows_per_sheet",
    );
}

#[test]
fn cells_per_file_limit_is_a_finding() {
    let w = Work::new(&roster());
    with_limits(&w, "max_cells = 200");
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet("Sheet1", projects("城关镇", "CG", 30))],
    );
    write_xlsx(
        &w.inbox("河口镇.xlsx"),
        &[sheet("Sheet1", projects("河口镇", "HK", 2))],
    );
    let out = run(w.path());
    only_bad_lost(&w, &out, "城关镇.xlsx", "[limits] max_cells");
}

#[test]
fn worker_memory_is_capped_by_the_system() {
    // A worker sets RLIMIT_DATA to its heap cap plus the headroom before reading anything.
    let mut child = Command::new(BIN)
        .arg("__read-worker")
        .env("DIAODU_CHILD_LIMITS", r#"{"max_memory_bytes": 104857600}"#)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it applied its limit (it does so first thing).
    let mut line = String::new();
    for _ in 0..200 {
        let l = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
        line = l
            .lines()
            .find(|l| l.starts_with("Max data size"))
            .unwrap()
            .to_string();
        if !line.contains("unlimited") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let expected = (100 + diaodu::ingest::workbook::OS_HEADROOM / (1 << 20)) << 20;
    assert!(
        line.split_whitespace().any(|w| w == expected.to_string()),
        "{line}"
    );
    // Its stdin closed, it ends.
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_worker_survives_files_it_cannot_read() {
    // One worker serves file after file: a not-spreadsheet, an empty workbook and a good
    // file in a row, through the pool, each answered for itself.
    let w = Work::new(&roster());
    std::fs::write(w.inbox("a说明.xlsx"), "这不是表格").unwrap();
    write_xlsx(&w.inbox("b空.xlsx"), &[sheet("Sheet1", vec![])]);
    write_xlsx(
        &w.inbox("河口镇.xlsx"),
        &[sheet("Sheet1", projects("河口镇", "HK", 2))],
    );
    let guard = diaodu::ingest::workbook::Guard::with_current_exe(Default::default());
    let guard = diaodu::ingest::workbook::Guard {
        child_exe: Some(BIN.into()),
        ..guard
    };
    for _ in 0..3 {
        assert!(matches!(
            guard.read(&w.inbox("a说明.xlsx")),
            Err(diaodu::ingest::workbook::ReadError::NotSpreadsheet(_))
        ));
        assert_eq!(
            guard.read(&w.inbox("b空.xlsx")).unwrap_err(),
            diaodu::ingest::workbook::ReadError::Empty
        );
        let wb = guard.read(&w.inbox("河口镇.xlsx")).unwrap();
        assert_eq!(wb.sheets[0].rows.len(), 3);
    }
}

/// A reader executable that is a shell script doing `body` instead of reading.
fn fake_reader(dir: &Path, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join("reader.sh");
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn a_stuck_reader_is_ended_after_the_time_limit() {
    use diaodu::ingest::workbook::{Guard, ReadError, ReadLimits};
    let w = Work::new(&roster());
    let guard = Guard {
        limits: ReadLimits {
            timeout_secs: 1,
            ..ReadLimits::default()
        },
        child_exe: Some(fake_reader(w.path(), "exec sleep 600")),
    };
    let file = w.inbox("城关镇.xlsx");
    write_xlsx(&file, &[sheet("Sheet1", projects("城关镇", "CG", 1))]);
    for _ in 0..2 {
        let t = std::time::Instant::now();
        assert_eq!(guard.read(&file).unwrap_err(), ReadError::Timeout(1));
        let took = t.elapsed();
        assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    }
    assert!(guard.read(&file).unwrap_err().to_string().contains("1 秒"));
}

#[test]
fn a_stuck_reader_of_a_small_file_costs_15_seconds_not_the_whole_limit() {
    use diaodu::ingest::workbook::{Guard, ReadError, ReadLimits};
    let w = Work::new(&roster());
    let guard = Guard {
        limits: ReadLimits::default(),
        child_exe: Some(fake_reader(w.path(), "exec sleep 600")),
    };
    assert_eq!(guard.limits.timeout_secs, 60);
    let file = w.inbox("城关镇.xlsx");
    write_xlsx(&file, &[sheet("Sheet1", projects("城关镇", "CG", 1))]);
    let t = std::time::Instant::now();
    // A few kB: 15 s.
    assert_eq!(guard.read(&file).unwrap_err(), ReadError::Timeout(15));
    let took = t.elapsed();
    assert!(
        (15..25).contains(&took.as_secs()),
        "{took:?}: not the 60 s of the setting"
    );
}

#[test]
fn a_reader_killed_by_a_signal_costs_one_file() {
    use diaodu::ingest::workbook::{Guard, ReadError, ReadLimits};
    let w = Work::new(&roster());
    let file = w.inbox("城关镇.xlsx");
    write_xlsx(&file, &[sheet("Sheet1", projects("城关镇", "CG", 1))]);
    let dead = Guard {
        limits: ReadLimits::default(),
        child_exe: Some(fake_reader(w.path(), "kill -SEGV $$")),
    };
    match dead.read(&file) {
        Err(ReadError::Corrupt(d)) => assert!(d.contains("SIGSEGV"), "{d}"),
        other => panic!("{other:?}"),
    }
    // The real reader reads the same file.
    let real = Guard {
        limits: ReadLimits::default(),
        child_exe: Some(BIN.into()),
    };
    assert_eq!(real.read(&file).unwrap().sheets[0].rows.len(), 2);
}

#[test]
fn callers_beyond_the_cores_share_one_reader_per_core() {
    // The run reads with two callers per core; the readers stay one per core, each
    // caller waiting for a free one, and every file is read.
    use diaodu::ingest::workbook::Guard;
    let w = Work::new(&roster());
    let file = w.inbox("城关镇.xlsx");
    write_xlsx(&file, &[sheet("Sheet1", projects("城关镇", "CG", 3))]);
    let starts = w.path().join("starts");
    // The real reader, counting its starts (a pool of its own: its own executable).
    let exe = fake_reader(
        w.path(),
        &format!(
            "echo started >> '{}'\nexec '{BIN}' \"$@\"",
            starts.display()
        ),
    );
    let guard = Guard {
        limits: Default::default(),
        child_exe: Some(exe),
    };
    let cores = std::thread::available_parallelism().unwrap().get();
    std::thread::scope(|s| {
        for _ in 0..4 * cores {
            s.spawn(|| {
                for _ in 0..3 {
                    assert_eq!(guard.read(&file).unwrap().sheets[0].rows.len(), 4);
                }
            });
        }
    });
    let started = std::fs::read_to_string(&starts).unwrap().lines().count();
    assert!(
        (1..=cores).contains(&started),
        "{started} readers started for {cores} cores"
    );
    assert_eq!(guard.lanes(), 2 * cores);
}
