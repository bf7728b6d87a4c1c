//! No file can stop the batch (issue 13): a text longer than Excel holds, one
//! 项目编号 on tens of thousands of rows, a quarter of a million rows missing a
//! value, a sharedStrings part that declares two billion strings. Each costs
//! at most its own file, and the outputs grow linearly with the rows.

mod common;

use common::zipedit::edit_entry;
use common::*;
use diaodu::excel_limits::MAX_CELL_CHARS;
use diaodu::finding::MAX_PER_FILE_CODE;
use diaodu::{Code, Finding};
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");

fn run(work: &Path) -> Output {
    Command::new(BIN)
        .arg("run")
        .arg(work)
        .arg("--force")
        .output()
        .unwrap()
}

fn check(file: &Path) -> Output {
    Command::new(BIN)
        .arg("check")
        .arg(file)
        .arg("--period")
        .arg("2026-05")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn report(work: &Path) -> serde_json::Value {
    let p = work.join("out/调度通报_2026-05.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn findings_of<'a>(r: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

fn file_status<'a>(r: &'a serde_json::Value, file: &str) -> &'a str {
    r["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("{file} not in files[]"))["status"]
        .as_str()
        .unwrap()
}

fn good_file(work: &Work, name: &str, id: &str, unit: &str) {
    let rows = vec![
        row(PROJECT_HEADER),
        project(
            id,
            "正常项目",
            unit,
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "2026-01-05",
        ),
    ];
    write_xlsx(&work.inbox(name), &[sheet("Sheet1", rows)]);
}

/// A cell of the written workbook's sheet `name` holding text that starts with `prefix`.
fn cell_starting(book: &Path, name: &str, prefix: &str) -> String {
    let r = range(book, name);
    r.rows()
        .flat_map(|row| row.iter())
        .map(text)
        .find(|t| t.starts_with(prefix))
        .unwrap_or_else(|| panic!("no cell starting {prefix:?} in {name}"))
}

/// Replace placeholder texts of a written workbook's shared strings.
fn lengthen(file: &Path, texts: &[(&str, &str)]) {
    let bytes = edit_entry(&std::fs::read(file).unwrap(), "xl/sharedStrings.xml", |x| {
        let mut x = x.to_string();
        for (from, to) in texts {
            assert!(x.contains(from), "{from} not in {x}");
            x = x.replace(from, to);
        }
        x
    });
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn cell_text_over_excel_limit() {
    let w = Work::new(&roster());
    good_file(&w, "河口镇.xlsx", "HK-1", "河口镇");
    // 40,000 characters in 存在问题 (a merged row), and in 总投资 of another
    // row (a type error, its value shown in 数据校验).
    let long = format!("问题{}", "长".repeat(40_000));
    let mut a = project(
        "CG-1",
        "长文本项目",
        "城关镇",
        "续建",
        1000.0,
        500.0,
        10.0,
        100.0,
        "2026-01-01",
        "2026-01-05",
    );
    a[15] = s("LONG_PROBLEMS");
    let mut b = project(
        "CG-2",
        "金额写成长文本",
        "城关镇",
        "续建",
        1000.0,
        500.0,
        10.0,
        100.0,
        "2026-01-01",
        "2026-01-05",
    );
    b[6] = s("LONG_AMOUNT");
    let file = w.inbox("城关镇.xlsx");
    write_xlsx(&file, &[sheet("Sheet1", vec![row(PROJECT_HEADER), a, b])]);
    // rust_xlsxwriter refuses such text: it goes in the shared strings after.
    let long_amount = format!("约{}", "万".repeat(35_000));
    let texts = [
        ("LONG_PROBLEMS", long.as_str()),
        ("LONG_AMOUNT", &long_amount),
    ];
    lengthen(&file, &texts);

    let out = run(w.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(w.path());
    // The JSON keeps the text whole.
    let p = r["merged"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["project_id"] == "CG-1")
        .unwrap();
    assert_eq!(p["problems"].as_str().unwrap(), long);
    // One warning, naming the source cell (P2: 存在问题 of the first data row).
    let cut = findings_of(&r, "cell/text-cut");
    assert_eq!(cut.len(), 1, "{cut:?}");
    assert_eq!(cut[0]["severity"], "warning");
    assert_eq!(cut[0]["file"], "城关镇.xlsx");
    assert_eq!(cut[0]["sheet"], "Sheet1");
    assert_eq!(cut[0]["cell"], "P2");
    let msg = cut[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("城关镇.xlsx") && msg.contains("P2") && msg.contains("40002"),
        "{msg}"
    );
    // The workbook: cut to the limit with "…", in the long sheet (项目明细)
    // and in the findings sheet (数据校验, written by rust_xlsxwriter).
    let book = w.path().join("out/调度通报_2026-05.xlsx");
    let shown = cell_starting(&book, "项目明细", "问题长长");
    assert_eq!(shown.encode_utf16().count(), MAX_CELL_CHARS);
    assert!(shown.ends_with("长…"));
    assert!(long.starts_with(shown.trim_end_matches('…')));
    let value = cell_starting(&book, "数据校验", "约万万");
    assert_eq!(value.encode_utf16().count(), MAX_CELL_CHARS);
    assert!(value.ends_with('…'));
    let warned = cell_starting(&book, "数据校验", "cell/text-cut");
    assert_eq!(warned, "cell/text-cut");

    // `check` says the same, and still lets the file through (exit 1 here
    // only for the amount typed as text: check the row without it).
    let out = check(&file);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("cell/text-cut"), "{}", stdout(&out));
    let only = w.path().join("only_long.xlsx");
    let a = {
        let mut a = project(
            "CG-1",
            "长文本项目",
            "城关镇",
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "2026-01-05",
        );
        a[15] = s("LONG_PROBLEMS");
        a
    };
    write_xlsx(&only, &[sheet("Sheet1", vec![row(PROJECT_HEADER), a])]);
    lengthen(&only, &texts[..1]);
    let out = check(&only);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("cell/text-cut") && text.contains("P2"),
        "{text}"
    );
}

#[test]
fn duplicate_places_on_1500_rows_fit_the_workbook() {
    // 1,500 identical rows of one 项目编号 across the sheet: held once, its
    // other places a text far past a cell's limit.
    let w = Work::new(&roster());
    let file = "城关镇_一个很长的文件名用来让来源文字更长.xlsx";
    let mut rows = vec![row(PROJECT_HEADER)];
    for _ in 0..1500 {
        rows.push(project(
            "CG-9",
            "重复项目",
            "城关镇",
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "2026-01-05",
        ));
    }
    write_xlsx(&w.inbox(file), &[sheet("Sheet1", rows)]);
    let out = run(w.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(w.path());
    let dup = findings_of(&r, "row/duplicate-identical");
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0]["places"].as_array().unwrap().len(), 5);
    let msg = dup[0]["message"].as_str().unwrap();
    assert!(msg.contains("等共 1500 处"), "{msg}");
    // The JSON keeps every source.
    let p = &r["merged"]["projects"][0];
    assert_eq!(p["sources"].as_array().unwrap().len(), 1500);
    // 项目明细's 其他来源: the 1,499 other places, cut to a cell.
    let book = w.path().join("out/调度通报_2026-05.xlsx");
    let others = cell_starting(&book, "项目明细", &format!("{file} › Sheet1 › 第3行;"));
    assert_eq!(others.encode_utf16().count(), MAX_CELL_CHARS);
    assert!(others.ends_with('…'));
}

/// A project sheet of `n` rows made by `row_of`, written as they are made.
fn write_rows(path: &Path, n: usize, row_of: impl Fn(usize) -> Vec<C>) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in PROJECT_HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        for (c, v) in row_of(i).into_iter().enumerate() {
            let (r, c) = (i as u32 + 1, c as u16);
            match v {
                C::S(t) => {
                    ws.write_string(r, c, t).unwrap();
                }
                C::N(x) => {
                    ws.write_number(r, c, x).unwrap();
                }
                C::E => {}
                other => panic!("not used here: {other:?}"),
            }
        }
    }
    wb.save(path).unwrap();
}

