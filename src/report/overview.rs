//! 总览: the headline figures, the bulletin paragraph, and two native charts
//! (unit completion rate against the time-progress line; flags by unit).

use super::table::{header_height, header_text, page_setup_with, write_cell, write_title, Out};
use super::{sheet, Ctx, Error};
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLine, ChartSolidFill, ChartType, Workbook, Worksheet,
};

/// The rows of the headline table: label, value, unit/remark.
pub fn headline_rows(cx: &Ctx) -> Vec<(&'static str, Out<'static>, String)> {
    let m = &cx.a.metrics;
    let c = &m.county;
    let n = |x: u32| Out::Int(x as i64);
    let flags = cx.a.county_levels;
    let missing = m.units_missing();
    let mut rows = vec![
        (
            "报告期",
            Out::text(cx.batch.config.period.cn()),
            format!("期末 {}", m.period_end),
        ),
        (
            "时间进度",
            Out::Pct(m.time_progress),
            format!("{}月/12", m.period.month),
        ),
        ("重点项目", n(c.projects), "个".into()),
        ("其中:新建", n(c.projects_by_category.new), "个".into()),
        ("续建", n(c.projects_by_category.cont), "个".into()),
        ("前期", n(c.projects_by_category.prelim), "个".into()),
        ("新建、续建项目", n(c.projects_new_cont), "个".into()),
        ("已开工", n(c.started), "个".into()),
        (
            "开工率",
            c.start_rate.map_or(Out::Empty, Out::Pct),
            "已开工 / 新建、续建项目".into(),
        ),
        (
            "应开工",
            n(c.due_to_start),
            "计划开工日期不晚于期末的新建、续建项目".into(),
        ),
        ("逾期未开工", n(c.overdue_not_started), "个".into()),
        ("年度投资目标", Out::Wan(c.invest_target), "万元".into()),
        ("累计完成投资", Out::Wan(c.ytd_done), "万元".into()),
        ("本月完成投资", Out::Wan(c.month_done), "万元".into()),
        (
            "本月完成投资环比",
            cx.a.county_mom
                .month_done_ratio
                .map_or(Out::Empty, Out::Pct),
            if cx.a.county_mom.prev_month_done.is_some() {
                "与上月本月完成相比".into()
            } else {
                "无上月数据".into()
            },
        ),
        (
            "累计完成较上月增加",
            cx.a.county_mom.ytd_done_change.map_or(Out::Empty, Out::Wan),
            "万元".into(),
        ),
        (
            "投资完成率",
            c.completion_rate.map_or(Out::Empty, Out::Pct),
            "累计完成 / 年度目标".into(),
        ),
        (
            "与时间进度差",
            c.gap_points.map_or(Out::Empty, Out::Num),
            "百分点(负数为落后)".into(),
        ),
        (
            "年度招商引资目标",
            Out::Wan(c.attract_target),
            "万元".into(),
        ),
        ("累计到位资金", Out::Wan(c.ytd_funds), "万元".into()),
        ("本月到位资金", Out::Wan(c.month_funds), "万元".into()),
        (
            "到位率",
            c.attraction_rate.map_or(Out::Empty, Out::Pct),
            "累计到位 / 年度目标".into(),
        ),
        ("招商引资项目", n(c.attraction_rows), "个".into()),
        ("节点", n(c.milestones), "个".into()),
        ("超期节点", n(c.milestones_overdue), "个".into()),
        ("一票否决", n(flags[0]), "条".into()),
        ("问责", n(flags[1]), "条".into()),
        ("红色预警", n(flags[2]), "条".into()),
        ("黄色预警", n(flags[3]), "条".into()),
        ("应报送单位", Out::Int(m.units.len() as i64), "个".into()),
        (
            "已报送单位",
            Out::Int(m.units_submitted() as i64),
            "个".into(),
        ),
        (
            "未报送单位",
            Out::Int(missing.len() as i64),
            if missing.is_empty() {
                "无".into()
            } else {
                missing.join("、")
            },
        ),
    ];
    // A form without 计划开工日期 cannot say what is due (docs/forms.md §9.4):
    // how many projects that leaves out stands beside 应开工.
    if c.no_planned_start > 0 {
        let at = rows
            .iter()
            .position(|r| r.0 == "应开工")
            .map_or(rows.len(), |i| i + 1);
        rows.insert(
            at,
            (
                "无计划开工日期",
                n(c.no_planned_start),
                "报表没有计划开工日期的新建、续建项目,不判定逾期未开工".into(),
            ),
        );
    }
    rows
}

