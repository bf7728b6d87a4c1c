//! Reading the forms offices already use (docs/forms.md §9), each rule asserted
//! on the value read or on the finding's code and cell.

mod common;

use common::*;
use diaodu::flags::FlagCode;
use diaodu::forms::project;
use diaodu::merge::{FileStatus, UnitFrom};
use diaodu::{Batch, Code, Finding, TableKind};
use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");

fn findings(b: &Batch, code: Code) -> Vec<&Finding> {
    b.findings().iter().filter(|f| f.code == code).collect()
}

/// The merged project with this name.
fn by_name<'a>(b: &'a Batch, name: &str) -> &'a diaodu::merge::MergedRow {
    b.merged.rows[0]
        .iter()
        .find(|m| m.rec.project_name() == Some(name))
        .unwrap_or_else(|| panic!("project {name} not merged; findings: {:#?}", b.findings()))
}

fn assert_balanced(b: &Batch) {
    for t in TableKind::ALL {
        let c = b.counts(t);
        assert!(c.balanced(), "{t:?} {c:?}");
    }
}

/// A sheet with hidden columns, and whether the sheet itself is hidden.
struct Own {
    name: &'static str,
    rows: Vec<Vec<C>>,
    hidden_cols: Vec<u16>,
    hidden: bool,
}

fn own(name: &'static str, rows: Vec<Vec<C>>) -> Own {
    Own {
        name,
        rows,
        hidden_cols: vec![],
        hidden: false,
    }
}

fn write_own(path: &Path, sheets: &[Own]) {
    let mut wb = Workbook::new();
    for sh in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sh.name).unwrap();
        for (r, cells) in sh.rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    C::S(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    C::N(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    C::E => {}
                    _ => unreachable!("text and numbers only"),
                }
            }
        }
        for c in &sh.hidden_cols {
            ws.set_column_hidden(*c).unwrap();
        }
        if sh.hidden {
            ws.set_hidden(true);
        }
    }
    // A visible first sheet: Excel refuses a workbook whose sheets are all hidden.
    let _ = Format::new();
    wb.save(path).unwrap();
}

/// The header of a district's own ledger (after fuck.xls): no 项目编号, no
/// 计划开工日期, 建设性质 and 是否开工, 包联领导, 5月进展情况.
const LEDGER: &[&str] = &[
    "序号",
    "项目名称",
    "包联\n领导",
    "责任单位",
    "总投资",
    "年度计划投资",
    "建设性质",
    "是否开工",
    "5月进展情况",
    "累计\n完成  投资",
];

fn ledger_row(no: f64, name: &str, unit: &str, cat: &str, started: &str, ytd: f64) -> Vec<C> {
    vec![
        n(no),
        s(name),
        s("张三"),
        s(unit),
        n(1000.0),
        n(500.0),
        s(cat),
        s(started),
        s("主体施工"),
        n(ytd),
    ]
}

#[test]
fn header_variants_of_section_9_1_map_without_settings() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&["城关镇重点项目进展表(2026年5月)"]),
        row(&[
            "项目编号",
            "项目名称",
            "建设性质",
            "挂点领导",
            "牵头单位",
            "计划总投资",
            "今年计划投资",
            "5月份完成投资",
            "1－5月累计完成投资",
            "五月进展情况",
            "计划开工日期",
        ]),
        vec![
            s("CG-1"),
            s("老街改造"),
            s("在建"),
            s("李四"),
            s("城关镇"),
            n(900.0),
            n(300.0),
            n(20.0),
            n(120.0),
            s("路面铺装"),
            s("2026-01-10"),
        ],
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let r = &by_name(&b, "老街改造").rec;
    assert_eq!(r.text(project::CATEGORY), Some("续建"), "在建 is 续建");
    assert_eq!(r.text(project::LEADER), Some("李四"));
    assert_eq!(r.num(project::TOTAL_INVEST), Some(900.0));
    assert_eq!(r.num(project::ANNUAL_PLAN), Some(300.0));
    assert_eq!(r.num(project::MONTH_DONE), Some(20.0));
    assert_eq!(r.num(project::YTD_DONE), Some(120.0));
    assert_eq!(r.text(project::PROGRESS_NOTE), Some("路面铺装"));
    assert!(findings(&b, Code::HeaderUnknownColumn).is_empty());
    assert!(findings(&b, Code::FileOtherPeriod).is_empty());
    assert_balanced(&b);
}

#[test]
fn a_header_naming_another_month_is_other_period_not_this_months() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "项目编号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "4月完成投资",
            "1-5月完成投资",
            "计划开工日期",
        ]),
        vec![
            s("CG-1"),
            s("老街改造"),
            s("前期"),
            n(900.0),
            n(300.0),
            n(20.0),
            n(120.0),
        ],
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let r = &by_name(&b, "老街改造").rec;
    // Last month's column is not this month's: blank means 0.
    assert_eq!(r.num(project::MONTH_DONE), Some(0.0));
    assert_eq!(r.num(project::YTD_DONE), Some(120.0));
    let f = findings(&b, Code::HeaderOtherPeriod);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].cell.as_deref(), Some("F1"));
    assert_eq!(f[0].field, None);
    assert_eq!(f[0].severity, diaodu::Severity::Warning);
}

