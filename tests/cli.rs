//! The real binary on real folders: `run` on the demo, `check` exit codes,
//! inputs never modified, row accounting printed and balanced.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo")
}

fn checksums(dir: &Path) -> BTreeMap<PathBuf, (String, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            out.extend(checksums(&e.path()));
        } else {
            let bytes = std::fs::read(e.path()).unwrap();
            let h = Sha256::digest(&bytes);
            let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
            out.insert(e.path(), (hex, e.metadata().unwrap().modified().unwrap()));
        }
    }
    out
}

fn run_demo(work: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("run").arg(work).args(extra);
    cmd.output().unwrap()
}

/// "重点项目  读取 40 = 汇总 35 + 拒收 3 + 替代 2" → the four numbers.
fn accounting(stdout: &str, table: &str) -> (usize, usize, usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with(table) && l.contains("读取"))
        .unwrap_or_else(|| panic!("no accounting line for {table} in\n{stdout}"));
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2], nums[3])
}

#[test]
fn demo_run_writes_workbook_balances_rows_and_leaves_inputs_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("demo");
    copy_tree(&demo(), &work);
    // The run lock is the one file a run may add to the work folder itself.
    let lock = work.join(diaodu::lock::LOCK_FILE);
    let before: BTreeMap<_, _> = checksums(&work)
        .into_iter()
        .filter(|(p, _)| *p != lock)
        .collect();
    let out = run_demo(&work, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for t in ["重点项目", "节点计划", "招商引资"] {
        let (read, merged, rejected, superseded) = accounting(&stdout, t);
        assert_eq!(read, merged + rejected + superseded, "{t}: {stdout}");
        assert!(read > 0, "{t} read nothing");
    }
    let (_, _, rejected, superseded) = accounting(&stdout, "重点项目");
    assert!(rejected > 0, "the demo has bad rows");
    assert!(superseded > 0, "the demo has a corrected submission");
    let wb_path = work.join("out").join("调度通报_2026-10.xlsx");
    assert!(wb_path.exists(), "{stdout}");
    // Inputs unchanged: same bytes and same modification times.
    let after: BTreeMap<_, _> = checksums(&work)
        .into_iter()
        .filter(|(p, _)| {
            !p.starts_with(work.join("out")) && !p.starts_with(work.join("history")) && *p != lock
        })
        .collect();
    assert_eq!(before, after);
    // The month's history was stored.
    assert!(work.join("history/2026-10/units.parquet").exists());
    // The workbook reads back with the sheets and the merged rows.
    use calamine::{open_workbook_auto, Reader};
    let mut wb = open_workbook_auto(&wb_path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, diaodu::report::sheet::ALL.to_vec());
    let (_, merged, _, _) = accounting(&stdout, "重点项目");
    let r = wb.worksheet_range("项目明细").unwrap();
    assert!(
        r.height() >= 2 && r.height() - 1 <= merged,
        "{} rows for {merged} merged",
        r.height()
    );
    // A second run without --force does not overwrite.
    let again = run_demo(&work, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = run_demo(&work, &["--force"]);
    assert!(forced.status.success());
}

#[test]
fn check_exit_codes_clean_errors_and_cannot_run() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("城关镇.xlsx");
    write_xlsx(
        &clean,
        &[sheet(
            "Sheet1",
            vec![
                row(PROJECT_HEADER),
                project(
                    "OK-1",
                    "项目",
                    "",
                    "新建",
                    100.0,
                    50.0,
                    5.0,
                    20.0,
                    "2026-01-01",
                    "2026-01-02",
                ),
            ],
        )],
    );
    let out = Command::new(BIN)
        .args(["check", "--period", "2026-05"])
        .arg(&clean)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("没有发现问题"), "{text}");

    let bad = tmp.path().join("河口镇.xlsx");
    let mut r = project(
        "BAD-1",
        "",
        "",
        "新建",
        -1.0,
        50.0,
        5.0,
        20.0,
        "2026-01-01",
        "",
    );
    r[9] = s("很多");
    write_xlsx(&bad, &[sheet("Sheet1", vec![row(PROJECT_HEADER), r])]);
    let out = Command::new(BIN)
        .args(["check", "--period", "2026-05"])
        .arg(&bad)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for cell in ["B2", "G2", "J2"] {
        assert!(
            text.contains(&format!("Sheet1 › {cell}")),
            "{cell} not named in\n{text}"
        );
    }

    let out = Command::new(BIN)
        .args(["check"])
        .arg(tmp.path().join("不存在.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在.xlsx"));
}

#[test]
fn run_without_roster_exits_2_with_a_plain_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("inbox")).unwrap();
    let out = Command::new(BIN)
        .arg("run")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("roster.xlsx") && err.contains("名册"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn help_is_a_manual() {
    let out = Command::new(BIN).args(["run", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--period") && text.contains("读取 = 汇总 + 拒收 + 替代"),
        "{text}"
    );
}
