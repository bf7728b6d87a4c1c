//! make_own_form: writes the second demo work folder of diaodu (period 2026-10),
//! `samples/own-form/`: an office that keeps its OWN forms (FORMS.md §9), not the
//! template of §2.
//!
//! Run from the repository root:
//!
//! ```text
//! cargo run --release --example make_own_form            # writes samples/own-form
//! cargo run --release --example make_own_form -- OUT     # or another folder
//! ```
//!
//! Output (deterministic: every workbook has a fixed creation date):
//!
//! ```text
//! <out>/diaodu.toml  forms.toml  roster.xlsx
//! <out>/inbox/区重点项目台账_2026年10月.xlsx       the district's consolidated ledger
//!        河口镇_10月.xlsx                          a township's three-row-header report
//!        区交通局_2026年10月.xlsx                  a department's attraction and milestones
//!        东城开发区招商引资台账_2026年10月.xlsx    a zone's attraction ledger, section rows
//! ```
//!
//! The ledger is made in the style of a real district table (alzee__fgw/fuck.xls
//! of ../shared/real-forms): a title and 单位：万元 row, a two-row header with
//! quarter-plan groups, no 项目编号 and no 计划开工日期, 建设性质 and 是否开工 in
//! hidden columns, section rows (一、新建项目（9个）) giving the category to rows
//! that leave 建设性质 blank, one 责任单位 column naming seven units (some as
//! 指挥部 "办公室设在…", resolved through forms.toml), a 合计 row, a second sheet
//! repeating the table without its title and a hidden scratch sheet. All names
//! and figures are invented.

use chrono::{NaiveDate, TimeZone, Utc};
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::fs;
use std::path::{Path, PathBuf};

type R<T> = Result<T, Box<dyn std::error::Error>>;

const COUNTY: &str = "东川区";

// ---------------------------------------------------------------- cell values

/// One cell as written.
#[derive(Clone, Debug)]
enum V {
    /// nothing (a bordered blank inside a table)
    E,
    /// text
    S(String),
    /// an amount (#,##0 or #,##0.0)
    N(f64),
    /// a number in the General format (序号)
    G(f64),
    /// an Excel date cell
    D(NaiveDate),
}

fn s(x: &str) -> V {
    V::S(x.to_string())
}

fn text(x: &str) -> V {
    if x.is_empty() {
        V::E
    } else {
        s(x)
    }
}

fn d(x: &str) -> Option<NaiveDate> {
    if x.is_empty() {
        None
    } else {
        Some(NaiveDate::parse_from_str(x, "%Y-%m-%d").expect("date"))
    }
}

fn date(x: &str) -> V {
    d(x).map(V::D).unwrap_or(V::E)
}

fn opt_num(x: Option<f64>) -> V {
    x.map(V::N).unwrap_or(V::E)
}

// ---------------------------------------------------------------- writing

struct Fm {
    head: Format,
    title: Format,
    note: Format,
    section: Format,
    text: Format,
    wrap: Format,
    num: Format,
    date: Format,
    total: Format,
}

fn fm(date_fmt: &str) -> Fm {
    let b = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    Fm {
        head: b
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(0xE2EFDA)),
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        note: Format::new().set_align(FormatAlign::Left),
        section: b.clone().set_bold().set_align(FormatAlign::Left),
        text: b.clone(),
        wrap: b.clone().set_text_wrap(),
        num: b.clone().set_num_format("#,##0.##"),
        date: b.clone().set_num_format(date_fmt),
        total: b.set_bold().set_num_format("#,##0.##"),
    }
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: &V, f: &Fm) -> R<()> {
    match v {
        V::E => {
            ws.write_blank(r, c, &f.text)?;
        }
        V::S(x) if x.contains('\n') || x.chars().count() > 14 => {
            ws.write_string_with_format(r, c, x, &f.wrap)?;
        }
        V::S(x) => {
            ws.write_string_with_format(r, c, x, &f.text)?;
        }
        V::N(x) => {
            ws.write_number_with_format(r, c, *x, &f.num)?;
        }
        V::G(x) => {
            ws.write_number_with_format(r, c, *x, &f.text)?;
        }
        V::D(x) => {
            ws.write_datetime_with_format(r, c, x, &f.date)?;
        }
    }
    Ok(())
}

fn put_row(ws: &mut Worksheet, r: u32, row: &[V], f: &Fm) -> R<()> {
    for (c, v) in row.iter().enumerate() {
        put(ws, r, c as u16, v, f)?;
    }
    Ok(())
}

/// A line of text merged across `width` columns.
fn line(ws: &mut Worksheet, r: u32, width: usize, t: &str, f: &Format) -> R<()> {
    ws.merge_range(r, 0, r, (width - 1) as u16, t, f)?;
    Ok(())
}

/// A section row (一、新建项目（9个）): its text in the first two columns,
/// merged, the rest of the row bordered blanks.
fn section(ws: &mut Worksheet, r: u32, width: usize, t: &str, f: &Fm) -> R<()> {
    ws.merge_range(r, 0, r, 1, t, &f.section)?;
    for c in 2..width {
        ws.write_blank(r, c as u16, &f.text)?;
    }
    Ok(())
}

/// A header of one or two levels: (group, sub-header). A column with no sub-header
/// is merged down both rows; consecutive columns of one group share a merged
/// group cell over their sub-headers.
fn two_row_header(ws: &mut Worksheet, r: u32, cols: &[(&str, Option<&str>)], f: &Fm) -> R<()> {
    let mut c = 0;
    while c < cols.len() {
        let (top, sub) = cols[c];
        match sub {
            None => {
                ws.merge_range(r, c as u16, r + 1, c as u16, top, &f.head)?;
                c += 1;
            }
            Some(_) => {
                let mut e = c;
                while e + 1 < cols.len() && cols[e + 1].0 == top && cols[e + 1].1.is_some() {
                    e += 1;
                }
                if e > c {
                    ws.merge_range(r, c as u16, r, e as u16, top, &f.head)?;
                } else {
                    ws.write_string_with_format(r, c as u16, top, &f.head)?;
                }
                for (i, col) in cols.iter().enumerate().take(e + 1).skip(c) {
                    ws.write_string_with_format(r + 1, i as u16, col.1.unwrap(), &f.head)?;
                }
                c = e + 1;
            }
        }
    }
    ws.set_row_height(r, 24)?;
    ws.set_row_height(r + 1, 30)?;
    Ok(())
}

