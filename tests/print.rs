//! The workbook opens in a real spreadsheet application: LibreOffice converts
//! the demo workbook to PDF, every sheet prints, and on the expected paper.
//!
//! Needs `soffice` (LibreOffice). `.ci/run` installs it and sets
//! DIAODU_REQUIRE_SOFFICE=1; on a machine without it the test says so and
//! passes only when that variable is unset.

use std::path::{Path, PathBuf};
use std::process::Command;

fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|c| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {c}"))
            .output()
            .ok()?;
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!p.is_empty()).then(|| PathBuf::from(p))
    })
}

/// Page objects in a PDF: "/Type/Page" or "/Type /Page" not followed by "s".
fn count_pages(pdf: &[u8]) -> usize {
    let mut n = 0;
    for pat in [&b"/Type/Page"[..], &b"/Type /Page"[..]] {
        let mut i = 0;
        while let Some(p) = pdf[i..].windows(pat.len()).position(|w| w == pat) {
            let at = i + p + pat.len();
            if pdf.get(at) != Some(&b's') {
                n += 1;
            }
            i = at;
        }
    }
    n
}

/// MediaBox sizes of the pages, as (width, height) in points.
fn media_boxes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/MediaBox")
        .filter_map(|(i, _)| {
            let rest = &text[i + 9..];
            let open = rest.find('[')?;
            let close = rest.find(']')?;
            let nums: Vec<f64> = rest[open + 1..close]
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            (nums.len() == 4).then(|| (nums[2] - nums[0], nums[3] - nums[1]))
        })
        .collect()
}

#[test]
fn demo_workbook_converts_to_pdf_with_every_sheet_on_a4_landscape() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var_os("DIAODU_REQUIRE_SOFFICE").is_none(),
            "DIAODU_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("LibreOffice (soffice) not found: PDF check skipped (CI installs it)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo");
    let run = Command::new(env!("CARGO_BIN_EXE_diaodu"))
        .arg("run")
        .arg(&demo)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let xlsx = out.join("调度通报_2026-10.xlsx");
    let profile = format!(
        "-env:UserInstallation=file://{}/lo-profile",
        tmp.path().display()
    );
    let conv = Command::new(&soffice)
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(tmp.path())
        .arg(&xlsx)
        .output()
        .unwrap();
    let pdf_path = tmp.path().join("调度通报_2026-10.pdf");
    assert!(
        pdf_path.exists(),
        "LibreOffice did not convert: {}{}",
        String::from_utf8_lossy(&conv.stdout),
        String::from_utf8_lossy(&conv.stderr)
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    let pages = count_pages(&pdf);
    // Every one of the nine sheets prints, each at least one page; the demo
    // is small, so no sheet runs to many pages.
    let sheets = diaodu::report::sheet::ALL.len();
    assert!(
        pages >= sheets && pages <= 3 * sheets,
        "{pages} pages for {sheets} sheets"
    );
    // A4 landscape: 842 × 595 points.
    let boxes = media_boxes(&pdf);
    assert!(!boxes.is_empty());
    for (w, h) in boxes {
        assert!(
            (w - 842.0).abs() < 3.0 && (h - 595.0).abs() < 3.0,
            "page {w}×{h} is not A4 landscape"
        );
    }
}
