//! Reading the mess of FORMS.md §3, each variant asserted on the value read.

mod common;

use common::*;
use diaodu::forms::{attraction, milestone, project, Field};
use diaodu::merge::{FileStatus, UnitFrom};
use diaodu::model::Value;
use diaodu::{Batch, Code, Finding, TableKind};

fn findings(b: &Batch, code: Code) -> Vec<&Finding> {
    b.findings().iter().filter(|f| f.code == code).collect()
}

/// The merged project with this id.
fn merged<'a>(b: &'a Batch, id: &str) -> &'a diaodu::merge::MergedRow {
    b.merged.rows[0]
        .iter()
        .find(|m| m.rec.project_id() == Some(id))
        .unwrap_or_else(|| panic!("project {id} not merged; findings: {:#?}", b.findings()))
}

fn num(b: &Batch, id: &str, field: Field) -> f64 {
    merged(b, id)
        .rec
        .num(field)
        .unwrap_or_else(|| panic!("{id}.{} empty", field.key()))
}

fn date(b: &Batch, id: &str, field: Field) -> chrono::NaiveDate {
    merged(b, id)
        .rec
        .date(field)
        .unwrap_or_else(|| panic!("{id}.{} empty", field.key()))
}

fn assert_balanced(b: &Batch) {
    for t in TableKind::ALL {
        let c = b.counts(t);
        assert!(c.balanced(), "{t:?} {c:?}");
    }
}

fn canonical(work: &Work, file: &str, rows: Vec<Vec<C>>) {
    let mut all = vec![row(PROJECT_HEADER)];
    all.extend(rows);
    write_xlsx(&work.inbox(file), &[sheet("Sheet1", all)]);
}

#[test]
fn title_rows_note_row_and_header_below() {
    let w = Work::new(&roster());
    let mut rows = vec![
        row(&["XX县重点项目建设进度月报表(2026年5月)"]),
        row(&["填报单位:县交通局  填报日期:2026年6月3日  单位:万元"]),
        row(&[""]),
        row(PROJECT_HEADER),
    ];
    rows.push(project(
        "JT-1",
        "G318改扩建",
        "",
        "新建",
        50000.0,
        12000.0,
        800.0,
        3200.0,
        "2026-03-01",
        "2026-03-15",
    ));
    let mut sh = sheet("附件1", rows);
    sh.merges = vec![
        (0, 0, 0, 16, "XX县重点项目建设进度月报表(2026年5月)".into()),
        (
            1,
            0,
            1,
            16,
            "填报单位:县交通局  填报日期:2026年6月3日  单位:万元".into(),
        ),
    ];
    write_xlsx(&w.inbox("报表.xlsx"), &[sh]);
    let b = w.run();
    assert_eq!(num(&b, "JT-1", project::YTD_DONE), 3200.0);
    assert_eq!(date(&b, "JT-1", project::ACTUAL_START), d(2026, 3, 15));
    let f = &b.merged.files[0];
    assert_eq!(f.unit, Some(3), "县交通局 is an alias of 县交通运输局");
    assert_eq!(f.unit_from, Some(UnitFrom::Note));
    assert_eq!(f.report_date, Some(d(2026, 6, 3)));
    assert_eq!(merged(&b, "JT-1").rec.unit, Some(3));
    assert_balanced(&b);
}

#[test]
fn two_row_header_under_merged_group_cell() {
    let w = Work::new(&roster());
    let top = row(&[
        "项目编号",
        "项目名称",
        "项目类别",
        "总投资(万元)",
        "年度计划投资(万元)",
        "完成投资(万元)",
        "",
        "计划开工日期",
        "实际开工日期",
    ]);
    let sub = row(&["", "", "", "", "", "本月", "累计", "", ""]);
    let data = vec![
        s("HK-1"),
        s("河口大桥"),
        s("续建"),
        n(9000.0),
        n(3000.0),
        n(120.0),
        n(950.5),
        s("2026-01-10"),
        s("2026-01-10"),
    ];
    let mut sh = sheet("Sheet1", vec![row(&["填报单位:河口镇"]), top, sub, data]);
    sh.merges = vec![
        (1, 5, 1, 6, "完成投资(万元)".into()),
        (1, 0, 2, 0, "项目编号".into()),
        (1, 1, 2, 1, "项目名称".into()),
    ];
    write_xlsx(&w.inbox("hk.xlsx"), &[sh]);
    let b = w.run();
    assert_eq!(num(&b, "HK-1", project::MONTH_DONE), 120.0);
    assert_eq!(num(&b, "HK-1", project::YTD_DONE), 950.5);
    assert_eq!(merged(&b, "HK-1").rec.src.row, 4);
}

