//! make_demo: writes the demo work folder of diaodu (period 2026-10), the
//! monthly forms of a county's units with the real-world mess of FORMS.md §3.
//!
//! Run from the repository root:
//!
//! ```text
//! cargo run --example make_demo -- samples/demo
//! ```
//!
//! or better `bash samples/make_demo.sh`, which runs this example and then has
//! LibreOffice convert the two files meant to be a legacy .xls and an .ods.
//! This program only writes .xlsx (and the clutter files): those two workbooks
//! go to the folder named by the second argument (default
//! `<out>/_to_convert`), the script converts them into `<out>/inbox/` and
//! deletes the intermediate .xlsx.
//!
//! Output (deterministic: every workbook has a fixed creation date):
//!
//! ```text
//! <out>/diaodu.toml  roster.xlsx  README.md  inbox/...
//! ```
//!
//! The data of every file is held below as typed "truth" (amounts in 万元,
//! dates), and each file's writer renders it in that file's style (headers,
//! units, text numbers, date spellings). README.md lists what each file shows
//! and the expected outcome, computed from the same truth.

use chrono::{NaiveDate, TimeZone, Utc};
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

type R<T> = Result<T, Box<dyn std::error::Error>>;

const PERIOD: &str = "2026-10";

fn period_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
}

// ---------------------------------------------------------------- cell values

/// One cell as written.
#[derive(Clone, Debug)]
enum V {
    /// nothing (a bordered blank inside a table)
    E,
    /// text
    S(String),
    /// number (amount format #,##0.00)
    N(f64),
    /// number in the General format (序号, a date typed as its serial number)
    G(f64),
    /// an Excel date cell
    D(NaiveDate),
    /// a formula with a cached numeric result
    F(String, f64),
    /// a formula with a cached error result (#DIV/0!)
    X(String, String),
}

fn s(x: &str) -> V {
    V::S(x.to_string())
}

