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

mod pool;
pub use pool::{cap_os_memory, shutdown_pools, worker_main, Pool, OS_HEADROOM, WORKER_ARG};

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
        match &self.child_exe {
            Some(exe) => Pool::shared(exe, &self.limits)?.read(path),
            None => read_in_process(path, &self.limits),
        }
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

// ---------------------------------------------------------------------------------------
// Format detection
// ---------------------------------------------------------------------------------------

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detect the format from the content and run the container-level guards.
fn sniff(bytes: &[u8], limits: &ReadLimits) -> Result<Format, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::NotSpreadsheet("空文件,0 字节".into()));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes, limits);
    }
    if bytes.starts_with(b"PK\x05\x06") {
        return Err(ReadError::NotSpreadsheet("空的 zip 压缩包".into()));
    }
    if bytes.starts_with(&CFB_MAGIC) {
        if cfb_has_stream(bytes, "EncryptedPackage") || cfb_has_stream(bytes, "EncryptionInfo") {
            return Err(ReadError::Encrypted);
        }
        if biff_filepass(bytes, 64) {
            return Err(ReadError::Encrypted);
        }
        let has_book = cfb_has_stream(bytes, "Workbook")
            || cfb_has_stream(bytes, "Book")
            || cfb_has_stream(bytes, "WORKBOOK")
            || cfb_has_stream(bytes, "BOOK");
        if !has_book && cfb_has_stream(bytes, "WordDocument") {
            return Err(ReadError::NotSpreadsheet("Word 文档".into()));
        }
        if !has_book && cfb_has_stream(bytes, "PowerPoint Document") {
            return Err(ReadError::NotSpreadsheet("PowerPoint 演示文稿".into()));
        }
        return Ok(Format::Xls);
    }
    if let Some(version) = bare_biff(bytes) {
        if biff_filepass(&bytes[..bytes.len().min(64)], 64) {
            return Err(ReadError::Encrypted);
        }
        return Err(ReadError::Unsupported(format!(
            "{version} 数据流,没有 OLE 容器"
        )));
    }
    Err(ReadError::NotSpreadsheet(describe_other(bytes).into()))
}

fn sniff_zip(bytes: &[u8], limits: &ReadLimits) -> Result<Format, ReadError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("zip 结构损坏: {e}")))?;
    let count = archive.len() as u64;
    if count > limits.max_zip_entries {
        return Err(ReadError::TooLarge(format!(
            "zip 条目 {count} 个,上限 {} 个",
            limits.max_zip_entries
        )));
    }
    let mut total: u64 = 0;
    let mut encrypted = false;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_data(i)
            .map_err(|e| ReadError::Corrupt(format!("zip 目录损坏: {e}")))?;
        let size = entry.size();
        let packed = entry.compressed_size();
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        }
        .replace('\\', "/")
        .to_ascii_lowercase();
        if size > limits.max_entry_bytes {
            return Err(ReadError::TooLarge(format!(
                "zip 条目 {name} 解压后 {} MiB,上限 {} MiB",
                size / MIB,
                limits.max_entry_bytes / MIB
            )));
        }
        if size > limits.ratio_grace_bytes && size / packed.max(1) > limits.max_ratio {
            return Err(ReadError::TooLarge(format!(
                "zip 条目 {name} 压缩比 {}:1,上限 {}:1",
                size / packed.max(1),
                limits.max_ratio
            )));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(ReadError::TooLarge(format!(
                "zip 解压后总计超过 {} MiB",
                limits.max_total_bytes / MIB
            )));
        }
        encrypted |= entry.encrypted();
        names.push(name);
    }
    let has = |pred: &dyn Fn(&str) -> bool| names.iter().any(|n| pred(n.trim_start_matches('/')));
    let format = if has(&|n| n.ends_with("workbook.bin")) {
        Some(Format::Xlsb)
    } else if has(&|n| n.ends_with("workbook.xml")) {
        Some(Format::Xlsx)
    } else if has(&|n| n == "content.xml" || n == "mimetype") {
        Some(Format::Ods)
    } else {
        None
    };
    match format {
        Some(_) if encrypted => Err(ReadError::Encrypted),
        Some(f) => Ok(f),
        None if has(&|n| n == "word/document.xml") => {
            Err(ReadError::NotSpreadsheet("Word 文档".into()))
        }
        None if has(&|n| n == "ppt/presentation.xml") => {
            Err(ReadError::NotSpreadsheet("PowerPoint 演示文稿".into()))
        }
        None if encrypted => Err(ReadError::NotSpreadsheet("加密的 zip 压缩包".into())),
        None => Err(ReadError::NotSpreadsheet("zip 压缩包,不含工作簿".into())),
    }
}