#[test]
fn traditional_characters_brackets_spaces_and_line_breaks_in_headers() {
    let w = Work::new(&roster());
    let header = row(&[
        "項目編號",
        "項目 名稱",
        "項目類別",
        "總投資（萬元）",
        "年度計劃\n投資(万元)",
        "當月完成投資",
        "累計完成投資",
        "計劃開工日期",
        "實際開工日期",
    ]);
    let data = vec![
        s("CG-1"),
        s("老旧小区改造"),
        s("新建"),
        n(5000.0),
        n(2000.0),
        n(100.0),
        n(700.0),
        s("2026-02-01"),
        s(""),
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("表", vec![header, data])]);
    let b = w.run();
    assert_eq!(num(&b, "CG-1", project::ANNUAL_PLAN), 2000.0);
    assert_eq!(num(&b, "CG-1", project::MONTH_DONE), 100.0);
    assert_eq!(num(&b, "CG-1", project::YTD_DONE), 700.0);
    assert_eq!(merged(&b, "CG-1").rec.project_name(), Some("老旧小区改造"));
}

#[test]
fn amounts_in_yi_and_yuan_are_converted_to_wan() {
    let w = Work::new(&roster());
    // Unit in the header: 亿元 for totals, 元 for the month.
    let header = row(&[
        "项目编号",
        "项目名称",
        "项目类别",
        "总投资(亿元)",
        "年度计划投资(亿元)",
        "本月完成投资(元)",
        "累计完成投资(亿元)",
        "计划开工日期",
    ]);
    let data = vec![
        s("JT-2"),
        s("国道"),
        s("前期"),
        n(3.5),
        n(0.82),
        n(1_200_000.0),
        n(0.25),
        s(""),
    ];
    write_xlsx(
        &w.inbox("交通局.xlsx"),
        &[sheet("Sheet1", vec![header, data])],
    );
    // Unit in the note row only.
    let header2 = row(&[
        "项目编号",
        "项目名称",
        "项目类别",
        "总投资",
        "年度计划投资",
        "累计完成投资",
        "计划开工日期",
    ]);
    let data2 = vec![
        s("HK-2"),
        s("园区"),
        s("前期"),
        n(1.2),
        n(0.3),
        n(0.05),
        s(""),
    ];
    write_xlsx(
        &w.inbox("河口镇.xlsx"),
        &[sheet("Sheet1", vec![row(&["单位:亿元"]), header2, data2])],
    );
    let b = w.run();
    assert!((num(&b, "JT-2", project::TOTAL_INVEST) - 35000.0).abs() < 1e-6);
    assert!((num(&b, "JT-2", project::ANNUAL_PLAN) - 8200.0).abs() < 1e-6);
    assert!((num(&b, "JT-2", project::MONTH_DONE) - 120.0).abs() < 1e-6);
    assert!((num(&b, "JT-2", project::YTD_DONE) - 2500.0).abs() < 1e-6);
    assert!((num(&b, "HK-2", project::TOTAL_INVEST) - 12000.0).abs() < 1e-6);
    assert!((num(&b, "HK-2", project::YTD_DONE) - 500.0).abs() < 1e-6);
    let conv = findings(&b, Code::HeaderUnitConverted);
    assert_eq!(conv.len(), 2, "{conv:#?}");
}

#[test]
fn numbers_stored_as_text() {
    let w = Work::new(&roster());
    let mk = |id: &str, total: &str| {
        vec![
            s(id),
            s("项目"),
            s(""),
            s(""),
            s("前期"),
            s(""),
            s(total),
            s("100"),
            s(""),
            s("10"),
            s(""),
            s(""),
            s(""),
            s(""),
            s(""),
            s(""),
            s(""),
        ]
    };
    canonical(
        &w,
        "城关镇.xlsx",
        vec![
            mk("T-1", "1,200"),
            mk("T-2", "1，200.5"),
            mk("T-3", "１２００"),
            mk("T-4", "1200万元"),
            mk("T-5", " 350 "),
            mk("T-6", "0.5亿元"),
        ],
    );
    let b = w.run();
    assert_eq!(num(&b, "T-1", project::TOTAL_INVEST), 1200.0);
    assert_eq!(num(&b, "T-2", project::TOTAL_INVEST), 1200.5);
    assert_eq!(num(&b, "T-3", project::TOTAL_INVEST), 1200.0);
    assert_eq!(num(&b, "T-4", project::TOTAL_INVEST), 1200.0);
    assert_eq!(num(&b, "T-5", project::TOTAL_INVEST), 350.0);
    assert_eq!(num(&b, "T-6", project::TOTAL_INVEST), 5000.0);
    // Blank 本月完成投资 means 0.
    assert_eq!(num(&b, "T-1", project::MONTH_DONE), 0.0);
}

#[test]
fn formulas_by_cached_value_and_error_values_as_cell_errors() {
    let w = Work::new(&roster());
    let mut ok = project("F-1", "项目", "", "前期", 1000.0, 500.0, 0.0, 0.0, "", "");
    ok[9] = C::F("=100+200".into(), "300".into());
    let mut bad = project("F-2", "项目", "", "前期", 1000.0, 500.0, 0.0, 0.0, "", "");
    bad[8] = C::F("=1/0".into(), "#DIV/0!".into());
    canonical(&w, "城关镇.xlsx", vec![ok, bad]);
    let b = w.run();
    assert_eq!(num(&b, "F-1", project::YTD_DONE), 300.0);
    let e = findings(&b, Code::CellErrorValue);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].cell.as_deref(), Some("I3"));
    assert_eq!(e[0].value.as_deref(), Some("#DIV/0!"));
    assert!(b.merged.rows[0]
        .iter()
        .all(|m| m.rec.project_id() != Some("F-2")));
    assert_eq!(b.counts(TableKind::Projects).rejected, 1);
}

