//! The 填报说明 sheet: general sections, a row per column of every table
//! with its rules in the unit's words, closing sections.

use super::*;

/// How a field's type reads in the instructions.
fn type_text(spec: &FieldSpec) -> String {
    match spec.ty {
        FieldType::Text => "文字".into(),
        FieldType::Amount => "数字,万元,不小于 0".into(),
        FieldType::Quantity => "数字,不小于 0".into(),
        FieldType::Date => "日期".into(),
        FieldType::Choice(c) => format!("下拉选择:{}", c.join("、")),
        FieldType::YesNo => "下拉选择:是、否".into(),
    }
}

fn required_text(spec: &FieldSpec) -> &'static str {
    match spec.required {
        Required::Yes | Required::Key => "必填",
        Required::No => "选填",
        Required::ForNewOrContinuing => "新建、续建项目必填",
        Required::WhenSigned => "签约及以后阶段必填",
    }
}

/// The rules of docs/forms.md §2 for one column, in the unit's words.
pub(super) fn rule_text(table: Option<TableKind>, key: &str, period: Option<Period>) -> String {
    let end = period.map_or(
        "报告期末(所报月份的最后一天)".to_string(),
        |p| format!("报告期末 {}", p.end()),
    );
    let lab = |f: Field| f.label();
    use TableKind::*;
    match (table, key) {
        (Some(Projects), "project_id") => {
            "全县统一的项目编号,同一报告期内不得与其他项目重复;沿用以往月份的编号,不要用序号代替"
                .into()
        }
        (Some(Projects), "project_name") => "项目全称".into(),
        (Some(Projects), "unit") | (Some(Attraction), "unit") => {
            "留空表示本单位;由其他单位负责的,从下拉列表选该单位全称(须在单位名册中)".into()
        }
        (Some(Projects), "leader") => "县级包抓领导姓名".into(),
        (Some(Projects), "category") => "新建、续建或前期".into(),
        (Some(Projects), "sector") => "如 工业、基础设施、社会事业、农业、文旅".into(),
        (Some(Projects), "total_invest") => "项目计划总投资".into(),
        (Some(Projects), "annual_plan") => format!(
            "本年度计划完成的投资;超过{}时会提示核实",
            lab(project::TOTAL_INVEST)
        ),
        (Some(Projects), "month_done") => "本月完成的投资;留空按 0 计".into(),
        (Some(Projects), "ytd_done") => format!(
            "1 月 1 日至{end}累计完成的投资,须不小于{}",
            lab(project::MONTH_DONE)
        ),
        (Some(Projects), "planned_start") => "新建、续建项目必须填写".into(),
        (Some(Projects), "actual_start") => format!("尚未开工的留空;不得晚于{end}"),
        (Some(Projects), "planned_finish") => {
            format!("不得早于{}", lab(project::PLANNED_START))
        }
        (Some(Projects), "actual_finish") => "尚未竣工的留空".into(),
        (Some(Projects), "progress_note") => "本月末工程形象进度".into(),
        (Some(Milestones), "project_id") => {
            format!("须是本月「{}」表中的项目编号", Projects.title())
        }
        (Some(Milestones), "milestone") => {
            "如 完成用地审批、开工、主体完工、设备安装调试、投产".into()
        }
        (Some(Milestones), "actual_date") => format!("尚未完成的留空;不得晚于{end}"),
        (Some(Milestones), "planned_qty") | (Some(Milestones), "done_qty") => {
            format!("如 100;计量单位填在「{}」列", lab(milestone::QTY_UNIT))
        }
        (Some(Milestones), "qty_unit") => "如 公里、平方米、台".into(),
        (Some(Attraction), "project_name") => "招商项目全称".into(),
        (Some(Attraction), "investor") => "投资企业或客商名称".into(),
        (Some(Attraction), "signed_date") => {
            format!("{}为签约、开工、投产的必须填写", lab(attraction::STAGE))
        }
        (Some(Attraction), "month_funds") => "本月实际到位的资金;留空按 0 计".into(),
        (Some(Attraction), "ytd_funds") => format!(
            "1 月 1 日至{end}累计到位的资金,须不小于{}",
            lab(attraction::MONTH_FUNDS)
        ),
        (None, "unit") => {
            "单位全称;各单位报表中的单位名称须与此一致(或为下面的别名),否则无法汇总".into()
        }
        (None, "unit_kind") => "乡镇(含街道)或部门;乡镇和部门分别排名".into(),
        (None, "leader") => "包抓该单位的县级领导".into(),
        (None, "invest_target") => "本年度重点项目投资目标".into(),
        (None, "attract_target") => "本年度招商引资到位资金目标".into(),
        (None, "aliases") => "报表中可能出现的其他名称,多个用 ; 或 、 分隔".into(),
        _ => String::new(),
    }
}

