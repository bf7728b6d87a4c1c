//! The 通报 document, `out/调度通报_<YYYY-MM>.docx`: the month's bulletin as
//! the office sends it out, in the style of a 公文 (GB/T 9704): A4 portrait,
//! margins 37/35/28/26 mm, 黑体 headings and 仿宋 三号 body text on a fixed
//! 28 pt line, the page number as "— N —". It holds what the assessment
//! computed, nothing new: the title with the period and 期号, the issuing
//! office and date, the bulletin's paragraphs, the ranking of 乡镇 and 部门 as
//! tables, the units named for 通报批评 / 约谈问责 / 一票否决, and the two
//! charts of 总览 as pictures (report/chart.rs draws them in a Chinese font
//! found on the machine); where no such font is found, or diaodu.toml says
//! `chart_font = "none"`, as shaded bars in tables, one row per unit.
//!
//! Written with docx-rs; its font table is replaced by one that names each
//! Chinese font with its alternative names and GB2312 charset, so a machine
//! without 仿宋 or 黑体 falls back to FangSong / SimHei, then to any font of
//! that charset.

use super::chart::{self, Axis, BarChart, BarRow, ChartFont, NoFont};
use super::Error;
use crate::assess::Assessment;
use crate::batch::Batch;
use crate::bulletin::{self, fmt_pct};
use crate::rank;
use crate::roster::UnitKind;
use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Pic, Run, RunFonts,
    Shading, SpecialIndentType, Style, StyleType, Tab, TabValueType, Table, TableCell,
    TableLayoutType, TableRow, WidthType,
};
use std::io::Write;
use std::path::PathBuf;

/// The document's file name for a period.
pub fn output_name(period: crate::config::Period) -> String {
    format!("调度通报_{period}.docx")
}

/// Where the document of the batch's period goes: beside the workbook.
pub fn path(batch: &Batch) -> PathBuf {
    batch.config.out.join(output_name(batch.config.period))
}

/// Font names as the document writes them.
pub const FANGSONG: &str = "仿宋";
pub const HEITI: &str = "黑体";
/// Latin letters and figures in the body: the usual companion of 仿宋.
const LATIN: &str = "Times New Roman";

/// Sizes in half-points: 二号 22 pt (title), 三号 16 pt (body), 小四 12 pt,
/// 五号 10.5 pt (tables), and the bars' 9 pt.
const TITLE: usize = 44;
const BODY: usize = 32;
const SMALL: usize = 24;
const TABLE_TEXT: usize = 21;
const BAR: usize = 18;

/// A4 portrait in twentieths of a point, and the 公文 margins (37, 35, 28, 26 mm).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
/// The width of the text between the margins.
const TEXT_W: usize = (PAGE_W as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// The body's fixed line: 28 pt.
const LINE: i32 = 560;

/// The fonts, each with the names it goes by elsewhere and its charset (86:
/// GB2312), so a reader without it picks a near one.
const FONT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

fn run(text: impl Into<String>, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// A body paragraph: 仿宋 三号, first line indented two characters, 28 pt lines.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANGSONG, BODY))
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(LINE),
        )
}

/// A first-level heading: 黑体 三号, indented like the body.
fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEITI, BODY))
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(LINE),
        )
        .keep_next(true)
}

/// A second-level heading: 仿宋 三号 bold.
fn subheading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANGSONG, BODY).bold())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(LINE),
        )
        .keep_next(true)
}

/// A centred caption over a table or a chart.
fn caption(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(run(text, HEITI, SMALL))
        .line_spacing(LineSpacing::new().before(120).after(60))
        .keep_next(true)
}

/// The character styles of the tables' text (五号 仿宋, 五号 黑体): a county
/// of 2000 units has 20,000 cells, each run then naming its style alone
/// rather than its fonts and size (half the XML, and memory, of the document).
const TABLE_STYLE: &str = "DiaoduTable";
const TABLE_HEAD_STYLE: &str = "DiaoduTableHead";

