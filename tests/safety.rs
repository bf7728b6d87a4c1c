//! A batch no single file or second clerk can break, run by the real binary:
//! one run at a time per work folder, a run killed midway leaves the earlier
//! outputs intact, hostile cell text stays text, and the corpus files that make
//! calamine panic or allocate without bound are listed as unreadable while the
//! rest is merged.

mod common;

use calamine::{open_workbook_auto, Data, Reader};
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real-world");
const PAUSE_ENV: &str = "DIAODU_TEST_PAUSE_BEFORE_WRITE";

fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("demo");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo"),
        &work,
    );
    (tmp, work)
}

fn run(work: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("run")
        .arg(work)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A run that pauses before writing; returns once it says it is paused (its
/// reading done and the work folder locked).
fn paused_run(work: &Path, args: &[&str]) -> Child {
    let mut child = Command::new(BIN)
        .arg("run")
        .arg(work)
        .args(args)
        .env(PAUSE_ENV, "120")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains(PAUSE_ENV) {
                let _ = tx.send(());
            }
        }
    });
    if rx.recv_timeout(Duration::from_secs(120)).is_err() {
        let _ = child.kill();
        panic!("the run never reached its pause before writing");
    }
    child
}

fn kill(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Every file under `dir` (relative path → SHA-256).
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(base, &e.path(), out);
            } else {
                let rel = e
                    .path()
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, diaodu::provenance::sha256_file(&e.path()).unwrap().0);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn a_second_run_waits_then_says_who_holds_the_folder() {
    let (_tmp, work) = demo_copy();
    let first = paused_run(&work, &[]);
    let lock = std::fs::read_to_string(work.join(".diaodu.lock")).unwrap();
    assert!(lock.contains(&format!("pid={}", first.id())), "{lock}");

    let t0 = Instant::now();
    let second = run(&work, &["--force"]);
    let waited = t0.elapsed();
    let stderr = String::from_utf8_lossy(&second.stderr).into_owned();
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(
        waited >= Duration::from_millis(4500),
        "gave up after {waited:?}"
    );
    assert!(stderr.contains("正被"), "{stderr}");
    assert!(stderr.contains(&format!("进程 {}", first.id())), "{stderr}");
    assert!(stderr.contains(",自 20"), "{stderr}");
    assert!(stderr.contains("一次只能运行一个"), "{stderr}");
    // The second run wrote nothing.
    assert!(!work.join("out").join("调度通报_2026-10.json").exists());

    // The holder dies: the operating system releases its lock, the next run goes ahead.
    kill(first);
    let third = run(&work, &[]);
    ok(&third);
    assert!(work.join("out").join("调度通报_2026-10.json").exists());
}

#[test]
fn a_run_killed_midway_leaves_the_previous_outputs_intact() {
    let (_tmp, work) = demo_copy();
    // Last month's outputs, and this month's from an earlier run.
    ok(&run(&work, &["--period", "2026-09"]));
    ok(&run(&work, &[]));
    let out = work.join("out");
    let history = work.join("history");
    let before_out = snapshot(&out);
    let before_history = snapshot(&history);
    let names: Vec<&str> = before_out.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "调度通报_2026-09.docx",
            "调度通报_2026-09.json",
            "调度通报_2026-09.xlsx",
            "调度通报_2026-10.docx",
            "调度通报_2026-10.json",
            "调度通报_2026-10.xlsx"
        ]
    );
    // A new submission arrives; the rerun is killed after reading, before writing.
    std::fs::copy(
        work.join("inbox/龙泉镇.xlsx"),
        work.join("inbox/龙泉镇_更正.xlsx"),
    )
    .unwrap();
    kill(paused_run(&work, &["--force"]));
    assert_eq!(snapshot(&out), before_out, "out/ changed");
    assert_eq!(snapshot(&history), before_history, "history/ changed");
    // No temporary file or folder left anywhere that could pass for output.
    for dir in [&out, &history] {
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.starts_with('.') && !name.ends_with(".tmp"),
                "{name} left in {}",
                dir.display()
            );
        }
    }
    // The earlier JSON still describes the earlier inbox: verify sees the new file.
    let v = Command::new(BIN)
        .args(["verify"])
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(v.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&v.stdout).contains("龙泉镇_更正.xlsx"));

    // A temporary file a run killed while writing would leave is cleared by the
    // next run, which then completes.
    std::fs::write(out.join(".diaodu-dead.tmp"), b"half a workbook").unwrap();
    ok(&run(&work, &["--force"]));
    assert!(!out.join(".diaodu-dead.tmp").exists());
    let after = snapshot(&out);
    assert_eq!(after.len(), 6);
    assert_ne!(
        after["调度通报_2026-10.json"],
        before_out["调度通报_2026-10.json"]
    );
    assert_eq!(
        after["调度通报_2026-09.xlsx"],
        before_out["调度通报_2026-09.xlsx"]
    );
}

