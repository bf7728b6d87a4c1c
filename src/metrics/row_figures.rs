//! The figures of single rows the sheets show beside their values, and the
//! attraction projects signed: computed once here, so the workbook and the
//! run report read the same numbers.

use super::{field_indexes, round4};
use crate::forms::{attraction, milestone, project};
use crate::merge::MergedRow;
use serde::Serialize;

/// A project against its 年度计划投资 (项目进度's 完成年度计划 and
/// 与时间进度差).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PlanRate {
    /// ytd_done / annual_plan; None without both, or with a plan of 0.
    pub rate: Option<f64>,
    /// (rate − time progress) × 100, in percentage points, to 4 decimals.
    pub gap_points: Option<f64>,
}

/// Each project's [`PlanRate`], in the merged rows' order.
pub fn plan_rates(rows: &[MergedRow], time_progress: f64) -> Vec<PlanRate> {
    let [ytd, plan] = field_indexes([project::YTD_DONE, project::ANNUAL_PLAN]);
    rows.iter()
        .map(|r| {
            let v = &r.rec.values;
            let rate = match (v[ytd].num(), v[plan].num()) {
                (Some(y), Some(p)) if p > 0.0 => Some(y / p),
                _ => None,
            };
            PlanRate {
                rate,
                gap_points: rate.map(|r| round4((r - time_progress) * 100.0)),
            }
        })
        .collect()
}

/// Each milestone's 工程量进度: done_qty / planned_qty (None without both,
/// or with a planned quantity of 0), in the merged rows' order.
pub fn quantity_rates(rows: &[MergedRow]) -> Vec<Option<f64>> {
    let [planned, done] = field_indexes([milestone::PLANNED_QTY, milestone::DONE_QTY]);
    rows.iter()
        .map(|r| {
            let v = &r.rec.values;
            match (v[done].num(), v[planned].num()) {
                (Some(d), Some(p)) if p > 0.0 => Some(d / p),
                _ => None,
            }
        })
        .collect()
}

/// The stages of an attraction project that count as signed.
pub const SIGNED_STAGES: [&str; 3] = ["签约", "开工", "投产"];

/// The merged attraction rows at a signed stage (签约, 开工 or 投产).
pub fn signed(rows: &[MergedRow]) -> u32 {
    rows.iter()
        .filter(|r| {
            r.rec
                .text(attraction::STAGE)
                .is_some_and(|s| SIGNED_STAGES.contains(&s))
        })
        .count() as u32
}
