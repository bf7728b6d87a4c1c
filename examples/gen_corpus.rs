//! A deterministic corpus for the scale benchmark: a work folder with a roster,
//! one canonical submission per unit (FORMS.md §2: 重点项目, 节点计划, 招商引资 on
//! three sheets, title and note rows above each header, realistic Chinese text,
//! figures that pass every rule) and a `diaodu.toml` with the period.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --units 2000 --projects 100 --milestones 3 --out /tmp/corpus
//! diaodu run /tmp/corpus --force
//! ```
//!
//! Options: `--units N` (default 60), `--projects N` per unit (100), `--milestones N`
//! per project (3), `--attraction N` rows per unit (projects / 5), `--missing PCT` of
//! the roster that submits nothing (2.5), `--period YYYY-MM` (2026-05), `--seed N`,
//! `--out DIR` (required). The same options give the same bytes: a tiny PRNG, no clock,
//! a fixed document creation date.
//!
//! The tests include this file as a module (`tests/scale.rs`) and call [`generate`].

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub units: usize,
    pub projects: usize,
    pub milestones: usize,
    pub attraction: usize,
    /// Per mille of the roster that submits nothing (F01).
    pub missing_permille: u64,
    pub year: i32,
    pub month: u32,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            units: 60,
            projects: 100,
            milestones: 3,
            attraction: 20,
            missing_permille: 25,
            year: 2026,
            month: 5,
            seed: 20260531,
        }
    }
}

/// What was generated: the data rows written, per table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub projects: usize,
    pub milestones: usize,
    pub attraction: usize,
}

