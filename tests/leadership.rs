//! The leadership workbook, read back with calamine: the county report's
//! figures, every flag rule where FORMS.md §6 says (and nowhere else), the
//! ranking and its ties.

mod common;

use calamine::{Data, Range};
use common::*;
use std::path::{Path, PathBuf};

/// Run the batch and write the workbook; return its path.
fn write(w: &Work) -> PathBuf {
    let b = w.run();
    let a = diaodu::assess::assess(&b).unwrap();
    diaodu::report::write(&b, &a, "2026-06-10 09:00", true).unwrap()
}

/// The value next to a label in the 总览 headline table.
fn headline(r: &Range<Data>, label: &str) -> Data {
    for row in r.rows() {
        if row.first().map(text).as_deref() == Some(label) {
            return row[1].clone();
        }
    }
    panic!("no headline {label}")
}

/// A project row with a category, planned start, actual start and ytd.
fn proj(id: &str, cat: &str, ytd: f64, pstart: &str, astart: &str) -> Vec<C> {
    project(
        id,
        &format!("项目{id}"),
        "",
        cat,
        10_000.0,
        2_000.0,
        0.0,
        ytd,
        pstart,
        astart,
    )
}

#[test]
fn county_report_figures_and_bulletin() {
    // 28 新建/续建 projects, 21 started; target 37200 万元, completed 9327 万元; May.
    let w = Work::new(&[
        ("城关镇", "乡镇", 12_000.0, 3_000.0, ""),
        ("河口镇", "乡镇", 10_000.0, 2_000.0, ""),
        ("县交通运输局", "部门", 15_200.0, 1_000.0, ""),
    ]);
    let units = ["城关镇", "河口镇", "县交通运输局"];
    let mut n = 0;
    for (u, unit) in units.iter().enumerate() {
        let mut rows = vec![row(&[&format!("填报单位:{unit}")]), row(PROJECT_HEADER)];
        // 28 new/continuing projects over three units (10, 9, 9), 7 not started.
        let count = if u == 0 { 10 } else { 9 };
        for i in 0..count {
            let started = n >= 7;
            let cat = if i % 2 == 0 { "新建" } else { "续建" };
            // 9327 in all: 27 projects of 333 and one of 336.
            let ytd = if n == 0 { 336.0 } else { 333.0 };
            rows.push(proj(
                &format!("P{n:02}"),
                cat,
                ytd,
                "2026-03-01",
                if started { "2026-03-10" } else { "" },
            ));
            n += 1;
        }
        // A 前期 project: counted in completion, not in the start rate.
        rows.push(proj(&format!("Q{u}"), "前期", 0.0, "", ""));
        write_xlsx(&w.inbox(&format!("{unit}.xlsx")), &[sheet_of(rows)]);
    }
    let path = write(&w);
    let r = range(&path, "总览");
    assert_eq!(float(&headline(&r, "新建、续建项目")), 28.0);
    assert_eq!(float(&headline(&r, "已开工")), 21.0);
    assert!((float(&headline(&r, "开工率")) - 0.75).abs() < 1e-12);
    assert!((float(&headline(&r, "年度投资目标")) - 37_200.0).abs() < 1e-9);
    assert!((float(&headline(&r, "累计完成投资")) - 9_327.0).abs() < 1e-9);
    let rate = float(&headline(&r, "投资完成率"));
    assert_eq!(format!("{:.1}%", rate * 100.0), "25.1%");
    let gap = float(&headline(&r, "与时间进度差"));
    assert_eq!(format!("{gap:.1}"), "-16.6");
    let bulletin = r.rows().nth(3).map(|row| text(&row[0])).unwrap();
    for part in [
        "今年确定的28个重点项目,目前开工21个,开工率75%",
        "年度计划投资3.72亿元,累计完成9327万元,占年度任务的25.1%,低于时间进度16.6个百分点",
    ] {
        assert!(bulletin.contains(part), "{part}\nnot in\n{bulletin}");
    }
    // The headline number format shows percentages with one decimal.
    let xml = sheet_xml(&path, 1);
    assert!(xml.contains("0.0%") || styles_xml(&path).contains("0.0%"));
}

fn sheet_of(rows: Vec<Vec<C>>) -> common::Sheet {
    common::sheet("Sheet1", rows)
}

/// The XML of the n-th worksheet (1-based) of an xlsx.
fn sheet_xml(path: &Path, n: usize) -> String {
    zip_text(path, &format!("xl/worksheets/sheet{n}.xml"))
}

