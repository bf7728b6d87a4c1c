//! What leadership holds, looked at as it prints: LibreOffice converts the
//! demo workbook and the 通报 document to PDF, and poppler's `pdftotext
//! -bbox` says where every word sits and how big it is. Checked: the page
//! count, every page's smallest text (at least 9 pt on A4), every printed
//! header whole on its sheet's first page, no page more than half empty
//! unless it is its sheet's last, 总览 on two pages with its charts on the
//! first, and the document saying the same figures as 总览.
//!
//! Needs `soffice` (LibreOffice, Calc and Writer), `pdftotext` (poppler-utils)
//! and the fonts .ci/run installs (WenQuanYi Micro Hei for Chinese, Carlito
//! metric-compatible with Calibri, the workbook's width unit). `.ci/run`
//! installs them and sets DIAODU_REQUIRE_SOFFICE=1; on a machine without
//! them the test says so and passes only when that variable is unset.

mod common;

use calamine::Data;
use common::{copy_tree, range, table, text};
use diaodu::report::table::header_text;
use diaodu::report::{notice, schedule, sheet, warnings};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|c| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {c}"))
            .output()
            .ok()?;
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!p.is_empty()).then(|| PathBuf::from(p))
    })
}

/// LibreOffice and pdftotext, or None (a skip) when the machine lacks them.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let found = tool(&["soffice", "libreoffice"]).zip(tool(&["pdftotext"]));
    if found.is_none() {
        assert!(
            std::env::var_os("DIAODU_REQUIRE_SOFFICE").is_none(),
            "DIAODU_REQUIRE_SOFFICE is set but LibreOffice (soffice) or pdftotext is not installed"
        );
        eprintln!("LibreOffice or pdftotext not found: print checks skipped (CI installs them)");
    }
    found
}

/// A word on a page, in points from the page's top left.
#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

impl Word {
    /// The font size of a word of CJK ideographs alone (each one em wide),
    /// else None.
    fn cjk_size(&self) -> Option<f64> {
        let n = self.text.chars().count();
        let all = self
            .text
            .chars()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        (n > 0 && all).then(|| (self.x1 - self.x0) / n as f64)
    }
}

struct Page {
    width: f64,
    height: f64,
    words: Vec<Word>,
}

impl Page {
    /// The smallest text on the page (CJK words, sized by their width), and
    /// the word.
    fn smallest(&self) -> Option<(f64, &str)> {
        self.words
            .iter()
            .filter_map(|w| w.cjk_size().map(|s| (s, w.text.as_str())))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// How far down the page the body reaches, as a share of its height
    /// (the page header and footer bands left out).
    fn filled(&self) -> f64 {
        let band = 45.0;
        self.words
            .iter()
            .filter(|w| w.y0 > band && w.y1 < self.height - band)
            .map(|w| w.y1)
            .fold(0.0, f64::max)
            / self.height
    }

    /// The sheet whose name is in the page header (the top band).
    fn sheet(&self) -> Option<&'static str> {
        self.words
            .iter()
            .filter(|w| w.y1 < 40.0)
            .find_map(|w| sheet::ALL.iter().find(|s| **s == w.text).copied())
    }

    fn has_word(&self, text: &str) -> bool {
        self.words.iter().any(|w| w.text == text)
    }

    fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = tag[at..].find('"').unwrap();
    tag[at..at + end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every page of a PDF with its words, by `pdftotext -bbox`.
fn pages(pdftotext: &Path, pdf: &Path) -> Vec<Page> {
    let out = Command::new(pdftotext)
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let head = &chunk[..chunk.find('>').unwrap()];
        let mut page = Page {
            width: attr(head, "width"),
            height: attr(head, "height"),
            words: Vec::new(),
        };
        for w in chunk.split("<word ").skip(1) {
            let close = w.find('>').unwrap();
            let tag = &w[..close];
            let end = w.find("</word>").unwrap();
            page.words.push(Word {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text: unescape(&w[close + 1..end]),
            });
        }
        pages.push(page);
    }
    pages
}

/// Convert `file` to PDF in `dir` with LibreOffice (its own profile).
fn to_pdf(soffice: &Path, file: &Path, dir: &Path) -> PathBuf {
    let profile = format!(
        "-env:UserInstallation=file://{}/lo-profile",
        dir.parent().unwrap().display()
    );
    let conv = Command::new(soffice)
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    let pdf = dir.join(file.with_extension("pdf").file_name().unwrap());
    assert!(
        pdf.exists(),
        "LibreOffice did not convert {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&conv.stdout),
        String::from_utf8_lossy(&conv.stderr)
    );
    pdf
}

/// The demo run into a temporary folder: (its folder, the out folder).
fn demo() -> (tempfile::TempDir, PathBuf) {
    let (tmp, out, _) = demo_with("");
    (tmp, out)
}

/// The least a printed text may be, with a hair for measuring.
const MIN_PT: f64 = 9.0 - 0.05;

/// The headers each sheet prints (its print area's columns).
fn printed_headers() -> Vec<(&'static str, Vec<String>)> {
    let detail = |t: diaodu::TableKind, n: usize| -> Vec<String> {
        let mut h = vec!["计入单位".to_string()];
        h.extend(
            t.form_fields()[..n - 1]
                .iter()
                .map(|f| f.header.to_string()),
        );
        h
    };
    let own = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let ranking = diaodu::report::ranking::headers(false);
    let mut milestones = own(schedule::MILESTONE_HEADERS);
    milestones.extend(own(&schedule::MONTHS));
    vec![
        (sheet::OVERVIEW, own(&["一、总体情况", "二、主要指标"])),
        (sheet::RANKING, own(&ranking[..11])),
        (
            sheet::PROJECT_SCHEDULE,
            own(&schedule::PROJECT_HEADERS[..11]),
        ),
        (sheet::MILESTONE_SCHEDULE, milestones),
        (sheet::WARNINGS, own(warnings::HEADERS)),
        (sheet::ATTRACTION, detail(diaodu::TableKind::Attraction, 8)),
        (sheet::PROJECTS, detail(diaodu::TableKind::Projects, 11)),
        (sheet::FILES, own(&diaodu::report::FILES_HEADERS[..12])),
        (sheet::FINDINGS, own(&diaodu::report::FINDINGS_HEADERS[..8])),
        (sheet::RUN_INFO, own(&diaodu::report::runinfo::HEADERS)),
    ]
}

#[test]
fn every_printed_page_of_the_demo_workbook_is_readable() {
    let Some((soffice, pdftotext)) = tools() else {
        return;
    };
    let (tmp, out) = demo();
    let pdf_dir = tmp.path().join("pdf");
    let pdf = to_pdf(&soffice, &out.join("调度通报_2026-10.xlsx"), &pdf_dir);
    let pages = pages(&pdftotext, &pdf);
    // Every page A4 landscape and claimed by a sheet, in workbook order.
    let sheets: Vec<&str> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            assert!(
                (p.width - 842.0).abs() < 3.0 && (p.height - 595.0).abs() < 3.0,
                "page {} is {}×{}, not A4 landscape",
                i + 1,
                p.width,
                p.height
            );
            p.sheet()
                .unwrap_or_else(|| panic!("page {} names no sheet: {}", i + 1, p.text()))
        })
        .collect();
    let mut order: Vec<&str> = sheets.clone();
    order.dedup();
    assert_eq!(order, sheet::ALL.to_vec(), "{sheets:?}");
    let count = |s: &str| sheets.iter().filter(|x| **x == s).count();
    // 总览 is two pages by design, the ranking one; the demo's 18 in all
    // (13 before the print rules, the long sheets shrunk to 3–7 pt: at full
    // size and with their wrapped rows as tall as their lines, they take more).
    assert_eq!(count(sheet::OVERVIEW), 2, "{sheets:?}");
    assert_eq!(count(sheet::RANKING), 1, "{sheets:?}");
    assert_eq!(pages.len(), 18, "{sheets:?}");

    for (i, p) in pages.iter().enumerate() {
        let (size, word) = p.smallest().expect("every page has Chinese text");
        assert!(
            size >= MIN_PT,
            "page {} ({}): \"{word}\" prints at {size:.2} pt",
            i + 1,
            sheets[i]
        );
        // No page more than half empty but its sheet's last.
        let last = sheets.get(i + 1) != Some(&sheets[i]);
        if !last {
            assert!(
                p.filled() > 0.5,
                "page {} ({}) is more than half empty: {:.2}",
                i + 1,
                sheets[i],
                p.filled()
            );
        }
    }

    // Every printed header whole on its sheet's first page: each of its
    // lines one word, never cut inside a word.
    for (name, headers) in printed_headers() {
        let first = sheets.iter().position(|s| *s == name).unwrap();
        let page = &pages[first];
        for h in &headers {
            for line in header_text(h).lines() {
                assert!(
                    page.has_word(line),
                    "{name}: header \"{h}\" is not whole (no word \"{line}\") on page {}: {}",
                    first + 1,
                    page.text()
                );
            }
        }
    }

    // 总览's first page is the one read aloud: the bulletin, the figures and
    // both charts (their titles and every unit on their axes).
    let p1 = &pages[0];
    for w in ["各单位投资完成率与时间进度", "各单位预警数"] {
        assert!(p1.has_word(w), "{w} not on 总览's first page");
    }
    let xlsx = out.join("调度通报_2026-10.xlsx");
    let ranked = table(&range(&xlsx, sheet::RANKING), 2);
    for m in &ranked {
        let unit = text(&m["单位"]);
        let on_axes = p1.words.iter().filter(|w| w.text == unit).count();
        assert_eq!(on_axes, 2, "{unit} on both charts' axes of 总览 page 1");
    }
    assert!(
        p1.text().contains("今年确定的"),
        "the bulletin is on page 1"
    );
}