/// Add a series whose categories and values are columns of the 总览 sheet.
fn series(
    chart: &mut Chart,
    name: &str,
    rows: (u32, u32),
    cat: u16,
    val: u16,
    mut format: ChartFormat,
) {
    chart
        .add_series()
        .set_name(name)
        .set_categories((sheet::OVERVIEW, rows.0, cat, rows.1, cat))
        .set_values((sheet::OVERVIEW, rows.0, val, rows.1, val))
        .set_format(&mut format);
}

fn fill(color: &str) -> ChartFormat {
    ChartFormat::new()
        .set_solid_fill(ChartSolidFill::new().set_color(color))
        .clone()
}

fn line(color: &str, width: f64) -> ChartFormat {
    ChartFormat::new()
        .set_line(ChartLine::new().set_color(color).set_width(width))
        .clone()
}

/// Where things sit on the sheet, for tests and charts. Page 1: the title,
/// the bulletin paragraph, the headline figures as four lines, and the two
/// charts side by side; page 2 (a page break before [`TABLE_TOP`] − 1): the
/// headline table (A–C) and the per-unit table the charts draw (E–I); the
/// month-by-month trend under the unit table and its chart after them.
pub const BULLETIN_ROW: u32 = 3;
/// The four lines of headline figures.
pub const LEAD_ROW: u32 = 5;
/// The row of the two charts, side by side.
pub const CHART_ROW: u32 = LEAD_ROW + 4;
/// The charts' size in pixels: side by side within columns A–I (948 px), so
/// they widen neither the print range nor, by fitting it, shrink the page.
const CHART_W: u32 = 468;
const CHART_H: u32 = 320;
/// The header row of the headline and per-unit tables, on page 2.
pub const TABLE_TOP: u32 = CHART_ROW + 24;

/// Narrow characters a line of the bulletin holds (12 pt across A–I), with
/// some to spare, for the paragraph's row height.
const BULLETIN_LINE: usize = 110;

/// The charts' axis and legend text: LibreOffice prints it a little smaller
/// than set (9.8 pt), above the 9 pt of the print rules.
const CHART_TEXT: f64 = 10.0;

/// A chart font of `size` points.
fn font(size: f64, bold: bool) -> ChartFont {
    let mut f = ChartFont::new();
    f.set_size(size);
    if bold {
        f.set_bold();
    }
    f
}

