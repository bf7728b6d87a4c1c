//! Cheap checks of an .xlsx before calamine opens it, for what calamine
//! trusts.
//!
//! calamine 0.38's `Xlsx::new` reads the shared strings at once and reserves
//! room for as many as `<sst uniqueCount="…">` declares (24 bytes each):
//! `uniqueCount="2147483647"` in a 19 KB file asks for 51 GB, and where
//! memory is not overcommitted that aborts the process. The entry's declared
//! uncompressed size bounds how many strings it can really hold (the `zip`
//! crate inflates no further, and the zip guards cap it), so a count beyond
//! that is refused here, naming the entry.
//!
//! The other sizes calamine reads from an .xlsx are not trusted that way: the
//! `count` attribute is not used, and the cell readers reserve for a sheet's
//! `<dimension>` only below 100,000 cells (and diaodu's own reader up to
//! `PRESIZE_CELLS`).

use super::workbook::ReadError;
use std::io::{Cursor, Read};

/// The fewest bytes one `<si>` element takes (`<si/>`).
const MIN_SI_BYTES: u64 = 5;

/// Bytes of an entry scanned for the `<sst>` start tag before giving up:
/// past it calamine has not reserved anything either.
const SCAN_LIMIT: u64 = 1 << 20;

/// Refuse an .xlsx whose shared strings declare more strings than their
/// entry can hold.
pub fn shared_strings(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // calamine says what is wrong with the container.
        return Ok(());
    };
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index(i) else {
            continue;
        };
        let shown = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        };
        if !shown
            .replace('\\', "/")
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml")
        {
            continue;
        }
        let size = entry.size();
        let Some(declared) = unique_count(entry) else {
            continue;
        };
        let room = size / MIN_SI_BYTES + 1;
        if declared > room {
            return Err(ReadError::Corrupt(format!(
                "{shown} 声明有 {declared} 个共享字符串,而该条目解压后只有 {size} 字节,最多容纳约 {room} 个"
            )));
        }
    }
    Ok(())
}

/// The `uniqueCount` of the entry's `<sst>` start tag, when it has one made
/// of digits (what calamine would parse), saturating.
///
/// What was read before a read error counts: calamine reserves as soon as it
/// has the tag, before the entry's checksum is checked at its end (found by
/// tests/fuzz.rs: a declared count and a flipped bit that spoils the CRC).
fn unique_count(mut entry: impl Read) -> Option<u64> {
    // The tag is normally in the first hundred bytes: look at doubling
    // lengths, so the entry is not inflated further than needed.
    let mut head = Vec::new();
    let mut piece = [0u8; 4096];
    let mut look_at = piece.len();
    while (head.len() as u64) < SCAN_LIMIT {
        match entry.read(&mut piece) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&piece[..n]),
        }
        if head.len() >= look_at {
            if sst_tag(&head).is_some() {
                break;
            }
            look_at *= 2;
        }
    }
    let tag = sst_tag(&head)?;
    attr(tag, b"uniqueCount").map(|v| {
        v.iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0u64, |n, b| {
                n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
            })
    })
}

/// The attributes of the first `<sst …>` (or `<prefix:sst …>`) start tag,
/// outside comments; `None` until its `>` is in `xml`.
fn sst_tag(xml: &[u8]) -> Option<&[u8]> {
    let mut at = 0;
    while let Some(lt) = xml[at..].iter().position(|&b| b == b'<') {
        let start = at + lt + 1;
        if xml[start..].starts_with(b"!--") {
            at = start + 3 + find(&xml[start + 3..], b"-->")? + 3;
            continue;
        }
        let name_end = xml[start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .map_or(xml.len(), |p| start + p);
        let name = &xml[start..name_end];
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        if local == b"sst" {
            let end = name_end + xml[name_end..].iter().position(|&b| b == b'>')?;
            return Some(&xml[name_end..end]);
        }
        at = start;
    }
    None
}

/// The value of attribute `key` in a start tag's attribute text.
fn attr<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(p) = find(&tag[at..], key) {
        let k = at + p;
        at = k + key.len();
        // A whole attribute name: preceded by whitespace, followed by `=`.
        if k > 0 && !tag[k - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &tag[at..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let quote = *rest.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value = &rest[1..];
        let end = value
            .iter()
            .position(|&b| b == quote)
            .unwrap_or(value.len());
        return Some(value[..end].trim_ascii());
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_count_of_the_sst_tag() {
        let xml = br#"<?xml version="1.0"?><!-- <sst uniqueCount="9"> --><x:sst xmlns:x="m" count="12" uniqueCount = '7'><si/>"#;
        let tag = sst_tag(xml).unwrap();
        // Not the one in the comment.
        assert_eq!(attr(tag, b"uniqueCount"), Some(&b"7"[..]));
        assert_eq!(attr(tag, b"count"), Some(&b"12"[..]));
        assert_eq!(attr(br#" xuniqueCount="3""#, b"uniqueCount"), None);
        let n = unique_count(&br#"<sst uniqueCount="99999999999999999999999">"#[..]);
        assert_eq!(n, Some(u64::MAX));
        assert_eq!(unique_count(&b"<sst count=\"5\">"[..]), None);
        // Read up to an error: what came before it counts.
        struct Spoilt<'a>(&'a [u8], bool);
        impl Read for Spoilt<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.1 {
                    return Err(std::io::Error::other("Invalid checksum"));
                }
                self.1 = true;
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                Ok(n)
            }
        }
        let xml = br#"<?xml version="1.0"?><sst count="63" uniqueCount="4294967295"><si>"#;
        assert_eq!(unique_count(Spoilt(xml, false)), Some(4_294_967_295));
        // Found past the first piece read.
        let mut long = format!("<!--{}-->", "x".repeat(10_000)).into_bytes();
        long.extend_from_slice(br#"<sst uniqueCount="42">"#);
        assert_eq!(unique_count(&long[..]), Some(42));
        assert_eq!(sst_tag(br#"<sst uniqueCount="42""#), None);
    }
}