fn styles_xml(path: &Path) -> String {
    zip_text(path, "xl/styles.xml")
}

fn zip_text(path: &Path, entry: &str) -> String {
    use std::io::Read;
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(entry).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every flag as (code, unit, project or subject, level).
fn flags(path: &Path) -> Vec<(String, String, String, String)> {
    let r = range(path, "预警问责");
    let mut v: Vec<_> = table(&r, 2)
        .into_iter()
        .map(|m| {
            let thing = text(&m["项目编号"]);
            let subject = text(&m["具体事项"]);
            (
                text(&m["代码"]),
                text(&m["单位"]),
                if thing.is_empty() { subject } else { thing },
                text(&m["级别"]),
            )
        })
        .collect();
    v.sort();
    v
}

fn f(code: &str, unit: &str, what: &str, level: &str) -> (String, String, String, String) {
    (code.into(), unit.into(), what.into(), level.into())
}

#[test]
fn every_flag_fires_where_the_rules_say_and_nowhere_else() {
    // June: time progress exactly 50%, period end 2026-06-30.
    let w = Work::new(&[
        ("城关镇", "乡镇", 1_000.0, 500.0, ""),
        ("河口镇", "乡镇", 1_000.0, 500.0, ""),
        ("青石镇", "乡镇", 1_000.0, 500.0, ""),
        ("白马乡", "乡镇", 1_000.0, 500.0, ""),
        ("桃花乡", "乡镇", 1_000.0, 500.0, ""),
        ("县交通运输局", "部门", 0.0, 0.0, ""),
    ]);
    std::fs::write(w.path().join("diaodu.toml"), "period = \"2026-06\"\n").unwrap();
    let attraction = |funds: f64| {
        vec![
            row(ATTRACTION_HEADER),
            vec![
                s("厂"),
                s(""),
                s(""),
                s("省外"),
                s("洽谈"),
                s(""),
                n(100.0),
                n(0.0),
                n(funds),
            ],
        ]
    };
    // 城关镇: on time (55%); the F04/F05 boundaries; a ytd above its total.
    let mut cg = vec![row(&["填报单位:城关镇"]), row(PROJECT_HEADER)];
    cg.push(proj("CG-0", "新建", 100.0, "2026-06-30", "")); // due today: F04 yellow, 0 days
    cg.push(proj("CG-30", "续建", 100.0, "2026-05-31", "")); // 30 days: yellow
    cg.push(proj("CG-31", "新建", 100.0, "2026-05-30", "")); // 31 days: red
    cg.push(proj("CG-PRE", "前期", 100.0, "2026-01-01", "")); // 前期: never F04
    cg.push(proj("CG-LATER", "新建", 50.0, "2026-07-01", "")); // not due
    cg.push(proj("CG-OK", "续建", 50.0, "2026-01-01", "2026-01-05")); // started
    let mut over = proj("CG-OVER", "续建", 50.0, "2026-01-01", "2026-01-05");
    over[6] = n(40.0); // total 40 < ytd 50: F08
    cg.push(over);
    cg.push(row(&[""]));
    cg.push(row(MILESTONE_HEADER));
    cg.push(vec![s("CG-OK"), s("节点零"), s("2026-06-30"), s("")]); // F05 yellow, 0 days
    cg.push(vec![s("CG-OK"), s("节点三十"), s("2026-05-31"), s("")]); // yellow, 30 days
    cg.push(vec![s("CG-OK"), s("节点卅一"), s("2026-05-30"), s("")]); // red, 31 days
    cg.push(vec![
        s("CG-OK"),
        s("已完成"),
        s("2026-04-01"),
        s("2026-04-05"),
    ]);
    cg.push(vec![s("CG-OK"), s("未到期"), s("2026-07-31"), s("")]);
    cg.push(row(&[""]));
    cg.extend(attraction(300.0));
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet_of(cg)]);
    // 河口镇: exactly 10 points behind (40% at 50%): F03 yellow; a 合计 row that does not add up: F08.
    let mut hk = vec![
        row(&["填报单位:河口镇"]),
        row(PROJECT_HEADER),
        proj("HK-1", "续建", 400.0, "2026-01-01", "2026-01-02"),
    ];
    let mut total = vec![
        s(""),
        s("合计"),
        s(""),
        s(""),
        s(""),
        s(""),
        n(10_000.0),
        n(2_000.0),
        n(0.0),
        n(999.0),
    ];
    total.resize(17, C::E);
    hk.push(total);
    hk.push(row(&[""]));
    hk.extend(attraction(300.0));
    write_xlsx(&w.inbox("河口镇.xlsx"), &[sheet_of(hk)]);
    // 青石镇: 9.99 points behind: no F03; exactly 20 behind is red (below).
    let mut qs = vec![
        row(&["填报单位:青石镇"]),
        row(PROJECT_HEADER),
        proj("QS-1", "续建", 400.1, "2026-01-01", "2026-01-02"),
    ];
    qs.push(row(&[""]));
    qs.extend(attraction(300.0));
    write_xlsx(&w.inbox("青石镇.xlsx"), &[sheet_of(qs)]);
    // 白马乡: 30% (20 points behind): F03 red; nothing in place on attraction: F02 attract only.
    let mut bm = vec![
        row(&["填报单位:白马乡"]),
        row(PROJECT_HEADER),
        proj("BM-1", "续建", 300.0, "2026-01-01", "2026-01-02"),
    ];
    bm.push(row(&[""]));
    bm.extend(attraction(0.0));
    write_xlsx(&w.inbox("白马乡.xlsx"), &[sheet_of(bm)]);
    // 县交通运输局: no targets: no F02/F03 even with nothing done.
    let jt = vec![
        row(&["填报单位:县交通运输局"]),
        row(PROJECT_HEADER),
        proj("JT-1", "前期", 0.0, "", ""),
    ];
    write_xlsx(&w.inbox("交通局.xlsx"), &[sheet_of(jt)]);
    // 桃花乡 submits nothing.
    let path = write(&w);
    let got = flags(&path);
    let want = {
        let mut v = vec![
            f("F04", "城关镇", "CG-0", "黄色预警"),
            f("F04", "城关镇", "CG-30", "黄色预警"),
            f("F04", "城关镇", "CG-31", "红色预警"),
            f("F05", "城关镇", "CG-OK", "黄色预警"),
            f("F05", "城关镇", "CG-OK", "黄色预警"),
            f("F05", "城关镇", "CG-OK", "红色预警"),
            f("F08", "城关镇", "CG-OVER", "黄色预警"),
            f("F03", "河口镇", "", "黄色预警"),
            f("F08", "河口镇", "合计行与明细不符", "黄色预警"),
            f("F03", "白马乡", "", "红色预警"),
            f("F02", "白马乡", "招商引资到位资金", "红色预警"),
            f("F01", "桃花乡", "", "红色预警"),
            f("F02", "桃花乡", "重点项目投资", "红色预警"),
            f("F02", "桃花乡", "招商引资到位资金", "红色预警"),
            f("F03", "桃花乡", "", "红色预警"),
        ];
        v.sort();
        v
    };
    assert_eq!(got, want);
    // The figures behind a flag are shown: the overdue days.
    let r = range(&path, "预警问责");
    let rows = table(&r, 2);
    let red31 = rows
        .iter()
        .find(|m| text(&m["项目编号"]) == "CG-31")
        .unwrap();
    assert!(
        text(&red31["情况"]).contains("逾期 31 天"),
        "{}",
        text(&red31["情况"])
    );
    assert_eq!(text(&red31["处理措施"]), "通报批评");
    // Sorted by severity: every red before every yellow.
    let levels: Vec<String> = rows.iter().map(|m| text(&m["级别"])).collect();
    let first_yellow = levels.iter().position(|l| l == "黄色预警").unwrap();
    assert!(
        levels[first_yellow..].iter().all(|l| l == "黄色预警"),
        "{levels:?}"
    );

    // The schedule sheet agrees: CG-31 overdue 31 days, CG-LATER counts down 1 day.
    let r = range(&path, "项目进度");
    let rows = table(&r, 2);
    let get = |id: &str| {
        rows.iter()
            .find(|m| text(&m["项目编号"]) == id)
            .unwrap()
            .clone()
    };
    assert_eq!(text(&get("CG-31")["状态"]), "应开工未开工");
    assert_eq!(float(&get("CG-31")["逾期天数"]), 31.0);
    assert_eq!(float(&get("CG-LATER")["倒计时(天)"]), 1.0);
    assert_eq!(text(&get("CG-OK")["状态"]), "已开工");
}