/// The headline figures as the four lines under the bulletin.
pub fn lead_lines(cx: &Ctx) -> [String; 4] {
    use crate::bulletin::{fmt_amount, fmt_pct, fmt_points};
    let m = &cx.a.metrics;
    let c = &m.county;
    let pct = |x: Option<f64>| x.map_or("—".to_string(), fmt_pct);
    let gap = match c.gap_points {
        Some(g) if g.abs() < 0.05 => "与时间进度持平".to_string(),
        Some(g) if g > 0.0 => format!("高于时间进度{}个百分点", fmt_points(g)),
        Some(g) => format!("低于时间进度{}个百分点", fmt_points(g)),
        None => String::new(),
    };
    let flags = cx.a.county_levels;
    let missing = m.units_missing();
    [
        format!(
            "投资:年度目标{},累计完成{},完成率{},时间进度{},{gap}",
            fmt_amount(c.invest_target),
            fmt_amount(c.ytd_done),
            pct(c.completion_rate),
            fmt_pct(m.time_progress)
        ),
        format!(
            "项目:重点项目{}个,新建、续建{}个,已开工{}个,开工率{},逾期未开工{}个",
            c.projects,
            c.projects_new_cont,
            c.started,
            pct(c.start_rate),
            c.overdue_not_started
        ),
        format!(
            "招商:累计到位资金{},年度目标{},到位率{};招商引资项目{}个",
            fmt_amount(c.ytd_funds),
            fmt_amount(c.attract_target),
            pct(c.attraction_rate),
            c.attraction_rows
        ),
        format!(
            "预警:一票否决{}条、问责{}条、红色{}条、黄色{}条;报送:{}/{}个单位{}",
            flags[0],
            flags[1],
            flags[2],
            flags[3],
            m.units_submitted(),
            m.units.len(),
            if missing.is_empty() {
                String::new()
            } else {
                format!(",未报送{}个", missing.len())
            }
        ),
    ]
}

pub fn write(wb: &mut Workbook, cx: &Ctx) -> Result<(), Error> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet::OVERVIEW)?;
    page_one(ws, cx)?;
    let top = TABLE_TOP;
    let headline = headline_table(ws, cx, top)?;
    let (uc, ut) = (UNIT_COL, top);
    unit_table(ws, cx, uc, ut)?;
    let n = cx.a.metrics.units.len() as u32;
    if n > 0 {
        unit_charts(ws, (ut + 1, ut + n), uc)?;
        let below = (top + headline).max(ut + n + 4 + 13) + 2;
        trend_chart(ws, cx, ut + n + 3, below)?;
    }
    // Pages to read, not one table: no repeated rows (the page header names
    // the sheet and the period).
    page_setup_with(ws, sheet::OVERVIEW, &cx.period_cn, &cx.run_time, None)?;
    Ok(())
}

/// The headings of the sheet's parts, in order.
const HEADINGS: [&str; 5] = [
    "一、总体情况",
    "二、主要指标",
    "三、主要指标明细",
    "四、各单位投资完成率与预警",
    "五、全县累计完成投资走势",
];
/// The headers of the headline table (A–C) …
const HEADLINE_HEADERS: [&str; 3] = ["指标", "数值", "说明"];
/// … of the per-unit table (E–I) …
const UNIT_HEADERS: [&str; 5] = ["单位", "投资完成率", "时间进度", "红色预警", "黄色预警"];
/// … and of the month-by-month table.
const TREND_HEADERS: [&str; 3] = ["月份", "累计完成投资(万元)", "时间进度线(万元)"];
/// The per-unit table's first column (E).
const UNIT_COL: u16 = 4;

/// Page 1: the title, the bulletin, the headline figures as four lines.
fn page_one(ws: &mut Worksheet, cx: &Ctx) -> Result<(), Error> {
    let f = &cx.fmt;
    let m = &cx.a.metrics;
    let title = format!("{}重点项目和招商引资调度通报", cx.batch.config.county);
    let note = format!(
        "报告期:{}    时间进度:{:.1}%    生成时间:{}",
        cx.period_cn,
        m.time_progress * 100.0,
        cx.run_time
    );
    write_title(ws, f, &title, Some(&note), 9)?;
    ws.set_row_height(1, 16)?;
    ws.write_string_with_format(2, 0, HEADINGS[0], &f.heading)?;
    ws.set_row_height(2, 18)?;
    let text = cx.a.bulletin.join("");
    let text = crate::excel_limits::fit(&text).into_owned();
    ws.merge_range(BULLETIN_ROW, 0, BULLETIN_ROW, 8, &text, &f.para)?;
    let lines = crate::text::display_width(&text).div_ceil(BULLETIN_LINE);
    ws.set_row_height(BULLETIN_ROW, (lines.max(2) as f64 * 14.5 + 4.0).min(409.0))?;

    ws.write_string_with_format(LEAD_ROW - 1, 0, HEADINGS[1], &f.heading)?;
    ws.set_row_height(LEAD_ROW - 1, 18)?;
    for (i, line) in lead_lines(cx).iter().enumerate() {
        let r = LEAD_ROW + i as u32;
        ws.merge_range(r, 0, r, 8, &crate::excel_limits::fit(line), &f.lead)?;
        ws.set_row_height(r, 15.5)?;
    }
    Ok(())
}