impl Stats {
    pub fn rows(&self) -> usize {
        self.projects + self.milestones + self.attraction
    }
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// [0, 1)
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// An amount in 万元 with two decimals, in [lo, hi).
    fn amount(&mut self, lo: f64, hi: f64) -> f64 {
        round2(lo + (hi - lo) * self.unit())
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

const COUNTIES: &[&str] = &[
    "宁陵", "柘城", "永城", "夏邑", "虞城", "民权", "睢县", "襄城", "郏县", "宝丰", "鲁山", "叶县",
    "舞阳", "临颍", "鄢陵", "长葛", "禹州", "汝州", "新安", "宜阳", "洛宁", "嵩县", "栾川", "汝阳",
    "伊川", "偃师", "孟津", "登封", "新密", "荥阳", "中牟", "巩义", "尉氏", "通许", "杞县", "兰考",
    "封丘", "延津", "原阳", "获嘉", "辉县", "卫辉", "淇县", "浚县", "滑县", "内黄", "汤阴", "林州",
];
const TOWNS: &[&str] = &[
    "城关", "河口", "东湖", "西关", "南湖", "北岗", "石桥", "杨集", "李庄", "王店", "张湾", "刘寨",
    "陈集", "赵楼", "孙庙", "周营", "吴岗", "郑桥", "冯庄", "高店", "马头", "黄河", "青龙", "白沙",
    "长乐", "永安", "太平", "兴隆", "龙泉", "凤凰",
];
const TOWN_KINDS: &[&str] = &["镇", "镇", "镇", "乡", "街道"];
const DEPTS: &[&str] = &[
    "发展和改革委员会",
    "交通运输局",
    "住房和城乡建设局",
    "工业和信息化局",
    "农业农村局",
    "水利局",
    "文化广电和旅游局",
    "教育体育局",
    "卫生健康委员会",
    "商务局",
    "自然资源局",
    "城市管理局",
    "民政局",
    "应急管理局",
    "生态环境分局",
    "市场监督管理局",
    "林业局",
    "供销合作社",
    "产业集聚区管委会",
    "投资集团",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: &[&str] = &[
    "建国", "卫东", "志强", "海燕", "丽华", "国庆", "红梅", "振华", "秀英", "明", "伟", "军", "静",
    "晓东", "春生", "玉兰",
];
const PLACES: &[&str] = &[
    "城南",
    "城北",
    "东区",
    "西区",
    "滨河",
    "高新区",
    "产业园",
    "老城",
    "新区",
    "沿黄",
    "工业园",
    "物流园",
];
const THINGS: &[(&str, &str)] = &[
    ("年产10万吨新型建材", "工业"),
    ("智能装备制造产业园", "工业"),
    ("新能源电池组件生产线", "工业"),
    ("食品精深加工", "工业"),
    ("纺织服装产业园标准化厂房", "工业"),
    ("县乡道路提质改造", "基础设施"),
    ("污水处理厂提标扩建", "基础设施"),
    ("城区供热管网改造", "基础设施"),
    ("5G基站及配套设施建设", "基础设施"),
    ("老旧小区改造", "社会事业"),
    ("人民医院门诊综合楼", "社会事业"),
    ("第三高级中学新建", "社会事业"),
    ("养老服务中心", "社会事业"),
    ("高标准农田建设", "农业"),
    ("现代农业产业园", "农业"),
    ("冷链物流仓储中心", "农业"),
    ("乡村旅游示范区", "文旅"),
    ("历史文化街区保护利用", "文旅"),
    ("湿地公园提升改造", "文旅"),
    ("全民健身中心", "文旅"),
];
const PROGRESS: &[&str] = &[
    "完成土方开挖,正在进行基础施工",
    "主体结构施工至三层",
    "主体封顶,正在进行二次结构和安装",
    "设备采购完成,正在安装调试",
    "完成招标,施工单位已进场",
    "正在办理用地和规划手续",
    "完成可研批复,正在进行初步设计",
    "路基工程完成80%",
    "管网铺设完成12公里",
    "室外配套工程收尾",
];
const PROBLEMS: &[&str] = &[
    "",
    "",
    "",
    "用地指标尚未落实",
    "配套资金到位滞后",
    "征迁工作进展缓慢",
    "环评审批时间较长",
    "受雨季影响施工进度",
];
const NEXT: &[&str] = &[
    "加快施工进度,确保按期完成年度目标",
    "协调自然资源部门加快用地报批",
    "积极争取专项债券资金",
    "倒排工期,挂图作战",
    "加强现场安全和质量管理",
];
const MILESTONES: &[(&str, &str)] = &[
    ("完成用地审批", "亩"),
    ("开工", "项"),
    ("主体完工", "平方米"),
    ("设备安装调试", "台"),
    ("投产", "项"),
    ("竣工验收", "项"),
];
const INVESTORS: &[&str] = &[
    "河南中原实业集团有限公司",
    "深圳市华创科技有限公司",
    "江苏恒信新材料股份有限公司",
    "浙江宏远控股集团",
    "上海东方供应链管理有限公司",
    "北京京城建设投资有限公司",
    "香港嘉华国际投资有限公司",
    "郑州豫商产业发展有限公司",
    "山东鲁信农业科技有限公司",
    "广州南粤食品有限公司",
];
const SOURCES: &[&str] = &["县外市内", "市外省内", "省外", "境外"];
const STAGES: &[&str] = &["洽谈", "签约", "签约", "开工", "开工", "投产"];

/// A roster unit.
struct Unit {
    name: String,
    kind: &'static str,
    leader: String,
    submits: bool,
}

fn units(o: &Options, rng: &mut Rng) -> Vec<Unit> {
    // 50 units per county: 30 townships, 20 departments.
    (0..o.units)
        .map(|i| {
            let county = COUNTIES[(i / 50) % COUNTIES.len()];
            let round = i / (50 * COUNTIES.len());
            let suffix = if round == 0 {
                String::new()
            } else {
                format!("{}", round + 1)
            };
            let j = i % 50;
            let (name, kind) = if j < 30 {
                (
                    format!(
                        "{county}县{}{}{suffix}",
                        TOWNS[j],
                        TOWN_KINDS[j % TOWN_KINDS.len()]
                    ),
                    "乡镇",
                )
            } else {
                (format!("{county}县{}{suffix}", DEPTS[j - 30]), "部门")
            };
            let leader = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
            let submits = rng.below(1000) as u64 >= o.missing_permille;
            Unit {
                name,
                kind,
                leader,
                submits,
            }
        })
        .collect()
}

fn excel_date(d: NaiveDate) -> ExcelDateTime {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
        .expect("date in Excel's range")
}

/// The fixed creation date, so that the same options give the same bytes.
fn new_workbook() -> Workbook {
    let mut wb = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2026, 6, 1)
        .expect("date")
        .and_hms_opt(8, 0, 0)
        .expect("time");
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("diaodu gen_corpus"),
    );
    wb
}

struct Fmts {
    title: Format,
    header: Format,
    date: Format,
    money: Format,
}

fn fmts() -> Fmts {
    Fmts {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
        header: Format::new().set_bold().set_text_wrap(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        money: Format::new().set_num_format("#,##0.00"),
    }
}

/// Title, note and header rows; returns the first data row.
fn head(
    ws: &mut Worksheet,
    f: &Fmts,
    title: &str,
    note: &str,
    headers: &[&str],
) -> Result<u32, rust_xlsxwriter::XlsxError> {
    ws.merge_range(0, 0, 0, headers.len() as u16 - 1, title, &f.title)?;
    ws.write_string(1, 0, note)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, if c < 2 { 24 } else { 14 })?;
    }
    Ok(3)
}