/// A new worksheet, printed landscape, one page wide (as the office prints them).
fn sheet(wb: &mut Workbook) -> &mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws
}

fn new_book() -> Workbook {
    let mut wb = Workbook::new();
    let created = Utc.with_ymd_and_hms(2026, 11, 2, 8, 30, 0).unwrap();
    let props = DocProperties::new()
        .set_creation_datetime(&created)
        .set_author("diaodu make_own_form");
    wb.set_properties(&props);
    wb
}

fn save(mut wb: Workbook, path: &Path) -> R<()> {
    wb.save(path)?;
    Ok(())
}

fn widths(ws: &mut Worksheet, w: &[f64]) -> R<()> {
    for (c, x) in w.iter().enumerate() {
        ws.set_column_width(c as u16, *x)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- roster

struct Unit {
    name: &'static str,
    kind: &'static str,
    leader: &'static str,
    invest: f64,
    attract: f64,
    aliases: &'static str,
}

fn roster() -> Vec<Unit> {
    let u = |name, kind, leader, invest, attract, aliases| Unit {
        name,
        kind,
        leader,
        invest,
        attract,
        aliases,
    };
    vec![
        u(
            "城关镇",
            "乡镇",
            "王建国 副区长",
            22000.0,
            6000.0,
            "城关镇人民政府",
        ),
        u(
            "河口镇",
            "乡镇",
            "李红梅 副区长",
            28000.0,
            6000.0,
            "河口镇人民政府",
        ),
        u(
            "柳林街道",
            "乡镇",
            "孙海涛 区委常委",
            18000.0,
            5000.0,
            "柳林街办；柳林街道办事处",
        ),
        u(
            "东城开发区",
            "乡镇",
            "周明远 区委副书记",
            140000.0,
            50000.0,
            "东城开发区管委会",
        ),
        u(
            "区住建局",
            "部门",
            "郑文华 副区长",
            57000.0,
            3000.0,
            "区住房和城乡建设局;住建局",
        ),
        u(
            "区交通局",
            "部门",
            "李红梅 副区长",
            45000.0,
            8000.0,
            "区交通运输局;交通局",
        ),
        u(
            "区水利局",
            "部门",
            "吴国庆 副区长",
            14000.0,
            0.0,
            "区水利湖泊局、水利局",
        ),
        u("区教育局", "部门", "何丽萍 副区长", 12000.0, 0.0, ""),
    ]
}

fn write_roster(path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let ws = sheet(&mut wb);
    ws.set_name("单位目标")?;
    let hdr = [
        "单位名称",
        "单位类别",
        "包抓领导",
        "年度投资目标(万元)",
        "年度招商引资目标(万元)",
        "别名",
    ];
    widths(ws, &[14.0, 10.0, 18.0, 16.0, 18.0, 30.0])?;
    let title = format!("{COUNTY}2026年度重点项目及招商引资目标任务表");
    line(ws, 0, hdr.len(), &title, &f.title)?;
    ws.set_row_height(0, 28)?;
    for (c, h) in hdr.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.head)?;
    }
    for (i, u) in roster().iter().enumerate() {
        let row = [
            s(u.name),
            s(u.kind),
            s(u.leader),
            V::N(u.invest),
            V::N(u.attract),
            text(u.aliases),
        ];
        put_row(ws, 2 + i as u32, &row, &f)?;
    }
    save(wb, path)
}

// ---------------------------------------------------------------- the ledger