#[test]
fn december_brings_the_veto_without_changing_the_score() {
    let w = Work::new(&[
        ("城关镇", "乡镇", 1_000.0, 0.0, ""),
        ("河口镇", "乡镇", 1_000.0, 0.0, ""),
    ]);
    std::fs::write(w.path().join("diaodu.toml"), "period = \"2026-12\"\n").unwrap();
    for (unit, ytd) in [("城关镇", 990.0), ("河口镇", 1_000.0)] {
        let rows = vec![
            row(&[&format!("填报单位:{unit}")]),
            row(PROJECT_HEADER),
            proj(
                &format!("{unit}-1"),
                "续建",
                ytd,
                "2026-01-01",
                "2026-01-02",
            ),
        ];
        write_xlsx(&w.inbox(&format!("{unit}.xlsx")), &[sheet_of(rows)]);
    }
    let path = write(&w);
    assert_eq!(flags(&path), vec![f("F07", "城关镇", "", "一票否决")]);
    let r = range(&path, "单位排名");
    let rows = table(&r, 2);
    let cg = rows.iter().find(|m| text(&m["单位"]) == "城关镇").unwrap();
    // 50 × 0.99 + 0 + 20 × 1 − 0: the veto takes no points.
    assert!((float(&cg["得分"]) - 69.5).abs() < 1e-9);
    assert_eq!(float(&cg["扣分"]), 0.0);
    // December's workbook carries the year's ranking, the veto marked.
    let r = range(&path, "年度评比");
    let rows = table(&r, 2);
    let honours: Vec<(String, String)> = rows
        .iter()
        .map(|m| (text(&m["单位"]), text(&m["评先资格"])))
        .collect();
    assert!(
        honours.contains(&("城关镇".into(), "取消(一票否决)".into())),
        "{honours:?}"
    );
    assert!(
        honours.contains(&("河口镇".into(), "保留".into())),
        "{honours:?}"
    );
    // It prints its key columns (A–K, through 评先资格) on the page, the
    // twelve months' scores to the right of its print area.
    let header: Vec<String> = r
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(|c| text(c).replace('\n', ""))
        .collect();
    assert_eq!(
        header[..11],
        diaodu::report::span::KEY_HEADERS.map(String::from)
    );
    assert_eq!(header[11], "1月得分");
    assert_eq!(header.len(), 23);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut wbxml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wbxml)
        .unwrap();
    let area = wbxml
        .split("<definedName ")
        .find(|d| d.contains("_xlnm.Print_Area") && d.contains("年度评比"))
        .unwrap_or_else(|| panic!("no print area for 年度评比: {wbxml}"));
    assert!(area.contains("!$A$1:$K$"), "{area}");
    // The year's ranking is computed in assess, and what the history lacks for
    // it (no month before December here) reaches the findings.
    let mut b = w.run();
    let a = diaodu::pipeline::judge(&mut b).unwrap();
    let year = a.year.as_ref().expect("December ranks the year");
    assert_eq!(year.rows.len(), 2);
    assert!(!year.warnings.is_empty());
    assert!(b
        .findings()
        .iter()
        .any(|f| f.code == diaodu::Code::FileHistoryUnusable && f.message == year.warnings[0]));
}