const PROJECT_HEADERS: &[&str] = &[
    "项目编号",
    "项目名称",
    "责任单位",
    "包抓领导",
    "项目类别",
    "行业领域",
    "总投资(万元)",
    "年度计划投资(万元)",
    "本月完成投资(万元)",
    "累计完成投资(万元)",
    "计划开工日期",
    "实际开工日期",
    "计划竣工日期",
    "实际竣工日期",
    "形象进度",
    "存在问题",
    "下步措施",
];
const MILESTONE_HEADERS: &[&str] = &[
    "项目编号",
    "节点名称",
    "计划完成日期",
    "实际完成日期",
    "计划工程量",
    "完成工程量",
    "计量单位",
];
const ATTRACTION_HEADERS: &[&str] = &[
    "项目名称",
    "引资单位",
    "投资方",
    "资金来源",
    "进展阶段",
    "签约日期",
    "合同金额(万元)",
    "本月到位资金(万元)",
    "累计到位资金(万元)",
];

/// A date `days` after `d` (may be negative).
fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    d + chrono::Duration::days(days)
}

/// What one submission holds: rows written, and the sums the unit's targets
/// are set from.
struct Written {
    projects: usize,
    milestones: usize,
    attraction: usize,
    annual_plan: f64,
    ytd_funds: f64,
}

