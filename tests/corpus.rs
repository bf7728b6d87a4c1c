//! Guarded reading over the real-world corpus (`shared/corpus/real-world`) and over hostile
//! files made on the fly. Every file must come back, within a time bound, as a workbook or as
//! a one-line error: never a panic, a hang or an unbounded allocation.

use diaodu::ingest::workbook::{Cell, Format, Guard, ReadError, ReadLimits, Workbook};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_diaodu");
mod common;
use common::have_shared;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real-world");
/// Wall-clock bound for one file (the child's own timeout is lower).
const BOUND: Duration = Duration::from_secs(20);

fn guard() -> Guard {
    Guard {
        limits: ReadLimits {
            timeout_secs: 15,
            ..ReadLimits::default()
        },
        child_exe: Some(PathBuf::from(EXE)),
    }
}

fn corpus(rel: &str) -> PathBuf {
    let dir = Path::new(CORPUS);
    assert!(
        dir.is_dir(),
        "corpus not found at {CORPUS}: the shared/ folder must sit beside the project"
    );
    dir.join(rel)
}

/// Read on a separate thread and fail the test if it does not come back within `BOUND`.
fn read_bounded(guard: &Guard, path: &Path) -> (Result<Workbook, ReadError>, Duration) {
    let (tx, rx) = mpsc::channel();
    let g = guard.clone();
    let p = path.to_path_buf();
    std::thread::spawn(move || {
        let start = Instant::now();
        let r = g.read(&p);
        let _ = tx.send((r, start.elapsed()));
    });
    match rx.recv_timeout(BOUND) {
        Ok(r) => r,
        Err(_) => panic!("{} did not return within {BOUND:?}", path.display()),
    }
}

fn read(rel: &str) -> Result<Workbook, ReadError> {
    read_bounded(&guard(), &corpus(rel)).0
}

fn kind(r: &Result<Workbook, ReadError>) -> &'static str {
    match r {
        Ok(_) => "read",
        Err(ReadError::NotSpreadsheet(_)) => "NotSpreadsheet",
        Err(ReadError::Encrypted) => "Encrypted",
        Err(ReadError::Empty) => "Empty",
        Err(ReadError::TooLarge(_)) => "TooLarge",
        Err(ReadError::Timeout(_)) => "Timeout",
        Err(ReadError::Corrupt(_)) => "Corrupt",
        Err(ReadError::Unsupported(_)) => "Unsupported",
    }
}

fn assert_one_line(path: &str, e: &ReadError) {
    let msg = e.to_string();
    assert!(!msg.trim().is_empty(), "{path}: empty error message");
    assert!(
        !msg.contains('\n') && !msg.contains('\r'),
        "{path}: error message is not one line: {msg:?}"
    );
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if !matches!(
            p.file_name().and_then(|n| n.to_str()),
            Some("MANIFEST.tsv" | "SHA256SUMS")
        ) {
            out.push(p);
        }
    }
}

#[test]
fn whole_corpus_reads_or_fails_cleanly() {
    if !have_shared("whole_corpus_reads_or_fails_cleanly") {
        return;
    }
    let root = corpus("");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    assert!(files.len() >= 398, "corpus has only {} files", files.len());

    let guard = guard();
    let started = Instant::now();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut timings = Vec::new();
    let mut report = String::from("path\toutcome\tmillis\tdetail\n");
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        let (r, took) = read_bounded(&guard, f);
        let k = kind(&r);
        *counts.entry(k).or_default() += 1;
        let detail = match &r {
            Ok(wb) => {
                let slots: usize = wb
                    .sheets
                    .iter()
                    .map(|s| s.rows.iter().map(Vec::len).sum::<usize>())
                    .sum();
                format!("{:?}, {} sheets, {slots} cells", wb.format, wb.sheets.len())
            }
            Err(e) => {
                assert_one_line(&rel, e);
                e.to_string()
            }
        };
        report.push_str(&format!("{rel}\t{k}\t{}\t{detail}\n", took.as_millis()));
        timings.push((took, rel));
    }
    let total = started.elapsed();

    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-outcomes.tsv");
    if let Ok(mut fh) = std::fs::File::create(&out) {
        let _ = fh.write_all(report.as_bytes());
    }
    timings.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!(
        "corpus: {} files in {:.1} s",
        files.len(),
        total.as_secs_f64()
    );
    println!("{:<16}{:>6}", "outcome", "files");
    for (k, n) in &counts {
        println!("{k:<16}{n:>6}");
    }
    println!("slowest:");
    for (t, p) in timings.iter().take(10) {
        println!("{:>8} ms  {p}", t.as_millis());
    }
    println!("per-file outcomes: {}", out.display());
    if let Some(hwm) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
    {
        println!("test process peak memory ({hwm})");
    }
    assert_eq!(counts.values().sum::<usize>(), files.len());
    assert_eq!(
        counts.get("Timeout"),
        None,
        "no corpus file should need the timeout"
    );
}