/// Page 2: the headline table, A–C, its header at `top`; returns its rows.
fn headline_table(ws: &mut Worksheet, cx: &Ctx, top: u32) -> Result<u32, Error> {
    let f = &cx.fmt;
    ws.set_page_breaks(&[top - 1])?;
    ws.write_string_with_format(top - 1, 0, HEADINGS[2], &f.heading)?;
    ws.set_row_height(top - 1, 18)?;
    for (c, h) in HEADLINE_HEADERS.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    let rows = headline_rows(cx);
    for (i, (label, v, remark)) in rows.iter().enumerate() {
        let r = top + 1 + i as u32;
        ws.write_string_with_format(r, 0, *label, &f.text)?;
        write_cell(ws, f, r, 1, v)?;
        ws.write_string_with_format(r, 2, remark, &f.text)?;
        // Rows of 10 pt text at 13.5 pt: the table fits page 2 whole.
        ws.set_row_height(r, 13.5)?;
    }
    // A–I together within the printed width of A4 landscape at 100% (the
    // remarks in C run to 36 narrow characters).
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 36)?;
    ws.set_column_width(3, 2)?;
    Ok(rows.len() as u32)
}

/// The per-unit table the charts draw: E–I, its header at `ut`.
fn unit_table(ws: &mut Worksheet, cx: &Ctx, uc: u16, ut: u32) -> Result<(), Error> {
    let f = &cx.fmt;
    let m = &cx.a.metrics;
    ws.write_string_with_format(ut - 1, uc, HEADINGS[3], &f.heading)?;
    for (c, h) in UNIT_HEADERS.iter().enumerate() {
        ws.write_string_with_format(ut, uc + c as u16, *h, &f.header)?;
    }
    ws.set_row_height(ut, 18)?;
    for (i, u) in m.units.iter().enumerate() {
        let r = ut + 1 + i as u32;
        let lv = cx.a.levels[u.unit];
        write_cell(ws, f, r, uc, &Out::text(u.name.clone()))?;
        write_cell(
            ws,
            f,
            r,
            uc + 1,
            &Out::Pct(u.fig.completion_rate.unwrap_or(0.0)),
        )?;
        write_cell(ws, f, r, uc + 2, &Out::Pct(m.time_progress))?;
        write_cell(ws, f, r, uc + 3, &Out::Int(lv[2] as i64))?;
        write_cell(ws, f, r, uc + 4, &Out::Int(lv[3] as i64))?;
    }
    ws.set_column_width(uc, 20)?;
    ws.set_column_width(uc + 1, 11)?;
    for c in 2..5 {
        ws.set_column_width(uc + c, 10)?;
    }
    Ok(())
}