/// Total size of the findings as the JSON and the workbook carry them.
fn findings_size(f: &[Finding]) -> usize {
    f.iter()
        .map(|f| {
            f.message.len()
                + f.value.as_ref().map_or(0, String::len)
                + f.places
                    .iter()
                    .map(|p| p.file.len() + p.sheet.len() + 16)
                    .sum::<usize>()
        })
        .sum()
}

#[test]
fn one_id_on_60000_rows() {
    // Conflicting rows (the names differ): every one is rejected, and each
    // used to name all the others (3.6 billion places).
    let w = Work::new(&roster());
    write_rows(&w.inbox("城关镇.xlsx"), 60_000, |i| {
        project(
            "CG-1",
            &format!("项目{i}"),
            "城关镇",
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "2026-01-05",
        )
    });
    good_file(&w, "河口镇.xlsx", "HK-1", "河口镇");
    let t = std::time::Instant::now();
    let b = w.run();
    let conflicts: Vec<&Finding> = b
        .findings()
        .iter()
        .filter(|f| f.code == Code::RowDuplicateConflict)
        .collect();
    // 200 in full and one that counts the rest.
    assert_eq!(conflicts.len(), MAX_PER_FILE_CODE + 1);
    assert!(conflicts.iter().all(|f| f.places.len() <= 5));
    assert!(
        conflicts[0].message.contains("等共 60000 处"),
        "{}",
        conflicts[0].message
    );
    let last = conflicts.last().unwrap();
    assert!(
        last.message.starts_with("另有 59800 条同类问题"),
        "{}",
        last.message
    );
    assert!(
        b.findings().len() < 2 * MAX_PER_FILE_CODE,
        "{}",
        b.findings().len()
    );
    let size = findings_size(b.findings());
    assert!(size < 200_000, "findings take {size} bytes");
    assert_eq!(b.counts(diaodu::TableKind::Projects).rejected, 60_000);
    assert_eq!(b.counts(diaodu::TableKind::Projects).merged, 1);
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}

