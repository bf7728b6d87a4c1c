//! Month over month: three consecutive months on one work folder, May's
//! workbook read back (previous ranks and changes, F06, F08's decrease, 环比);
//! re-running April leaves May's history untouched; a broken history is a
//! warning and the run goes on.

mod common;

use calamine::Data;
use common::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const UNITS: &[(&str, &str, f64, f64, &str)] = &[
    ("城关镇", "乡镇", 1_200.0, 600.0, ""),
    ("河口镇", "乡镇", 1_200.0, 600.0, ""),
    ("青石镇", "乡镇", 1_200.0, 600.0, ""),
    ("县交通运输局", "部门", 1_200.0, 600.0, ""),
];

/// A unit's projects for a month: (project id, ytd, month).
type UnitMonth = (&'static str, Vec<(&'static str, f64, f64)>);

/// (unit, [(project id, ytd, month)]) for one month; 青石镇 never submits.
fn month_data(month: u32) -> Vec<UnitMonth> {
    match month {
        3 => vec![
            ("城关镇", vec![("CG-1", 100.0, 100.0)]),
            ("河口镇", vec![("HK-1", 500.0, 500.0)]),
            ("县交通运输局", vec![("JT-1", 380.0, 380.0)]),
        ],
        4 => vec![
            ("城关镇", vec![("CG-1", 300.0, 200.0)]),
            ("河口镇", vec![("HK-1", 600.0, 100.0)]),
            ("县交通运输局", vec![("JT-1", 480.0, 100.0)]),
        ],
        5 => vec![
            // CG-1's cumulative figure goes down: F08.
            (
                "城关镇",
                vec![("CG-1", 250.0, 150.0), ("CG-2", 700.0, 700.0)],
            ),
            ("河口镇", vec![("HK-1", 700.0, 100.0)]),
            ("县交通运输局", vec![("JT-1", 580.0, 100.0)]),
        ],
        _ => unreachable!(),
    }
}

fn fill_inbox(w: &Work, month: u32) {
    let inbox = w.path().join("inbox");
    std::fs::remove_dir_all(&inbox).unwrap();
    std::fs::create_dir(&inbox).unwrap();
    for (unit, projects) in month_data(month) {
        let mut rows = vec![row(&[&format!("填报单位:{unit}")]), row(PROJECT_HEADER)];
        for (id, ytd, m) in projects {
            rows.push(project(
                id,
                &format!("项目{id}"),
                "",
                "续建",
                10_000.0,
                2_000.0,
                m,
                ytd,
                "2026-01-01",
                "2026-01-02",
            ));
        }
        rows.push(row(&[""]));
        rows.push(row(ATTRACTION_HEADER));
        rows.push(vec![
            s("厂"),
            s(""),
            s(""),
            s("省外"),
            s("签约"),
            s("2026-02-01"),
            n(1_000.0),
            n(0.0),
            n(300.0),
        ]);
        write_xlsx(
            &w.inbox(&format!("{unit}_{month}月.xlsx")),
            &[sheet("Sheet1", rows)],
        );
    }
}

/// Run a month the way `diaodu run --period 2026-0M --force` does.
fn run_month(w: &Work, month: u32) -> (PathBuf, Vec<diaodu::Finding>) {
    fill_inbox(w, month);
    let ov = diaodu::Overrides {
        period: Some(format!("2026-{month:02}")),
        ..Default::default()
    };
    let mut c = diaodu::Config::load(w.path(), &ov, d(2026, 6, 10)).unwrap();
    c.child_exe = Some(PathBuf::from(env!("CARGO_BIN_EXE_diaodu")));
    let mut b = diaodu::run(c).unwrap();
    let a = diaodu::pipeline::judge(&mut b).unwrap();
    let path = diaodu::pipeline::write_outputs(&b, &a, "2026-06-10 09:00", true).unwrap();
    (path, b.findings().to_vec())
}

