//! Guarded spreadsheet reading.
//!
//! [`Guard::read`] turns any file into either the cell grid of every sheet or a clean
//! [`ReadError`] whose `Display` is one line of plain Chinese. It must never panic, hang or
//! allocate without bound, whatever the file holds. The layers, from the outside in:
//!
//! 1. The format is detected from the content (magic bytes), never from the extension.
//! 2. Zip containers (xlsx, xlsm, xlsb, ods) have their central directory checked against
//!    [`ReadLimits`] before calamine sees them (entry count, declared sizes, inflate ratio).
//!    The `zip` crate refuses to inflate an entry past its declared size, so the declared
//!    sizes also bound what calamine can decompress.
//! 3. CFB containers are scanned for the streams of an encrypted OOXML package, and BIFF
//!    workbook streams for a FILEPASS record, so encrypted files get [`ReadError::Encrypted`].
//! 4. Inside `catch_unwind`, cells are collected sparsely from calamine's cell reader
//!    (xlsx, xlsb) or range (xls, ods), their (estimated) memory is charged against
//!    [`ReadLimits::max_memory_bytes`] before any shared string is copied, and the dense
//!    grid is only built after its rows and size were checked against
//!    [`ReadLimits::max_rows_per_sheet`] and [`ReadLimits::max_cells`].
//! 5. All of that runs in a worker of a pool of long-lived reader processes of the current
//!    executable ([`pool`]: `<exe> __read-worker`, limits in `DIAODU_CHILD_LIMITS`), which
//!    arms [`CappedAlloc`] for every file and is capped by `RLIMIT_DATA`, and which is killed
//!    after [`ReadLimits::timeout_secs`]: a panic, allocation abort, stack overflow or endless
//!    loop costs one file, whatever the format (calamine trusts counts in xlsx too, has
//!    unbounded allocations and panics in xls, and expands repeated ods rows eagerly).
//!
//! In-process reading (when [`Guard::child_exe`] is `None`: the library without its
//! executable) cannot be stopped by a timeout and is not protected against aborts.
//!
//! Here: the cell grid's types, the errors, [`Guard`] and panic containment. Beside it:
//! `sniff` (layers 1 and 3), `formats` (calamine, per format), `grid` (cells charged and
//! the grid built: layer 4), `capped` (the counting allocator), `pool` (the reader
//! processes: layer 5) and `child` (a one-file child process).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};
use mimalloc::MiMalloc as Inner;
use serde::{Deserialize, Serialize};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell as StdCell;
use std::io::{Cursor, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::sync::Once;

mod capped;
mod child;
mod formats;
mod grid;
mod pool;
mod sniff;
pub use capped::{
    arm_memory_cap, live_heap_bytes, memory_cap_available, CappedAlloc, CAPPED_ALLOC,
};
pub use child::child_main;
use child::*;
pub use formats::read_in_process;
use grid::*;
pub use pool::{cap_os_memory, shutdown_pools, worker_main, Held, Pool, OS_HEADROOM, WORKER_ARG};
use sniff::*;

const MIB: u64 = 1024 * 1024;

/// The first argument that makes the executable act as a read child.
pub const CHILD_ARG: &str = "__read-child";
/// Environment variable carrying the JSON of [`ReadLimits`] to the child.
pub const CHILD_LIMITS_ENV: &str = "DIAODU_CHILD_LIMITS";

/// One cell as read. Dates are converted to chrono::NaiveDateTime honouring the 1904 system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    Date(chrono::NaiveDateTime),
    Error(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawSheet {
    pub name: String,
    /// Hidden or very hidden.
    pub hidden: bool,
    /// 0-based absolute row of `rows[0]`.
    pub first_row: u32,
    /// 0-based absolute column of `rows[i][0]`.
    pub first_col: u32,
    /// Dense grid; trailing empty cells of each row are trimmed, so rows may differ in length.
    pub rows: Vec<Vec<Cell>>,
    /// Merged regions (start_row, start_col, end_row, end_col), absolute 0-based; empty when
    /// the format gives none (xlsb, ods).
    pub merged: Vec<(u32, u32, u32, u32)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<RawSheet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadError {
    /// Content is not a workbook; the text says what it looks like.
    NotSpreadsheet(String),
    /// Password protected / encrypted.
    Encrypted,
    /// A workbook with no sheet or no cell at all.
    Empty,
    /// A guard limit tripped; the text says which, with the numbers.
    TooLarge(String),
    /// The child reader did not finish within this many seconds.
    Timeout(u64),
    /// The reader failed or crashed.
    Corrupt(String),
    /// A real spreadsheet in a format this reader does not support (Excel 2.x–4.0 streams
    /// without an OLE container).
    Unsupported(String),
}

/// Make a detail string safe to show inside a one-line message.
fn one_line(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if out.chars().count() > 200 {
        out = out.chars().take(200).collect::<String>() + "…";
    }
    out
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotSpreadsheet(k) => write!(
                f,
                "不是电子表格文件({}):请报送 .xlsx、.xls 或 .ods 格式的报表",
                one_line(k)
            ),
            ReadError::Encrypted => {
                write!(f, "文件设有密码或已加密,无法读取:请取消密码后重新报送")
            }
            ReadError::Empty => write!(f, "文件中没有任何数据"),
            ReadError::TooLarge(d) => {
                write!(
                    f,
                    "文件超出安全上限({}),未读取:请检查文件是否正确",
                    one_line(d)
                )
            }
            ReadError::Timeout(s) => write!(f, "读取超过 {s} 秒仍未完成,已中止:文件可能已损坏"),
            ReadError::Corrupt(d) => write!(
                f,
                "文件已损坏,无法打开({}):请用 Excel 或 WPS 打开后另存为 .xlsx 重新报送",
                one_line(d)
            ),
            ReadError::Unsupported(d) => write!(
                f,
                "文件格式过旧,无法读取({}):请用 Excel 或 WPS 打开后另存为 .xlsx 重新报送",
                one_line(d)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// The read limits are settings (`[limits]` of diaodu.toml): they live in config.
pub use crate::config::ReadLimits;

/// How xls, xlsb and ods files are read: in a child process of this executable
/// (`<exe> __read-child <path>` with the limits in `DIAODU_CHILD_LIMITS`), or in-process when
/// no exe is known (then unguarded against out-of-memory aborts and hangs).
#[derive(Debug, Clone, Default)]
pub struct Guard {
    pub limits: ReadLimits,
    pub child_exe: Option<PathBuf>,
}

impl Guard {
    /// A guard that reads xls, xlsb and ods in a child process of the running executable.
    pub fn with_current_exe(limits: ReadLimits) -> Guard {
        Guard {
            limits,
            child_exe: std::env::current_exe().ok(),
        }
    }

    /// Read a workbook, detecting the format by content (magic bytes), not by extension:
    /// in a worker of the process pool when an executable is known, else in-process.
    pub fn read(&self, path: &Path) -> Result<Workbook, ReadError> {
        self.read_held(path).0
    }

    /// [`Guard::read`], with the share of the readers' response budget the workbook
    /// holds: drop it with the workbook (callers reading many files at once are bounded
    /// by it, see [`pool`]).
    pub fn read_held(&self, path: &Path) -> (Result<Workbook, ReadError>, Held) {
        match &self.child_exe {
            Some(exe) => match Pool::shared(exe, &self.limits) {
                Ok(pool) => pool.read_held(path),
                Err(e) => (Err(e), Held::none()),
            },
            None => (read_in_process(path, &self.limits), Held::none()),
        }
    }

    /// How many files to read at once: two per worker when workers read (one file is
    /// parsed while the last is checked here), one per thread in-process.
    pub fn lanes(&self) -> usize {
        let per_core = if self.child_exe.is_some() { 2 } else { 1 };
        per_core * pool::cores()
    }
}

fn read_file(path: &Path, limits: &ReadLimits) -> Result<Vec<u8>, ReadError> {
    let meta =
        std::fs::metadata(path).map_err(|e| ReadError::Corrupt(format!("无法访问文件: {e}")))?;
    if !meta.is_file() {
        return Err(ReadError::NotSpreadsheet("不是普通文件".into()));
    }
    if meta.len() > limits.max_total_bytes {
        return Err(ReadError::TooLarge(format!(
            "文件大小 {} MiB,上限 {} MiB",
            meta.len() / MIB,
            limits.max_total_bytes / MIB
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(limits.max_total_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(|e| ReadError::Corrupt(format!("无法读取文件: {e}")))?;
    if bytes.len() as u64 > limits.max_total_bytes {
        return Err(ReadError::TooLarge(format!(
            "文件大小超过 {} MiB",
            limits.max_total_bytes / MIB
        )));
    }
    Ok(bytes)
}

// ---------------------------------------------------------------------------------------
// Panic containment
// ---------------------------------------------------------------------------------------

thread_local! {
    static QUIET_PANICS: StdCell<bool> = const { StdCell::new(false) };
}

static HOOK: Once = Once::new();

/// Install (once) a panic hook that stays silent on threads currently inside [`guarded`]
/// and defers to the previous hook everywhere else.
fn install_quiet_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
}

/// Run `f`, turning a panic into `ReadError::Corrupt`.
fn guarded<T>(f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    install_quiet_hook();
    let was_quiet = QUIET_PANICS.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(was_quiet));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "未知错误".into());
            Err(ReadError::Corrupt(format!("读取程序内部错误: {msg}")))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::formats::{merged, worksheets};
    use super::*;
    use crate::ingest::xlsx_merged::SheetParts;

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    /// The merged regions read from the tail of each sheet part are calamine's, for every
    /// xlsx of the real-world corpus and of the fixtures that passes the zip guards; and
    /// most sheets take that way rather than falling back to calamine.
    #[test]
    fn merged_regions_match_calamine() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = root.join("../shared/corpus/real-world");
        if !corpus.is_dir() {
            // A fresh clone has no ../shared beside it; CI requires it.
            assert!(
                std::env::var_os("DIAODU_REQUIRE_SHARED").is_none(),
                "{} not found, and DIAODU_REQUIRE_SHARED is set",
                corpus.display()
            );
            eprintln!(
                "merged_regions_match_calamine: skipped, {} not found",
                corpus.display()
            );
            return;
        }
        let mut files = Vec::new();
        walk(&root.join("../shared/corpus/real-world"), &mut files);
        walk(&root.join("tests/fixtures"), &mut files);
        files.sort();
        let limits = ReadLimits::default();
        let (mut sheets, mut fast, mut with_regions) = (0, 0, 0);
        for path in &files {
            let Ok(bytes) = read_file(path, &limits) else {
                continue;
            };
            if !matches!(guarded(|| sniff(&bytes, &limits)), Ok(Format::Xlsx)) {
                continue;
            }
            let compared = guarded(|| {
                let Ok(mut wb) = Xlsx::new(Cursor::new(bytes.as_slice())) else {
                    return Ok(());
                };
                let mut parts = SheetParts::open(&bytes, &wb.sheet_names());
                for (name, _) in worksheets(wb.sheets_metadata()) {
                    sheets += 1;
                    let ours = parts.as_mut().and_then(|p| p.merged(&name));
                    let theirs = wb.merge_cells_by_sheet_name(&name).map(merged);
                    if let Some(ours) = ours {
                        fast += 1;
                        with_regions += usize::from(!ours.is_empty());
                        match theirs {
                            Ok(t) => assert_eq!(ours, t, "{} / {name}", path.display()),
                            Err(e) => panic!("{} / {name}: calamine fails: {e}", path.display()),
                        }
                    }
                }
                Ok(())
            });
            if let Err(e) = compared {
                // A panic inside calamine; a panic of an assertion is a failure.
                assert!(!e.to_string().contains(&path.display().to_string()), "{e}");
            }
        }
        eprintln!("{sheets} sheets, {fast} by the sheet tail, {with_regions} with regions");
        assert!(sheets > 100, "corpus not found: {sheets} sheets");
        assert!(
            fast * 10 >= sheets * 9,
            "{fast} of {sheets} by the sheet tail"
        );
        assert!(with_regions > 20);
    }
}
