//! Forms for the units: `diaodu template`.
//!
//! One workbook per roster unit for the coming month (重点项目, 节点计划,
//! 招商引资 and a 填报说明 sheet), a blank form with no unit, and a blank
//! roster. Everything about a column — its header, type, choices and
//! required-ness — comes from `forms.rs`; this module only lays it out:
//!
//! ```text
//! row 1  title        城关镇重点项目建设进度月报表(2026年6月)          (locked)
//! row 2  note         填报单位: [城关镇]  填报日期: [        ]  单位:万元  ([ ] unlocked)
//! row 3  header       项目编号 | 项目名称 | … (forms.rs order)          (locked)
//! row 4… input rows   pre-filled rows, then blank ones                  (unlocked)
//! ```
//!
//! The reader takes the note row back (`ingest::parse_note`: the unit, and the
//! date once the unit types one) and the header row maps to the schema field
//! for field, so a filled form reads with no finding at all.
//!
//! Pre-filling: `PrefillData` holds a unit's rows from the latest history,
//! keyed by the `forms.rs` field keys; the fields a unit reports anew every
//! month (`FRESH_EACH_MONTH`) are never carried over.

use crate::config::Period;
use crate::error::Error;
use crate::excel_limits::fit;
use crate::forms::{
    self, attraction, milestone, project, Field, FieldSpec, FieldType, Required, TableKind,
};
use crate::ingest::header::Schema;
use crate::model::Value;
use crate::roster::{Roster, Unit};
use crate::text::display_width;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use std::path::{Path, PathBuf};

mod guide;
mod sheets;
mod styles;
mod validation;
mod write;

#[cfg(test)]
use guide::rule_text;
use guide::{form_guide, guide_sheet, Section};
#[cfg(test)]
use sheets::column_width;
use sheets::{names_sheet, table_sheet};
use styles::Styles;
use validation::{date_validation, field_validation, names_validation};
pub use write::{write_blank_templates, write_unit_forms, Written};

/// The instructions sheet of every workbook this module writes.
pub const GUIDE_SHEET: &str = "填报说明";
/// The hidden sheet holding the roster names for the drop-down lists.
pub const NAMES_SHEET: &str = "单位名单";
/// The blank unit form committed under `templates/`.
pub const BLANK_FORM_FILE: &str = "报表模板.xlsx";
/// The blank roster committed under `templates/`.
pub const ROSTER_FILE: &str = "roster.xlsx";

/// 0-based rows of a form sheet.
pub const TITLE_ROW: u32 = 0;
pub const NOTE_ROW: u32 = 1;
pub const HEADER_ROW: u32 = 2;
pub const FIRST_INPUT_ROW: u32 = 3;
/// Input rows of a form: at least this many…
pub const MIN_INPUT_ROWS: u32 = 50;
/// …and this many blank ones after the pre-filled rows.
pub const EXTRA_INPUT_ROWS: u32 = 20;
/// Input rows of the roster template.
pub const ROSTER_INPUT_ROWS: u32 = 100;

/// Columns of the note row: "填报单位:" label, the unit (merged over two
/// columns), "填报日期:" label, the date (merged over two columns); "单位:万元"
/// sits in the last column.
pub const NOTE_UNIT_COL: u16 = 1;
pub const NOTE_DATE_COL: u16 = 4;

/// The date range the date cells accept.
const DATE_MIN: (u16, u8, u8) = (2000, 1, 1);
const DATE_MAX: (u16, u8, u8) = (2100, 12, 31);
const DATE_FORMS: &str = "如 2026-04-20、2026/4/20 或 2026年4月20日";

/// The document creation date written into every workbook, so that the same
/// input gives the same bytes (the committed templates are compared byte for byte).
const CREATED: (u16, u8, u8) = (2026, 1, 1);

/// Fields a unit reports anew every month: never carried into next month's
/// form (this month's figures, the cumulative figures, the narrative).
pub const FRESH_EACH_MONTH: &[(TableKind, &[Field])] = &[
    (
        TableKind::Projects,
        &[
            project::MONTH_DONE,
            project::YTD_DONE,
            project::PROGRESS_NOTE,
            project::PROBLEMS,
            project::NEXT_STEPS,
        ],
    ),
    (TableKind::Milestones, &[milestone::DONE_QTY]),
    (
        TableKind::Attraction,
        &[attraction::MONTH_FUNDS, attraction::YTD_FUNDS],
    ),
];

