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

    /// The field of this table whose key is `key`, if it has one: for keys
    /// that are data (a finding's field, forms.toml). Code names a field by
    /// its const ([`project`], [`milestone`], [`attraction`]).
    pub fn field_by_key(self, key: &str) -> Option<Field> {
        self.fields()
            .iter()
            .position(|f| f.key == key)
            .map(|index| Field { table: self, index })
    }

    /// The field at `index` among `fields()`, if there is one: for code that
    /// walks the fields (a header's columns, a row's values).
    pub fn field_at(self, index: usize) -> Option<Field> {
        (index < self.fields().len()).then_some(Field { table: self, index })
    }

    /// The table's 项目编号 (the row's identity, §9.3), if it has one.
    pub fn id_field(self) -> Option<Field> {
        match self {
            TableKind::Projects => Some(project::PROJECT_ID),
            TableKind::Milestones => Some(milestone::PROJECT_ID),
            TableKind::Attraction => None,
        }
    }

    /// The table's 责任单位 / 引资单位, if it has one (a milestone counts for
    /// its project's unit).
    pub fn unit_field(self) -> Option<Field> {
        match self {
            TableKind::Projects => Some(project::UNIT),
            TableKind::Milestones => None,
            TableKind::Attraction => Some(attraction::UNIT),
        }
    }

    /// The table's 项目名称.
    pub fn name_field(self) -> Field {
        match self {
            TableKind::Projects => project::PROJECT_NAME,
            TableKind::Milestones => milestone::PROJECT_NAME,
            TableKind::Attraction => attraction::PROJECT_NAME,
        }
    }

    /// Fields whose presence in a header row identifies this table: a header
    /// row is taken for a table when, of every group, at least one field maps
    /// (see `ingest::header`). A projects table needs no 项目编号 (§9.3) but
    /// then an amount of this year beside its 总投资.
    pub fn signature(self) -> &'static [&'static [usize]] {
        const PROJECTS: &[&[usize]] = &[
            &[project::PROJECT_NAME.index()],
            &[project::TOTAL_INVEST.index()],
            &[
                project::PROJECT_ID.index(),
                project::ANNUAL_PLAN.index(),
                project::YTD_DONE.index(),
                project::MONTH_DONE.index(),
            ],
        ];
        const MILESTONES: &[&[usize]] = &[
            &[
                milestone::PROJECT_ID.index(),
                milestone::PROJECT_NAME.index(),
            ],
            &[milestone::MILESTONE.index()],
            &[milestone::PLANNED_DATE.index()],
        ];
        const ATTRACTION: &[&[usize]] = &[
            &[attraction::PROJECT_NAME.index()],
            &[attraction::STAGE.index()],
            &[attraction::YTD_FUNDS.index()],
        ];
        match self {
            TableKind::Projects => PROJECTS,
            TableKind::Milestones => MILESTONES,
            TableKind::Attraction => ATTRACTION,
        }
    }
}

/// One field of one submission table: a value the compiler checks, where a
/// key string would be looked up (and could be mistyped) at run time. The
/// consts of [`project`], [`milestone`] and [`attraction`] are every field;
/// a test holds each to its key and place in `fields()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Field {
    table: TableKind,
    index: usize,
}

impl Field {
    const fn new(table: TableKind, index: usize) -> Field {
        Field { table, index }
    }

    pub const fn table(self) -> TableKind {
        self.table
    }

    /// The field's position among its table's `fields()` (and a record's values).
    pub const fn index(self) -> usize {
        self.index
    }

    pub fn spec(self) -> &'static FieldSpec {
        &self.table.fields()[self.index]
    }

    /// The English key (docs/forms.md §2), also the JSON key and the DataFrame column.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The canonical header without the unit suffix.
    pub fn label(self) -> &'static str {
        self.spec().label()
    }
}

/// The fields of 重点项目, in the order of [`PROJECT_FIELDS`].
pub mod project {
    use super::{Field, TableKind::Projects};
    pub const PROJECT_ID: Field = Field::new(Projects, 0);
    pub const PROJECT_NAME: Field = Field::new(Projects, 1);
    pub const UNIT: Field = Field::new(Projects, 2);
    pub const LEADER: Field = Field::new(Projects, 3);
    pub const CATEGORY: Field = Field::new(Projects, 4);
    pub const SECTOR: Field = Field::new(Projects, 5);
    pub const TOTAL_INVEST: Field = Field::new(Projects, 6);
    pub const ANNUAL_PLAN: Field = Field::new(Projects, 7);
    pub const MONTH_DONE: Field = Field::new(Projects, 8);
    pub const YTD_DONE: Field = Field::new(Projects, 9);
    pub const PLANNED_START: Field = Field::new(Projects, 10);
    pub const ACTUAL_START: Field = Field::new(Projects, 11);
    pub const PLANNED_FINISH: Field = Field::new(Projects, 12);
    pub const ACTUAL_FINISH: Field = Field::new(Projects, 13);
    pub const PROGRESS_NOTE: Field = Field::new(Projects, 14);
    pub const PROBLEMS: Field = Field::new(Projects, 15);
    pub const NEXT_STEPS: Field = Field::new(Projects, 16);
    pub const STARTED: Field = Field::new(Projects, 17);
    /// Every field, in order.
    pub const ALL: [Field; 18] = [
        PROJECT_ID,
        PROJECT_NAME,
        UNIT,
        LEADER,
        CATEGORY,
        SECTOR,
        TOTAL_INVEST,
        ANNUAL_PLAN,
        MONTH_DONE,
        YTD_DONE,
        PLANNED_START,
        ACTUAL_START,
        PLANNED_FINISH,
        ACTUAL_FINISH,
        PROGRESS_NOTE,
        PROBLEMS,
        NEXT_STEPS,
        STARTED,
    ];
}