#[test]
fn dangerous_files_fail_cleanly() {
    if !have_shared("dangerous_files_fail_cleanly") {
        return;
    }
    for (rel, want_memory) in [
        ("exceldatareader/Test_Issue_12556_corrupt.xls", false),
        (
            "exceldatareader/Test_git_issue_467_empty_continue_leftoverbytes.xls",
            false,
        ),
        ("exceldatareader/Test_git_issue_382_oom.xls", true),
        ("phpspreadsheet/oleloop.xls", true),
    ] {
        let r = read(rel);
        let e = r.err().unwrap_or_else(|| panic!("{rel} should not read"));
        assert_one_line(rel, &e);
        if want_memory {
            assert!(
                matches!(&e, ReadError::TooLarge(d) if d.contains("内存")),
                "{rel}: {e:?}"
            );
        } else {
            assert!(matches!(e, ReadError::Corrupt(_)), "{rel}: {e:?}");
        }
    }
}

#[test]
fn dangerous_files_fail_cleanly_in_process_too() {
    if !have_shared("dangerous_files_fail_cleanly_in_process_too") {
        return;
    }
    // Without a child the panics must still be contained (the OOM files are left out:
    // in-process reading is documented as unguarded against them).
    let g = Guard {
        limits: ReadLimits::default(),
        child_exe: None,
    };
    for rel in [
        "exceldatareader/Test_Issue_12556_corrupt.xls",
        "exceldatareader/Test_git_issue_467_empty_continue_leftoverbytes.xls",
    ] {
        let (r, _) = read_bounded(&g, &corpus(rel));
        assert!(
            matches!(&r, Err(ReadError::Corrupt(d)) if d.contains("内部错误")),
            "{rel}: {r:?}"
        );
    }
}

#[test]
fn bombs_are_bounded() {
    if !have_shared("bombs_are_bounded") {
        return;
    }
    for rel in [
        "apache-poi/poc-xmlbomb.xlsx",
        "apache-poi/poc-xmlbomb-empty.xlsx",
        "apache-poi/poc-shared-strings.xlsx",
        "apache-poi/54764.xlsx",
        "calamine/issue_594_dos.ods",
    ] {
        let r = read(rel);
        let e = r.err().unwrap_or_else(|| panic!("{rel} should not read"));
        assert_one_line(rel, &e);
    }
    // The dimension claims A1:XFD1048576, but only the real cells make the grid.
    let wb = read("calamine/issue_174.xlsx").expect("issue_174 reads");
    let slots: usize = wb.sheets[0].rows.iter().map(Vec::len).sum();
    assert!(slots < 1000, "{slots} grid cells");
}