/// Whether a field is left blank in a pre-filled form.
pub fn is_fresh(table: TableKind, key: &str) -> bool {
    FRESH_EACH_MONTH
        .iter()
        .any(|(t, fields)| *t == table && fields.iter().any(|f| f.key() == key))
}

pub use crate::history::{Prefill, PrefillData, PrefillRow};

/// A template rust_xlsxwriter could not build.
fn xlsx(e: XlsxError) -> Error {
    Error::Write(format!("生成报表模板出错:{e}"))
}

/// The file name of a unit's form: `城关镇_2026年06月报表.xlsx`. Characters
/// that cannot stand in a file name become `_`.
pub fn form_file_name(unit: &str, period: Period) -> String {
    let safe: String = unit
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    format!("{safe}_{}年{:02}月报表.xlsx", period.year, period.month)
}

/// The month after `p`: the forms of a run for May are June's.
pub fn next_period(p: Period) -> Period {
    if p.month == 12 {
        Period {
            year: p.year + 1,
            month: 1,
        }
    } else {
        Period {
            year: p.year,
            month: p.month + 1,
        }
    }
}

/// The title of a table's sheet.
pub fn sheet_title(table: TableKind, unit: Option<&str>, period: Option<Period>) -> String {
    let what = match table {
        TableKind::Projects => "重点项目建设进度月报表",
        TableKind::Milestones => "重点项目节点计划表",
        TableKind::Attraction => "招商引资项目进展月报表",
    };
    let when = period.map_or("    年  月".to_string(), |p| p.cn());
    format!("{}{what}({when})", unit.unwrap_or(""))
}

/// The roster names, written on the hidden sheet for the drop-down lists.
struct Names {
    /// `='单位名单'!$A$1:$A$12`
    formula: String,
    /// The widest name, in display columns.
    width: usize,
}

/// Everything about one workbook that is not a table's rows.
struct Ctx<'a> {
    unit: Option<&'a str>,
    period: Option<Period>,
    names: Option<Names>,
}

fn excel_date(ymd: (u16, u8, u8)) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(ymd.0, ymd.1, ymd.2)
}

fn fmt_ymd(ymd: (u16, u8, u8)) -> String {
    format!("{:04}-{:02}-{:02}", ymd.0, ymd.1, ymd.2)
}

fn new_workbook(title: &str) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(title)
        .set_author("diaodu")
        .set_creation_datetime(&excel_date(CREATED)?);
    wb.set_properties(&props);
    Ok(wb)
}

/// Build a unit's form for `period`: the unit's name in the note row, drop-down
/// lists of the roster's names, and the rows of `prefill` (without history:
/// `None`, a blank form).
pub fn unit_form(
    roster: &Roster,
    unit: usize,
    period: Period,
    prefill: Option<&PrefillData>,
) -> Result<Workbook, Error> {
    let u = &roster.units[unit];
    let names: Vec<&str> = roster.units.iter().map(|u| u.name.as_str()).collect();
    form(Some(&u.name), Some(period), &names, prefill).map_err(xlsx)
}

/// The blank form committed as `templates/报表模板.xlsx`: no unit, no period,
/// no roster lists.
pub fn blank_form() -> Result<Workbook, Error> {
    form(None, None, &[], None).map_err(xlsx)
}

fn form(
    unit: Option<&str>,
    period: Option<Period>,
    names: &[&str],
    prefill: Option<&PrefillData>,
) -> Result<Workbook, XlsxError> {
    let title = sheet_title(TableKind::Projects, unit, period);
    let mut wb = new_workbook(&title)?;
    let st = Styles::new();
    // The lists' sheet goes last; the formula that refers to it is known now.
    let list = names_formula(names);
    let cx = Ctx {
        unit,
        period,
        names: list,
    };
    for t in TableKind::ALL {
        let rows = prefill.map_or(&[][..], |p| p.rows(t));
        let input_rows = MIN_INPUT_ROWS.max(rows.len() as u32 + EXTRA_INPUT_ROWS);
        table_sheet(
            &mut wb,
            &st,
            &cx,
            t.title(),
            &sheet_title(t, unit, period),
            Some(t),
            t.form_fields(),
            rows,
            input_rows,
        )?;
    }
    form_guide(&mut wb, &st, &cx)?;
    names_sheet(&mut wb, names)?;
    wb.worksheet_from_name(TableKind::Projects.title())?
        .set_active(true);
    Ok(wb)
}