#[test]
fn since_the_start_of_works_is_never_this_years_ytd() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "项目编号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "开工累计完成投资",
            "开工至上年底累计完成投资",
            "今年已完成投资",
            "占年计划%",
        ]),
        vec![
            s("CG-1"),
            s("老街改造"),
            s("前期"),
            n(900.0),
            n(300.0),
            n(700.0),
            n(580.0),
            n(120.0),
            n(40.0),
        ],
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    assert_eq!(
        by_name(&b, "老街改造").rec.num(project::YTD_DONE),
        Some(120.0)
    );
    let unknown: Vec<_> = findings(&b, Code::HeaderUnknownColumn)
        .iter()
        .map(|f| f.cell.clone().unwrap())
        .collect();
    assert_eq!(unknown, ["F1", "G1", "I1"]);
}

#[test]
fn projects_without_id_are_keyed_by_name_and_milestones_find_them_by_name() {
    let w = Work::new(&roster());
    let header = row(&[
        "序号",
        "项目名称",
        "项目类别",
        "总投资",
        "年度计划投资",
        "累计完成投资",
    ]);
    let p = |name: &str, ytd: f64| vec![n(1.0), s(name), s("前期"), n(900.0), n(300.0), n(ytd)];
    let ms = vec![
        row(&["项目名称", "节点名称", "计划完成日期", "实际完成日期"]),
        row(&["老 街改造", "完成用地审批", "2026-03-31", ""]),
        row(&["不存在的项目", "开工", "2026-03-31", ""]),
    ];
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[
            sheet(
                "项目",
                vec![header.clone(), p("老街改造", 120.0), p("新区路网", 50.0)],
            ),
            sheet("节点", ms),
        ],
    );
    // The same projects by name in another unit's file, for 城关镇 (责任单位):
    // identical is merged once, a conflicting one rejected everywhere.
    let header2 = row(&[
        "序号",
        "项目名称",
        "责任单位",
        "项目类别",
        "总投资",
        "年度计划投资",
        "累计完成投资",
    ]);
    let p2 = |name: &str, ytd: f64| {
        vec![
            n(1.0),
            s(name),
            s("城关镇"),
            s("前期"),
            n(900.0),
            n(300.0),
            n(ytd),
        ]
    };
    write_xlsx(
        &w.inbox("河口镇.xlsx"),
        &[sheet(
            "项目",
            vec![
                row(&["填报单位:河口镇"]),
                header2,
                p2("新区 路网", 50.0),
                p2("老街改造", 99.0),
            ],
        )],
    );
    let b = w.run();
    assert_balanced(&b);
    // 新区路网 from both: identical, merged once.
    let m = by_name(&b, "新区路网");
    assert_eq!(m.sources.len(), 2);
    assert!(m.rec.project_id().is_none());
    assert_eq!(m.rec.project_key(), "name:新区路网");
    // 老街改造 conflicts: rejected in both, naming the field project_name.
    assert!(b.merged.rows[0]
        .iter()
        .all(|m| m.rec.project_name() != Some("老街改造")));
    let conflicts = findings(&b, Code::RowDuplicateConflict);
    assert_eq!(conflicts.len(), 2);
    assert!(conflicts.iter().all(|f| f.field == Some("project_name")));
    // The milestone of the rejected project is rejected; the unknown one too.
    let unknown = findings(&b, Code::RowUnknownProject);
    assert_eq!(unknown.len(), 2, "{unknown:#?}");
    assert!(unknown.iter().all(|f| f.field == Some("project_name")));
    assert_eq!(b.counts(TableKind::Projects).merged, 2);
}

#[test]
fn milestone_by_name_counts_for_its_project_unit() {
    let w = Work::new(&roster());
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[
            sheet(
                "项目",
                vec![
                    row(&[
                        "序号",
                        "项目名称",
                        "项目类别",
                        "总投资",
                        "年度计划投资",
                        "累计完成投资",
                    ]),
                    vec![
                        n(1.0),
                        s("老街改造"),
                        s("前期"),
                        n(900.0),
                        n(300.0),
                        n(10.0),
                    ],
                ],
            ),
            sheet(
                "节点",
                vec![
                    row(&["项目名称", "节点名称", "计划完成日期", "实际完成日期"]),
                    row(&["老街改造", "完成用地审批", "2026-03-31", ""]),
                ],
            ),
        ],
    );
    let b = w.run();
    let ms = &b.merged.rows[1];
    assert_eq!(ms.len(), 1, "{:#?}", b.findings());
    assert_eq!(ms[0].rec.unit, Some(0));
    assert_balanced(&b);
}