fn hashes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn three_months_rank_changes_f06_f08_and_mom() {
    let w = Work::new(UNITS);
    run_month(&w, 3);
    run_month(&w, 4);
    let (may, _) = run_month(&w, 5);

    // 单位排名: previous ranks and the change.
    let r = range(&may, "单位排名");
    let rows = table(&r, 2);
    let get = |u: &str| rows.iter().find(|m| text(&m["单位"]) == u).unwrap();
    let ranks = |u: &str| {
        let m = get(u);
        (
            text(&m["综合排名"]),
            text(&m["上月综合排名"]),
            text(&m["综合名次变化"]),
            text(&m["类别内排名"]),
            text(&m["上月类别内排名"]),
            text(&m["类别内名次变化"]),
        )
    };
    let t = |a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
            f.to_string(),
        )
    };
    assert_eq!(ranks("城关镇"), t("1", "3", "↑2", "1", "2", "↑1"));
    assert_eq!(ranks("河口镇"), t("2", "1", "↓1", "2", "1", "↓1"));
    assert_eq!(ranks("县交通运输局"), t("3", "2", "↓1", "1", "1", "持平"));
    assert_eq!(ranks("青石镇"), t("4", "4", "持平", "3", "3", "持平"));
    // 环比: 城关镇 850 this month against 200 last month.
    let ratio = match &get("城关镇")["本月完成环比"] {
        Data::Float(f) => *f,
        other => panic!("{other:?}"),
    };
    assert!((ratio - 3.25).abs() < 1e-9, "{ratio}");

    // 预警问责: F06 for 青石镇 (red in March, April, May), F08 for CG-1.
    let r = range(&may, "预警问责");
    let flags = table(&r, 2);
    let f06: Vec<_> = flags.iter().filter(|m| text(&m["代码"]) == "F06").collect();
    assert_eq!(f06.len(), 1);
    assert_eq!(text(&f06[0]["单位"]), "青石镇");
    assert_eq!(text(&f06[0]["级别"]), "问责");
    assert_eq!(text(&f06[0]["处理措施"]), "约谈问责");
    assert!(text(&f06[0]["情况"]).contains("2026年3月、2026年4月、2026年5月"));
    let f08: Vec<_> = flags
        .iter()
        .filter(|m| text(&m["代码"]) == "F08")
        .map(|m| (text(&m["单位"]), text(&m["项目编号"]), text(&m["具体事项"])))
        .collect();
    assert_eq!(
        f08,
        vec![("城关镇".into(), "CG-1".into(), "累计完成较上月减少".into())]
    );

    // 总览: the county's 环比 (1050 against 400) and the net increase (2230 − 1380).
    let r = range(&may, "总览");
    let head = |label: &str| -> Data {
        r.rows()
            .find(|row| text(&row[0]) == label)
            .map(|row| row[1].clone())
            .unwrap()
    };
    assert_eq!(head("本月完成投资环比"), Data::Float(1050.0 / 400.0 - 1.0));
    assert_eq!(head("累计完成较上月增加"), Data::Float(850.0));
    // The trend table holds March to May.
    let months: Vec<String> = r
        .rows()
        .filter_map(|row| {
            row.get(diaodu::report::overview::TREND_COL as usize)
                .map(text)
        })
        .filter(|t| t.ends_with('月') && t.len() <= 5)
        .collect();
    assert_eq!(months, vec!["3月", "4月", "5月"]);

    // The 通报 document counts its 期号 from the history: March and April
    // before May make May's the third; the rank change is in 单位排名 only
    // with last month, and so the document says 第3期.
    let docx = may.with_extension("docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
        .unwrap();
    assert!(doc.contains("2026年第3期"), "no 第3期 in May's 通报");
    assert!(!doc.contains("2026年第1期"));
}

