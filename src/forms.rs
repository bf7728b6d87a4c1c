//! THE form schemas: the three submission tables and the roster, their canonical
//! headers, accepted header variants, value types and required-ness.
//!
//! One source of truth: the reader maps headers with it, the validator checks
//! required fields with it, the output sheets take their column titles from it.
//! Adding a field is one edit here (plus the typed row struct in `rows.rs`).

use serde::Serialize;

/// Which submission table a header row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    Projects,
    Milestones,
    Attraction,
}

impl TableKind {
    pub const ALL: [TableKind; 3] = [
        TableKind::Projects,
        TableKind::Milestones,
        TableKind::Attraction,
    ];

    /// The table's Chinese name as the forms call it.
    pub fn title(self) -> &'static str {
        match self {
            TableKind::Projects => "重点项目",
            TableKind::Milestones => "节点计划",
            TableKind::Attraction => "招商引资",
        }
    }

    /// The JSON key of the table (docs/forms.md §8).
    pub fn key(self) -> &'static str {
        match self {
            TableKind::Projects => "projects",
            TableKind::Milestones => "milestones",
            TableKind::Attraction => "attraction",
        }
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Projects => PROJECT_FIELDS,
            TableKind::Milestones => MILESTONE_FIELDS,
            TableKind::Attraction => ATTRACTION_FIELDS,
        }
    }

    /// The fields of the form the office hands out (docs/forms.md §2), in its
    /// column order: `fields()` without the ones read only from the offices'
    /// own forms (是否开工; a milestone's 项目名称), which come last.
    pub fn form_fields(self) -> &'static [FieldSpec] {
        let n = match self {
            TableKind::Projects => 17,
            TableKind::Milestones => 7,
            TableKind::Attraction => 9,
        };
        &self.fields()[..n]
    }

    /// The position of a field among `fields()`.
    pub fn field_index(self, key: &str) -> usize {
        self.fields()
            .iter()
            .position(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key} in {:?}", self))
    }

    pub fn field(self, key: &str) -> &'static FieldSpec {
        self.fields()
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key} in {:?}", self))
    }

    /// Fields whose presence in a header row identifies this table: a header
    /// row is taken for a table when, of every group, at least one field maps
    /// (see `ingest::header`). A projects table needs no 项目编号 (§9.3) but
    /// then an amount of this year beside its 总投资.
    pub fn signature(self) -> &'static [&'static [&'static str]] {
        match self {
            TableKind::Projects => &[
                &["project_name"],
                &["total_invest"],
                &["project_id", "annual_plan", "ytd_done", "month_done"],
            ],
            TableKind::Milestones => &[
                &["project_id", "project_name"],
                &["milestone"],
                &["planned_date"],
            ],
            TableKind::Attraction => &[&["project_name"], &["stage"], &["ytd_funds"]],
        }
    }
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// An amount of money: converted to 万元 by the header's or the note row's unit.
    Amount,
    /// A plain quantity (工程量): never scaled.
    Quantity,
    Date,
    /// One of a fixed list of values.
    Choice(&'static [&'static str]),
    /// Yes or no (是否开工, docs/forms.md §9.4): read as "是" or "否" by
    /// [`YES_WORDS`] and [`NO_WORDS`]; blank means no. Not a column of the
    /// period's tables: what it says goes into the row's timing.
    YesNo,
}

/// Whether a field must be present in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    No,
    Yes,
    /// Required when the row's 项目类别 is 新建 or 续建.
    ForNewOrContinuing,
    /// Required when the row's 进展阶段 is 签约 or later.
    WhenSigned,
    /// The row's identity (项目编号): required in every row of a table that has
    /// the column; a table without it identifies its rows by 项目名称 (§9.3).
    Key,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The English key (docs/forms.md §2), also the JSON key and the DataFrame column.
    pub key: &'static str,
    /// The canonical Chinese header, as the blank form writes it.
    pub header: &'static str,
    /// Other header texts accepted, compared after `text::header_key` normalisation
    /// (simplified characters, no brackets, no whitespace, no unit).
    pub aliases: &'static [&'static str],
    pub ty: FieldType,
    pub required: Required,
}

impl FieldSpec {
    /// The canonical header without the unit suffix, e.g. "总投资" for "总投资(万元)".
    pub fn label(&self) -> &'static str {
        match self.header.find('(') {
            Some(i) => &self.header[..i],
            None => self.header,
        }
    }
}

pub const CATEGORIES: &[&str] = &["新建", "续建", "前期"];
pub const STAGES: &[&str] = &["洽谈", "签约", "开工", "投产"];
pub const SOURCES: &[&str] = &["县外市内", "市外省内", "省外", "境外"];
pub const UNIT_KINDS: &[&str] = &["乡镇", "部门"];

