//! 单位排名: townships and departments each ranked (类别内排名) and all
//! together (综合排名); red/yellow/green conditional formats on the gap to
//! time progress, a colour scale on the score.

use super::table::{page_setup, write_table_print, write_title, Out, Print, Tone};
use super::{sheet, Ctx, Error};
use crate::rank;
use crate::roster::UnitKind;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatCell, ConditionalFormatCellRule, Format,
    Workbook,
};

/// Every column of the sheet, in order: the key columns the sheet prints
/// first (rank, unit, target, completed, rate, gap to time progress, start
/// rate, flags, score, change), then the rest, to the right of the print area.
pub const HEADERS: &[&str] = &[
    "类别",
    "类别内排名",
    "单位",
    "年度投资目标(万元)",
    "累计完成投资(万元)",
    "投资完成率",
    "与时间进度差(百分点)",
    "开工率",
    "红色预警",
    "黄色预警",
    "得分",
    "类别内名次变化",
    "综合排名",
    "上月类别内排名",
    "上月综合排名",
    "综合名次变化",
    "包抓领导",
    "是否报送",
    "本月完成投资(万元)",
    "本月完成环比",
    "年度招商目标(万元)",
    "累计到位资金(万元)",
    "到位率",
    "扣分",
];

/// The month-over-month columns: left out until the history holds last month.
pub const MOM: &[&str] = &[
    "类别内名次变化",
    "上月类别内排名",
    "上月综合排名",
    "综合名次变化",
    "本月完成环比",
];

/// The columns printed: the key columns, up to 得分 and, with history, the
/// change of rank.
const PRINTED: usize = 12;

/// The sheet's columns: [`HEADERS`] without [`MOM`] when there is no last month.
pub fn headers(with_mom: bool) -> Vec<&'static str> {
    HEADERS
        .iter()
        .copied()
        .filter(|h| with_mom || !MOM.contains(h))
        .collect()
}

/// Where the header row sits.
pub const HEADER_ROW: u32 = 2;

pub fn write(wb: &mut Workbook, cx: &Ctx) -> Result<(), Error> {
    let m = &cx.a.metrics;
    // Month over month only once the history holds last month.
    let with_mom = cx.a.prior.previous(m.period).is_some();
    let headers = headers(with_mom);
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| *h == name)
            .expect("ranking header") as u16
    };
    let mut rows = Vec::new();
    for kind in [UnitKind::Township, UnitKind::Department] {
        for u in rank::order(&cx.a.scores, m, Some(kind)) {
            let row = unit_row(cx, kind, u);
            debug_assert!(row.iter().map(|(h, _)| *h).eq(HEADERS.iter().copied()));
            rows.push(
                row.into_iter()
                    .filter(|(h, _)| with_mom || !MOM.contains(h))
                    .map(|(_, v)| v)
                    .collect::<Vec<_>>(),
            );
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet::RANKING)?;
    // The change of rank prints only with history.
    let printed = if with_mom { PRINTED } else { PRINTED - 1 };
    write_title(
        ws,
        &cx.fmt,
        &format!("{}单位排名", cx.period_cn),
        Some(&note(cx)),
        printed as u16,
    )?;
    let print = Print::first(printed).cap(col("单位") as usize, 20);
    write_table_print(ws, &cx.fmt, HEADER_ROW, &headers, &rows, &print)?;
    if !rows.is_empty() {
        let last = HEADER_ROW + rows.len() as u32;
        colour(ws, cx, last, col("与时间进度差(百分点)"), col("得分"))?;
    }
    page_setup(ws, sheet::RANKING, &cx.period_cn, &cx.run_time, HEADER_ROW)?;
    Ok(())
}

