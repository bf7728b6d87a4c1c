//! The bulletin paragraph of the 总览 sheet (shared/BULLETIN.md): what a leader
//! reads aloud at the dispatch meeting, always with the figures.

use crate::assess::Assessment;
use crate::batch::Batch;
use crate::forms::attraction;
use crate::rank;
use crate::roster::UnitKind;

/// An amount: 1亿元 or more in 亿元 with two decimals, less in 万元 (up to two
/// decimals, trailing zeros dropped).
pub fn fmt_amount(wan: f64) -> String {
    if wan.abs() >= 10_000.0 {
        format!("{:.2}亿元", wan / 10_000.0)
    } else {
        let s = format!("{wan:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{s}万元")
    }
}

/// A fraction as a percentage with one decimal; "75%" rather than "75.0%".
pub fn fmt_pct(x: f64) -> String {
    let s = format!("{:.1}", x * 100.0);
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

/// Percentage points with one decimal.
pub fn fmt_points(x: f64) -> String {
    let s = format!("{:.1}", x.abs());
    s.strip_suffix(".0").unwrap_or(&s).to_string()
}

fn names(list: &[&str]) -> String {
    list.join("、")
}

/// Sources of funds from outside the city (利用市外资金).
const OUTSIDE_CITY: &[&str] = &["市外省内", "省外", "境外"];

/// The paragraph: [`paragraphs`] run together, as 总览 shows it.
pub fn bulletin(batch: &Batch, a: &Assessment) -> String {
    paragraphs(batch, a).concat()
}

/// The bulletin in its parts, in BULLETIN.md's order, one paragraph each as
/// the 通报 document prints them: always five, at the indexes below (an
/// empty one when there is nothing to say: no ranking of two units, no flag).
pub const P_INVEST: usize = 0;
pub const P_ATTRACT: usize = 1;
pub const P_RESULTS: usize = 2;
pub const P_RANKING: usize = 3;
pub const P_FLAGS: usize = 4;

/// The paragraphs: projects and investment, attraction, who has results (and
/// who did not submit), the ranking's top and bottom, the flags and the units
/// named for them.
pub fn paragraphs(batch: &Batch, a: &Assessment) -> Vec<String> {
    let mut out = vec![String::new(); 5];
    out[P_INVEST] = invest(a);
    out[P_ATTRACT] = attract(batch, a);
    out[P_RESULTS] = results(a);
    out[P_RANKING] = ranking(a);
    out[P_FLAGS] = flagged(a);
    out
}

/// Projects started, and investment against the task and against time.
fn invest(a: &Assessment) -> String {
    let m = &a.metrics;
    let c = &m.county;
    let mut s = String::new();
    // Projects started.
    s.push_str(&format!(
        "今年确定的{}个重点项目,目前开工{}个,开工率{}",
        c.projects_new_cont,
        c.started,
        fmt_pct(c.start_rate.unwrap_or(0.0))
    ));
    if c.overdue_not_started > 0 {
        s.push_str(&format!(",逾期未开工{}个", c.overdue_not_started));
    }
    if c.projects_by_category.prelim > 0 {
        s.push_str(&format!(";另有前期项目{}个", c.projects_by_category.prelim));
    }
    // Investment against the task and against time.
    let rate = c.completion_rate.unwrap_or(0.0);
    s.push_str(&format!(
        ";年度计划投资{},累计完成{},占年度任务的{}",
        fmt_amount(c.invest_target),
        fmt_amount(c.ytd_done),
        fmt_pct(rate)
    ));
    match c.gap_points {
        Some(g) if g.abs() < 0.05 => s.push_str(",与时间进度持平"),
        Some(g) if g > 0.0 => s.push_str(&format!(",高于时间进度{}个百分点", fmt_points(g))),
        Some(g) => s.push_str(&format!(",低于时间进度{}个百分点", fmt_points(g))),
        None => {}
    }
    if c.month_done > 0.0 {
        s.push_str(&format!(",其中本月完成{}", fmt_amount(c.month_done)));
    }
    let mom = &a.county_mom;
    if let Some(change) = mom.ytd_done_change {
        s.push_str(&format!(",累计完成较上月净增{}", fmt_amount(change)));
    }
    if let Some(r) = mom.month_done_ratio {
        let word = if r >= 0.0 { "增长" } else { "下降" };
        s.push_str(&format!(",本月完成投资环比{word}{}", fmt_pct(r.abs())));
    }
    s.push('。');
    s
}

/// Attraction: projects, signed, funds against the target, funds from
/// outside the city.
fn attract(batch: &Batch, a: &Assessment) -> String {
    let m = &a.metrics;
    let c = &m.county;
    let mut s = String::new();
    // Attraction.
    let rows = &batch.merged.rows[crate::TableKind::Attraction as usize];
    let signed = m.attraction_signed;
    let outside: f64 = rows
        .iter()
        .filter(|r| {
            r.rec
                .text(attraction::SOURCE)
                .is_some_and(|x| OUTSIDE_CITY.contains(&x))
        })
        .filter_map(|r| r.rec.num(attraction::YTD_FUNDS))
        .sum();
    s.push_str(&format!(
        "招商引资在谈及落地项目{}个,其中已签约{}个;累计到位资金{}",
        c.attraction_rows,
        signed,
        fmt_amount(c.ytd_funds)
    ));
    if let Some(r) = c.attraction_rate {
        s.push_str(&format!(
            ",完成年度目标{}的{}",
            fmt_amount(c.attract_target),
            fmt_pct(r)
        ));
    }
    if outside > 0.0 {
        s.push_str(&format!(",利用市外资金{}", fmt_amount(outside)));
    }
    s.push('。');
    s
}

/// Who has results and who has none, and who did not submit.
fn results(a: &Assessment) -> String {
    let m = &a.metrics;
    let mut s = String::new();
    // Who has results and who has none.
    let with = |kind: UnitKind, has: bool| -> Vec<&str> {
        m.units
            .iter()
            .filter(|u| u.kind == kind && ((u.fig.ytd_done > 0.0 || u.fig.ytd_funds > 0.0) == has))
            .map(|u| u.name.as_str())
            .collect()
    };
    let (tw, dw) = (
        with(UnitKind::Township, true),
        with(UnitKind::Department, true),
    );
    let none: Vec<&str> = [
        with(UnitKind::Township, false),
        with(UnitKind::Department, false),
    ]
    .concat();
    s.push_str(&format!(
        "{}个乡镇(街道)和{}个部门有实绩",
        tw.len(),
        dw.len()
    ));
    if none.is_empty() {
        s.push('。');
    } else {
        s.push_str(&format!(
            ",{}个单位没有实绩({})。",
            none.len(),
            names(&none)
        ));
    }
    // Submission.
    let missing = m.units_missing();
    if !missing.is_empty() {
        s.push_str(&format!("{}未按时报送。", names(&missing)));
    }
    s
}

/// The ranking's top and bottom, townships and departments.
fn ranking(a: &Assessment) -> String {
    let m = &a.metrics;
    let mut s = String::new();
    // Ranking top and bottom.
    for (kind, label) in [
        (UnitKind::Township, "乡镇(街道)"),
        (UnitKind::Department, "部门"),
    ] {
        let order = rank::order(&a.scores, m, Some(kind));
        if order.len() < 2 {
            continue;
        }
        let k = 3.min(order.len() / 2).max(1);
        let top: Vec<&str> = order[..k]
            .iter()
            .map(|&u| m.units[u].name.as_str())
            .collect();
        let bottom: Vec<&str> = order[order.len() - k..]
            .iter()
            .map(|&u| m.units[u].name.as_str())
            .collect();
        s.push_str(&format!(
            "{label}综合排名前{k}位的是{},后{k}位的是{}。",
            names(&top),
            names(&bottom)
        ));
    }
    s
}

/// The flags and the units named for them.
fn flagged(a: &Assessment) -> String {
    let m = &a.metrics;
    let mut s = String::new();
    // Flags.
    let count = a.county_levels;
    if count.iter().sum::<u32>() > 0 {
        s.push_str(&format!(
            "本月共发出预警{}条,其中红色{}条、黄色{}条",
            count[2] + count[3],
            count[2],
            count[3]
        ));
        let by_level = |units: &[usize]| -> Vec<&str> {
            units.iter().map(|&u| m.units[u].name.as_str()).collect()
        };
        let red = by_level(&a.named.criticised);
        if !red.is_empty() {
            s.push_str(&format!(";{}予以通报批评", names(&red)));
        }
        let acc = by_level(&a.named.interviewed);
        if !acc.is_empty() {
            s.push_str(&format!(";{}连续预警,予以约谈问责", names(&acc)));
        }
        let veto = by_level(&a.named.vetoed);
        if !veto.is_empty() {
            s.push_str(&format!(
                ";{}未完成年度目标,一票否决,取消年度评先资格",
                names(&veto)
            ));
        }
        s.push('。');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_percentages_as_county_reports_write_them() {
        assert_eq!(fmt_amount(37200.0), "3.72亿元");
        assert_eq!(fmt_amount(9327.0), "9327万元");
        assert_eq!(fmt_amount(9327.456), "9327.46万元");
        assert_eq!(fmt_amount(10000.0), "1.00亿元");
        assert_eq!(fmt_amount(0.0), "0万元");
        assert_eq!(fmt_pct(0.75), "75%");
        assert_eq!(fmt_pct(9327.0 / 37200.0), "25.1%");
        assert_eq!(fmt_points(-16.595), "16.6");
    }
}