/// The two charts of page 1, side by side, drawn from the per-unit table's
/// rows `first..=last` (column `uc` on): completion rate against time
/// progress, and the flags by unit.
fn unit_charts(ws: &mut Worksheet, (first, last): (u32, u32), uc: u16) -> Result<(), Error> {
    // Horizontal bars: the units' names read level on the category axis.
    let mut rate = Chart::new(ChartType::Bar);
    rate.title()
        .set_name("各单位投资完成率与时间进度")
        .set_font(&font(11.0, true));
    series(
        &mut rate,
        "投资完成率",
        (first, last),
        uc,
        uc + 1,
        fill("#4472C4"),
    );
    series(
        &mut rate,
        "时间进度",
        (first, last),
        uc,
        uc + 2,
        fill("#C00000"),
    );
    // A bar chart's y axis is its (vertical) category axis: the units
    // from the top down, the value axis (x) at the bottom.
    rate.x_axis()
        .set_num_format("0%")
        .set_font(&font(CHART_TEXT, false));
    rate.y_axis()
        .set_font(&font(CHART_TEXT, false))
        .set_reverse()
        .set_crossing(rust_xlsxwriter::ChartAxisCrossing::Max);
    rate.legend().set_font(&font(CHART_TEXT, false));
    rate.set_width(CHART_W).set_height(CHART_H);
    ws.insert_chart(CHART_ROW, 0, &rate)?;

    let mut flags = Chart::new(ChartType::BarStacked);
    flags
        .title()
        .set_name("各单位预警数")
        .set_font(&font(11.0, true));
    series(
        &mut flags,
        "红色预警",
        (first, last),
        uc,
        uc + 3,
        fill("#C00000"),
    );
    series(
        &mut flags,
        "黄色预警",
        (first, last),
        uc,
        uc + 4,
        fill("#FFC000"),
    );
    flags.x_axis().set_font(&font(CHART_TEXT, false));
    flags
        .y_axis()
        .set_font(&font(CHART_TEXT, false))
        .set_reverse()
        .set_crossing(rust_xlsxwriter::ChartAxisCrossing::Max);
    flags.legend().set_font(&font(CHART_TEXT, false));
    flags.set_width(CHART_W).set_height(CHART_H);
    ws.insert_chart_with_offset(CHART_ROW, 0, &flags, CHART_W + 10, 0)?;
    Ok(())
}

/// Where the month-by-month table sits: columns E–G, under the unit table.
pub const TREND_COL: u16 = 4;

/// County cumulative investment by month (history + this month) against the
/// time-progress line (annual target × month / 12).
fn trend_chart(
    ws: &mut rust_xlsxwriter::Worksheet,
    cx: &Ctx,
    table_top: u32,
    at_row: u32,
) -> Result<(), Error> {
    let f = &cx.fmt;
    let points = &cx.a.trend;
    let (c0, top) = (TREND_COL, table_top);
    ws.write_string_with_format(top - 1, c0, HEADINGS[4], &f.heading)?;
    for (i, h) in TREND_HEADERS.iter().enumerate() {
        ws.write_string_with_format(top, c0 + i as u16, header_text(h), &f.header)?;
    }
    ws.set_row_height(top, header_height(&["累计完成投资(万元)"], &[]))?;
    for (i, p) in points.iter().enumerate() {
        let r = top + 1 + i as u32;
        write_cell(ws, f, r, c0, &Out::text(format!("{}月", p.month)))?;
        write_cell(ws, f, r, c0 + 1, &Out::Wan(p.ytd_done))?;
        write_cell(ws, f, r, c0 + 2, &Out::Wan(p.time_line))?;
    }
    // One month is no trend: the chart comes with the second month.
    if points.len() < 2 {
        return Ok(());
    }
    let (first, last) = (top + 1, top + points.len() as u32);
    let mut chart = Chart::new(ChartType::Line);
    chart.title().set_name("全县累计完成投资与时间进度");
    series(
        &mut chart,
        "累计完成投资",
        (first, last),
        c0,
        c0 + 1,
        line("#4472C4", 2.25),
    );
    series(
        &mut chart,
        "时间进度线",
        (first, last),
        c0,
        c0 + 2,
        line("#C00000", 1.5),
    );
    chart.title().set_font(&font(11.0, true));
    chart
        .y_axis()
        .set_name("万元")
        .set_font(&font(CHART_TEXT, false));
    chart.x_axis().set_font(&font(CHART_TEXT, false));
    chart.legend().set_font(&font(CHART_TEXT, false));
    chart.set_width(2 * CHART_W).set_height(CHART_H);
    ws.insert_chart(at_row, 0, &chart)?;
    Ok(())
}
