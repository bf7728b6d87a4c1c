//! The benchmark corpus (`examples/gen_corpus.rs`): what it writes must pass the
//! whole batch clean (no error or warning findings, every row merged), and the
//! same options must give the same bytes. No timings here: performance lives in
//! `bench/run.sh` and BENCHMARKS.md.

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use diaodu::{Severity, TableKind};
use std::path::{Path, PathBuf};

fn small() -> gen_corpus::Options {
    gen_corpus::Options {
        units: 5,
        projects: 10,
        milestones: 3,
        attraction: 2,
        missing_permille: 0,
        ..Default::default()
    }
}

fn config(dir: &Path) -> diaodu::Config {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
    let mut c = diaodu::Config::load(dir, &Default::default(), today).unwrap();
    c.child_exe = Some(PathBuf::from(env!("CARGO_BIN_EXE_diaodu")));
    c
}

#[test]
fn generated_corpus_runs_clean_and_balanced() {
    let dir = tempfile::tempdir().unwrap();
    let o = small();
    let stats = gen_corpus::generate(&o, dir.path()).unwrap();
    assert_eq!(stats.files, 5);
    assert_eq!(
        (stats.projects, stats.milestones, stats.attraction),
        (50, 150, 10)
    );
    let b = diaodu::run(config(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let bad: Vec<String> = b
        .findings()
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.one_line())
        .collect();
    assert!(
        bad.is_empty(),
        "findings on generated data:\n{}",
        bad.join("\n")
    );
    for (t, n) in [
        (TableKind::Projects, stats.projects),
        (TableKind::Milestones, stats.milestones),
        (TableKind::Attraction, stats.attraction),
    ] {
        let c = b.counts(t);
        assert!(c.balanced(), "{t:?}: {c:?}");
        assert_eq!(
            (c.read, c.merged, c.rejected, c.superseded),
            (n, n, 0, 0),
            "{t:?}"
        );
        assert_eq!(b.frame(t).height(), n, "{t:?}");
    }
    // Every unit of the roster submitted, and each file is merged.
    assert_eq!(b.roster.units.len(), 5);
    assert!(b
        .merged
        .files
        .iter()
        .all(|f| f.status == diaodu::merge::FileStatus::Merged && f.unit.is_some()));
    // The run recorded its stages.
    let stages: Vec<&str> = b.timings.stages.iter().map(|s| s.0).collect();
    assert_eq!(
        stages,
        ["roster", "discover", "read", "map", "merge", "frames"]
    );
}

#[test]
fn generator_is_deterministic_and_leaves_units_out() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let o = gen_corpus::Options {
        units: 40,
        projects: 2,
        milestones: 7,
        attraction: 1,
        missing_permille: 100,
        ..Default::default()
    };
    let sa = gen_corpus::generate(&o, a.path()).unwrap();
    let sb = gen_corpus::generate(&o, b.path()).unwrap();
    assert_eq!(sa, sb);
    assert!(
        sa.files < 40 && sa.files > 25,
        "about 10% missing: {}",
        sa.files
    );
    assert_eq!(sa.milestones, sa.files * 14);
    let files = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d.join("inbox"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), sa.files);
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.file_name(), y.file_name());
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{x:?}"
        );
    }
    assert_eq!(
        std::fs::read(a.path().join("roster.xlsx")).unwrap(),
        std::fs::read(b.path().join("roster.xlsx")).unwrap()
    );
    // More than six milestones a project: names stay unique, rows stay clean.
    let run = diaodu::run(config(a.path())).unwrap_or_else(|e| panic!("{e}"));
    assert!(run.findings().iter().all(|f| f.severity == Severity::Info));
    let c = run.counts(TableKind::Milestones);
    assert_eq!((c.read, c.merged), (sa.milestones, sa.milestones));
}

