//! Test helpers: exact-case workbooks built in code, and a work folder.
#![allow(dead_code)]

pub mod zipedit;

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::path::{Path, PathBuf};

/// A cell to put in a test workbook.
#[derive(Clone, Debug)]
pub enum C {
    E,
    S(String),
    N(f64),
    /// A real Excel date cell.
    D(NaiveDate),
    /// A formula with its cached result.
    F(String, String),
}

pub fn s(v: &str) -> C {
    if v.is_empty() {
        C::E
    } else {
        C::S(v.to_string())
    }
}

pub fn n(v: f64) -> C {
    C::N(v)
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A row of text cells from a list of &str ("" is empty).
pub fn row(cells: &[&str]) -> Vec<C> {
    cells.iter().map(|c| s(c)).collect()
}

pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<C>>,
    /// (first_row, first_col, last_row, last_col, text)
    pub merges: Vec<(u32, u16, u32, u16, String)>,
}

pub fn sheet(name: &str, rows: Vec<Vec<C>>) -> Sheet {
    Sheet {
        name: name.into(),
        rows,
        merges: vec![],
    }
}

pub fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for sh in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sh.name).unwrap();
        for (r, cells) in sh.rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    C::E => {}
                    C::S(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    C::N(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    C::D(dt) => {
                        let x = ExcelDateTime::from_ymd(
                            dt.format("%Y").to_string().parse().unwrap(),
                            dt.format("%m").to_string().parse().unwrap(),
                            dt.format("%d").to_string().parse().unwrap(),
                        )
                        .unwrap();
                        ws.write_datetime_with_format(r, c, &x, &date_fmt).unwrap();
                    }
                    C::F(f, res) => {
                        ws.write_formula(r, c, Formula::new(f).set_result(res))
                            .unwrap();
                    }
                }
            }
        }
        for (r0, c0, r1, c1, t) in &sh.merges {
            ws.merge_range(*r0, *c0, *r1, *c1, t, &Format::new())
                .unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// The canonical project header (FORMS.md §2.1).
pub const PROJECT_HEADER: &[&str] = &[
    "项目编号",
    "项目名称",
    "责任单位",
    "包抓领导",
    "项目类别",
    "行业领域",
    "总投资(万元)",
    "年度计划投资(万元)",
    "本月完成投资(万元)",
    "累计完成投资(万元)",
    "计划开工日期",
    "实际开工日期",
    "计划竣工日期",
    "实际竣工日期",
    "形象进度",
    "存在问题",
    "下步措施",
];

pub const MILESTONE_HEADER: &[&str] = &[
    "项目编号",
    "节点名称",
    "计划完成日期",
    "实际完成日期",
    "计划工程量",
    "完成工程量",
    "计量单位",
];

pub const ATTRACTION_HEADER: &[&str] = &[
    "项目名称",
    "引资单位",
    "投资方",
    "资金来源",
    "进展阶段",
    "签约日期",
    "合同金额(万元)",
    "本月到位资金(万元)",
    "累计到位资金(万元)",
];

/// A canonical project row: id, name, unit, category, total, plan, month, ytd, planned start, actual start.
#[allow(clippy::too_many_arguments)]
pub fn project(
    id: &str,
    name: &str,
    unit: &str,
    cat: &str,
    total: f64,
    plan: f64,
    month: f64,
    ytd: f64,
    pstart: &str,
    astart: &str,
) -> Vec<C> {
    vec![
        s(id),
        s(name),
        s(unit),
        s(""),
        s(cat),
        s("工业"),
        n(total),
        n(plan),
        n(month),
        n(ytd),
        s(pstart),
        s(astart),
        s(""),
        s(""),
        s(""),
        s(""),
        s(""),
    ]
}

/// A work folder with a roster and an empty inbox.
pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new(units: &[(&str, &str, f64, f64, &str)]) -> Work {
        let dir = tempfile::tempdir().unwrap();
        let mut rows = vec![row(&[
            "单位名称",
            "单位类别",
            "包抓领导",
            "年度投资目标(万元)",
            "年度招商引资目标(万元)",
            "别名",
        ])];
        for (name, kind, inv, att, aliases) in units {
            rows.push(vec![
                s(name),
                s(kind),
                s("王建国"),
                n(*inv),
                n(*att),
                s(aliases),
            ]);
        }
        write_xlsx(&dir.path().join("roster.xlsx"), &[sheet("单位目标", rows)]);
        std::fs::create_dir(dir.path().join("inbox")).unwrap();
        std::fs::write(dir.path().join("diaodu.toml"), "period = \"2026-05\"\n").unwrap();
        Work { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn inbox(&self, name: &str) -> PathBuf {
        self.dir.path().join("inbox").join(name)
    }

    /// Set an inbox file's modification time (seconds since 1970).
    pub fn set_mtime(&self, name: &str, secs: u64) {
        let f = std::fs::File::options()
            .write(true)
            .open(self.inbox(name))
            .unwrap();
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
            .unwrap();
    }

    pub fn config(&self) -> diaodu::Config {
        let mut c = diaodu::Config::load(self.path(), &Default::default(), d(2026, 6, 10)).unwrap();
        c.child_exe = Some(PathBuf::from(env!("CARGO_BIN_EXE_diaodu")));
        c
    }

    pub fn run(&self) -> diaodu::Batch {
        diaodu::run(self.config()).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// The standard test roster.
pub fn roster() -> Vec<(&'static str, &'static str, f64, f64, &'static str)> {
    vec![
        ("城关镇", "乡镇", 10000.0, 5000.0, ""),
        ("河口镇", "乡镇", 8000.0, 4000.0, ""),
        ("东湖街道", "街道", 6000.0, 3000.0, ""),
        ("县交通运输局", "部门", 30000.0, 2000.0, "县交通局;交通局"),
        (
            "县住房和城乡建设局",
            "部门",
            20000.0,
            1000.0,
            "县住建局、住建局",
        ),
    ]
}

// ---- Reading a written workbook back ----

use calamine::{open_workbook_auto, Data, Range, Reader};

/// A sheet of a written workbook.
pub fn range(path: &Path, name: &str) -> Range<Data> {
    open_workbook_auto(path)
        .unwrap()
        .worksheet_range(name)
        .unwrap()
}

/// A cell as text (numbers without a trailing ".0").
pub fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => diaodu::ingest::cell::fmt_num(*f),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A numeric cell.
pub fn float(c: &Data) -> f64 {
    match c {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The rows of a table whose header row is at `header` (0-based in the
/// range), as header → cell maps.
/// The rows of the table whose header is row `header`, each keyed by its
/// header's text (a long header is written on two lines: keyed as one).
pub fn table(r: &Range<Data>, header: usize) -> Vec<std::collections::HashMap<String, Data>> {
    let rows: Vec<&[Data]> = r.rows().collect();
    let heads: Vec<String> = rows[header]
        .iter()
        .map(|h| text(h).replace('\n', ""))
        .collect();
    rows[header + 1..]
        .iter()
        .map(|row| heads.iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

/// Copy a work folder, leaving out its outputs and history (so a developer's
/// own runs of the demo do not leak into a test).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "out" && e.file_name() != "history" {
                copy_tree(&e.path(), &t);
            }
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

/// Whether ../shared (the corpus, the real forms) sits beside the project. A
/// fresh clone has no ../shared: a test that needs it says so and skips; CI
/// sets DIAODU_REQUIRE_SHARED, and there its absence fails the test.
pub fn have_shared(test: &str) -> bool {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return true;
    }
    if std::env::var_os("DIAODU_REQUIRE_SHARED").is_some() {
        panic!(
            "{test}: {} not found, and DIAODU_REQUIRE_SHARED is set",
            dir.display()
        );
    }
    eprintln!(
        "{test}: skipped, {} not found (../shared is not beside this clone)",
        dir.display()
    );
    false
}
