//! CPU time (all threads, from /proc/self/task/*/schedstat) and wall time of each stage
//! before the write, as `pipeline::run` and `pipeline::judge` do them (kept in step by
//! hand): CPU time is steadier than wall time on a shared machine. Linux only.
//!
//! ```sh
//! cargo run --release --example stagecpu -- WORK
//! ```

use diaodu::config::{Config, Overrides};
use diaodu::forms::TableKind;
use diaodu::ingest::workbook::{CappedAlloc, Guard};
use rayon::prelude::*;

#[global_allocator]
static GLOBAL: CappedAlloc = CappedAlloc;

fn cpu_ns() -> u64 {
    let mut t = 0;
    for e in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        if let Ok(s) = std::fs::read_to_string(e.path().join("schedstat")) {
            t += s
                .split_whitespace()
                .next()
                .and_then(|x| x.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    t
}

fn main() {
    let Some(work) = std::env::args().nth(1) else {
        eprintln!("usage: stagecpu WORK");
        std::process::exit(2)
    };
    let today = chrono::Local::now().date_naive();
    let config = Config::load(std::path::Path::new(&work), &Overrides::default(), today).unwrap();
    let guard = Guard {
        limits: config.limits.clone(),
        child_exe: None,
    };
    let (roster, mut findings) = diaodu::roster::read_roster(&config.roster, &guard).unwrap();
    let inbox = diaodu::ingest::discover::discover(&config.inbox).unwrap();
    let mut out = Vec::new();
    let mut c = cpu_ns();
    let mut w = std::time::Instant::now();
    let mut lap = |name: &str| {
        let c1 = cpu_ns();
        out.push(format!(
            "{name} cpu {:.3} wall {:.3}",
            (c1 - c) as f64 / 1e9,
            w.elapsed().as_secs_f64()
        ));
        c = c1;
        w = std::time::Instant::now();
    };
    let res: Vec<_> = inbox
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let _ = diaodu::provenance::hash_inbox_file(f);
            diaodu::pipeline::read_one(f, i, &guard, config.period, config.header_scan_rows)
        })
        .collect();
    lap("read+map");
    let mut files = Vec::new();
    for (rf, mut fi) in res {
        findings.append(&mut fi);
        files.push(rf);
    }
    diaodu::merge::identify_units(&mut files, &roster, &mut findings);
    diaodu::merge::supersede(&mut files, &roster, &mut findings);
    let merged = diaodu::merge::merge(files, &roster, findings);
    lap("merge");
    let frame = |t: TableKind| {
        diaodu::merge::frame_of(
            t,
            &merged.rows[t as usize],
            &roster,
            diaodu::merge::Columns::Figures,
            diaodu::merge::Threads::All,
        )
        .unwrap()
    };
    let (ms, (pr, at)) = rayon::join(
        || frame(TableKind::Milestones),
        || (frame(TableKind::Projects), frame(TableKind::Attraction)),
    );
    lap("frames");
    let mut batch = diaodu::pipeline::Batch {
        provenance: diaodu::provenance::Provenance::start(&config),
        config,
        roster,
        merged,
        frames: [pr, ms, at],
        timings: Default::default(),
    };
    let a = diaodu::pipeline::judge(&mut batch).unwrap();
    lap("metrics");
    std::hint::black_box(&a);
    for l in &out {
        println!("{l}");
    }
}