#[test]
fn rerunning_april_leaves_may_byte_identical_and_broken_history_warns() {
    let w = Work::new(UNITS);
    run_month(&w, 3);
    run_month(&w, 4);
    run_month(&w, 5);
    let may_dir = w.path().join("history/2026-05");
    let before = hashes(&may_dir);
    assert_eq!(before.len(), 6, "{:?}", before.keys());
    let april_dir = w.path().join("history/2026-04");
    let april_before = std::fs::metadata(april_dir.join("units.parquet"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    run_month(&w, 4);
    assert_eq!(hashes(&may_dir), before);
    let april_after = std::fs::metadata(april_dir.join("units.parquet"))
        .unwrap()
        .modified()
        .unwrap();
    assert!(april_after > april_before, "April was rewritten");
    // No temporary folders left behind.
    let leftovers: Vec<_> = std::fs::read_dir(w.path().join("history"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // April's history damaged: May runs, says so, and has no previous ranks.
    std::fs::write(april_dir.join("units.parquet"), b"not parquet").unwrap();
    let (may, findings) = run_month(&w, 5);
    let warn: Vec<_> = findings
        .iter()
        .filter(|f| f.code == diaodu::Code::FileHistoryUnusable)
        .collect();
    assert_eq!(warn.len(), 1, "{findings:#?}");
    assert!(
        warn[0].message.contains("2026-04") && warn[0].message.contains("无法读取"),
        "{}",
        warn[0].message
    );
    // Without last month, 单位排名 leaves the month-over-month columns out.
    let rows = table(&range(&may, "单位排名"), 2);
    assert!(rows.iter().all(|m| !m.contains_key("综合名次变化")
        && !m.contains_key("上月综合排名")
        && m.contains_key("综合排名")));

    // From another roster: ignored with a warning.
    let other = Work::new(&[
        ("甲镇", "乡镇", 1.0, 1.0, ""),
        ("乙镇", "乡镇", 1.0, 1.0, ""),
        ("丙镇", "乡镇", 1.0, 1.0, ""),
    ]);
    std::fs::create_dir_all(other.path().join("history")).unwrap();
    copy_dir(
        &w.path().join("history/2026-03"),
        &other.path().join("history/2026-03"),
    );
    let roster =
        diaodu::roster::read_roster(&other.path().join("roster.xlsx"), &Default::default())
            .unwrap()
            .0;
    let p = diaodu::history::prior(
        &other.path().join("history"),
        diaodu::Period::parse("2026-04").unwrap(),
        &roster,
    );
    assert!(p.months.is_empty());
    assert!(p.warnings[0].contains("另一份单位名册"), "{:?}", p.warnings);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn quarter_view_ranks_on_the_average_of_monthly_scores() {
    let w = Work::new(UNITS);
    let mut monthly: HashMap<String, Vec<f64>> = HashMap::new();
    for month in [3, 4, 5] {
        let (path, _) = run_month(&w, month);
        if month >= 4 {
            for m in table(&range(&path, "单位排名"), 2) {
                let score = match &m["得分"] {
                    Data::Float(f) => *f,
                    other => panic!("{other:?}"),
                };
                monthly.entry(text(&m["单位"])).or_default().push(score);
            }
        }
    }
    // The binary, as an office would run it: Q2 = April, May (June not run yet).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .arg("run")
        .arg(w.path())
        .args(["--period", "2026-Q2"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2026年6月") && stdout.contains("不计入季度评比"),
        "{stdout}"
    );
    let path = w.path().join("out/季度评比_2026-Q2.xlsx");
    let rows = table(&range(&path, "季度评比"), 2);
    let mut got: Vec<(String, f64, String)> = rows
        .iter()
        .map(|m| {
            let avg = match &m["平均得分"] {
                Data::Float(f) => *f,
                other => panic!("{other:?}"),
            };
            (text(&m["单位"]), avg, text(&m["综合排名"]))
        })
        .collect();
    for (unit, avg, _) in &got {
        let s = &monthly[unit];
        assert!(
            (avg - (s[0] + s[1]) / 2.0).abs() < 1e-3,
            "{unit}: {avg} vs {s:?}"
        );
    }
    got.sort_by(|a, b| a.2.cmp(&b.2));
    let order: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(order, vec!["河口镇", "城关镇", "县交通运输局", "青石镇"]);
    // A quarter with no history at all cannot be built.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .arg("run")
        .arg(w.path())
        .args(["--period", "2026-Q4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有2026年第4季度"));
}

#[test]
fn next_months_forms_are_prefilled_from_the_latest_history() {
    let w = Work::new(UNITS);
    run_month(&w, 4);
    run_month(&w, 5);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .arg("template")
        .arg(w.path())
        .args(["--period", "2026-06"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2026年5月"), "{stdout}");
    let form = w
        .path()
        .join("templates/2026-06/城关镇_2026年06月报表.xlsx");
    let r = range(&form, "重点项目");
    let rows: Vec<Vec<String>> = r.rows().map(|row| row.iter().map(text).collect()).collect();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("项目编号"))
        .unwrap();
    let col = |h: &str| rows[header].iter().position(|x| x.starts_with(h)).unwrap();
    let (id, name, cat, ytd, total) = (
        col("项目编号"),
        col("项目名称"),
        col("项目类别"),
        col("累计完成投资"),
        col("总投资"),
    );
    let filled: Vec<(String, String, String, String, String)> = rows[header + 1..]
        .iter()
        .filter(|r| !r[id].is_empty())
        .map(|r| {
            (
                r[id].clone(),
                r[name].clone(),
                r[cat].clone(),
                r[total].clone(),
                r[ytd].clone(),
            )
        })
        .collect();
    // May's projects of 城关镇, with this month's figures left blank.
    assert_eq!(
        filled,
        vec![
            (
                "CG-1".into(),
                "项目CG-1".into(),
                "续建".into(),
                "10000".into(),
                "".into()
            ),
            (
                "CG-2".into(),
                "项目CG-2".into(),
                "续建".into(),
                "10000".into(),
                "".into()
            ),
        ]
    );
}

#[test]
fn a_swap_killed_between_its_renames_is_recovered() {
    let w = Work::new(UNITS);
    run_month(&w, 4);
    let h = w.path().join("history");
    // As if killed after moving April aside and before moving the new one in.
    std::fs::rename(h.join("2026-04"), h.join(".2026-04-old")).unwrap();
    std::fs::create_dir(h.join(".2026-05-abc123")).unwrap();
    diaodu::history::recover(&h);
    assert!(h.join("2026-04/units.parquet").exists());
    assert!(!h.join(".2026-04-old").exists());
    assert!(!h.join(".2026-05-abc123").exists());
}

/// The first month ever summarised has nothing to compare with: a remark
/// (提示), not a warning; once the history has a month, a missing last month
/// is a warning.
#[test]
fn first_month_ever_is_a_remark_a_gap_later_a_warning() {
    use diaodu::Severity;
    let w = Work::new(UNITS);
    let history = |f: &[diaodu::Finding]| -> Vec<(Severity, String)> {
        f.iter()
            .filter(|f| f.code == diaodu::Code::FileHistoryUnusable)
            .map(|f| (f.severity, f.message.clone()))
            .collect()
    };
    let (_, first) = run_month(&w, 3);
    let h = history(&first);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].0, Severity::Info, "{h:?}");
    assert!(h[0].1.contains("首次汇总"), "{}", h[0].1);
    assert!(
        first.iter().all(|f| f.severity != Severity::Warning),
        "{first:#?}"
    );
    // March is in the history now; May without April warns.
    let (_, may) = run_month(&w, 5);
    let h = history(&may);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].0, Severity::Warning, "{h:?}");
    assert!(h[0].1.contains("2026年4月"), "{}", h[0].1);
}