#[test]
fn encrypted_files_say_so() {
    if !have_shared("encrypted_files_say_so") {
        return;
    }
    for rel in [
        "exceldatareader/agile_AES128_SHA1_CBC_pwd_password.xlsx",
        "exceldatareader/standard_AES256_SHA1_ECB_pwd_password.xlsb",
        "sheetjs/password_2002_40_xor.xls",
        "sheetjs/password_2002_128_strong.xls",
        "sheetjs/biff5_password_2002_40_xor.xls",
        "calamine/pass_protected.ods",
        "roo/encrypted-letmein.ods",
    ] {
        let r = read(rel);
        assert!(matches!(r, Err(ReadError::Encrypted)), "{rel}: {r:?}");
    }
    assert_eq!(
        ReadError::Encrypted.to_string(),
        "文件设有密码或已加密,无法读取:请取消密码后重新报送"
    );
}

#[test]
fn non_spreadsheets_say_what_they_are() {
    if !have_shared("non_spreadsheets_say_what_they_are") {
        return;
    }
    let cases = [
        ("calamine/too_small.xls", "文本文件"),
        ("exceldatareader/TestFail_Binary.xls", "图片"),
        ("openpyxl/null_file.xlsx", "空文件,0 字节"),
        ("openpyxl/null_archive.xlsx", "zip 压缩包,不含工作簿"),
    ];
    for (rel, what) in cases {
        let r = read(rel);
        assert_eq!(
            r.err(),
            Some(ReadError::NotSpreadsheet(what.into())),
            "{rel}"
        );
    }

    let dir = std::env::temp_dir().join(format!("guard-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let csv = dir.join("一月报表.xls");
    std::fs::write(&csv, "单位,项目,金额\n城关镇,道路,120\n").expect("write");
    let html = dir.join("导出.xls");
    std::fs::write(
        &html,
        "<html><body><table><tr><td>1</td></tr></table></body></html>",
    )
    .expect("write");
    let (r, _) = read_bounded(&guard(), &csv);
    let e = r.expect_err("csv is no workbook");
    assert_eq!(e, ReadError::NotSpreadsheet("文本文件".into()));
    assert!(
        e.to_string().starts_with("不是电子表格文件(文本文件)"),
        "{e}"
    );
    let (r, _) = read_bounded(&guard(), &html);
    assert_eq!(
        r.err(),
        Some(ReadError::NotSpreadsheet("网页文件 (HTML)".into()))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn old_bare_biff_is_unsupported() {
    if !have_shared("old_bare_biff_is_unsupported") {
        return;
    }
    let r = read("sheetjs/CRLFX5_4.XLS");
    assert!(matches!(r, Err(ReadError::Unsupported(_))), "{r:?}");
}

#[test]
fn chinese_xlsx_reads() {
    if !have_shared("chinese_xlsx_reads") {
        return;
    }
    let wb = read("hutool/aaa.xlsx").expect("hutool/aaa.xlsx reads");
    assert_eq!(wb.format, Format::Xlsx);
    let s = &wb.sheets[0];
    assert_eq!(s.name, "Sheet1");
    assert_eq!((s.first_row, s.first_col), (0, 0));
    let text = |t: &str| Cell::Text(t.into());
    assert_eq!(
        s.rows[0],
        vec![text("姓名"), text("性别"), text("年龄"), text("鞋码")]
    );
    assert_eq!(
        s.rows[1],
        vec![
            text("张三"),
            text("男"),
            Cell::Number(11.0),
            Cell::Number(41.5)
        ]
    );
}

#[test]
fn chinese_xls_reads_through_the_child() {
    if !have_shared("chinese_xls_reads_through_the_child") {
        return;
    }
    let wb = read("hutool/aaa.xls").expect("hutool/aaa.xls reads");
    assert_eq!(wb.format, Format::Xls);
    assert_eq!(wb.sheets[0].rows[0][0], Cell::Text("姓名".into()));
}

fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::Date(
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid date"),
    )
}

#[test]
fn dates_honour_1904() {
    if !have_shared("dates_honour_1904") {
        return;
    }
    // xlsx in-process and xls through the child give the same dates.
    for rel in ["calamine/date_1904.xlsx", "calamine/date_1904.xls"] {
        let wb = read(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let rows = &wb.sheets[0].rows;
        assert_eq!(rows[0][0], date(2021, 1, 1), "{rel}");
        assert_eq!(rows[1][0], date(2021, 1, 2), "{rel}");
        assert_eq!(rows[0][1], Cell::Number(15.0), "{rel}");
    }
    // Serial 1 is 1904-01-02 in the 1904 system.
    let wb = read("sheetjs/1904.xlsx").expect("sheetjs/1904.xlsx reads");
    assert_eq!(wb.sheets[0].rows[0][1], date(1904, 1, 2));
}

#[test]
fn hidden_merged_and_mislabelled() {
    if !have_shared("hidden_merged_and_mislabelled") {
        return;
    }
    let wb = read("apache-poi/TwoSheetsOneHidden.xls").expect("reads");
    let hidden: Vec<_> = wb
        .sheets
        .iter()
        .map(|s| (s.name.as_str(), s.hidden))
        .collect();
    assert_eq!(hidden, vec![("Sheet1", true), ("Sheet2", false)]);

    let wb = read("calamine/any_sheets.xlsx").expect("reads");
    let names: Vec<_> = wb
        .sheets
        .iter()
        .map(|s| (s.name.as_str(), s.hidden))
        .collect();
    assert_eq!(
        names,
        vec![("Visible", false), ("Hidden", true), ("VeryHidden", true)],
        "chart sheet skipped"
    );

    let wb = read("hutool/merge_test.xlsx").expect("reads");
    assert_eq!(wb.sheets[0].merged, vec![(1, 2, 2, 2)]);

    for (rel, format) in [
        ("roo/type_excel.xlsx", Format::Xls),
        ("roo/type_excelx.ods", Format::Xlsx),
        ("roo/type_openoffice.xlsx", Format::Ods),
    ] {
        let wb = read(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(wb.format, format, "{rel}");
        let s = &wb.sheets[0];
        assert_eq!((s.first_row, s.first_col), (2, 0), "{rel}");
        assert_eq!(s.rows[0][0], Cell::Text("Date".into()), "{rel}");
        assert_eq!(s.rows[1][0], date(2007, 5, 7), "{rel}");
    }
}

#[test]
fn child_limits_apply() {
    if !have_shared("child_limits_apply") {
        return;
    }
    // A tight memory cap stops the runaway allocation early.
    let g = Guard {
        limits: ReadLimits {
            max_memory_bytes: 64 << 20,
            ..ReadLimits::default()
        },
        child_exe: Some(PathBuf::from(EXE)),
    };
    let (r, took) = read_bounded(&g, &corpus("phpspreadsheet/oleloop.xls"));
    assert!(
        matches!(&r, Err(ReadError::TooLarge(d)) if d.contains("64 MiB")),
        "{r:?}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");

    // A zero timeout kills the child at once.
    let g = Guard {
        limits: ReadLimits {
            timeout_secs: 0,
            ..ReadLimits::default()
        },
        child_exe: Some(PathBuf::from(EXE)),
    };
    let (r, _) = read_bounded(&g, &corpus("exceldatareader/Test_git_issue_382_oom.xls"));
    assert_eq!(r.err(), Some(ReadError::Timeout(0)));

    // A child that cannot start is a clean error.
    let g = Guard {
        limits: ReadLimits::default(),
        child_exe: Some(PathBuf::from("/nonexistent/diaodu")),
    };
    let (r, _) = read_bounded(&g, &corpus("hutool/aaa.xls"));
    assert!(matches!(r, Err(ReadError::Corrupt(_))), "{r:?}");

    // Without a child, xls is read in-process.
    let g = Guard::default();
    let (r, _) = read_bounded(&g, &corpus("hutool/aaa.xls"));
    assert_eq!(
        r.expect("reads").sheets[0].rows[0][0],
        Cell::Text("姓名".into())
    );
}

// ---------------------------------------------------------------------------------------
// Hostile files made on the fly
// ---------------------------------------------------------------------------------------

struct TempDir(PathBuf);
impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("guard-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    use zip::write::SimpleFileOptions;
    let f = std::fs::File::create(path).expect("create zip");
    let mut z = zip::ZipWriter::new(f);
    for (name, data) in entries {
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        z.start_file(
            name,
            SimpleFileOptions::default().compression_method(method),
        )
        .expect("start entry");
        z.write_all(data).expect("write entry");
    }
    z.finish().expect("finish zip");
}

fn entries(list: Vec<(&str, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    list.into_iter().map(|(n, d)| (n.to_string(), d)).collect()
}

fn xlsx_entries(shared: &str, sheet: &str) -> Vec<(String, Vec<u8>)> {
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    let rels = r#"xmlns="http://schemas.openxmlformats.org/package/2006/relationships""#;
    let t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    entries(vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0"?><Relationships {rels}><Relationship Id="rId1" Type="{t}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes(),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0"?><workbook {ns} xmlns:r="{t}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#).into_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0"?><Relationships {rels}><Relationship Id="rId1" Type="{t}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{t}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#).into_bytes(),
        ),
        (
            "xl/sharedStrings.xml",
            format!(r#"<?xml version="1.0"?><sst {ns}>{shared}</sst>"#).into_bytes(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0"?><worksheet {ns}><sheetData>{sheet}</sheetData></worksheet>"#).into_bytes(),
        ),
    ])
}

fn ods_entries(table: &str) -> Vec<(String, Vec<u8>)> {
    entries(vec![
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        (
            "META-INF/manifest.xml",
            br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#.to_vec(),
        ),
        (
            "content.xml",
            format!(r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#).into_bytes(),
        ),
    ])
}

#[test]
fn crafted_zip_bombs_are_refused() {
    let dir = TempDir::new("zip");
    // One entry inflating 1000:1.
    let p = dir.0.join("ratio.xlsx");
    let mut e = xlsx_entries("", "");
    e.push(("xl/media/zeros.bin".into(), vec![0u8; 8 << 20]));
    write_zip(&p, &e);
    let (r, _) = read_bounded(&guard(), &p);
    assert!(
        matches!(&r, Err(ReadError::TooLarge(d)) if d.contains("压缩比")),
        "{r:?}"
    );

    // Too many entries.
    let p = dir.0.join("entries.xlsx");
    let mut e = xlsx_entries("", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    e.extend((0..10_001).map(|i| (format!("x/{i}"), Vec::new())));
    write_zip(&p, &e);
    let (r, _) = read_bounded(&guard(), &p);
    assert!(
        matches!(&r, Err(ReadError::TooLarge(d)) if d.contains("条目")),
        "{r:?}"
    );

    // Declared sizes over the limits.
    let p = dir.0.join("small.xlsx");
    write_zip(
        &p,
        &xlsx_entries("", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"),
    );
    let tight = Guard {
        limits: ReadLimits {
            max_entry_bytes: 100,
            ..ReadLimits::default()
        },
        child_exe: None,
    };
    let (r, _) = read_bounded(&tight, &p);
    assert!(matches!(&r, Err(ReadError::TooLarge(_))), "{r:?}");
    let (r, _) = read_bounded(&guard(), &p);
    assert_eq!(
        r.expect("reads").sheets[0].rows,
        vec![vec![Cell::Number(1.0)]]
    );
}

#[test]
fn crafted_amplification_is_refused() {
    // A lower memory budget than the default keeps this test light.
    let guard = Guard {
        limits: ReadLimits {
            max_memory_bytes: 256 << 20,
            ..guard().limits
        },
        ..guard()
    };
    let dir = TempDir::new("amp");
    // One ~1 MB shared string referenced by 40 000 cells: 40 GB if copied naively.
    let big = format!("<si><t>{}</t></si>", "A".repeat(1_000_000));
    let row = "<c t=\"s\"><v>0</v></c>".repeat(100);
    let sheet: String = (1..=400)
        .map(|r| format!("<row r=\"{r}\">{row}</row>"))
        .collect();
    let p = dir.0.join("sst.xlsx");
    write_zip(&p, &xlsx_entries(&big, &sheet));
    let (r, took) = read_bounded(&guard, &p);
    assert!(
        matches!(&r, Err(ReadError::TooLarge(d)) if d.contains("256 MiB")),
        "{r:?}"
    );
    assert!(took < BOUND);

    // Two cells far apart: a sparse grid, not 17 billion slots.
    let p = dir.0.join("far.xlsx");
    write_zip(
        &p,
        &xlsx_entries(
            "<si><t>a</t></si>",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>"#,
        ),
    );
    // Past the rows-per-sheet limit (default 300,000): refused, naming the setting.
    let (r, _) = read_bounded(&guard, &p);
    assert!(
        matches!(&r, Err(ReadError::TooLarge(d)) if d.contains("max_rows_per_sheet")),
        "{r:?}"
    );
    // With the limit at Excel's row count, read as a sparse grid.
    let all_rows = Guard {
        limits: ReadLimits {
            max_rows_per_sheet: 1_048_576,
            ..guard.limits.clone()
        },
        ..guard.clone()
    };
    let (r, _) = read_bounded(&all_rows, &p);
    let wb = r.expect("far cells read");
    let s = &wb.sheets[0];
    assert_eq!(s.rows.len(), 1_048_576);
    assert_eq!(s.rows[0], vec![Cell::Text("a".into())]);
    assert_eq!(s.rows[1].len(), 0);
    assert_eq!(s.rows[1_048_575].len(), 16_384);

    // An ODS of a few hundred bytes that repeats a 100-cell row a million times.
    let cell =
        r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
    let table = format!(
        r#"<table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#,
        cell.repeat(100)
    );
    let p = dir.0.join("repeat.ods");
    write_zip(&p, &ods_entries(&table));
    let (r, took) = read_bounded(&guard, &p);
    assert!(
        matches!(&r, Err(ReadError::TooLarge(d)) if d.contains("256 MiB")),
        "{r:?}"
    );
    assert!(took < BOUND);
}

#[test]
fn every_error_displays_on_one_line() {
    let all = [
        ReadError::NotSpreadsheet("文本\n文件".into()),
        ReadError::Encrypted,
        ReadError::Empty,
        ReadError::TooLarge("a\r\nb".into()),
        ReadError::Timeout(60),
        ReadError::Corrupt("x\ny".into()),
        ReadError::Unsupported("BIFF2".into()),
    ];
    for e in &all {
        assert_one_line("-", e);
    }
    assert_eq!(ReadError::Empty.to_string(), "文件中没有任何数据");
    assert_eq!(
        ReadError::Timeout(60).to_string(),
        "读取超过 60 秒仍未完成,已中止:文件可能已损坏"
    );
}

/// What the user sees for a corpus file the batch cannot use: one line that
/// names the file, from the same path the monthly run takes.
#[test]
fn batch_names_every_unreadable_corpus_file_on_one_line() {
    if !have_shared("batch_names_every_unreadable_corpus_file_on_one_line") {
        return;
    }
    use diaodu::ingest::discover::discover;
    use diaodu::merge::FileStatus;
    use diaodu::pipeline::read_one;
    let period = diaodu::Period::parse("2026-05").unwrap();
    let inbox = discover(Path::new(CORPUS)).unwrap();
    let mut unreadable = 0;
    for (i, f) in inbox.iter().enumerate() {
        if f.name.ends_with("MANIFEST.tsv") || f.name.ends_with("SHA256SUMS") {
            continue;
        }
        let (rf, findings) = read_one(f, i, &guard(), period, 15);
        if rf.entry.status == FileStatus::Unreadable {
            unreadable += 1;
            let fi = findings
                .iter()
                .find(|x| x.severity == diaodu::Severity::Error)
                .unwrap_or_else(|| panic!("{}: unreadable without an error finding", f.name));
            let line = fi.one_line();
            assert!(line.contains(&f.name), "{line}");
            assert!(!line.contains('\n'), "{line}");
            assert_eq!(rf.entry.reason.as_deref(), Some(fi.message.as_str()));
        }
    }
    // Files that read but hold no form table are unreadable for the batch too.
    assert!(unreadable > 100, "{unreadable}");
}