/// Formula-looking text from a submission, and what the output must show.
const HOSTILE: &[(&str, &str)] = &[
    (
        "=HYPERLINK(\"http://x\",\"y\")",
        "=HYPERLINK(\"http://x\",\"y\")",
    ),
    ("+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"),
    ("@SUM(1,2)", "@SUM(1,2)"),
    ("-1+2", "-1+2"),
    // Free text is kept as submitted, the leading tab included.
    ("\t=SUM(A1:A2)", "\t=SUM(A1:A2)"),
    ("=1+1", "=1+1"),
];

#[test]
fn hostile_text_stays_text_in_every_sheet_and_in_the_json() {
    let w = Work::new(&roster());
    let mut p = project(
        "CG-1",
        "",
        "",
        "新建",
        1000.0,
        500.0,
        10.0,
        100.0,
        "2026-03-01",
        "2026-03-05",
    );
    let mut q = project(
        "CG-2",
        "",
        "",
        "续建",
        800.0,
        400.0,
        0.0,
        50.0,
        "2026-01-01",
        "",
    );
    // project_name, leader, sector, progress_note, problems, next_steps
    let slots = [1, 3, 5, 14, 15, 16];
    for (k, col) in slots.iter().enumerate() {
        p[*col] = C::S(HOSTILE[k % HOSTILE.len()].0.to_string());
        q[*col] = C::S(HOSTILE[(k + 3) % HOSTILE.len()].0.to_string());
    }
    let mut a = vec![s(""); ATTRACTION_HEADER.len()];
    a[0] = C::S(HOSTILE[0].0.into());
    a[2] = C::S(HOSTILE[1].0.into());
    a[4] = s("洽谈");
    a[8] = n(20.0);
    write_xlsx(
        &w.inbox("城关镇_2026年5月.xlsx"),
        &[
            sheet(
                "=1+1",
                vec![
                    row(&["填报单位:城关镇  填报日期:2026年6月3日"]),
                    row(PROJECT_HEADER),
                    p,
                    q,
                ],
            ),
            sheet("招商", vec![row(ATTRACTION_HEADER), a]),
        ],
    );
    let out = run(w.path(), &[]);
    ok(&out);

    // The workbook: every hostile string is found, as a string cell, and no
    // sheet holds a formula.
    let xlsx = w.path().join("out/调度通报_2026-05.xlsx");
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let mut found: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for name in wb.sheet_names() {
        let r = wb.worksheet_range(&name).unwrap();
        for (row, col, c) in r.used_cells() {
            for (_, want) in HOSTILE {
                match c {
                    Data::String(s) if s == want => found
                        .entry(want)
                        .or_default()
                        .push(format!("{name}!{row},{col}")),
                    Data::String(_) | Data::Empty => {}
                    other => assert_ne!(other.to_string(), *want, "{name} {row},{col}"),
                }
            }
        }
        let f = wb.worksheet_formula(&name).unwrap();
        assert!(
            f.used_cells().all(|(_, _, x)| x.is_empty()),
            "sheet {name} has a formula"
        );
    }
    for (_, want) in HOSTILE {
        let places = found.get(want).cloned().unwrap_or_default();
        assert!(
            places
                .iter()
                .any(|p| p.starts_with("项目明细!") || p.starts_with("招商引资!")),
            "{want:?} not in the detail sheets: {places:?}"
        );
    }
    // The sheet named "=1+1" is named as a source, as text.
    assert!(found["=1+1"].iter().any(|p| p.starts_with("项目明细!")));
    // The raw XML: no <f> element in any worksheet.
    let file = std::fs::File::open(&xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut sheets = 0;
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let mut xml = String::new();
            e.read_to_string(&mut xml).unwrap();
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "{name} has a formula element"
            );
            sheets += 1;
        }
    }
    assert!(sheets >= 5, "{sheets} worksheets");

    // The JSON: the same strings.
    let j: Value = serde_json::from_str(
        &std::fs::read_to_string(w.path().join("out/调度通报_2026-05.json")).unwrap(),
    )
    .unwrap();
    let projects = j["merged"]["projects"].as_array().unwrap();
    let keys = [
        "project_name",
        "leader",
        "sector",
        "progress_note",
        "problems",
        "next_steps",
    ];
    for (id, shift) in [("CG-1", 0), ("CG-2", 3)] {
        let r = projects
            .iter()
            .find(|r| r["project_id"] == id)
            .unwrap_or_else(|| panic!("{id} not merged: {projects:?}"));
        for (k, key) in keys.iter().enumerate() {
            assert_eq!(r[key], HOSTILE[(k + shift) % HOSTILE.len()].1, "{id} {key}");
        }
        assert_eq!(r["sources"][0]["sheet"], "=1+1");
    }
    let att = &j["merged"]["attraction"][0];
    assert_eq!(att["project_name"], HOSTILE[0].1);
    assert_eq!(att["investor"], HOSTILE[1].1);
}

