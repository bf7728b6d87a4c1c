//! A fuzzing harness, deterministic by seed: the demo inbox's workbooks, the
//! test fixtures, the blank template and workbooks made here, mutated the way
//! a careless or hostile sender would (bytes flipped and cut; zip entries
//! dropped, duplicated, renamed, stored, bombed; sheet XML with broken cell
//! types and values, huge references and dimensions, deep nesting, entity
//! declarations, invalid UTF-8; sharedStrings counts; workbook sheet lists;
//! number formats; long and control-character text; a row repeated
//! thousands of times).
//!
//! Every case is read as `run` and `check` read a file (`pipeline::read_one`,
//! the reader, the header finder and the row mapper) on a thread with a time
//! bound: no panic, no hang, and a file that cannot be read is named with a
//! one-line reason. Then one `diaodu run` over an inbox of all the cases must
//! exit 0 and list every file in the run report's files[].
//!
//! `cargo test --release --test fuzz` runs `DEFAULT_CASES` cases;
//! `DIAODU_FUZZ_CASES=5000` runs more, `DIAODU_FUZZ_SEED=…` another sequence.
//! A failure names the seed, the case and its mutations, so it can be re-run.
//! A case that aborts the process cannot be reported by the test itself: with
//! `DIAODU_FUZZ_VERBOSE=1` each case is named on stderr before it is read, and
//! the inbox is left in the temporary folder (the newest file is the case).

mod common;

use common::zipedit::{archive, entries, Entry};
use common::*;
use diaodu::ingest::discover::{classify, InboxFile};
use diaodu::ingest::workbook::{Guard, ReadLimits};
use diaodu::merge::FileStatus;
use diaodu::Period;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");
const DEFAULT_CASES: usize = 600;
const DEFAULT_SEED: u64 = 0x005E_EDD1_A0D0_2026;
/// The child's time limit in the harness (the default is 60 s).
const CHILD_TIMEOUT_SECS: u64 = 4;
/// Wall-clock bound for one case.
const CASE_BOUND: Duration = Duration::from_secs(30);

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn env_num(key: &str) -> Option<u64> {
    let v = std::env::var(key).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => v.parse().ok(),
    }
}

/// The workbooks mutated: (name, bytes).
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut add_dir = |dir: &Path| {
        let mut list: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        list.sort();
        for p in list {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // Spreadsheets only (not the lock file, the .docx, .DS_Store).
            let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if name.starts_with("~$") || !["xlsx", "xls", "ods"].contains(&ext.as_str()) {
                continue;
            }
            out.push((name, std::fs::read(&p).unwrap()));
        }
    };
    add_dir(&root.join("samples/demo/inbox"));
    add_dir(&root.join("tests/fixtures"));
    out.push((
        "报表模板.xlsx".into(),
        std::fs::read(root.join("templates/报表模板.xlsx")).unwrap(),
    ));
    // A canonical file with every table, made here.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("made.xlsx");
    let mut projects = vec![
        row(&["XX县重点项目建设进度月报表(2026年10月)"]),
        row(&["填报单位:城关镇  填报日期:2026年11月3日  单位:万元"]),
        row(PROJECT_HEADER),
    ];
    for i in 0..30 {
        projects.push(project(
            &format!("CG-{i}"),
            &format!("项目{i}"),
            "城关镇",
            ["新建", "续建", "前期"][i % 3],
            1000.0 + i as f64,
            500.0,
            10.0,
            100.0 + i as f64,
            "2026-01-01",
            if i % 2 == 0 { "2026-02-01" } else { "" },
        ));
    }
    let mut milestones = vec![row(MILESTONE_HEADER)];
    for i in 0..10 {
        milestones.push(row(&[
            &format!("CG-{i}"),
            "主体完工",
            "2026-09-30",
            "",
            "15.6",
            "13.2",
            "公里",
        ]));
    }
    write_xlsx(
        &p,
        &[sheet("重点项目", projects), sheet("节点计划", milestones)],
    );
    out.push(("城关镇_made.xlsx".into(), std::fs::read(&p).unwrap()));
    out
}