/// Whether a CFB file has a stream directory entry with this name. Directory entries are
/// 128 bytes at 128-aligned file offsets: a UTF-16LE name (64 bytes), its byte length
/// including the terminator (u16), then the object type (2 = stream). Scanning all aligned
/// slots avoids following sector chains, which may loop in damaged files.
fn cfb_has_stream(bytes: &[u8], name: &str) -> bool {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let name_len = (utf16.len() + 2) as u16;
    bytes.chunks_exact(128).skip(4).any(|entry| {
        entry.starts_with(&utf16)
            && entry[utf16.len()..utf16.len() + 2] == [0, 0]
            && u16::from_le_bytes([entry[64], entry[65]]) == name_len
            && entry[66] == 2
    })
}

/// Whether a workbook-globals BOF record (BIFF5 or BIFF8) at an `align`-aligned offset is
/// followed by a FILEPASS record (0x002F), i.e. the workbook is encrypted or obfuscated.
/// FILEPASS comes right after BOF, or after an optional WRITEPROTECT (0x0086) record.
/// Streams inside a CFB start on 64-byte (mini) sector boundaries.
fn biff_filepass(bytes: &[u8], align: usize) -> bool {
    let rd = |at: usize| -> Option<u16> {
        Some(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
    };
    let mut off = 0;
    while off + 8 <= bytes.len() {
        let is_globals_bof = rd(off) == Some(0x0809)
            && matches!(rd(off + 2), Some(8 | 16))
            && matches!(rd(off + 4), Some(0x0500 | 0x0600))
            && rd(off + 6) == Some(0x0005);
        if is_globals_bof {
            let mut at = off;
            for _ in 0..3 {
                let Some(len) = rd(at + 2) else { break };
                at += 4 + len as usize;
                match rd(at) {
                    Some(0x002F) => return true,
                    Some(0x0086) => continue,
                    _ => break,
                }
            }
        }
        off += align;
    }
    false
}

/// Recognise a BIFF stream that is not wrapped in a CFB container.
fn bare_biff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 8 {
        return None;
    }
    let typ = u16::from_le_bytes([bytes[0], bytes[1]]);
    let len = u16::from_le_bytes([bytes[2], bytes[3]]);
    match (typ, len) {
        (0x0009, 4..=8) => Some("Excel 2.x (BIFF2)"),
        (0x0209, 6..=8) => Some("Excel 3.0 (BIFF3)"),
        (0x0409, 6..=8) => Some("Excel 4.0 (BIFF4)"),
        (0x0809, 6..=20) => match u16::from_le_bytes([bytes[4], bytes[5]]) {
            0x0500 => Some("Excel 5.0/95 (BIFF5)"),
            0x0600 => Some("Excel 97-2003 (BIFF8)"),
            _ => Some("Excel 4.0 工作簿 (BIFF4W)"),
        },
        _ => None,
    }
}

