//! The merged regions of xlsx worksheets without parsing each sheet a second time.
//!
//! calamine's `merge_cells_by_sheet_name` parses the whole sheet XML again (every cell of
//! `<sheetData>`) to reach the `<mergeCells>` element after it, which cost about as much as
//! reading the cells. Here the sheet part is inflated once more but only searched: the
//! `<sheetData>` content is skipped with a byte search, and the XML after `</sheetData>` is
//! parsed with the same quick-xml settings and the same loop as calamine, so the regions are
//! the ones calamine gives.
//!
//! Anything out of the ordinary (no plain `</sheetData>`, the word `mergeCells` before it, an
//! encoding other than UTF-8, a tail past [`MAX_TAIL`], a sheet list that differs from
//! calamine's, or any error at all) makes [`SheetParts::merged`] return `None`, and the
//! caller asks calamine as before: then the result, or the error, is calamine's own.
//!
//! Memory stays bounded whatever the file holds: the sheet is inflated in [`CHUNK`]-sized
//! pieces and only its first bytes and the tail after `</sheetData>` (at most [`MAX_TAIL`])
//! are kept; the small workbook parts are read up to [`MAX_PART`]. The zip crate inflates an
//! entry no further than its declared size, which `sniff_zip` has checked.

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Inflate the sheet in pieces of this size.
const CHUNK: usize = 16 * 1024;
/// Keep at most this much of a sheet after `</sheetData>`; a longer tail goes to calamine.
const MAX_TAIL: usize = 4 * 1024 * 1024;
/// Read at most this much of a relationships or workbook part.
const MAX_PART: u64 = 16 * 1024 * 1024;

const SHEET_DATA_END: &[u8] = b"</sheetData>";
const MERGE_CELLS: &[u8] = b"mergeCells";

/// A merged region: (start_row, start_col, end_row, end_col), 0-based.
pub type Region = (u32, u32, u32, u32);

/// The zip of an xlsx and the part path of each of its sheets, resolved as calamine does.
pub struct SheetParts<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-case path (backslashes as slashes) to the name in the zip, as calamine's cache.
    names: HashMap<String, String>,
    /// (sheet name, part path) in workbook order.
    sheets: Vec<(String, String)>,
}

