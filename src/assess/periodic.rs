//! Quarter and year views (季度评比, 年度评比) from the monthly history: each
//! unit's monthly scores, their average, the ranking on it (ties share a
//! rank), and the flags of the span. A unit with a 一票否决 (F07) in the span
//! keeps its place in the table but is marked as losing the year's honours.

use crate::config::Period;
use crate::metrics::round4;
use crate::rank::competition_rank;
use crate::roster::{Roster, UnitKind};
use polars::prelude::*;
use std::path::Path;

/// A span of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Quarter(i32, u32),
    Year(i32),
}

impl Span {
    /// "2026-Q2", "2026Q2", "2026年第2季度"; "2026", "2026-Y", "2026年".
    pub fn parse(s: &str) -> Option<Span> {
        let t = crate::ingest::text::halfwidth(s.trim()).to_uppercase();
        let t = t.replace(['-', ' '], "");
        if let Some((y, q)) = t.split_once('Q') {
            let (y, q): (i32, u32) = (y.parse().ok()?, q.parse().ok()?);
            return ((1..=4).contains(&q) && (1900..=2199).contains(&y))
                .then_some(Span::Quarter(y, q));
        }
        if let Some(rest) = t.strip_suffix("季度") {
            let (y, q) = rest.split_once("年第")?;
            let (y, q): (i32, u32) = (y.parse().ok()?, q.parse().ok()?);
            return ((1..=4).contains(&q)).then_some(Span::Quarter(y, q));
        }
        let y = t.trim_end_matches('Y').trim_end_matches('年');
        let y: i32 = y.parse().ok()?;
        (y.to_string().len() == 4 && (1900..=2199).contains(&y)).then_some(Span::Year(y))
    }

    pub fn months(self) -> Vec<Period> {
        let (year, range) = match self {
            Span::Quarter(y, q) => (y, (q - 1) * 3 + 1..=q * 3),
            Span::Year(y) => (y, 1..=12),
        };
        range.map(|month| Period { year, month }).collect()
    }

    pub fn last(self) -> Period {
        *self.months().last().expect("a span has months")
    }

    /// "2026年第2季度", "2026年度".
    pub fn cn(self) -> String {
        match self {
            Span::Quarter(y, q) => format!("{y}年第{q}季度"),
            Span::Year(y) => format!("{y}年度"),
        }
    }

    /// "2026-Q2", "2026".
    pub fn key(self) -> String {
        match self {
            Span::Quarter(y, q) => format!("{y}-Q{q}"),
            Span::Year(y) => format!("{y}"),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Span::Quarter(..) => "季度评比",
            Span::Year(..) => "年度评比",
        }
    }
}

/// One unit's line of the span.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanRow {
    pub unit: usize,
    /// One per month of the span; None where the history lacks the month.
    pub scores: Vec<Option<f64>>,
    pub average: Option<f64>,
    pub rank_kind: Option<u32>,
    pub rank_all: Option<u32>,
    pub red: u32,
    pub yellow: u32,
    pub accountability: u32,
    pub veto: u32,
    /// The cumulative completion rate at the span's last month in the history.
    pub completion_rate: Option<f64>,
}

/// One unit's line of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthLine {
    pub score: f64,
    pub red: u32,
    pub yellow: u32,
    pub accountability: u32,
    pub veto: u32,
    pub completion_rate: Option<f64>,
}

/// One month's unit lines by unit name.
pub type MonthUnits = std::collections::HashMap<String, MonthLine>;

fn month_units(history: &Path, p: Period) -> Result<MonthUnits, String> {
    let path = crate::history::month_dir(history, p).join(crate::history::file::UNITS);
    let f = std::fs::File::open(&path).map_err(|e| format!("{}:{e}", path.display()))?;
    let df = ParquetReader::new(f)
        .finish()
        .map_err(|e| format!("{}:{e}", path.display()))?;
    let get = |name: &str| -> Result<Float64Chunked, String> {
        df.column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .and_then(|c| c.f64().cloned())
            .map_err(|e| format!("{}:{name}:{e}", path.display()))
    };
    let names = df
        .column("unit")
        .and_then(|c| c.str().cloned())
        .map_err(|e| format!("{}:{e}", path.display()))?;
    let (score, red, yellow, acc, veto, rate) = (
        get("score")?,
        get("red")?,
        get("yellow")?,
        get("accountability")?,
        get("veto")?,
        get("completion_rate")?,
    );
    let mut out = MonthUnits::new();
    for i in 0..df.height() {
        if let Some(n) = names.get(i) {
            let u = |c: &Float64Chunked| c.get(i).unwrap_or(0.0) as u32;
            out.insert(
                n.to_string(),
                MonthLine {
                    score: score.get(i).unwrap_or(0.0),
                    red: u(&red),
                    yellow: u(&yellow),
                    accountability: u(&acc),
                    veto: u(&veto),
                    completion_rate: rate.get(i),
                },
            );
        }
    }
    Ok(out)
}

