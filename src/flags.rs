//! The penalty flags of docs/forms.md §6 (预警问责), with the rulings of §7.
//! F06 and the month-over-month part of F08 need history and are added by the
//! history module; everything here is judged on the period alone.

use crate::batch::Batch;
use crate::config::Rules;
use crate::finding::Code;
use crate::forms::{milestone, project, TableKind};
use crate::merge::FileStatus;
use crate::metrics::{Metrics, UnitFigures};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Yellow,
    Red,
    Accountability,
    Veto,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Veto,
        Level::Accountability,
        Level::Red,
        Level::Yellow,
    ];

    pub fn cn(self) -> &'static str {
        match self {
            Level::Yellow => "黄色预警",
            Level::Red => "红色预警",
            Level::Accountability => "问责",
            Level::Veto => "一票否决",
        }
    }

    /// What goes with the level (docs/forms.md §6).
    pub fn action(self) -> &'static str {
        match self {
            Level::Yellow => "预警提醒",
            Level::Red => "通报批评",
            Level::Accountability => "约谈问责",
            Level::Veto => "取消年度评先资格",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Level::Yellow => "yellow",
            Level::Red => "red",
            Level::Accountability => "accountability",
            Level::Veto => "veto",
        }
    }
}

/// The flags of docs/forms.md §6, by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum FlagCode {
    F01,
    F02,
    F03,
    F04,
    F05,
    F06,
    F07,
    F08,
}

impl FlagCode {
    /// "F01" … "F08", as every output writes the code.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagCode::F01 => "F01",
            FlagCode::F02 => "F02",
            FlagCode::F03 => "F03",
            FlagCode::F04 => "F04",
            FlagCode::F05 => "F05",
            FlagCode::F06 => "F06",
            FlagCode::F07 => "F07",
            FlagCode::F08 => "F08",
        }
    }

    /// The flag's Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            FlagCode::F01 => "未按时报送",
            FlagCode::F02 => "零实绩",
            FlagCode::F03 => "进度滞后",
            FlagCode::F04 => "逾期未开工",
            FlagCode::F05 => "节点超期",
            FlagCode::F06 => "连续预警",
            FlagCode::F07 => "年度目标未完成",
            FlagCode::F08 => "数据存疑",
        }
    }
}

/// What a flag is about, when its code alone does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// F02: the investment target.
    Invest,
    /// F02: the attraction target.
    Attract,
    /// F05: the milestone, by its name.
    Milestone(String),
    /// F08: 累计完成投资 above the project's total.
    YtdOverTotal,
    /// F08: a cumulative figure lower than last month's.
    YtdDecrease,
    /// F08: a total row that does not add up.
    TotalMismatch,
}

impl Subject {
    /// The key the run report and the history write (the milestone's name for F05).
    pub fn key(&self) -> &str {
        match self {
            Subject::Invest => "invest",
            Subject::Attract => "attract",
            Subject::Milestone(name) => name,
            Subject::YtdOverTotal => "ytd_over_total",
            Subject::YtdDecrease => "ytd_decrease",
            Subject::TotalMismatch => "total_mismatch",
        }
    }