/// A short description of content that is not a spreadsheet.
fn describe_other(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(4096)];
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"\x89PNG")
        || starts(b"\xFF\xD8\xFF")
        || starts(b"GIF8")
        || starts(b"BM")
        || starts(b"II*\0")
        || starts(b"MM\0*")
    {
        return "图片";
    }
    if starts(b"%PDF") {
        return "PDF 文档";
    }
    if starts(b"Rar!") || starts(b"7z\xBC\xAF\x27\x1C") || starts(b"\x1F\x8B") {
        return "压缩包";
    }
    if starts(b"{\\rtf") {
        return "RTF 文档";
    }
    let text = if starts(b"\xFF\xFE") || starts(b"\xFE\xFF") {
        Some(String::from_utf16_lossy(
            &head[2..]
                .chunks_exact(2)
                .map(|c| {
                    if starts(b"\xFF\xFE") {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect::<Vec<_>>(),
        ))
    } else {
        let valid = match std::str::from_utf8(head) {
            Ok(s) => Some(s),
            // A multi-byte character may be cut at the end of the sample.
            Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
            Err(_) => None,
        };
        valid.map(str::to_string).or_else(|| {
            // Legacy-encoded (e.g. GBK) text: no NUL and few control characters.
            let controls = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
                .count();
            (controls == 0).then(String::new)
        })
    };
    match text {
        Some(t) => {
            let lower = t
                .trim_start_matches('\u{feff}')
                .trim_start()
                .to_ascii_lowercase();
            if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                "Excel 2003 XML 表格"
            } else if lower.starts_with("<!doctype html")
                || lower.starts_with("<html")
                || lower.contains("<table")
            {
                "网页文件 (HTML)"
            } else if lower.starts_with("<?xml") {
                "XML 文件"
            } else {
                "文本文件"
            }
        }
        None => "未知格式",
    }
}

// ---------------------------------------------------------------------------------------
// Reading with calamine
// ---------------------------------------------------------------------------------------

/// Detect and read in the current process (no child), under `catch_unwind`.
pub fn read_in_process(path: &Path, limits: &ReadLimits) -> Result<Workbook, ReadError> {
    let bytes = read_file(path, limits)?;
    guarded(|| {
        let format = sniff(&bytes, limits)?;
        read_format(bytes, format, limits)
    })
}

fn read_format(bytes: Vec<u8>, format: Format, limits: &ReadLimits) -> Result<Workbook, ReadError> {
    let mut budget = Budget::new(limits);
    let sheets = match format {
        Format::Xlsx => read_xlsx(bytes, &mut budget)?,
        Format::Xlsb => read_xlsb(bytes, &mut budget)?,
        Format::Xls => read_xls(bytes, &mut budget)?,
        Format::Ods => read_ods(bytes, &mut budget)?,
    };
    if sheets.iter().all(|s| s.rows.is_empty()) {
        return Err(ReadError::Empty);
    }
    Ok(Workbook { format, sheets })
}

/// Map a calamine error to a ReadError.
fn cal_err(e: impl std::fmt::Display, password: bool) -> ReadError {
    if password {
        ReadError::Encrypted
    } else {
        ReadError::Corrupt(e.to_string())
    }
}

fn xlsx_err(e: calamine::XlsxError) -> ReadError {
    let p = matches!(e, calamine::XlsxError::Password);
    cal_err(e, p)
}
fn xlsb_err(e: calamine::XlsbError) -> ReadError {
    let p = matches!(e, calamine::XlsbError::Password);
    cal_err(e, p)
}
fn xls_err(e: calamine::XlsError) -> ReadError {
    let p = matches!(e, calamine::XlsError::Password);
    cal_err(e, p)
}
fn ods_err(e: calamine::OdsError) -> ReadError {
    let p = matches!(e, calamine::OdsError::Password);
    cal_err(e, p)
}

/// Sheets worth reading: worksheets only (chart, dialog and macro sheets and VBA modules
/// hold no table data).
fn worksheets(meta: &[calamine::Sheet]) -> Vec<(String, bool)> {
    meta.iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect()
}

fn merged(dims: Vec<calamine::Dimensions>) -> Vec<(u32, u32, u32, u32)> {
    dims.into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

fn read_xlsx(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    super::xlsx_precheck::shared_strings(&bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).map_err(xlsx_err)?;
    // Merged regions from the tail of each sheet part, instead of calamine's second parse
    // of the whole sheet; calamine still answers wherever that does not apply.
    let mut parts = super::xlsx_merged::SheetParts::open(&bytes, &wb.sheet_names());
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let mut cells = Vec::new();
        match wb.worksheet_cells_reader(&name) {
            Ok(mut reader) => {
                // Room for the cells the sheet declares (its <dimension>), up to a
                // bound that needs no budget: the vector is not grown cell by cell.
                let declared = reader.dimensions().len();
                cells.reserve(declared.min(PRESIZE_CELLS) as usize);
                while let Some(c) = reader.next_cell().map_err(xlsx_err)? {
                    push_ref(&mut cells, c, budget)?;
                }
            }
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(xlsx_err(e)),
        }
        let grid = Grid::build(cells, &name, budget)?;
        let merged = match parts.as_mut().and_then(|p| p.merged(&name)) {
            Some(m) => m,
            None => merged(wb.merge_cells_by_sheet_name(&name).map_err(xlsx_err)?),
        };
        out.push(grid.into_sheet(name, hidden, merged));
    }
    Ok(out)
}

fn read_xlsb(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(xlsb_err)?;
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let mut cells = Vec::new();
        let mut reader = wb.worksheet_cells_reader(&name).map_err(xlsb_err)?;
        while let Some(c) = reader.next_cell().map_err(xlsb_err)? {
            push_ref(&mut cells, c, budget)?;
        }
        drop(reader);
        let grid = Grid::build(cells, &name, budget)?;
        out.push(grid.into_sheet(name, hidden, Vec::new()));
    }
    Ok(out)
}

