//! 单位排名: townships and departments each ranked (类别内排名) and all
//! together (综合排名); red/yellow/green conditional formats on the gap to
//! time progress, a colour scale on the score.

use super::table::{page_setup, write_table, write_title, Out, Tone};
use super::{sheet, Ctx, WriteError};
use crate::flags::count_levels;
use crate::rank;
use crate::roster::UnitKind;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatCell, ConditionalFormatCellRule, Format,
    Workbook,
};

pub const HEADERS: &[&str] = &[
    "类别",
    "类别内排名",
    "上月类别内排名",
    "类别内名次变化",
    "综合排名",
    "上月综合排名",
    "综合名次变化",
    "单位",
    "包抓领导",
    "是否报送",
    "年度投资目标(万元)",
    "累计完成投资(万元)",
    "本月完成投资(万元)",
    "本月完成环比",
    "投资完成率",
    "与时间进度差(百分点)",
    "年度招商目标(万元)",
    "累计到位资金(万元)",
    "到位率",
    "开工率",
    "红色预警",
    "黄色预警",
    "扣分",
    "得分",
];

fn col(name: &str) -> u16 {
    HEADERS
        .iter()
        .position(|h| *h == name)
        .expect("ranking header") as u16
}

/// Where the header row sits.
pub const HEADER_ROW: u32 = 2;

pub fn write(wb: &mut Workbook, cx: &Ctx) -> Result<(), WriteError> {
    let m = &cx.a.metrics;
    let rules = &cx.batch.config.rules;
    let mut rows = Vec::new();
    for kind in [UnitKind::Township, UnitKind::Department] {
        for u in rank::order(&cx.a.scores, m, Some(kind)) {
            let uf = &m.units[u];
            let s = &cx.a.scores[u];
            let f = &uf.fig;
            let lv = count_levels(&cx.a.flags, Some(u));
            let opt_pct = |x: Option<f64>| x.map_or(Out::Empty, Out::Pct);
            let opt_rank = |r: Option<u32>| r.map_or(Out::Empty, |r| Out::Int(r as i64));
            rows.push(vec![
                Out::text(kind.cn()),
                Out::Int(s.rank_kind as i64),
                opt_rank(s.prev_rank_kind),
                Out::text(rank::change_text(s.prev_rank_kind, s.rank_change_kind)),
                Out::Int(s.rank_all as i64),
                opt_rank(s.prev_rank_all),
                Out::text(rank::change_text(s.prev_rank_all, s.rank_change_all)),
                Out::text(uf.name.clone()),
                Out::opt_text(uf.leader.as_deref()),
                Out::text(if uf.submitted {
                    "已报送"
                } else {
                    "未报送"
                }),
                Out::Wan(f.invest_target),
                Out::Wan(f.ytd_done),
                Out::Wan(f.month_done),
                opt_pct(cx.a.mom[u].month_done_ratio),
                opt_pct(f.completion_rate),
                f.gap_points.map_or(Out::Empty, Out::Num),
                Out::Wan(f.attract_target),
                Out::Wan(f.ytd_funds),
                opt_pct(f.attraction_rate),
                opt_pct(f.start_rate),
                Out::Int(lv[2] as i64),
                Out::Int(lv[3] as i64),
                Out::Num(s.deductions),
                Out::Num(s.score),
            ]);
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet::RANKING)?;
    let note = format!(
        "得分 = {}×投资完成率 + {}×到位率(各以 {} 为上限)+ {}×开工率 − 扣分(红色预警每条 {} 分、黄色 {} 分,最多 {} 分);得分相同者名次并列。时间进度 {:.1}%。",
        rules.weight_completion,
        rules.weight_attraction,
        rules.rate_cap,
        rules.weight_start,
        rules.deduct_red,
        rules.deduct_yellow,
        rules.deduct_max,
        m.time_progress * 100.0
    );
    write_title(
        ws,
        &cx.fmt,
        &format!("{}单位排名", cx.period_cn),
        Some(&note),
        HEADERS.len() as u16,
    )?;
    write_table(ws, &cx.fmt, HEADER_ROW, HEADERS, &rows)?;
    if !rows.is_empty() {
        let (first, last) = (HEADER_ROW + 1, HEADER_ROW + rows.len() as u32);
        let gap = col("与时间进度差(百分点)");
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
        let score = HEADERS.len() as u16 - 1;
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
    }
    page_setup(ws, sheet::RANKING, &cx.period_cn, &cx.run_time, HEADER_ROW)?;
    Ok(())
}