    /// The subject in the office's words (预警问责's 具体事项).
    pub fn cn(&self) -> &str {
        match self {
            Subject::Invest => "重点项目投资",
            Subject::Attract => "招商引资到位资金",
            Subject::Milestone(name) => name,
            Subject::YtdOverTotal => "累计完成超过总投资",
            Subject::YtdDecrease => "累计完成较上月减少",
            Subject::TotalMismatch => "合计行与明细不符",
        }
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// The figures behind a flag, one shape per kind of flag. Written to the run
/// report as an object of these keys (amounts in 万元 to 4 decimals); the
/// fields of each variant are in key order, as the report has always written
/// them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Figures {
    /// F01: no figures.
    None {},
    /// F02, investment.
    Invest { invest_target: f64, ytd_done: f64 },
    /// F02, attraction.
    Attract { attract_target: f64, ytd_funds: f64 },
    /// F03.
    Behind {
        completion_rate: f64,
        gap_points: f64,
        time_progress: f64,
    },
    /// F04.
    StartOverdue {
        days_overdue: i64,
        planned_start: String,
    },
    /// F05.
    MilestoneOverdue {
        days_overdue: i64,
        planned_date: String,
    },
    /// F06: the months with red flags, oldest first.
    Consecutive {
        consecutive: usize,
        months: Vec<String>,
    },
    /// F07.
    YearMissed {
        completion_rate: f64,
        invest_target: f64,
        ytd_done: f64,
    },
    /// F08, a project's 累计完成投资 above its 总投资.
    YtdOverTotal { total_invest: f64, ytd_done: f64 },
    /// F08, a project's 累计完成投资 below last month's.
    YtdDoneDecrease { prev_ytd_done: f64, ytd_done: f64 },
    /// F08, an attraction row's 累计到位资金 below last month's.
    YtdFundsDecrease {
        prev_ytd_funds: f64,
        project_name: String,
        ytd_funds: f64,
    },
    /// F08, a total row that does not add up: where it is.
    TotalMismatch {
        cell: Option<String>,
        file: String,
        sheet: Option<String>,
        value: Option<String>,
    },
}

/// One flag: who, what, the figures behind it. Its name comes from its code,
/// its Chinese level and action from its level.
#[derive(Debug, Clone)]
pub struct Flag {
    pub code: FlagCode,
    /// Roster index of the unit.
    pub unit_idx: usize,
    pub unit: String,
    pub project_id: Option<String>,
    pub project_name: Option<String>,
    pub level: Level,
    pub subject: Option<Subject>,
    pub figures: Figures,
    /// One sentence saying what the figures mean, for the 预警问责 sheet.
    pub detail: String,
}

impl Serialize for Flag {
    /// The run report's flag (docs/run-report.schema.json).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("Flag", 9)?;
        o.serialize_field("code", &self.code)?;
        o.serialize_field("name", self.code.name())?;
        o.serialize_field("unit", &self.unit)?;
        o.serialize_field("project_id", &self.project_id)?;
        o.serialize_field("level", &self.level)?;
        o.serialize_field("level_cn", self.level.cn())?;
        o.serialize_field("action", self.level.action())?;
        o.serialize_field("subject", &self.subject)?;
        o.serialize_field("figures", &self.figures)?;
        o.end()
    }
}

impl Flag {
    pub fn new(
        code: FlagCode,
        unit_idx: usize,
        unit: &str,
        level: Level,
        subject: Option<Subject>,
        figures: Figures,
        detail: String,
    ) -> Flag {
        Flag {
            code,
            unit_idx,
            unit: unit.to_string(),
            project_id: None,
            project_name: None,
            level,
            subject,
            figures,
            detail,
        }
    }