/// One project of the office's ledger, as its cells are written.
struct Lp {
    name: &'static str,
    /// 层次 (省重点 / 市重点 / blank)
    level: &'static str,
    /// 包联领导
    leader: &'static str,
    /// 责任单位 as written (a roster name, an alias, or a 指挥部 of forms.toml)
    unit: &'static str,
    /// 手续代办单位
    agent: &'static str,
    total: f64,
    annual: f64,
    /// 年度建设任务
    task: &'static str,
    /// 建设性质 as written; blank: the section row gives it
    cat: &'static str,
    /// 是否开工 as written
    started: &'static str,
    /// 10月进展情况
    note: &'static str,
    /// 累计完成投资 (this year, to the end of October)
    ytd: f64,
    q3: (&'static str, f64),
    q4: (&'static str, f64),
}

#[allow(clippy::too_many_arguments)]
fn lp(
    name: &'static str,
    level: &'static str,
    leader: &'static str,
    unit: &'static str,
    agent: &'static str,
    (total, annual, ytd): (f64, f64, f64),
    cat: &'static str,
    started: &'static str,
    task: &'static str,
    note: &'static str,
    q3: (&'static str, f64),
    q4: (&'static str, f64),
) -> Lp {
    Lp {
        name,
        level,
        leader,
        unit,
        agent,
        total,
        annual,
        task,
        cat,
        started,
        note,
        ytd,
        q3,
        q4,
    }
}

/// The ledger's sections: (category word of the section title, its projects).
fn ledger() -> Vec<(&'static str, Vec<Lp>)> {
    let new = vec![
        lp(
            "华睿新能源汽车电机电控生产基地",
            "省重点",
            "周明远\n陈立军",
            "东城开发区",
            "区发展和改革局",
            (85000.0, 30000.0, 18600.0),
            "",
            "是",
            "位于东城大道北侧，占地260亩，建设电机、电控生产线8条及研发中心",
            "1号、2号厂房主体封顶，3号厂房基础施工，研发楼完成桩基",
            ("完成1号、2号厂房主体施工", 9000.0),
            ("厂房封顶，启动生产设备采购", 11400.0),
        ),
        lp(
            "鼎盛精密铸件产业园",
            "市重点",
            "陈立军",
            "东城开发区管委会",
            "区行政\n审批局",
            (42000.0, 15000.0, 9800.0),
            "新建",
            "是",
            "占地120亩，建设铸造车间、机加工车间及配套用房4.6万平方米",
            "铸造车间钢结构吊装完成，机加工车间主体施工",
            ("铸造车间钢结构吊装", 5000.0),
            ("机加工车间主体完工", 5200.0),
        ),
        lp(
            "东川智慧冷链物流园",
            "市重点",
            "刘海波",
            "东川区重资产建设工作领导小组(办公室设在东城开发区)",
            "区商务局",
            (36000.0, 12000.0, 0.0),
            "",
            "否",
            "建设冷库6万吨、分拣中心及冷链配送信息平台",
            "用地已摘牌，施工图设计审查中，计划11月中旬开工",
            ("完成土地摘牌", 0.0),
            ("办理施工许可，开工建设", 6000.0),
        ),
        lp(
            "城关镇老旧小区改造（二期）",
            "",
            "王建国",
            "城关镇",
            "区住建局",
            (12800.0, 8000.0, 5200.0),
            "新开工",
            "是",
            "改造老旧小区14个、1860户，含管网、屋面、外墙及适老化设施",
            "9个小区管网改造完成，5个小区外墙施工",
            ("完成6个小区管网改造", 2500.0),
            ("14个小区全部完工", 2800.0),
        ),
        lp(
            "城关镇农贸市场提质改造",
            "",
            "王建国",
            "城关镇",
            "区市场监管局",
            (3600.0, 3600.0, 2100.0),
            "",
            "是",
            "改造市场主体1.2万平方米，新建停车场及智慧监管系统",
            "主体改造完成，停车场基层施工",
            ("市场主体改造", 1200.0),
            ("停车场及智慧监管系统完工", 1500.0),
        ),
        lp(
            "林荫大道二号线建设工程",
            "市重点",
            "郑文华\n赵立新",
            "林荫大道二号线建设工程指挥部（办公室设在住建局）",
            "区住建局",
            (68000.0, 20000.0, 11500.0),
            "新建",
            "是",
            "全长4.2公里，双向六车道，含雨污管网、照明及绿化",
            "K0+000至K1+800段路基完成，雨污管网铺设1.6公里",
            ("征迁扫尾，路基施工", 6000.0),
            ("K1+800至K2+600段路基施工", 8500.0),
        ),
        lp(
            "东川区实验学校新建工程",
            "市重点",
            "何丽萍",
            "东川区实验学校建设项目协调指挥部（办公室设在区教育局）",
            "区教育局",
            (26000.0, 12000.0, 7300.0),
            "",
            "是",
            "建设72个教学班，建筑面积5.8万平方米",
            "教学楼主体施工至四层，综合楼基础完成",
            ("教学楼主体施工", 4000.0),
            ("教学楼主体封顶", 4700.0),
        ),
        lp(
            "柳林街道社区综合服务中心",
            "",
            "孙海涛",
            "柳林街办",
            "区民政局",
            (4800.0, 3000.0, 0.0),
            "",
            "否",
            "建设社区服务、养老托育、文体活动用房8600平方米",
            "方案已批复，正在进行施工招标",
            ("完成方案设计", 0.0),
            ("完成招标，开工建设", 1500.0),
        ),
        lp(
            "白龙河生态治理工程（一期）",
            "省重点",
            "吴国庆",
            "区水利\n湖泊局",
            "区水利湖泊局",
            (18000.0, 9000.0, 3600.0),
            "新建",
            "部分开工",
            "治理河道6.5公里，建设堤防、生态护岸及滨水步道",
            "一标段护岸施工，二标段征地协调中",
            ("一标段开工", 2000.0),
            ("二标段开工，完成护岸3公里", 4500.0),
        ),
    ];
    let cont = vec![
        lp(
            "东风智能网联汽车零部件产业园",
            "省重点",
            "周明远\n陈立军",
            "东城开发区",
            "区科学技术和经济信息化局",
            (150000.0, 45000.0, 38200.0),
            "续建",
            "是",
            "建设智能座舱、线控底盘零部件生产线12条",
            "一期6条生产线投产，二期厂房装修及设备安装",
            ("二期厂房封顶", 13000.0),
            ("二期设备安装调试", 9000.0),
        ),
        lp(
            "恒通新材料年产5万吨铝合金型材",
            "市重点",
            "陈立军",
            "东城开发区",
            "区科学技术和经济信息化局",
            (60000.0, 20000.0, 16400.0),
            "",
            "是",
            "建设挤压、氧化、喷涂生产线及仓储物流中心",
            "挤压生产线试生产，喷涂线设备安装",
            ("挤压生产线安装", 6000.0),
            ("喷涂线投产", 4000.0),
        ),
        lp(
            "东城开发区标准化厂房（三期）",
            "",
            "刘海波",
            "东城开发区",
            "东城开发区管委会",
            (24000.0, 10000.0, 8700.0),
            "在建",
            "是",
            "建设标准化厂房12栋，共9.6万平方米",
            "10栋主体封顶，2栋主体施工",
            ("8栋主体封顶", 3500.0),
            ("12栋全部封顶", 2300.0),
        ),
        lp(
            "东城开发区污水处理厂扩建",
            "",
            "刘海波",
            "东城开发区",
            "区生态环境分局",
            (9800.0, 5000.0, 4100.0),
            "改扩建",
            "是",
            "新增处理规模2万吨/日，配套管网8公里",
            "生化池完工，设备安装调试",
            ("生化池主体完工", 1500.0),
            ("通水调试", 1100.0),
        ),
        lp(
            "城关镇滨河路综合管廊",
            "市重点",
            "王建国",
            "城关镇",
            "区住建局",
            (22000.0, 9000.0, 7600.0),
            "",
            "是",
            "建设综合管廊3.1公里及监控中心",
            "管廊主体完成2.7公里",
            ("管廊主体2公里", 3000.0),
            ("管廊主体贯通", 1800.0),
        ),
        lp(
            "柳林街道棚户区改造（二期）",
            "市重点",
            "孙海涛",
            "柳林街道",
            "区住建局",
            (46000.0, 15000.0, 9200.0),
            "续建",
            "是",
            "安置房1260套，配套幼儿园及社区用房",
            "3栋主体封顶，5栋施工至十层，征收扫尾3户",
            ("5栋主体施工", 5000.0),
            ("8栋主体封顶", 5500.0),
        ),
        lp(
            "老城区棚户区改造安置房",
            "省重点",
            "郑文华",
            "老城区棚户区改造项目协调服务领导小组（办公室设在住建局）",
            "区住建局",
            (88000.0, 25000.0, 21800.0),
            "",
            "是",
            "安置房2400套及配套道路、管网",
            "12栋主体封顶，外墙及室内装修施工",
            ("主体封顶", 8000.0),
            ("装修及室外配套", 5000.0),
        ),
        lp(
            "区人民医院住院综合楼",
            "市重点",
            "何丽萍",
            "区住建局",
            "区卫生健康局",
            (32000.0, 12000.0, 10100.0),
            "续建",
            "是",
            "建设住院综合楼6.2万平方米，床位800张",
            "主体封顶，幕墙及机电安装",
            ("主体封顶", 4000.0),
            ("幕墙完工，机电安装", 3000.0),
        ),
        lp(
            "G316东川过境段改线工程（一期）",
            "省重点",
            "李红梅\n钱志刚",
            "G316东川过境段改线工程征迁协调指挥部（办公室设在交通局）",
            "区交通运输局",
            (120000.0, 35000.0, 27500.0),
            "",
            "是",
            "一级公路18.6公里，含大桥2座、隧道1座",
            "路基完成8.2公里，白龙河大桥下部结构施工",
            ("路基完成6公里", 10000.0),
            ("路基完成9.6公里，大桥下部结构完工", 9000.0),
        ),
        lp(
            "东川区农村公路提档升级工程",
            "",
            "李红梅",
            "区交通局",
            "区交通运输局",
            (15000.0, 8000.0, 6900.0),
            "续建",
            "是",
            "农村公路提档升级60公里，危桥改造6座",
            "60公里提档升级完成，危桥改造4座完工",
            ("完成提档升级60公里", 3000.0),
            ("危桥改造全部完工", 1400.0),
        ),
        lp(
            "城区供水管网改造工程",
            "",
            "吴国庆",
            "区水利湖泊局",
            "区水利湖泊局",
            (8600.0, 4000.0, 3300.0),
            "",
            "是",
            "改造供水主管网22公里，新建加压泵站2座",
            "主管网改造完成18公里，1号泵站设备安装",
            ("主管网改造12公里", 1500.0),
            ("管网全部完工", 900.0),
        ),
    ];
    let pre = vec![
        lp(
            "东川高铁片区综合开发",
            "省重点",
            "周明远",
            "东城开发区",
            "区自然资源和规划局",
            (300000.0, 2000.0, 800.0),
            "",
            "否",
            "片区规划3.2平方公里，含站前广场、路网及安置区",
            "片区控规已报批，征收摸底完成",
            ("完成控规编制", 500.0),
            ("控规批复，启动征收", 1000.0),
        ),
        lp(
            "城关镇文旅特色街区",
            "",
            "王建国",
            "城关镇",
            "区文化和旅游局",
            (15000.0, 1000.0, 300.0),
            "前期",
            "否",
            "改造老街1.1公里，建设非遗展示及特色商业",
            "概念规划完成，可研编制中",
            ("完成概念规划", 200.0),
            ("完成可研编制", 500.0),
        ),
        lp(
            "东川客运综合枢纽站",
            "市重点",
            "李红梅",
            "区交通局",
            "区交通运输局",
            (45000.0, 1500.0, 450.0),
            "",
            "否",
            "建设一级客运站及公交首末站、停车场",
            "可研已批复，初步设计编制中",
            ("可研批复", 300.0),
            ("完成初步设计", 800.0),
        ),
        lp(
            "白龙河水库除险加固",
            "",
            "吴国庆",
            "区水利湖泊局",
            "区水利湖泊局",
            (12000.0, 800.0, 0.0),
            "储备",
            "否",
            "大坝防渗、溢洪道改造及管理设施",
            "安全鉴定报告已报省水利厅审查",
            ("完成安全鉴定", 0.0),
            ("完成初步设计", 500.0),
        ),
        lp(
            "柳林街道智慧停车场",
            "",
            "孙海涛",
            "柳林街道",
            "区城市管理执法局",
            (6000.0, 500.0, 0.0),
            "",
            "否",
            "建设立体停车楼2座、泊位900个",
            "选址论证中",
            ("完成选址", 0.0),
            ("完成方案设计", 300.0),
        ),
    ];
    vec![("新建", new), ("续建", cont), ("前期", pre)]
}

/// The ledger's columns: (header or group, sub-header under a group).
const LEDGER_COLS: &[(&str, Option<&str>)] = &[
    ("序号", None),
    ("项目名称", None),
    ("层次", None),
    ("包联\n领导", None),
    ("责任单位", None),
    ("手续代办\n单位", None),
    ("总投资", None),
    ("年度计划投资", None),
    ("年度建设任务", None),
    ("建设性质", None),
    ("是否开工", None),
    ("10月进展情况", None),
    ("累计\n完成  投资", None),
    ("三季度工作计划", Some("工作内容及形象进度")),
    ("三季度工作计划", Some("投资")),
    ("四季度工作计划", Some("工作内容及形象进度")),
    ("四季度工作计划", Some("投资")),
];

/// Hidden as in the real table: 层次, 年度建设任务, 建设性质, 是否开工.
const LEDGER_HIDDEN: &[u16] = &[2, 8, 9, 10];

const LEDGER_WIDTHS: &[f64] = &[
    5.0, 28.0, 8.0, 10.0, 24.0, 14.0, 10.0, 10.0, 30.0, 8.0, 8.0, 30.0, 10.0, 26.0, 9.0, 26.0, 9.0,
];

fn cn_num(i: usize) -> &'static str {
    ["一", "二", "三", "四", "五"][i]
}

/// The ledger's table from row `r0`: two header rows, the 合计 row, then each
/// section row and its projects.
fn ledger_table(ws: &mut Worksheet, r0: u32, f: &Fm) -> R<()> {
    let w = LEDGER_COLS.len();
    widths(ws, LEDGER_WIDTHS)?;
    for c in LEDGER_HIDDEN {
        ws.set_column_hidden(*c)?;
    }
    two_row_header(ws, r0, LEDGER_COLS, f)?;
    let sections = ledger();
    let all: Vec<&Lp> = sections.iter().flat_map(|(_, ps)| ps.iter()).collect();
    let sum = |g: &dyn Fn(&Lp) -> f64| all.iter().map(|p| g(p)).sum::<f64>();
    // 合计 above the first section: it totals every row of the table.
    let mut r = r0 + 2;
    let mut total = vec![V::E; w];
    total[0] = s("合计");
    total[1] = s(&format!("{}个", all.len()));
    total[6] = V::N(sum(&|p| p.total));
    total[7] = V::N(sum(&|p| p.annual));
    total[12] = V::N(sum(&|p| p.ytd));
    total[14] = V::N(sum(&|p| p.q3.1));
    total[16] = V::N(sum(&|p| p.q4.1));
    for (c, v) in total.iter().enumerate() {
        match v {
            V::N(x) => ws.write_number_with_format(r, c as u16, *x, &f.total)?,
            V::S(x) => ws.write_string_with_format(r, c as u16, x, &f.total)?,
            _ => ws.write_blank(r, c as u16, &f.text)?,
        };
    }
    r += 1;
    let mut seq = 0;
    for (i, (cat, ps)) in sections.iter().enumerate() {
        let title = format!("{}、{}项目（{}个）", cn_num(i), cat, ps.len());
        section(ws, r, w, &title, f)?;
        r += 1;
        for p in ps {
            seq += 1;
            let row = [
                V::G(seq as f64),
                s(p.name),
                text(p.level),
                s(p.leader),
                s(p.unit),
                text(p.agent),
                V::N(p.total),
                V::N(p.annual),
                s(p.task),
                text(p.cat),
                s(p.started),
                s(p.note),
                V::N(p.ytd),
                s(p.q3.0),
                V::N(p.q3.1),
                s(p.q4.0),
                V::N(p.q4.1),
            ];
            put_row(ws, r, &row, f)?;
            ws.set_row_height(r, 42)?;
            r += 1;
        }
    }
    Ok(())
}

fn write_ledger(path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let w = LEDGER_COLS.len();
    {
        let ws = sheet(&mut wb);
        ws.set_name("投资路线图")?;
        let title = format!("{COUNTY}2026年重点项目投资路线图及10月进展情况表");
        line(ws, 0, w, &title, &f.title)?;
        ws.set_row_height(0, 30)?;
        line(ws, 1, w, "单位：万元", &f.note)?;
        ledger_table(ws, 2, &f)?;
        ws.set_repeat_rows(2, 3)?;
    }
    {
        // The copy the office keeps for printing: the same table, no title rows.
        let ws = sheet(&mut wb);
        ws.set_name("投资路线图 (2)")?;
        ledger_table(ws, 0, &f)?;
        ws.set_repeat_rows(0, 1)?;
    }
    {
        // A hidden scratch sheet of figures someone checked by hand.
        let ws = wb.add_worksheet();
        ws.set_name("Sheet1")?;
        let scratch: [[f64; 2]; 4] = [
            [30000.0, 18600.0],
            [45000.0, 38200.0],
            [20000.0, 16400.0],
            [35000.0, 27500.0],
        ];
        for (r, row) in scratch.iter().enumerate() {
            for (c, x) in row.iter().enumerate() {
                ws.write_number(r as u32, c as u16, *x)?;
            }
        }
        ws.set_hidden(true);
    }
    save(wb, path)
}

// ---------------------------------------------------------------- 河口镇

/// A project of 河口镇's own report (it has 项目编号 and dates).
struct Hp {
    id: &'static str,
    name: &'static str,
    cat: &'static str,
    scope: &'static str,
    leader: &'static str,
    total: f64,
    /// 开工至上年底累计完成投资: since works began, to the end of 2025 — NOT this year's
    before: f64,
    annual: f64,
    month: f64,
    ytd: f64,
    ps: &'static str,
    as_: &'static str,
    pf: &'static str,
    note: &'static str,
    problems: &'static str,
}

fn hekou() -> Vec<Hp> {
    vec![
        Hp {
            id: "HK2026-01",
            name: "河口镇特色农产品加工园",
            cat: "新建",
            scope: "建设标准化厂房3.2万平方米、冷库及检测中心",
            leader: "李红梅",
            total: 18000.0,
            before: 0.0,
            annual: 8000.0,
            month: 900.0,
            ytd: 6200.0,
            ps: "2026-03-15",
            as_: "2026-04-10",
            pf: "2027-06-30",
            note: "厂房主体封顶，冷库钢结构安装",
            problems: "",
        },
        Hp {
            id: "HK2026-02",
            name: "河口港码头扩建工程",
            cat: "续建",
            scope: "新建3000吨级泊位3个及堆场5万平方米",
            leader: "李红梅",
            total: 36000.0,
            before: 14000.0,
            annual: 12000.0,
            month: 1300.0,
            ytd: 10400.0,
            ps: "2025-05-01",
            as_: "2025-05-20",
            pf: "2027-05-31",
            note: "1号、2号泊位水工结构完成，3号泊位桩基施工，堆场硬化2.8万平方米",
            problems: "汛期影响3号泊位水下施工",
        },
        Hp {
            id: "HK2026-03",
            name: "河口镇污水处理及管网工程",
            cat: "续建",
            scope: "污水处理厂5000吨/日，配套管网12.6公里",
            leader: "李红梅",
            total: 9500.0,
            before: 3200.0,
            annual: 4500.0,
            month: 300.0,
            ytd: 3600.0,
            ps: "2025-09-01",
            as_: "2025-09-18",
            pf: "2026-12-31",
            note: "管网铺设完成，厂区设备调试",
            problems: "",
        },
        Hp {
            id: "HK2026-04",
            name: "河口镇集镇道路提升改造",
            cat: "新建",
            scope: "改造集镇道路5.4公里及两侧管网、照明",
            leader: "李红梅",
            total: 5200.0,
            before: 0.0,
            annual: 2500.0,
            month: 0.0,
            ytd: 0.0,
            ps: "2026-07-01",
            as_: "",
            pf: "2027-04-30",
            note: "施工图审查完成，施工招标挂网",
            problems: "资金未落实，待专项债券发行",
        },
        Hp {
            id: "HK2026-05",
            name: "河口温泉康养小镇",
            cat: "前期",
            scope: "规划用地860亩，建设温泉康养、度假酒店及配套",
            leader: "李红梅",
            total: 80000.0,
            before: 0.0,
            annual: 1000.0,
            month: 50.0,
            ytd: 380.0,
            ps: "",
            as_: "",
            pf: "",
            note: "完成地热勘探，总体规划评审中",
            problems: "",
        },
    ]
}

/// 河口镇's milestones: (项目编号, 项目名称, 节点, planned, actual, planned qty, done qty, unit)
type HMs = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
    &'static str,
);

fn hekou_ms() -> Vec<HMs> {
    vec![
        (
            "HK2026-01",
            "河口镇特色农产品加工园",
            "厂房主体封顶",
            "2026-08-31",
            "2026-08-25",
            None,
            None,
            "",
        ),
        (
            "HK2026-01",
            "河口镇特色农产品加工园",
            "设备安装调试",
            "2026-11-30",
            "",
            None,
            None,
            "",
        ),
        (
            "HK2026-02",
            "河口港码头扩建工程",
            "3号泊位水工结构完工",
            "2026-09-30",
            "",
            None,
            None,
            "",
        ),
        (
            "HK2026-02",
            "河口港码头扩建工程",
            "堆场硬化",
            "2026-12-31",
            "",
            Some(5.0),
            Some(2.8),
            "万平方米",
        ),
        (
            "HK2026-03",
            "河口镇污水处理及管网工程",
            "管网铺设",
            "2026-10-31",
            "2026-10-28",
            Some(12.6),
            Some(12.6),
            "公里",
        ),
    ]
}

/// A report with a three-row header: a group over a group over sub-headers, every
/// other header merged down the three rows; 开工至上年底累计完成投资 beside this
/// year's figures; 项目编号, 计划开工日期 and 实际开工日期 present.
fn write_hekou(path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy/m/d");
    {
        let ws = sheet(&mut wb);
        ws.set_name("重点项目")?;
        // (row 1, row 2, row 3): "" under a text = merged down from it
        let cols: &[(&str, &str, &str)] = &[
            ("序号", "", ""),
            ("项目编号", "", ""),
            ("项目名称", "", ""),
            ("建设性质", "", ""),
            ("建设内容及规模", "", ""),
            ("包抓领导", "", ""),
            ("总投资（万元）", "", ""),
            ("开工至上年底累计完成投资（万元）", "", ""),
            ("2026年投资计划及完成情况（万元）", "2026年计划投资", ""),
            (
                "2026年投资计划及完成情况（万元）",
                "完成投资",
                "10月完成投资",
            ),
            (
                "2026年投资计划及完成情况（万元）",
                "完成投资",
                "1-10月完成投资",
            ),
            ("2026年投资计划及完成情况（万元）", "完成投资占年计划%", ""),
            ("计划开工日期", "", ""),
            ("实际开工日期", "", ""),
            ("计划竣工日期", "", ""),
            ("形象进度", "", ""),
            ("存在问题", "", ""),
        ];
        let w = cols.len();
        widths(
            ws,
            &[
                5.0, 11.0, 24.0, 8.0, 26.0, 8.0, 10.0, 12.0, 11.0, 10.0, 11.0, 10.0, 11.0, 11.0,
                11.0, 28.0, 20.0,
            ],
        )?;
        line(
            ws,
            0,
            w,
            "河口镇2026年重点项目建设进度月报表（1-10月）",
            &f.title,
        )?;
        ws.set_row_height(0, 28)?;
        line(
            ws,
            1,
            w,
            "填报单位:河口镇    填报日期:2026年11月3日    单位:万元",
            &f.note,
        )?;
        let (h0, h1, h2) = (2u32, 3u32, 4u32);
        let mut c = 0;
        while c < w {
            let (a, b, _) = cols[c];
            if b.is_empty() {
                ws.merge_range(h0, c as u16, h2, c as u16, a, &f.head)?;
                c += 1;
                continue;
            }
            // the top group: every column with the same row-1 text
            let mut e = c;
            while e + 1 < w && cols[e + 1].0 == a {
                e += 1;
            }
            ws.merge_range(h0, c as u16, h0, e as u16, a, &f.head)?;
            let mut k = c;
            while k <= e {
                let (_, b, cc) = cols[k];
                if cc.is_empty() {
                    ws.merge_range(h1, k as u16, h2, k as u16, b, &f.head)?;
                    k += 1;
                } else {
                    let mut e2 = k;
                    while e2 < e && cols[e2 + 1].1 == b {
                        e2 += 1;
                    }
                    if e2 > k {
                        ws.merge_range(h1, k as u16, h1, e2 as u16, b, &f.head)?;
                    } else {
                        ws.write_string_with_format(h1, k as u16, b, &f.head)?;
                    }
                    for (i, col) in cols.iter().enumerate().take(e2 + 1).skip(k) {
                        ws.write_string_with_format(h2, i as u16, col.2, &f.head)?;
                    }
                    k = e2 + 1;
                }
            }
            c = e + 1;
        }
        for r in [h0, h1, h2] {
            ws.set_row_height(r, 22)?;
        }
        let mut r = h2 + 1;
        for (i, p) in hekou().iter().enumerate() {
            let share = (p.ytd / p.annual * 1000.0).round() / 10.0;
            let row = [
                V::G((i + 1) as f64),
                s(p.id),
                s(p.name),
                s(p.cat),
                s(p.scope),
                s(p.leader),
                V::N(p.total),
                V::N(p.before),
                V::N(p.annual),
                V::N(p.month),
                V::N(p.ytd),
                V::N(share),
                date(p.ps),
                date(p.as_),
                date(p.pf),
                s(p.note),
                text(p.problems),
            ];
            put_row(ws, r, &row, &f)?;
            r += 1;
        }
        r += 1;
        ws.write_string(
            r,
            0,
            "填表人：张丽    审核人：刘振华    联系电话：0719-8231056",
        )?;
    }
    {
        let ws = sheet(&mut wb);
        ws.set_name("节点计划")?;
        let hdr = [
            "项目编号",
            "项目名称",
            "节点名称",
            "计划完成时间",
            "实际完成时间",
            "计划工程量",
            "完成工程量",
            "计量单位",
        ];
        widths(ws, &[11.0, 24.0, 20.0, 12.0, 12.0, 10.0, 10.0, 10.0])?;
        line(ws, 0, hdr.len(), "河口镇重点项目节点计划完成情况", &f.title)?;
        for (c, h) in hdr.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &f.head)?;
        }
        for (i, m) in hekou_ms().iter().enumerate() {
            let row = [
                s(m.0),
                s(m.1),
                s(m.2),
                date(m.3),
                date(m.4),
                opt_num(m.5),
                opt_num(m.6),
                text(m.7),
            ];
            put_row(ws, 2 + i as u32, &row, &f)?;
        }
    }
    save(wb, path)
}