/// Positions of every occurrence of `needle` in `hay`.
fn occurrences(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

fn replace_at(data: &mut Vec<u8>, at: usize, len: usize, with: &[u8]) {
    data.splice(at..at + len, with.iter().copied());
}

/// The end of the element content starting at `from` (the next `<`).
fn content_end(data: &[u8], from: usize) -> usize {
    data[from..]
        .iter()
        .position(|&b| b == b'<')
        .map_or(data.len(), |p| from + p)
}

/// Replace the content of one (random) `<tag…>content</…>`-style element
/// opened by `open` (e.g. `<v>`, `<t`) with `with`.
fn replace_content(rng: &mut Rng, data: &mut Vec<u8>, open: &[u8], with: &[u8]) -> bool {
    let at = occurrences(data, open);
    if at.is_empty() {
        return false;
    }
    let start = *rng.pick(&at);
    let Some(gt) = data[start..].iter().position(|&b| b == b'>') else {
        return false;
    };
    let from = start + gt + 1;
    let end = content_end(data, from);
    replace_at(data, from, end - from, with);
    true
}

fn is_sheet(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    (n.contains("worksheets/") && n.ends_with(".xml")) || n.ends_with("content.xml")
}

fn index_where(list: &[Entry], pred: impl Fn(&str) -> bool) -> Option<usize> {
    list.iter().position(|e| pred(&e.0))
}

fn long_text(rng: &mut Rng) -> Vec<u8> {
    let unit = ["长", "a", "&amp;", "😀", "\u{3000}"][rng.below(5)];
    let n = [33_000, 40_000, 70_000][rng.below(3)];
    unit.repeat(n).into_bytes()
}

/// One mutation of a zip workbook's entries; returns its name.
fn mutate_entries(rng: &mut Rng, list: &mut Vec<Entry>) -> &'static str {
    if list.is_empty() {
        return "empty-zip";
    }
    let any = rng.below(list.len());
    let sheet = index_where(list, is_sheet);
    let shared = index_where(list, |n| {
        n.to_ascii_lowercase().ends_with("sharedstrings.xml")
    });
    let workbook = index_where(list, |n| n.to_ascii_lowercase().ends_with("workbook.xml"));
    let styles = index_where(list, |n| n.to_ascii_lowercase().ends_with("styles.xml"));
    let text_part = shared.or(sheet);
    match rng.below(20) {
        0 => {
            list.remove(any);
            "drop-entry"
        }
        1 => {
            let e = list[any].clone();
            // The writer refuses a repeated name: a marked copy, renamed in
            // the archive's bytes afterwards (see `dup_marker`).
            list.insert(rng.below(list.len() + 1), (dup_marker(&e.0), e.1, e.2));
            "duplicate-entry"
        }
        2 => {
            let n = &mut list[any].0;
            *n = match rng.below(3) {
                0 => n.to_uppercase(),
                1 => format!("{n}x"),
                _ => n.replace('/', "\\"),
            };
            "rename-entry"
        }
        3 => {
            for e in list.iter_mut() {
                e.2 = true;
            }
            "stored"
        }
        4 => {
            list.push(("xl/media/zeros.bin".into(), vec![0u8; 4 << 20], false));
            "bomb"
        }
        5 | 6 => {
            let Some(i) = sheet else { return "no-sheet" };
            let d = &mut list[i].1;
            let types: &[&[u8]] = &[
                b" t=\"e\"",
                b" t=\"b\"",
                b" t=\"n\"",
                b" t=\"str\"",
                b" t=\"d\"",
                b" t=\"zz\"",
                b" t=\"inlineStr\"",
                b" t=\"s\"",
            ];
            let from = *rng.pick(&[&b" t=\"s\""[..], b" t=\"n\"", b" s=\""]);
            let at = occurrences(d, from);
            for &p in at.iter().rev() {
                if !rng.chance(30) {
                    continue;
                }
                let to = *rng.pick(types);
                if from == b" s=\"" {
                    replace_at(d, p, 0, to);
                } else {
                    replace_at(d, p, from.len(), to);
                }
            }
            "cell-type"
        }
        7 | 8 => {
            let Some(i) = sheet else { return "no-sheet" };
            let values: &[&[u8]] = &[
                b"",
                b"abc",
                b"1e999",
                b"NaN",
                b"-0",
                b"99999999999",
                b"2147483647",
                b"-1",
                b"4294967296",
                b"#REF!",
                b"1.5e308",
                b"-2958466",
                b"60",
                b"\x00",
            ];
            let open = *rng.pick(&[&b"<v"[..], b"<text:p", b"office:value=\"", b"<t"]);
            for _ in 0..1 + rng.below(5) {
                let v = *rng.pick(values);
                replace_content(rng, &mut list[i].1, open, v);
            }
            "cell-value"
        }
        9 => {
            let Some(i) = sheet else { return "no-sheet" };
            let d = &mut list[i].1;
            let refs: &[&[u8]] = &[
                b"XFD1048576",
                b"A1048576",
                b"XFD1",
                b"ZZZZ99999999",
                b"",
                b"A0",
                b"1A",
                b"A4294967296",
            ];
            let at = occurrences(d, b" r=\"");
            for &p in at.iter().rev() {
                if !rng.chance(10) {
                    continue;
                }
                let end = d[p + 4..]
                    .iter()
                    .position(|&b| b == b'"')
                    .map_or(d.len(), |e| p + 4 + e);
                let r = *rng.pick(refs);
                replace_at(d, p + 4, end - (p + 4), r);
            }
            "huge-ref"
        }
        10 => {
            let Some(i) = sheet else { return "no-sheet" };
            let d = &mut list[i].1;
            let dims: &[&[u8]] = &[b"A1:XFD1048576", b"A1:A1", b"B2:A1", b"", b"XFD1048576"];
            let dim = *rng.pick(dims);
            match occurrences(d, b"<dimension ref=\"").first() {
                Some(&p) => {
                    let s = p + 16;
                    let end = d[s..]
                        .iter()
                        .position(|&b| b == b'"')
                        .map_or(d.len(), |e| s + e);
                    replace_at(d, s, end - s, dim);
                }
                None => {
                    if let Some(&p) = occurrences(d, b"<sheetData").first() {
                        let mut el = b"<dimension ref=\"".to_vec();
                        el.extend_from_slice(dim);
                        el.extend_from_slice(b"\"/>");
                        replace_at(d, p, 0, &el);
                    }
                }
            }
            // ods: a row repeated a million times.
            for p in occurrences(d, b"<table:table-row")
                .into_iter()
                .rev()
                .take(1)
            {
                replace_at(d, p + 16, 0, b" table:number-rows-repeated=\"1000000\"");
            }
            "dimension"
        }
        11 => {
            let i = text_part.unwrap_or(any);
            let d = &mut list[i].1;
            if !d.is_empty() {
                let at = rng.below(d.len());
                let bad = *rng.pick(&[
                    &b"\xFF\xFE"[..],
                    b"\xC3",
                    b"\xED\xA0\x80",
                    b"\xF4\x90\x80\x80",
                ]);
                replace_at(d, at, 0, bad);
            }
            "invalid-utf8"
        }
        12 => {
            let Some(i) = text_part else { return "no-text" };
            let with = long_text(rng);
            let open = *rng.pick(&[&b"<t"[..], b"<text:p"]);
            replace_content(rng, &mut list[i].1, open, &with);
            "long-text"
        }
        13 => {
            let Some(i) = text_part else { return "no-text" };
            let ctl: &[&[u8]] = &[
                b"\x01\x07\x1b[31m",
                b"&#1;&#0;",
                b"_x0001__x0000_",
                b"\r\n\t=cmd|' /C calc'!A0",
                b"\xEF\xBF\xBE",
            ];
            for _ in 0..1 + rng.below(3) {
                let c = *rng.pick(ctl);
                let open = *rng.pick(&[&b"<t"[..], b"<text:p", b"<v"]);
                replace_content(rng, &mut list[i].1, open, c);
            }
            "control-text"
        }
        14 => {
            let Some(i) = shared else { return "no-shared" };
            let d = &mut list[i].1;
            let key = *rng.pick(&[&b"uniqueCount=\""[..], b"count=\""]);
            let v = *rng.pick(&[
                &b"2147483647"[..],
                b"4294967295",
                b"18446744073709551615",
                b"0",
                b"-1",
                b"100000000",
            ]);
            if let Some(&p) = occurrences(d, key).first() {
                let s = p + key.len();
                let end = d[s..]
                    .iter()
                    .position(|&b| b == b'"')
                    .map_or(d.len(), |e| s + e);
                replace_at(d, s, end - s, v);
            }
            "sst-count"
        }
        15 => {
            let Some(i) = sheet else { return "no-sheet" };
            let d = &mut list[i].1;
            let n = [1_000, 50_000][rng.below(2)];
            let at = occurrences(d, b"<sheetData>")
                .first()
                .map(|p| p + 11)
                .unwrap_or(d.len() / 2);
            let mut deep = b"<x>".repeat(n);
            if rng.chance(50) {
                deep.extend_from_slice(&b"</x>".repeat(n));
            }
            replace_at(d, at, 0, &deep);
            "deep-nesting"
        }
        16 => {
            let i = text_part.unwrap_or(any);
            let d = &mut list[i].1;
            let decl = b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>";
            let at = occurrences(d, b"?>").first().map_or(0, |p| p + 2);
            replace_at(d, at, 0, decl);
            replace_content(rng, d, b"<t", b"&c;&c;&c;");
            "entity"
        }
        17 => {
            let Some(i) = workbook else {
                return "no-workbook";
            };
            let d = &mut list[i].1;
            if let Some(&p) = occurrences(d, b"<sheet ").first() {
                let end = d[p..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(d.len(), |e| p + e + 1);
                let el = d[p..end].to_vec();
                match rng.below(3) {
                    0 => replace_at(d, end, 0, &el),
                    1 => replace_at(d, p, end - p, b""),
                    _ => replace_at(
                        d,
                        p,
                        end - p,
                        b"<sheet name=\"x\" sheetId=\"99\" r:id=\"rId99\"/>",
                    ),
                }
            }
            "sheet-list"
        }
        18 => {
            // The last row repeated thousands of times (in an .ods these are
            // new rows: one id on many rows; in an .xlsx the same cells again).
            let Some(i) = sheet else { return "no-sheet" };
            let d = &mut list[i].1;
            let (open, close): (&[u8], &[u8]) = if occurrences(d, b"<table:table-row").is_empty() {
                (b"<row ", b"</row>")
            } else {
                (b"<table:table-row", b"</table:table-row>")
            };
            let Some(&start) = occurrences(d, open).last() else {
                return "no-row";
            };
            let Some(end) = occurrences(&d[start..], close)
                .first()
                .map(|e| start + e + close.len())
            else {
                return "no-row";
            };
            let one = d[start..end].to_vec();
            let n = [2_000, 20_000][rng.below(2)];
            replace_at(d, end, 0, &one.repeat(n));
            "many-rows"
        }
        _ => {
            let Some(i) = styles else { return "no-styles" };
            let d = &mut list[i].1;
            let codes: &[&[u8]] = &[
                b"yyyy-mm-dd;;;@[",
                b"[$-F800]dddd",
                b"0.00E+999",
                b"\"\"\"",
                b"[h]:mm:ss.000000000",
                b"",
            ];
            for p in occurrences(d, b"formatCode=\"").into_iter().rev() {
                let s = p + 12;
                let end = d[s..]
                    .iter()
                    .position(|&b| b == b'"')
                    .map_or(d.len(), |e| s + e);
                let c = *rng.pick(codes);
                replace_at(d, s, end - s, c);
            }
            for p in occurrences(d, b"numFmtId=\"").into_iter().rev() {
                if !rng.chance(30) {
                    continue;
                }
                let s = p + 10;
                let end = d[s..]
                    .iter()
                    .position(|&b| b == b'"')
                    .map_or(d.len(), |e| s + e);
                let id = *rng.pick(&[&b"14"[..], b"22", b"4294967295", b"-1", b"x"]);
                replace_at(d, s, end - s, id);
            }
            "number-format"
        }
    }
}

/// The marked name of a duplicated entry: same length, last character `~`.
fn dup_marker(name: &str) -> String {
    let mut n: Vec<char> = name.chars().collect();
    if let Some(c) = n.last_mut() {
        *c = if *c == '~' { '^' } else { '~' };
    }
    n.into_iter().collect()
}

/// Put the duplicated entries' real names back in the archive's bytes.
fn unmark(bytes: &mut [u8], originals: &[Entry]) {
    for (name, _, _) in originals {
        let marked = dup_marker(name);
        if marked == *name {
            continue;
        }
        let (m, o) = (marked.as_bytes(), name.as_bytes());
        for p in occurrences(bytes, m) {
            bytes[p..p + m.len()].copy_from_slice(o);
        }
    }
}

/// A mutated copy of `bytes`, and the names of its mutations.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> (Vec<u8>, Vec<&'static str>) {
    let mut names = Vec::new();
    let mut data = bytes.to_vec();
    let steps = 1 + rng.below(2);
    for _ in 0..steps {
        let zipped = entries(&data);
        match (rng.below(10), zipped) {
            (0, _) => {
                let n = 1 + rng.below(8);
                for _ in 0..n {
                    if !data.is_empty() {
                        let at = rng.below(data.len());
                        data[at] ^= 1 << rng.below(8);
                    }
                }
                names.push("flip-bits");
            }
            (1, _) => {
                data.truncate(rng.below(data.len().max(1)));
                names.push("truncate");
            }
            (2, Some(mut list)) if !list.is_empty() => {
                // Bits flipped inside an entry's inflated content.
                let i = rng.below(list.len());
                let d = &mut list[i].1;
                for _ in 0..1 + rng.below(8) {
                    if !d.is_empty() {
                        let at = rng.below(d.len());
                        d[at] ^= 1 << rng.below(8);
                    }
                }
                data = archive(&list);
                names.push("flip-entry");
            }
            (_, Some(mut list)) => {
                let originals = list.clone();
                names.push(mutate_entries(rng, &mut list));
                data = archive(&list);
                unmark(&mut data, &originals);
            }
            (_, None) => {
                // Not a zip (xls, docx read as bytes): flip bits in a block.
                if !data.is_empty() {
                    let at = rng.below(data.len());
                    let end = (at + 1 + rng.below(512)).min(data.len());
                    for b in &mut data[at..end] {
                        if rng.chance(5) {
                            *b ^= 1 << rng.below(8);
                        }
                    }
                }
                names.push("flip-block");
            }
        }
    }
    (data, names)
}