/// One unit's submission.
fn submission(
    o: &Options,
    rng: &mut Rng,
    ui: usize,
    unit: &Unit,
    path: &Path,
) -> Result<Written, rust_xlsxwriter::XlsxError> {
    let f = fmts();
    let mut plan_sum = 0.0;
    let mut funds_sum = 0.0;
    let end = month_end(o.year, o.month);
    let jan1 = NaiveDate::from_ymd_opt(o.year, 1, 1).expect("date");
    let months = o.month as f64;
    let note = format!(
        "填报单位:{}  填报日期:{}年{}月{}日  单位:万元",
        unit.name,
        plus(end, 3).year(),
        plus(end, 3).month(),
        plus(end, 3).day()
    );
    let mut wb = new_workbook();

    // 重点项目
    let ws = wb.add_worksheet();
    ws.set_name("重点项目")?;
    let top = head(
        ws,
        &f,
        &format!(
            "{}重点项目建设进度月报表({}年{}月)",
            unit.name, o.year, o.month
        ),
        &note,
        PROJECT_HEADERS,
    )?;
    let mut ms_rows: Vec<(String, NaiveDate, NaiveDate)> = Vec::with_capacity(o.projects);
    for k in 0..o.projects {
        let r = top + k as u32;
        let id = format!("XM{}-{:05}-{:03}", o.year, ui + 1, k + 1);
        let (thing, sector) = THINGS[rng.below(THINGS.len())];
        let name = format!(
            "{}{}{}",
            rng.pick(PLACES),
            thing,
            ["", "(一期)", "(二期)"][rng.below(3)]
        );
        let cat = ["新建", "续建", "续建", "续建", "前期"][rng.below(5)];
        let total = rng.amount(500.0, 120_000.0);
        let plan = round2(total * (0.15 + 0.5 * rng.unit()));
        plan_sum += plan;
        let (pstart, astart) = match cat {
            "续建" => {
                let s = plus(jan1, -(30 + rng.below(700) as i64));
                (Some(s), Some(plus(s, rng.below(30) as i64)))
            }
            "新建" => {
                let s = plus(jan1, rng.below(330) as i64);
                let started = s <= end && rng.chance(0.8);
                (
                    Some(s),
                    started.then(|| plus(s, rng.below(20) as i64).min(end)),
                )
            }
            _ => (
                rng.chance(0.5)
                    .then(|| plus(end, 30 + rng.below(300) as i64)),
                None,
            ),
        };
        let ytd = match astart {
            Some(_) => round2(plan * (months / 12.0) * (0.4 + 0.9 * rng.unit())).min(total),
            None => 0.0,
        };
        let month = if ytd > 0.0 {
            round2(ytd * (0.05 + 0.3 * rng.unit())).min(ytd)
        } else {
            0.0
        };
        let pfinish = pstart.map(|s| plus(s, 180 + rng.below(900) as i64));
        let afinish = match (astart, pfinish) {
            (Some(a), Some(pf)) if pf <= end && rng.chance(0.6) => Some(pf.max(a)),
            _ => None,
        };
        let leader = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
        ws.write_string(r, 0, &id)?;
        ws.write_string(r, 1, &name)?;
        ws.write_string(r, 2, &unit.name)?;
        ws.write_string(r, 3, &leader)?;
        ws.write_string(r, 4, cat)?;
        ws.write_string(r, 5, sector)?;
        for (c, v) in [(6, total), (7, plan), (8, month), (9, ytd)] {
            ws.write_number_with_format(r, c, v, &f.money)?;
        }
        for (c, d) in [(10, pstart), (11, astart), (12, pfinish), (13, afinish)] {
            if let Some(d) = d {
                ws.write_datetime_with_format(r, c, excel_date(d), &f.date)?;
            }
        }
        if astart.is_some() {
            ws.write_string(r, 14, rng.pick(PROGRESS))?;
        } else {
            ws.write_string(r, 14, "正在开展前期工作")?;
        }
        let p = rng.pick(PROBLEMS);
        if !p.is_empty() {
            ws.write_string(r, 15, p)?;
        }
        ws.write_string(r, 16, rng.pick(NEXT))?;
        let base = pstart.unwrap_or(plus(end, 60));
        ms_rows.push((id, base, end));
    }
    let n_projects = o.projects;

    // 节点计划
    let ws = wb.add_worksheet();
    ws.set_name("节点计划")?;
    let mut r = head(
        ws,
        &f,
        &format!("{}重点项目节点计划表", unit.name),
        &note,
        MILESTONE_HEADERS,
    )?;
    let mut n_ms = 0;
    for (id, base, end) in &ms_rows {
        let mut planned = plus(*base, -(rng.below(60) as i64));
        for m in 0..o.milestones {
            let (mname, qunit) = MILESTONES[m % MILESTONES.len()];
            let mname = if m < MILESTONES.len() {
                mname.to_string()
            } else {
                format!("{mname}({})", m / MILESTONES.len() + 1)
            };
            planned = plus(planned, 30 + rng.below(150) as i64);
            let actual = (planned <= *end && rng.chance(0.92))
                .then(|| plus(planned, rng.below(20) as i64).min(*end));
            let qty = (10 + rng.below(990)) as f64;
            ws.write_string(r, 0, id)?;
            ws.write_string(r, 1, &mname)?;
            ws.write_datetime_with_format(r, 2, excel_date(planned), &f.date)?;
            if let Some(a) = actual {
                ws.write_datetime_with_format(r, 3, excel_date(a), &f.date)?;
            }
            ws.write_number(r, 4, qty)?;
            let done = if actual.is_some() {
                qty
            } else {
                (qty * rng.unit() * 0.8).round()
            };
            ws.write_number(r, 5, done)?;
            ws.write_string(r, 6, qunit)?;
            r += 1;
            n_ms += 1;
        }
    }

    // 招商引资
    let ws = wb.add_worksheet();
    ws.set_name("招商引资")?;
    let top = head(
        ws,
        &f,
        &format!("{}招商引资项目进展情况表", unit.name),
        &note,
        ATTRACTION_HEADERS,
    )?;
    for i in 0..o.attraction {
        let r = top + i as u32;
        let (thing, _) = THINGS[rng.below(THINGS.len())];
        let stage = rng.pick(STAGES);
        let contract = rng.amount(1000.0, 80_000.0);
        let ytd = if stage == "洽谈" {
            0.0
        } else {
            round2(contract * 0.5 * rng.unit())
        };
        let month = round2(ytd * 0.3 * rng.unit());
        funds_sum += ytd;
        ws.write_string(r, 0, format!("{}{}", rng.pick(PLACES), thing))?;
        ws.write_string(r, 1, &unit.name)?;
        ws.write_string(r, 2, rng.pick(INVESTORS))?;
        ws.write_string(r, 3, rng.pick(SOURCES))?;
        ws.write_string(r, 4, stage)?;
        if stage != "洽谈" {
            let signed = plus(jan1, rng.below(120) as i64 - 300).min(end);
            ws.write_datetime_with_format(r, 5, excel_date(signed), &f.date)?;
        }
        ws.write_number_with_format(r, 6, contract, &f.money)?;
        ws.write_number_with_format(r, 7, month, &f.money)?;
        ws.write_number_with_format(r, 8, ytd, &f.money)?;
    }
    wb.save(path)?;
    Ok(Written {
        projects: n_projects,
        milestones: n_ms,
        attraction: o.attraction,
        annual_plan: plan_sum,
        ytd_funds: funds_sum,
    })
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("date") - chrono::Duration::days(1)
}

