//! 预警问责: one row per flag, most severe first, with the figures behind it and
//! the action that goes with its level.

use super::table::{page_setup, write_table, write_title, Out, Tone};
use super::{sheet, Ctx, WriteError};
use crate::flags::Level;
use rust_xlsxwriter::Workbook;

pub const HEADERS: &[&str] = &[
    "序号",
    "级别",
    "代码",
    "预警事项",
    "单位",
    "项目编号",
    "项目名称",
    "具体事项",
    "情况",
    "处理措施",
];
pub const HEADER_ROW: u32 = 2;

fn subject_cn(code: &str, subject: Option<&str>) -> String {
    match (code, subject) {
        (_, Some("invest")) => "重点项目投资".into(),
        (_, Some("attract")) => "招商引资到位资金".into(),
        (_, Some("ytd_over_total")) => "累计完成超过总投资".into(),
        (_, Some("ytd_decrease")) => "累计完成较上月减少".into(),
        (_, Some("total_mismatch")) => "合计行与明细不符".into(),
        (_, Some(s)) => s.to_string(),
        _ => String::new(),
    }
}

pub fn write(wb: &mut Workbook, cx: &Ctx) -> Result<(), WriteError> {
    let rows: Vec<Vec<Out>> =
        cx.a.flags
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let tone = match f.level {
                    Level::Yellow => Tone::Yellow,
                    _ => Tone::Red,
                };
                vec![
                    Out::Int(i as i64 + 1),
                    Out::tone(tone, Out::text(f.level_cn)),
                    Out::text(f.code),
                    Out::text(f.name),
                    Out::text(f.unit.clone()),
                    Out::opt_text(f.project_id.as_deref()),
                    Out::opt_text(f.project_name.as_deref()),
                    Out::text(subject_cn(f.code, f.subject.as_deref())),
                    Out::text(f.detail.clone()),
                    Out::text(f.action),
                ]
            })
            .collect();
    let ws = wb.add_worksheet();
    ws.set_name(sheet::WARNINGS)?;
    let n = crate::flags::count_levels(&cx.a.flags, None);
    let note = format!(
        "共 {} 条:一票否决 {}、问责 {}、红色预警 {}、黄色预警 {}。处理措施:黄色 预警提醒;红色 通报批评;问责 约谈问责;一票否决 取消年度评先资格。",
        cx.a.flags.len(),
        n[0],
        n[1],
        n[2],
        n[3]
    );
    write_title(
        ws,
        &cx.fmt,
        &format!("{}预警问责", cx.period_cn),
        Some(&note),
        HEADERS.len() as u16,
    )?;
    write_table(ws, &cx.fmt, HEADER_ROW, HEADERS, &rows)?;
    page_setup(ws, sheet::WARNINGS, &cx.period_cn, &cx.run_time, HEADER_ROW)?;
    Ok(())
}