fn styles(doc: Docx) -> Docx {
    doc.add_style(
        Style::new(TABLE_STYLE, StyleType::Character)
            .name("调度通报表格")
            .fonts(fonts(FANGSONG))
            .size(TABLE_TEXT),
    )
    .add_style(
        Style::new(TABLE_HEAD_STYLE, StyleType::Character)
            .name("调度通报表头")
            .fonts(fonts(HEITI))
            .size(TABLE_TEXT),
    )
}

/// A table cell of text, 五号, centred or not.
fn cell(text: impl Into<String>, width: usize, font: &str, center: bool) -> TableCell {
    let style = if font == HEITI {
        TABLE_HEAD_STYLE
    } else {
        TABLE_STYLE
    };
    let mut p = Paragraph::new().add_run(Run::new().add_text(text).style(style));
    if center {
        p = p.align(AlignmentType::Center);
    }
    TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa)
}

fn table(grid: &[usize], rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .set_grid(grid.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(grid.iter().sum(), WidthType::Dxa)
}

/// An amount in 万元 with two decimals, as the workbook shows it.
fn wan(v: f64) -> String {
    format!("{v:.2}")
}

fn pct1(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{:.1}%", x * 100.0))
}

/// The ranking columns and their widths (twips, summing to the text width). At 10.5 pt a
/// digit is 105 twips and a cell's margins 216: a score ("83.75") needs 741, an amount
/// ("116500.00") 1,161.
const RANK_HEADERS: [&str; 8] = [
    "名次",
    "单位",
    "年度投资目标(万元)",
    "累计完成投资(万元)",
    "投资完成率",
    "开工率",
    "预警(红/黄)",
    "得分",
];
const RANK_GRID: [usize; 8] = [700, 2300, 1200, 1200, 950, 900, 794, 800];

/// The ranking of one kind of unit as a table, in ranking order.
fn ranking_table(a: &Assessment, kind: UnitKind) -> Option<Table> {
    let m = &a.metrics;
    let order = rank::order(&a.scores, m, Some(kind));
    if order.is_empty() {
        return None;
    }
    let mut rows = vec![TableRow::new(
        RANK_HEADERS
            .iter()
            .zip(RANK_GRID)
            .map(|(h, w)| cell(*h, w, HEITI, true).shading(Shading::new().fill("DDEBF7")))
            .collect(),
    )
    .cant_split()];
    for u in order {
        let uf = &m.units[u];
        let s = &a.scores[u];
        let lv = a.levels[u];
        let vals = [
            s.rank_kind.to_string(),
            uf.name.clone(),
            wan(uf.fig.invest_target),
            wan(uf.fig.ytd_done),
            pct1(uf.fig.completion_rate),
            pct1(uf.fig.start_rate),
            format!("{}/{}", lv[2], lv[3]),
            format!("{:.2}", s.score),
        ];
        rows.push(
            TableRow::new(
                vals.into_iter()
                    .zip(RANK_GRID)
                    .enumerate()
                    .map(|(i, (v, w))| cell(v, w, FANGSONG, i != 1))
                    .collect(),
            )
            .cant_split(),
        );
    }
    Some(table(&RANK_GRID, rows))
}

/// Most units a chart shows: all of a county; of more, the first and last half.
const CHART_UNITS: usize = 40;
/// Bar cells: the unit, the bar, the figure.
const BAR_GRID: [usize; 3] = [2300, 5344, 1200];
/// Characters (9 pt ideographic spaces) the widest bar takes.
const BAR_CHARS: f64 = 28.0;

/// A bar: `n` 9 pt ideographic spaces on a colour.
fn bar(n: usize, color: &str) -> Option<Run> {
    (n > 0).then(|| {
        Run::new()
            .add_text("\u{3000}".repeat(n))
            .style(TABLE_STYLE)
            .size(BAR)
            .shading(Shading::new().fill(color))
    })
}

/// A chart as shaded bars in a table, one row per unit: where no font can
/// draw it as a picture. A segment takes its share of [`BAR_CHARS`]; on a
/// count axis a segment of one or more takes at least one character.
fn bar_table(chart: &BarChart) -> Table {
    let rows = chart
        .rows
        .iter()
        .map(|r| {
            let mut p = Paragraph::new();
            for (len, color) in &r.segments {
                let mut n = (len.max(0.0) / chart.max * BAR_CHARS).round() as usize;
                if chart.axis == Axis::Count && *len >= 1.0 {
                    n = n.max(1);
                }
                if let Some(b) = bar(n, color) {
                    p = p.add_run(b);
                }
            }
            TableRow::new(vec![
                cell(r.label.as_str(), BAR_GRID[0], FANGSONG, false),
                TableCell::new()
                    .add_paragraph(p)
                    .width(BAR_GRID[1], WidthType::Dxa),
                cell(r.figure.as_str(), BAR_GRID[2], FANGSONG, true),
            ])
            .cant_split()
        })
        .collect();
    table(&BAR_GRID, rows)
}

/// A chart as a picture the width of the text, centred.
fn picture(chart: &BarChart, font: &ChartFont) -> Paragraph {
    // The text width in pixels at the pictures' resolution (twips: 1/1440 in).
    let width_px = (TEXT_W as f64 / 1440.0 * chart::DPI).round() as u32;
    let pic = chart::draw(chart, font, width_px);
    // EMU: 914,400 to the inch.
    let emu = |px: u32| (px as f64 * 914_400.0 / chart::DPI).round() as u32;
    let (w, h) = (emu(pic.width), emu(pic.height));
    Paragraph::new().align(AlignmentType::Center).add_run(
        Run::new().add_image(Pic::new_with_dimensions(pic.png, pic.width, pic.height).size(w, h)),
    )
}

/// Chart 1: each unit's completion rate as a bar on the colour of its gap
/// to time progress (the 单位排名 colours), highest first.
fn rate_chart(batch: &Batch, a: &Assessment) -> (String, BarChart) {
    let m = &a.metrics;
    let rules = &batch.config.rules;
    let mut units: Vec<usize> = (0..m.units.len()).collect();
    let rate = |u: usize| m.units[u].fig.completion_rate.unwrap_or(0.0);
    units.sort_by(|x, y| rate(*y).total_cmp(&rate(*x)).then(x.cmp(y)));
    let shown = pick(&units);
    let top = shown
        .iter()
        .map(|&u| rate(u))
        .fold(rules.rate_cap.max(m.time_progress), f64::max);
    let rows = shown
        .iter()
        .map(|&u| {
            let f = &m.units[u].fig;
            let color = match f.gap_points {
                Some(g) if g <= -rules.f03_red_points => "E06666",
                Some(g) if g <= -rules.f03_yellow_points => "FFC000",
                _ => "70AD47",
            };
            BarRow {
                label: m.units[u].name.clone(),
                segments: vec![(rate(u).max(0.0), color)],
                figure: pct1(f.completion_rate),
            }
        })
        .collect();
    let mut title = format!(
        "图1 各单位投资完成率(时间进度{};绿色达到或落后不到{}个百分点,黄色落后{}至{}个百分点,红色落后{}个百分点及以上)",
        fmt_pct(m.time_progress),
        rules.f03_yellow_points,
        rules.f03_yellow_points,
        rules.f03_red_points,
        rules.f03_red_points
    );
    if shown.len() < units.len() {
        title.push_str(&format!(
            ",共{}个单位,列出最高和最低各{}个",
            units.len(),
            CHART_UNITS / 2
        ));
    }
    let chart = BarChart {
        rows,
        max: top,
        axis: Axis::Percent,
        marker: Some((
            m.time_progress,
            format!("时间进度{}", fmt_pct(m.time_progress)),
        )),
    };
    (title, chart)
}

/// Chart 2: each unit's red and yellow flags as one bar, most first; units
/// without a flag left out.
fn flag_chart(a: &Assessment) -> Option<(String, BarChart)> {
    let m = &a.metrics;
    let mut units: Vec<(usize, [u32; 4])> = (0..m.units.len())
        .map(|u| (u, a.levels[u]))
        .filter(|(_, lv)| lv[2] + lv[3] > 0)
        .collect();
    if units.is_empty() {
        return None;
    }
    units.sort_by_key(|(u, lv)| (std::cmp::Reverse((lv[2] + lv[3], lv[2])), *u));
    let all = units.len();
    units.truncate(CHART_UNITS);
    let most = units
        .iter()
        .map(|(_, lv)| lv[2] + lv[3])
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let rows = units
        .iter()
        .map(|(u, lv)| BarRow {
            label: m.units[*u].name.clone(),
            segments: vec![(lv[2] as f64, "C00000"), (lv[3] as f64, "FFC000")],
            figure: format!("红{} 黄{}", lv[2], lv[3]),
        })
        .collect();
    let mut title = "图2 各单位预警数(红色预警为红,黄色预警为黄)".to_string();
    if all > units.len() {
        title.push_str(&format!(",共{all}个单位有预警,列出最多的{}个", units.len()));
    }
    // A flag takes at most 3 of the table's 28 characters.
    let chart = BarChart {
        rows,
        max: most.max(BAR_CHARS / 3.0),
        axis: Axis::Count,
        marker: None,
    };
    Some((title, chart))
}

/// The two charts of the document, each with its title.
fn charts(batch: &Batch, a: &Assessment) -> Vec<(String, BarChart)> {
    std::iter::once(rate_chart(batch, a))
        .chain(flag_chart(a))
        .collect()
}

/// The font the charts are drawn in as pictures, or why they are table bars.
fn chart_font(batch: &Batch, charts: &[(String, BarChart)]) -> Result<ChartFont, NoFont> {
    let text: String = charts.iter().map(|(_, c)| c.text()).collect();
    chart::find_font(&batch.config.chart_font, &text)
}

/// The units a chart shows, in order: all, or the first and last half of
/// [`CHART_UNITS`].
fn pick(units: &[usize]) -> Vec<usize> {
    if units.len() <= CHART_UNITS {
        return units.to_vec();
    }
    let half = CHART_UNITS / 2;
    let mut v = units[..half].to_vec();
    v.extend_from_slice(&units[units.len() - half..]);
    v
}

/// The date the 通报 carries: diaodu.toml's `issue_date`, else the day of
/// the run (`run_time` starts "YYYY-MM-DD").
pub fn issue_date(batch: &Batch, run_time: &str) -> Option<chrono::NaiveDate> {
    batch.config.issue_date.or_else(|| {
        run_time
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    })
}

/// "2026年11月5日".
fn date_cn(d: Option<chrono::NaiveDate>) -> String {
    use chrono::Datelike;
    d.map_or(String::new(), |d| {
        format!("{}年{}月{}日", d.year(), d.month(), d.day())
    })
}

/// The units named for one action, or "无".
fn named(a: &Assessment, units: &[usize]) -> String {
    if units.is_empty() {
        "无".into()
    } else {
        units
            .iter()
            .map(|&u| a.metrics.units[u].name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A paragraph on the body's fixed 28 pt line.
fn on_line(p: Paragraph) -> Paragraph {
    p.line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(LINE),
    )
}

/// Build the document: the page, the masthead, the four sections, the 落款.
/// With it, why its charts are table bars, in a line for the terminal (None
/// when they are pictures or diaodu.toml asked for bars).
pub fn document(batch: &Batch, a: &Assessment, run_time: &str) -> (Docx, Option<String>) {
    let date = date_cn(issue_date(batch, run_time));
    let charts = charts(batch, a);
    let font = chart_font(batch, &charts);
    let note = font.as_ref().err().and_then(NoFont::message);
    let doc = page(run_time);
    let doc = masthead(doc, batch, a, &date);
    let doc = overall_and_ranking(doc, a);
    let doc = flags_and_charts(doc, a, &charts, font.as_ref().ok());
    (signature(doc, &batch.config.office, date), note)
}

/// A4 portrait with the 公文 margins, 仿宋 三号 by default, the page number
/// as "— N —" at the foot.
fn page(run_time: &str) -> Docx {
    let stamp = format!("{}:00Z", run_time.replace(' ', "T"));
    styles(Docx::new())
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(FANGSONG))
        .default_size(BODY)
        .created_at(&stamp)
        .updated_at(&stamp)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run("— ", LATIN, 28))
                    .add_page_num(PageNum::new())
                    .add_run(run(" —", LATIN, 28))
                    .size(28)
                    .fonts(fonts(LATIN)),
            ),
        )
}