#[test]
fn started_without_a_date_and_conflicts_with_the_date() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "项目编号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "累计完成投资",
            "计划开工日期",
            "是否开工",
        ]),
        row(&["A", "甲", "新建", "100", "50", "10", "2026-01-01", "是"]),
        row(&["B", "乙", "新建", "100", "50", "0", "2026-01-01", "否"]),
        row(&["C", "丙", "续建", "100", "50", "0", "2026-01-01", "√"]),
        row(&["D", "丁", "续建", "100", "50", "0", "2026-01-01", ""]),
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let a = diaodu::assess::assess(&b).unwrap();
    let cg = &a.metrics.units[0].fig;
    assert_eq!(cg.projects_new_cont, 4);
    assert_eq!(cg.started, 2, "甲 and 丙 started by 是否开工");
    assert_eq!(cg.start_rate, Some(0.5));
    // Not started and due: 乙 and 丁 overdue (F04), 甲 and 丙 not.
    assert_eq!(cg.overdue_not_started, 2);
    assert!(by_name(&b, "甲").rec.date(project::ACTUAL_START).is_none());

    // Both columns: the date decides, row/start-conflict names both cells.
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "项目编号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "累计完成投资",
            "计划开工日期",
            "实际开工日期",
            "是否开工",
        ]),
        row(&["A", "甲", "新建", "100", "50", "10", "2026-01-01", "", "是"]),
        row(&[
            "B",
            "乙",
            "新建",
            "100",
            "50",
            "0",
            "2026-01-01",
            "2026-02-01",
            "否",
        ]),
        row(&[
            "C",
            "丙",
            "新建",
            "100",
            "50",
            "0",
            "2026-01-01",
            "2026-02-01",
            "是",
        ]),
        // 是 with a date after the period end: kept, not started (§9.4).
        row(&[
            "D",
            "丁",
            "新建",
            "100",
            "50",
            "0",
            "2026-01-01",
            "2026-07-01",
            "是",
        ]),
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let f = findings(&b, Code::RowStartConflict);
    assert_eq!(f.len(), 3, "{f:#?}");
    assert!(findings(&b, Code::RowStartAfterPeriod).is_empty());
    assert_eq!(f[0].cell.as_deref(), Some("I2"));
    assert_eq!(f[0].places[0].cell.as_deref(), Some("H2"));
    assert_eq!(f[0].field, None);
    let a = diaodu::assess::assess(&b).unwrap();
    // 甲: 是 without a date → not started (the date decides); 乙, 丙 started.
    assert_eq!(a.metrics.units[0].fig.started, 2);
    assert_eq!(b.counts(TableKind::Projects).merged, 4);
}

#[test]
fn no_planned_start_column_means_no_f04_and_is_counted() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "项目编号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "累计完成投资",
        ]),
        row(&["A", "甲", "新建", "100", "50", "10"]),
        row(&["B", "乙", "前期", "100", "50", "10"]),
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    assert_eq!(
        b.counts(TableKind::Projects).merged,
        2,
        "{:#?}",
        b.findings()
    );
    let a = diaodu::assess::assess(&b).unwrap();
    assert_eq!(
        a.metrics.units[0].fig.no_planned_start, 1,
        "前期 is never due"
    );
    assert_eq!(a.metrics.county.no_planned_start, 1);
    assert_eq!(a.metrics.units[0].fig.due_to_start, 0);
    assert!(a.flags.iter().all(|f| f.code != FlagCode::F04));
    let j = diaodu::runreport::from_assessment(&b, &a);
    assert_eq!(j["county"]["no_planned_start"], 1);
    assert_eq!(j["merged"]["projects"][0]["key"], "id:A");
}

#[test]
fn section_rows_give_category_and_unit() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "序号",
            "项目名称",
            "建设性质",
            "总投资",
            "年度计划投资",
            "累计完成投资",
        ]),
        row(&["一、城关镇（2项）"]),
        row(&["（一）新建项目"]),
        vec![n(1.0), s("甲"), s(""), n(100.0), n(50.0), n(10.0)],
        row(&["（二）续建项目（1个）"]),
        vec![n(2.0), s("乙"), s(""), n(100.0), n(50.0), n(10.0)],
        row(&["二、河口镇"]),
        row(&["在建项目"]),
        vec![n(3.0), s("丙"), s("前期"), n(100.0), n(50.0), n(10.0)],
        vec![n(4.0), s("丁"), s(""), n(100.0), n(50.0), n(10.0)],
    ];
    write_xlsx(&w.inbox("全区台账.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let cat = |name: &str| {
        by_name(&b, name)
            .rec
            .text(project::CATEGORY)
            .map(str::to_string)
    };
    assert_eq!(cat("甲").as_deref(), Some("新建"));
    assert_eq!(cat("乙").as_deref(), Some("续建"));
    assert_eq!(cat("丙").as_deref(), Some("前期"), "its own category wins");
    assert_eq!(cat("丁").as_deref(), Some("续建"), "在建项目 is 续建");
    assert_eq!(by_name(&b, "甲").rec.unit, Some(0));
    assert_eq!(by_name(&b, "丁").rec.unit, Some(1));
    // Two units named: a consolidated table.
    let f = &b.merged.files[0];
    assert!(f.consolidated);
    assert_eq!(f.unit, None);
    assert_eq!(f.unit_from, Some(UnitFrom::Column));
    assert_balanced(&b);
}