#[test]
fn every_date_form() {
    let w = Work::new(&roster());
    let forms: Vec<(C, chrono::NaiveDate)> = vec![
        (C::D(d(2026, 4, 20)), d(2026, 4, 20)),
        (n(46132.0), d(2026, 4, 20)),
        (s("2026-04-20"), d(2026, 4, 20)),
        (s("2026/4/20"), d(2026, 4, 20)),
        (s("2026.4.20"), d(2026, 4, 20)),
        (s("2026年4月20日"), d(2026, 4, 20)),
        (s("2026年4月"), d(2026, 4, 30)),
        (s("4月20日"), d(2026, 4, 20)),
        (s("4月底"), d(2026, 4, 30)),
    ];
    let rows = forms
        .iter()
        .enumerate()
        .map(|(i, (c, _))| {
            let mut r = project(
                &format!("D-{i}"),
                "项目",
                "",
                "新建",
                1000.0,
                500.0,
                0.0,
                0.0,
                "",
                "",
            );
            r[10] = c.clone();
            r
        })
        .collect();
    canonical(&w, "城关镇.xlsx", rows);
    let b = w.run();
    for (i, (_, want)) in forms.iter().enumerate() {
        assert_eq!(
            date(&b, &format!("D-{i}"), project::PLANNED_START),
            *want,
            "form {i}"
        );
    }
}

#[test]
fn total_rows_skipped_and_mismatch_warned_blank_and_footer_rows_ignored() {
    let w = Work::new(&roster());
    let mut rows = vec![
        project(
            "L-1",
            "项目一",
            "",
            "前期",
            1000.0,
            500.0,
            10.0,
            100.0,
            "",
            "",
        ),
        row(&[""]),
        project(
            "L-2",
            "项目二",
            "",
            "前期",
            2000.0,
            800.0,
            20.0,
            200.0,
            "",
            "",
        ),
    ];
    // A 合计 row whose 总投资 is right but 累计 is wrong.
    let mut total = vec![
        s(""),
        s("合计"),
        s(""),
        s(""),
        s(""),
        s(""),
        n(3000.0),
        n(1300.0),
        n(30.0),
        n(999.0),
    ];
    total.resize(17, C::E);
    rows.push(total);
    rows.push(row(&[
        "填表人:李明    审核人:张华    联系电话:0931-1234567",
    ]));
    canonical(&w, "城关镇.xlsx", rows);
    let b = w.run();
    assert_eq!(b.merged.rows[0].len(), 2);
    assert_eq!(b.counts(TableKind::Projects).read, 2);
    let m = findings(&b, Code::RowTotalMismatch);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].cell.as_deref(), Some("J5"));
    assert_eq!(m[0].field, Some("ytd_done"));
    assert!(m[0].message.contains("300"), "{}", m[0].message);
}

#[test]
fn section_headings_and_several_tables_on_one_sheet() {
    let w = Work::new(&roster());
    let mut rows = vec![row(PROJECT_HEADER), row(&["", "一、新建项目"])];
    rows.push(project(
        "S-1",
        "项目一",
        "",
        "新建",
        1000.0,
        500.0,
        10.0,
        100.0,
        "2026-01-01",
        "2026-01-05",
    ));
    rows.push(row(&[""]));
    rows.push(row(&["节点计划表"]));
    rows.push(row(MILESTONE_HEADER));
    rows.push(vec![
        s("S-1"),
        s("主体完工"),
        s("2026-04-30"),
        s(""),
        n(200.0),
        n(100.0),
        s("公里"),
    ]);
    rows.push(row(&[""]));
    rows.push(row(ATTRACTION_HEADER));
    rows.push(vec![
        s("食品加工厂"),
        s(""),
        s("某公司"),
        s("省外"),
        s("签约"),
        s("2026-03-01"),
        n(5000.0),
        s(""),
        n(1200.0),
    ]);
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    assert_eq!(b.merged.rows[0].len(), 1);
    assert_eq!(b.merged.rows[1].len(), 1);
    assert_eq!(b.merged.rows[2].len(), 1);
    let ms = &b.merged.rows[1][0].rec;
    assert_eq!(ms.num(milestone::PLANNED_QTY), Some(200.0));
    assert_eq!(ms.text(milestone::QTY_UNIT), Some("公里"));
    assert_eq!(
        ms.unit,
        Some(0),
        "a milestone counts for its project's unit"
    );
    let at = &b.merged.rows[2][0].rec;
    assert_eq!(at.num(attraction::YTD_FUNDS), Some(1200.0));
    assert_eq!(at.num(attraction::MONTH_FUNDS), Some(0.0));
    assert_eq!(at.unit, Some(0));
    assert!(
        b.findings()
            .iter()
            .all(|f| f.severity != diaodu::Severity::Error),
        "{:#?}",
        b.findings()
    );
}