/// The masthead: the bulletin's name in red, its 期号, the office and the
/// date over a red rule; then the title.
fn masthead(doc: Docx, batch: &Batch, a: &Assessment, date: &str) -> Docx {
    let cfg = &batch.config;
    let period = cfg.period;
    doc.add_paragraph(
        Paragraph::new().align(AlignmentType::Center).add_run(
            run(
                format!("{}重点项目和招商引资调度通报", cfg.county),
                HEITI,
                TITLE + 8,
            )
            .color("C00000"),
        ),
    )
    .add_paragraph(
        on_line(Paragraph::new().align(AlignmentType::Center)).add_run(run(
            format!("{}年第{}期", period.year, a.issue_no),
            FANGSONG,
            BODY,
        )),
    )
    .add_paragraph(
        on_line(Paragraph::new())
            .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_W))
            .add_run(run(cfg.office.clone(), FANGSONG, BODY))
            .add_run(Run::new().add_tab())
            .add_run(run(date, FANGSONG, BODY))
            .set_borders(
                ParagraphBorders::with_empty().set(
                    ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                        .val(BorderType::Single)
                        .size(18)
                        .space(4)
                        .color("C00000"),
                ),
            ),
    )
    .add_paragraph(Paragraph::new())
    .add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(
                format!(
                    "关于{}{}重点项目和招商引资调度情况的通报",
                    period.cn(),
                    cfg.county
                ),
                HEITI,
                TITLE,
            ))
            .line_spacing(LineSpacing::new().after(240)),
    )
}

