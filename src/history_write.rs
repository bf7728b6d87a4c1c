//! This month into the history: `history/<YYYY-MM>/` (units, flags and the
//! period's tables as Parquet, and the month's meta), written whole into a
//! temporary folder and swapped in. An output, like the workbook: it writes
//! what assess computed. Reading earlier months back is `history`.

use crate::assess::Assessment;
use crate::batch::Batch;
use crate::config::Period;
use crate::error::Error;
use crate::history::{file, month_dir, recover, Meta};
use polars::prelude::*;
use std::path::{Path, PathBuf};

fn unit_frame(batch: &Batch, a: &Assessment) -> PolarsResult<DataFrame> {
    let m = &a.metrics;
    let units = &m.units;
    let f =
        |g: &dyn Fn(&crate::metrics::UnitFigures) -> f64| units.iter().map(g).collect::<Vec<f64>>();
    let levels: Vec<[u32; 4]> = units.iter().map(|u| a.levels[u.unit]).collect();
    let _ = batch;
    DataFrame::new(
        units.len(),
        vec![
            Column::new(
                "unit".into(),
                units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "unit_kind".into(),
                units.iter().map(|u| u.kind.cn()).collect::<Vec<_>>(),
            ),
            Column::new(
                "submitted".into(),
                units.iter().map(|u| u.submitted).collect::<Vec<_>>(),
            ),
            Column::new("invest_target".into(), f(&|u| u.fig.invest_target)),
            Column::new("ytd_done".into(), f(&|u| u.fig.ytd_done)),
            Column::new("month_done".into(), f(&|u| u.fig.month_done)),
            Column::new("attract_target".into(), f(&|u| u.fig.attract_target)),
            Column::new("ytd_funds".into(), f(&|u| u.fig.ytd_funds)),
            Column::new("month_funds".into(), f(&|u| u.fig.month_funds)),
            Column::new(
                "completion_rate".into(),
                units
                    .iter()
                    .map(|u| u.fig.completion_rate)
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "start_rate".into(),
                units.iter().map(|u| u.fig.start_rate).collect::<Vec<_>>(),
            ),
            Column::new(
                "score".into(),
                a.scores.iter().map(|s| s.score).collect::<Vec<_>>(),
            ),
            Column::new(
                "deductions".into(),
                a.scores.iter().map(|s| s.deductions).collect::<Vec<_>>(),
            ),
            Column::new(
                "rank_kind".into(),
                a.scores.iter().map(|s| s.rank_kind).collect::<Vec<_>>(),
            ),
            Column::new(
                "rank_all".into(),
                a.scores.iter().map(|s| s.rank_all).collect::<Vec<_>>(),
            ),
            Column::new(
                "red".into(),
                levels.iter().map(|l| l[2]).collect::<Vec<_>>(),
            ),
            Column::new(
                "yellow".into(),
                levels.iter().map(|l| l[3]).collect::<Vec<_>>(),
            ),
            Column::new(
                "accountability".into(),
                levels.iter().map(|l| l[1]).collect::<Vec<_>>(),
            ),
            Column::new(
                "veto".into(),
                levels.iter().map(|l| l[0]).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn flag_frame(a: &Assessment) -> PolarsResult<DataFrame> {
    let fl = &a.flags;
    DataFrame::new(
        fl.len(),
        vec![
            Column::new(
                "code".into(),
                fl.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "unit".into(),
                fl.iter().map(|f| f.unit.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "project_id".into(),
                fl.iter()
                    .map(|f| f.project_id.as_deref())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "level".into(),
                fl.iter().map(|f| f.level.key()).collect::<Vec<_>>(),
            ),
            Column::new(
                "subject".into(),
                fl.iter()
                    .map(|f| f.subject.as_ref().map(|s| s.key()))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "detail".into(),
                fl.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// Rows of a month's table written to its Parquet file at a time.
const ROW_GROUP: usize = 65_536;

/// Parquet files are made in memory (megabytes even at a province's scale)
/// and written with one call: polars writes a file in thousands of small
/// pieces (14,000 write calls for a county's month), and a buffered file
/// would only report a failed last write by losing it.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}:{e}", path.display()))
}

fn write_parquet(path: &Path, mut df: DataFrame) -> Result<(), String> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(&mut df)
        .map_err(|e| format!("{}:{e}", path.display()))?;
    write_file(path, &bytes)
}

/// Store the period: `history/<YYYY-MM>/` replaced whole, other months untouched.
pub fn save(history: &Path, batch: &Batch, a: &Assessment) -> Result<PathBuf, Error> {
    stage(history, batch, a)?.commit()
}

/// A month written whole into a temporary folder in the history, not yet in
/// place: [`StagedMonth::commit`] swaps it in; dropped uncommitted, it is
/// removed.
pub struct StagedMonth {
    tmp: tempfile::TempDir,
    history: PathBuf,
    period: Period,
}

/// The first half of [`save`]: the month written into a temporary folder
/// beside its place, to be committed (so it can be written at the same time
/// as the workbook and put in place after it).
pub fn stage(history: &Path, batch: &Batch, a: &Assessment) -> Result<StagedMonth, Error> {
    stage_month(history, batch, a).map_err(Error::Write)
}

fn stage_month(history: &Path, batch: &Batch, a: &Assessment) -> Result<StagedMonth, String> {
    std::fs::create_dir_all(history)
        .map_err(|e| format!("无法创建历史数据文件夹 {}:{e}", history.display()))?;
    recover(history);
    let period = batch.config.period;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{period}-"))
        .tempdir_in(history)
        .map_err(|e| format!("无法写入历史数据文件夹 {}:{e}", history.display()))?;
    let c = &a.metrics.county;
    let meta = Meta {
        period: period.to_string(),
        diaodu_version: env!("CARGO_PKG_VERSION").to_string(),
        units: batch.roster.units.iter().map(|u| u.name.clone()).collect(),
        county_ytd_done: c.ytd_done,
        county_month_done: c.month_done,
        county_invest_target: c.invest_target,
        county_ytd_funds: c.ytd_funds,
        county_month_funds: c.month_funds,
    };
    let meta_text = serde_json::to_string_pretty(&meta).map_err(|e| e.to_string())?;
    std::fs::write(tmp.path().join(file::META), meta_text).map_err(|e| e.to_string())?;
    let err = |e: PolarsError| e.to_string();
    write_parquet(
        &tmp.path().join(file::UNITS),
        unit_frame(batch, a).map_err(err)?,
    )?;
    write_parquet(&tmp.path().join(file::FLAGS), flag_frame(a).map_err(err)?)?;
    // The tables whole (every field and source); built and written a slice
    // of rows at a time (one row group each), so that at a province's scale
    // no whole table is held a second time as a frame.
    for (t, name) in [
        (crate::TableKind::Projects, file::PROJECTS),
        (crate::TableKind::Milestones, file::MILESTONES),
        (crate::TableKind::Attraction, file::ATTRACTION),
    ] {
        let rows = &batch.merged.rows[t as usize];
        let timing = &a.metrics.timing[t as usize];
        let part = |range: std::ops::Range<usize>| -> PolarsResult<DataFrame> {
            let df = crate::merge::frame(t, &rows[range.clone()], &batch.roster)?;
            if t == crate::TableKind::Attraction {
                Ok(df)
            } else {
                crate::metrics::with_timing(&df, &timing[range])
            }
        };
        let path = tmp.path().join(name);
        let at = |e: PolarsError| format!("{}:{e}", path.display());
        let first = part(0..rows.len().min(ROW_GROUP)).map_err(err)?;
        let mut bytes = Vec::new();
        let mut w = ParquetWriter::new(&mut bytes)
            .batched(first.schema())
            .map_err(at)?;
        w.write_batch(&first).map_err(at)?;
        drop(first);
        for start in (ROW_GROUP..rows.len()).step_by(ROW_GROUP) {
            let df = part(start..rows.len().min(start + ROW_GROUP)).map_err(err)?;
            w.write_batch(&df).map_err(at)?;
        }
        w.finish().map_err(at)?;
        drop(w);
        write_file(&path, &bytes)?;
    }
    Ok(StagedMonth {
        tmp,
        history: history.to_path_buf(),
        period,
    })
}

impl StagedMonth {
    /// Put the month in place of the one the history may hold; returns its folder.
    pub fn commit(self) -> Result<PathBuf, Error> {
        let (history, period) = (self.history.as_path(), self.period);
        let dest = month_dir(history, period);
        let tmp_path = self.tmp.keep();
        // Swap: the old folder aside, the new one in, the old one removed.
        let old = history.join(format!(".{period}-old"));
        let _ = std::fs::remove_dir_all(&old);
        if dest.exists() {
            std::fs::rename(&dest, &old)
                .map_err(|e| Error::Write(format!("无法替换 {}:{e}", dest.display())))?;
        }
        std::fs::rename(&tmp_path, &dest).map_err(|e| {
            let _ = std::fs::rename(&old, &dest);
            Error::Write(format!("无法保存 {}:{e}", dest.display()))
        })?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(dest)
    }
}