#[test]
fn inbox_clutter_lock_hidden_stray_corrupt_empty() {
    let w = Work::new(&roster());
    canonical(
        &w,
        "城关镇.xlsx",
        vec![project(
            "C-1", "项目", "", "前期", 1.0, 1.0, 0.0, 0.0, "", "",
        )],
    );
    std::fs::write(w.inbox("~$城关镇.xlsx"), b"\x0bjunk lock file").unwrap();
    std::fs::write(w.inbox(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    std::fs::write(w.inbox("说明.docx"), b"PK\x03\x04 not really").unwrap();
    std::fs::write(w.inbox("河口镇.xlsx"), b"this is not a workbook").unwrap();
    write_xlsx(&w.inbox("东湖街道.xlsx"), &[sheet("Sheet1", vec![])]);
    let b = w.run();
    let status = |n: &str| b.merged.files.iter().find(|f| f.name == n).unwrap().status;
    assert_eq!(status("~$城关镇.xlsx"), FileStatus::Ignored);
    assert_eq!(status(".DS_Store"), FileStatus::Ignored);
    assert_eq!(status("说明.docx"), FileStatus::Unreadable);
    assert_eq!(status("河口镇.xlsx"), FileStatus::Unreadable);
    assert_eq!(status("东湖街道.xlsx"), FileStatus::Unreadable);
    assert_eq!(status("城关镇.xlsx"), FileStatus::Merged);
    for n in ["说明.docx", "河口镇.xlsx", "东湖街道.xlsx"] {
        let f = b.findings().iter().find(|f| f.file == n).unwrap();
        assert_eq!(f.severity, diaodu::Severity::Error, "{f:?}");
        assert!(!f.message.contains('\n'));
    }
    assert_eq!(b.merged.rows[0].len(), 1);
}

#[test]
fn encrypted_workbook_is_refused_by_name() {
    if !have_shared("encrypted_workbook_is_refused_by_name") {
        return;
    }
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/real-world/exceldatareader/agile_AES128_SHA1_CBC_pwd_password.xlsx"
    );
    let w = Work::new(&roster());
    std::fs::copy(corpus, w.inbox("城关镇.xlsx")).unwrap();
    let b = w.run();
    let f = findings(&b, Code::FileEncrypted);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].file, "城关镇.xlsx");
    assert!(f[0].message.contains("密码"), "{}", f[0].message);
}

#[test]
fn legacy_xls_and_ods_are_read() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let w = Work::new(&roster());
    std::fs::copy(format!("{fixtures}/城关镇.xls"), w.inbox("城关镇.xls")).unwrap();
    std::fs::copy(format!("{fixtures}/河口镇.ods"), w.inbox("河口镇.ods")).unwrap();
    let b = w.run();
    assert_eq!(num(&b, "XLS-1", project::YTD_DONE), 321.5);
    assert_eq!(date(&b, "XLS-1", project::ACTUAL_START), d(2026, 3, 15));
    assert_eq!(num(&b, "ODS-1", project::YTD_DONE), 654.25);
    assert_eq!(date(&b, "ODS-1", project::PLANNED_START), d(2026, 2, 28));
    assert_eq!(merged(&b, "XLS-1").rec.unit, Some(0));
    assert_eq!(merged(&b, "ODS-1").rec.unit, Some(1));
}

#[test]
fn corrected_submission_supersedes_by_report_date_then_mtime() {
    let w = Work::new(&roster());
    let note = |date: &str| row(&[&format!("填报单位:东湖街道  填报日期:{date}")]);
    let mk = |ytd: f64| project("DH-1", "项目", "", "前期", 1000.0, 500.0, 0.0, ytd, "", "");
    // The later report date wins even though its name sorts first.
    write_xlsx(
        &w.inbox("a_更正.xlsx"),
        &[sheet(
            "S",
            vec![note("2026年6月5日"), row(PROJECT_HEADER), mk(200.0)],
        )],
    );
    write_xlsx(
        &w.inbox("b_初报.xlsx"),
        &[sheet(
            "S",
            vec![
                note("2026年6月2日"),
                row(PROJECT_HEADER),
                mk(100.0),
                mk(100.0),
            ],
        )],
    );
    let b = w.run();
    assert_eq!(num(&b, "DH-1", project::YTD_DONE), 200.0);
    let old = b
        .merged
        .files
        .iter()
        .find(|f| f.name == "b_初报.xlsx")
        .unwrap();
    assert_eq!(old.status, FileStatus::Superseded);
    assert_eq!(old.superseded_by.as_deref(), Some("a_更正.xlsx"));
    let c = b.counts(TableKind::Projects);
    assert_eq!((c.read, c.merged, c.superseded, c.rejected), (3, 1, 2, 0));
    assert_eq!(findings(&b, Code::FileSuperseded).len(), 1);

    // Without report dates: the later modification time wins.
    let w = Work::new(&roster());
    let plain = |ytd: f64| vec![row(&["填报单位:东湖街道"]), row(PROJECT_HEADER), mk(ytd)];
    write_xlsx(&w.inbox("x1.xlsx"), &[sheet("S", plain(300.0))]);
    write_xlsx(&w.inbox("x2.xlsx"), &[sheet("S", plain(400.0))]);
    w.set_mtime("x1.xlsx", 1_780_000_000);
    w.set_mtime("x2.xlsx", 1_770_000_000);
    let b = w.run();
    assert_eq!(num(&b, "DH-1", project::YTD_DONE), 300.0);

    // Only one of the two has a 填报日期: it cannot decide, the modification time does.
    let w = Work::new(&roster());
    write_xlsx(
        &w.inbox("y1.xlsx"),
        &[sheet(
            "S",
            vec![note("2026年6月9日"), row(PROJECT_HEADER), mk(500.0)],
        )],
    );
    write_xlsx(&w.inbox("y2.xlsx"), &[sheet("S", plain(600.0))]);
    w.set_mtime("y1.xlsx", 1_770_000_000);
    w.set_mtime("y2.xlsx", 1_780_000_000);
    let b = w.run();
    assert_eq!(num(&b, "DH-1", project::YTD_DONE), 600.0);
}

