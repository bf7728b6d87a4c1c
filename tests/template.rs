//! `diaodu template`: the forms it writes are filled in the way a unit fills
//! them (values typed into the input cells of the very file, everything else
//! — styles, lists, checks, protection, the hidden sheet — left as it is) and
//! read back by the monthly run with no finding; the committed templates are
//! what the command writes today.

mod common;

use chrono::NaiveDate;
use common::d;
use diaodu::forms::TableKind;
use diaodu::merge::UnitFrom;
use diaodu::model::Value;
use diaodu::{Overrides, Severity};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");

fn diaodu(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// What a unit types into a cell.
#[derive(Clone, Debug)]
enum Typed {
    T(&'static str),
    N(f64),
    D(NaiveDate),
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn excel_serial(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days()
}

/// The zip entry of each sheet, by sheet name.
fn sheet_entries(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let wb = String::from_utf8(files["xl/workbook.xml"].clone()).unwrap();
    let rels = String::from_utf8(files["xl/_rels/workbook.xml.rels"].clone()).unwrap();
    let attr = |el: &str, name: &str| -> String {
        let k = format!(" {name}=\"");
        let i = el.find(&k).unwrap() + k.len();
        el[i..i + el[i..].find('"').unwrap()].to_string()
    };
    let mut out = BTreeMap::new();
    for el in wb.split("<sheet ").skip(1) {
        let el = format!(" {}", &el[..el.find("/>").unwrap()]);
        let (name, rid) = (attr(&el, "name"), attr(&el, "r:id"));
        let rel = rels
            .split("<Relationship ")
            .find(|r| r.starts_with(&format!("Id=\"{rid}\"")))
            .unwrap();
        out.insert(name, format!("xl/{}", attr(&format!(" {rel}"), "Target")));
    }
    out
}

/// Type values into the blank input cells of an xlsx and save it as `dst`,
/// the rest of the file untouched. Every edited cell must be an input cell
/// the template wrote (blank, with its style).
fn fill(src: &Path, dst: &Path, edits: &[(&str, String, Typed)]) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut order = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        let name = f.name().unwrap().to_string();
        order.push(name.clone());
        files.insert(name, buf);
    }
    let entries = sheet_entries(&files);
    for (sheet, cell, v) in edits {
        let entry = &entries[*sheet];
        let mut xml = String::from_utf8(files[entry].clone()).unwrap();
        let open = format!("<c r=\"{cell}\" ");
        let at = xml
            .find(&open)
            .unwrap_or_else(|| panic!("{sheet}!{cell} is not an input cell of the template"));
        let end = at + xml[at..].find('>').unwrap();
        assert_eq!(&xml[end - 1..=end], "/>", "{sheet}!{cell} is not blank");
        let attrs = &xml[at + 2..end - 1]; // r="B4" s="5"
        let new = match v {
            Typed::T(t) => format!(
                "<c {attrs} t=\"inlineStr\"><is><t>{}</t></is></c>",
                escape(t)
            ),
            Typed::N(n) => format!("<c {attrs}><v>{n}</v></c>"),
            Typed::D(d) => format!("<c {attrs}><v>{}</v></c>", excel_serial(*d)),
        };
        xml.replace_range(at..=end, &new);
        files.insert(entry.clone(), xml.into_bytes());
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in order {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(&files[&name]).unwrap();
    }
    w.finish().unwrap();
}

/// Column letters of every header of a sheet's header row (row 3), read back
/// from the template itself the way a person finds a column: by its header.
fn columns(path: &Path, sheet: &str) -> BTreeMap<String, String> {
    use calamine::{open_workbook_auto, Reader};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let mut out = BTreeMap::new();
    for c in 0..range.width() as u32 {
        if let Some(v) = range.get_value((diaodu::template::HEADER_ROW, c)) {
            let h = v.to_string();
            if !h.is_empty() {
                out.insert(h, diaodu::ingest::text::col_letters(c));
            }
        }
    }
    out
}

/// The values a unit types into one table, keyed by forms.rs keys.
type Rows = Vec<Vec<(&'static str, Typed)>>;

fn projects() -> Rows {
    use Typed::*;
    vec![
        vec![
            ("project_id", T("CG-2026-01")),
            ("project_name", T("城关镇老旧小区改造")),
            ("leader", T("张三")),
            ("category", T("新建")),
            ("sector", T("社会事业")),
            ("total_invest", N(5000.0)),
            ("annual_plan", N(2000.0)),
            ("month_done", N(300.0)),
            ("ytd_done", N(1200.5)),
            ("planned_start", D(d(2026, 3, 1))),
            ("actual_start", D(d(2026, 3, 15))),
            ("planned_finish", D(d(2027, 6, 30))),
            ("progress_note", T("3 栋主体封顶")),
            ("problems", T("雨季影响工期")),
            ("next_steps", T("加快外墙施工")),
        ],
        vec![
            ("project_id", T("CG-2026-02")),
            ("project_name", T("城关镇至河口镇道路")),
            ("unit", T("县交通运输局")),
            ("category", T("前期")),
            ("total_invest", N(800.0)),
            ("annual_plan", N(100.0)),
            ("ytd_done", N(0.0)),
        ],
    ]
}

fn milestones() -> Rows {
    use Typed::*;
    vec![
        vec![
            ("project_id", T("CG-2026-01")),
            ("milestone", T("开工")),
            ("planned_date", D(d(2026, 3, 1))),
            ("actual_date", D(d(2026, 3, 15))),
        ],
        vec![
            ("project_id", T("CG-2026-01")),
            ("milestone", T("主体完工")),
            ("planned_date", D(d(2026, 9, 30))),
            ("planned_qty", N(12.0)),
            ("done_qty", N(5.5)),
            ("qty_unit", T("栋")),
        ],
    ]
}

fn attraction() -> Rows {
    use Typed::*;
    vec![vec![
        ("project_name", T("城关镇食品产业园")),
        ("investor", T("某食品有限公司")),
        ("source", T("省外")),
        ("stage", T("签约")),
        ("signed_date", D(d(2026, 5, 20))),
        ("contract_amount", N(20000.0)),
        ("month_funds", N(500.0)),
        ("ytd_funds", N(1500.0)),
    ]]
}

fn table_rows(t: TableKind) -> Rows {
    match t {
        TableKind::Projects => projects(),
        TableKind::Milestones => milestones(),
        TableKind::Attraction => attraction(),
    }
}

/// The edits that type `rows` into a sheet of the template at `path`.
fn edits(path: &Path, t: TableKind, rows: &Rows) -> Vec<(&'static str, String, Typed)> {
    let cols = columns(path, t.title());
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for (key, v) in row {
            let col = &cols[t
                .field_by_key(key)
                .expect("a field of the table")
                .spec()
                .header];
            let r = diaodu::template::FIRST_INPUT_ROW + 1 + i as u32;
            out.push((t.title(), format!("{col}{r}"), v.clone()));
        }
    }
    out
}

/// A value as the reader gives it back.
fn expected(v: &Typed) -> Value {
    match v {
        Typed::T(s) => Value::Text(s.to_string()),
        Typed::N(n) => Value::Num(*n),
        Typed::D(d) => Value::Date(*d),
    }
}

fn work_with_roster(tmp: &Path) -> PathBuf {
    // The roster: the blank roster template, filled in by the office.
    let blank = tmp.join("blank");
    ok(&diaodu(&[
        "template",
        "--blank",
        "--out",
        blank.to_str().unwrap(),
    ]));
    let work = tmp.join("work");
    std::fs::create_dir_all(work.join("inbox")).unwrap();
    use Typed::*;
    let units: [[Typed; 6]; 3] = [
        [
            T("城关镇"),
            T("乡镇"),
            T("王建国"),
            N(10000.0),
            N(5000.0),
            T("城关"),
        ],
        [
            T("河口镇"),
            T("乡镇"),
            T("李红"),
            N(8000.0),
            N(4000.0),
            T(""),
        ],
        [
            T("县交通运输局"),
            T("部门"),
            T("赵强"),
            N(30000.0),
            N(2000.0),
            T("县交通局;交通局"),
        ],
    ];
    let mut e = Vec::new();
    for (i, u) in units.iter().enumerate() {
        for (c, v) in u.iter().enumerate() {
            if !matches!(v, T("")) {
                let col = diaodu::ingest::text::col_letters(c as u32);
                e.push(("单位目标", format!("{col}{}", 3 + i), v.clone()));
            }
        }
    }
    fill(&blank.join("roster.xlsx"), &work.join("roster.xlsx"), &e);
    std::fs::write(work.join("diaodu.toml"), "period = \"2026-05\"\n").unwrap();
    work
}

#[test]
fn a_filled_template_reads_back_with_no_findings_and_the_values_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let work = work_with_roster(tmp.path());

    // diaodu.toml says May was the last run: the forms are June's.
    let stdout = ok(&diaodu(&["template", work.to_str().unwrap()]));
    let dir = work.join("templates").join("2026-06");
    assert!(
        stdout.contains(&dir.display().to_string()),
        "where the forms are: {stdout}"
    );
    assert!(stdout.contains("没有历史数据"), "{stdout}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "县交通运输局_2026年06月报表.xlsx",
            "城关镇_2026年06月报表.xlsx",
            "河口镇_2026年06月报表.xlsx"
        ]
    );

    // 城关镇 fills its form in: every table, and the date in the note row.
    let form = dir.join("城关镇_2026年06月报表.xlsx");
    let mut e = Vec::new();
    for t in TableKind::ALL {
        e.extend(edits(&form, t, &table_rows(t)));
    }
    let date_col = diaodu::ingest::text::col_letters(diaodu::template::NOTE_DATE_COL as u32);
    e.push((
        "重点项目",
        format!("{date_col}{}", diaodu::template::NOTE_ROW + 1),
        Typed::D(d(2026, 7, 3)),
    ));
    let filled = work.join("inbox").join("城关镇_2026年06月报表.xlsx");
    fill(&form, &filled, &e);

    let ov = Overrides {
        period: Some("2026-06".into()),
        ..Default::default()
    };
    let mut config = diaodu::Config::load(&work, &ov, d(2026, 7, 10)).unwrap();
    config.child_exe = Some(PathBuf::from(BIN));
    let batch = diaodu::run(config).unwrap();
    let serious: Vec<_> = batch
        .findings()
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(serious.is_empty(), "findings: {serious:#?}");
    assert!(batch.findings().is_empty(), "info: {:#?}", batch.findings());

    let file = &batch.merged.files[0];
    assert_eq!(file.name, "城关镇_2026年06月报表.xlsx");
    assert_eq!(
        file.unit.map(|u| batch.roster.units[u].name.as_str()),
        Some("城关镇")
    );
    assert_eq!(file.unit_from, Some(UnitFrom::Note));
    assert_eq!(file.report_date, Some(d(2026, 7, 3)));

    for t in TableKind::ALL {
        let rows = table_rows(t);
        let merged = &batch.merged.rows[t as usize];
        assert_eq!(merged.len(), rows.len(), "{t:?}");
        let c = batch.counts(t);
        assert_eq!((c.read, c.merged, c.rejected), (rows.len(), rows.len(), 0));
        for (typed, m) in rows.iter().zip(merged) {
            for spec in t.fields() {
                let want = match typed.iter().find(|(k, _)| *k == spec.key) {
                    Some((_, v)) => expected(v),
                    // Blank means 0 for this month's figures.
                    None if matches!(spec.key, "month_done" | "month_funds") => Value::Num(0.0),
                    None => Value::Null,
                };
                assert_eq!(
                    m.rec
                        .get(t.field_by_key(spec.key).expect("a field of the table")),
                    &want,
                    "{t:?} {} row {}",
                    spec.key,
                    m.rec.src.row
                );
            }
        }
    }
    // Rows count for their 责任单位: the second project for 县交通运输局.
    let p2 = &batch.merged.rows[0][1].rec;
    assert_eq!(
        p2.unit.map(|u| batch.roster.units[u].name.as_str()),
        Some("县交通运输局")
    );

    // The unit's own check before submitting: no error.
    let out = diaodu(&[
        "check",
        filled.to_str().unwrap(),
        "--period",
        "2026-06",
        "--roster",
        work.join("roster.xlsx").to_str().unwrap(),
    ]);
    let stdout = ok(&out);
    assert!(stdout.contains("没有发现问题"), "{stdout}");
    assert!(
        stdout.contains("重点项目 2 行,节点计划 2 行,招商引资 1 行"),
        "{stdout}"
    );
}