#[test]
fn a_consolidated_table_submits_for_every_unit_it_names() {
    let w = Work::new(&roster());
    let mut rows = vec![row(LEDGER)];
    rows.push(ledger_row(1.0, "甲", "城关镇", "新建", "是", 10.0));
    rows.push(ledger_row(2.0, "乙", "县交通局", "续建", "否", 20.0));
    rows.push(ledger_row(3.0, "丙", "县住建局", "续建", "是", 30.0));
    write_xlsx(&w.inbox("全区重点项目.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    assert_balanced(&b);
    assert_eq!(
        b.counts(TableKind::Projects).merged,
        3,
        "{:#?}",
        b.findings()
    );
    let a = diaodu::assess::assess(&b).unwrap();
    let submitted: Vec<&str> = a
        .metrics
        .units
        .iter()
        .filter(|u| u.submitted)
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(submitted, ["城关镇", "县交通运输局", "县住房和城乡建设局"]);
    let f01: Vec<&str> = a
        .flags
        .iter()
        .filter(|f| f.code == FlagCode::F01)
        .map(|f| f.unit.as_str())
        .collect();
    assert_eq!(f01.len(), 2, "河口镇 and 东湖街道 still missing: {f01:?}");
    let j = diaodu::runreport::from_assessment(&b, &a);
    assert_eq!(j["files"][0]["unit"], serde_json::Value::Null);
    assert_eq!(j["files"][0]["unit_from"], "column");
    assert_eq!(j["county"]["no_planned_start"], 3);
    assert_eq!(j["county"]["started"], 2);
    assert_eq!(
        j["merged"]["projects"][0]["project_id"],
        serde_json::Value::Null
    );
    assert_eq!(j["merged"]["projects"][0]["key"], "name:甲");
}

#[test]
fn hidden_columns_and_sheets_are_read_a_repeated_sheet_once() {
    let w = Work::new(&roster());
    let mut body = vec![row(LEDGER)];
    body.push(ledger_row(1.0, "甲", "城关镇", "新建", "是", 10.0));
    body.push(ledger_row(2.0, "乙", "河口镇", "续建", "否", 20.0));
    let mut titled = vec![
        row(&["XX区2026年重点项目投资路线图及5月进展情况表"]),
        row(&["单位：万元"]),
    ];
    titled.extend(body.clone());
    let mut first = own("投资路线图", titled);
    first.hidden_cols = vec![6, 7];
    let mut copy = own("副本", body);
    copy.hidden_cols = vec![6, 7];
    copy.hidden = true;
    write_own(&w.inbox("台账.xlsx"), &[first, copy]);
    let b = w.run();
    assert_eq!(
        b.counts(TableKind::Projects).read,
        2,
        "the copy is not read"
    );
    assert_eq!(by_name(&b, "甲").rec.text(project::CATEGORY), Some("新建"));
    let f = findings(&b, Code::FileDuplicateSheet);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].sheet.as_deref(), Some("副本"));
    assert_eq!(f[0].places[0].sheet, "投资路线图");
    assert!(findings(&b, Code::RowDuplicateIdentical).is_empty());
    assert!(findings(&b, Code::FileOtherPeriod).is_empty());
}

#[test]
fn a_title_naming_another_period_is_warned_and_read() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&["城关镇重点项目进展表(2026年4月)"]),
        row(&["填报单位:城关镇  填报日期:2026年6月3日"]),
        row(&[
            "项目编号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "累计完成投资",
        ]),
        row(&["A", "甲", "前期", "100", "50", "10"]),
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let f = findings(&b, Code::FileOtherPeriod);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, diaodu::Severity::Warning);
    assert!(f[0].message.contains("2026年4月"), "{}", f[0].message);
    assert_eq!(b.counts(TableKind::Projects).merged, 1);
}