/// The span's table from the history, with warnings for months it lacks.
/// `current` stands in for a month not yet in the history (December's own run).
pub fn span_table(
    history: &Path,
    span: Span,
    roster: &Roster,
    current: Option<(Period, MonthUnits)>,
) -> (Vec<SpanRow>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut months: Vec<Option<MonthUnits>> = Vec::new();
    for p in span.months() {
        let m = match &current {
            Some((cp, cu)) if *cp == p => Some(cu.clone()),
            _ => {
                let dir = crate::history::month_dir(history, p);
                if !dir.exists() {
                    warnings.push(format!(
                        "历史数据中没有 {} 的记录,该月不计入{}",
                        p.cn(),
                        span.title()
                    ));
                    None
                } else {
                    match month_units(history, p) {
                        Ok(m) => Some(m),
                        Err(e) => {
                            warnings.push(format!(
                                "历史数据 {} 无法读取({e}),该月不计入{}",
                                p.cn(),
                                span.title()
                            ));
                            None
                        }
                    }
                }
            }
        };
        months.push(m);
    }
    let mut rows: Vec<SpanRow> = roster
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let lines: Vec<Option<&MonthLine>> = months
                .iter()
                .map(|m| m.as_ref().and_then(|m| m.get(&u.name)))
                .collect();
            let scores: Vec<Option<f64>> = lines.iter().map(|l| l.map(|l| l.score)).collect();
            let have: Vec<f64> = scores.iter().flatten().copied().collect();
            let sum = |k: fn(&MonthLine) -> u32| lines.iter().flatten().map(|l| k(l)).sum();
            SpanRow {
                unit: i,
                average: (!have.is_empty())
                    .then(|| round4(have.iter().sum::<f64>() / have.len() as f64)),
                scores,
                rank_kind: None,
                rank_all: None,
                red: sum(|l| l.red),
                yellow: sum(|l| l.yellow),
                accountability: sum(|l| l.accountability),
                veto: sum(|l| l.veto),
                completion_rate: lines
                    .iter()
                    .rev()
                    .flatten()
                    .next()
                    .and_then(|l| l.completion_rate),
            }
        })
        .collect();
    // Rank the units that have an average; the others are unranked.
    let ranked: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].average.is_some())
        .collect();
    let all = competition_rank(
        &ranked
            .iter()
            .map(|&i| rows[i].average.unwrap_or(0.0))
            .collect::<Vec<_>>(),
    );
    for (k, &i) in ranked.iter().enumerate() {
        rows[i].rank_all = Some(all[k]);
    }
    for kind in [UnitKind::Township, UnitKind::Department] {
        let idx: Vec<usize> = ranked
            .iter()
            .copied()
            .filter(|&i| roster.units[i].kind == kind)
            .collect();
        let r = competition_rank(
            &idx.iter()
                .map(|&i| rows[i].average.unwrap_or(0.0))
                .collect::<Vec<_>>(),
        );
        for (k, &i) in idx.iter().enumerate() {
            rows[i].rank_kind = Some(r[k]);
        }
    }
    (rows, warnings)
}

/// The current month's unit lines, for a December run whose own month is not
/// in the history yet.
pub fn current_units(a: &crate::assess::Assessment) -> MonthUnits {
    a.metrics
        .units
        .iter()
        .map(|u| {
            let l = crate::flags::count_levels(&a.flags, Some(u.unit));
            (
                u.name.clone(),
                MonthLine {
                    score: a.scores[u.unit].score,
                    red: l[2],
                    yellow: l[3],
                    accountability: l[1],
                    veto: l[0],
                    completion_rate: u.fig.completion_rate,
                },
            )
        })
        .collect()
}

/// A span's ranking as assess computed it (December's 年度评比 sheet), with
/// what the history lacked for it.
#[derive(Debug, Clone)]
pub struct SpanRanking {
    pub span: Span,
    pub rows: Vec<SpanRow>,
    /// Months the history lacks or cannot give: for the findings.
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans() {
        assert_eq!(Span::parse("2026-Q2"), Some(Span::Quarter(2026, 2)));
        assert_eq!(Span::parse("2026q4"), Some(Span::Quarter(2026, 4)));
        assert_eq!(Span::parse("2026年第3季度"), Some(Span::Quarter(2026, 3)));
        assert_eq!(Span::parse("2026"), Some(Span::Year(2026)));
        assert_eq!(Span::parse("2026-Y"), Some(Span::Year(2026)));
        assert_eq!(Span::parse("2026-Q5"), None);
        assert_eq!(Span::parse("2026-05"), None);
        assert_eq!(
            Span::Quarter(2026, 2)
                .months()
                .iter()
                .map(|p| p.month)
                .collect::<Vec<_>>(),
            vec![4, 5, 6]
        );
        assert_eq!(Span::Year(2026).last().to_string(), "2026-12");
    }
}