/// Unit `u`'s row: every column of [`HEADERS`], named.
fn unit_row<'a>(cx: &'a Ctx, kind: UnitKind, u: usize) -> Vec<(&'static str, Out<'a>)> {
    let m = &cx.a.metrics;
    let uf = &m.units[u];
    let s = &cx.a.scores[u];
    let f = &uf.fig;
    let lv = cx.a.levels[u];
    let opt_pct = |x: Option<f64>| x.map_or(Out::Empty, Out::Pct);
    let opt_rank = |r: Option<u32>| r.map_or(Out::Empty, |r| Out::Int(r as i64));
    vec![
        ("类别", Out::text(kind.cn())),
        ("类别内排名", Out::Int(s.rank_kind as i64)),
        ("单位", Out::text(uf.name.clone())),
        ("年度投资目标(万元)", Out::Wan(f.invest_target)),
        ("累计完成投资(万元)", Out::Wan(f.ytd_done)),
        ("投资完成率", opt_pct(f.completion_rate)),
        (
            "与时间进度差(百分点)",
            f.gap_points.map_or(Out::Empty, Out::Num),
        ),
        ("开工率", opt_pct(f.start_rate)),
        ("红色预警", Out::Int(lv[2] as i64)),
        ("黄色预警", Out::Int(lv[3] as i64)),
        ("得分", Out::Num(s.score)),
        (
            "类别内名次变化",
            Out::text(rank::change_text(s.prev_rank_kind, s.rank_change_kind)),
        ),
        ("综合排名", Out::Int(s.rank_all as i64)),
        ("上月类别内排名", opt_rank(s.prev_rank_kind)),
        ("上月综合排名", opt_rank(s.prev_rank_all)),
        (
            "综合名次变化",
            Out::text(rank::change_text(s.prev_rank_all, s.rank_change_all)),
        ),
        ("包抓领导", Out::opt_text(uf.leader.as_deref())),
        (
            "是否报送",
            Out::text(if uf.submitted {
                "已报送"
            } else {
                "未报送"
            }),
        ),
        ("本月完成投资(万元)", Out::Wan(f.month_done)),
        ("本月完成环比", opt_pct(cx.a.mom[u].month_done_ratio)),
        ("年度招商目标(万元)", Out::Wan(f.attract_target)),
        ("累计到位资金(万元)", Out::Wan(f.ytd_funds)),
        ("到位率", opt_pct(f.attraction_rate)),
        ("扣分", Out::Num(s.deductions)),
    ]
}

/// The note under the title: how the score is made, and the time progress.
fn note(cx: &Ctx) -> String {
    let rules = &cx.batch.config.rules;
    format!(
        "得分 = {}×投资完成率 + {}×到位率(各以 {} 为上限)+ {}×开工率 − 扣分(红色预警每条 {} 分、黄色 {} 分,最多 {} 分);得分相同者名次并列。时间进度 {:.1}%。",
        rules.weight_completion,
        rules.weight_attraction,
        rules.rate_cap,
        rules.weight_start,
        rules.deduct_red,
        rules.deduct_yellow,
        rules.deduct_max,
        cx.a.metrics.time_progress * 100.0
    )
}

/// The gap to time progress (column `gap`) red, yellow or green by F03's
/// thresholds, and a colour scale on the score (column `score`), over the
/// data rows down to `last`.
fn colour(
    ws: &mut rust_xlsxwriter::Worksheet,
    cx: &Ctx,
    last: u32,
    gap: u16,
    score: u16,
) -> Result<(), Error> {
    let rules = &cx.batch.config.rules;
    let first = HEADER_ROW + 1;
    let red = -rules.f03_red_points;
    let yellow = -rules.f03_yellow_points;
    use ConditionalFormatCellRule::{Between, GreaterThan, LessThanOrEqualTo};
    for (rule, tone) in [
        (LessThanOrEqualTo(red), Tone::Red),
        (Between(red, yellow), Tone::Yellow),
        (GreaterThan(yellow), Tone::Green),
    ] {
        let cf = ConditionalFormatCell::new()
            .set_rule(rule)
            .set_format(Format::new().set_background_color(tone.color()));
        ws.add_conditional_format(first, gap, last, gap, &cf)?;
    }
    ws.add_conditional_format(
        first,
        score,
        last,
        score,
        &ConditionalFormat3ColorScale::new()
            .set_minimum_color("#F8696B")
            .set_midpoint_color("#FFEB84")
            .set_maximum_color("#63BE7B"),
    )?;
    Ok(())
}
