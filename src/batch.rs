//! The batch: everything one run read and merged, before it is judged and
//! written, and how long each stage took. A type of the layers below the run,
//! so that assessing and writing need not reach up into `pipeline`.

use crate::config::Config;
use crate::finding::Finding;
use crate::forms::TableKind;
use crate::merge::{Counts, Merged};
use crate::provenance::Provenance;
use crate::roster::Roster;
use polars::prelude::DataFrame;
use std::time::{Duration, Instant};

/// Everything one run produced, before any of it is written.
pub struct Batch {
    pub config: Config,
    pub roster: Roster,
    pub merged: Merged,
    /// One DataFrame per table (TableKind order).
    pub frames: [DataFrame; 3],
    /// What produced the batch: version, rules, the roster's and every inbox
    /// file's size, time and SHA-256 as they were read.
    pub provenance: Provenance,
    /// How long each stage took: filled by `run`; a caller adds its own
    /// stages (figures, writing) with [`Timings::add`].
    pub timings: Timings,
}

/// Wall time of each stage of a run, in order, for `diaodu run --timings` and
/// the benchmark (BENCHMARKS.md).
///
/// Files are read and mapped in parallel, one file per task: a file's read
/// (guarded open, calamine, the cell grid) and its mapping (headers, rows,
/// validation) run back to back on one thread. The wall time of that parallel
/// section is split between the `read` and `map` stages in proportion to the
/// CPU time each took summed over all files (`read_cpu`, `map_cpu`).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Summed over all files and threads.
    pub read_cpu: Duration,
    pub map_cpu: Duration,
    /// Threads that read files.
    pub threads: usize,
    /// The three outputs of the write stage, each timed on its own (they
    /// are made at the same time): the workbook, the run report, the
    /// history's month.
    pub workbook: Duration,
    pub json: Duration,
    pub history: Duration,
    /// The 通报 document (.docx), made before the other three.
    pub docx: Duration,
}

impl Timings {
    pub fn add(&mut self, stage: &'static str, d: Duration) {
        self.stages.push((stage, d));
    }

    /// Take on the stages and output times `other` timed (the write, timed
    /// apart while the batch is borrowed).
    pub fn absorb(&mut self, other: Timings) {
        self.stages.extend(other.stages);
        self.workbook = other.workbook;
        self.json = other.json;
        self.history = other.history;
        self.docx = other.docx;
    }

    /// Time `f` as `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let (out, d) = timed(f);
        self.add(stage, d);
        out
    }

    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }

    /// A plain table, one stage a line: `  <stage> <seconds> <share>`.
    pub fn table(&self) -> String {
        let total = self.total().as_secs_f64().max(1e-9);
        let mut s = String::from("阶段用时(秒):\n");
        for (name, d) in &self.stages {
            s.push_str(&format!(
                "  {name:<10} {:>8.3}  {:>5.1}%\n",
                d.as_secs_f64(),
                100.0 * d.as_secs_f64() / total
            ));
        }
        s.push_str(&format!("  {:<10} {:>8.3}\n", "total", total));
        s.push_str(&format!(
            "  (读取与解析在 {} 个线程上并行:读取 CPU {:.3} 秒,解析校验 CPU {:.3} 秒)\n",
            self.threads,
            self.read_cpu.as_secs_f64(),
            self.map_cpu.as_secs_f64()
        ));
        if !self.workbook.is_zero() {
            s.push_str(&format!(
                "  (历史数据 {:.3} 秒,从一开始写出;通报文档 {:.3} 秒,与它同时先写出;之后工作簿 {:.3} 秒、运行报告 {:.3} 秒同时写出;history 一行为放入历史文件夹)\n",
                self.history.as_secs_f64(),
                self.docx.as_secs_f64(),
                self.workbook.as_secs_f64(),
                self.json.as_secs_f64()
            ));
        }
        s
    }
}

impl Batch {
    pub fn findings(&self) -> &[Finding] {
        &self.merged.findings
    }

    pub fn counts(&self, t: TableKind) -> Counts {
        self.merged.counts[t as usize]
    }

    pub fn frame(&self, t: TableKind) -> &DataFrame {
        &self.frames[t as usize]
    }
}

/// `f`'s result and how long it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    (f(), t.elapsed())
}