#[test]
fn duplicate_project_ids_identical_merged_conflicting_rejected() {
    let w = Work::new(&roster());
    let shared = project(
        "CG-3",
        "共建项目",
        "城关镇",
        "前期",
        1000.0,
        500.0,
        0.0,
        50.0,
        "",
        "",
    );
    let mut conflict_a = project(
        "LL-2",
        "冲突项目",
        "",
        "前期",
        1000.0,
        500.0,
        0.0,
        50.0,
        "",
        "",
    );
    let conflict_b = project(
        "LL-2",
        "冲突项目",
        "",
        "前期",
        1000.0,
        500.0,
        0.0,
        60.0,
        "",
        "",
    );
    conflict_a[2] = s("");
    // 序号 differs between the identical copies: it is ignored.
    let with_seq = |n: f64, r: Vec<C>| {
        let mut v = vec![C::N(n)];
        v.extend(r);
        v
    };
    let mut h = vec!["序号"];
    h.extend_from_slice(PROJECT_HEADER);
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet(
            "S",
            vec![
                row(&h),
                with_seq(1.0, shared.clone()),
                with_seq(2.0, conflict_a),
            ],
        )],
    );
    write_xlsx(
        &w.inbox("住建局.xlsx"),
        &[sheet(
            "S",
            vec![
                row(&["填报单位:县住建局"]),
                row(&h),
                with_seq(7.0, shared),
                with_seq(8.0, conflict_b),
            ],
        )],
    );
    let b = w.run();
    // Identical: held once, both copies merged, a warning naming both places.
    let m = merged(&b, "CG-3");
    assert_eq!(m.sources.len(), 2);
    assert_eq!(m.rec.unit, Some(0));
    let idw = findings(&b, Code::RowDuplicateIdentical);
    assert_eq!(idw.len(), 1);
    assert_eq!(idw[0].places.len(), 2);
    // Conflicting: all copies rejected, each naming both files.
    assert!(b.merged.rows[0]
        .iter()
        .all(|m| m.rec.project_id() != Some("LL-2")));
    let conf = findings(&b, Code::RowDuplicateConflict);
    assert_eq!(conf.len(), 2);
    for f in &conf {
        assert!(
            f.message.contains("城关镇.xlsx") && f.message.contains("住建局.xlsx"),
            "{}",
            f.message
        );
        assert_eq!(
            f.cell.as_deref(),
            Some(if f.file == "城关镇.xlsx" {
                "B3"
            } else {
                "B4"
            })
        );
    }
    let c = b.counts(TableKind::Projects);
    assert_eq!((c.read, c.merged, c.rejected, c.output_rows), (4, 2, 2, 1));
}