#[test]
fn forms_toml_maps_headers_values_and_unit_names_and_is_recorded() {
    let w = Work::new(&roster());
    std::fs::write(
        w.path().join("forms.toml"),
        r#"
[headers.projects]
"项目层次" = "ignore"
"1-{m}月完成投资额" = "ytd_done"
"年初计划" = "annual_plan"
[values.category]
"技改" = "续建"
[units]
"老城改造指挥部（办公室设在住建局）" = "县住房和城乡建设局"
"#,
    )
    .unwrap();
    let rows = vec![
        row(&[
            "序号",
            "项目名称",
            "项目层次",
            "责任单位",
            "建设性质",
            "总投资",
            "年初计划",
            "1-5月完成投资额",
        ]),
        row(&[
            "1",
            "甲",
            "市重点",
            "老城改造指挥部（办公室设在住建局）",
            "技改",
            "100",
            "50",
            "10",
        ]),
    ];
    write_xlsx(&w.inbox("住建.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let r = &by_name(&b, "甲").rec;
    assert_eq!(r.num(project::YTD_DONE), Some(10.0));
    assert_eq!(r.num(project::ANNUAL_PLAN), Some(50.0));
    assert_eq!(r.text(project::CATEGORY), Some("续建"));
    assert_eq!(r.unit, Some(4));
    assert!(
        findings(&b, Code::HeaderUnknownColumn).is_empty(),
        "项目层次 is ignored"
    );
    let a = diaodu::assess::assess(&b).unwrap();
    let j = diaodu::runreport::from_assessment(&b, &a);
    let forms = &j["run"]["forms"];
    assert_eq!(forms["file"], "forms.toml");
    assert_eq!(forms["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(forms["entries"].as_array().unwrap().len(), 5);
}

#[test]
fn forms_toml_with_an_unknown_field_stops_the_run_naming_it() {
    let w = Work::new(&roster());
    std::fs::write(
        w.path().join("forms.toml"),
        "[headers.projects]\n\"1-{m}月完成投资额\" = \"ytd\"\n",
    )
    .unwrap();
    let out = Command::new(BIN).arg("run").arg(w.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("forms.toml") && err.contains("\"ytd\""),
        "{err}"
    );
    std::fs::write(w.path().join("forms.toml"), "[header.projects]\n").unwrap();
    let out = Command::new(BIN).arg("run").arg(w.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("header"));
}

#[test]
fn inspect_prints_each_columns_field_what_is_lacking_and_a_headers_block() {
    let w = Work::new(&roster());
    let rows = vec![
        row(LEDGER
            .iter()
            .copied()
            .chain(["手续代办单位", "开工累计完成投资"])
            .collect::<Vec<_>>()
            .as_slice()),
        ledger_row(1.0, "甲", "城关镇", "新建", "是", 10.0),
    ];
    write_xlsx(&w.inbox("台账.xlsx"), &[sheet("Sheet1", rows)]);
    let out = Command::new(BIN)
        .args(["inspect", "--period", "2026-05"])
        .arg(w.inbox("台账.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("重点项目表"), "{text}");
    assert!(text.contains("\"5月进展情况\" → progress_note"), "{text}");
    assert!(text.contains("\"累计完成投资\" → ytd_done"), "{text}");
    assert!(text.contains("\"是否开工\" → started"), "{text}");
    assert!(text.contains("计划开工日期:不判定逾期未开工"), "{text}");
    assert!(text.contains("项目编号:按项目名称识别项目"), "{text}");
    assert!(text.contains("[headers.projects]"), "{text}");
    assert!(text.contains("# \"手续代办单位\""), "{text}");
    assert!(
        text.contains("\"开工累计完成投资\" → 不使用:不是本年数据"),
        "{text}"
    );
    assert!(!text.contains("\"开工累计完成投资\" → ytd_done"));
    // A file that cannot be read: exit 2, naming it.
    std::fs::write(w.inbox("坏.xlsx"), b"not a workbook").unwrap();
    let out = Command::new(BIN)
        .arg("inspect")
        .arg(w.inbox("坏.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("坏.xlsx"));
}

#[test]
fn a_table_that_does_not_map_points_the_clerk_to_inspect() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&["序号", "项目名称", "建设内容", "总投资", "备注"]),
        row(&["1", "甲", "道路", "100", ""]),
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let f = findings(&b, Code::FileNoTable);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("diaodu inspect"), "{}", f[0].message);
    assert_eq!(b.merged.files[0].status, FileStatus::Unreadable);
}

/// The district's real 108-project table of ../shared/real-forms, end to end
/// with a roster of its units and a forms.toml for its 指挥部 names.
#[test]
fn the_districts_own_table_runs_end_to_end() {
    let src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-forms/alzee__fgw/fuck.xls");
    if !src.exists() {
        if std::env::var_os("DIAODU_REQUIRE_SHARED").is_some() {
            panic!(
                "{} missing: ../shared must sit beside the project",
                src.display()
            );
        }
        eprintln!(
            "skipped: {} not found (../shared is not beside this clone)",
            src.display()
        );
        return;
    }
    let w = Work::new(&district_roster());
    std::fs::write(w.path().join("diaodu.toml"), "period = \"2020-05\"\n").unwrap();
    std::fs::write(w.path().join("forms.toml"), DISTRICT_FORMS).unwrap();
    std::fs::copy(&src, w.inbox("fuck.xls")).unwrap();
    let b = w.run();
    assert_balanced(&b);
    let c = b.counts(TableKind::Projects);
    // The repeated sheet is read once: 108 projects read.
    assert_eq!(c.read, 108, "{c:?}");
    // Two rows rejected: a 指挥部 no roster unit stands for (E77, left out of
    // forms.toml on purpose) and a blank 累计完成投资 (M41, not read as 0).
    assert_eq!((c.merged, c.rejected), (106, 2), "{c:?}");
    let errors: Vec<String> = b
        .findings()
        .iter()
        .filter(|f| f.severity == diaodu::Severity::Error)
        .map(|f| format!("{}:{}", f.code.as_str(), f.cell.clone().unwrap_or_default()))
        .collect();
    assert_eq!(errors, ["cell/missing-value:M41", "row/unknown-unit:E77"]);
    assert_eq!(findings(&b, Code::FileDuplicateSheet).len(), 1);
    // 累计完成投资 is this year's; the hidden 建设性质 and 是否开工 are read.
    let r = &by_name(&b, "东风商用车（西坪）联合新工厂").rec;
    assert_eq!(r.num(project::YTD_DONE), Some(65000.0));
    assert_eq!(r.text(project::CATEGORY), Some("续建"));
    assert_eq!(r.text(project::STARTED), Some("是"));
    assert!(b.merged.files[0].consolidated);
}

fn district_roster() -> Vec<(&'static str, &'static str, f64, f64, &'static str)> {
    DISTRICT_UNITS
        .iter()
        .map(|(name, kind, alias)| (*name, *kind, 100000.0, 10000.0, *alias))
        .collect()
}

/// The units the district's 责任单位 column names (read off the file).
const DISTRICT_UNITS: &[(&str, &str, &str)] = &[
    ("东城开发区", "部门", ""),
    ("二堰街办", "乡镇", "二堰街道"),
    ("武当路街办", "乡镇", "武当路街道"),
    ("五堰街办", "乡镇", "五堰街道"),
    ("茅塔乡", "乡镇", ""),
    ("大川镇", "乡镇", ""),
    ("区住建局", "部门", "住建局"),
    ("区交通局", "部门", "交通局"),
    ("区教育局", "部门", ""),
    ("区城区改造更新中心", "部门", "区城更中心"),
    ("赛武当管理局", "部门", "赛管局"),
    ("区自然资源和规划分局", "部门", "自然资源和规划局茅箭分局"),
    ("区农业农村局", "部门", ""),
    ("区水利湖泊局", "部门", ""),
    ("区民政局", "部门", ""),
    ("区卫健局", "部门", ""),
];

/// The district's 指挥部 names, each for the office it sits in; one
/// (许白路…指挥部, no office named) is left out on purpose.
const DISTRICT_FORMS: &str = r#"
[headers.projects]
"层次" = "ignore"
"手续代办单位" = "ignore"
"年度建设任务" = "ignore"

[units]
"武当路复线等市政道路PPP项目建设拆迁协调服务领导小组（办公室设在住建局）" = "区住建局"
"林荫大道二号线建设工程指挥部（办公室设在住建局）" = "区住建局"
"茅箭区重资产建设工作领导小组(办公室设在东城开发区)" = "东城开发区"
"百强世纪城项目协调服务指挥部（办公室设在五堰街办）" = "五堰街办"
"百二河水资源配置工程建设协调服务领导小组（办公室设在区城更中心）" = "区城区改造更新中心"
"滨江新区至武当山玄岳门一级公路建设茅箭段协调指挥部（办公室设在交通局）" = "区交通局"
"火车站北广场项目协调服务指挥部（办公室设在二堰街办）" = "二堰街办"
"G209十堰城区垭子至大川段改扩建工程征迁协调指挥部（办公室设在交通局）" = "区交通局"
"十堰市东方伊顿学校建设项目协调指挥部（办公室设在区教育局）" = "区教育局"
"#;

#[test]
fn check_reads_a_units_own_form_with_the_offices_forms_toml() {
    let w = Work::new(&roster());
    let forms = w.path().join("forms.toml");
    std::fs::write(
        &forms,
        "[headers.projects]\n\"年初计划\" = \"annual_plan\"\n[units]\n\"老城指挥部\" = \"县住房和城乡建设局\"\n",
    )
    .unwrap();
    let rows = vec![
        row(&[
            "序号",
            "项目名称",
            "责任单位",
            "建设性质",
            "总投资",
            "年初计划",
            "累计完成投资",
        ]),
        row(&["1", "甲", "老城指挥部", "前期", "100", "50", "10"]),
    ];
    let file = w.inbox("住建.xlsx");
    write_xlsx(&file, &[sheet("Sheet1", rows)]);
    let check = |with_forms: bool| {
        let mut c = Command::new(BIN);
        c.arg("check")
            .arg(&file)
            .args(["--period", "2026-05", "--roster"]);
        c.arg(w.path().join("roster.xlsx"));
        if with_forms {
            c.arg("--forms").arg(&forms);
        }
        c.output().unwrap()
    };
    let out = check(true);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("重点项目 1 行"), "{text}");
    // Without the office's words the 指挥部 is no roster unit and 年初计划 no column.
    let out = check(false);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("row/unknown-unit") || text.contains("header/missing-field"),
        "{text}"
    );
}

/// samples/own-form: the office's ledger and units' files in other real
/// layouts, every row merged, every file explained by `inspect`.
#[test]
fn the_own_form_sample_reads_every_project_of_the_ledger() {
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/own-form");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut c = diaodu::Config::load(&work, &Default::default(), today).unwrap();
    c.child_exe = Some(std::path::PathBuf::from(BIN));
    let b = diaodu::run(c).unwrap();
    assert_balanced(&b);
    let p = b.counts(TableKind::Projects);
    assert_eq!(
        (p.read, p.merged, p.rejected),
        (30, 30, 0),
        "{:#?}",
        b.findings()
    );
    assert_eq!(b.counts(TableKind::Milestones).rejected, 0);
    assert_eq!(b.counts(TableKind::Attraction).rejected, 0);
    let ledger = b
        .merged
        .files
        .iter()
        .find(|f| f.name.starts_with("区重点项目台账"))
        .unwrap();
    assert!(ledger.consolidated);
    assert_eq!(ledger.counts[0].merged, 25);
    assert_eq!(findings(&b, Code::FileDuplicateSheet).len(), 1);
    // 开工至上年底累计完成投资 beside this year's figures is never ytd_done.
    let hekou: Vec<_> = b.merged.rows[0]
        .iter()
        .filter(|m| m.rec.src.file.starts_with("河口镇"))
        .collect();
    assert_eq!(hekou.len(), 5);
    assert!(findings(&b, Code::HeaderUnknownColumn).iter().any(|f| f
        .value
        .as_deref()
        .is_some_and(|v| v.starts_with("开工至上年底累计"))));
    let a = diaodu::assess::assess(&b).unwrap();
    assert_eq!(a.metrics.units_submitted(), a.metrics.units.len());
    for f in std::fs::read_dir(work.join("inbox")).unwrap() {
        let f = f.unwrap().path();
        let out = Command::new(BIN)
            .args(["inspect", "--period", "2026-10", "--forms"])
            .arg(work.join("forms.toml"))
            .arg(&f)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", f.display());
        assert!(text.contains(" → "), "{}: {text}", f.display());
        assert!(
            !text.contains("缺少识别它所需的栏目"),
            "{}: {text}",
            f.display()
        );
    }
}

/// Every file of ../shared/real-forms: `check` finds a table or says what the
/// sheet lacks, on one line naming the file; `inspect` explains every sheet.
#[test]
fn every_real_form_is_read_or_explained() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-forms");
    if !have_shared("every_real_form_is_read_or_explained") {
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).into_iter().flatten())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xls" || e == "xlsx"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 25);
    let mut tables = 0;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let out = Command::new(BIN)
            .args(["check", "--period", "2020-05"])
            .arg(f)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {text}");
        if text.contains("file/no-table") {
            let line = text.lines().find(|l| l.contains("file/no-table")).unwrap();
            assert!(line.contains(&name), "{line}");
        } else {
            tables += 1;
        }
        let out = Command::new(BIN)
            .args(["inspect", "--period", "2020-05"])
            .arg(f)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert!(text.contains("工作表"), "{name}: {text}");
    }
    // fuck.xls, 年度目标及形象进度完成情况汇总表, 项目资金拼盘及到位汇总表,
    // 重点项目月报表(在建、筹建), 导入模板 and the 2010 tables whose headers
    // name their own period are found in a 2020 run.
    assert!(
        tables >= 5,
        "{tables} of {} files hold a table",
        files.len()
    );
}

