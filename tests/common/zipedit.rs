//! Zip archives as lists of entries: read one, change it, write it back
//! (hostile and mutated .xlsx files made from valid ones).

use std::io::{Cursor, Read, Write};

/// One entry: its name, its bytes, and whether it is stored (not deflated).
pub type Entry = (String, Vec<u8>, bool);

/// The entries of a zip archive, in order (`None` when it is not one).
pub fn entries(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).ok()?;
        let stored = e.compression() == zip::CompressionMethod::Stored;
        let name = match e.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(e.name_raw()).into_owned(),
        };
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        out.push((name, data, stored));
    }
    Some(out)
}

/// A zip archive of `entries` (names may repeat).
pub fn archive(entries: &[Entry]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, stored) in entries {
        let method = if *stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(data.len() > u32::MAX as usize / 2);
        if z.start_file(name.as_str(), opts).is_err() {
            // The zip writer refuses a repeated name: the entry is left out.
            continue;
        }
        z.write_all(data).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// `bytes` with the entry `name` replaced by what `f` makes of its text.
pub fn edit_entry(bytes: &[u8], name: &str, f: impl Fn(&str) -> String) -> Vec<u8> {
    let mut list = entries(bytes).expect("a zip archive");
    let e = list
        .iter_mut()
        .find(|e| e.0 == name)
        .unwrap_or_else(|| panic!("no entry {name}"));
    e.1 = f(std::str::from_utf8(&e.1).unwrap()).into_bytes();
    archive(&list)
}