/// The value beside a label in 总览's headline table.
fn headline(xlsx: &Path, label: &str) -> Data {
    range(xlsx, sheet::OVERVIEW)
        .rows()
        .find(|row| row.first().map(text).as_deref() == Some(label))
        .map(|row| row[1].clone())
        .unwrap_or_else(|| panic!("no headline {label}"))
}

#[test]
fn the_notice_document_prints_as_a_gongwen_with_the_figures_of_the_overview() {
    let Some((soffice, pdftotext)) = tools() else {
        return;
    };
    let (tmp, out) = demo();
    let docx = out.join(notice::output_name(
        diaodu::Period::parse("2026-10").unwrap(),
    ));
    assert!(docx.exists());
    let pdf = to_pdf(&soffice, &docx, &tmp.path().join("pdf"));
    let pages = pages(&pdftotext, &pdf);
    // A4 portrait, three pages for the demo's 12 units (its ranking rows one line each).
    assert_eq!(pages.len(), 3);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            (p.width - 595.0).abs() < 3.0 && (p.height - 842.0).abs() < 3.0,
            "page {} is {}×{}, not A4 portrait",
            i + 1,
            p.width,
            p.height
        );
        let (size, word) = p.smallest().unwrap();
        assert!(size >= MIN_PT, "page {}: \"{word}\" at {size:.2} pt", i + 1);
        // The 公文 margins: 28 mm left (79 pt), text no nearer the edges.
        for w in &p.words {
            assert!(
                w.x0 > 70.0 && w.x1 < p.width - 65.0,
                "{w:?} outside the margins"
            );
        }
    }
    let all: String = pages.iter().map(Page::text).collect::<Vec<_>>().join(" ");
    let flat = all.replace(' ', "");
    // The masthead: title, 期号, office and date; the body in 三号 (16 pt).
    for part in [
        "重点项目和招商引资调度通报",
        "2026年第1期",
        "重点项目建设指挥部办公室",
        "关于2026年10月重点项目和招商引资调度情况的通报",
        "一、总体情况",
        "二、排名情况",
        "三、预警和问责",
        "四、图表",
    ] {
        assert!(flat.contains(part), "{part} not in the document: {all}");
    }
    // Each unit's score prints whole in its ranking table (a column too narrow broke
    // "83.75" over two lines).
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("调度通报_2026-10.json")).unwrap()).unwrap();
    let words: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.words.iter().map(|w| w.text.as_str()))
        .collect();
    for u in report["units"].as_array().unwrap() {
        let score = format!("{:.2}", u["score"].as_f64().unwrap());
        assert!(
            words.contains(&score.as_str()),
            "{}'s score {score} is not whole in the document",
            u["unit"]
        );
    }
    let body = pages[0]
        .words
        .iter()
        .find(|w| w.text == "一、总体情况")
        .unwrap();
    assert!(((body.x1 - body.x0) / 6.0 - 16.0).abs() < 0.3, "{body:?}");

    // The same figures as 总览: the county's completion rate …
    let xlsx = out.join("调度通报_2026-10.xlsx");
    let rate = match headline(&xlsx, "投资完成率") {
        Data::Float(f) => f,
        other => panic!("{other:?}"),
    };
    let rate = diaodu::bulletin::fmt_pct(rate);
    assert!(
        flat.contains(&format!("占年度任务的{rate}")),
        "{rate} not in the document"
    );
    // … and the units in the ranking's order, 乡镇 in 表1 and 部门 in 表2.
    let ranked = table(&range(&xlsx, sheet::RANKING), 2);
    for (kind, table_no) in [("乡镇", "表1"), ("部门", "表2")] {
        let names: Vec<String> = ranked
            .iter()
            .filter(|m| text(&m["类别"]) == kind)
            .map(|m| text(&m["单位"]))
            .collect();
        assert!(names.len() >= 2, "{kind}: {names:?}");
        let mut at = flat.find(table_no).unwrap_or_else(|| panic!("{table_no}"));
        for n in &names {
            let found = flat[at..]
                .find(n.as_str())
                .unwrap_or_else(|| panic!("{n} not after {table_no} in ranking order"));
            at += found + n.len();
        }
    }
    // The units named for 通报批评 are those with a red flag.
    let flags = table(
        &range(&xlsx, sheet::WARNINGS),
        warnings::HEADER_ROW as usize,
    );
    let mut red: Vec<String> = flags
        .iter()
        .filter(|m| text(&m["级别"]) == "红色预警")
        .map(|m| text(&m["单位"]))
        .collect();
    red.dedup();
    assert!(!red.is_empty());
    let criticised = flat
        .split("通报批评:")
        .nth(1)
        .and_then(|s| s.split('。').next())
        .unwrap();
    for u in &red {
        assert!(
            criticised.contains(u.as_str()),
            "{u} not named: {criticised}"
        );
    }
}