impl<'a> SheetParts<'a> {
    /// Open the package and resolve its sheets. `None` when anything fails or the sheet
    /// names (in order) differ from `expected`, calamine's list: then every sheet's regions
    /// are left to calamine.
    pub fn open(bytes: &'a [u8], expected: &[String]) -> Option<SheetParts<'a>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let mut names = HashMap::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.ok()?;
            names.insert(
                name.replace('\\', "/").to_ascii_lowercase(),
                name.into_owned(),
            );
        }
        let mut parts = SheetParts {
            zip,
            names,
            sheets: Vec::new(),
        };
        parts.sheets = parts.resolve_sheets()?;
        let same = parts.sheets.len() == expected.len()
            && parts.sheets.iter().zip(expected).all(|((n, _), e)| n == e);
        same.then_some(parts)
    }

    /// The merged regions of the sheet `name`, or `None` to ask calamine.
    pub fn merged(&mut self, name: &str) -> Option<Vec<Region>> {
        let (_, path) = self.sheets.iter().find(|(n, _)| n == name)?;
        let entry = self.zip_name(path).to_string();
        let file = self.zip.by_name(&entry).ok()?;
        let tail = sheet_tail(file)?;
        merged_in_tail(&tail)
    }

    /// calamine's `cached_zip_path`.
    fn zip_name<'p>(&'p self, path: &'p str) -> &'p str {
        self.names
            .get(&path.to_ascii_lowercase())
            .map_or(path, String::as_str)
    }

    /// A small part, whole; `None` when missing, unreadable or larger than `MAX_PART`.
    fn part(&mut self, path: &str) -> Option<Vec<u8>> {
        let entry = self.zip_name(path).to_string();
        let file = self.zip.by_name(&entry).ok()?;
        let mut out = Vec::new();
        file.take(MAX_PART + 1).read_to_end(&mut out).ok()?;
        (out.len() as u64 <= MAX_PART).then_some(out)
    }

    /// (name, part path) of every sheet, following calamine's `read_package_relationships`,
    /// `read_relationships` and `read_workbook`.
    fn resolve_sheets(&mut self) -> Option<Vec<(String, String)>> {
        // _rels/.rels: where the workbook part is.
        let rels = self.part("_rels/.rels")?;
        let mut xml = reader(&rels);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(e) if e.local_name().as_ref() == "Relationships" => break,
                Event::Eof => return None,
                _ => (),
            }
        }
        let mut document_target = None;
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                    let [rel_type, target] = attrs(&e, ["Type", "Target"])?;
                    if rel_type.is_some_and(|t| t.ends_with("/relationships/officeDocument")) {
                        if let Some(t) = target {
                            document_target = Some(unescape(t)?);
                        }
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
                Event::Eof => return None,
                _ => (),
            }
        }
        let target = document_target?;
        let (dir, name) = match target.rfind('/') {
            Some(i) => target.split_at(i + 1),
            None => ("", target.as_str()),
        };
        let xl_path = dir.strip_prefix('/').unwrap_or(dir).to_string();
        let workbook_name = if name.is_empty() {
            "workbook.xml"
        } else {
            name
        };

        // The workbook's relationships: id → target.
        let rels = self.part(&format!("{xl_path}_rels/{workbook_name}.rels"))?;
        let mut xml = reader(&rels);
        let mut relationships: HashMap<String, String> = HashMap::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                    let [id, _, target] = attrs(&e, ["Id", "Type", "Target"])?;
                    if let Some(id) = id {
                        relationships.insert(id.to_string(), target.unwrap_or_default().into());
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
                Event::Eof => return None,
                _ => (),
            }
        }

        // The workbook: the sheets in order. A missing workbook part gives no sheets.
        let Some(wb) = self.part(&format!("{xl_path}{workbook_name}")) else {
            return Some(Vec::new());
        };
        let mut xml = reader(&wb);
        let mut sheets = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                    let mut name = String::new();
                    let mut rel_id = "";
                    for attr in RawAttrs::new(e.attributes_raw()) {
                        let (key, val) = attr.ok()?;
                        if key == "name" {
                            name = unescape(val)?;
                        } else if key == "id" || key.strip_suffix(":id").is_some() {
                            // `r:id`, or `id`, whatever the prefix.
                            rel_id = val;
                        }
                    }
                    let r = relationships.get(rel_id)?;
                    let path = match r.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("{xl_path}{r}"),
                    };
                    sheets.push((name, path));
                }
                // calamine reads a named defined name up to its end tag, so a `<sheet>`
                // inside one is not a sheet.
                Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                    let [named] = attrs(&e, ["name"])?;
                    if named.is_some() {
                        let tag = e.name().as_ref().to_string();
                        let mut inner = Vec::new();
                        loop {
                            inner.clear();
                            match xml.read_event_into(&mut inner).ok()? {
                                Event::End(end) if end.name().as_ref() == tag => break,
                                Event::Eof => return None,
                                _ => (),
                            }
                        }
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "workbook" => break,
                Event::Eof => return None,
                _ => (),
            }
        }
        Some(sheets)
    }
}

/// A reader with the settings of calamine's `xml_reader`.
fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(bytes);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

fn unescape(raw: &str) -> Option<String> {
    quick_xml::escape::unescape(raw)
        .ok()
        .map(|s| s.into_owned())
}

/// The attributes `keys` of an element, as calamine's `get_attrs!`: one pass that stops
/// once as many matches as keys were seen; `None` for a malformed attribute.
fn attrs<'e, const N: usize>(
    e: &'e BytesStart<'_>,
    keys: [&str; N],
) -> Option<[Option<&'e str>; N]> {
    let mut out = [None; N];
    let mut found = 0;
    for attr in RawAttrs::new(e.attributes_raw()) {
        let (k, v) = attr.ok()?;
        if let Some(i) = keys.iter().position(|key| *key == k) {
            out[i] = Some(v);
            found += 1;
        }
        if found == N {
            break;
        }
    }
    Some(out)
}

/// Raw `key="value"` pairs of an element, as calamine's `RawAttrIter`: `Err` for a key
/// without `=` or a value without quotes; values are not unescaped.
struct RawAttrs<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> RawAttrs<'a> {
    fn new(raw: &'a str) -> Self {
        RawAttrs { raw, pos: 0 }
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<(&'a str, &'a str), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let len = bytes.len();
        let mut pos = self.pos;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < len && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            self.pos = len;
            return Some(Err(()));
        }
        let key = self.raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                self.pos = len;
                return Some(Err(()));
            }
        };
        pos += 1;
        let val_start = pos;
        while pos < len && bytes[pos] != quote {
            pos += 1;
        }
        let val = &self.raw[val_start..pos];
        if pos < len {
            pos += 1;
        }
        self.pos = pos;
        Some(Ok((key, val)))
    }
}