fn roster(
    units: &[Unit],
    targets: &[(f64, f64)],
    path: &Path,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut wb = new_workbook();
    let f = fmts();
    let ws = wb.add_worksheet();
    ws.set_name("单位目标")?;
    let headers = [
        "单位名称",
        "单位类别",
        "包抓领导",
        "年度投资目标(万元)",
        "年度招商引资目标(万元)",
        "别名",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    for (i, u) in units.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &u.name)?;
        ws.write_string(r, 1, u.kind)?;
        ws.write_string(r, 2, &u.leader)?;
        ws.write_number(r, 3, targets[i].0.round())?;
        ws.write_number(r, 4, targets[i].1.round())?;
    }
    wb.save(path)
}

/// Write the work folder `out` (roster.xlsx, inbox/, diaodu.toml).
pub fn generate(o: &Options, out: &Path) -> Result<Stats, Box<dyn std::error::Error>> {
    let inbox = out.join("inbox");
    std::fs::create_dir_all(&inbox)?;
    let mut rng = Rng::new(o.seed);
    let units = units(o, &mut rng);
    let mut stats = Stats::default();
    // Targets near what the unit's projects plan for the year and what its
    // attraction brings in, so that rates, ranks and flags look like a real
    // month's: most units around the time progress, some behind.
    let progress = o.month as f64 / 12.0;
    let mut targets = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        // About a quarter of the plan is not started, so a target of 0.5-0.85 of the
        // plan puts completion around the time progress.
        let spread = 0.5 + 0.35 * rng.unit();
        if !u.submits {
            let plan = o.projects as f64 * 15_000.0;
            targets.push((plan * spread, o.attraction as f64 * 20_000.0));
            continue;
        }
        // Each file from its own stream, so one unit's draws do not shift another's.
        let mut frng = Rng::new(o.seed.wrapping_mul(31).wrapping_add(i as u64 + 1));
        let w = submission(o, &mut frng, i, u, &inbox.join(format!("{}.xlsx", u.name)))?;
        stats.files += 1;
        stats.projects += w.projects;
        stats.milestones += w.milestones;
        stats.attraction += w.attraction;
        targets.push((
            w.annual_plan * spread,
            (w.ytd_funds / progress * (0.7 + 0.6 * rng.unit())).max(1000.0),
        ));
    }
    roster(&units, &targets, &out.join("roster.xlsx"))?;
    std::fs::write(
        out.join("diaodu.toml"),
        format!(
            "# Generated by `cargo run --release --example gen_corpus`.\nperiod = \"{}-{:02}\"\n",
            o.year, o.month
        ),
    )?;
    Ok(stats)
}