#[test]
fn quarter_million_rows_missing_a_value_are_capped() {
    // 250,000 rows each without its 项目名称 (required): one error per row,
    // 200 listed and one that counts the rest; `check` prints no more.
    const ROWS: usize = 250_000;
    let w = Work::new(&roster());
    let file = w.inbox("城关镇.xlsx");
    write_rows(&file, ROWS, |i| {
        project(
            &format!("CG-{i}"),
            "",
            "城关镇",
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "",
        )
    });
    let b = w.run();
    let missing: Vec<&Finding> = b
        .findings()
        .iter()
        .filter(|f| f.code == Code::CellMissingValue)
        .collect();
    assert_eq!(missing.len(), MAX_PER_FILE_CODE + 1);
    assert_eq!(missing[0].cell.as_deref(), Some("B2"));
    assert_eq!(missing[MAX_PER_FILE_CODE - 1].cell.as_deref(), Some("B201"));
    let more = missing[MAX_PER_FILE_CODE];
    assert!(
        more.message
            .starts_with(&format!("另有 {} 条同类问题", ROWS - MAX_PER_FILE_CODE)),
        "{}",
        more.message
    );
    assert_eq!(b.counts(diaodu::TableKind::Projects).rejected, ROWS);
    drop(b);
    let out = check(&file);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines = text
        .lines()
        .filter(|l| l.contains("cell/missing-value"))
        .count();
    assert_eq!(
        lines,
        MAX_PER_FILE_CODE + 1,
        "{}",
        &text[..text.len().min(2000)]
    );
}

