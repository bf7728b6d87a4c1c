//! Format detection from the content (magic bytes), never the extension: zip
//! containers checked against the limits before calamine opens them, CFB and BIFF
//! streams scanned for encryption, anything else named for what it is.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

pub(super) const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detect the format from the content and run the container-level guards.
pub(super) fn sniff(bytes: &[u8], limits: &ReadLimits) -> Result<Format, ReadError> {
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

pub(super) fn sniff_zip(bytes: &[u8], limits: &ReadLimits) -> Result<Format, ReadError> {
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
pub(super) fn cfb_has_stream(bytes: &[u8], name: &str) -> bool {
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
pub(super) fn biff_filepass(bytes: &[u8], align: usize) -> bool {
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
pub(super) fn bare_biff(bytes: &[u8]) -> Option<&'static str> {
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
pub(super) fn describe_other(bytes: &[u8]) -> &'static str {
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