#[test]
fn a_subtotal_under_its_heading_totals_its_section_and_a_total_above_totals_all() {
    let w = Work::new(&roster());
    let rows = vec![
        row(&[
            "序号",
            "项目名称",
            "项目类别",
            "总投资",
            "年度计划投资",
            "累计完成投资",
        ]),
        vec![s("合计"), s("3个"), s(""), n(300.0), n(150.0), n(30.0)],
        row(&["一、新建项目"]),
        vec![s("小计"), s(""), s(""), n(200.0), n(100.0), n(20.0)],
        vec![n(1.0), s("甲"), s(""), n(100.0), n(50.0), n(10.0)],
        vec![n(2.0), s("乙"), s(""), n(100.0), n(50.0), n(10.0)],
        row(&["二、前期项目"]),
        vec![s("小计"), s(""), s(""), n(100.0), n(50.0), n(99.0)],
        vec![n(3.0), s("丙"), s(""), n(100.0), n(50.0), n(10.0)],
    ];
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    assert_eq!(
        b.counts(TableKind::Projects).merged,
        3,
        "{:#?}",
        b.findings()
    );
    assert_eq!(by_name(&b, "丙").rec.text(project::CATEGORY), Some("前期"));
    // Only the second section's 小计 is wrong (99 against 10).
    let f = findings(&b, Code::RowTotalMismatch);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].cell.as_deref(), Some("F8"));
}

