//! Which files of the inbox are submissions.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What the inbox holds, one entry per file.
#[derive(Debug, Clone)]
pub struct InboxFile {
    pub path: PathBuf,
    /// The name as it sits in the inbox (with any sub-folder, '/'-separated).
    pub name: String,
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub kind: FileKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// .xlsx .xlsm .xls .ods (.xlsb too): read it.
    Spreadsheet,
    /// Excel's or LibreOffice's lock file (~$name.xlsx, .~lock.name#).
    Lock,
    /// A hidden file (.DS_Store, Thumbs.db, desktop.ini …).
    Hidden,
    /// Anything else: reported as not a spreadsheet.
    Other,
}

const SPREADSHEET_EXT: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb"];

pub fn classify(name: &str) -> FileKind {
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.starts_with("~$") || base.starts_with(".~lock.") {
        return FileKind::Lock;
    }
    let lower = base.to_lowercase();
    if base.starts_with('.') || matches!(lower.as_str(), "thumbs.db" | "desktop.ini") {
        return FileKind::Hidden;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if SPREADSHEET_EXT.contains(&ext) {
        FileKind::Spreadsheet
    } else {
        FileKind::Other
    }
}

/// List the inbox recursively (units sometimes send a folder), sorted by name so
/// runs are repeatable. Hidden folders are skipped.
pub fn discover(inbox: &Path) -> std::io::Result<Vec<InboxFile>> {
    let mut out = Vec::new();
    walk(inbox, "", &mut out)?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<InboxFile>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let meta = entry.metadata()?;
        if meta.is_dir() {
            if !name.starts_with('.') && !name.starts_with("__MACOSX") {
                walk(&entry.path(), &format!("{rel}/"), out)?;
            }
            continue;
        }
        out.push(InboxFile {
            path: entry.path(),
            kind: classify(&rel),
            name: rel,
            size: meta.len(),
            modified: meta.modified().ok(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("~$城关镇.xlsx"), FileKind::Lock);
        assert_eq!(classify(".~lock.城关镇.xlsx#"), FileKind::Lock);
        assert_eq!(classify(".DS_Store"), FileKind::Hidden);
        assert_eq!(classify("Thumbs.db"), FileKind::Hidden);
        assert_eq!(classify("a.XLS"), FileKind::Spreadsheet);
        assert_eq!(classify("b.ods"), FileKind::Spreadsheet);
        assert_eq!(classify("sub/c.xlsm"), FileKind::Spreadsheet);
        assert_eq!(classify("说明.docx"), FileKind::Other);
        assert_eq!(classify("noext"), FileKind::Other);
    }
}