/// The sheet XML from its first `</sheetData>` on, behind a `<worksheet><sheetData>` that
/// stands for what was skipped. `None` (ask calamine) when the sheet is not plain UTF-8,
/// has no `</sheetData>`, has `mergeCells` anywhere before it, has a tail longer than
/// `MAX_TAIL`, or cannot be read.
fn sheet_tail(mut r: impl Read) -> Option<Vec<u8>> {
    let finder = memmem::Finder::new(SHEET_DATA_END);
    let merge = memmem::Finder::new(MERGE_CELLS);
    // Bytes kept from one piece to the next, so a word split between pieces is found.
    let keep = SHEET_DATA_END.len().max(MERGE_CELLS.len()) - 1;
    // The bytes carried over, then one piece.
    let mut buf = vec![0u8; keep + CHUNK];
    let mut carried = 0;
    let mut first = true;
    let (end, len) = loop {
        let n = read_full(&mut r, &mut buf[carried..])?;
        let window = &buf[..carried + n];
        if first {
            if !plain_utf8(window) {
                return None;
            }
            first = false;
        }
        if let Some(i) = finder.find(window) {
            if merge.find(&window[..i]).is_some() {
                return None;
            }
            break (i, window.len());
        }
        if merge.find(window).is_some() || n == 0 {
            return None;
        }
        let from = window.len().saturating_sub(keep);
        let to = window.len();
        buf.copy_within(from..to, 0);
        carried = to - from;
    };
    let mut tail = b"<worksheet><sheetData>".to_vec();
    tail.extend_from_slice(&buf[end..len]);
    drop(buf);
    let room = (MAX_TAIL + 1).saturating_sub(tail.len()) as u64;
    r.take(room).read_to_end(&mut tail).ok()?;
    (tail.len() <= MAX_TAIL).then_some(tail)
}

/// Fill `buf` as far as the reader goes; the count read (less than `buf.len()` at the end).
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(n)
}

/// Whether the part is UTF-8 as quick-xml reads it: no UTF-16 or other byte-order mark, and
/// an XML declaration, if any, that names no encoding but UTF-8.
fn plain_utf8(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.first() {
        None => true,
        Some(b'<') => {
            if !head.starts_with(b"<?xml") {
                return true;
            }
            let Some(close) = memmem::find(head, b"?>") else {
                return false;
            };
            let decl = &head[..close];
            match memmem::find(decl, b"encoding") {
                None => true,
                Some(i) => {
                    let rest = &decl[i + b"encoding".len()..];
                    let rest = rest.trim_ascii_start();
                    let Some(rest) = rest.strip_prefix(b"=") else {
                        return false;
                    };
                    let rest = rest.trim_ascii_start();
                    let Some((&q, rest)) = rest.split_first() else {
                        return false;
                    };
                    if q != b'"' && q != b'\'' {
                        return false;
                    }
                    let Some(j) = rest.iter().position(|&b| b == q) else {
                        return false;
                    };
                    rest[..j].eq_ignore_ascii_case(b"utf-8")
                }
            }
        }
        Some(_) => false,
    }
}

/// calamine's loop of `merge_cells_by_sheet_name` and `read_merge_cells` over the tail;
/// `None` wherever calamine would fail.
fn merged_in_tail(tail: &[u8]) -> Option<Vec<Region>> {
    let mut xml = reader(tail);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::Eof => return Some(Vec::new()),
            _ => (),
        }
    }
    let mut out = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "mergeCell" => {
                let mut value = None;
                for attr in RawAttrs::new(e.attributes_raw()) {
                    let (k, v) = attr.ok()?;
                    if k == "ref" {
                        value = Some(v);
                        break;
                    }
                }
                if let Some(v) = value {
                    out.push(dimension(v)?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::Eof => return None,
            _ => (),
        }
    }
    Some(out)
}