/// The fields of 节点计划, in the order of [`MILESTONE_FIELDS`].
pub mod milestone {
    use super::{Field, TableKind::Milestones};
    pub const PROJECT_ID: Field = Field::new(Milestones, 0);
    pub const MILESTONE: Field = Field::new(Milestones, 1);
    pub const PLANNED_DATE: Field = Field::new(Milestones, 2);
    pub const ACTUAL_DATE: Field = Field::new(Milestones, 3);
    pub const PLANNED_QTY: Field = Field::new(Milestones, 4);
    pub const DONE_QTY: Field = Field::new(Milestones, 5);
    pub const QTY_UNIT: Field = Field::new(Milestones, 6);
    pub const PROJECT_NAME: Field = Field::new(Milestones, 7);
    /// Every field, in order.
    pub const ALL: [Field; 8] = [
        PROJECT_ID,
        MILESTONE,
        PLANNED_DATE,
        ACTUAL_DATE,
        PLANNED_QTY,
        DONE_QTY,
        QTY_UNIT,
        PROJECT_NAME,
    ];
}

/// The fields of 招商引资, in the order of [`ATTRACTION_FIELDS`].
pub mod attraction {
    use super::{Field, TableKind::Attraction};
    pub const PROJECT_NAME: Field = Field::new(Attraction, 0);
    pub const UNIT: Field = Field::new(Attraction, 1);
    pub const INVESTOR: Field = Field::new(Attraction, 2);
    pub const SOURCE: Field = Field::new(Attraction, 3);
    pub const STAGE: Field = Field::new(Attraction, 4);
    pub const SIGNED_DATE: Field = Field::new(Attraction, 5);
    pub const CONTRACT_AMOUNT: Field = Field::new(Attraction, 6);
    pub const MONTH_FUNDS: Field = Field::new(Attraction, 7);
    pub const YTD_FUNDS: Field = Field::new(Attraction, 8);
    /// Every field, in order.
    pub const ALL: [Field; 9] = [
        PROJECT_NAME,
        UNIT,
        INVESTOR,
        SOURCE,
        STAGE,
        SIGNED_DATE,
        CONTRACT_AMOUNT,
        MONTH_FUNDS,
        YTD_FUNDS,
    ];
}