/// Excel serial number of a date (1900 system).
fn serial(dt: NaiveDate) -> f64 {
    (dt - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

fn d(x: &str) -> Option<NaiveDate> {
    if x.is_empty() {
        None
    } else {
        Some(NaiveDate::parse_from_str(x, "%Y-%m-%d").expect("date"))
    }
}

/// How a table writes its amounts.
#[derive(Clone, Copy, PartialEq)]
enum Money {
    Wan,
    Yi,
    Yuan,
}

fn amount(x: f64, m: Money) -> V {
    V::N(match m {
        Money::Wan => x,
        Money::Yi => x / 10000.0,
        Money::Yuan => x * 10000.0,
    })
}

fn opt_date(x: Option<NaiveDate>) -> V {
    x.map(V::D).unwrap_or(V::E)
}

fn text(x: &str) -> V {
    if x.is_empty() {
        V::E
    } else {
        s(x)
    }
}

// ---------------------------------------------------------------- the truth

/// What should become of a row.
#[derive(Clone, Copy, Default, PartialEq, Debug)]
enum Exp {
    #[default]
    Ok,
    /// kept, with a warning
    Warn(&'static str),
    /// rejected by a row rule
    Rej(&'static str),
    /// identical duplicate of a row in another file: merged, warning
    DupSame,
    /// conflicting duplicate: rejected, as is the other copy
    Conflict,
}

#[derive(Clone, Default)]
struct Proj {
    id: &'static str,
    name: &'static str,
    unit: &'static str,
    leader: &'static str,
    cat: &'static str,
    sector: &'static str,
    total: f64,
    annual: f64,
    month: f64,
    ytd: f64,
    ps: Option<NaiveDate>,
    as_: Option<NaiveDate>,
    pf: Option<NaiveDate>,
    af: Option<NaiveDate>,
    note: &'static str,
    problems: &'static str,
    next: &'static str,
    /// cells rendered differently from the truth (key, cell)
    over: Vec<(&'static str, V)>,
    exp: Exp,
}

#[derive(Clone, Default)]
struct Ms {
    pid: &'static str,
    name: &'static str,
    planned: Option<NaiveDate>,
    actual: Option<NaiveDate>,
    pq: Option<f64>,
    dq: Option<f64>,
    qu: &'static str,
    over: Vec<(&'static str, V)>,
    exp: Exp,
}

#[derive(Clone, Default)]
struct At {
    name: &'static str,
    unit: &'static str,
    investor: &'static str,
    source: &'static str,
    stage: &'static str,
    signed: Option<NaiveDate>,
    contract: Option<f64>,
    month: f64,
    ytd: f64,
    over: Vec<(&'static str, V)>,
    exp: Exp,
}

trait Cells {
    fn get(&self, key: &str, m: Money) -> V;
    fn over(&self) -> &[(&'static str, V)];
}

impl Cells for Proj {
    fn get(&self, key: &str, m: Money) -> V {
        match key {
            "project_id" => text(self.id),
            "project_name" => text(self.name),
            "unit" => text(self.unit),
            "leader" => text(self.leader),
            "category" => text(self.cat),
            "sector" => text(self.sector),
            "total_invest" => amount(self.total, m),
            "annual_plan" => amount(self.annual, m),
            "month_done" => amount(self.month, m),
            "ytd_done" => amount(self.ytd, m),
            "planned_start" => opt_date(self.ps),
            "actual_start" => opt_date(self.as_),
            "planned_finish" => opt_date(self.pf),
            "actual_finish" => opt_date(self.af),
            "progress_note" => text(self.note),
            "problems" => text(self.problems),
            "next_steps" => text(self.next),
            _ => V::E,
        }
    }
    fn over(&self) -> &[(&'static str, V)] {
        &self.over
    }
}

impl Cells for Ms {
    fn get(&self, key: &str, _m: Money) -> V {
        match key {
            "project_id" => text(self.pid),
            "milestone" => text(self.name),
            "planned_date" => opt_date(self.planned),
            "actual_date" => opt_date(self.actual),
            "planned_qty" => self.pq.map(V::N).unwrap_or(V::E),
            "done_qty" => self.dq.map(V::N).unwrap_or(V::E),
            "qty_unit" => text(self.qu),
            _ => V::E,
        }
    }
    fn over(&self) -> &[(&'static str, V)] {
        &self.over
    }
}

impl Cells for At {
    fn get(&self, key: &str, m: Money) -> V {
        match key {
            "project_name" => text(self.name),
            "unit" => text(self.unit),
            "investor" => text(self.investor),
            "source" => text(self.source),
            "stage" => text(self.stage),
            "signed_date" => opt_date(self.signed),
            "contract_amount" => self.contract.map(|x| amount(x, m)).unwrap_or(V::E),
            "month_funds" => amount(self.month, m),
            "ytd_funds" => amount(self.ytd, m),
            _ => V::E,
        }
    }
    fn over(&self) -> &[(&'static str, V)] {
        &self.over
    }
}

/// A header: its text (as written) and the key it maps to ("seq" for 序号,
/// "" for an ignored column such as 备注).
type Hdr = (&'static str, &'static str);

fn row_of<T: Cells>(t: &T, hdr: &[Hdr], m: Money, seq: usize) -> Vec<V> {
    hdr.iter()
        .map(|(_, k)| {
            if let Some((_, v)) = t.over().iter().find(|(kk, _)| kk == k) {
                v.clone()
            } else if *k == "seq" {
                V::G(seq as f64)
            } else {
                t.get(k, m)
            }
        })
        .collect()
}

fn rows_of<T: Cells>(ts: &[T], hdr: &[Hdr], m: Money) -> Vec<Vec<V>> {
    ts.iter()
        .enumerate()
        .map(|(i, t)| row_of(t, hdr, m, i + 1))
        .collect()
}

const PROJ_STD: &[Hdr] = &[
    ("项目编号", "project_id"),
    ("项目名称", "project_name"),
    ("责任单位", "unit"),
    ("包抓领导", "leader"),
    ("项目类别", "category"),
    ("行业领域", "sector"),
    ("总投资(万元)", "total_invest"),
    ("年度计划投资(万元)", "annual_plan"),
    ("本月完成投资(万元)", "month_done"),
    ("累计完成投资(万元)", "ytd_done"),
    ("计划开工日期", "planned_start"),
    ("实际开工日期", "actual_start"),
    ("计划竣工日期", "planned_finish"),
    ("实际竣工日期", "actual_finish"),
    ("形象进度", "progress_note"),
    ("存在问题", "problems"),
    ("下步措施", "next_steps"),
];

const MS_STD: &[Hdr] = &[
    ("项目编号", "project_id"),
    ("节点名称", "milestone"),
    ("计划完成日期", "planned_date"),
    ("实际完成日期", "actual_date"),
    ("计划工程量", "planned_qty"),
    ("完成工程量", "done_qty"),
    ("计量单位", "qty_unit"),
];

const AT_STD: &[Hdr] = &[
    ("项目名称", "project_name"),
    ("引资单位", "unit"),
    ("投资方", "investor"),
    ("资金来源", "source"),
    ("进展阶段", "stage"),
    ("签约日期", "signed_date"),
    ("合同金额(万元)", "contract_amount"),
    ("本月到位资金(万元)", "month_funds"),
    ("累计到位资金(万元)", "ytd_funds"),
];

fn without(h: &[Hdr], key: &str) -> Vec<Hdr> {
    h.iter().copied().filter(|(_, k)| *k != key).collect()
}

// ---------------------------------------------------------------- writing

struct Fm {
    head: Format,
    title: Format,
    note: Format,
    text: Format,
    num: Format,
    date: Format,
    total: Format,
}

fn fm(date_fmt: &str) -> Fm {
    let b = Format::new().set_border(FormatBorder::Thin);
    Fm {
        head: b
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDDEBF7)),
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        note: Format::new().set_align(FormatAlign::Left),
        text: b.clone(),
        num: b.clone().set_num_format("#,##0.00"),
        date: b.clone().set_num_format(date_fmt),
        total: b.set_bold().set_num_format("#,##0.00"),
    }
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: &V, f: &Fm) -> R<()> {
    match v {
        V::E => {
            ws.write_blank(r, c, &f.text)?;
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
        V::F(formula, x) => {
            let fo = Formula::new(formula.as_str()).set_result(format!("{x}"));
            ws.write_formula_with_format(r, c, fo, &f.num)?;
        }
        V::X(formula, e) => {
            let fo = Formula::new(formula.as_str()).set_result(e.as_str());
            ws.write_formula_with_format(r, c, fo, &f.num)?;
        }
    }
    Ok(())
}

fn col_width(key: &str) -> f64 {
    match key {
        "project_name" | "investor" => 30.0,
        "progress_note" | "problems" | "next_steps" | "milestone" => 20.0,
        "project_id" | "unit" | "leader" => 14.0,
        "seq" => 6.0,
        _ => 12.0,
    }
}

fn widths(ws: &mut Worksheet, hdr: &[Hdr]) -> R<()> {
    for (c, (_, k)) in hdr.iter().enumerate() {
        ws.set_column_width(c as u16, col_width(k))?;
    }
    Ok(())
}

fn header(ws: &mut Worksheet, r: u32, hdr: &[Hdr], f: &Fm) -> R<()> {
    for (c, (h, _)) in hdr.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &f.head)?;
    }
    Ok(())
}

fn data(ws: &mut Worksheet, r0: u32, rows: &[Vec<V>], f: &Fm) -> R<u32> {
    let mut r = r0;
    for row in rows {
        for (c, v) in row.iter().enumerate() {
            put(ws, r, c as u16, v, f)?;
        }
        r += 1;
    }
    Ok(r)
}

/// A line of text merged across `width` columns.
fn line(ws: &mut Worksheet, r: u32, width: usize, t: &str, f: &Format) -> R<()> {
    ws.merge_range(r, 0, r, (width - 1) as u16, t, f)?;
    Ok(())
}

/// A sheet holding one table: optional title, optional note, header, rows.
fn simple_sheet(
    wb: &mut Workbook,
    name: &str,
    title: Option<&str>,
    note: Option<&str>,
    hdr: &[Hdr],
    rows: &[Vec<V>],
    f: &Fm,
) -> R<u32> {
    let ws = sheet(wb);
    ws.set_name(name)?;
    widths(ws, hdr)?;
    let mut r = 0;
    if let Some(t) = title {
        line(ws, r, hdr.len(), t, &f.title)?;
        ws.set_row_height(r, 28)?;
        r += 1;
    }
    if let Some(n) = note {
        line(ws, r, hdr.len(), n, &f.note)?;
        r += 1;
    }
    header(ws, r, hdr, f)?;
    ws.set_row_height(r, 32)?;
    data(ws, r + 1, rows, f)
}

/// A new worksheet, printed landscape, one page wide (as the office prints them).
fn sheet(wb: &mut Workbook) -> &mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws
}

fn new_book() -> Workbook {
    let mut wb = Workbook::new();
    let created = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap();
    let props = DocProperties::new()
        .set_creation_datetime(&created)
        .set_author("diaodu make_demo");
    wb.set_properties(&props);
    wb
}

fn save(mut wb: Workbook, path: &Path) -> R<()> {
    wb.save(path)?;
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
        u("城关镇", "乡镇", "王建国 副县长", 8000.0, 5000.0, ""),
        u("河口镇", "乡镇", "李红梅 副县长", 18000.0, 6000.0, ""),
        u("青石镇", "乡镇", "张志强 县委常委", 9500.0, 5000.0, ""),
        u("白马乡", "乡镇", "刘卫东 副县长", 5000.0, 2000.0, ""),
        u("柳林镇", "乡镇", "陈晓燕 副县长", 5000.0, 5000.0, ""),
        u("东湖街道", "乡镇", "赵立新 县委常委", 12000.0, 12000.0, ""),
        u("龙泉镇", "乡镇", "孙海涛 副县长", 8000.0, 4000.0, ""),
        u("桃花乡", "乡镇", "周静 副县长", 5000.0, 2000.0, ""),
        u(
            "县交通运输局",
            "部门",
            "王建国 副县长",
            15000.0,
            2000.0,
            "县交通局;交通局",
        ),
        u(
            "县工业和信息化局",
            "部门",
            "吴国庆 副县长",
            16000.0,
            10000.0,
            "县工信局、工信局",
        ),
        u(
            "县住房和城乡建设局",
            "部门",
            "郑文华 副县长",
            10000.0,
            6000.0,
            "县住建局；住建局",
        ),
        u(
            "县文化和旅游局",
            "部门",
            "何丽萍 副县长",
            5000.0,
            3000.0,
            "县文旅局",
        ),
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
    for (c, w) in [20.0, 10.0, 18.0, 16.0, 18.0, 22.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    line(
        ws,
        0,
        hdr.len(),
        "2026年度重点项目及招商引资目标任务表",
        &f.title,
    )?;
    ws.set_row_height(0, 28)?;
    for (c, h) in hdr.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.head)?;
    }
    for (i, u) in roster().iter().enumerate() {
        let r = 2 + i as u32;
        put(ws, r, 0, &s(u.name), &f)?;
        put(ws, r, 1, &s(u.kind), &f)?;
        put(ws, r, 2, &s(u.leader), &f)?;
        put(ws, r, 3, &V::N(u.invest), &f)?;
        put(ws, r, 4, &V::N(u.attract), &f)?;
        put(ws, r, 5, &text(u.aliases), &f)?;
    }
    save(wb, path)
}

// ---------------------------------------------------------------- submissions

/// One submitted file: its truth and how it is written.
struct Sub {
    file: &'static str,
    /// true: written to the conversion folder (becomes .xls/.ods)
    convert: bool,
    /// the name as it lands in the inbox
    inbox_name: &'static str,
    /// the roster unit it should be attributed to
    unit: &'static str,
    /// note | column | filename
    from: &'static str,
    report_date: &'static str,
    superseded_by: Option<&'static str>,
    shows: &'static str,
    projects: Vec<Proj>,
    ms: Vec<Ms>,
    at: Vec<At>,
    write: fn(&Sub, &Path) -> R<()>,
}

fn note(unit_as_written: &str, date_cn: &str, money: &str) -> String {
    let mut n = format!("填报单位:{unit_as_written}    填报日期:{date_cn}");
    if !money.is_empty() {
        let _ = write!(n, "    单位:{money}");
    }
    n
}

// 1. 城关镇: clean, canonical.
fn w_chengguan(sub: &Sub, path: &Path) -> R<()> {
    canonical(
        sub,
        path,
        ["Sheet1", "节点", "招商"],
        Some(note("城关镇", "2026年11月1日", "万元")),
        true,
        None,
    )
}

/// The canonical layout: one table per sheet, exact headers.
fn canonical(
    sub: &Sub,
    path: &Path,
    sheets: [&str; 3],
    note: Option<String>,
    note_on_all: bool,
    title: Option<&str>,
) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let n = note.as_deref();
    let n2 = if note_on_all { n } else { None };
    simple_sheet(
        &mut wb,
        sheets[0],
        title,
        n,
        PROJ_STD,
        &rows_of(&sub.projects, PROJ_STD, Money::Wan),
        &f,
    )?;
    if !sub.ms.is_empty() {
        simple_sheet(
            &mut wb,
            sheets[1],
            None,
            n2,
            MS_STD,
            &rows_of(&sub.ms, MS_STD, Money::Wan),
            &f,
        )?;
    }
    if !sub.at.is_empty() {
        simple_sheet(
            &mut wb,
            sheets[2],
            None,
            n2,
            AT_STD,
            &rows_of(&sub.at, AT_STD, Money::Wan),
            &f,
        )?;
    }
    save(wb, path)
}

// 2. 河口镇: title, merged note, two-row merged header, no unit in amount headers.
fn w_hekou(sub: &Sub, path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    // (top header, second-row header, key); a None second row: merged vertically
    let cols: &[(&str, Option<&str>, &str)] = &[
        ("项目编号", None, "project_id"),
        ("项目名称", None, "project_name"),
        ("项目类别", None, "category"),
        ("行业领域", None, "sector"),
        ("总投资", None, "total_invest"),
        ("年度计划投资", None, "annual_plan"),
        ("完成投资(万元)", Some("本月"), "month_done"),
        ("完成投资(万元)", Some("累计"), "ytd_done"),
        ("计划开工日期", None, "planned_start"),
        ("实际开工日期", None, "actual_start"),
        ("计划竣工日期", None, "planned_finish"),
        ("形象进度", None, "progress_note"),
        ("存在问题", None, "problems"),
    ];
    let hdr: Vec<Hdr> = cols.iter().map(|(h, _, k)| (*h, *k)).collect();
    {
        let ws = sheet(&mut wb);
        ws.set_name("附件1")?;
        widths(ws, &hdr)?;
        let w = cols.len();
        line(
            ws,
            0,
            w,
            "河口镇重点项目建设进度月报表(2026年10月)",
            &f.title,
        )?;
        ws.set_row_height(0, 28)?;
        line(ws, 1, w, &note("河口镇", "2026年11月3日", "万元"), &f.note)?;
        let mut c = 0;
        while c < cols.len() {
            let (top, sub2, _) = cols[c];
            match sub2 {
                None => {
                    ws.merge_range(2, c as u16, 3, c as u16, top, &f.head)?;
                    c += 1;
                }
                Some(_) => {
                    let mut e = c;
                    while e + 1 < cols.len() && cols[e + 1].0 == top && cols[e + 1].1.is_some() {
                        e += 1;
                    }
                    ws.merge_range(2, c as u16, 2, e as u16, top, &f.head)?;
                    for (i, col) in cols.iter().enumerate().take(e + 1).skip(c) {
                        ws.write_string_with_format(3, i as u16, col.1.unwrap(), &f.head)?;
                    }
                    c = e + 1;
                }
            }
        }
        data(ws, 4, &rows_of(&sub.projects, &hdr, Money::Wan), &f)?;
    }
    simple_sheet(
        &mut wb,
        "节点",
        Some("节点计划"),
        None,
        MS_STD,
        &rows_of(&sub.ms, MS_STD, Money::Wan),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "招商",
        Some("招商引资项目进展情况"),
        None,
        AT_STD,
        &rows_of(&sub.at, AT_STD, Money::Wan),
        &f,
    )?;
    save(wb, path)
}

// 3. 青石镇: traditional characters, full-width brackets, line break and spaces in headers.
fn w_qingshi(sub: &Sub, path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy\"年\"m\"月\"d\"日\"");
    let ph: &[Hdr] = &[
        ("項目編號", "project_id"),
        ("项目 名称", "project_name"),
        ("包抓 領導", "leader"),
        ("項目類別", "category"),
        ("行業領域", "sector"),
        ("總投資(萬元)", "total_invest"),
        ("年度計劃投資（萬元）", "annual_plan"),
        ("本月完成投資（萬元）", "month_done"),
        ("累计完成\n投资(万元)", "ytd_done"),
        ("計劃開工日期", "planned_start"),
        ("實際開工日期", "actual_start"),
        ("計劃竣工日期", "planned_finish"),
        ("形象進度", "progress_note"),
        ("存在問題", "problems"),
        ("下步措施", "next_steps"),
    ];
    let mh: &[Hdr] = &[
        ("項目編號", "project_id"),
        ("節點名稱", "milestone"),
        ("計劃完成日期", "planned_date"),
        ("實際完成日期", "actual_date"),
        ("計劃工程量", "planned_qty"),
        ("完成工程量", "done_qty"),
        ("計量單位", "qty_unit"),
    ];
    let ah: &[Hdr] = &[
        ("項目名稱", "project_name"),
        ("引資單位", "unit"),
        ("投資方", "investor"),
        ("資金來源", "source"),
        ("進展階段", "stage"),
        ("簽約日期", "signed_date"),
        ("合同金額（萬元）", "contract_amount"),
        ("本月到位資金（萬元）", "month_funds"),
        ("累計到位資金(萬元)", "ytd_funds"),
    ];
    let n = note("青石镇", "2026年11月3日", "万元");
    simple_sheet(
        &mut wb,
        "Sheet1",
        None,
        Some(&n),
        ph,
        &rows_of(&sub.projects, ph, Money::Wan),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "節點計劃",
        None,
        None,
        mh,
        &rows_of(&sub.ms, mh, Money::Wan),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "招商引資",
        None,
        None,
        ah,
        &rows_of(&sub.at, ah, Money::Wan),
        &f,
    )?;
    save(wb, path)
}

// 4. 交通局: amounts in 亿元 and 元, unit from the note under an alias, header variants.
fn w_jiaotong(sub: &Sub, path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy/m/d");
    let ph: &[Hdr] = &[
        ("项目编号", "project_id"),
        ("项目名称", "project_name"),
        ("项目类别", "category"),
        ("行业领域", "sector"),
        ("总投资(亿元)", "total_invest"),
        ("年度计划投资(亿元)", "annual_plan"),
        ("当月完成投资(亿元)", "month_done"),
        ("年初至今累计完成投资(亿元)", "ytd_done"),
        ("计划开工日期", "planned_start"),
        ("实际开工日期", "actual_start"),
        ("计划竣工日期", "planned_finish"),
        ("实际竣工日期", "actual_finish"),
        ("形象进度", "progress_note"),
        ("存在问题", "problems"),
        ("下步措施", "next_steps"),
    ];
    let ah: &[Hdr] = &[
        ("项目名称", "project_name"),
        ("引资单位", "unit"),
        ("投资方", "investor"),
        ("资金来源", "source"),
        ("进展阶段", "stage"),
        ("签约日期", "signed_date"),
        ("合同金额(元)", "contract_amount"),
        ("本月到位资金(元)", "month_funds"),
        ("累计到位资金(元)", "ytd_funds"),
    ];
    let n = note("县交通局", "2026年11月4日", "");
    simple_sheet(
        &mut wb,
        "重点项目",
        Some("全县交通重点项目建设进度表(2026年10月)"),
        Some(&n),
        ph,
        &rows_of(&sub.projects, ph, Money::Yi),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "节点计划",
        None,
        None,
        MS_STD,
        &rows_of(&sub.ms, MS_STD, Money::Wan),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "招商引资",
        None,
        None,
        ah,
        &rows_of(&sub.at, ah, Money::Yuan),
        &f,
    )?;
    save(wb, path)
}

// 5. 白马乡: text numbers, dates in every form, formula results, shuffled columns.
fn w_baima(sub: &Sub, path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let ph: &[Hdr] = &[
        ("序号", "seq"),
        ("项目名称", "project_name"),
        ("项目编号", "project_id"),
        ("1-本月累计完成投资(万元)", "ytd_done"),
        ("本月完成投资(万元)", "month_done"),
        ("年度计划投资(万元)", "annual_plan"),
        ("总投资(万元)", "total_invest"),
        ("项目类别", "category"),
        ("行业领域", "sector"),
        ("实际开工日期", "actual_start"),
        ("计划开工日期", "planned_start"),
        ("计划竣工日期", "planned_finish"),
        ("实际竣工日期", "actual_finish"),
        ("形象进度", "progress_note"),
        ("备注", ""),
    ];
    let mh: &[Hdr] = &[
        ("序号", "seq"),
        ("节点名称", "milestone"),
        ("项目编号", "project_id"),
        ("计划完成日期", "planned_date"),
        ("实际完成日期", "actual_date"),
        ("计量单位", "qty_unit"),
        ("计划工程量", "planned_qty"),
        ("完成工程量", "done_qty"),
        ("备注", ""),
    ];
    let ah: &[Hdr] = &[
        ("序号", "seq"),
        ("项目名称", "project_name"),
        ("投资方", "investor"),
        ("资金来源", "source"),
        ("进展阶段", "stage"),
        ("签约日期", "signed_date"),
        ("合同金额(万元)", "contract_amount"),
        ("本月到位资金(万元)", "month_funds"),
        ("累计到位资金(万元)", "ytd_funds"),
    ];
    let n = note("白马乡", "2026年11月3日", "万元");
    simple_sheet(
        &mut wb,
        "Sheet1",
        None,
        Some(&n),
        ph,
        &rows_of(&sub.projects, ph, Money::Wan),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "Sheet2",
        None,
        None,
        mh,
        &rows_of(&sub.ms, mh, Money::Wan),
        &f,
    )?;
    simple_sheet(
        &mut wb,
        "Sheet3",
        None,
        None,
        ah,
        &rows_of(&sub.at, ah, Money::Wan),
        &f,
    )?;
    save(wb, path)
}

// 6. 柳林镇: a blank row inside the data, a correct 合计 row, footer rows; a wrong 小计.
fn w_liulin(sub: &Sub, path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let footer = "填表人:李明    审核人:张华    联系电话:0931-1234567";
    let mut ph: Vec<Hdr> = vec![("序号", "seq")];
    ph.extend_from_slice(PROJ_STD);
    let n = note("柳林镇", "2026年11月3日", "万元");
    {
        let ws = sheet(&mut wb);
        ws.set_name("Sheet1")?;
        widths(ws, &ph)?;
        line(ws, 0, ph.len(), &n, &f.note)?;
        header(ws, 1, &ph, &f)?;
        ws.set_row_height(1, 32)?;
        let rows = rows_of(&sub.projects, &ph, Money::Wan);
        // first project, a blank row, then the rest
        let mut r = data(ws, 2, &rows[..1], &f)?;
        r += 1;
        r = data(ws, r, &rows[1..], &f)?;
        // the 合计 row, correct sums
        let sum = |g: fn(&Proj) -> f64| sub.projects.iter().map(g).sum::<f64>();
        for (c, (_, k)) in ph.iter().enumerate() {
            let v = match *k {
                "seq" => Some(s("合计")),
                "total_invest" => Some(V::N(sum(|p| p.total))),
                "annual_plan" => Some(V::N(sum(|p| p.annual))),
                "month_done" => Some(V::N(sum(|p| p.month))),
                "ytd_done" => Some(V::N(sum(|p| p.ytd))),
                _ => None,
            };
            match v {
                Some(V::S(t)) => {
                    ws.write_string_with_format(r, c as u16, &t, &f.total)?;
                }
                Some(V::N(x)) => {
                    ws.write_number_with_format(r, c as u16, x, &f.total)?;
                }
                _ => {
                    ws.write_blank(r, c as u16, &f.total)?;
                }
            }
        }
        r += 2;
        line(ws, r, ph.len(), footer, &f.note)?;
    }
    simple_sheet(
        &mut wb,
        "节点",
        None,
        Some(&n),
        MS_STD,
        &rows_of(&sub.ms, MS_STD, Money::Wan),
        &f,
    )?;
    {
        let ws = sheet(&mut wb);
        ws.set_name("招商")?;
        widths(ws, AT_STD)?;
        line(ws, 0, AT_STD.len(), &n, &f.note)?;
        header(ws, 1, AT_STD, &f)?;
        let mut r = data(ws, 2, &rows_of(&sub.at, AT_STD, Money::Wan), &f)?;
        // a 小计 row whose 累计到位资金 is 200 more than the sum
        let contract: f64 = sub.at.iter().filter_map(|a| a.contract).sum();
        let month: f64 = sub.at.iter().map(|a| a.month).sum();
        let ytd: f64 = sub.at.iter().map(|a| a.ytd).sum::<f64>() + 200.0;
        for (c, (_, k)) in AT_STD.iter().enumerate() {
            let c = c as u16;
            match *k {
                "project_name" => {
                    ws.write_string_with_format(r, c, "小计", &f.total)?;
                }
                "contract_amount" => {
                    ws.write_number_with_format(r, c, contract, &f.total)?;
                }
                "month_funds" => {
                    ws.write_number_with_format(r, c, month, &f.total)?;
                }
                "ytd_funds" => {
                    ws.write_number_with_format(r, c, ytd, &f.total)?;
                }
                _ => {
                    ws.write_blank(r, c, &f.total)?;
                }
            }
        }
        r += 2;
        line(ws, r, AT_STD.len(), footer, &f.note)?;
    }
    save(wb, path)
}

// 7. 东湖街道 (twice; the writer is the canonical one with the unit's note).
fn w_donghu_first(sub: &Sub, path: &Path) -> R<()> {
    canonical(
        sub,
        path,
        ["重点项目", "节点计划", "招商引资"],
        Some(note("东湖街道", "2026年11月2日", "万元")),
        false,
        Some("东湖街道重点项目调度表(2026年10月)"),
    )
}

fn w_donghu_fix(sub: &Sub, path: &Path) -> R<()> {
    canonical(
        sub,
        path,
        ["重点项目", "节点计划", "招商引资"],
        Some(note("东湖街道", "2026年11月5日", "万元")),
        false,
        Some("东湖街道重点项目调度表(2026年10月)(更正)"),
    )
}

// 8a. 工信局 (.xls after conversion): no note, the unit from the 责任单位 column.
fn w_gongxin(sub: &Sub, path: &Path) -> R<()> {
    canonical(
        sub,
        path,
        ["附件1", "附件2", "附件3"],
        None,
        false,
        Some("2026年10月重点项目建设进度表"),
    )
}

// 8b. 文旅局 (.ods after conversion).
fn w_wenlv(sub: &Sub, path: &Path) -> R<()> {
    canonical(
        sub,
        path,
        ["项目", "节点", "招商"],
        Some(note("县文化和旅游局", "2026年11月3日", "万元")),
        true,
        None,
    )
}

// 9. 龙泉镇: the unit only from the file name; three tables on one sheet.
fn w_longquan(sub: &Sub, path: &Path) -> R<()> {
    let mut wb = new_book();
    let f = fm("yyyy-mm-dd");
    let ph = without(PROJ_STD, "unit");
    let ah = without(AT_STD, "unit");
    let ws = sheet(&mut wb);
    ws.set_name("Sheet1")?;
    widths(ws, &ph)?;
    let mut r = 0;
    line(ws, r, ph.len(), "一、重点项目建设进度", &f.title)?;
    r += 1;
    header(ws, r, &ph, &f)?;
    r = data(ws, r + 1, &rows_of(&sub.projects, &ph, Money::Wan), &f)?;
    r += 1; // blank row
    line(ws, r, MS_STD.len(), "二、节点计划", &f.title)?;
    r += 1;
    header(ws, r, MS_STD, &f)?;
    r = data(ws, r + 1, &rows_of(&sub.ms, MS_STD, Money::Wan), &f)?;
    r += 1;
    line(ws, r, ah.len(), "三、招商引资", &f.title)?;
    r += 1;
    header(ws, r, &ah, &f)?;
    data(ws, r + 1, &rows_of(&sub.at, &ah, Money::Wan), &f)?;
    save(wb, path)
}

// 11. 住建局: rows for the validator.
fn w_zhujian(sub: &Sub, path: &Path) -> R<()> {
    canonical(
        sub,
        path,
        ["调度表", "节点", "招商"],
        Some(note("县住建局", "2026年11月4日", "万元")),
        true,
        Some("县住建局重点项目调度表(2026年10月)"),
    )
}

// ---------------------------------------------------------------- the data

fn cg_003() -> Proj {
    Proj {
        id: "CG-2026-003",
        name: "城区雨污分流管网改造工程",
        unit: "城关镇",
        leader: "王建国 副县长",
        cat: "新建",
        sector: "基础设施",
        total: 8600.0,
        annual: 4000.0,
        month: 0.0,
        ytd: 0.0,
        ps: d("2026-09-15"),
        pf: d("2026-12-31"),
        note: "施工单位已进场",
        problems: "管线迁改手续未办结",
        next: "协调供电、通信部门加快迁改",
        ..Default::default()
    }
}

fn ll_002() -> Proj {
    Proj {
        id: "LL-2026-002",
        name: "柳林镇现代农业产业园建设项目",
        unit: "柳林镇",
        leader: "陈晓燕 副县长",
        cat: "新建",
        sector: "农业",
        total: 8800.0,
        annual: 3500.0,
        month: 300.0,
        ytd: 2100.0,
        ps: d("2026-05-01"),
        as_: d("2026-05-18"),
        pf: d("2026-12-31"),
        note: "温室大棚主体完工",
        ..Default::default()
    }
}

fn donghu(corrected: bool) -> (Vec<Proj>, Vec<Ms>, Vec<At>) {
    let lead = "赵立新 县委常委";
    let p = vec![
        Proj {
            id: "DH-2026-001",
            name: "东湖街道城市更新片区改造项目",
            unit: "东湖街道",
            leader: lead,
            cat: "续建",
            sector: "基础设施",
            total: 26000.0,
            annual: 9000.0,
            month: if corrected { 850.0 } else { 800.0 },
            ytd: if corrected { 6950.0 } else { 6900.0 },
            ps: d("2026-02-15"),
            as_: d("2026-02-20"),
            pf: d("2026-12-31"),
            note: "安置房主体完工80%",
            ..Default::default()
        },
        Proj {
            id: "DH-2026-002",
            name: "东湖科技孵化园建设项目",
            unit: "东湖街道",
            leader: lead,
            cat: "新建",
            sector: "工业",
            total: 12000.0,
            annual: 5000.0,
            month: 450.0,
            ytd: 3200.0,
            ps: d("2026-04-10"),
            as_: d("2026-04-25"),
            pf: d("2026-12-31"),
            note: "1号楼封顶",
            ..Default::default()
        },
        Proj {
            id: "DH-2026-003",
            name: "东湖湿地公园生态修复工程",
            unit: "东湖街道",
            leader: lead,
            cat: "新建",
            sector: "社会事业",
            total: 4800.0,
            annual: 2000.0,
            ps: d("2026-07-01"),
            pf: d("2026-12-31"),
            note: "施工图审查中",
            problems: "环评批复未取得",
            next: "对接市生态环境局加快审批",
            ..Default::default()
        },
    ];
    let m = vec![
        Ms {
            pid: "DH-2026-001",
            name: "拆迁安置",
            planned: d("2026-06-30"),
            actual: d("2026-07-10"),
            ..Default::default()
        },
        Ms {
            pid: "DH-2026-002",
            name: "主体完工",
            planned: d("2026-11-30"),
            ..Default::default()
        },
        Ms {
            pid: "DH-2026-003",
            name: "开工",
            planned: d("2026-07-01"),
            ..Default::default()
        },
    ];
    let a = vec![
        At {
            name: "东湖数字经济产业园项目",
            unit: "东湖街道",
            investor: "深圳前海云谷科技有限公司",
            source: "省外",
            stage: "开工",
            signed: d("2026-04-22"),
            contract: Some(60000.0),
            month: 1500.0,
            ytd: 9800.0,
            ..Default::default()
        },
        At {
            name: "东湖商业街区运营管理项目",
            unit: "东湖街道",
            investor: "香港新城发展有限公司",
            source: "境外",
            stage: "洽谈",
            ..Default::default()
        },
    ];
    (p, m, a)
}

fn subs() -> Vec<Sub> {
    let mut v = Vec::new();

    // 1. 城关镇
    let lead = "王建国 副县长";
    v.push(Sub {
        file: "城关镇_2026年10月.xlsx",
        convert: false,
        inbox_name: "城关镇_2026年10月.xlsx",
        unit: "城关镇",
        from: "note",
        report_date: "2026-11-01",
        superseded_by: None,
        shows: "规范文件:表头与FORMS.md完全一致,每表一个工作表(Sheet1/节点/招商),每表上方有填报单位说明行",
        projects: vec![
            Proj {
                id: "CG-2026-001",
                name: "城关镇老旧小区改造项目",
                unit: "城关镇",
                leader: lead,
                cat: "续建",
                sector: "社会事业",
                total: 12000.0,
                annual: 6000.0,
                month: 520.0,
                ytd: 4850.0,
                ps: d("2026-03-01"),
                as_: d("2026-03-10"),
                pf: d("2026-12-31"),
                note: "12个小区外墙保温完成9个",
                ..Default::default()
            },
            Proj {
                id: "CG-2026-002",
                name: "城关镇农贸市场提升改造项目",
                unit: "城关镇",
                leader: lead,
                cat: "新建",
                sector: "社会事业",
                total: 3500.0,
                annual: 3000.0,
                month: 300.0,
                ytd: 2400.0,
                ps: d("2026-05-15"),
                as_: d("2026-05-20"),
                pf: d("2026-12-20"),
                note: "主体结构完成,正在装修",
                problems: "主体完工节点滞后",
                next: "增加施工班组",
                ..Default::default()
            },
            cg_003(),
            Proj {
                id: "CG-2026-004",
                name: "城关镇智慧停车场建设项目",
                unit: "城关镇",
                leader: lead,
                cat: "前期",
                sector: "基础设施",
                total: 2600.0,
                annual: 500.0,
                month: 50.0,
                ytd: 120.0,
                ps: d("2026-12-15"),
                note: "可研编制中",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "CG-2026-001",
                name: "完成3号楼主体改造",
                planned: d("2026-06-30"),
                actual: d("2026-06-25"),
                ..Default::default()
            },
            Ms {
                pid: "CG-2026-001",
                name: "配套管网改造",
                planned: d("2026-11-30"),
                pq: Some(3.6),
                dq: Some(2.4),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "CG-2026-002",
                name: "主体完工",
                planned: d("2026-09-30"),
                ..Default::default()
            },
            Ms {
                pid: "CG-2026-003",
                name: "开工",
                planned: d("2026-09-15"),
                ..Default::default()
            },
            Ms {
                pid: "CG-2026-004",
                name: "完成可研批复",
                planned: d("2026-12-31"),
                ..Default::default()
            },
        ],
        at: vec![
            At {
                name: "城关镇商业综合体项目",
                unit: "城关镇",
                investor: "甘肃陇商置业有限公司",
                source: "市外省内",
                stage: "签约",
                signed: d("2026-07-18"),
                contract: Some(50000.0),
                month: 1200.0,
                ytd: 4500.0,
                ..Default::default()
            },
            At {
                name: "城关镇冷链物流中心项目",
                unit: "城关镇",
                investor: "兰州东岗物流集团有限公司",
                source: "县外市内",
                stage: "洽谈",
                ..Default::default()
            },
        ],
        write: w_chengguan,
    });

    // 2. 河口镇
    let lead = "李红梅 副县长";
    v.push(Sub {
        file: "河口镇_2026年10月.xlsx",
        convert: false,
        inbox_name: "河口镇_2026年10月.xlsx",
        unit: "河口镇",
        from: "note",
        report_date: "2026-11-03",
        superseded_by: None,
        shows: "合并单元格的标题行和说明行(单位:万元写在说明行,金额表头不带单位);两行表头:\"完成投资(万元)\"横跨\"本月\"\"累计\"两列,其余表头纵向合并两行;节点、招商表上方各有一行标题",
        projects: vec![
            Proj {
                id: "HK-2026-001",
                name: "G318线河口至青石段改扩建工程",
                leader: lead,
                cat: "续建",
                sector: "基础设施",
                total: 45000.0,
                annual: 15000.0,
                month: 1300.0,
                ytd: 11200.0,
                ps: d("2026-02-20"),
                as_: d("2026-03-01"),
                pf: d("2026-12-31"),
                note: "路基完成75%",
                ..Default::default()
            },
            Proj {
                id: "HK-2026-002",
                name: "河口镇中心小学教学楼建设项目",
                leader: lead,
                cat: "新建",
                sector: "社会事业",
                total: 3200.0,
                annual: 2800.0,
                month: 260.0,
                ytd: 1900.0,
                ps: d("2026-04-01"),
                as_: d("2026-04-12"),
                pf: d("2026-12-30"),
                note: "主体封顶,内外装修",
                ..Default::default()
            },
            Proj {
                id: "HK-2026-003",
                name: "河口镇高标准农田建设项目",
                leader: lead,
                cat: "新建",
                sector: "农业",
                total: 1800.0,
                annual: 1800.0,
                ps: d("2026-10-20"),
                pf: d("2026-12-31"),
                note: "招标完成",
                problems: "秋收未结束,无法进场",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "HK-2026-001",
                name: "路基工程",
                planned: d("2026-11-30"),
                pq: Some(28.6),
                dq: Some(21.3),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "HK-2026-002",
                name: "主体封顶",
                planned: d("2026-08-31"),
                actual: d("2026-08-28"),
                ..Default::default()
            },
            Ms {
                pid: "HK-2026-003",
                name: "开工",
                planned: d("2026-10-20"),
                ..Default::default()
            },
        ],
        at: vec![At {
            name: "河口镇20兆瓦分布式光伏发电项目",
            investor: "浙江正泰新能源开发有限公司",
            source: "省外",
            stage: "开工",
            signed: d("2026-03-12"),
            contract: Some(25000.0),
            month: 800.0,
            ytd: 5200.0,
            ..Default::default()
        }],
        write: w_hekou,
    });

    // 3. 青石镇
    let lead = "张志强 县委常委";
    v.push(Sub {
        file: "青石镇10月进度表.xlsx",
        convert: false,
        inbox_name: "青石镇10月进度表.xlsx",
        unit: "青石镇",
        from: "note",
        report_date: "2026-11-03",
        superseded_by: None,
        shows: "繁体表头(項目編號、總投資(萬元)、累計到位資金…)、全角括号（萬元）、表头内换行(\"累计完成\\n投资(万元)\")和空格(\"项目 名称\"、\"包抓 領導\");日期格式为yyyy年m月d日的日期单元格",
        projects: vec![
            Proj {
                id: "QS-2026-001",
                name: "青石镇特色小镇基础设施建设项目",
                leader: lead,
                cat: "续建",
                sector: "基础设施",
                total: 9800.0,
                annual: 4200.0,
                month: 380.0,
                ytd: 3100.0,
                ps: d("2026-03-01"),
                as_: d("2026-03-05"),
                pf: d("2026-11-30"),
                note: "管网铺设完成",
                ..Default::default()
            },
            Proj {
                id: "QS-2026-002",
                name: "年产5万吨特色农产品深加工项目",
                leader: lead,
                cat: "新建",
                sector: "工业",
                total: 16000.0,
                annual: 6000.0,
                month: 520.0,
                ytd: 2600.0,
                ps: d("2026-06-01"),
                as_: d("2026-06-18"),
                pf: d("2026-12-31"),
                note: "厂房钢结构安装",
                problems: "设备订货周期长",
                next: "督促企业提前订货",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "QS-2026-001",
                name: "管网铺设",
                planned: d("2026-10-31"),
                actual: d("2026-10-28"),
                pq: Some(6.5),
                dq: Some(6.5),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "QS-2026-002",
                name: "完成用地审批",
                planned: d("2026-05-10"),
                actual: d("2026-05-08"),
                ..Default::default()
            },
            Ms {
                pid: "QS-2026-002",
                name: "设备安装调试",
                planned: d("2026-12-20"),
                ..Default::default()
            },
        ],
        at: vec![
            At {
                name: "青石镇文旅康养综合体项目",
                unit: "青石镇",
                investor: "四川蜀道文旅集团有限公司",
                source: "省外",
                stage: "洽谈",
                ..Default::default()
            },
            At {
                name: "青石镇中药材种植加工项目",
                unit: "青石镇",
                investor: "甘肃岐黄药业有限公司",
                source: "市外省内",
                stage: "投产",
                signed: d("2026-02-14"),
                contract: Some(6000.0),
                month: 300.0,
                ytd: 4200.0,
                ..Default::default()
            },
        ],
        write: w_qingshi,
    });

    // 4. 交通局
    let lead = "王建国 副县长";
    v.push(Sub {
        file: "交通局10月报表.xlsx",
        convert: false,
        inbox_name: "交通局10月报表.xlsx",
        unit: "县交通运输局",
        from: "note",
        report_date: "2026-11-04",
        superseded_by: None,
        shows: "金额以亿元填报(总投资(亿元)等,如3.5、0.82),招商表以元填报(合同金额(元) 12000000);填报单位写作别名\"县交通局\";表头变体\"当月完成投资\"\"年初至今累计完成投资\";日期格式yyyy/m/d",
        projects: vec![
            Proj {
                id: "JT-2026-001",
                name: "G318线青石至白马段改扩建工程",
                leader: lead,
                cat: "续建",
                sector: "基础设施",
                total: 35000.0,
                annual: 12000.0,
                month: 1100.0,
                ytd: 8600.0,
                ps: d("2026-02-25"),
                as_: d("2026-03-02"),
                pf: d("2026-12-31"),
                note: "路面基层施工",
                ..Default::default()
            },
            Proj {
                id: "JT-2026-002",
                name: "县城至龙泉镇公路提升改造工程",
                leader: lead,
                cat: "新建",
                sector: "基础设施",
                total: 8200.0,
                annual: 5000.0,
                month: 600.0,
                ytd: 3100.0,
                ps: d("2026-04-15"),
                as_: d("2026-05-06"),
                pf: d("2026-11-30"),
                note: "路基完成三分之二",
                problems: "路基工程节点滞后",
                next: "延长作业时间",
                ..Default::default()
            },
            Proj {
                id: "JT-2026-003",
                name: "农村公路安全生命防护工程",
                leader: lead,
                cat: "新建",
                sector: "基础设施",
                total: 4500.0,
                annual: 4500.0,
                ps: d("2026-08-01"),
                pf: d("2026-12-31"),
                problems: "资金未到位",
                next: "争取省级补助资金",
                ..Default::default()
            },
            Proj {
                id: "JT-2026-004",
                name: "县客运综合枢纽站建设项目",
                leader: lead,
                cat: "前期",
                sector: "基础设施",
                total: 12000.0,
                annual: 500.0,
                month: 50.0,
                ytd: 200.0,
                note: "完成选址论证",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "JT-2026-001",
                name: "路面工程",
                planned: d("2026-12-31"),
                pq: Some(42.5),
                dq: Some(30.0),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "JT-2026-002",
                name: "路基工程",
                planned: d("2026-09-30"),
                pq: Some(18.0),
                dq: Some(12.0),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "JT-2026-003",
                name: "开工",
                planned: d("2026-08-01"),
                ..Default::default()
            },
        ],
        at: vec![At {
            name: "县城物流园区智能仓储项目",
            unit: "县交通局",
            investor: "陕西秦通物流有限公司",
            source: "省外",
            stage: "签约",
            signed: d("2026-09-12"),
            contract: Some(1200.0),
            month: 150.0,
            ytd: 300.0,
            ..Default::default()
        }],
        write: w_jiaotong,
    });

    // 5. 白马乡
    let sv = |x: &str| s(x);
    v.push(Sub {
        file: "白马乡2026年10月份报表.xlsx",
        convert: false,
        inbox_name: "白马乡2026年10月份报表.xlsx",
        unit: "白马乡",
        from: "note",
        report_date: "2026-11-03",
        superseded_by: None,
        shows: "文本数字(\"2,600\"、\"1，200.5\"、全角\"１２００\"、\"1200万元\"、\" 35 \")、各种日期写法(日期单元格、序列号46132、\"2026-12-20\"、\"2026/4/20\"、\"2026.5.6\"、\"2026年4月20日\"、\"2026年11月\"、\"11月15日\"、\"4月底\")、公式(缓存值350)、#DIV/0!错误单元格;列顺序打乱,多出\"序号\"\"备注\"列;表头变体\"1-本月累计完成投资\"",
        projects: vec![
            Proj {
                id: "BM-2026-001",
                name: "白马乡乡村振兴示范村建设项目",
                cat: "续建",
                sector: "农业",
                total: 2600.0,
                annual: 1200.5,
                month: 35.0,
                ytd: 350.0,
                ps: d("2026-03-10"),
                as_: d("2026-04-20"),
                pf: d("2026-12-20"),
                note: "村内道路硬化完成",
                over: vec![
                    ("total_invest", sv("2,600")),
                    ("annual_plan", sv("1，200.5")),
                    ("month_done", sv(" 35 ")),
                    ("ytd_done", V::F("=315+35".into(), 350.0)),
                    // planned_start: an Excel date cell (the default)
                    ("actual_start", V::G(serial(d("2026-04-20").unwrap()))),
                    ("planned_finish", sv("2026-12-20")),
                ],
                ..Default::default()
            },
            Proj {
                id: "BM-2026-002",
                name: "白马乡农村饮水安全巩固提升工程",
                cat: "新建",
                sector: "基础设施",
                total: 1200.0,
                annual: 1200.0,
                month: 0.0,
                ytd: 860.0,
                ps: d("2026-04-20"),
                as_: d("2026-05-06"),
                pf: d("2026-11-30"),
                note: "管网铺设基本完成",
                over: vec![
                    ("total_invest", sv("１２００")),
                    ("annual_plan", sv("1200万元")),
                    ("month_done", V::E),
                    ("ytd_done", sv("860")),
                    ("planned_start", sv("2026/4/20")),
                    ("actual_start", sv("2026.5.6")),
                    ("planned_finish", sv("2026年11月")),
                    ("", sv("本月未完成投资")),
                ],
                ..Default::default()
            },
            Proj {
                id: "BM-2026-003",
                name: "白马乡中药材种植基地建设项目",
                cat: "新建",
                sector: "农业",
                total: 800.0,
                annual: 600.0,
                month: 0.0,
                ytd: 300.0,
                ps: d("2026-06-01"),
                as_: d("2026-06-15"),
                pf: d("2026-12-31"),
                note: "完成种植面积500亩",
                over: vec![
                    ("month_done", V::X("=1/0".into(), "#DIV/0!".into())),
                    ("planned_start", sv("2026年6月1日")),
                    ("actual_start", sv("6月15日")),
                    ("", sv("本月数据待核实")),
                ],
                exp: Exp::Rej("本月完成投资为公式错误值#DIV/0!(单元格错误)"),
                ..Default::default()
            },
            Proj {
                id: "BM-2026-004",
                name: "白马乡冷链仓储中心建设项目",
                cat: "前期",
                sector: "农业",
                total: 1500.0,
                annual: 200.0,
                month: 20.0,
                ytd: 80.0,
                ps: d("2026-12-31"),
                note: "完成项目建议书",
                over: vec![("planned_start", sv("2026年12月")), ("", sv("前期工作"))],
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "BM-2026-001",
                name: "完成村内道路硬化",
                planned: d("2026-04-20"),
                actual: d("2026-04-30"),
                pq: Some(12.5),
                dq: Some(12.5),
                qu: "公里",
                over: vec![
                    ("planned_date", sv("2026年4月20日")),
                    ("actual_date", sv("4月底")),
                ],
                ..Default::default()
            },
            Ms {
                pid: "BM-2026-001",
                name: "完成民居风貌改造",
                planned: d("2026-10-31"),
                pq: Some(120.0),
                dq: Some(96.0),
                qu: "户",
                over: vec![("planned_date", sv("2026年10月"))],
                ..Default::default()
            },
            Ms {
                pid: "BM-2026-002",
                name: "管网铺设",
                planned: d("2026-09-30"),
                actual: d("2026-09-28"),
                pq: Some(8500.0),
                dq: Some(8500.0),
                qu: "米",
                over: vec![
                    // planned_date: an Excel date cell (the default)
                    ("actual_date", V::G(serial(d("2026-09-28").unwrap()))),
                    ("planned_qty", sv("8,500")),
                    ("done_qty", sv(" 8500 ")),
                ],
                ..Default::default()
            },
            Ms {
                pid: "BM-2026-004",
                name: "完成可研批复",
                planned: d("2026-11-15"),
                over: vec![("planned_date", sv("11月15日"))],
                ..Default::default()
            },
        ],
        at: vec![At {
            name: "白马乡肉牛养殖基地项目",
            investor: "宁夏塞上牧业有限公司",
            source: "省外",
            stage: "签约",
            signed: d("2026-08-08"),
            contract: Some(3000.0),
            month: 200.0,
            ytd: 1000.0,
            over: vec![
                ("signed_date", sv("2026年8月8日")),
                ("contract_amount", sv("3,000")),
                ("month_funds", sv(" 200 ")),
                ("ytd_funds", sv("1,000")),
            ],
            ..Default::default()
        }],
        write: w_baima,
    });

    // 6. 柳林镇
    let lead = "陈晓燕 副县长";
    v.push(Sub {
        file: "柳林镇_2026年10月.xlsx",
        convert: false,
        inbox_name: "柳林镇_2026年10月.xlsx",
        unit: "柳林镇",
        from: "note",
        report_date: "2026-11-03",
        superseded_by: None,
        shows: "项目表:数据中间有一空行,底部有合计行(金额等于各行之和)和\"填表人/审核人/联系电话\"页脚行,多出\"序号\"列;招商表:小计行的累计到位资金(4600)与各行之和(4400)不符",
        projects: vec![
            Proj {
                id: "LL-2026-001",
                name: "柳林镇污水处理厂提标改造项目",
                unit: "柳林镇",
                leader: lead,
                cat: "续建",
                sector: "基础设施",
                total: 5200.0,
                annual: 2400.0,
                month: 210.0,
                ytd: 1750.0,
                ps: d("2026-03-20"),
                as_: d("2026-03-25"),
                pf: d("2026-11-30"),
                note: "设备安装调试完成",
                ..Default::default()
            },
            Proj {
                exp: Exp::Conflict,
                ..ll_002()
            },
            Proj {
                id: "LL-2026-003",
                name: "柳林镇卫生院综合楼建设项目",
                unit: "柳林镇",
                leader: lead,
                cat: "新建",
                sector: "社会事业",
                total: 2600.0,
                annual: 1800.0,
                ps: d("2026-11-20"),
                pf: d("2026-12-31"),
                note: "施工招标中",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "LL-2026-001",
                name: "设备安装调试",
                planned: d("2026-10-15"),
                actual: d("2026-10-12"),
                ..Default::default()
            },
            Ms {
                pid: "LL-2026-003",
                name: "完成施工招标",
                planned: d("2026-11-10"),
                ..Default::default()
            },
        ],
        at: vec![
            At {
                name: "柳林镇食用菌产业化项目",
                unit: "柳林镇",
                investor: "福建绿康生物科技有限公司",
                source: "省外",
                stage: "投产",
                signed: d("2026-01-20"),
                contract: Some(8000.0),
                month: 500.0,
                ytd: 3600.0,
                ..Default::default()
            },
            At {
                name: "柳林镇农产品电商物流园项目",
                unit: "柳林镇",
                investor: "兰州新区商贸物流有限公司",
                source: "县外市内",
                stage: "签约",
                signed: d("2026-09-05"),
                contract: Some(5000.0),
                month: 300.0,
                ytd: 800.0,
                ..Default::default()
            },
        ],
        write: w_liulin,
    });

    // 7. 东湖街道, twice
    let (p, m, a) = donghu(false);
    v.push(Sub {
        file: "东湖街道_10月.xlsx",
        convert: false,
        inbox_name: "东湖街道_10月.xlsx",
        unit: "东湖街道",
        from: "note",
        report_date: "2026-11-02",
        superseded_by: Some("东湖街道_10月(更正).xlsx"),
        shows: "首次报送(填报日期2026年11月2日),被更正件取代;标题行+说明行只在第一个工作表",
        projects: p,
        ms: m,
        at: a,
        write: w_donghu_first,
    });
    let (p, m, a) = donghu(true);
    v.push(Sub {
        file: "东湖街道_10月(更正).xlsx",
        convert: false,
        inbox_name: "东湖街道_10月(更正).xlsx",
        unit: "东湖街道",
        from: "note",
        report_date: "2026-11-05",
        superseded_by: None,
        shows: "更正件(填报日期2026年11月5日):DH-2026-001 本月完成投资 800→850、累计完成投资 6900→6950,其余与首次报送相同",
        projects: p,
        ms: m,
        at: a,
        write: w_donghu_fix,
    });

    // 8a. 工信局 (.xls)
    let lead = "吴国庆 副县长";
    v.push(Sub {
        file: "重点项目调度表_2026-10.xlsx",
        convert: true,
        inbox_name: "重点项目调度表_2026-10.xls",
        unit: "县工业和信息化局",
        from: "column",
        report_date: "",
        superseded_by: None,
        shows: "旧版.xls(由LibreOffice转换);无填报单位说明行,文件名也不含单位,单位只能从责任单位列(别名\"工信局\")得出;招商表引资单位也写\"工信局\"",
        projects: vec![
            Proj {
                id: "GX-2026-001",
                name: "年产10万吨新型建材生产线项目",
                unit: "工信局",
                leader: lead,
                cat: "续建",
                sector: "工业",
                total: 38000.0,
                annual: 15000.0,
                month: 1200.0,
                ytd: 9800.0,
                ps: d("2026-01-15"),
                as_: d("2026-02-20"),
                pf: d("2026-12-31"),
                note: "生产线设备调试",
                ..Default::default()
            },
            Proj {
                id: "GX-2026-002",
                name: "县经济开发区标准化厂房建设项目",
                unit: "工信局",
                leader: lead,
                cat: "新建",
                sector: "工业",
                total: 9000.0,
                annual: 6000.0,
                month: 500.0,
                ytd: 3400.0,
                ps: d("2026-04-01"),
                as_: d("2026-04-15"),
                pf: d("2026-12-25"),
                note: "3栋厂房主体完工",
                ..Default::default()
            },
            Proj {
                id: "GX-2026-003",
                name: "县城5G基站建设工程",
                unit: "工信局",
                leader: lead,
                cat: "新建",
                sector: "基础设施",
                total: 2400.0,
                annual: 2400.0,
                ps: d("2026-10-10"),
                pf: d("2026-12-31"),
                problems: "站址协调困难",
                next: "召开专题协调会",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "GX-2026-001",
                name: "设备安装调试",
                planned: d("2026-09-30"),
                actual: d("2026-10-08"),
                ..Default::default()
            },
            Ms {
                pid: "GX-2026-001",
                name: "投产",
                planned: d("2026-12-31"),
                ..Default::default()
            },
            Ms {
                pid: "GX-2026-003",
                name: "开工",
                planned: d("2026-10-10"),
                ..Default::default()
            },
            Ms {
                pid: "GX-2026-003",
                name: "基站建设",
                planned: d("2026-12-31"),
                pq: Some(120.0),
                dq: Some(0.0),
                qu: "座",
                ..Default::default()
            },
        ],
        at: vec![
            At {
                name: "新能源汽车零部件制造项目",
                unit: "工信局",
                investor: "江苏恒力精密机械有限公司",
                source: "省外",
                stage: "签约",
                signed: d("2026-06-28"),
                contract: Some(45000.0),
                month: 2000.0,
                ytd: 8000.0,
                ..Default::default()
            },
            At {
                name: "废旧锂电池回收利用项目",
                unit: "工信局",
                investor: "新加坡绿源环保科技有限公司",
                source: "境外",
                stage: "洽谈",
                ..Default::default()
            },
        ],
        write: w_gongxin,
    });

    // 8b. 文旅局 (.ods)
    let lead = "何丽萍 副县长";
    v.push(Sub {
        file: "县文化和旅游局_2026年10月.xlsx",
        convert: true,
        inbox_name: "县文化和旅游局_2026年10月.ods",
        unit: "县文化和旅游局",
        from: "note",
        report_date: "2026-11-03",
        superseded_by: None,
        shows: "OpenDocument .ods(由LibreOffice转换),规范表头,填报单位说明行",
        projects: vec![
            Proj {
                id: "WL-2026-001",
                name: "青石山景区基础设施提升项目",
                unit: "县文化和旅游局",
                leader: lead,
                cat: "续建",
                sector: "文旅",
                total: 6500.0,
                annual: 3000.0,
                month: 260.0,
                ytd: 2300.0,
                ps: d("2026-03-01"),
                as_: d("2026-03-15"),
                pf: d("2026-12-31"),
                note: "游客中心投入使用",
                ..Default::default()
            },
            Proj {
                id: "WL-2026-002",
                name: "县博物馆新馆建设项目",
                unit: "县文化和旅游局",
                leader: lead,
                cat: "新建",
                sector: "社会事业",
                total: 8800.0,
                annual: 3000.0,
                ps: d("2026-09-01"),
                pf: d("2026-12-31"),
                problems: "施工图设计未完成",
                next: "督促设计单位加快进度",
                ..Default::default()
            },
            Proj {
                id: "WL-2026-003",
                name: "县城夜间文旅消费街区项目",
                unit: "县文化和旅游局",
                leader: lead,
                cat: "前期",
                sector: "文旅",
                total: 3000.0,
                annual: 500.0,
                month: 30.0,
                ytd: 150.0,
                note: "规划方案编制中",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "WL-2026-001",
                name: "游客中心主体完工",
                planned: d("2026-08-31"),
                actual: d("2026-09-05"),
                ..Default::default()
            },
            Ms {
                pid: "WL-2026-001",
                name: "景区栈道建设",
                planned: d("2026-11-30"),
                pq: Some(3.2),
                dq: Some(2.5),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "WL-2026-002",
                name: "完成施工图设计",
                planned: d("2026-07-31"),
                ..Default::default()
            },
        ],
        at: vec![At {
            name: "文旅康养度假区项目",
            unit: "县文旅局",
            investor: "北京中旅投资集团有限公司",
            source: "省外",
            stage: "签约",
            signed: d("2026-05-16"),
            contract: Some(35000.0),
            month: 600.0,
            ytd: 2600.0,
            ..Default::default()
        }],
        write: w_wenlv,
    });

    // 9. 龙泉镇
    let lead = "孙海涛 副县长";
    v.push(Sub {
        file: "龙泉镇.xlsx",
        convert: false,
        inbox_name: "龙泉镇.xlsx",
        unit: "龙泉镇",
        from: "filename",
        report_date: "",
        superseded_by: None,
        shows: "单位只能从文件名得出(无说明行、无责任单位/引资单位列);三张表在同一工作表上,以空行和标题行(一、二、三)分隔",
        projects: vec![
            Proj {
                id: "LQ-2026-001",
                name: "龙泉镇集镇污水管网建设工程",
                leader: lead,
                cat: "新建",
                sector: "基础设施",
                total: 3600.0,
                annual: 3600.0,
                month: 320.0,
                ytd: 2500.0,
                ps: d("2026-03-15"),
                as_: d("2026-03-28"),
                pf: d("2026-11-30"),
                note: "主管网完成85%",
                ..Default::default()
            },
            Proj {
                id: "LQ-2026-002",
                name: "龙泉温泉康养小镇建设项目",
                leader: lead,
                cat: "续建",
                sector: "文旅",
                total: 22000.0,
                annual: 6000.0,
                month: 500.0,
                ytd: 4100.0,
                ps: d("2026-02-01"),
                as_: d("2026-02-10"),
                pf: d("2026-12-31"),
                note: "温泉酒店封顶",
                ..Default::default()
            },
        ],
        ms: vec![
            Ms {
                pid: "LQ-2026-001",
                name: "管网铺设",
                planned: d("2026-11-30"),
                pq: Some(15.6),
                dq: Some(13.2),
                qu: "公里",
                ..Default::default()
            },
            Ms {
                pid: "LQ-2026-002",
                name: "温泉酒店主体封顶",
                planned: d("2026-09-30"),
                actual: d("2026-09-26"),
                ..Default::default()
            },
        ],
        at: vec![At {
            name: "龙泉山泉水生产线项目",
            investor: "青海昆仑山饮品有限公司",
            source: "省外",
            stage: "开工",
            signed: d("2026-05-20"),
            contract: Some(15000.0),
            month: 400.0,
            ytd: 3000.0,
            ..Default::default()
        }],
        write: w_longquan,
    });

    // 11. 住建局
    let lead = "郑文华 副县长";
    let zj = |id, name, cat, amts: [f64; 4], ps, as_, exp| Proj {
        id,
        name,
        leader: lead,
        cat,
        sector: "基础设施",
        total: amts[0],
        annual: amts[1],
        month: amts[2],
        ytd: amts[3],
        ps: d(ps),
        as_: d(as_),
        pf: d("2026-12-31"),
        exp,
        ..Default::default()
    };
    v.push(Sub {
        file: "住建局2026年10月调度表.xlsx",
        convert: false,
        inbox_name: "住建局2026年10月调度表.xlsx",
        unit: "县住房和城乡建设局",
        from: "note",
        report_date: "2026-11-04",
        superseded_by: None,
        shows: "供校验的错误行:空项目名称、负总投资、实际开工日期晚于期末、年度计划超过总投资(仅警告)、累计小于本月;节点引用不存在的项目编号;与城关镇完全相同的CG-2026-003(相同重复)和与柳林镇不一致的LL-2026-002(冲突重复);填报单位写作别名\"县住建局\"",
        projects: vec![
            Proj {
                unit: "县住建局",
                sector: "社会事业",
                note: "2号楼主体施工",
                ..zj(
                    "ZJ-2026-001",
                    "县城保障性租赁住房建设项目",
                    "新建",
                    [15000.0, 6000.0, 520.0, 3900.0],
                    "2026-03-01",
                    "2026-03-20",
                    Exp::Ok,
                )
            },
            zj(
                "ZJ-2026-002",
                "",
                "新建",
                [2000.0, 1000.0, 100.0, 500.0],
                "2026-05-01",
                "2026-05-10",
                Exp::Rej("项目名称为空(必填)"),
            ),
            zj(
                "ZJ-2026-003",
                "县城集中供热管网改造工程",
                "续建",
                [-3000.0, 1500.0, 120.0, 800.0],
                "2026-04-01",
                "2026-04-08",
                Exp::Rej("总投资为负数(-3000)"),
            ),
            zj(
                "ZJ-2026-004",
                "县城市政道路提升改造工程",
                "新建",
                [4500.0, 2000.0, 0.0, 0.0],
                "2026-10-20",
                "2026-11-15",
                Exp::Rej("实际开工日期2026-11-15晚于期末2026-10-31"),
            ),
            zj(
                "ZJ-2026-005",
                "县城公共停车场建设项目",
                "新建",
                [1800.0, 2500.0, 150.0, 900.0],
                "2026-06-01",
                "2026-06-15",
                Exp::Warn("年度计划投资2500高于总投资1800(警告,保留)"),
            ),
            zj(
                "ZJ-2026-006",
                "县城老旧供水管网改造工程",
                "续建",
                [3600.0, 1500.0, 300.0, 200.0],
                "2026-02-01",
                "2026-02-10",
                Exp::Rej("累计完成投资200小于本月完成投资300"),
            ),
            Proj {
                exp: Exp::DupSame,
                ..cg_003()
            },
            Proj {
                month: 350.0,
                ytd: 2300.0,
                exp: Exp::Conflict,
                ..ll_002()
            },
        ],
        ms: vec![
            Ms {
                pid: "ZJ-2026-001",
                name: "主体完工",
                planned: d("2026-12-31"),
                ..Default::default()
            },
            Ms {
                pid: "ZJ-2026-999",
                name: "开工",
                planned: d("2026-09-30"),
                exp: Exp::Rej("项目编号ZJ-2026-999在本期重点项目中不存在"),
                ..Default::default()
            },
        ],
        at: vec![At {
            name: "县城中央公园片区综合开发项目",
            unit: "县住建局",
            investor: "陕西建工地产集团有限公司",
            source: "省外",
            stage: "签约",
            signed: d("2026-03-30"),
            contract: Some(40000.0),
            month: 1000.0,
            ytd: 6000.0,
            ..Default::default()
        }],
        write: w_zhujian,
    });
    v
}

// ---------------------------------------------------------------- clutter

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive with stored (uncompressed) entries and a fixed time stamp.
fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let (time, date): (u16, u16) = (9 << 11, ((2026 - 1980) << 9) | (11 << 5) | 2);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, body) in entries {
        let offset = out.len() as u32;
        let crc = crc32(body);
        let size = body.len() as u32;
        let n = name.as_bytes();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&time.to_le_bytes());
        out.extend_from_slice(&date.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(n.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(n);
        out.extend_from_slice(body);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&time.to_le_bytes());
        central.extend_from_slice(&date.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(n.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0u8; 12]); // extra, comment, disk, int. attr, ext. attr
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(n);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let mut doc = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for p in paragraphs {
        let _ = write!(doc, "<w:p><w:r><w:t>{p}</w:t></w:r></w:p>");
    }
    doc.push_str("</w:body></w:document>");
    stored_zip(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ])
}

fn write_clutter(inbox: &Path) -> R<()> {
    // Excel's owner file: user name (length byte, padded), then junk, 165 bytes.
    let mut lock = vec![7u8];
    lock.extend_from_slice(b"wangwei");
    lock.resize(55, b' ');
    for u in "wangwei".encode_utf16() {
        lock.extend_from_slice(&u.to_le_bytes());
    }
    lock.resize(165, 0);
    fs::write(inbox.join("~$城关镇_2026年10月.xlsx"), &lock)?;
    fs::write(
        inbox.join(".~lock.东湖街道_10月(更正).xlsx#"),
        ",wangwei,DESKTOP-DH01,05.11.2026 09:12,file:///C:/Users/wangwei/AppData/Roaming/LibreOffice/4;",
    )?;
    let mut ds = b"\0\0\0\x01Bud1\0\0\x10\0\0\0\x08\0".to_vec();
    ds.resize(64, 0);
    fs::write(inbox.join(".DS_Store"), ds)?;
    fs::write(
        inbox.join("关于报送10月调度数据的说明.docx"),
        docx(&[
            "关于报送10月调度数据的说明",
            "各乡镇、街道,县直各部门:",
            "请于11月5日前报送10月重点项目建设及招商引资调度数据,金额单位统一为万元。",
            "县重点项目办 2026年11月1日",
        ]),
    )?;
    Ok(())
}

// ---------------------------------------------------------------- README

fn fmt_amt(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn readme(subs: &[Sub]) -> String {
    let pe = period_end();
    let units = roster();
    let resolve = |name: &str, default: &str| -> String {
        if name.is_empty() {
            return default.to_string();
        }
        for u in &units {
            if u.name == name || u.aliases.split([';', '；', '、']).any(|a| a == name) {
                return u.name.to_string();
            }
        }
        panic!("unknown unit {name}");
    };
    let live: Vec<&Sub> = subs.iter().filter(|s| s.superseded_by.is_none()).collect();

    let mut o = String::new();
    let _ = writeln!(
        o,
        "# 演示工作目录(2026年10月)\n\n\
         本目录由 `examples/make_demo.rs` 生成(`bash samples/make_demo.sh`),请勿手改;\n\
         `.xls` 与 `.ods` 两个文件由 LibreOffice 转换得到。\n\n\
         运行:`diaodu` 读取本目录的 `diaodu.toml`(期间 {PERIOD},期末 {pe})。\n"
    );

    o.push_str("## 文件一览\n\n");
    o.push_str("- `diaodu.toml`:工作目录配置(期间、名册、收件箱、输出目录)。\n");
    o.push_str("- `roster.xlsx`:单位目标名册(工作表\"单位目标\",合并标题行在表头上方;12个单位;别名分隔符 ; ； 、 各用一次)。\n");
    for s in subs {
        let _ = writeln!(o, "- `inbox/{}`:{}。", s.inbox_name, s.shows);
    }
    o.push_str("- `inbox/~$城关镇_2026年10月.xlsx`:Excel 锁文件(165字节垃圾数据),应忽略。\n");
    o.push_str(
        "- `inbox/.~lock.东湖街道_10月(更正).xlsx#`:LibreOffice 锁文件(隐藏文件),应忽略。\n",
    );
    o.push_str("- `inbox/.DS_Store`:隐藏文件,应忽略。\n");
    o.push_str("- `inbox/关于报送10月调度数据的说明.docx`:混入的 Word 文档(有效的 docx),不是表格:报为无法读取(unreadable),其余文件照常处理。\n");
    o.push_str("- 桃花乡:未报送任何文件(F01 未按时报送)。\n\n");

    o.push_str("## 预期结果\n\n### 文件归属与状态\n\n");
    o.push_str("| 文件 | 归属单位 | 单位来源 | 填报日期 | 状态 | 重点项目行 | 节点行 | 招商行 |\n|---|---|---|---|---|---|---|---|\n");
    for s in subs {
        let status = match s.superseded_by {
            Some(b) => format!("superseded(被 `{b}` 取代)"),
            None => "merged".into(),
        };
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            s.inbox_name,
            s.unit,
            s.from,
            if s.report_date.is_empty() {
                "—"
            } else {
                s.report_date
            },
            status,
            s.projects.len(),
            s.ms.len(),
            s.at.len()
        );
    }
    o.push_str("| `~$城关镇_2026年10月.xlsx`、`.~lock.东湖街道_10月(更正).xlsx#`、`.DS_Store` | — | — | — | ignored(不计为报送) | — | — | — |\n");
    o.push_str("| `关于报送10月调度数据的说明.docx` | — | — | — | unreadable(不是工作簿) | — | — | — |\n\n");
    o.push_str(
        "行数为数据行(不含标题、说明、表头、空行、合计/小计行与页脚行)。未报送单位:桃花乡。\n\n",
    );

    // rejected rows and warnings
    o.push_str("### 被拒绝的行(error)\n\n");
    let mut conflict_places = Vec::new();
    for s in &live {
        for p in &s.projects {
            match p.exp {
                Exp::Rej(why) => {
                    let _ = writeln!(o, "- `{}` 重点项目 {}:{}", s.inbox_name, p.id, why);
                }
                Exp::Conflict => conflict_places.push(s.inbox_name),
                _ => {}
            }
        }
        for m in &s.ms {
            if let Exp::Rej(why) = m.exp {
                let _ = writeln!(
                    o,
                    "- `{}` 节点 {}「{}」:{}",
                    s.inbox_name, m.pid, m.name, why
                );
            }
        }
        for a in &s.at {
            if let Exp::Rej(why) = a.exp {
                let _ = writeln!(o, "- `{}` 招商 {}:{}", s.inbox_name, a.name, why);
            }
        }
    }
    let _ = writeln!(
        o,
        "- LL-2026-002 冲突重复:`{}` 与 `{}` 中数据不同(本月 300/350,累计 2100/2300),两行都被拒绝,错误信息同时指明两个文件及行号",
        conflict_places[0], conflict_places[1]
    );
    o.push_str("- `关于报送10月调度数据的说明.docx`:文件无法读取(不是电子表格)\n\n");

    o.push_str("### 警告(warning)\n\n");
    for s in &live {
        for p in &s.projects {
            if let Exp::Warn(why) = p.exp {
                let _ = writeln!(o, "- `{}` 重点项目 {}:{}", s.inbox_name, p.id, why);
            }
        }
    }
    o.push_str("- CG-2026-003 相同重复:`城关镇_2026年10月.xlsx` 与 `住建局2026年10月调度表.xlsx` 中各字段完全相同(责任单位均为城关镇),合并为一行并给出警告;两行在行数统计中都计为 merged\n");
    o.push_str("- `柳林镇_2026年10月.xlsx` 招商表:小计行累计到位资金 4600 与各行之和 4400 不符(警告,另有 F08 数据存疑 total_mismatch);项目表的合计行与各行之和相符,不报警\n");
    o.push_str(
        "- 另有 info:`白马乡2026年10月份报表.xlsx` 的\"备注\"列被忽略(序号列也不映射)。\n\n",
    );

    // row accounting
    o.push_str("### 行数核算(read = merged + rejected + superseded)\n\n");
    o.push_str(
        "| 表 | read | merged | rejected | superseded | 输出行 |\n|---|---|---|---|---|---|\n",
    );
    let count = |sel: &dyn Fn(&Sub) -> Vec<Exp>| {
        let (mut read, mut merged, mut rej, mut sup, mut out) = (0, 0, 0, 0, 0);
        for s in subs {
            for e in sel(s) {
                read += 1;
                if s.superseded_by.is_some() {
                    sup += 1;
                    continue;
                }
                match e {
                    Exp::Ok | Exp::Warn(_) => {
                        merged += 1;
                        out += 1;
                    }
                    Exp::DupSame => merged += 1,
                    Exp::Rej(_) | Exp::Conflict => rej += 1,
                }
            }
        }
        (read, merged, rej, sup, out)
    };
    type Sel = Box<dyn Fn(&Sub) -> Vec<Exp>>;
    let tables: [(&str, Sel); 3] = [
        (
            "重点项目 projects",
            Box::new(|s: &Sub| s.projects.iter().map(|p| p.exp).collect()),
        ),
        (
            "节点计划 milestones",
            Box::new(|s: &Sub| s.ms.iter().map(|m| m.exp).collect()),
        ),
        (
            "招商引资 attraction",
            Box::new(|s: &Sub| s.at.iter().map(|a| a.exp).collect()),
        ),
    ];
    for (name, f) in &tables {
        let (r, m, j, sp, out) = count(f.as_ref());
        assert_eq!(r, m + j + sp);
        let _ = writeln!(o, "| {name} | {r} | {m} | {j} | {sp} | {out} |");
    }
    o.push('\n');

    // per-unit figures
    #[derive(Default)]
    struct Fig {
        projects: usize,
        new_cont: usize,
        started: usize,
        due: usize,
        overdue: usize,
        ytd: f64,
        month: f64,
        ms: usize,
        ms_overdue: usize,
        at_rows: usize,
        funds: f64,
        month_funds: f64,
    }
    let mut figs: BTreeMap<String, Fig> = BTreeMap::new();
    let mut proj_unit: BTreeMap<&str, String> = BTreeMap::new();
    let mut f04 = Vec::new();
    let mut f05 = Vec::new();
    for s in &live {
        for p in &s.projects {
            if !matches!(p.exp, Exp::Ok | Exp::Warn(_)) {
                if p.exp == Exp::DupSame {
                    proj_unit.insert(p.id, resolve(p.unit, s.unit));
                }
                continue;
            }
            let u = resolve(p.unit, s.unit);
            proj_unit.insert(p.id, u.clone());
            let fg = figs.entry(u.clone()).or_default();
            fg.projects += 1;
            fg.ytd += p.ytd;
            fg.month += p.month;
            if p.cat != "前期" {
                fg.new_cont += 1;
                if p.as_.is_some_and(|x| x <= pe) {
                    fg.started += 1;
                }
                if p.ps.is_some_and(|x| x <= pe) {
                    fg.due += 1;
                    if p.as_.is_none() {
                        fg.overdue += 1;
                        let days = (pe - p.ps.unwrap()).num_days();
                        f04.push(format!(
                            "{u} {} {}(计划开工 {},逾期 {days} 天,{})",
                            p.id,
                            p.name,
                            p.ps.unwrap(),
                            if days > 30 { "红" } else { "黄" }
                        ));
                    }
                }
            }
        }
    }
    for s in &live {
        for m in &s.ms {
            if m.exp != Exp::Ok {
                continue;
            }
            let u = proj_unit[m.pid].clone();
            let fg = figs.entry(u.clone()).or_default();
            fg.ms += 1;
            if m.planned.is_some_and(|x| x <= pe) && m.actual.is_none() {
                fg.ms_overdue += 1;
                let days = (pe - m.planned.unwrap()).num_days();
                f05.push(format!(
                    "{u} {}「{}」(计划 {},逾期 {days} 天,{})",
                    m.pid,
                    m.name,
                    m.planned.unwrap(),
                    if days > 30 { "红" } else { "黄" }
                ));
            }
        }
        for a in &s.at {
            if a.exp != Exp::Ok {
                continue;
            }
            let u = resolve(a.unit, s.unit);
            let fg = figs.entry(u).or_default();
            fg.at_rows += 1;
            fg.funds += a.ytd;
            fg.month_funds += a.month;
        }
    }
    o.push_str("### 各单位汇总(合并后,金额:万元)\n\n");
    o.push_str("时间进度 10/12 = 83.3%。完成率 = 累计完成投资 / 年度投资目标;到位率 = 累计到位资金 / 年度招商引资目标;开工率 = 已开工 / 新建+续建。\n\n");
    o.push_str("| 单位 | 类别 | 项目数 | 新建+续建 | 已开工 | 应开工 | 逾期未开工 | 本月完成 | 累计完成 | 投资目标 | 完成率 | 节点数 | 超期节点 | 招商行 | 本月到位 | 累计到位 | 招商目标 | 到位率 |\n");
    o.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    let mut tot = Fig::default();
    let (mut ti, mut ta) = (0.0, 0.0);
    for u in &units {
        let e = Fig::default();
        let fg = figs.get(u.name).unwrap_or(&e);
        ti += u.invest;
        ta += u.attract;
        tot.projects += fg.projects;
        tot.new_cont += fg.new_cont;
        tot.started += fg.started;
        tot.due += fg.due;
        tot.overdue += fg.overdue;
        tot.month += fg.month;
        tot.ytd += fg.ytd;
        tot.ms += fg.ms;
        tot.ms_overdue += fg.ms_overdue;
        tot.at_rows += fg.at_rows;
        tot.month_funds += fg.month_funds;
        tot.funds += fg.funds;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            u.name,
            u.kind,
            fg.projects,
            fg.new_cont,
            fg.started,
            fg.due,
            fg.overdue,
            fmt_amt(fg.month),
            fmt_amt(fg.ytd),
            fmt_amt(u.invest),
            pct(fg.ytd / u.invest),
            fg.ms,
            fg.ms_overdue,
            fg.at_rows,
            fmt_amt(fg.month_funds),
            fmt_amt(fg.funds),
            fmt_amt(u.attract),
            pct(fg.funds / u.attract)
        );
    }
    let _ = writeln!(
        o,
        "| 全县 | | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        tot.projects,
        tot.new_cont,
        tot.started,
        tot.due,
        tot.overdue,
        fmt_amt(tot.month),
        fmt_amt(tot.ytd),
        fmt_amt(ti),
        pct(tot.ytd / ti),
        tot.ms,
        tot.ms_overdue,
        tot.at_rows,
        fmt_amt(tot.month_funds),
        fmt_amt(tot.funds),
        fmt_amt(ta),
        pct(tot.funds / ta)
    );
    o.push_str(
        "县交通运输局的金额由亿元/元换算,比较时按4位小数取整。CG-2026-003 只计一次(城关镇)。\n\n",
    );
    o.push_str("### 逾期未开工(F04,新建/续建,计划开工 ≤ 期末且无实际开工)\n\n");
    for x in &f04 {
        let _ = writeln!(o, "- {x}");
    }
    o.push_str("\n### 超期节点(F05,计划完成 ≤ 期末且无实际完成;等于期末为 0 天)\n\n");
    for x in &f05 {
        let _ = writeln!(o, "- {x}");
    }
    o.push_str("\n### 未报送\n\n- 桃花乡:F01 未按时报送,F02 零实绩(投资、招商各一条),F03 红。\n");
    o
}

// ---------------------------------------------------------------- main

const TOML: &str = r#"# diaodu 工作目录配置 —— 每项缺省值见 README
period = "2026-10"
roster = "roster.xlsx"
inbox = "inbox"
out = "out"
"#;

fn main() -> R<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(args.first().map(String::as_str).unwrap_or("samples/demo"));
    let conv = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| out.join("_to_convert"));
    let inbox = out.join("inbox");
    fs::create_dir_all(&inbox)?;
    fs::create_dir_all(&conv)?;

    fs::write(out.join("diaodu.toml"), TOML)?;
    write_roster(&out.join("roster.xlsx"))?;
    let subs = subs();
    for s in &subs {
        let dir = if s.convert { &conv } else { &inbox };
        (s.write)(s, &dir.join(s.file))?;
    }
    write_clutter(&inbox)?;
    fs::write(out.join("README.md"), readme(&subs))?;
    println!(
        "wrote {} (inbox: {} workbooks; to convert with LibreOffice: {})",
        out.display(),
        subs.iter().filter(|s| !s.convert).count(),
        conv.display()
    );
    Ok(())
}
