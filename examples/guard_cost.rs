//! guard_cost: what the guarded reader costs. Reads every spreadsheet of a
//! folder the way a run does — .xls/.xlsb/.ods in a child process with a
//! memory cap and a time limit — and again in-process (no child), several
//! rounds each, and prints the mean time per file and for the whole folder.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example guard_cost -- target/release/diaodu samples/demo/inbox 20
//! ```
//!
//! The first argument is the diaodu executable that serves as the child.

use diaodu::ingest::discover::{discover, FileKind};
use diaodu::ingest::workbook::{Guard, ReadLimits};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn mean(guard: &Guard, path: &Path, rounds: u32) -> (Duration, bool) {
    let mut ok = true;
    let t0 = Instant::now();
    for _ in 0..rounds {
        ok &= guard.read(path).is_ok();
    }
    (t0.elapsed() / rounds, ok)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(exe), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: guard_cost <diaodu exe> <folder> [rounds]");
        std::process::exit(2);
    };
    let rounds: u32 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(10);
    let child = Guard {
        limits: ReadLimits::default(),
        child_exe: Some(PathBuf::from(exe)),
    };
    let in_process = Guard {
        limits: ReadLimits::default(),
        child_exe: None,
    };
    let files = discover(Path::new(dir)).expect("folder");
    let (mut total_child, mut total_in) = (Duration::ZERO, Duration::ZERO);
    println!("{rounds} rounds per file; mean time per read");
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "file", "guarded", "in-process", "ratio"
    );
    for f in files.iter().filter(|f| f.kind == FileKind::Spreadsheet) {
        // Warm the page cache and the executable.
        let _ = child.read(&f.path);
        let _ = in_process.read(&f.path);
        let (c, ok_c) = mean(&child, &f.path, rounds);
        let (i, ok_i) = mean(&in_process, &f.path, rounds);
        total_child += c;
        total_in += i;
        println!(
            "{:<44} {:>9.2} ms {:>9.2} ms {:>7.2}x{}",
            f.name,
            c.as_secs_f64() * 1e3,
            i.as_secs_f64() * 1e3,
            c.as_secs_f64() / i.as_secs_f64().max(1e-9),
            if ok_c && ok_i { "" } else { "  (unreadable)" }
        );
    }
    println!(
        "{:<44} {:>9.2} ms {:>9.2} ms   +{:.2} ms for the folder",
        "all",
        total_child.as_secs_f64() * 1e3,
        total_in.as_secs_f64() * 1e3,
        (total_child.as_secs_f64() - total_in.as_secs_f64()) * 1e3
    );
}