#[test]
fn unit_identification_order_note_then_column_then_file_name() {
    let w = Work::new(&roster());
    let p = |id: &str, unit: &str| project(id, "项目", unit, "前期", 1.0, 1.0, 0.0, 0.0, "", "");
    // Note wins over column and file name.
    write_xlsx(
        &w.inbox("城关镇_a.xlsx"),
        &[sheet(
            "S",
            vec![
                row(&["填报单位:河口镇"]),
                row(PROJECT_HEADER),
                p("A-1", "东湖街道"),
            ],
        )],
    );
    // Column wins over file name.
    write_xlsx(
        &w.inbox("城关镇_b.xlsx"),
        &[sheet("S", vec![row(PROJECT_HEADER), p("B-1", "交通局")])],
    );
    // File name alone.
    write_xlsx(
        &w.inbox("东湖街道_c.xlsx"),
        &[sheet("S", vec![row(PROJECT_HEADER), p("C-1", "")])],
    );
    // Nothing matches: an error for the file, not a guess.
    write_xlsx(
        &w.inbox("报表.xlsx"),
        &[sheet("S", vec![row(PROJECT_HEADER), p("D-1", "")])],
    );
    let b = w.run();
    let f = |n: &str| b.merged.files.iter().find(|f| f.name == n).unwrap();
    assert_eq!(
        (f("城关镇_a.xlsx").unit, f("城关镇_a.xlsx").unit_from),
        (Some(1), Some(UnitFrom::Note))
    );
    assert_eq!(
        (f("城关镇_b.xlsx").unit, f("城关镇_b.xlsx").unit_from),
        (Some(3), Some(UnitFrom::Column))
    );
    assert_eq!(
        (f("东湖街道_c.xlsx").unit, f("东湖街道_c.xlsx").unit_from),
        (Some(2), Some(UnitFrom::Filename))
    );
    assert_eq!(f("报表.xlsx").unit, None);
    assert_eq!(f("报表.xlsx").status, FileStatus::Unreadable);
    assert_eq!(findings(&b, Code::FileUnknownUnit)[0].file, "报表.xlsx");
    // A project counts for its 责任单位 when given, else the submitter.
    assert_eq!(merged(&b, "A-1").rec.unit, Some(2));
    assert_eq!(merged(&b, "C-1").rec.unit, Some(2));
    let c = b.counts(TableKind::Projects);
    assert_eq!((c.read, c.merged, c.rejected), (4, 3, 1));
}

/// One project row with a defect, and where the finding must point.
struct Case {
    code: Code,
    cell: &'static str,
    field: &'static str,
    rejected: bool,
    edit: fn(&mut Vec<C>),
}

#[test]
fn every_row_rule_gives_its_finding_at_the_cell() {
    let cases = [
        Case {
            code: Code::CellMissingValue,
            cell: "B2",
            field: "project_name",
            rejected: true,
            edit: |r| r[1] = C::E,
        },
        Case {
            code: Code::CellTypeError,
            cell: "G2",
            field: "total_invest",
            rejected: true,
            edit: |r| r[6] = s("约一千万"),
        },
        Case {
            code: Code::CellNegative,
            cell: "G2",
            field: "total_invest",
            rejected: true,
            edit: |r| r[6] = n(-5.0),
        },
        Case {
            code: Code::CellBadChoice,
            cell: "E2",
            field: "category",
            rejected: true,
            // 在建 is 续建 (docs/forms.md §9.1); 改建 is no category.
            edit: |r| r[4] = s("改建"),
        },
        Case {
            code: Code::CellTypeError,
            cell: "K2",
            field: "planned_start",
            rejected: true,
            edit: |r| r[10] = s("下个月"),
        },
        Case {
            code: Code::CellMissingValue,
            cell: "K2",
            field: "planned_start",
            rejected: true,
            edit: |r| r[10] = C::E,
        },
        Case {
            code: Code::RowAnnualAboveTotal,
            cell: "H2",
            field: "annual_plan",
            rejected: false,
            edit: |r| r[7] = n(5000.0),
        },
        Case {
            code: Code::RowYtdBelowMonth,
            cell: "J2",
            field: "ytd_done",
            rejected: true,
            edit: |r| r[8] = n(500.0),
        },
        Case {
            code: Code::RowStartAfterPeriod,
            cell: "L2",
            field: "actual_start",
            rejected: true,
            edit: |r| r[11] = s("2026-06-15"),
        },
        Case {
            code: Code::RowFinishBeforeStart,
            cell: "M2",
            field: "planned_finish",
            rejected: true,
            edit: |r| r[12] = s("2025-12-31"),
        },
        Case {
            code: Code::RowUnknownUnit,
            cell: "C2",
            field: "unit",
            rejected: true,
            edit: |r| r[2] = s("县外某局"),
        },
    ];
    for case in cases {
        let w = Work::new(&roster());
        let mut r = project(
            "R-1",
            "项目",
            "",
            "新建",
            1000.0,
            500.0,
            20.0,
            100.0,
            "2026-01-01",
            "2026-02-01",
        );
        (case.edit)(&mut r);
        write_xlsx(
            &w.inbox("城关镇.xlsx"),
            &[sheet("Sheet1", vec![row(PROJECT_HEADER), r])],
        );
        let b = w.run();
        let f = findings(&b, case.code);
        assert_eq!(f.len(), 1, "{:?}: {:#?}", case.code, b.findings());
        assert_eq!(f[0].cell.as_deref(), Some(case.cell), "{:?}", case.code);
        assert_eq!(f[0].sheet.as_deref(), Some("Sheet1"));
        assert_eq!(f[0].field, Some(case.field), "{:?}", case.code);
        assert_eq!(f[0].file, "城关镇.xlsx");
        assert!(!f[0].message.is_empty());
        let c = b.counts(TableKind::Projects);
        assert_eq!(c.rejected, case.rejected as usize, "{:?}", case.code);
        assert_eq!(c.merged, 1 - case.rejected as usize, "{:?}", case.code);
    }
}