#[test]
fn the_notice_is_an_output_replaced_only_with_force() {
    let (tmp, out) = demo();
    let docx = out.join("调度通报_2026-10.docx");
    let bytes = std::fs::read(&docx).unwrap();
    // A docx (zip) whose parts are compressed: small, with no row per project
    // (its two charts' pictures the most of it).
    assert_eq!(&bytes[..2], b"PK");
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let doc = part("word/document.xml");
    // 仿宋 body, 黑体 headings, A4 portrait with the 公文 margins.
    assert!(doc.contains(r#"w:eastAsia="仿宋""#));
    assert!(doc.contains(r#"w:eastAsia="黑体""#));
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "A4 portrait"
    );
    assert!(doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:left="1588""#));
    assert!(doc.contains("2026年第1期"));
    let fonts = part("word/fontTable.xml");
    assert!(
        fonts.contains(r#"<w:altName w:val="FangSong"/>"#),
        "{fonts}"
    );
    assert!(fonts.contains(r#"<w:altName w:val="SimHei"/>"#), "{fonts}");

    // The demo has no history: 单位排名 leaves the month-over-month columns
    // out (tests/history.rs sees them once last month is there).
    let xlsx = out.join("调度通报_2026-10.xlsx");
    let ranked = table(&range(&xlsx, sheet::RANKING), 2);
    for col in diaodu::report::ranking::MOM {
        assert!(!ranked[0].contains_key(*col), "{col} without history");
    }
    assert!(ranked[0].contains_key("得分") && ranked[0].contains_key("扣分"));

    // Without --force an existing document is kept, even when the workbook
    // and the run report are gone.
    std::fs::remove_file(out.join("调度通报_2026-10.xlsx")).unwrap();
    std::fs::remove_file(out.join("调度通报_2026-10.json")).unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo");
    let run = Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .arg("run")
        .arg(&demo)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("调度通报_2026-10.docx"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!out.join("调度通报_2026-10.xlsx").exists());
    drop(tmp);
}

/// The demo run in a copy of its folder (samples/demo is never written to)
/// whose diaodu.toml adds `extra`: the folder, the output folder and what
/// the run printed.
fn demo_with(extra: &str) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("demo");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo"),
        &work,
    );
    // What other runs may have left in the sample folder.
    for left in ["out", "history"] {
        let _ = std::fs::remove_dir_all(work.join(left));
    }
    let _ = std::fs::remove_file(work.join(".diaodu.lock"));
    let toml = work.join("diaodu.toml");
    let mut cfg = std::fs::read_to_string(&toml).unwrap();
    cfg.push_str(extra);
    std::fs::write(&toml, cfg).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .arg("run")
        .arg(&work)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = work.join("out");
    (tmp, out, String::from_utf8_lossy(&run.stdout).into_owned())
}

/// The .docx's parts: name → bytes.
fn docx_parts(docx: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

/// A Chinese font the charts can be drawn in, on this machine; CI installs
/// one (fonts-wqy-microhei), so there its absence is a failure.
fn chart_font_here() -> bool {
    let found = diaodu::report::chart::find_font(
        &diaodu::config::ChartFontChoice::Found,
        "城关镇河口镇时间进度红黄",
    )
    .is_ok();
    if !found {
        assert!(
            std::env::var_os("DIAODU_REQUIRE_SOFFICE").is_none(),
            "DIAODU_REQUIRE_SOFFICE is set but no Chinese font is installed"
        );
        eprintln!("no Chinese font on this machine: the charts' pictures are not checked");
    }
    found
}

#[test]
fn the_notice_charts_are_pictures_the_width_of_the_text() {
    if !chart_font_here() {
        return;
    }
    let (_tmp, out) = demo();
    let parts = docx_parts(&out.join("调度通报_2026-10.docx"));
    let pngs: Vec<&Vec<u8>> = parts
        .iter()
        .filter(|(n, _)| n.starts_with("word/media/"))
        .map(|(_, v)| v)
        .collect();
    // The demo has flags: both charts.
    assert_eq!(pngs.len(), 2, "{:?}", parts.keys().collect::<Vec<_>>());
    let doc = String::from_utf8_lossy(&parts["word/document.xml"]);
    assert_eq!(doc.matches("<pic:pic").count(), 2);
    // No bar rows in a table beside them.
    assert!(!doc.contains(r#"w:fill="70AD47""#));
    // 200 dpi across the text's 8,844 twips (6.14 in): 1,228 px; one row per
    // unit (12 in the demo's chart 1) with 9 pt text, ~4.9 mm each.
    // IHDR's width and height, after the 8-byte signature and its own
    // length and type.
    let size = |png: &[u8]| {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
        (be(16), be(20))
    };
    let (w1, h1) = size(pngs[0]);
    let (w2, _) = size(pngs[1]);
    assert_eq!((w1, w2), (1228, 1228));
    assert!(
        (12 * 38..12 * 38 + 160).contains(&h1),
        "chart 1 is {h1} px high"
    );
    // Placed at that size: 1,228 px at 200 dpi in EMU (914,400 an inch).
    assert!(
        doc.contains(r#"cx="5614416""#),
        "{}",
        &doc[doc.find("<wp:extent").unwrap()..][..80]
    );
    let bytes = std::fs::metadata(out.join("调度通报_2026-10.docx"))
        .unwrap()
        .len();
    assert!(bytes < 200_000, "{bytes} bytes");
}

#[test]
fn the_notice_charts_are_table_bars_without_a_font_and_the_run_says_why() {
    // Asked for: bars, nothing said.
    let (_tmp, out, stdout) = demo_with("chart_font = \"none\"\n");
    let parts = docx_parts(&out.join("调度通报_2026-10.docx"));
    assert!(!parts.keys().any(|n| n.starts_with("word/media/")));
    let doc = String::from_utf8_lossy(&parts["word/document.xml"]);
    assert!(doc.contains(r#"w:fill="70AD47""#) || doc.contains(r#"w:fill="E06666""#));
    assert!(doc.contains(r#"w:fill="C00000""#), "chart 2's red bars");
    assert!(!stdout.contains("提示:通报文档"), "{stdout}");
    // A file that is no font: bars, and one line naming it.
    let (_tmp, out, stdout) = demo_with("chart_font = \"不是字体.ttf\"\n");
    let parts = docx_parts(&out.join("调度通报_2026-10.docx"));
    assert!(!parts.keys().any(|n| n.starts_with("word/media/")));
    let line = stdout
        .lines()
        .find(|l| l.starts_with("提示:通报文档的两幅图以表格中的色条绘出"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("不是字体.ttf"), "{line}");
}