#[allow(dead_code)]
fn main() {
    let mut o = Options::default();
    let mut out: Option<PathBuf> = None;
    let mut attraction: Option<usize> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    let usage = "usage: gen_corpus --out DIR [--units N] [--projects N] [--milestones N] [--attraction N] [--missing PCT] [--period YYYY-MM] [--seed N]";
    while let Some(a) = it.next() {
        let mut val = || {
            it.next().cloned().unwrap_or_else(|| {
                eprintln!("{a}: missing value\n{usage}");
                std::process::exit(2)
            })
        };
        let num = |s: String| -> u64 {
            s.parse().unwrap_or_else(|_| {
                eprintln!("not a number: {s}\n{usage}");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--units" => o.units = num(val()) as usize,
            "--projects" => o.projects = num(val()) as usize,
            "--milestones" => o.milestones = num(val()) as usize,
            "--attraction" => attraction = Some(num(val()) as usize),
            "--seed" => o.seed = num(val()),
            "--missing" => {
                let v = val();
                o.missing_permille = (v.parse::<f64>().unwrap_or_else(|_| {
                    eprintln!("not a number: {v}");
                    std::process::exit(2)
                }) * 10.0)
                    .round() as u64;
            }
            "--period" => {
                let v = val();
                let (y, m) = v.split_once('-').unwrap_or(("", ""));
                match (y.parse(), m.parse()) {
                    (Ok(y), Ok(m)) if (1..=12).contains(&m) => {
                        o.year = y;
                        o.month = m;
                    }
                    _ => {
                        eprintln!("bad period {v}: use YYYY-MM");
                        std::process::exit(2)
                    }
                }
            }
            "--out" => out = Some(PathBuf::from(val())),
            "-h" | "--help" => {
                println!("{usage}");
                return;
            }
            other => {
                eprintln!("unknown argument {other}\n{usage}");
                std::process::exit(2)
            }
        }
    }
    o.attraction = attraction.unwrap_or(o.projects / 5);
    let Some(out) = out else {
        eprintln!("{usage}");
        std::process::exit(2)
    };
    let t = std::time::Instant::now();
    match generate(&o, &out) {
        Ok(s) => println!(
            "{}: {} units, {} files, {} rows (projects {}, milestones {}, attraction {}) in {:.1} s",
            out.display(),
            o.units,
            s.files,
            s.rows(),
            s.projects,
            s.milestones,
            s.attraction,
            t.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(1)
        }
    }
}