fn read_xls(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(xls_err)?;
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let range = wb.worksheet_range(&name).map_err(xls_err)?;
        let grid = Grid::from_range(&range, &name, budget)?;
        drop(range);
        let merged = merged(wb.merge_cells_by_sheet_name(&name).map_err(xls_err)?);
        out.push(grid.into_sheet(name, hidden, merged));
    }
    Ok(out)
}

fn read_ods(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(ods_err)?;
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let range = wb.worksheet_range(&name).map_err(ods_err)?;
        let grid = Grid::from_range(&range, &name, budget)?;
        drop(range);
        out.push(grid.into_sheet(name, hidden, Vec::new()));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Cell conversion and grid building
// ---------------------------------------------------------------------------------------

/// Largest Excel serial date (9999-12-31 is 2958465).
const MAX_SERIAL: f64 = 2_958_466.0;

fn convert_datetime(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if !serial.is_finite() {
        return Cell::Error("#NUM!".into());
    }
    // Durations ([h]:mm formats) are amounts of time, not points in time.
    if dt.is_duration() || !(0.0..MAX_SERIAL).contains(&serial) {
        return Cell::Number(serial);
    }
    match dt.as_datetime() {
        Some(d) => Cell::Date(d),
        None => Cell::Number(serial),
    }
}

fn parse_iso_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.naive_local());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(chrono::NaiveTime::MIN))
}

fn number(f: f64) -> Cell {
    // JSON (and spreadsheets) cannot hold NaN or infinities.
    if f.is_finite() {
        Cell::Number(f)
    } else {
        Cell::Error("#NUM!".into())
    }
}

