//! The stages before the write, alone: read, map, merge, frames and metrics on a
//! work folder, with the same allocator as `diaodu`, printing the stage table.
//! For profiling those stages (perf, valgrind) without the workbook's write.
//!
//! ```sh
//! cargo run --release --example prewrite -- WORK
//! ```

use diaodu::config::{Config, Overrides};
use diaodu::ingest::workbook::CappedAlloc;

#[global_allocator]
static GLOBAL: CappedAlloc = CappedAlloc;

fn main() {
    let Some(work) = std::env::args().nth(1) else {
        eprintln!("usage: prewrite WORK");
        std::process::exit(2)
    };
    let today = chrono::Local::now().date_naive();
    let config = match Config::load(std::path::Path::new(&work), &Overrides::default(), today) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2)
        }
    };
    let t = std::time::Instant::now();
    let mut batch = match diaodu::pipeline::run(config) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2)
        }
    };
    let t1 = std::time::Instant::now();
    let a = diaodu::pipeline::judge(&mut batch);
    batch.timings.add("metrics", t1.elapsed());
    if let Err(e) = &a {
        eprintln!("{e}");
        std::process::exit(2)
    }
    eprint!("{}", batch.timings.table());
    eprintln!("wall {:.3}", t.elapsed().as_secs_f64());
    std::hint::black_box(&a);
}
