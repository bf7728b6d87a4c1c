//! 预警问责: one row per flag, most severe first, with the figures behind it and
//! the action that goes with its level.

use super::long::LongTable;
use super::table::{Out, Print, Tone};
use super::{sheet, Ctx};
use crate::flags::Level;

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

/// 预警问责: every flag, framed like the summary sheets. At a province's
/// scale it holds tens of thousands of rows, so it is a [`LongTable`].
pub fn table<'a>(cx: &'a Ctx) -> LongTable<'a> {
    let flags = &cx.a.flags;
    let n = cx.a.county_levels;
    let note = format!(
        "共 {} 条:一票否决 {}、问责 {}、红色预警 {}、黄色预警 {}。处理措施:黄色 预警提醒;红色 通报批评;问责 约谈问责;一票否决 取消年度评先资格。",
        flags.len(),
        n[0],
        n[1],
        n[2],
        n[3]
    );
    LongTable {
        name: sheet::WARNINGS,
        title: Some((format!("{}预警问责", cx.period_cn), note)),
        headers: HEADERS.to_vec(),
        len: flags.len(),
        row: Box::new(move |i| {
            let f = &flags[i];
            let tone = match f.level {
                Level::Yellow => Tone::Yellow,
                _ => Tone::Red,
            };
            vec![
                Out::Int(i as i64 + 1),
                Out::tone(tone, Out::text(f.level.cn())),
                Out::text(f.code.as_str()),
                Out::text(f.name()),
                Out::text(f.unit.as_str()),
                Out::opt_text(f.project_id.as_deref()),
                Out::opt_text(f.project_name.as_deref()),
                Out::text(f.subject.as_ref().map_or("", |s| s.cn())),
                Out::text(f.detail.as_str()),
                Out::text(f.level.action()),
            ]
        }),
        widths: Vec::new(),
        // Every column prints; the long texts capped (they wrap) to fit
        // A4 landscape at full size.
        print: Print::first(HEADERS.len())
            .cap(4, 14)
            .cap(5, 10)
            .cap(6, 18)
            .cap(7, 10)
            .cap(8, 26)
            .cap(9, 16),
        framed: true,
    }
}