/// The bulletin's paragraph `i`, or nothing.
fn para(a: &Assessment, i: usize) -> &str {
    a.bulletin.get(i).map(String::as_str).unwrap_or("")
}

/// 一、总体情况 and 二、排名情况 with the rankings of 乡镇 and 部门 as tables.
fn overall_and_ranking(mut doc: Docx, a: &Assessment) -> Docx {
    doc = doc
        .add_paragraph(heading("一、总体情况"))
        .add_paragraph(body(para(a, bulletin::P_INVEST)))
        .add_paragraph(body(para(a, bulletin::P_ATTRACT)))
        .add_paragraph(body(para(a, bulletin::P_RESULTS)));

    doc = doc.add_paragraph(heading("二、排名情况"));
    if !para(a, bulletin::P_RANKING).is_empty() {
        doc = doc.add_paragraph(body(para(a, bulletin::P_RANKING)));
    }
    for (i, (kind, label)) in [
        (UnitKind::Township, "乡镇(街道)"),
        (UnitKind::Department, "部门"),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(t) = ranking_table(a, kind) {
            let n = if i == 0 { "(一)" } else { "(二)" };
            doc = doc
                .add_paragraph(subheading(&format!("{n}{label}排名")))
                .add_paragraph(caption(&format!("表{} {label}综合排名", i + 1)))
                .add_table(t)
                .add_paragraph(Paragraph::new());
        }
    }
    doc
}