// ---------------------------------------------------------------- 区交通局

/// An attracted project: (名称, 投资方, 资金来源, 进展阶段, 签约日期, 合同金额, 本月, 累计)
type At = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    V,
    Option<f64>,
    f64,
    f64,
);

fn jiaotong_at() -> Vec<At> {
    vec![
        (
            "东川现代物流港（公铁联运）",
            "中铁物流集团有限公司",
            "省外",
            "开工",
            date("2026-03-18"),
            Some(60000.0),
            1200.0,
            5600.0,
        ),
        (
            "新能源汽车充换电站网络",
            "湖北楚能新能源有限公司",
            "市外省内",
            "签约",
            s("2026.8.6"),
            Some(8000.0),
            0.0,
            800.0,
        ),
        (
            "城乡公交一体化运营",
            "汉江客运集团有限公司",
            "县外市内",
            "洽谈",
            V::E,
            None,
            0.0,
            0.0,
        ),
    ]
}

/// A milestone row: project name, milestone, planned date, actual date,
/// planned and done quantity, quantity unit.
type MilestoneRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
    &'static str,
);

/// The milestones of the department's projects in the office's ledger, found by
/// name: no 项目编号 (the names are written with half-width brackets here).
fn jiaotong_ms() -> Vec<MilestoneRow> {
    vec![
        (
            "G316东川过境段改线工程(一期)",
            "征地拆迁完成",
            "2026-04-30",
            "2026-05-12",
            None,
            None,
            "",
        ),
        (
            "G316东川过境段改线工程(一期)",
            "路基工程完成",
            "2026-10-15",
            "",
            Some(9.6),
            Some(8.2),
            "公里",
        ),
        (
            "G316东川过境段改线工程(一期)",
            "白龙河大桥下部结构完成",
            "2026-12-31",
            "",
            None,
            None,
            "",
        ),
        (
            "东川区农村公路提档升级工程",
            "完成提档升级",
            "2026-09-30",
            "2026-09-26",
            Some(60.0),
            Some(60.0),
            "公里",
        ),
        (
            "东川客运综合枢纽站",
            "可研批复",
            "2026-08-31",
            "2026-09-10",
            None,
            None,
            "",
        ),
    ]
}

