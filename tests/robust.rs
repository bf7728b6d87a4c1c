//! No file can stop the batch (issue 13): a text longer than Excel holds, one
//! 项目编号 on tens of thousands of rows, a quarter of a million rows missing a
//! value, a sharedStrings part that declares two billion strings. Each costs
//! at most its own file, and the outputs grow linearly with the rows.

mod common;

use common::zipedit::edit_entry;
use common::*;
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