/// 三、预警和问责 with the units named, and 四、图表: the two charts as
/// pictures, or as table bars where no font can draw them.
fn flags_and_charts(
    mut doc: Docx,
    a: &Assessment,
    charts: &[(String, BarChart)],
    font: Option<&ChartFont>,
) -> Docx {
    doc = doc.add_paragraph(heading("三、预警和问责"));
    if !para(a, bulletin::P_FLAGS).is_empty() {
        doc = doc.add_paragraph(body(para(a, bulletin::P_FLAGS)));
    }
    for (label, units) in [
        ("通报批评", &a.named.criticised),
        ("约谈问责", &a.named.interviewed),
        ("一票否决", &a.named.vetoed),
    ] {
        doc = doc.add_paragraph(body(&format!("{label}:{}。", named(a, units))));
    }

    doc = doc.add_paragraph(heading("四、图表"));
    for (i, (title, chart)) in charts.iter().enumerate() {
        if i > 0 {
            doc = doc.add_paragraph(Paragraph::new());
        }
        doc = doc.add_paragraph(caption(title));
        doc = match font {
            Some(f) => doc.add_paragraph(picture(chart, f)),
            None => doc.add_table(bar_table(chart)),
        };
    }
    doc
}

/// 落款: the office and the date, right-aligned.
fn signature(doc: Docx, office: &str, date: String) -> Docx {
    doc.add_paragraph(Paragraph::new())
        .add_paragraph(
            on_line(Paragraph::new().align(AlignmentType::Right))
                .add_run(run(office, FANGSONG, BODY)),
        )
        .add_paragraph(
            on_line(Paragraph::new().align(AlignmentType::Right))
                .add_run(run(date, FANGSONG, BODY)),
        )
}