#[test]
fn ranking_order_ties_and_deductions() {
    let w = Work::new(&[
        ("城关镇", "乡镇", 1_000.0, 1_000.0, ""),
        ("河口镇", "乡镇", 1_000.0, 1_000.0, ""),
        ("青石镇", "乡镇", 1_000.0, 1_000.0, ""),
        ("白马乡", "乡镇", 1_000.0, 1_000.0, ""),
        ("县交通运输局", "部门", 1_000.0, 1_000.0, ""),
        ("县住房和城乡建设局", "部门", 1_000.0, 1_000.0, ""),
    ]);
    // June (50%). ytd and funds per unit; everyone started.
    std::fs::write(w.path().join("diaodu.toml"), "period = \"2026-06\"\n").unwrap();
    let figures = [
        ("城关镇", 600.0, 600.0),
        ("河口镇", 500.0, 500.0),
        ("青石镇", 500.0, 500.0),
        ("白马乡", 2_000.0, 100.0),
        ("县交通运输局", 700.0, 700.0),
        ("县住房和城乡建设局", 550.0, 550.0),
    ];
    for (unit, ytd, funds) in figures {
        let rows = vec![
            row(&[&format!("填报单位:{unit}")]),
            row(PROJECT_HEADER),
            proj(
                &format!("{unit}-1"),
                "续建",
                ytd,
                "2026-01-01",
                "2026-01-02",
            ),
            row(&[""]),
            row(ATTRACTION_HEADER),
            vec![
                s("厂"),
                s(""),
                s(""),
                s("省外"),
                s("签约"),
                s("2026-02-01"),
                n(100.0),
                n(0.0),
                n(funds),
            ],
        ];
        write_xlsx(&w.inbox(&format!("{unit}.xlsx")), &[sheet_of(rows)]);
    }
    let path = write(&w);
    let r = range(&path, "单位排名");
    let rows = table(&r, 2);
    let got: Vec<(String, String, f64, f64, f64)> = rows
        .iter()
        .map(|m| {
            (
                text(&m["类别"]),
                text(&m["单位"]),
                float(&m["类别内排名"]),
                float(&m["综合排名"]),
                float(&m["得分"]),
            )
        })
        .collect();
    // Scores: 50×min(rate,1.2) + 30×min(funds rate,1.2) + 20×1 − deductions.
    // 城关镇 30+18+20 = 68; 河口镇, 青石镇 25+15+20 = 60 (a tie); 白马乡 60 (capped at 1.2) + 3 + 20 = 83;
    // 县交通运输局 35+21+20 = 76; 县住房和城乡建设局 27.5+16.5+20 = 64.
    let score = |u: &str| got.iter().find(|g| g.1 == u).unwrap().4;
    assert!((score("城关镇") - 68.0).abs() < 1e-9);
    assert!((score("河口镇") - 60.0).abs() < 1e-9);
    assert!((score("青石镇") - 60.0).abs() < 1e-9);
    assert!((score("白马乡") - 83.0).abs() < 1e-9, "{}", score("白马乡"));
    assert!((score("县交通运输局") - 76.0).abs() < 1e-9);
    assert!((score("县住房和城乡建设局") - 64.0).abs() < 1e-9);
    // Townships first, each block in rank order; ties share a rank (1, 2, 3, 3).
    let order: Vec<(&str, f64, f64)> = got.iter().map(|g| (g.1.as_str(), g.2, g.3)).collect();
    assert_eq!(
        order,
        vec![
            ("白马乡", 1.0, 1.0),
            ("城关镇", 2.0, 3.0),
            ("河口镇", 3.0, 5.0),
            ("青石镇", 3.0, 5.0),
            ("县交通运输局", 1.0, 2.0),
            ("县住房和城乡建设局", 2.0, 4.0),
        ]
    );
}