/// A department's file: an attraction table with "10月到位资金" and
/// "1—10月累计到位资金" (an em dash) and a milestones table without 项目编号.
fn write_jiaotong(path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy年m月d日");
    {
        let ws = sheet(&mut wb);
        ws.set_name("招商引资")?;
        let hdr = [
            "序号",
            "项目名称",
            "投资方",
            "资金来源",
            "进展阶段",
            "签约日期",
            "合同金额（万元）",
            "10月到位资金（万元）",
            "1—10月累计到位资金（万元）",
            "备注",
        ];
        widths(
            ws,
            &[5.0, 26.0, 24.0, 10.0, 10.0, 14.0, 12.0, 12.0, 14.0, 16.0],
        )?;
        line(
            ws,
            0,
            hdr.len(),
            "区交通运输局2026年招商引资项目进展情况表（1—10月）",
            &f.title,
        )?;
        ws.set_row_height(0, 28)?;
        line(
            ws,
            1,
            hdr.len(),
            "填报单位：区交通运输局          填报日期：2026年11月2日",
            &f.note,
        )?;
        for (c, h) in hdr.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &f.head)?;
        }
        ws.set_row_height(2, 32)?;
        for (i, a) in jiaotong_at().iter().enumerate() {
            let row = [
                V::G((i + 1) as f64),
                s(a.0),
                s(a.1),
                s(a.2),
                s(a.3),
                a.4.clone(),
                opt_num(a.5),
                V::N(a.6),
                V::N(a.7),
                V::E,
            ];
            put_row(ws, 3 + i as u32, &row, &f)?;
        }
    }
    {
        let ws = sheet(&mut wb);
        ws.set_name("节点计划")?;
        let hdr = [
            "序号",
            "项目名称",
            "节点名称",
            "计划完成日期",
            "实际完成日期",
            "计划工程量",
            "完成工程量",
            "计量单位",
        ];
        widths(ws, &[5.0, 28.0, 22.0, 14.0, 14.0, 10.0, 10.0, 10.0])?;
        line(ws, 0, hdr.len(), "区交通运输局重点项目节点计划", &f.title)?;
        for (c, h) in hdr.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &f.head)?;
        }
        for (i, m) in jiaotong_ms().iter().enumerate() {
            let row = [
                V::G((i + 1) as f64),
                s(m.0),
                s(m.1),
                date(m.2),
                date(m.3),
                opt_num(m.4),
                opt_num(m.5),
                text(m.6),
            ];
            put_row(ws, 2 + i as u32, &row, &f)?;
        }
    }
    save(wb, path)
}

