//! Scores and ranking (docs/forms.md §5): townships and departments ranked
//! separately and all together; ties share a rank (1, 2, 2, 4) after rounding
//! scores to 4 decimals (§7.13).

use crate::config::Rules;
use crate::flags::Flag;
use crate::metrics::{round4, Metrics};
use crate::roster::UnitKind;
use serde::Serialize;

/// One unit's score and places.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub unit: usize,
    /// Points taken off by red and yellow flags, capped.
    pub deductions: f64,
    pub score: f64,
    /// Rank among units of the same kind.
    pub rank_kind: u32,
    pub rank_all: u32,
    /// Last month's ranks, when the history has them.
    pub prev_rank_kind: Option<u32>,
    pub prev_rank_all: Option<u32>,
    /// Previous rank − current rank: +2 means up two places (docs/forms.md §7.12).
    pub rank_change_kind: Option<i64>,
    pub rank_change_all: Option<i64>,
}

/// "↑3", "↓1", "持平", or "新增" when there is no previous rank.
pub fn change_text(prev: Option<u32>, change: Option<i64>) -> String {
    match (prev, change) {
        (None, _) | (_, None) => "新增".into(),
        (Some(_), Some(0)) => "持平".into(),
        (Some(_), Some(c)) if c > 0 => format!("↑{c}"),
        (Some(_), Some(c)) => format!("↓{}", -c),
    }
}

/// The score before deductions: rates capped, an undefined rate counts as 0.
pub fn base_score(m: &Metrics, unit: usize, rules: &Rules) -> f64 {
    let f = &m.units[unit].fig;
    let cap = |r: Option<f64>| r.unwrap_or(0.0).min(rules.rate_cap);
    rules.weight_completion * cap(f.completion_rate)
        + rules.weight_attraction * cap(f.attraction_rate)
        + rules.weight_start * f.start_rate.unwrap_or(0.0)
}

/// Competition ranking ("1224") of `scores` (higher is better), compared after
/// rounding to 4 decimals.
pub fn competition_rank(scores: &[f64]) -> Vec<u32> {
    // A unit's rank is 1 + the number of (rounded) scores above its own: found
    // by binary search in the scores sorted high to low. NaN is above nothing
    // and nothing is above it, so it is left out of the search and ranks 1.
    let rounded: Vec<f64> = scores.iter().map(|s| round4(*s)).collect();
    let mut desc: Vec<f64> = rounded.iter().copied().filter(|s| !s.is_nan()).collect();
    desc.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
    rounded
        .iter()
        .map(|s| {
            if s.is_nan() {
                1
            } else {
                1 + desc.partition_point(|o| o > s) as u32
            }
        })
        .collect()
}

/// Score and rank every unit (in roster order).
pub fn rank(m: &Metrics, flags: &[Flag], rules: &Rules) -> Vec<Score> {
    let n = m.units.len();
    // Each unit's deductions in flag order, gathered in one pass over the flags.
    let mut by_unit: Vec<Vec<f64>> = vec![Vec::new(); n];
    for f in flags {
        if let Some(d) = by_unit.get_mut(f.unit_idx) {
            d.push(f.deduction(rules));
        }
    }
    let scores: Vec<(f64, f64)> = (0..n)
        .map(|u| {
            let d: f64 = by_unit[u].iter().sum();
            let d = d.min(rules.deduct_max);
            (d, round4(base_score(m, u, rules) - d))
        })
        .collect();
    let all = competition_rank(&scores.iter().map(|s| s.1).collect::<Vec<_>>());
    let mut kind_rank = vec![0; n];
    for kind in [UnitKind::Township, UnitKind::Department] {
        let idx: Vec<usize> = (0..n).filter(|&u| m.units[u].kind == kind).collect();
        let r = competition_rank(&idx.iter().map(|&u| scores[u].1).collect::<Vec<_>>());
        for (k, &u) in idx.iter().enumerate() {
            kind_rank[u] = r[k];
        }
    }
    (0..n)
        .map(|u| Score {
            unit: u,
            deductions: scores[u].0,
            score: scores[u].1,
            rank_kind: kind_rank[u],
            rank_all: all[u],
            prev_rank_kind: None,
            prev_rank_all: None,
            rank_change_kind: None,
            rank_change_all: None,
        })
        .collect()
}

/// Units in ranking order for a kind (None: all), ties in roster order.
pub fn order(scores: &[Score], m: &Metrics, kind: Option<UnitKind>) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len())
        .filter(|&u| kind.is_none_or(|k| m.units[u].kind == k))
        .collect();
    let key = |u: usize| {
        if kind.is_some() {
            scores[u].rank_kind
        } else {
            scores[u].rank_all
        }
    };
    idx.sort_by_key(|&u| (key(u), u));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_texts() {
        assert_eq!(change_text(Some(5), Some(3)), "↑3");
        assert_eq!(change_text(Some(1), Some(-1)), "↓1");
        assert_eq!(change_text(Some(2), Some(0)), "持平");
        assert_eq!(change_text(None, None), "新增");
    }

    #[test]
    fn ties_share_a_rank() {
        assert_eq!(
            competition_rank(&[90.0, 80.0, 80.0, 70.0]),
            vec![1, 2, 2, 4]
        );
        assert_eq!(
            competition_rank(&[70.0, 80.00000001, 80.0, 90.0]),
            vec![4, 2, 2, 1]
        );
        assert_eq!(competition_rank(&[]), Vec::<u32>::new());
        assert_eq!(
            competition_rank(&[f64::NAN, 1.0, -0.0, 0.0, 1.00001, f64::NAN, 2.0]),
            vec![1, 2, 4, 4, 2, 1, 1]
        );
    }
}