/// The positions of the roster's fields among [`ROSTER_FIELDS`] (the roster
/// is no submission table, so its fields are places, not [`Field`]s).
pub mod roster {
    pub const UNIT: usize = 0;
    pub const UNIT_KIND: usize = 1;
    pub const LEADER: usize = 2;
    pub const INVEST_TARGET: usize = 3;
    pub const ATTRACT_TARGET: usize = 4;
    pub const ALIASES: usize = 5;
    /// Of every group, one must map for a header row to be the roster's.
    pub const SIGNATURE: &[&[usize]] =
        &[&[UNIT], &[UNIT_KIND], &[INVEST_TARGET], &[ATTRACT_TARGET]];
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
pub const PERIOD_HEADERS: &[(Field, &str)] = &[
    (project::ANNUAL_PLAN, "{y}年计划投资"),
    (project::ANNUAL_PLAN, "{y}年计划完成投资"),
    (project::ANNUAL_PLAN, "{y}年度计划投资"),
    (project::ANNUAL_PLAN, "{y}年投资计划"),
    (project::ANNUAL_PLAN, "{y}年计划投资额"),
    (project::ANNUAL_PLAN, "{y}年度计划投资额"),
    (project::ANNUAL_PLAN, "{y}年计划完成投资额"),
    (project::ANNUAL_PLAN, "{y}年度投资计划"),
    (project::ANNUAL_PLAN, "{y}年度计划"),
    (project::MONTH_DONE, "{m}月完成投资"),
    (project::MONTH_DONE, "{m}月份完成投资"),
    (project::MONTH_DONE, "{m}月完成投资额"),
    (project::MONTH_DONE, "{m}月完成"),
    (project::MONTH_DONE, "{m}月份完成"),
    (project::YTD_DONE, "1-{m}月完成投资"),
    (project::YTD_DONE, "1-{m}月累计完成投资"),
    (project::YTD_DONE, "1-{m}月完成投资额"),
    (project::YTD_DONE, "1-{m}月已完成投资"),
    (project::YTD_DONE, "1-{m}月完成"),
    (project::YTD_DONE, "1-{m}月累计完成"),
    (project::YTD_DONE, "1-{m}月累计"),
    (project::YTD_DONE, "{y}年1-{m}月完成投资"),
    (project::YTD_DONE, "{y}年1-{m}月累计完成投资"),
    (project::YTD_DONE, "{y}年累计完成投资"),
    (project::YTD_DONE, "{y}年完成投资"),
    (project::PROGRESS_NOTE, "{m}月进展情况"),
    (project::PROGRESS_NOTE, "{m}月份进展情况"),
    (project::PROGRESS_NOTE, "{m}月形象进度"),
    (attraction::MONTH_FUNDS, "{m}月到位资金"),
    (attraction::MONTH_FUNDS, "{m}月份到位资金"),
    (attraction::YTD_FUNDS, "1-{m}月到位资金"),
    (attraction::YTD_FUNDS, "1-{m}月累计到位资金"),
    (attraction::YTD_FUNDS, "1-{m}月到位"),
    (attraction::YTD_FUNDS, "1-{m}月累计到位"),
    (attraction::MONTH_FUNDS, "{m}月到位"),
    (attraction::YTD_FUNDS, "{y}年累计到位资金"),
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

    /// Every field const names the field at its place in `fields()`, and
    /// every field of a table has its const, in order.
    #[test]
    fn field_consts_match_fields() {
        let expect: [(&str, &[&str]); 3] = [
            (
                "projects",
                &[
                    "PROJECT_ID",
                    "PROJECT_NAME",
                    "UNIT",
                    "LEADER",
                    "CATEGORY",
                    "SECTOR",
                    "TOTAL_INVEST",
                    "ANNUAL_PLAN",
                    "MONTH_DONE",
                    "YTD_DONE",
                    "PLANNED_START",
                    "ACTUAL_START",
                    "PLANNED_FINISH",
                    "ACTUAL_FINISH",
                    "PROGRESS_NOTE",
                    "PROBLEMS",
                    "NEXT_STEPS",
                    "STARTED",
                ],
            ),
            (
                "milestones",
                &[
                    "PROJECT_ID",
                    "MILESTONE",
                    "PLANNED_DATE",
                    "ACTUAL_DATE",
                    "PLANNED_QTY",
                    "DONE_QTY",
                    "QTY_UNIT",
                    "PROJECT_NAME",
                ],
            ),
            (
                "attraction",
                &[
                    "PROJECT_NAME",
                    "UNIT",
                    "INVESTOR",
                    "SOURCE",
                    "STAGE",
                    "SIGNED_DATE",
                    "CONTRACT_AMOUNT",
                    "MONTH_FUNDS",
                    "YTD_FUNDS",
                ],
            ),
        ];
        let all: [&[Field]; 3] = [&project::ALL, &milestone::ALL, &attraction::ALL];
        for ((kind, consts), (key, names)) in TableKind::ALL.into_iter().zip(all).zip(expect) {
            assert_eq!(kind.key(), key);
            assert_eq!(consts.len(), kind.fields().len(), "{kind:?}");
            for (i, (f, name)) in consts.iter().zip(names).enumerate() {
                assert_eq!(f.table(), kind);
                assert_eq!(f.index(), i, "{kind:?} {name}");
                assert_eq!(f.key(), kind.fields()[i].key, "{kind:?} {name}");
                assert_eq!(f.key().to_uppercase(), *name, "{kind:?} {name}");
                assert_eq!(kind.field_by_key(f.key()), Some(*f));
                assert_eq!(kind.field_at(i), Some(*f));
            }
        }
        let r = [
            (roster::UNIT, "unit"),
            (roster::UNIT_KIND, "unit_kind"),
            (roster::LEADER, "leader"),
            (roster::INVEST_TARGET, "invest_target"),
            (roster::ATTRACT_TARGET, "attract_target"),
            (roster::ALIASES, "aliases"),
        ];
        assert_eq!(r.len(), ROSTER_FIELDS.len());
        for (i, key) in r {
            assert_eq!(ROSTER_FIELDS[i].key, key);
        }
        for kind in TableKind::ALL {
            assert_eq!(kind.field_at(kind.fields().len()), None);
            assert_eq!(kind.name_field().key(), "project_name");
            assert_eq!(kind.id_field(), kind.field_by_key("project_id"));
            assert_eq!(kind.unit_field(), kind.field_by_key("unit"));
        }
    }

    #[test]
    fn label_strips_unit() {
        assert_eq!(PROJECT_FIELDS[6].label(), "总投资");
        assert_eq!(PROJECT_FIELDS[0].label(), "项目编号");
    }
}
