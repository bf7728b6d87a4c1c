//! Metrics → flags → ranking: everything the leadership workbook and the run
//! report say about the period, computed once.

use crate::flags::{self, Flag};
use crate::metrics::{self, Metrics};
use crate::pipeline::Batch;
use crate::rank::{self, Score};

/// The period judged: figures, flags (most severe first) and scores (roster order).
pub struct Assessment {
    pub metrics: Metrics,
    pub flags: Vec<Flag>,
    pub scores: Vec<Score>,
}

pub fn assess(batch: &Batch) -> polars::prelude::PolarsResult<Assessment> {
    let rules = &batch.config.rules;
    let metrics = metrics::compute(batch)?;
    let flags = flags::flags(batch, &metrics, rules);
    let scores = rank::rank(&metrics, &flags, rules);
    Ok(Assessment {
        metrics,
        flags,
        scores,
    })
}