const fn f(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    ty: FieldType,
    required: Required,
) -> FieldSpec {
    FieldSpec {
        key,
        header,
        aliases,
        ty,
        required,
    }
}

use FieldType::*;
use Required::*;

pub const PROJECT_FIELDS: &[FieldSpec] = &[
    f(
        "project_id",
        "项目编号",
        &["项目代码", "项目编码", "编号"],
        Text,
        Key,
    ),
    f(
        "project_name",
        "项目名称",
        &["名称", "建设项目名称"],
        Text,
        Yes,
    ),
    f(
        "unit",
        "责任单位",
        &[
            "牵头单位",
            "实施单位",
            "主体责任单位",
            "责任部门",
            "主责单位",
        ],
        Text,
        No,
    ),
    f(
        "leader",
        "包抓领导",
        &[
            "包抓县级领导",
            "县级包抓领导",
            "包联领导",
            "挂点领导",
            "挂钩领导",
            "责任领导",
        ],
        Text,
        No,
    ),
    f(
        "category",
        "项目类别",
        &["类别", "建设性质", "项目性质", "项目类型"],
        Choice(CATEGORIES),
        Yes,
    ),
    f(
        "sector",
        "行业领域",
        &["行业", "所属行业", "产业类别", "领域"],
        Text,
        No,
    ),
    f(
        "total_invest",
        "总投资(万元)",
        &["项目总投资", "计划总投资", "总投资额"],
        Amount,
        Yes,
    ),
    f(
        "annual_plan",
        "年度计划投资(万元)",
        &[
            "年度计划",
            "年计划投资",
            "本年计划投资",
            "年度投资计划",
            "年计划完成投资",
            "今年计划投资",
        ],
        Amount,
        Yes,
    ),
    f(
        "month_done",
        "本月完成投资(万元)",
        &["当月完成投资", "本月完成", "本月投资", "完成投资本月"],
        Amount,
        No,
    ),
    f(
        "ytd_done",
        "累计完成投资(万元)",
        &[
            "年初至今累计完成投资",
            "1-本月累计完成投资",
            "1至本月累计完成投资",
            "自年初累计完成投资",
            "本年累计完成投资",
            "累计完成",
            "完成投资累计",
            "年度累计完成投资",
            "今年已完成投资",
        ],
        Amount,
        Yes,
    ),
    f(
        "planned_start",
        "计划开工日期",
        &["计划开工时间", "计划开工"],
        Date,
        ForNewOrContinuing,
    ),
    f(
        "actual_start",
        "实际开工日期",
        &["实际开工时间", "实际开工", "开工日期", "开工时间"],
        Date,
        No,
    ),
    f(
        "planned_finish",
        "计划竣工日期",
        &["计划竣工时间", "计划竣工", "计划完工日期", "计划完工时间"],
        Date,
        No,
    ),
    f(
        "actual_finish",
        "实际竣工日期",
        &["实际竣工时间", "实际竣工", "实际完工日期", "竣工日期"],
        Date,
        No,
    ),
    f(
        "progress_note",
        "形象进度",
        &[
            "工程形象进度",
            "项目进展情况",
            "进展情况",
            "目前进展",
            "主要形象进度",
            "工程进度",
        ],
        Text,
        No,
    ),
    f(
        "problems",
        "存在问题",
        &["存在的问题", "问题", "困难问题"],
        Text,
        No,
    ),
    f(
        "next_steps",
        "下步措施",
        &["下一步措施", "下步工作", "下步打算"],
        Text,
        No,
    ),
    // New fields go last: the fields above keep their places.
    f(
        "started",
        "是否开工",
        &["是否已开工", "开工情况"],
        YesNo,
        No,
    ),
];

pub const MILESTONE_FIELDS: &[FieldSpec] = &[
    f(
        "project_id",
        "项目编号",
        &["项目代码", "项目编码", "编号"],
        Text,
        Key,
    ),
    f(
        "milestone",
        "节点名称",
        &["节点", "关键节点", "节点目标", "里程碑"],
        Text,
        Yes,
    ),
    f(
        "planned_date",
        "计划完成日期",
        &["计划完成时间", "计划时间", "计划日期"],
        Date,
        Yes,
    ),
    f(
        "actual_date",
        "实际完成日期",
        &["实际完成时间", "完成时间", "完成日期"],
        Date,
        No,
    ),
    f(
        "planned_qty",
        "计划工程量",
        &["计划量", "计划完成工程量"],
        Quantity,
        No,
    ),
    f(
        "done_qty",
        "完成工程量",
        &["已完成工程量", "实际完成工程量", "完成量"],
        Quantity,
        No,
    ),
    f("qty_unit", "计量单位", &["单位", "工程量单位"], Text, No),
    // A table without 项目编号 finds its project by name (§9.3).
    f("project_name", "项目名称", &["建设项目名称"], Text, No),
];