#[test]
fn a_project_in_its_units_file_and_in_the_ledger_is_a_duplicate() {
    let w = Work::new(&roster());
    // The unit's own file with 项目编号; the office's ledger without.
    write_xlsx(
        &w.inbox("城关镇.xlsx"),
        &[sheet(
            "Sheet1",
            vec![
                row(&[
                    "项目编号",
                    "项目名称",
                    "项目类别",
                    "总投资",
                    "年度计划投资",
                    "累计完成投资",
                ]),
                row(&["CG-1", "老街改造", "前期", "100", "50", "10"]),
                row(&["CG-2", "新区路网", "前期", "100", "50", "10"]),
            ],
        )],
    );
    let mut ledger = vec![row(LEDGER)];
    ledger.push(ledger_row(1.0, "老街改造", "城关镇", "前期", "否", 10.0));
    ledger.push(ledger_row(2.0, "新区路网", "城关镇", "前期", "否", 77.0));
    ledger.push(ledger_row(3.0, "河口大桥", "河口镇", "前期", "否", 5.0));
    // The ledger's totals and plans differ from the unit's form (1000/500):
    // compared on the fields both have, its 总投资 1000 ≠ 100.
    for r in ledger.iter_mut().skip(1) {
        r[4] = n(100.0);
        r[5] = n(50.0);
    }
    write_xlsx(&w.inbox("台账.xlsx"), &[sheet("Sheet1", ledger)]);
    let b = w.run();
    assert_balanced(&b);
    // 老街改造: identical on the common fields, held once, with its 项目编号.
    let m = by_name(&b, "老街改造");
    assert_eq!(m.sources.len(), 2);
    assert_eq!(m.rec.project_id(), Some("CG-1"));
    // 新区路网: 77 against 10, rejected in both.
    assert!(b.merged.rows[0]
        .iter()
        .all(|m| m.rec.project_name() != Some("新区路网")));
    assert_eq!(findings(&b, Code::RowDuplicateConflict).len(), 2);
    assert_eq!(b.counts(TableKind::Projects).merged, 3);
}

