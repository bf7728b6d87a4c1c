//! Metrics → flags → ranking: everything the leadership workbook and the run
//! report say about the period, computed once. With history, also the
//! month-over-month figures, rank changes, F06 and F08's decrease check.

pub mod bulletin;
pub mod periodic;

use crate::batch::Batch;
use crate::flags::{self, Figures, Flag, FlagCode, Level, Subject};
use crate::forms::{attraction, project};
use crate::history::Prior;
use crate::metrics::{self, round4, Metrics};
use crate::rank::{self, Score};
use serde::Serialize;

/// Month over month for a unit or the county; None fields where last month is unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Mom {
    pub prev_ytd_done: Option<f64>,
    /// ytd_done − prev_ytd_done.
    pub ytd_done_change: Option<f64>,
    pub prev_month_done: Option<f64>,
    /// 环比: month_done / prev_month_done − 1.
    pub month_done_ratio: Option<f64>,
}

impl Mom {
    fn new(ytd: f64, month: f64, prev: Option<(f64, f64)>) -> Mom {
        match prev {
            None => Mom::default(),
            Some((py, pm)) => Mom {
                prev_ytd_done: Some(py),
                ytd_done_change: Some(round4(ytd - py)),
                prev_month_done: Some(pm),
                month_done_ratio: (pm > 0.0).then(|| month / pm - 1.0),
            },
        }
    }
}

/// The period judged: figures, flags (most severe first) and scores (roster order).
pub struct Assessment {
    pub metrics: Metrics,
    pub flags: Vec<Flag>,
    pub scores: Vec<Score>,
    /// Per unit (roster order).
    pub mom: Vec<Mom>,
    pub county_mom: Mom,
    /// The history the period was judged with.
    pub prior: Prior,
    /// The 通报's 期号: this year's months the history holds before this
    /// one, plus one (the first month summarised is 第1期).
    pub issue_no: u32,
    /// The units named for each level's action, in roster order.
    pub named: Named,
    /// Each unit's flags by level (roster order): veto, accountability,
    /// red, yellow, as [`flags::count_levels`] counts them.
    pub levels: Vec<[u32; 4]>,
    /// The county's flags by level, as [`Assessment::levels`] counts a unit's.
    pub county_levels: [u32; 4],
    /// The bulletin read at the meeting, paragraph by paragraph
    /// (shared/BULLETIN.md): 总览 runs them together, the 通报 prints each.
    pub bulletin: Vec<String>,
    /// December: the year's ranking (年度评比) from the history and this month.
    pub year: Option<crate::periodic::SpanRanking>,
    /// The county's cumulative investment month by month this year (the
    /// history's months, then this one) against the time-progress line.
    pub trend: Vec<TrendPoint>,
}

/// One month of the county's investment trend (总览's 累计完成投资走势).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrendPoint {
    pub month: u32,
    /// The county's 累计完成投资 at the month's end (万元).
    pub ytd_done: f64,
    /// The time-progress line: the annual target × month / 12 (万元).
    pub time_line: f64,
}

/// The county's trend: the history's months of this year before this one,
/// then this month, each against the time-progress line.
fn trend(m: &Metrics, prior: &Prior) -> Vec<TrendPoint> {
    let target = m.county.invest_target;
    let mut points: Vec<(u32, f64)> = prior
        .months
        .iter()
        .filter(|mo| mo.period.year == m.period.year && mo.period < m.period)
        .map(|mo| (mo.period.month, mo.meta.county_ytd_done))
        .collect();
    points.push((m.period.month, m.county.ytd_done));
    points
        .into_iter()
        .map(|(month, ytd_done)| TrendPoint {
            month,
            ytd_done,
            time_line: target * month as f64 / 12.0,
        })
        .collect()
}

/// The units named for the actions of the flags' levels, each unit once, in
/// roster order: 通报批评 (a red flag), 约谈问责 (连续预警), 一票否决.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Named {
    pub criticised: Vec<usize>,
    pub interviewed: Vec<usize>,
    pub vetoed: Vec<usize>,
}