/// calamine's `get_dimension` ("A6:G67" or "B2"); `None` where it fails, and also where an
/// end lies before its start or a number overflows (calamine's arithmetic would wrap in a
/// release build and panic in a debug one: leave those to calamine).
fn dimension(s: &str) -> Option<Region> {
    let mut parts = s.split(':');
    let start = row_column(parts.next()?)?;
    let end = match parts.next() {
        None => start,
        Some(p) => row_column(p)?,
    };
    if parts.next().is_some() || end.0 < start.0 || end.1 < start.1 {
        return None;
    }
    Some((start.0, start.1, end.0, end.1))
}

/// calamine's `get_row_column`: letters then digits, 1-based in the text, 0-based out.
fn row_column(s: &str) -> Option<(u32, u32)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut col: u32 = 0;
    let mut row: u32 = 0;
    while i < b.len() {
        match b[i] {
            c @ (b'A'..=b'Z' | b'a'..=b'z') => {
                let v = u32::from(c.to_ascii_uppercase() - b'A') + 1;
                col = col.checked_mul(26)?.checked_add(v)?;
            }
            c @ b'0'..=b'9' => {
                row = u32::from(c - b'0');
                i += 1;
                break;
            }
            _ => return None,
        }
        i += 1;
    }
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => row = row.checked_mul(10)?.checked_add(u32::from(c - b'0'))?,
            _ => return None,
        }
        i += 1;
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_as_calamine() {
        assert_eq!(dimension("A1:B2"), Some((0, 0, 1, 1)));
        assert_eq!(dimension("C5"), Some((4, 2, 4, 2)));
        assert_eq!(dimension("aa10:ab12"), Some((9, 26, 11, 27)));
        assert_eq!(dimension("A1:B2:C3"), None);
        assert_eq!(dimension("A0"), None);
        assert_eq!(dimension("10"), None);
        assert_eq!(dimension("B2:A1"), None);
        assert_eq!(dimension("A1:$B$2"), None);
    }

    #[test]
    fn tail_is_found_across_pieces() {
        let mut xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet><sheetData>".to_vec();
        while xml.len() < 3 * CHUNK {
            xml.extend_from_slice(b"<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
        }
        // `</sheetData>` across the end of the first piece.
        let pad = CHUNK - 5 - xml.len() % CHUNK;
        xml.extend(std::iter::repeat_n(b' ', pad));
        xml.extend_from_slice(b"</sheetData><mergeCells count=\"2\"><mergeCell ref=\"A1:C1\"/>");
        xml.extend_from_slice(b"<mergeCell ref=\"B3:B9\"></mergeCell></mergeCells></worksheet>");
        let tail = sheet_tail(&xml[..]).expect("tail");
        assert!(tail.starts_with(b"<worksheet><sheetData></sheetData><mergeCells"));
        assert_eq!(
            merged_in_tail(&tail),
            Some(vec![(0, 0, 0, 2), (2, 1, 8, 1)])
        );
    }

    #[test]
    fn odd_sheets_are_left_to_calamine() {
        let t = |s: &str| sheet_tail(s.as_bytes());
        // No plain end tag, `mergeCells` inside the data, another encoding.
        assert!(t("<worksheet><sheetData/><mergeCells/></worksheet>").is_none());
        assert!(t("<x:worksheet><x:sheetData></x:sheetData></x:worksheet>").is_none());
        assert!(
            t("<worksheet><sheetData><c><v>mergeCells</v></c></sheetData></worksheet>").is_none()
        );
        assert!(t("<?xml version=\"1.0\" encoding=\"GBK\"?><worksheet><sheetData></sheetData></worksheet>").is_none());
        assert!(t("\u{feff}<?xml version='1.0' encoding='utf-8'?><worksheet><sheetData></sheetData></worksheet>").is_some());
        // Unfinished or malformed regions.
        let m = |s: &str| merged_in_tail(s.as_bytes());
        assert_eq!(m("<a><b></b><mergeCells><mergeCell ref=\"A1:B1\"/>"), None);
        assert_eq!(
            m("<a><b></b><mergeCells><mergeCell ref=\"A1:B\"/></mergeCells>"),
            None
        );
        assert_eq!(
            m("<a><b></b><mergeCells><mergeCell ref=A1/></mergeCells>"),
            None
        );
        assert_eq!(m("<a><b></b></a>"), Some(vec![]));
        assert_eq!(m("<a><b></b><mergeCells/></a>"), Some(vec![]));
        assert_eq!(
            m("<a><b></b><x:mergeCells><x:mergeCell ref=\"B2\"/><mergeCell/></x:mergeCells>"),
            Some(vec![(1, 1, 1, 1)])
        );
    }
}