pub const ATTRACTION_FIELDS: &[FieldSpec] = &[
    f(
        "project_name",
        "项目名称",
        &["招商项目名称", "引资项目名称", "名称"],
        Text,
        Yes,
    ),
    f("unit", "引资单位", &["责任单位", "招商单位"], Text, No),
    f(
        "investor",
        "投资方",
        &["投资主体", "投资企业", "客商名称", "投资商"],
        Text,
        No,
    ),
    f(
        "source",
        "资金来源",
        &["资金来源地", "来源"],
        Choice(SOURCES),
        No,
    ),
    f(
        "stage",
        "进展阶段",
        &["项目进展", "进展情况", "阶段"],
        Choice(STAGES),
        Yes,
    ),
    f("signed_date", "签约日期", &["签约时间"], Date, WhenSigned),
    f(
        "contract_amount",
        "合同金额(万元)",
        &["签约金额", "合同引资额", "协议金额", "合同投资额"],
        Amount,
        No,
    ),
    f(
        "month_funds",
        "本月到位资金(万元)",
        &["当月到位资金", "本月到位", "到位资金本月"],
        Amount,
        No,
    ),
    f(
        "ytd_funds",
        "累计到位资金(万元)",
        &[
            "年初至今累计到位资金",
            "1-本月累计到位资金",
            "自年初累计到位资金",
            "本年累计到位资金",
            "累计到位",
            "到位资金累计",
            "实际到位资金",
            "累计实际到位资金",
            "已到位资金",
            "本年到位资金",
            "今年到位资金",
            "年度累计到位资金",
        ],
        Amount,
        Yes,
    ),
];

/// The roster (docs/forms.md §1).
pub const ROSTER_FIELDS: &[FieldSpec] = &[
    f("unit", "单位名称", &["单位", "责任单位"], Text, Yes),
    f(
        "unit_kind",
        "单位类别",
        &["类别", "单位类型"],
        Choice(UNIT_KINDS),
        Yes,
    ),
    f(
        "leader",
        "包抓领导",
        &["包抓县级领导", "县级包抓领导"],
        Text,
        No,
    ),
    f(
        "invest_target",
        "年度投资目标(万元)",
        &["投资目标", "年度重点项目投资目标", "重点项目投资目标"],
        Amount,
        Yes,
    ),
    f(
        "attract_target",
        "年度招商引资目标(万元)",
        &["招商引资目标", "招商目标", "年度招商目标"],
        Amount,
        Yes,
    ),
    f("aliases", "别名", &["其他名称", "简称"], Text, No),
];

/// Headers that name the period (docs/forms.md §9.1): `{y}` is the period's
/// year (2026, 二〇二六), `{m}` its month (5, 05, 五); a dash may be written
/// -, －, —, ~, ～ or 至. A header of this shape naming another month or year
/// is not mapped: it is `header/other-period`.
pub const PERIOD_HEADERS: &[(TableKind, &str, &str)] = &[
    (TableKind::Projects, "annual_plan", "{y}年计划投资"),
    (TableKind::Projects, "annual_plan", "{y}年计划完成投资"),
    (TableKind::Projects, "annual_plan", "{y}年度计划投资"),
    (TableKind::Projects, "annual_plan", "{y}年投资计划"),
    (TableKind::Projects, "annual_plan", "{y}年计划投资额"),
    (TableKind::Projects, "annual_plan", "{y}年度计划投资额"),
    (TableKind::Projects, "annual_plan", "{y}年计划完成投资额"),
    (TableKind::Projects, "annual_plan", "{y}年度投资计划"),
    (TableKind::Projects, "annual_plan", "{y}年度计划"),
    (TableKind::Projects, "month_done", "{m}月完成投资"),
    (TableKind::Projects, "month_done", "{m}月份完成投资"),
    (TableKind::Projects, "month_done", "{m}月完成投资额"),
    (TableKind::Projects, "month_done", "{m}月完成"),
    (TableKind::Projects, "month_done", "{m}月份完成"),
    (TableKind::Projects, "ytd_done", "1-{m}月完成投资"),
    (TableKind::Projects, "ytd_done", "1-{m}月累计完成投资"),
    (TableKind::Projects, "ytd_done", "1-{m}月完成投资额"),
    (TableKind::Projects, "ytd_done", "1-{m}月已完成投资"),
    (TableKind::Projects, "ytd_done", "1-{m}月完成"),
    (TableKind::Projects, "ytd_done", "1-{m}月累计完成"),
    (TableKind::Projects, "ytd_done", "1-{m}月累计"),
    (TableKind::Projects, "ytd_done", "{y}年1-{m}月完成投资"),
    (TableKind::Projects, "ytd_done", "{y}年1-{m}月累计完成投资"),
    (TableKind::Projects, "ytd_done", "{y}年累计完成投资"),
    (TableKind::Projects, "ytd_done", "{y}年完成投资"),
    (TableKind::Projects, "progress_note", "{m}月进展情况"),
    (TableKind::Projects, "progress_note", "{m}月份进展情况"),
    (TableKind::Projects, "progress_note", "{m}月形象进度"),
    (TableKind::Attraction, "month_funds", "{m}月到位资金"),
    (TableKind::Attraction, "month_funds", "{m}月份到位资金"),
    (TableKind::Attraction, "ytd_funds", "1-{m}月到位资金"),
    (TableKind::Attraction, "ytd_funds", "1-{m}月累计到位资金"),
    (TableKind::Attraction, "ytd_funds", "1-{m}月到位"),
    (TableKind::Attraction, "ytd_funds", "1-{m}月累计到位"),
    (TableKind::Attraction, "month_funds", "{m}月到位"),
    (TableKind::Attraction, "ytd_funds", "{y}年累计到位资金"),
];