#[test]
fn milestone_and_attraction_rules() {
    let w = Work::new(&roster());
    let rows = vec![
        row(PROJECT_HEADER),
        project(
            "M-1",
            "项目",
            "",
            "新建",
            1000.0,
            500.0,
            20.0,
            100.0,
            "2026-01-01",
            "2026-02-01",
        ),
        row(&[""]),
        row(MILESTONE_HEADER),
        vec![s("M-1"), s("主体完工"), s("2026-04-30"), s("2026-06-20")],
        vec![s("ZZ-999"), s("开工"), s("2026-04-30"), s("")],
        vec![s("M-1"), s("投产"), s(""), s("")],
        row(&[""]),
        row(ATTRACTION_HEADER),
        vec![
            s("厂"),
            s(""),
            s(""),
            s("省外"),
            s("签约"),
            s(""),
            n(100.0),
            n(10.0),
            n(50.0),
        ],
        vec![
            s("库"),
            s(""),
            s(""),
            s("火星"),
            s("洽谈"),
            s(""),
            n(100.0),
            n(60.0),
            n(50.0),
        ],
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let at = |code: Code| -> Vec<String> {
        findings(&b, code)
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f.cell.clone().unwrap_or_default(),
                    f.field.unwrap_or("")
                )
            })
            .collect()
    };
    assert_eq!(at(Code::RowActualAfterPeriod), vec!["D5:actual_date"]);
    assert_eq!(at(Code::RowUnknownProject), vec!["A6:project_id"]);
    assert_eq!(
        at(Code::CellMissingValue),
        vec!["C7:planned_date", "F10:signed_date"]
    );
    assert_eq!(at(Code::CellBadChoice), vec!["D11:source"]);
    assert_eq!(at(Code::RowYtdBelowMonth), vec!["I11:ytd_funds"]);
    assert_eq!(b.merged.rows[1].len(), 0);
    assert_eq!(b.merged.rows[2].len(), 0);
    assert_balanced(&b);
}

#[test]
fn duplicate_milestones_identical_counted_once_differing_kept() {
    let w = Work::new(&roster());
    let p = |id: &str| {
        project(
            id,
            "项目",
            "",
            "续建",
            1000.0,
            500.0,
            20.0,
            100.0,
            "2026-01-01",
            "2026-02-01",
        )
    };
    let ms = |id: &str, name: &str, planned: &str| vec![s(id), s(name), s(planned), s("")];
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet(
            "Sheet1",
            vec![
                row(PROJECT_HEADER),
                p("M-1"),
                p("M-2"),
                row(&[""]),
                row(MILESTONE_HEADER),
                ms("M-1", "开工", "2026-07-30"),
                ms("M-1", "开工", "2026-07-30"),
                ms("M-1", "开工", "2026-08-30"),
                ms("M-2", "开工", "2026-07-30"),
                ms("M-9", "开工", "2026-07-30"),
                ms("M-1", "开工", "2026-07-30"),
                ms("M-1", "投产", "2026-12-30"),
            ],
        )],
    );
    let b = w.run();
    let rows = &b.merged.rows[1];
    let shown: Vec<(String, usize)> = rows
        .iter()
        .map(|m| {
            (
                format!(
                    "{}/{}/{}",
                    m.rec.project_id().unwrap_or_default(),
                    m.rec.text(milestone::MILESTONE).unwrap_or_default(),
                    m.rec.src.row
                ),
                m.sources.len(),
            )
        })
        .collect();
    // The first M-1/开工 (row 6) holds both identical copies (rows 7 and 11); the
    // one with another date (row 8) is a row of its own; M-9 is no merged project.
    assert_eq!(
        shown,
        vec![
            ("M-1/开工/6".to_string(), 3),
            ("M-1/开工/8".to_string(), 1),
            ("M-2/开工/9".to_string(), 1),
            ("M-1/投产/12".to_string(), 1),
        ]
    );
    let dup: Vec<(u32, Vec<u32>)> = findings(&b, Code::RowDuplicateIdentical)
        .iter()
        .map(|f| (f.row.unwrap_or(0), f.places.iter().map(|p| p.row).collect()))
        .collect();
    assert_eq!(dup, vec![(7, vec![6]), (11, vec![6])]);
    assert_eq!(findings(&b, Code::RowUnknownProject).len(), 1);
    assert!(rows.iter().all(|m| m.rec.unit == Some(0)));
    let c = b.counts(TableKind::Milestones);
    assert_eq!((c.read, c.merged, c.rejected, c.output_rows), (7, 6, 1, 4));
    assert_balanced(&b);
}