/// Address space this process may use while it reads the cases: an
/// allocation no file should get (calamine reserving for two billion shared
/// strings) then fails and aborts the test, even where memory is overcommitted.
const ADDRESS_CAP: u64 = 8 << 30;

/// The process's address-space limit lowered to `ADDRESS_CAP` (the soft
/// limit only), put back when dropped.
struct AddressCap(libc::rlimit);

impl AddressCap {
    fn set() -> Option<AddressCap> {
        let mut old = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct given.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_AS, &mut old) != 0 {
                return None;
            }
            let cap = libc::rlimit {
                rlim_cur: ADDRESS_CAP.min(old.rlim_max),
                rlim_max: old.rlim_max,
            };
            (libc::setrlimit(libc::RLIMIT_AS, &cap) == 0).then_some(AddressCap(old))
        }
    }
}

impl Drop for AddressCap {
    fn drop(&mut self) {
        // SAFETY: as above; the soft limit goes back to what it was.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &self.0);
        }
    }
}

struct Case {
    name: String,
    mutations: String,
}

/// Read a case as `run` reads each file, on a thread with a time bound.
fn read_case(path: &Path, name: &str, guard: &Guard) -> Result<(FileStatus, String), String> {
    let meta = std::fs::metadata(path).unwrap();
    let f = InboxFile {
        kind: classify(name),
        path: path.to_path_buf(),
        name: name.to_string(),
        size: meta.len(),
        modified: meta.modified().ok(),
    };
    let (tx, rx) = mpsc::channel();
    let g = guard.clone();
    let period = Period::parse("2026-10").unwrap();
    let handle = std::thread::spawn(move || {
        let t = Instant::now();
        let r = diaodu::pipeline::read_one(&f, 0, &g, period, 15);
        let _ = tx.send((r, t.elapsed()));
    });
    let ((rf, findings), took) = match rx.recv_timeout(CASE_BOUND) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            return Err(format!("no answer within {CASE_BOUND:?} (hang)"));
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let p = handle.join().err().map(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            });
            return Err(format!("panicked: {p:?}"));
        }
    };
    let _ = handle.join();
    for fi in &findings {
        if fi.file != name {
            return Err(format!(
                "a finding names {:?}, not the file: {}",
                fi.file,
                fi.one_line()
            ));
        }
        if fi.message.trim().is_empty() {
            return Err(format!("a finding without a message: {}", fi.one_line()));
        }
        // As the terminal shows it: one line, no escape sequences.
        let line = fi.one_line();
        if line.chars().any(char::is_control) {
            return Err(format!("a finding does not print on one line: {line:?}"));
        }
    }
    if rf.entry.status == FileStatus::Unreadable {
        let reason = rf.entry.reason.clone().unwrap_or_default();
        if reason.trim().is_empty() || reason.contains('\n') {
            return Err(format!("unreadable without a one-line reason: {reason:?}"));
        }
        if !findings
            .iter()
            .any(|f| f.severity == diaodu::Severity::Error)
        {
            return Err("unreadable without an error finding".into());
        }
    }
    if took > Duration::from_secs(CHILD_TIMEOUT_SECS + 10) {
        return Err(format!("took {took:?}"));
    }
    Ok((rf.entry.status, rf.entry.reason.unwrap_or_default()))
}

