//! The floor for the scale benchmark: open every workbook of a folder with
//! calamine and touch every cell, single-threaded, nothing else (no guard, no
//! header finding, no parsing, no output).
//!
//! ```sh
//! cargo run --release --example bare_read -- DIR/inbox
//! ```
//!
//! Prints one line: `bare_read files=N cells=N secs=S`.

use calamine::{open_workbook_auto, Data, Reader};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| ["xlsx", "xlsm", "xls", "xlsb", "ods"].contains(&x))
        {
            out.push(p);
        }
    }
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bare_read DIR");
        std::process::exit(2)
    };
    let mut list = Vec::new();
    files(Path::new(&dir), &mut list);
    list.sort();
    let t = Instant::now();
    let (mut cells, mut bytes, mut sum) = (0u64, 0u64, 0f64);
    for p in &list {
        let Ok(mut wb) = open_workbook_auto(p) else {
            eprintln!("cannot open {}", p.display());
            continue;
        };
        for name in wb.sheet_names() {
            let Ok(range) = wb.worksheet_range(&name) else {
                continue;
            };
            for (_, _, v) in range.used_cells() {
                cells += 1;
                match v {
                    Data::String(s) => bytes += s.len() as u64,
                    Data::Float(f) => sum += f,
                    Data::Int(i) => sum += *i as f64,
                    Data::DateTime(d) => sum += d.as_f64(),
                    _ => {}
                }
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    // Print what was touched so the work cannot be optimised away.
    println!(
        "bare_read files={} cells={cells} secs={secs:.3} text_bytes={bytes} checksum={sum:.0}",
        list.len()
    );
}