/// One instructions section: a heading and its lines.
pub(super) type Section = (&'static str, Vec<String>);

/// The 填报说明 sheet: general sections, then one row per column of every
/// table (from `forms.rs`), then closing sections.
pub(super) fn guide_sheet(
    wb: &mut Workbook,
    st: &Styles,
    title: &str,
    before: &[Section],
    tables: &[(&str, Option<TableKind>, &[FieldSpec])],
    period: Option<Period>,
    after: &[Section],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(GUIDE_SHEET)?;
    let widths = [12.0, 22.0, 26.0, 18.0, 60.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let last = (widths.len() - 1) as u16;
    let total_width: f64 = widths.iter().sum();
    ws.merge_range(0, 0, 0, last, title, &st.guide_title)?;
    ws.set_row_height(0, 32)?;
    let mut r = 2u32;
    let section = |ws: &mut Worksheet, r: &mut u32, s: &Section| -> Result<(), XlsxError> {
        ws.write_string_with_format(*r, 0, s.0, &st.guide_heading)?;
        *r += 1;
        for line in &s.1 {
            ws.merge_range(*r, 0, *r, last, line, &st.guide_text)?;
            ws.set_row_height(*r, row_height(display_width(line), total_width))?;
            *r += 1;
        }
        *r += 1;
        Ok(())
    };
    for s in before {
        section(ws, &mut r, s)?;
    }
    ws.write_string_with_format(r, 0, "二、各列说明", &st.guide_heading)?;
    r += 1;
    for (c, h) in ["表格", "列名", "填写内容", "是否必填", "填写要求"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &st.guide_head)?;
    }
    r += 1;
    for (name, table, fields) in tables {
        for spec in fields.iter() {
            let cells = [
                name.to_string(),
                spec.header.to_string(),
                type_text(spec),
                required_text(spec).to_string(),
                rule_text(*table, spec.key, period),
            ];
            let mut height = 0f64;
            for (c, v) in cells.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, v, &st.guide_cell)?;
                height = height.max(row_height(display_width(v), widths[c]));
            }
            ws.set_row_height(r, height)?;
            r += 1;
        }
    }
    r += 1;
    for s in after {
        section(ws, &mut r, s)?;
    }
    ws.protect();
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The height of a row whose wrapped text is `width` display columns wide in
/// a cell `cell_width` wide.
fn row_height(width: usize, cell_width: f64) -> f64 {
    let per_line = (cell_width - 2.0).max(1.0);
    let lines = (width as f64 / per_line).ceil().max(1.0);
    15.0 * lines + 3.0
}

fn labels(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// The instructions of a unit form.
pub(super) fn form_guide(wb: &mut Workbook, st: &Styles, cx: &Ctx) -> Result<(), XlsxError> {
    let sheets = TableKind::ALL
        .iter()
        .map(|t| format!("「{}」", t.title()))
        .collect::<String>();
    let fresh = FRESH_EACH_MONTH
        .iter()
        .map(|(t, keys)| format!("{}({})", labels(keys), t.title()))
        .collect::<Vec<_>>()
        .join(";");
    let period_end = cx.period.map_or(
        "报告期末(所报月份的最后一天)".to_string(),
        |p| format!("报告期末 {}", p.end()),
    );
    let example = form_file_name(
        cx.unit.unwrap_or("城关镇"),
        cx.period.unwrap_or(Period {
            year: 2026,
            month: 6,
        }),
    );
    let before: Vec<Section> = vec![
        (
            "一、填写须知",
            vec![
                format!("1. 本工作簿有{sheets}三张表。每张表第 3 行是表头,请从第 4 行起逐行填写,一行一个项目(节点、招商项目);某张表没有内容的留空,不要删除工作表。"),
                "2. 每张表第 2 行写明本单位名称(须与单位名册一致)和报送当天的日期。".to_string(),
                "3. 表头为红色的列必须填写;表头为橙色的列在特定情况下必须填写(见下方各列说明);其余列可留空。".to_string(),
                "4. 金额一律以万元为单位,只填数字,不要带\"万元\"等文字;本月没有发生的填 0 或留空。".to_string(),
                "5. 带下拉箭头的列请从列表中选择;数字列、日期列输入不符合要求时会提示,请按提示改正。".to_string(),
                "6. 表头已锁定(无密码保护):不要修改表头文字,不要增删或调换列。行数不够时,可在填写区中间插入行。".to_string(),
                format!("7. 每月都要重新填写的列:{fresh}。表中已预填的项目信息(编号、名称、类别、计划、日期等)如有变化,直接修改。"),
                "8. 不必填写合计行,汇总时自动计算;\"填表人\"\"审核人\"等可写在表格下方空一行处。".to_string(),
            ],
        ),
    ];
    let after: Vec<Section> = vec![
        (
            "三、日期的写法",
            vec![
                format!("日期列请输入 Excel 能识别的日期,{DATE_FORMS},输入后统一显示为 2026-04-20;可填范围 {} 至 {}。", fmt_ymd(DATE_MIN), fmt_ymd(DATE_MAX)),
                "只知道月份的,请填该月最后一天(如 2026-04-30);尚未发生的实际日期(实际开工、实际竣工、实际完成)请留空。".to_string(),
                format!("实际开工日期、节点实际完成日期不得晚于{period_end};计划竣工日期不得早于计划开工日期。"),
            ],
        ),
        (
            "四、文件命名与报送",
            vec![
                format!("文件名:单位名称_YYYY年MM月报表.xlsx,如 {example}。按单位生成的报表已按此命名,请勿改名。"),
                "填好后保存为 .xlsx 格式(不要另存为其他格式),按通知要求的时间和方式报送。".to_string(),
                "报送后发现错误的,改正后再次报送即可,以报送日期较晚的一份为准。".to_string(),
            ],
        ),
    ];
    let tables: Vec<(&str, Option<TableKind>, &[FieldSpec])> = TableKind::ALL
        .iter()
        .map(|t| (t.title(), Some(*t), t.form_fields()))
        .collect();
    let title = format!(
        "{}报表填报说明{}",
        cx.unit.unwrap_or(""),
        cx.period.map_or(String::new(), |p| format!("({})", p.cn()))
    );
    // The section numbers: 一 before, 二 is the column table, 三 四 after.
    guide_sheet(wb, st, &title, &before, &tables, cx.period, &after)
}