fn convert_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => convert_datetime(dt),
        DataRef::DateTimeIso(s) => {
            parse_iso_datetime(s).map_or_else(|| Cell::Text(s.clone()), Cell::Date)
        }
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn convert_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => convert_datetime(dt),
        Data::DateTimeIso(s) => {
            parse_iso_datetime(s).map_or_else(|| Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// Collect one non-empty cell, charging its memory to the budget before any text is copied.
fn push_ref(
    cells: &mut Vec<(u32, u32, Cell)>,
    c: calamine::Cell<DataRef<'_>>,
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let v = c.get_value();
    if matches!(v, DataRef::Empty) {
        return Ok(());
    }
    let text = match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        DataRef::SharedString(s) => s.len(),
        _ => 0,
    };
    budget.charge_bytes(SPARSE_CELL_BYTES + text as u64)?;
    let (r, col) = c.get_position();
    cells.push((r, col, convert_ref(v)));
    Ok(())
}

/// At most this many sparse cells are reserved ahead of a sheet's `<dimension>`
/// (2.5 MiB): enough for a unit's form, too little to need charging to the budget.
const PRESIZE_CELLS: u64 = 1 << 16;

/// Heap bytes of one collected sparse cell, without its text.
const SPARSE_CELL_BYTES: u64 = std::mem::size_of::<(u32, u32, Cell)>() as u64;
/// Heap bytes of one grid slot and of one grid row.
const SLOT_BYTES: u64 = std::mem::size_of::<Cell>() as u64;
const ROW_BYTES: u64 = std::mem::size_of::<Vec<Cell>>() as u64;

/// What the workbook being read may still use: grid slots and (estimated) heap bytes.
/// Text from a shared-string table is copied into every cell that refers to it, so a small
/// file can ask for far more memory than it holds; charging before copying stops that.
struct Budget {
    cells_left: u64,
    max_cells: u64,
    max_rows: u64,
    bytes_left: u64,
    max_bytes: u64,
}

impl Budget {
    fn new(limits: &ReadLimits) -> Budget {
        Budget {
            cells_left: limits.max_cells,
            max_cells: limits.max_cells,
            max_rows: limits.max_rows_per_sheet,
            bytes_left: limits.max_memory_bytes,
            max_bytes: limits.max_memory_bytes,
        }
    }

    fn charge_bytes(&mut self, n: u64) -> Result<(), ReadError> {
        if n > self.bytes_left {
            return Err(ReadError::TooLarge(format!(
                "表格内容估计需要超过 {} MiB 内存",
                self.max_bytes / MIB
            )));
        }
        self.bytes_left -= n;
        Ok(())
    }
}

/// A sheet's cells before they are laid out in rows.
struct Grid {
    first_row: u32,
    first_col: u32,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// Lay sparse `(row, col, cell)` triples out as a dense grid, after checking that the
    /// grid (one slot per row plus the cells up to each row's last used cell) fits the budget.
    fn build(
        mut cells: Vec<(u32, u32, Cell)>,
        name: &str,
        budget: &mut Budget,
    ) -> Result<Grid, ReadError> {
        if cells.is_empty() {
            return Ok(Grid {
                first_row: 0,
                first_col: 0,
                rows: Vec::new(),
            });
        }
        // Every reader gives a sheet's cells row by row, left to right: sort only when
        // not (a stable sort allocates a scratch buffer even for sorted input).
        if !cells.is_sorted_by_key(|(r, c, _)| (*r, *c)) {
            cells.sort_by_key(|(r, c, _)| (*r, *c));
        }
        let first_row = cells.first().map_or(0, |c| c.0);
        let last_row = cells.last().map_or(0, |c| c.0);
        let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let rows = u64::from(last_row - first_row) + 1;
        if rows > budget.max_rows {
            return Err(ReadError::TooLarge(format!(
                "工作表 \"{}\" 有 {rows} 行,超过每个工作表 {} 行的上限,见 diaodu.toml [limits] max_rows_per_sheet",
                one_line(name),
                budget.max_rows
            )));
        }
        let mut cost = u64::from(last_row - first_row) + 1;
        for (i, (r, c, _)) in cells.iter().enumerate() {
            let row_end = cells.get(i + 1).is_none_or(|n| n.0 != *r);
            if row_end {
                cost = cost.saturating_add(u64::from(c - first_col) + 1);
            }
        }
        if cost > budget.cells_left {
            return Err(ReadError::TooLarge(format!(
                "表格区域 {} 行 × {} 列,超过每个文件 {} 个单元格的上限,见 diaodu.toml [limits] max_cells",
                u64::from(last_row - first_row) + 1,
                cells
                    .iter()
                    .map(|c| u64::from(c.1 - first_col) + 1)
                    .max()
                    .unwrap_or(0),
                budget.max_cells
            )));
        }
        budget.cells_left -= cost;
        let height = u64::from(last_row - first_row) + 1;
        budget.charge_bytes((cost - height).saturating_mul(SLOT_BYTES) + height * ROW_BYTES)?;
        let height = (last_row - first_row) as usize + 1;
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(height);
        rows.resize_with(height, Vec::new);
        // Each row is allocated once, to the width of its last cell (the cells are
        // sorted); a position given twice keeps its last cell.
        for (i, (r, c, _)) in cells.iter().enumerate() {
            if cells.get(i + 1).is_none_or(|n| n.0 != *r) {
                rows[(r - first_row) as usize].reserve_exact((c - first_col) as usize + 1);
            }
        }
        for (r, c, cell) in cells {
            let row = &mut rows[(r - first_row) as usize];
            let col = (c - first_col) as usize;
            if row.len() <= col {
                row.resize(col + 1, Cell::Empty);
            }
            row[col] = cell;
        }
        Ok(Grid {
            first_row,
            first_col,
            rows,
        })
    }

    fn from_range(
        range: &calamine::Range<Data>,
        name: &str,
        budget: &mut Budget,
    ) -> Result<Grid, ReadError> {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, v) in range.used_cells() {
            let text = match v {
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
                _ => 0,
            };
            budget.charge_bytes(SPARSE_CELL_BYTES + text as u64)?;
            cells.push((r0 + r as u32, c0 + c as u32, convert_data(v)));
        }
        Grid::build(cells, name, budget)
    }

    fn into_sheet(self, name: String, hidden: bool, merged: Vec<(u32, u32, u32, u32)>) -> RawSheet {
        RawSheet {
            name,
            hidden,
            first_row: self.first_row,
            first_col: self.first_col,
            rows: self.rows,
            merged,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Child process
// ---------------------------------------------------------------------------------------

/// What std's default allocation-error handler prints before aborting.
const ALLOC_FAILURE_TEXT: &str = "memory allocation of";

/// Entry point of the child process. `args` are the arguments after `__read-child` (or
/// including it: a leading `__read-child` is skipped); the first is the path. Reads the file
/// in-process with the allocation cap armed, writes `Result<Workbook, ReadError>` as JSON to
/// stdout and returns the process exit code (0 when a result was written).
pub fn child_main(args: &[String]) -> i32 {
    let args = match args.first() {
        Some(a) if a == CHILD_ARG => &args[1..],
        _ => args,
    };
    let Some(path) = args.first() else {
        let _ = writeln!(std::io::stderr(), "usage: {CHILD_ARG} <path>");
        return 2;
    };
    let limits: ReadLimits = std::env::var(CHILD_LIMITS_ENV)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    if !memory_cap_available() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: CappedAlloc is not the global allocator, the memory cap is inactive"
        );
    }
    // Initialise stdout's buffer before the cap is armed.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    cap_os_memory(limits.max_memory_bytes.saturating_add(OS_HEADROOM));
    arm_memory_cap(limits.max_memory_bytes);
    let result = read_in_process(Path::new(path), &limits);
    let written = serde_json::to_writer(&mut out, &result).is_ok() && out.flush().is_ok();
    if written {
        0
    } else {
        3
    }
}

// ---------------------------------------------------------------------------------------
// Capped allocator
// ---------------------------------------------------------------------------------------

/// Charged bytes allocated minus charged bytes freed since the cap was armed. Frees of
/// blocks allocated before arming make it dip below the true figure, which only loosens the
/// cap by what was live at arming time (little, in the child).
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static CAP_BYTES: AtomicIsize = AtomicIsize::new(isize::MAX);
static ARMED: AtomicBool = AtomicBool::new(false);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A global allocator wrapper (over mimalloc, which keeps a run's many small strings and
/// records in less memory than the system allocator) that, once [`arm_memory_cap`] was called,
/// counts live heap bytes and refuses (returns null for) any allocation that would take the
/// total past the cap. Before arming it only forwards to mimalloc (two relaxed atomic loads
/// per call), so it costs the main program next to nothing. A refused allocation makes Rust
/// abort the process with "memory allocation of N bytes failed", so arm it only in a process
/// that may die (the read child). Install it in the binary:
///
/// ```ignore
/// #[global_allocator]
/// static GLOBAL: CappedAlloc = CappedAlloc;
/// ```
pub struct CappedAlloc;

/// A ready instance; any `CappedAlloc` value shares the same counters.
pub static CAPPED_ALLOC: CappedAlloc = CappedAlloc;

/// Bytes charged for an allocation of `size`: what a typical malloc really uses (an 8-byte
/// header, 16-byte granularity, 32-byte minimum chunk). Counting only the requested sizes
/// would let millions of tiny strings use many times the cap.
#[inline]
fn charged(size: usize) -> isize {
    let c = size.saturating_add(8 + 15) & !15;
    isize::try_from(c.max(32)).unwrap_or(isize::MAX)
}

impl CappedAlloc {
    /// Account for `n` more bytes; false if that would pass the armed cap.
    #[inline]
    fn reserve(&self, n: isize) -> bool {
        if !INSTALLED.load(Ordering::Relaxed) {
            INSTALLED.store(true, Ordering::Relaxed);
        }
        if !ARMED.load(Ordering::Relaxed) {
            return true;
        }
        let prev = LIVE_BYTES.fetch_add(n, Ordering::Relaxed);
        if prev.saturating_add(n) > CAP_BYTES.load(Ordering::Relaxed) {
            LIVE_BYTES.fetch_sub(n, Ordering::Relaxed);
            return false;
        }
        true
    }

    #[inline]
    fn release(&self, n: isize) {
        if ARMED.load(Ordering::Relaxed) {
            LIVE_BYTES.fetch_sub(n, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is forwarded to mimalloc with the same arguments; the wrapper only
// keeps counters and may return null, which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let n = charged(layout.size());
        if !self.reserve(n) {
            return std::ptr::null_mut();
        }
        let p = unsafe { Inner.alloc(layout) };
        if p.is_null() {
            self.release(n);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let n = charged(layout.size());
        if !self.reserve(n) {
            return std::ptr::null_mut();
        }
        let p = unsafe { Inner.alloc_zeroed(layout) };
        if p.is_null() {
            self.release(n);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { Inner.dealloc(ptr, layout) };
        self.release(charged(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = charged(layout.size());
        let new = charged(new_size);
        if new > old {
            if !self.reserve(new - old) {
                return std::ptr::null_mut();
            }
            let p = unsafe { Inner.realloc(ptr, layout, new_size) };
            if p.is_null() {
                self.release(new - old);
            }
            p
        } else {
            let p = unsafe { Inner.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                self.release(old - new);
            }
            p
        }
    }
}

/// Arm the cap: from now on allocations that would take the heap bytes allocated (and not
/// freed) since this call past `bytes` fail, and the process aborts. Has no effect unless
/// [`CappedAlloc`] is the global allocator (see [`memory_cap_available`]). Meant to be called
/// once, early, in a process that exists to do one risky read.
pub fn arm_memory_cap(bytes: u64) {
    let cap = isize::try_from(bytes).unwrap_or(isize::MAX);
    CAP_BYTES.store(cap, Ordering::Relaxed);
    LIVE_BYTES.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
}

/// Whether [`CappedAlloc`] is the global allocator of this process (it has served an
/// allocation).
pub fn memory_cap_available() -> bool {
    // Make sure at least one allocation went through the global allocator.
    drop(std::hint::black_box(Box::new(0u8)));
    INSTALLED.load(Ordering::Relaxed)
}

/// Heap bytes counted by [`CappedAlloc`] since the cap was armed (0 when unarmed).
pub fn live_heap_bytes() -> u64 {
    u64::try_from(LIVE_BYTES.load(Ordering::Relaxed)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
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