#[test]
fn timings_flag_prints_the_stages() {
    let dir = tempfile::tempdir().unwrap();
    gen_corpus::generate(&small(), dir.path()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .args(["run", "--timings", "--force"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for stage in ["read", "map", "merge", "write", "history", "total"] {
        assert!(
            err.lines().any(|l| l.trim_start().starts_with(stage)),
            "no {stage} line in:\n{err}"
        );
    }
    assert!(err.contains("工作簿") && err.contains("运行报告"), "{err}");
    // Not a terminal: no progress bar.
    assert!(!err.contains('\r'), "{err:?}");
}

#[test]
fn parallel_read_keeps_file_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let o = gen_corpus::Options {
        units: 24,
        projects: 3,
        milestones: 2,
        attraction: 1,
        missing_permille: 0,
        ..Default::default()
    };
    gen_corpus::generate(&o, dir.path()).unwrap();
    let rows = |b: &diaodu::Batch, t: TableKind| -> Vec<(String, u32)> {
        b.merged.rows[t as usize]
            .iter()
            .map(|m| (m.rec.src.file.to_string(), m.rec.src.row))
            .collect()
    };
    let a = diaodu::run(config(dir.path())).unwrap();
    // Files are read on several threads; their rows come out in file-name order.
    let mut names: Vec<String> = a.merged.files.iter().map(|f| f.name.clone()).collect();
    let listed = names.clone();
    names.sort();
    assert_eq!(listed, names, "file list in name order");
    for t in TableKind::ALL {
        let r = rows(&a, t);
        let mut sorted = r.clone();
        sorted.sort();
        assert_eq!(r, sorted, "{t:?} rows in file, then row order");
    }
    // And a second run gives the same rows and findings.
    let b = diaodu::run(config(dir.path())).unwrap();
    for t in TableKind::ALL {
        assert_eq!(rows(&a, t), rows(&b, t));
    }
    let f =
        |x: &diaodu::Batch| -> Vec<String> { x.findings().iter().map(|f| f.one_line()).collect() };
    assert_eq!(f(&a), f(&b));
}

/// A table longer than a sheet holds continues in `name(2)`, `name(3)`, …,
/// each part with its title and header, every row once, in order; a
/// `sheet_rows` out of range is refused with the key named.
#[test]
fn long_tables_continue_in_next_sheets_nothing_dropped() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    gen_corpus::generate(&small(), dir.path()).unwrap();
    let toml = dir.path().join("diaodu.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("sheet_rows = 5\n{text}")).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
    let err = diaodu::Config::load(dir.path(), &Default::default(), today).unwrap_err();
    assert!(err.to_string().contains("sheet_rows = 5"), "{err}");
    std::fs::write(&toml, format!("sheet_rows = 12\n{text}")).unwrap();
    let mut b = diaodu::run(config(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let a = diaodu::pipeline::judge(&mut b).unwrap();
    let path = diaodu::pipeline::write_outputs(&b, &a, "2026-06-10 09:00", true).unwrap();
    let mut x: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = x.sheet_names();
    // (sheet, header row (0-based), the table's rows in order as (file, row))
    for (name, header, t) in [
        ("项目明细", 0usize, TableKind::Projects),
        ("招商引资", 0, TableKind::Attraction),
        ("节点时序", 2, TableKind::Milestones),
        ("项目进度", 2, TableKind::Projects),
    ] {
        let parts: Vec<&String> = names
            .iter()
            .filter(|n| *n == name || n.starts_with(&format!("{name}(")))
            .collect();
        let rows = &b.merged.rows[t as usize];
        let want_parts = rows.len().div_ceil(12 - header - 1).max(1);
        assert_eq!(parts.len(), want_parts, "{name}: {parts:?}");
        for (i, p) in parts.iter().enumerate() {
            let want = if i == 0 {
                name.to_string()
            } else {
                format!("{name}({})", i + 1)
            };
            assert_eq!(**p, want);
        }
        let mut seen = 0;
        let mut sources = Vec::new();
        for p in &parts {
            let r = x.worksheet_range(p).unwrap();
            assert!(r.height() <= 12, "{p}: {} rows", r.height());
            let hdr: Vec<String> = r
                .rows()
                .nth(header)
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect();
            assert!(hdr[0] == "计入单位" || hdr[0] == "单位", "{p}: {hdr:?}");
            let src_col = hdr
                .iter()
                .position(|h| h == "来源文件" || h == "来源")
                .unwrap();
            for row in r.rows().skip(header + 1) {
                seen += 1;
                sources.push(match &row[src_col] {
                    Data::String(s) => s.clone(),
                    other => panic!("{p}: source {other:?}"),
                });
            }
        }
        assert_eq!(seen, rows.len(), "{name}: every row once");
        if t != TableKind::Milestones && name != "项目进度" {
            // The detail sheets keep the merged order.
            let want: Vec<String> = rows.iter().map(|m| m.rec.src.file.to_string()).collect();
            assert_eq!(sources, want, "{name}");
        } else {
            let mut got = sources.clone();
            let mut want: Vec<String> = rows
                .iter()
                .map(|m| {
                    format!(
                        "{} › {} › 第{}行",
                        m.rec.src.file, m.rec.src.sheet, m.rec.src.row
                    )
                })
                .collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{name}");
        }
    }
    // The other sheets are whole and in their place.
    let pos = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert_eq!(pos("总览"), 0);
    assert!(pos("预警问责") > pos("节点时序") && pos("招商引资") > pos("预警问责"));
    assert_eq!(names.last().map(String::as_str), Some("运行信息"));
}