#[test]
fn a_unit_that_did_not_submit_is_scored_on_zeros_and_deductions_are_capped() {
    let w = Work::new(&[
        ("城关镇", "乡镇", 1_000.0, 1_000.0, ""),
        ("桃花乡", "乡镇", 1_000.0, 1_000.0, ""),
    ]);
    // 城关镇: 7 starts overdue (red) and nothing in place on attraction: 8 red flags,
    // 40 points, capped at 30.
    let mut rows = vec![
        row(&["填报单位:城关镇"]),
        row(PROJECT_HEADER),
        proj("CG-1", "续建", 500.0, "2026-01-01", "2026-01-02"),
    ];
    for i in 0..7 {
        rows.push(proj(&format!("CG-L{i}"), "新建", 0.0, "2026-01-01", ""));
    }
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet_of(rows)]);
    let path = write(&w);
    let r = range(&path, "单位排名");
    let rows = table(&r, 2);
    let th = rows.iter().find(|m| text(&m["单位"]) == "桃花乡").unwrap();
    // F01, F02 ×2, F03 red: 4 × 5 = 20 points off, score 0 − 20.
    assert_eq!(float(&th["扣分"]), 20.0);
    assert_eq!(float(&th["得分"]), -20.0);
    assert_eq!(text(&th["是否报送"]), "未报送");
    assert!(
        matches!(th["开工率"], Data::Empty | Data::String(_)),
        "start rate is empty: {:?}",
        th["开工率"]
    );
    let cg = rows.iter().find(|m| text(&m["单位"]) == "城关镇").unwrap();
    assert_eq!(float(&cg["扣分"]), 30.0);
    // 50 × 0.5 + 30 × 0 + 20 × 1/8 − 30.
    assert!(
        (float(&cg["得分"]) - (-2.5)).abs() < 1e-9,
        "{:?}",
        cg["得分"]
    );
    assert!((float(&cg["开工率"]) - 0.125).abs() < 1e-12);
}