// ---------------------------------------------------------------- 东城开发区

/// The zone's attraction ledger: a two-row header (到位资金 over 本月 and
/// 1-10月累计), section rows by industry that name neither a category nor a
/// unit, the office's stage words (已签约, 已开工, 达成意向) and 港澳台.
fn write_dongcheng(path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let cols: &[(&str, Option<&str>)] = &[
        ("序号", None),
        ("项目名称", None),
        ("投资方", None),
        ("资金来源", None),
        ("进展阶段", None),
        ("签约时间", None),
        ("合同引资额", None),
        ("到位资金", Some("本月")),
        ("到位资金", Some("1-10月累计")),
        ("对接责任人", None),
    ];
    let sections: Vec<(&str, Vec<At>)> = vec![
        (
            "一、工业项目（4个）",
            vec![
                (
                    "华睿新能源汽车电机电控生产基地",
                    "深圳华睿电驱科技有限公司",
                    "省外",
                    "已开工",
                    date("2026-01-12"),
                    Some(85000.0),
                    2600.0,
                    16800.0,
                ),
                (
                    "鼎盛精密铸件产业园",
                    "江苏鼎盛精密机械有限公司",
                    "省外",
                    "已开工",
                    date("2025-11-20"),
                    Some(42000.0),
                    900.0,
                    8800.0,
                ),
                (
                    "高端汽车内饰件项目",
                    "恒毅实业股份有限公司",
                    "港澳台",
                    "已签约",
                    date("2026-09-08"),
                    Some(12000.0),
                    500.0,
                    500.0,
                ),
                (
                    "氢燃料电池电堆研发制造",
                    "武汉氢能动力科技有限公司",
                    "市外省内",
                    "达成意向",
                    V::E,
                    None,
                    0.0,
                    0.0,
                ),
            ],
        ),
        (
            "二、现代服务业项目（2个）",
            vec![
                (
                    "东川智慧冷链物流园",
                    "上海冷联供应链管理有限公司",
                    "省外",
                    "已签约",
                    date("2026-06-30"),
                    Some(36000.0),
                    0.0,
                    3000.0,
                ),
                (
                    "东城商业综合体",
                    "大连万达商业管理集团股份有限公司",
                    "省外",
                    "投产",
                    date("2024-05-10"),
                    Some(50000.0),
                    800.0,
                    7600.0,
                ),
            ],
        ),
    ];
    let people = ["刘海波", "陈立军", "陈立军", "周明远", "刘海波", "刘海波"];
    {
        let ws = sheet(&mut wb);
        ws.set_name("招商台账")?;
        let w = cols.len();
        widths(
            ws,
            &[5.0, 28.0, 30.0, 10.0, 10.0, 12.0, 12.0, 10.0, 12.0, 12.0],
        )?;
        line(ws, 0, w, "东城开发区2026年招商引资项目推进情况表", &f.title)?;
        ws.set_row_height(0, 28)?;
        line(
            ws,
            1,
            w,
            "填报单位：东城开发区管委会　　　　　　　　　　　　单位：万元",
            &f.note,
        )?;
        two_row_header(ws, 2, cols, &f)?;
        let mut r = 4;
        let mut seq = 0;
        for (title, rows) in &sections {
            section(ws, r, w, title, &f)?;
            r += 1;
            for a in rows {
                let row = [
                    V::G((seq + 1) as f64),
                    s(a.0),
                    s(a.1),
                    s(a.2),
                    s(a.3),
                    a.4.clone(),
                    opt_num(a.5),
                    V::N(a.6),
                    V::N(a.7),
                    s(people[seq]),
                ];
                seq += 1;
                put_row(ws, r, &row, &f)?;
                r += 1;
            }
        }
    }
    save(wb, path)
}

