//! The terminal summary: counts per finding code with the first few of each,
//! the row accounting, who submitted.

use crate::batch::Batch;
use crate::finding::{Code, Finding};
use crate::forms::TableKind;
use crate::merge::{count_by_severity, Counts, FileStatus};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many findings of one code are printed before "另有 N 条".
pub const SHOW_PER_CODE: usize = 3;

/// Findings grouped by code, most severe first, `show` of each.
pub fn findings_text(findings: &[Finding], show: usize, more_hint: &str) -> String {
    let mut by_code: BTreeMap<(crate::finding::Severity, Code), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_code.entry((f.severity, f.code)).or_default().push(f);
    }
    let mut s = String::new();
    for ((sev, code), list) in by_code {
        let _ = writeln!(
            s,
            "  {} {}({}):{} 条",
            sev.cn(),
            code.title(),
            code.as_str(),
            list.len()
        );
        for f in list.iter().take(show) {
            let _ = writeln!(s, "    {}", f.one_line());
        }
        if list.len() > show {
            let _ = writeln!(s, "    …另有 {} 条{more_hint}", list.len() - show);
        }
    }
    s
}

/// "重点项目 读取 40 = 汇总 35 + 拒收 3 + 替代 2 ✓".
pub fn accounting_line(t: TableKind, c: &Counts) -> String {
    format!(
        "{}  读取 {} = 汇总 {} + 拒收 {} + 替代 {}  {}(汇总表 {} 行)",
        t.title(),
        c.read,
        c.merged,
        c.rejected,
        c.superseded,
        if c.balanced() {
            "✓ 平衡"
        } else {
            "✗ 不平衡"
        },
        c.output_rows
    )
}

pub fn run_summary(b: &Batch) -> String {
    let mut s = String::new();
    let files = &b.merged.files;
    let n = |st: FileStatus| files.iter().filter(|f| f.status == st).count();
    let _ = writeln!(s, "diaodu 调度汇总 · 报告期 {}", b.config.period.cn());
    let _ = writeln!(
        s,
        "收件 {} 个文件:已汇总 {},被更正替代 {},已忽略 {},无法读取 {}",
        files.len(),
        n(FileStatus::Merged),
        n(FileStatus::Superseded),
        n(FileStatus::Ignored),
        n(FileStatus::Unreadable)
    );
    // Each unreadable file by name: someone has to ask its unit for a new one.
    let unreadable: Vec<&str> = files
        .iter()
        .filter(|f| f.status == FileStatus::Unreadable)
        .map(|f| f.name.as_str())
        .collect();
    if !unreadable.is_empty() {
        let _ = writeln!(s, "  无法读取的文件:{}", unreadable.join("、"));
    }
    let submitted = b.merged.submitted(b.roster.units.len());
    let missing: Vec<&str> = b
        .roster
        .units
        .iter()
        .zip(&submitted)
        .filter(|(_, s)| !**s)
        .map(|(u, _)| u.name.as_str())
        .collect();
    let _ = writeln!(
        s,
        "报送单位 {}/{}{}",
        b.roster.units.len() - missing.len(),
        b.roster.units.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!(",未报送:{}", missing.join("、"))
        }
    );
    let _ = writeln!(s, "行数核对(读取 = 汇总 + 拒收 + 替代):");
    for t in TableKind::ALL {
        let _ = writeln!(s, "  {}", accounting_line(t, &b.counts(t)));
    }
    let [e, w, i] = count_by_severity(b.findings());
    let _ = writeln!(s, "发现问题:错误 {e},警告 {w},提示 {i}");
    s.push_str(&findings_text(
        b.findings(),
        SHOW_PER_CODE,
        ",全部见工作簿「数据校验」",
    ));
    s
}

/// The period's headline figures and flags, for the terminal.
pub fn assessment_summary(b: &Batch, a: &crate::assess::Assessment) -> String {
    let c = &a.metrics.county;
    let pct = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0));
    let n = a.county_levels;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "时间进度 {:.1}%;投资完成率 {}({} / {} 万元);开工率 {}({}/{});到位率 {}",
        a.metrics.time_progress * 100.0,
        pct(c.completion_rate),
        crate::ingest::cell::fmt_num((c.ytd_done * 100.0).round() / 100.0),
        crate::ingest::cell::fmt_num(c.invest_target),
        pct(c.start_rate),
        c.started,
        c.projects_new_cont,
        pct(c.attraction_rate)
    );
    let _ = writeln!(
        s,
        "预警:一票否决 {},问责 {},红色 {},黄色 {}",
        n[0], n[1], n[2], n[3]
    );
    let _ = b;
    s
}