#[test]
fn header_findings_missing_duplicate_unknown_columns() {
    let w = Work::new(&roster());
    let header = row(&[
        "项目编号",
        "项目名称",
        "项目类别",
        "总投资(万元)",
        "项目总投资",
        "年度计划投资",
        "备注",
    ]);
    let data = vec![
        s("H-1"),
        s("项目"),
        s("前期"),
        n(100.0),
        n(999.0),
        n(50.0),
        s("无"),
    ];
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet("Sheet1", vec![header, data])],
    );
    let b = w.run();
    let missing = findings(&b, Code::HeaderMissingField);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].field, Some("ytd_done"));
    let dup = findings(&b, Code::HeaderDuplicateColumn);
    assert_eq!(dup[0].cell.as_deref(), Some("E1"));
    let unk = findings(&b, Code::HeaderUnknownColumn);
    assert_eq!(unk[0].value.as_deref(), Some("备注"));
    // The row lacks a required value: rejected, and the first 总投资 column was read.
    let miss_cell = findings(&b, Code::CellMissingValue);
    assert_eq!(miss_cell[0].field, Some("ytd_done"));
    assert_eq!(b.counts(TableKind::Projects).rejected, 1);
}

#[test]
fn hidden_sheets_are_read_like_visible_ones() {
    let w = Work::new(&roster());
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, id, hide) in [("Sheet1", "V-1", false), ("旧数据", "V-2", true)] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in PROJECT_HEADER.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, id).unwrap();
        ws.write_string(1, 1, "项目").unwrap();
        ws.write_string(1, 4, "前期").unwrap();
        ws.write_number(1, 6, 10.0).unwrap();
        ws.write_number(1, 7, 5.0).unwrap();
        ws.write_number(1, 9, 1.0).unwrap();
        if hide {
            ws.set_hidden(true);
        }
    }
    wb.save(w.inbox("城关镇.xlsx")).unwrap();
    let b = w.run();
    // docs/forms.md §9.7: a hidden sheet is data like any other.
    assert_eq!(b.merged.rows[0].len(), 2);
    assert_eq!(merged(&b, "V-1").rec.num(project::TOTAL_INVEST), Some(10.0));
    assert_eq!(merged(&b, "V-2").rec.num(project::TOTAL_INVEST), Some(10.0));
}

#[test]
fn merged_frames_hold_every_row_with_its_source() {
    let w = Work::new(&roster());
    // 责任单位 names 河口镇 for P-2: without a note, the column would make
    // 河口镇 the submitter; the note makes it 城关镇.
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet(
            "Sheet1",
            vec![
                row(&["填报单位:城关镇"]),
                row(PROJECT_HEADER),
                project(
                    "P-1",
                    "项目一",
                    "",
                    "新建",
                    1000.0,
                    500.0,
                    20.0,
                    100.0,
                    "2026-01-01",
                    "2026-02-01",
                ),
                project(
                    "P-2",
                    "项目二",
                    "河口镇",
                    "续建",
                    2000.0,
                    600.0,
                    30.0,
                    300.0,
                    "2026-01-01",
                    "",
                ),
            ],
        )],
    );
    let b = w.run();
    let df = b.frame(TableKind::Projects);
    assert_eq!(df.height(), 2);
    let ytd_col = df.column("ytd_done").unwrap().f64().unwrap();
    let ytd: Vec<Option<f64>> = (0..2).map(|i| ytd_col.get(i)).collect();
    assert_eq!(ytd, vec![Some(100.0), Some(300.0)]);
    let unit_col = df.column("unit_name").unwrap().str().unwrap();
    let units: Vec<Option<&str>> = (0..2).map(|i| unit_col.get(i)).collect();
    assert_eq!(units, vec![Some("城关镇"), Some("河口镇")]);
    let row_col = df.column("src_row").unwrap().u32().unwrap();
    let rows: Vec<Option<u32>> = (0..2).map(|i| row_col.get(i)).collect();
    assert_eq!(rows, vec![Some(3), Some(4)]);
    assert_eq!(
        df.column("planned_start").unwrap().dtype(),
        &polars::prelude::DataType::Date
    );
    let _ = Value::Null;
}

#[test]
fn a_text_cell_merged_down_over_data_rows_applies_to_each_row() {
    let w = Work::new(&roster());
    let mut rows = vec![row(&["填报单位:县住建局"]), row(PROJECT_HEADER)];
    for (i, name) in ["项目一", "项目二", "项目三", "项目四"].iter().enumerate() {
        // Only the first row of the merged 责任单位 holds its text.
        let unit = if i == 0 { "河口镇" } else { "" };
        rows.push(project(
            &format!("M-{}", i + 1),
            name,
            unit,
            "新建",
            100.0,
            50.0,
            0.0,
            10.0,
            "2026-01-01",
            "2026-01-02",
        ));
    }
    let mut sh = sheet("Sheet1", rows);
    // 责任单位 (column C) merged over the first three projects.
    sh.merges = vec![(2, 2, 4, 2, "河口镇".into())];
    write_xlsx(&w.inbox("住建局.xlsx"), &[sh]);
    let b = w.run();
    for id in ["M-1", "M-2", "M-3"] {
        assert_eq!(merged(&b, id).rec.unit, Some(1), "{id} counts for 河口镇");
    }
    assert_eq!(
        merged(&b, "M-4").rec.unit,
        Some(4),
        "M-4 counts for the submitter"
    );
}