/// Headers that look like this year's investment but are not (since the start
/// of works, to the end of last year, last year's, a share or a rate): never
/// mapped to a field, whatever an alias or pattern would say (docs/forms.md §9.1).
/// Compared after `header_key`, also as the start of a header ("开工累计完成投资额").
pub const NOT_THIS_YEAR: &[&str] = &[
    "开工累计完成投资",
    "开工累计",
    "自开工累计",
    "开工以来累计",
    "开工至上年底累计完成投资",
    "开工至上年底累计",
    "至上年底累计完成投资",
    "至上年底累计",
    "截至上年底累计",
    "上年完成投资",
    "上年底累计",
    "占年计划%",
    "占年计划",
    "完成率",
    "完成比例",
    "投资完成率",
];

/// Cumulative headers that do not say since when (`header_key` form). Alone
/// they are this year's (docs/forms.md §2); beside an explicit this-year
/// header of the same field (今年已完成投资, 本年累计…, 1-{m}月…) they are
/// since the start of works, and the explicit one is read.
pub const GENERIC_CUMULATIVE: &[&str] = &[
    "累计完成投资",
    "累计完成",
    "完成投资累计",
    "累计到位资金",
    "累计到位",
    "到位资金累计",
];

/// What a unit writes in a 是否开工 column (docs/forms.md §9.1); blank means no.
pub const YES_WORDS: &[&str] = &["是", "已开工", "√", "✓", "✔", "Y", "YES", "1", "开工", "已"];
pub const NO_WORDS: &[&str] = &["否", "未开工", "×", "✗", "✘", "N", "NO", "0", "未", "无"];

/// Header texts that are row counters, never data (序号 is NOT the project id).
pub const IGNORED_HEADERS: &[&str] = &["序号", "序列号", "行号"];

/// Words that mark a total row in the first text cells of a row.
pub const TOTAL_WORDS: &[&str] = &["合计", "小计", "总计", "全县合计", "总合计", "累计合计"];

/// Prefixes that mark a footer row; the data ends or pauses there.
pub const FOOTER_PREFIXES: &[&str] = &[
    "填表人",
    "审核人",
    "联系电话",
    "联系人",
    "制表人",
    "负责人",
    "单位负责人",
    "分管领导",
    "注:",
    "注：",
    "说明:",
    "说明：",
    "备注:",
    "备注：",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::header_key;
    use std::collections::HashMap;

    #[test]
    fn no_alias_maps_to_two_fields_of_one_table() {
        for kind in TableKind::ALL {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for fs in kind.fields() {
                for h in std::iter::once(&fs.header).chain(fs.aliases.iter()) {
                    let k = header_key(h).0;
                    if let Some(prev) = seen.insert(k.clone(), fs.key) {
                        assert_eq!(prev, fs.key, "{kind:?}: header {h} ({k}) is ambiguous");
                    }
                }
            }
        }
    }

    #[test]
    fn form_fields_are_the_handed_out_form() {
        assert_eq!(
            TableKind::Projects.form_fields().last().unwrap().key,
            "next_steps"
        );
        assert_eq!(
            TableKind::Milestones.form_fields().last().unwrap().key,
            "qty_unit"
        );
        assert_eq!(
            TableKind::Attraction.form_fields().len(),
            TableKind::Attraction.fields().len()
        );
    }

    #[test]
    fn label_strips_unit() {
        assert_eq!(PROJECT_FIELDS[6].label(), "总投资");
        assert_eq!(PROJECT_FIELDS[0].label(), "项目编号");
    }
}