#[test]
fn an_untouched_template_is_no_submission_and_no_error() {
    // A unit that sends the form back empty: nothing read, nothing wrong with the file's rows.
    let tmp = tempfile::tempdir().unwrap();
    let work = work_with_roster(tmp.path());
    ok(&diaodu(&[
        "template",
        work.to_str().unwrap(),
        "--period",
        "2026-06",
    ]));
    let form = work.join("templates/2026-06/河口镇_2026年06月报表.xlsx");
    let out = diaodu(&["check", form.to_str().unwrap(), "--period", "2026-06"]);
    let stdout = ok(&out);
    assert!(
        stdout.contains("重点项目 0 行,节点计划 0 行,招商引资 0 行"),
        "{stdout}"
    );
}

#[test]
fn existing_forms_are_kept_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let work = work_with_roster(tmp.path());
    let out_dir = tmp.path().join("forms");
    let args = [
        "template",
        work.to_str().unwrap(),
        "--period",
        "2026-07",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    ok(&diaodu(&args));
    let one = out_dir.join("河口镇_2026年07月报表.xlsx");
    std::fs::write(&one, b"kept").unwrap();
    let again = diaodu(&args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read(&one).unwrap(), b"kept");
    let mut forced = args.to_vec();
    forced.push("--force");
    ok(&diaodu(&forced));
    assert_ne!(std::fs::read(&one).unwrap(), b"kept");
    // --roster: another roster (here the empty blank one) is the one read.
    let empty = tmp.path().join("blank").join("roster.xlsx");
    let other = diaodu(&[
        "template",
        work.to_str().unwrap(),
        "--roster",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("没有找到单位"));
    // A bad month is refused before anything is written.
    let bad = diaodu(&["template", work.to_str().unwrap(), "--period", "2026-13"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!work.join("templates").exists());
}

#[test]
fn committed_templates_are_what_the_command_writes_today() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t");
    ok(&diaodu(&[
        "template",
        "--blank",
        "--out",
        out.to_str().unwrap(),
    ]));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for name in [
        diaodu::template::BLANK_FORM_FILE,
        diaodu::template::ROSTER_FILE,
    ] {
        let now = std::fs::read(out.join(name)).unwrap();
        let committed =
            std::fs::read(repo.join(name)).unwrap_or_else(|e| panic!("templates/{name}: {e}"));
        assert!(
            now == committed,
            "templates/{name} differs from what `diaodu template --blank` writes today: \
             regenerate it with `cargo run --release -- template --blank --force` and commit it"
        );
    }
    // Twice the same bytes: the output does not depend on the time of day.
    let again = tmp.path().join("t2");
    ok(&diaodu(&[
        "template",
        "--blank",
        "--out",
        again.to_str().unwrap(),
    ]));
    for name in [
        diaodu::template::BLANK_FORM_FILE,
        diaodu::template::ROSTER_FILE,
    ] {
        assert_eq!(
            std::fs::read(out.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap()
        );
    }
}

#[test]
fn a_prefilled_form_needs_only_this_months_figures() {
    use diaodu::template::{write_unit_forms, Prefill, PrefillData, PrefillRow};
    let tmp = tempfile::tempdir().unwrap();
    let work = work_with_roster(tmp.path());
    let guard = diaodu::ingest::workbook::Guard {
        limits: Default::default(),
        child_exe: Some(PathBuf::from(BIN)),
    };
    let (roster, found) = diaodu::roster::read_roster(&work.join("roster.xlsx"), &guard).unwrap();
    assert!(found.is_empty(), "{found:#?}");

    // What the history would give for 城关镇: May's rows, figures included.
    let row = |pairs: &[(&str, Value)]| -> PrefillRow {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    let t = |s: &str| Value::Text(s.into());
    let project = row(&[
        ("project_id", t("CG-2026-01")),
        ("project_name", t("城关镇老旧小区改造")),
        ("category", t("续建")),
        ("total_invest", Value::Num(5000.0)),
        ("annual_plan", Value::Num(2000.0)),
        ("month_done", Value::Num(250.0)),
        ("ytd_done", Value::Num(900.5)),
        ("planned_start", Value::Date(d(2025, 3, 1))),
        ("actual_start", Value::Date(d(2025, 3, 20))),
        ("progress_note", t("5 月的进度")),
    ]);
    let milestone = row(&[
        ("project_id", t("CG-2026-01")),
        ("milestone", t("主体完工")),
        ("planned_date", Value::Date(d(2026, 9, 30))),
        ("planned_qty", Value::Num(12.0)),
        ("done_qty", Value::Num(4.0)),
        ("qty_unit", t("栋")),
    ]);
    let attraction = row(&[
        ("project_name", t("城关镇食品产业园")),
        ("source", t("省外")),
        ("stage", t("签约")),
        ("signed_date", Value::Date(d(2026, 5, 20))),
        ("contract_amount", Value::Num(20000.0)),
        ("month_funds", Value::Num(1000.0)),
        ("ytd_funds", Value::Num(1000.0)),
    ]);
    let mut prefill = Prefill {
        from: Some(diaodu::Period {
            year: 2026,
            month: 5,
        }),
        ..Default::default()
    };
    prefill.units.insert(
        "城关镇".into(),
        PrefillData {
            projects: vec![project.clone()],
            milestones: vec![milestone.clone()],
            attraction: vec![attraction.clone()],
        },
    );
    let june = diaodu::Period {
        year: 2026,
        month: 6,
    };
    let dir = tmp.path().join("forms");
    let written = write_unit_forms(&roster, june, &dir, false, &prefill).unwrap();
    assert_eq!(written[0].unit, "城关镇");
    assert_eq!(written[0].prefilled, [1, 1, 1]);
    assert_eq!(written[1].prefilled, [0, 0, 0]);

    // The unit types only this month's figures (and the date).
    use Typed::*;
    let form = &written[0].path;
    let mut e = Vec::new();
    let typed: [(TableKind, Vec<(&'static str, Typed)>); 3] = [
        (
            TableKind::Projects,
            vec![
                ("month_done", N(300.0)),
                ("ytd_done", N(1200.5)),
                ("progress_note", T("3 栋主体封顶")),
            ],
        ),
        (TableKind::Milestones, vec![("done_qty", N(5.5))]),
        (
            TableKind::Attraction,
            vec![("month_funds", N(500.0)), ("ytd_funds", N(1500.0))],
        ),
    ];
    for (table, values) in &typed {
        e.extend(edits(form, *table, &vec![values.clone()]));
    }
    e.push(("重点项目", "E2".to_string(), D(d(2026, 7, 2))));
    fill(form, &work.join("inbox").join("城关镇.xlsx"), &e);

    let ov = Overrides {
        period: Some("2026-06".into()),
        ..Default::default()
    };
    let mut config = diaodu::Config::load(&work, &ov, d(2026, 7, 10)).unwrap();
    config.child_exe = Some(PathBuf::from(BIN));
    let batch = diaodu::run(config).unwrap();
    assert!(batch.findings().is_empty(), "{:#?}", batch.findings());
    for ((table, values), carried) in typed.iter().zip([&project, &milestone, &attraction]) {
        let rec = &batch.merged.rows[*table as usize][0].rec;
        for spec in table.fields() {
            let want = if let Some((_, v)) = values.iter().find(|(k, _)| *k == spec.key) {
                expected(v)
            } else if diaodu::template::is_fresh(*table, spec.key) {
                Value::Null
            } else {
                carried.get(spec.key).cloned().unwrap_or(Value::Null)
            };
            assert_eq!(
                rec.get(table.field_by_key(spec.key).expect("a field of the table")),
                &want,
                "{table:?} {}",
                spec.key
            );
        }
    }
}