/// A valid project file whose sharedStrings part is rewritten by `f`.
fn with_shared_strings(work: &Work, name: &str, f: impl Fn(&str) -> String) -> std::path::PathBuf {
    let plain = work.path().join("plain.xlsx");
    let rows = vec![
        row(PROJECT_HEADER),
        project(
            "CG-1",
            "城关项目",
            "城关镇",
            "续建",
            1000.0,
            500.0,
            10.0,
            100.0,
            "2026-01-01",
            "2026-01-05",
        ),
    ];
    write_xlsx(&plain, &[sheet("Sheet1", rows)]);
    let bytes = edit_entry(&std::fs::read(&plain).unwrap(), "xl/sharedStrings.xml", f);
    std::fs::remove_file(&plain).unwrap();
    let path = work.inbox(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Replace the value of attribute `key` of the `<sst>` tag.
fn set_attr(xml: &str, key: &str, value: &str) -> String {
    let at = xml
        .find(&format!(" {key}=\""))
        .unwrap_or_else(|| panic!("no {key} in {xml}"))
        + key.len()
        + 3;
    let end = at + xml[at..].find('"').unwrap();
    format!("{}{value}{}", &xml[..at], &xml[end..])
}

#[test]
fn shared_strings_count_huge() {
    let w = Work::new(&roster());
    good_file(&w, "河口镇.xlsx", "HK-1", "河口镇");
    let bad = with_shared_strings(&w, "城关镇.xlsx", |x| {
        set_attr(x, "uniqueCount", "2147483647")
    });
    let out = run(w.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(w.path());
    assert_eq!(file_status(&r, "城关镇.xlsx"), "unreadable");
    assert_eq!(file_status(&r, "河口镇.xlsx"), "merged");
    let un = findings_of(&r, "file/unreadable");
    assert_eq!(un.len(), 1);
    assert_eq!(un[0]["file"], "城关镇.xlsx");
    let msg = un[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("2147483647") && msg.contains("sharedStrings.xml"),
        "{msg}"
    );
    assert!(
        stdout(&out).contains("无法读取的文件:城关镇.xlsx"),
        "{}",
        stdout(&out)
    );
    let out = check(&bad);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("file/unreadable") && text.contains("城关镇.xlsx"),
        "{text}"
    );
}

#[test]
fn shared_strings_count_huge_in_a_part_with_a_bad_checksum() {
    // Found by tests/fuzz.rs (seed 12): the count and a flipped bit past it,
    // so the part fails its CRC at the end, after calamine has reserved.
    let w = Work::new(&roster());
    let path = with_shared_strings(&w, "城关镇.xlsx", |x| {
        set_attr(x, "uniqueCount", "4294967295")
    });
    let mut list = common::zipedit::entries(&std::fs::read(&path).unwrap()).unwrap();
    for e in list.iter_mut() {
        e.2 = true; // stored: the part's bytes sit in the file as they are
    }
    let mut bytes = common::zipedit::archive(&list);
    let name = "城关项目".as_bytes();
    let at = bytes
        .windows(name.len())
        .position(|w| w == name)
        .expect("the text in the stored part");
    bytes[at] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let out = check(&path);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("file/unreadable") && text.contains("4294967295"),
        "{text}"
    );
}

#[test]
fn shared_strings_count_beyond_u64_is_refused() {
    let w = Work::new(&roster());
    let bad = with_shared_strings(&w, "城关镇.xlsx", |x| {
        set_attr(x, "uniqueCount", "99999999999999999999999999")
    });
    let out = check(&bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("file/unreadable"), "{}", stdout(&out));
}

#[test]
fn shared_strings_total_count_is_not_trusted_and_not_refused() {
    // `count` (references, not strings) is not what calamine reserves for:
    // a huge one reads as before; so does an honest uniqueCount.
    let w = Work::new(&roster());
    let odd = with_shared_strings(&w, "城关镇.xlsx", |x| set_attr(x, "count", "2147483647"));
    let out = check(&odd);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let w2 = Work::new(&roster());
    let plain = with_shared_strings(&w2, "城关镇.xlsx", |x| x.to_string());
    let xml = {
        let list = common::zipedit::entries(&std::fs::read(&plain).unwrap()).unwrap();
        String::from_utf8(
            list.into_iter()
                .find(|e| e.0 == "xl/sharedStrings.xml")
                .unwrap()
                .1,
        )
        .unwrap()
    };
    assert!(xml.contains("uniqueCount=\""), "{xml}");
    assert_eq!(check(&plain).status.code(), Some(0));
}

/// Excel's limits beyond a cell's 32,767 characters (a sheet name's 31
/// characters and its forbidden `[]:*?/\`, a page header's 255, a chart
/// title's and a list validation's 255) are out of the offices' reach: the
/// sheet names and page headers are diaodu's own words and the period, and
/// the county, the office and the units' names go only into cells and the
/// 通报 document. A county, an office and a unit named far past any real
/// one still give every output whole, the unit's name uncut.
#[test]
fn names_past_every_excel_limit_but_a_cells() {
    let unit = format!("城关镇{}", "[甲]:*?/\\'乙".repeat(30));
    assert!(unit.chars().count() > 255);
    let w = Work::new(&[
        (unit.as_str(), "乡镇", 1000.0, 500.0, ""),
        ("河口镇", "乡镇", 1000.0, 500.0, ""),
    ]);
    let county = "长".repeat(300);
    std::fs::write(
        w.path().join("diaodu.toml"),
        format!(
            "period = \"2026-05\"\ncounty = \"{county}县\"\noffice = \"{}办\"\n",
            "长".repeat(400)
        ),
    )
    .unwrap();
    good_file(&w, "城关镇.xlsx", "P1", &unit);
    good_file(&w, "河口镇.xlsx", "P2", "河口镇");
    let o = run(w.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let book = w.path().join("out/调度通报_2026-05.xlsx");
    let ranked = table(&range(&book, "单位排名"), 2);
    assert!(
        ranked.iter().any(|m| text(&m["单位"]) == unit),
        "the unit's whole name in 单位排名"
    );
    assert!(cell_starting(&book, "总览", &county).contains("县"));
    assert!(w.path().join("out/调度通报_2026-05.docx").exists());
    assert!(w.path().join("out/调度通报_2026-05.json").exists());
}