impl Named {
    fn of(flags: &[Flag]) -> Named {
        let units = |level: Level| {
            let mut v: Vec<usize> = flags
                .iter()
                .filter(|f| f.level == level)
                .map(|f| f.unit_idx)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        Named {
            criticised: units(Level::Red),
            interviewed: units(Level::Accountability),
            vetoed: units(Level::Veto),
        }
    }
}

/// The 期号 of `period`: the months of its year before it that the history
/// holds, plus one.
pub fn issue_no(prior: &Prior, period: crate::config::Period) -> u32 {
    1 + prior
        .months
        .iter()
        .filter(|m| m.period.year == period.year && m.period < period)
        .count() as u32
}

/// Judge the period without history.
pub fn assess(batch: &Batch) -> polars::prelude::PolarsResult<Assessment> {
    assess_with(batch, Prior::default())
}

/// Judge the period with what the history holds of the earlier months.
pub fn assess_with(batch: &Batch, prior: Prior) -> polars::prelude::PolarsResult<Assessment> {
    let rules = &batch.config.rules;
    let period = batch.config.period;
    let metrics = metrics::compute(batch)?;
    let mut flags = flags::flags(batch, &metrics, rules);
    let prev = prior.previous(period);
    if let Some(prev) = prev {
        flags.extend(decrease_flags(batch, prev));
    }
    flags.extend(f06(batch, &metrics, &flags, &prior, rules.f06_months));
    flags::sort_flags(&mut flags);
    let mut scores = rank::rank(&metrics, &flags, rules);
    let mut mom = Vec::with_capacity(metrics.units.len());
    for (u, s) in metrics.units.iter().zip(scores.iter_mut()) {
        let past = prev.and_then(|p| p.units.get(&u.name));
        if let Some(pu) = past {
            s.prev_rank_kind = Some(pu.rank_kind);
            s.prev_rank_all = Some(pu.rank_all);
            s.rank_change_kind = Some(pu.rank_kind as i64 - s.rank_kind as i64);
            s.rank_change_all = Some(pu.rank_all as i64 - s.rank_all as i64);
        }
        mom.push(Mom::new(
            u.fig.ytd_done,
            u.fig.month_done,
            past.map(|p| (p.ytd_done, p.month_done)),
        ));
    }
    let c = &metrics.county;
    let county_mom = Mom::new(
        c.ytd_done,
        c.month_done,
        prev.map(|p| (p.meta.county_ytd_done, p.meta.county_month_done)),
    );
    let named = Named::of(&flags);
    let levels = flags::count_levels_by_unit(&flags, metrics.units.len());
    let county_levels = flags::count_levels(&flags, None);
    let trend = trend(&metrics, &prior);
    let mut a = Assessment {
        metrics,
        flags,
        scores,
        mom,
        county_mom,
        issue_no: issue_no(&prior, period),
        prior,
        named,
        levels,
        county_levels,
        bulletin: Vec::new(),
        year: None,
        trend,
    };
    if period.month == 12 {
        let span = crate::periodic::Span::Year(period.year);
        let current = Some((period, crate::periodic::current_units(&a)));
        let (rows, warnings) =
            crate::periodic::span_table(&batch.config.history, span, &batch.roster, current);
        a.year = Some(crate::periodic::SpanRanking {
            span,
            rows,
            warnings,
        });
    }
    a.bulletin = crate::bulletin::paragraphs(batch, &a);
    Ok(a)
}

/// F08 (month over month): a project's 累计完成投资 or an attraction row's
/// 累计到位资金 lower than last month's.
fn decrease_flags(batch: &Batch, prev: &crate::history::Month) -> Vec<Flag> {
    let units = &batch.roster.units;
    let mut out = Vec::new();
    for r in &batch.merged.rows[0] {
        let (Some(u), Some(now)) = (r.rec.unit, r.rec.num(project::YTD_DONE)) else {
            continue;
        };
        if let Some(&before) = prev.project_ytd.get(&r.rec.project_key()) {
            if now + 1e-6 < before {
                let mut f = Flag::new(
                    FlagCode::F08,
                    u,
                    &units[u].name,
                    Level::Yellow,
                    Some(Subject::YtdDecrease),
                    Figures::YtdDoneDecrease {
                        prev_ytd_done: round4(before),
                        ytd_done: round4(now),
                    },
                    format!(
                        "累计完成投资 {} 万元,少于上月报送的 {} 万元",
                        crate::ingest::cell::fmt_num(round4(now)),
                        crate::ingest::cell::fmt_num(round4(before))
                    ),
                );
                f.project_id = r.rec.project_id().map(str::to_string);
                f.project_name = r.rec.project_name().map(str::to_string);
                out.push(f);
            }
        }
    }
    for r in &batch.merged.rows[2] {
        let (Some(u), Some(name), Some(now)) = (
            r.rec.unit,
            r.rec.project_name(),
            r.rec.num(attraction::YTD_FUNDS),
        ) else {
            continue;
        };
        if let Some(&before) = prev
            .attraction_ytd
            .get(&(units[u].name.clone(), name.to_string()))
        {
            if now + 1e-6 < before {
                out.push(Flag::new(
                    FlagCode::F08,
                    u,
                    &units[u].name,
                    Level::Yellow,
                    Some(Subject::YtdDecrease),
                    Figures::YtdFundsDecrease {
                        prev_ytd_funds: round4(before),
                        project_name: name.to_string(),
                        ytd_funds: round4(now),
                    },
                    format!(
                        "招商项目\"{name}\"累计到位资金 {} 万元,少于上月报送的 {} 万元",
                        crate::ingest::cell::fmt_num(round4(now)),
                        crate::ingest::cell::fmt_num(round4(before))
                    ),
                ));
            }
        }
    }
    out
}

/// F06: red flags in `months` consecutive months, this one included.
fn f06(batch: &Batch, m: &Metrics, flags: &[Flag], prior: &Prior, months: u32) -> Vec<Flag> {
    let mut out = Vec::new();
    if months == 0 {
        return out;
    }
    let period = batch.config.period;
    for u in &m.units {
        let red_now = flags
            .iter()
            .any(|f| f.unit_idx == u.unit && f.level == Level::Red);
        if !red_now {
            continue;
        }
        let mut run = vec![period];
        let mut p = period;
        while (run.len() as u32) < months {
            p = p.prev();
            match prior.month(p).and_then(|mo| mo.units.get(&u.name)) {
                Some(pu) if pu.red > 0 => run.push(p),
                _ => break,
            }
        }
        if run.len() as u32 >= months {
            run.reverse();
            let list: Vec<String> = run.iter().map(|p| p.to_string()).collect();
            out.push(Flag::new(
                FlagCode::F06,
                u.unit,
                &u.name,
                Level::Accountability,
                None,
                Figures::Consecutive {
                    consecutive: run.len(),
                    months: list,
                },
                format!(
                    "连续 {} 个月出现红色预警({})",
                    run.len(),
                    run.iter().map(|p| p.cn()).collect::<Vec<_>>().join("、")
                ),
            ));
        }
    }
    out
}