// ---------------------------------------------------------------- main

const TOML: &str = r#"# diaodu 工作目录配置 —— 每项缺省值见 README
# 第二个示例:区发改局自己的台账和各单位原有的报表(README「Reading an office's own form」)
county = "东川区"
period = "2026-10"
roster = "roster.xlsx"
inbox = "inbox"
out = "out"
"#;

const FORMS_TOML: &str = r#"# 东川区的报表用语 —— diaodu 按 §9 读取各单位原有的报表,这里写它自己认不出的部分。
# 表头按 §3 规范化后比较(括号、空格、换行、繁体、金额单位都不影响)。

[headers.projects]
# 区重点项目台账:不使用的栏目
"层次" = "ignore"
"手续代办单位" = "ignore"
"年度建设任务" = "ignore"
# 季度计划:合并的分组单元格,读成一行表头时是分组名,读成两行时是分组名加下面的小标题
"三季度工作计划" = "ignore"
"四季度工作计划" = "ignore"
"三季度工作计划工作内容及形象进度" = "ignore"
"三季度工作计划投资" = "ignore"
"四季度工作计划工作内容及形象进度" = "ignore"
"四季度工作计划投资" = "ignore"
# 河口镇月报表
"建设内容及规模" = "ignore"

[headers.attraction]
"对接责任人" = "ignore"
"备注" = "ignore"