    /// The flag's Chinese name.
    pub fn name(&self) -> &'static str {
        self.code.name()
    }

    fn project(mut self, id: Option<&str>, name: Option<&str>) -> Flag {
        self.project_id = id.map(str::to_string);
        self.project_name = name.map(str::to_string);
        self
    }

    /// The points this flag takes off the score (§7.3: red and yellow only).
    pub fn deduction(&self, rules: &Rules) -> f64 {
        match self.level {
            Level::Red => rules.deduct_red,
            Level::Yellow => rules.deduct_yellow,
            _ => 0.0,
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn r4(x: f64) -> f64 {
    crate::metrics::round4(x)
}

/// Every same-month flag, in unit order, then code.
pub fn flags(batch: &Batch, m: &Metrics, rules: &Rules) -> Vec<Flag> {
    // The milestones' flags (the most rows) are found beside the others.
    let (mut out, f05) = rayon::join(
        || unit_and_start_flags(batch, m, rules),
        || overdue_milestones(batch, m, rules),
    );
    out.extend(f05);
    let units = &batch.roster.units;
    // F08 (same month): ytd above the project's total; a total row that does not add up.
    for r in &batch.merged.rows[TableKind::Projects as usize] {
        let (Some(u), Some(ytd), Some(total)) = (
            r.rec.unit,
            r.rec.num(project::YTD_DONE),
            r.rec.num(project::TOTAL_INVEST),
        ) else {
            continue;
        };
        if ytd > total + 1e-6 {
            out.push(
                Flag::new(
                    FlagCode::F08,
                    u,
                    &units[u].name,
                    Level::Yellow,
                    Some(Subject::YtdOverTotal),
                    Figures::YtdOverTotal {
                        total_invest: r4(total),
                        ytd_done: r4(ytd),
                    },
                    format!(
                        "累计完成投资 {} 万元超过项目总投资 {} 万元",
                        crate::ingest::cell::fmt_num(ytd),
                        crate::ingest::cell::fmt_num(total)
                    ),
                )
                .project(r.rec.project_id(), r.rec.project_name()),
            );
        }
    }
    for fi in batch
        .findings()
        .iter()
        .filter(|f| f.code == Code::RowTotalMismatch)
    {
        let Some(file) = batch
            .merged
            .files
            .iter()
            .find(|f| f.name == fi.file && f.status == FileStatus::Merged)
        else {
            continue;
        };
        let Some(u) = file.unit else { continue };
        out.push(Flag::new(
            FlagCode::F08,
            u,
            &units[u].name,
            Level::Yellow,
            Some(Subject::TotalMismatch),
            Figures::TotalMismatch {
                cell: fi.cell.clone(),
                file: fi.file.clone(),
                sheet: fi.sheet.clone(),
                value: fi.value.clone(),
            },
            format!(
                "{} {}:{}",
                fi.file,
                fi.cell.clone().unwrap_or_default(),
                fi.message
            ),
        ));
    }
    sort_flags(&mut out);
    out
}

/// F01, F02, F03 and F07 per unit, then F04 per project.
fn unit_and_start_flags(batch: &Batch, m: &Metrics, rules: &Rules) -> Vec<Flag> {
    let mut out = Vec::new();
    for u in &m.units {
        unit_flags(u, m, rules, &mut out);
    }
    out.extend(start_flags(batch, m, rules));
    out
}

/// A unit's own flags: F01 (nothing submitted), F02 (nothing done against a
/// target), F03 (behind time progress) and, in December, F07 (the year's
/// target missed).
fn unit_flags(u: &UnitFigures, m: &Metrics, rules: &Rules, out: &mut Vec<Flag>) {
    let tp = m.time_progress;
    let december = m.period.month == 12;
    let f = &u.fig;
    let name = u.name.as_str();
    // F01: no readable submission.
    if !u.submitted {
        out.push(Flag::new(
            FlagCode::F01,
            u.unit,
            name,
            Level::Red,
            None,
            Figures::None {},
            format!("截至统计时未收到{name}可读取的{}报表", m.period.cn()),
        ));
    }
    // F02: nothing done this year, judged per target (§7.1).
    if f.invest_target > 0.0 && f.ytd_done <= 0.0 {
        out.push(Flag::new(
            FlagCode::F02,
            u.unit,
            name,
            Level::Red,
            Some(Subject::Invest),
            Figures::Invest {
                invest_target: r4(f.invest_target),
                ytd_done: r4(f.ytd_done),
            },
            format!(
                "年度投资目标 {} 万元,累计完成投资为零",
                crate::ingest::cell::fmt_num(f.invest_target)
            ),
        ));
    }
    if f.attract_target > 0.0 && f.ytd_funds <= 0.0 {
        out.push(Flag::new(
            FlagCode::F02,
            u.unit,
            name,
            Level::Red,
            Some(Subject::Attract),
            Figures::Attract {
                attract_target: r4(f.attract_target),
                ytd_funds: r4(f.ytd_funds),
            },
            format!(
                "年度招商引资目标 {} 万元,累计到位资金为零",
                crate::ingest::cell::fmt_num(f.attract_target)
            ),
        ));
    }
    // F03: behind time progress (§7.4, §7.6); a unit that did not submit is red (§7.2).
    let behind = f.gap_points.map(|g| -g);
    let level = if !u.submitted {
        Some(Level::Red)
    } else {
        match behind {
            Some(b) if b >= rules.f03_red_points => Some(Level::Red),
            Some(b) if b >= rules.f03_yellow_points => Some(Level::Yellow),
            _ => None,
        }
    };
    if let Some(level) = level {
        let rate = f.completion_rate.unwrap_or(0.0);
        let b = behind.unwrap_or(crate::metrics::round4(tp * 100.0));
        out.push(Flag::new(
            FlagCode::F03,
            u.unit,
            name,
            level,
            None,
            Figures::Behind {
                completion_rate: r4(rate),
                gap_points: r4(-b),
                time_progress: r4(tp),
            },
            format!(
                "投资完成率 {},时间进度 {},落后 {:.1} 个百分点",
                pct(rate),
                pct(tp),
                b
            ),
        ));
    }
    // F07: December and the year's target not met.
    if december && f.invest_target > 0.0 && f.completion_rate.unwrap_or(0.0) < 1.0 {
        let rate = f.completion_rate.unwrap_or(0.0);
        out.push(Flag::new(
            FlagCode::F07,
            u.unit,
            name,
            Level::Veto,
            None,
            Figures::YearMissed {
                completion_rate: r4(rate),
                invest_target: r4(f.invest_target),
                ytd_done: r4(f.ytd_done),
            },
            format!("全年投资完成率 {},未完成年度目标", pct(rate)),
        ));
    }
}

/// F04: projects due to start and not started (新建/续建 only, §7.5).
fn start_flags(batch: &Batch, m: &Metrics, rules: &Rules) -> Vec<Flag> {
    let mut out = Vec::new();
    let units = &batch.roster.units;
    for (r, t) in batch.merged.rows[TableKind::Projects as usize]
        .iter()
        .zip(&m.timing[0])
    {
        let (Some(u), Some(days)) = (r.rec.unit, t.days_overdue) else {
            continue;
        };
        let level = if days > rules.f04_red_days {
            Level::Red
        } else {
            Level::Yellow
        };
        let planned = r
            .rec
            .date(project::PLANNED_START)
            .map(|d| d.to_string())
            .unwrap_or_default();
        out.push(
            Flag::new(
                FlagCode::F04,
                u,
                &units[u].name,
                level,
                None,
                Figures::StartOverdue {
                    days_overdue: days,
                    planned_start: planned.clone(),
                },
                format!("计划 {planned} 开工,至期末仍未开工,逾期 {days} 天"),
            )
            .project(r.rec.project_id(), r.rec.project_name()),
        );
    }
    out
}

/// F05: milestones past their planned date without an actual date.
fn overdue_milestones(batch: &Batch, m: &Metrics, rules: &Rules) -> Vec<Flag> {
    let mut out = Vec::new();
    let units = &batch.roster.units;
    let project_names: crate::util::FastMap<&str, &str> = batch.merged.rows
        [TableKind::Projects as usize]
        .iter()
        .filter_map(|p| Some((p.rec.project_id()?, p.rec.project_name()?)))
        .collect();
    for (r, t) in batch.merged.rows[TableKind::Milestones as usize]
        .iter()
        .zip(&m.timing[1])
    {
        let (Some(u), Some(days)) = (r.rec.unit, t.days_overdue) else {
            continue;
        };
        let level = if days > rules.f05_red_days {
            Level::Red
        } else {
            Level::Yellow
        };
        let ms = r
            .rec
            .text(milestone::MILESTONE)
            .unwrap_or_default()
            .to_string();
        let planned = r
            .rec
            .date(milestone::PLANNED_DATE)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let pid = r.rec.project_id();
        let pname = pid
            .and_then(|id| project_names.get(id).copied())
            .or(r.rec.project_name());
        out.push(
            Flag::new(
                FlagCode::F05,
                u,
                &units[u].name,
                level,
                Some(Subject::Milestone(ms.clone())),
                Figures::MilestoneOverdue {
                    days_overdue: days,
                    planned_date: planned.clone(),
                },
                format!("节点\"{ms}\"计划 {planned} 完成,至期末未完成,超期 {days} 天"),
            )
            .project(pid, pname),
        );
    }
    out
}

/// Most severe first, then by unit (roster order), code, project.
pub fn sort_flags(flags: &mut [Flag]) {
    flags.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.unit_idx.cmp(&b.unit_idx))
            .then(a.code.cmp(&b.code))
            .then(a.project_id.cmp(&b.project_id))
    });
}

/// Flags per level for one unit (or all when `unit` is None).
pub fn count_levels(flags: &[Flag], unit: Option<usize>) -> [u32; 4] {
    let mut n = [0; 4];
    for f in flags
        .iter()
        .filter(|f| unit.is_none_or(|u| f.unit_idx == u))
    {
        n[level_index(f.level)] += 1;
    }
    n
}

/// [`count_levels`] of every unit (0..units) at once, in one pass.
pub fn count_levels_by_unit(flags: &[Flag], units: usize) -> Vec<[u32; 4]> {
    let mut n = vec![[0; 4]; units];
    for f in flags {
        if let Some(c) = n.get_mut(f.unit_idx) {
            c[level_index(f.level)] += 1;
        }
    }
    n
}

fn level_index(l: Level) -> usize {
    match l {
        Level::Veto => 0,
        Level::Accountability => 1,
        Level::Red => 2,
        Level::Yellow => 3,
    }
}