fn corpus(rel: &str) -> PathBuf {
    let p = Path::new(CORPUS).join(rel);
    assert!(
        p.is_file(),
        "corpus file {} missing: the shared/ folder must sit beside the project",
        p.display()
    );
    p
}

const DANGEROUS: &[&str] = &[
    "exceldatareader/Test_Issue_12556_corrupt.xls",
    "exceldatareader/Test_git_issue_467_empty_continue_leftoverbytes.xls",
    "exceldatareader/Test_git_issue_382_oom.xls",
    "phpspreadsheet/oleloop.xls",
];

/// The work folder of the dangerous-files test: normal submissions (xlsx, xls,
/// ods) and the four corpus files.
fn dangerous_folder() -> Work {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let w = Work::new(&roster());
    std::fs::copy(format!("{fixtures}/城关镇.xls"), w.inbox("城关镇.xls")).unwrap();
    std::fs::copy(format!("{fixtures}/河口镇.ods"), w.inbox("河口镇.ods")).unwrap();
    write_xlsx(
        &w.inbox("交通局5月.xlsx"),
        &[sheet(
            "Sheet1",
            vec![
                row(&["填报单位:县交通运输局"]),
                row(PROJECT_HEADER),
                project(
                    "JT-1",
                    "国道改建",
                    "",
                    "续建",
                    50000.0,
                    12000.0,
                    900.0,
                    5000.0,
                    "2026-02-01",
                    "2026-02-10",
                ),
                project(
                    "JT-2",
                    "客运站",
                    "",
                    "新建",
                    8000.0,
                    3000.0,
                    0.0,
                    0.0,
                    "2026-04-01",
                    "",
                ),
            ],
        )],
    );
    for rel in DANGEROUS {
        let name = Path::new(rel).file_name().unwrap();
        std::fs::copy(corpus(rel), w.inbox(&name.to_string_lossy())).unwrap();
    }
    w
}

#[test]
fn corpus_files_that_crash_readers_do_not_stop_the_batch() {
    if !have_shared("corpus_files_that_crash_readers_do_not_stop_the_batch") {
        return;
    }
    let w = dangerous_folder();
    let t0 = Instant::now();
    let out = run(w.path(), &[]);
    ok(&out);
    assert!(
        t0.elapsed() < Duration::from_secs(120),
        "{:?}",
        t0.elapsed()
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let listed = stdout
        .lines()
        .find(|l| l.contains("无法读取的文件"))
        .unwrap_or_else(|| panic!("{stdout}"));
    let j: Value = serde_json::from_str(
        &std::fs::read_to_string(w.path().join("out/调度通报_2026-05.json")).unwrap(),
    )
    .unwrap();
    let files = j["files"].as_array().unwrap();
    for rel in DANGEROUS {
        let name = Path::new(rel).file_name().unwrap().to_string_lossy();
        assert!(listed.contains(&*name), "{name} not listed: {listed}");
        let f = files.iter().find(|f| f["file"] == *name).unwrap();
        assert_eq!(f["status"], "unreadable", "{f}");
        let reason = f["reason"].as_str().unwrap();
        assert!(!reason.is_empty() && !reason.contains('\n'), "{reason}");
        let finding = j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["file"] == *name && x["severity"] == "error")
            .unwrap_or_else(|| panic!("no finding for {name}"));
        assert_eq!(finding["code"], "file/unreadable", "{finding}");
    }
    // The rest is merged: three units, the xls and ods read through the child.
    for name in ["城关镇.xls", "河口镇.ods", "交通局5月.xlsx"] {
        let f = files.iter().find(|f| f["file"] == name).unwrap();
        assert_eq!(f["status"], "merged", "{f}");
    }
    let ids: Vec<&str> = j["merged"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["project_id"].as_str().unwrap())
        .collect();
    for id in ["XLS-1", "ODS-1", "JT-1", "JT-2"] {
        assert!(ids.contains(&id), "{id} not merged: {ids:?}");
    }
    assert_eq!(j["county"]["units_submitted"], 3);
    // Provenance hashes the unreadable files too.
    let run_files = j["run"]["files"].as_array().unwrap();
    assert_eq!(run_files.len(), 7);
    assert!(run_files.iter().all(|f| f["sha256"].is_string()));
}