/// Build the document and write it into `w` (a .docx archive). Returns
/// [`document`]'s line about the charts.
pub fn write_notice(
    batch: &Batch,
    a: &Assessment,
    run_time: &str,
    w: &mut dyn Write,
) -> Result<Option<String>, Error> {
    let (doc, note) = document(batch, a, run_time);
    let mut xml = doc.build();
    xml.font_table = FONT_TABLE.as_bytes().to_vec();
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| Error::Write(format!("生成通报文档失败:{e}")))?;
    deflated(buf.into_inner(), w)?;
    Ok(note)
}

/// docx-rs stores its parts uncompressed: the archive again, every part
/// deflated (a county's ranking is a few hundred kB of XML, a 10th of it
/// compressed), in the same order.
fn deflated(stored: Vec<u8>, w: &mut dyn Write) -> Result<(), Error> {
    use std::io::Read;
    let bad = |e: zip::result::ZipError| Error::Write(format!("内部错误:通报文档无法重新打包:{e}"));
    let io = |e: std::io::Error| Error::Write(format!("写入通报文档失败:{e}"));
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(bad)?;
    let mut out = super::zipout::ZipOut::new(w);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).map_err(bad)?;
        let name = f.name().map_err(bad)?.to_string();
        if name.ends_with('/') {
            continue;
        }
        let mut data = Vec::with_capacity(f.size() as usize);
        f.read_to_end(&mut data).map_err(io)?;
        let piece = super::zipout::deflate_piece(&data, true).map_err(io)?;
        out.add(
            &name,
            8,
            piece.crc.clone().finalize(),
            piece.len,
            &[&piece.data],
        )
        .map_err(io)?;
    }
    out.finish().map_err(io)?;
    Ok(())
}

/// Build the document and stage it beside its place in the output folder;
/// with it, [`document`]'s line about the charts.
pub fn stage(
    batch: &Batch,
    a: &Assessment,
    run_time: &str,
    force: bool,
) -> Result<(super::Staged, Option<String>), Error> {
    let mut note = None;
    let staged = super::stage(&path(batch), force, &mut |w| {
        note = write_notice(batch, a, run_time, w)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(())
    })?;
    Ok((staged, note))
}