#[test]
fn mutated_workbooks_never_stop_the_batch() {
    let cases = env_num("DIAODU_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seed = env_num("DIAODU_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let started = Instant::now();
    let seeds = seeds();
    assert!(seeds.len() >= 12, "{} seed files", seeds.len());

    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let inbox = work.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo");
    std::fs::copy(demo.join("roster.xlsx"), work.join("roster.xlsx")).unwrap();
    std::fs::write(
        work.join("diaodu.toml"),
        format!("period = \"2026-10\"\n[limits]\ntimeout_secs = {CHILD_TIMEOUT_SECS}\n"),
    )
    .unwrap();
    let guard = Guard {
        limits: ReadLimits {
            timeout_secs: CHILD_TIMEOUT_SECS,
            ..ReadLimits::default()
        },
        child_exe: Some(PathBuf::from(BIN)),
    };

    let cap = AddressCap::set();
    assert!(cap.is_some(), "could not cap the address space");
    let verbose = std::env::var_os("DIAODU_FUZZ_VERBOSE").is_some();
    let mut made: Vec<Case> = Vec::with_capacity(cases);
    let mut failures = Vec::new();
    let mut unreadable = 0;
    for i in 0..cases {
        // Each case its own sequence: one can be re-run alone.
        let mut rng = Rng::new(seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (orig, bytes) = rng.pick(&seeds);
        let (data, mutations) = mutate(&mut rng, bytes);
        let name = format!("{i:05}_{orig}");
        let path = inbox.join(&name);
        std::fs::write(&path, &data).unwrap();
        let mutations = mutations.join("+");
        if verbose {
            // Before the read: if the process dies, the last line names the case.
            eprintln!("case {i}: {mutations} of {orig} …");
        }
        match read_case(&path, &name, &guard) {
            Ok((st, why)) => {
                if verbose {
                    eprintln!("case {i}: {mutations} of {orig}: {st:?} {why}");
                }
                if st != FileStatus::Merged {
                    unreadable += 1;
                }
            }
            Err(e) => failures.push(format!(
                "case {i} ({mutations} of {orig}, seed {seed:#x}): {e}"
            )),
        }
        made.push(Case { name, mutations });
    }
    drop(cap);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // One run over all of them: exit 0, every file listed.
    let out = Command::new(BIN)
        .arg("run")
        .arg(&work)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "run over the mutated inbox: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.join("out/调度通报_2026-10.json")).unwrap())
            .unwrap();
    let listed: std::collections::BTreeSet<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for c in &made {
        assert!(
            listed.contains(c.name.as_str()),
            "{} ({}) not in the run report's files[]",
            c.name,
            c.mutations
        );
    }
    assert_eq!(listed.len(), made.len());
    // The mutations do bite: some cases are refused or lose their tables.
    assert!(unreadable > 0, "every mutated file was read");
    eprintln!(
        "fuzz: {cases} cases (seed {seed:#x}) in {:.1} s, {unreadable} not merged (unreadable or no table)",
        started.elapsed().as_secs_f64()
    );
}

/// The cargo-fuzz targets' code (`fuzz/`, `diaodu::ingest::fuzz`) on seeded
/// random bytes: sheets made of form words, numbers, dates and raw text
/// through the header finder and the row mapper, and raw text through the
/// cell parsers. No panic, and the sheets reach the rows: a harness that
/// never found a table would test nothing past the header scan.
#[test]
fn parser_fuzz_targets_on_seeded_bytes() {
    use diaodu::ingest::fuzz;
    let cases = env_num("DIAODU_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize) * 20;
    let mut rng = Rng::new(env_num("DIAODU_FUZZ_SEED").unwrap_or(DEFAULT_SEED));
    let mut with_rows = 0;
    for case in 0..cases {
        let len = 16 + rng.below(600);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let rows = std::panic::catch_unwind(|| fuzz::headers(&bytes))
            .unwrap_or_else(|_| panic!("headers panicked on case {case}: {bytes:?}"));
        with_rows += (rows > 0) as usize;
        std::panic::catch_unwind(|| fuzz::cells(&bytes))
            .unwrap_or_else(|_| panic!("cells panicked on case {case}: {bytes:?}"));
    }
    eprintln!("parser fuzz: {cases} cases, {with_rows} with rows read");
    assert!(with_rows > 0, "no case reached the rows of a table");
}