[values.category]
"改扩建" = "续建"

[values.started]
"部分开工" = "是"

[values.stage]
"达成意向" = "洽谈"

# 台账的责任单位栏写的指挥部、领导小组 = 花名册上的单位
[units]
"林荫大道二号线建设工程指挥部（办公室设在住建局）" = "区住建局"
"老城区棚户区改造项目协调服务领导小组（办公室设在住建局）" = "区住建局"
"G316东川过境段改线工程征迁协调指挥部（办公室设在交通局）" = "区交通局"
"东川区实验学校建设项目协调指挥部（办公室设在区教育局）" = "区教育局"
"东川区重资产建设工作领导小组(办公室设在东城开发区)" = "东城开发区"
"#;

fn main() -> R<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(
        args.first()
            .map(String::as_str)
            .unwrap_or("samples/own-form"),
    );
    let inbox = out.join("inbox");
    if inbox.exists() {
        fs::remove_dir_all(&inbox)?;
    }
    fs::create_dir_all(&inbox)?;
    fs::write(out.join("diaodu.toml"), TOML)?;
    fs::write(out.join("forms.toml"), FORMS_TOML)?;
    write_roster(&out.join("roster.xlsx"))?;
    write_ledger(&inbox.join("区重点项目台账_2026年10月.xlsx"))?;
    write_hekou(&inbox.join("河口镇_10月.xlsx"))?;
    write_jiaotong(&inbox.join("区交通局_2026年10月.xlsx"))?;
    write_dongcheng(&inbox.join("东城开发区招商引资台账_2026年10月.xlsx"))?;
    let projects: usize = ledger().iter().map(|(_, ps)| ps.len()).sum();
    println!(
        "wrote {} (roster: {} units; ledger: {} projects; 河口镇: {} projects, {} milestones; \
         区交通局: {} attraction rows, {} milestones; 东城开发区: 6 attraction rows)",
        out.display(),
        roster().len(),
        projects,
        hekou().len(),
        hekou_ms().len(),
        jiaotong_at().len(),
        jiaotong_ms().len(),
    );
    Ok(())
}