fn names_formula(names: &[&str]) -> Option<Names> {
    (!names.is_empty()).then(|| Names {
        formula: format!("='{NAMES_SHEET}'!$A$1:$A${}", names.len()),
        width: names.iter().map(|n| display_width(n)).max().unwrap_or(0),
    })
}

/// The blank roster committed as `templates/roster.xlsx`.
pub fn roster_template() -> Result<Workbook, Error> {
    roster_workbook().map_err(xlsx)
}

fn roster_workbook() -> Result<Workbook, XlsxError> {
    let sheet = Schema::roster().title;
    let title = "单位名册(年度目标)";
    let mut wb = new_workbook(title)?;
    let st = Styles::new();
    let cx = Ctx {
        unit: None,
        period: None,
        names: None,
    };
    table_sheet(
        &mut wb,
        &st,
        &cx,
        sheet,
        title,
        None,
        forms::ROSTER_FIELDS,
        &[],
        ROSTER_INPUT_ROWS,
    )?;
    let before: Vec<Section> = vec![(
        "一、填写须知",
        vec![
            format!("1. 在「{sheet}」表中每个单位填一行,从第 3 行起填写;第 2 行是表头,不要修改。"),
            "2. 单位名称须为全称;各单位报表中的单位名称(和责任单位、引资单位)须与名册中的名称或别名一致,否则无法汇总。".to_string(),
            format!("3. 单位类别从下拉列表中选择:{};乡镇(含街道)和部门分别排名。", forms::UNIT_KINDS.join("或")),
            "4. 目标金额以万元为单位,只填数字,不要带\"万元\"等文字。".to_string(),
            "5. 表头为红色的列必须填写,其余列可留空。".to_string(),
        ],
    )];
    let after: Vec<Section> = vec![(
        "三、使用",
        vec![
            "名册保存为工作目录下的 roster.xlsx。".to_string(),
            "运行 diaodu template 工作目录,即按名册为每个单位生成下月的报表;运行 diaodu run 工作目录,按名册汇总各单位报表。".to_string(),
        ],
    )];
    guide_sheet(
        &mut wb,
        &st,
        "单位名册填写说明",
        &before,
        &[(sheet, None, forms::ROSTER_FIELDS)],
        None,
        &after,
    )?;
    wb.worksheet_from_name(sheet)?.set_active(true);
    Ok(wb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::header::{find_tables, rows_text};
    use crate::ingest::text::MoneyUnit;
    use crate::ingest::workbook::{read_in_process, ReadLimits, Workbook as Read};
    use crate::ingest::{parse_note, read_workbook};
    use crate::roster::UnitKind;
    use chrono::NaiveDate;
    use std::io::Read as _;

    fn roster() -> Roster {
        let u = |name: &str, kind| Unit {
            name: name.into(),
            kind,
            leader: None,
            invest_target: 1000.0,
            attract_target: 500.0,
            aliases: vec![],
        };
        Roster::new(vec![
            u("城关镇", UnitKind::Township),
            u("河口镇", UnitKind::Township),
            u("县住房和城乡建设局", UnitKind::Department),
        ])
    }

    fn june() -> Period {
        Period {
            year: 2026,
            month: 6,
        }
    }

    /// Save and read back with the run's own reader.
    fn read_back(mut wb: Workbook) -> (Read, tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("form.xlsx");
        std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
        (
            read_in_process(&path, &ReadLimits::default()).unwrap(),
            dir,
            path,
        )
    }

    /// The XML of a sheet (rust_xlsxwriter numbers sheets in creation order).
    fn sheet_xml(path: &Path, n: usize) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut f = zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        s
    }

    fn text(v: &str) -> Value {
        Value::Text(v.into())
    }

    fn date(y: i32, m: u32, d: u32) -> Value {
        Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn headers_come_from_forms_in_order_and_the_note_reads_back() {
        let (wb, _dir, _) = read_back(unit_form(&roster(), 2, june(), None).unwrap());
        let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["重点项目", "节点计划", "招商引资", GUIDE_SHEET, NAMES_SHEET]
        );
        assert!(wb.sheets[4].hidden && !wb.sheets[0].hidden);
        assert_eq!(
            rows_text(&wb.sheets[4], 0, 3),
            ["城关镇", "河口镇", "县住房和城乡建设局"]
        );
        for (i, t) in TableKind::ALL.iter().enumerate() {
            let sheet = &wb.sheets[i];
            let layouts = find_tables(&[Schema::for_table(*t)], sheet, 15);
            assert_eq!(layouts.len(), 1, "{t:?}");
            let l = &layouts[0];
            assert_eq!((l.header_first, l.header_last), (HEADER_ROW, HEADER_ROW));
            let mapped: Vec<(u32, usize)> = l.columns.iter().map(|c| (c.col, c.field)).collect();
            let want: Vec<(u32, usize)> =
                (0..t.form_fields().len()).map(|i| (i as u32, i)).collect();
            assert_eq!(mapped, want, "{t:?}: every column, in forms.rs order");
            assert!(l.unknown.is_empty() && l.duplicates.is_empty());
            let title = rows_text(sheet, TITLE_ROW, NOTE_ROW);
            assert_eq!(
                title,
                [sheet_title(*t, Some("县住房和城乡建设局"), Some(june()))]
            );
            // The note as the run reads it: the unit, no date yet, 万元.
            let note = parse_note(&rows_text(sheet, TITLE_ROW, HEADER_ROW), 2026);
            assert_eq!(note.unit.as_deref(), Some("县住房和城乡建设局"));
            assert_eq!(note.report_date, None);
            assert_eq!(note.money, Some(MoneyUnit::Wanyuan));
        }
        assert_eq!(
            sheet_title(TableKind::Projects, Some("城关镇"), Some(june())),
            "城关镇重点项目建设进度月报表(2026年6月)"
        );
    }

    #[test]
    fn the_blank_form_has_no_unit_and_no_lists_of_names() {
        let (wb, _dir, path) = read_back(blank_form().unwrap());
        assert_eq!(wb.sheets.len(), 4);
        let sheet = &wb.sheets[0];
        let note = parse_note(&rows_text(sheet, TITLE_ROW, HEADER_ROW), 2026);
        assert_eq!(note.unit, None);
        assert_eq!(note.report_date, None);
        assert_eq!(
            rows_text(sheet, TITLE_ROW, NOTE_ROW),
            ["重点项目建设进度月报表(    年  月)"]
        );
        assert!(!sheet_xml(&path, 1).contains(NAMES_SHEET));
    }

    #[test]
    fn the_note_once_dated_gives_the_unit_and_the_date() {
        // The row as the reader joins it once the unit has typed a date.
        let line = "填报单位: 城关镇 填报日期: 2026-07-03 单位:万元".to_string();
        let note = parse_note(&[line], 2026);
        assert_eq!(note.unit.as_deref(), Some("城关镇"));
        assert_eq!(note.report_date, NaiveDate::from_ymd_opt(2026, 7, 3));
        let blank = "填报单位: 填报日期: 单位:万元".to_string();
        assert_eq!(
            parse_note(&[blank], 2026),
            crate::ingest::Note {
                unit: None,
                report_date: None,
                money: Some(MoneyUnit::Wanyuan),
            }
        );
    }

    #[test]
    fn lists_checks_and_protection() {
        let (_, _dir, path) = read_back(unit_form(&roster(), 0, june(), None).unwrap());
        let projects = sheet_xml(&path, 1);
        let last = FIRST_INPUT_ROW + MIN_INPUT_ROWS; // 1-based last input row
        let col = |key: &str| {
            let i = forms::PROJECT_FIELDS
                .iter()
                .position(|f| f.key == key)
                .unwrap();
            crate::ingest::text::col_letters(i as u32)
        };
        let first = FIRST_INPUT_ROW + 1;
        // 项目类别: an inline list from forms::CATEGORIES.
        let cat = format!("sqref=\"{c}{first}:{c}{last}\"", c = col("category"));
        assert!(projects.contains(&cat), "{cat}");
        assert!(projects.contains("<formula1>\"新建,续建,前期\"</formula1>"));
        // 责任单位: the roster names through the hidden sheet.
        assert!(projects.contains("<formula1>'单位名单'!$A$1:$A$3</formula1>"));
        let unit = format!("sqref=\"{c}{first}:{c}{last}\"", c = col("unit"));
        assert!(projects.contains(&unit));
        // Amounts: decimal >= 0; dates: between 2000-01-01 and 2100-12-31.
        assert!(projects.contains("type=\"decimal\" operator=\"greaterThanOrEqual\""));
        assert!(projects.contains("<formula1>0</formula1>"));
        assert!(projects.contains("type=\"date\""));
        assert!(projects.contains("<formula1>36526</formula1><formula2>73415</formula2>"));
        assert!(projects.contains("promptTitle=\"总投资\""));
        assert!(projects
            .contains("error=\"总投资应为不小于 0 的数字(单位:万元),不要带文字。请重新输入。\""));
        // Protected without a password; rows may be inserted and deleted.
        assert!(projects.contains("<sheetProtection sheet=\"1\""));
        assert!(!projects.contains("password="));
        assert!(projects.contains("insertRows=\"0\""));
        // Header rows frozen.
        assert!(projects.contains(&format!("topLeftCell=\"A{first}\"")));
        let attraction = sheet_xml(&path, 3);
        assert!(attraction.contains("<formula1>\"洽谈,签约,开工,投产\"</formula1>"));
        assert!(attraction.contains("<formula1>\"县外市内,市外省内,省外,境外\"</formula1>"));
        assert!(attraction.contains("<formula1>'单位名单'!$A$1:$A$3</formula1>"));
    }

    #[test]
    fn input_cells_are_unlocked_and_headers_locked() {
        let (_, _dir, path) = read_back(unit_form(&roster(), 0, june(), None).unwrap());
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut styles = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        let xfs: Vec<&str> = styles
            .split("<cellXfs")
            .nth(1)
            .unwrap()
            .split("</cellXfs>")
            .next()
            .unwrap()
            .split("<xf ")
            .skip(1)
            .collect();
        let unlocked = |s: usize| xfs[s].contains("locked=\"0\"");
        let xml = sheet_xml(&path, 1);
        let style_of = |cell: &str| -> usize {
            let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
            let el = &xml[at..at + xml[at..].find('>').unwrap()];
            el.split(" s=\"")
                .nth(1)
                .map_or(0, |s| s[..s.find('"').unwrap()].parse().unwrap())
        };
        assert!(!unlocked(style_of("A1")), "title");
        assert!(!unlocked(style_of("A2")), "note label");
        assert!(unlocked(style_of("B2")), "unit name");
        assert!(unlocked(style_of("E2")), "report date");
        assert!(!unlocked(style_of("A3")), "header");
        assert!(
            unlocked(style_of("A4")) && unlocked(style_of("Q53")),
            "inputs"
        );
    }

    #[test]
    fn prefilled_rows_carry_plans_and_dates_but_not_this_months_figures() {
        let mut p = PrefillRow::new();
        p.insert("project_id".into(), text("CG-01"));
        p.insert("project_name".into(), text("城关镇老旧小区改造工程"));
        p.insert("category".into(), text("续建"));
        p.insert("total_invest".into(), Value::Num(5000.0));
        p.insert("annual_plan".into(), Value::Num(2000.0));
        p.insert("month_done".into(), Value::Num(300.0));
        p.insert("ytd_done".into(), Value::Num(1200.0));
        p.insert("planned_start".into(), date(2025, 3, 1));
        p.insert("actual_start".into(), date(2025, 3, 20));
        p.insert("progress_note".into(), text("主体封顶"));
        p.insert("not_a_field".into(), text("ignored"));
        let mut m = PrefillRow::new();
        m.insert("project_id".into(), text("CG-01"));
        m.insert("milestone".into(), text("主体完工"));
        m.insert("planned_date".into(), date(2026, 9, 30));
        m.insert("planned_qty".into(), Value::Num(12.0));
        m.insert("done_qty".into(), Value::Num(5.0));
        let mut a = PrefillRow::new();
        a.insert("project_name".into(), text("食品产业园"));
        a.insert("stage".into(), text("签约"));
        a.insert("signed_date".into(), date(2026, 5, 20));
        a.insert("contract_amount".into(), Value::Num(20000.0));
        a.insert("month_funds".into(), Value::Num(500.0));
        a.insert("ytd_funds".into(), Value::Num(1500.0));
        let data = PrefillData {
            projects: vec![p.clone(); 45],
            milestones: vec![m.clone()],
            attraction: vec![a.clone()],
        };
        let (wb, _dir, path) = read_back(unit_form(&roster(), 0, june(), Some(&data)).unwrap());
        let read = read_workbook("form.xlsx", 0, &wb, june(), 15);
        assert_eq!(read.note.unit.as_deref(), Some("城关镇"));
        let table = |t: TableKind| read.tables.iter().find(|r| r.table == t).unwrap();
        let projects = &table(TableKind::Projects).records;
        assert_eq!(projects.len(), 45);
        let r = &projects[0];
        assert_eq!(r.src.row, FIRST_INPUT_ROW + 1);
        for f in [
            project::PROJECT_ID,
            project::PROJECT_NAME,
            project::CATEGORY,
            project::TOTAL_INVEST,
            project::ANNUAL_PLAN,
            project::PLANNED_START,
            project::ACTUAL_START,
        ] {
            let k = f.key();
            assert_eq!(r.get(f), &p[k], "{k} carried");
        }
        // This month's figures: blank (month_done reads as 0, ytd_done is missing).
        assert_eq!(r.get(project::MONTH_DONE), &Value::Num(0.0));
        assert_eq!(r.get(project::YTD_DONE), &Value::Null);
        assert_eq!(r.get(project::PROGRESS_NOTE), &Value::Null);
        let ms = &table(TableKind::Milestones).records[0];
        assert_eq!(ms.get(milestone::PLANNED_DATE), &m["planned_date"]);
        assert_eq!(ms.get(milestone::PLANNED_QTY), &Value::Num(12.0));
        assert_eq!(ms.get(milestone::DONE_QTY), &Value::Null);
        let at = &table(TableKind::Attraction).records[0];
        assert_eq!(at.get(attraction::SIGNED_DATE), &a["signed_date"]);
        assert_eq!(at.get(attraction::CONTRACT_AMOUNT), &Value::Num(20000.0));
        assert_eq!(at.get(attraction::MONTH_FUNDS), &Value::Num(0.0));
        assert_eq!(at.get(attraction::YTD_FUNDS), &Value::Null);
        // 45 rows pre-filled: 20 blank ones after them, checks over all 65.
        let xml = sheet_xml(&path, 1);
        let last = FIRST_INPUT_ROW + 45 + EXTRA_INPUT_ROWS;
        assert!(xml.contains(&format!("sqref=\"E{}:E{last}\"", FIRST_INPUT_ROW + 1)));
        assert!(xml.contains(&format!("<row r=\"{last}\"")));
        assert!(!xml.contains(&format!("<row r=\"{}\"", last + 1)));
        // Without history: a blank form, 50 input rows.
        let (wb, _dir2, _) = read_back(unit_form(&roster(), 0, june(), None).unwrap());
        let read = read_workbook("form.xlsx", 0, &wb, june(), 15);
        assert!(read.tables.iter().all(|t| t.records.is_empty()));
        assert_eq!(read.tables.len(), 3);
        assert!(read.findings.is_empty(), "{:#?}", read.findings);
    }

    #[test]
    fn the_guide_explains_every_column_and_is_no_note() {
        let (wb, _dir, _) = read_back(unit_form(&roster(), 0, june(), None).unwrap());
        let guide = wb.sheets.iter().find(|s| s.name == GUIDE_SHEET).unwrap();
        let lines = rows_text(guide, 0, crate::ingest::header::last_row(guide));
        let all = lines.join("\n");
        for t in TableKind::ALL {
            for spec in t.form_fields() {
                let row = format!("{} {}", t.title(), spec.header);
                assert!(all.contains(&row), "{row}");
            }
        }
        assert!(all.contains("1 月 1 日至报告期末 2026-06-30累计完成的投资,须不小于本月完成投资"));
        assert!(all.contains("尚未开工的留空;不得晚于报告期末 2026-06-30"));
        assert!(all.contains("下拉选择:新建、续建、前期"));
        assert!(all.contains("城关镇_2026年06月报表.xlsx"));
        assert!(all.contains(DATE_FORMS));
        // Nothing in it reads as a 填报单位 or a table.
        let note = parse_note(&lines, 2026);
        assert_eq!((note.unit, note.report_date), (None, None));
        let schemas: Vec<&'static Schema> = TableKind::ALL
            .iter()
            .map(|t| Schema::for_table(*t))
            .collect();
        assert!(find_tables(&schemas, guide, 1000).is_empty());
        assert!(find_tables(&[Schema::roster()], guide, 1000).is_empty());
    }

    #[test]
    fn the_roster_template_reads_as_a_roster() {
        let (wb, _dir, path) = read_back(roster_template().unwrap());
        assert_eq!(wb.sheets[0].name, "单位目标");
        let layouts = find_tables(&[Schema::roster()], &wb.sheets[0], 15);
        assert_eq!(layouts.len(), 1);
        assert_eq!(layouts[0].columns.len(), forms::ROSTER_FIELDS.len());
        assert_eq!(layouts[0].header_first, 1);
        let xml = sheet_xml(&path, 1);
        assert!(xml.contains("<formula1>\"乡镇,部门\"</formula1>"));
        assert!(xml.contains(&format!("sqref=\"B3:B{}\"", 2 + ROSTER_INPUT_ROWS)));
        assert!(xml.contains(&format!("sqref=\"D3:D{}\"", 2 + ROSTER_INPUT_ROWS)));
        assert!(xml.contains("type=\"decimal\" operator=\"greaterThanOrEqual\""));
        // Empty, it is no roster: the office fills it in.
        let e = crate::roster::roster_from_workbook("roster.xlsx", &wb).unwrap_err();
        assert!(e.message().contains("没有找到单位"), "{e}");
    }

    #[test]
    fn names_widths_and_periods() {
        assert_eq!(
            form_file_name("城关镇", june()),
            "城关镇_2026年06月报表.xlsx"
        );
        assert_eq!(form_file_name("a/b:c", june()), "a_b_c_2026年06月报表.xlsx");
        let dec = Period {
            year: 2026,
            month: 12,
        };
        assert_eq!(next_period(dec).to_string(), "2027-01");
        assert_eq!(next_period(june()).to_string(), "2026-07");
        assert_eq!(display_width("累计完成投资(万元)"), 18);
        // A header with a unit wraps before it: the widest of its two parts.
        let ytd = project::YTD_DONE.spec();
        assert_eq!(column_width(ytd, None, &[]), 14.0);
        let name = project::PROJECT_NAME.spec();
        let long = text("一个名字很长很长很长很长很长很长很长很长很长很长的项目");
        assert_eq!(column_width(name, None, &[&long]), 42.0);
        let unit = project::UNIT.spec();
        let names = Names {
            formula: String::new(),
            width: 18,
        };
        assert_eq!(column_width(unit, Some(&names), &[]), 23.0);
    }

    #[test]
    fn fresh_fields_exist_and_every_rule_names_real_fields() {
        for (t, fields) in FRESH_EACH_MONTH {
            for f in *fields {
                assert_eq!(f.table(), *t);
            }
        }
        for t in TableKind::ALL {
            for spec in t.form_fields() {
                let _ = rule_text(Some(t), spec.key, Some(june()));
            }
        }
        for spec in forms::ROSTER_FIELDS {
            assert!(!rule_text(None, spec.key, None).is_empty(), "{}", spec.key);
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let a = blank_form().unwrap().save_to_buffer().unwrap();
        let b = blank_form().unwrap().save_to_buffer().unwrap();
        assert_eq!(a, b);
    }
}