#[test]
fn generic_cumulative_beside_this_years_figure_is_since_the_start() {
    // A 调度 system's import template: 累计完成投资 (since the start of works)
    // beside 今年已完成投资 (this year), in either order.
    for (header, values) in [
        (["累计完成投资", "今年已完成投资"], [700.0, 120.0]),
        (["今年已完成投资", "累计完成投资"], [120.0, 700.0]),
    ] {
        let w = Work::new(&roster());
        let mut h = vec![
            "项目代码",
            "项目名称",
            "项目类型",
            "计划总投资",
            "年计划完成投资",
        ];
        h.extend(header);
        let rows = vec![
            row(&h),
            vec![
                s("A"),
                s("甲"),
                s("前期"),
                n(900.0),
                n(300.0),
                n(values[0]),
                n(values[1]),
            ],
        ];
        write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
        let b = w.run();
        assert_eq!(
            by_name(&b, "甲").rec.num(project::YTD_DONE),
            Some(120.0),
            "{header:?}"
        );
        let d = findings(&b, Code::HeaderDuplicateColumn);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("开工以来"), "{}", d[0].message);
    }
}

#[test]
fn a_ledger_with_the_offices_own_name_as_submitter_is_consolidated() {
    // "填报单位:县发改局" is the office, not a roster unit: the ledger still
    // submits for every unit it names (a roster unit in the note would be
    // the submitter, §9.9.1).
    let w = Work::new(&roster());
    let mut rows = vec![row(&["填报单位:县发展和改革局"]), row(LEDGER)];
    rows.push(ledger_row(1.0, "甲", "城关镇", "新建", "是", 10.0));
    rows.push(ledger_row(2.0, "乙", "河口镇", "续建", "否", 20.0));
    write_xlsx(&w.inbox("全县台账.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let f = &b.merged.files[0];
    assert!(f.consolidated);
    assert_eq!(f.unit, None);
    assert_eq!(b.merged.submitted(5)[..2], [true, true]);
    assert!(findings(&b, Code::FileUnitFallback).is_empty());
    // With a roster unit in the note, that unit is the submitter.
    let w = Work::new(&roster());
    let mut rows = vec![row(&["填报单位:城关镇"]), row(LEDGER)];
    rows.push(ledger_row(1.0, "甲", "城关镇", "新建", "是", 10.0));
    rows.push(ledger_row(2.0, "乙", "河口镇", "续建", "否", 20.0));
    write_xlsx(&w.inbox("城关镇.xlsx"), &[sheet("Sheet1", rows)]);
    let b = w.run();
    let f = &b.merged.files[0];
    assert!(!f.consolidated);
    assert_eq!(f.unit, Some(0));
    assert_eq!(b.merged.submitted(5)[..2], [true, false]);
}
