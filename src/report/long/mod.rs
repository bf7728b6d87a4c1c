//! The long tables (项目进度, 节点时序, 招商引资, 项目明细, and 预警问责 framed):
//! at a province's scale they hold nearly all of the workbook's cells, so
//! their rows are not handed to rust_xlsxwriter cell by cell. Each of their
//! sheets is made by rust_xlsxwriter with everything but the rows (title,
//! header, page setup, frozen header, autofilter) and one row of prototype
//! cells, one per format the rows use. At save, that sheet's XML is taken
//! apart at the prototype row; the rows of all the parts are made as sheet
//! XML in pieces, on all cores, each piece deflated on its own (sync-flushed,
//! so the pieces join into one stream) into its part's scratch file; then
//! the workbook is written into our own zip container (`zipout`): the parts
//! rust_xlsxwriter made copied as they are, each long sheet as its head (with
//! the column widths its rows claimed), its rows and its tail.

use super::table::{header_height, page_setup, write_header, write_title, Formats, Out, Print};
use super::zipout::ZipOut;
use super::Error;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::{Read, Write};

mod pieces;
mod xml;

#[cfg(test)]
use pieces::col_width;
use pieces::{make_rows, write_part, Rows};
use xml::template;
#[cfg(test)]
use xml::{escape_into, excel_date};

/// A table that may be long: its rows are made when they are written, in
/// parallel, and it is split over several sheets where it is longer than a
/// sheet holds.
pub struct LongTable<'a> {
    /// The sheet's name; the parts of a split table are `name`, `name(2)`, …
    pub name: &'a str,
    /// A merged title row and a note row above the header, on every part.
    pub title: Option<(String, String)>,
    pub headers: Vec<&'a str>,
    /// The number of data rows.
    pub len: usize,
    /// Data row `i` (0-based), made when it is written.
    pub row: Box<dyn Fn(usize) -> Vec<Out<'a>> + Sync + 'a>,
    /// Column widths that override the ones measured (column, width).
    pub widths: Vec<(u16, f64)>,
    /// What of the table prints: its key columns first, the rest to the
    /// right of the print area; text wider than a column's cap wraps.
    pub print: Print,
    /// Framed like the summary sheets: every cell, blanks too, has borders.
    /// Otherwise the cells are borderless and the sheet prints gridlines
    /// (a blank is no cell at all: fewer cells for the longest tables).
    pub framed: bool,
}

impl LongTable<'_> {
    /// The row of the header: under the title and note, if any.
    pub fn header_row(&self) -> u32 {
        if self.title.is_some() {
            2
        } else {
            0
        }
    }
}

/// The name of part `i` (0-based) of a split sheet: `项目明细`, `项目明细(2)`, …
pub fn part_name(name: &str, i: usize) -> String {
    if i == 0 {
        name.to_string()
    } else {
        format!("{name}({})", i + 1)
    }
}

/// One sheet of a long table: the workbook's sheet `sheet` gets the table's
/// rows `rows`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub table: usize,
    pub sheet: usize,
    pub rows: std::ops::Range<usize>,
}

/// Page headers and footers of the sheets.
pub struct PageText<'a> {
    pub period_cn: &'a str,
    pub run_time: &'a str,
}

/// The 0-based row of the prototype cells: alone in its block of 16 rows
/// (rust_xlsxwriter's `spans`), below any title and header.
const PROTO_ROW: u32 = 16;

/// The formats of the long tables: `framed` ones get the summary sheets'
/// (borders), the others [`Formats::plain`].
pub struct TableFormats<'f> {
    pub framed: &'f Formats,
    pub plain: &'f Formats,
}

/// Add the sheets of `tables[table]` to the workbook, in place in the sheet
/// order, each with its page setup, title, header, frozen header and
/// autofilter, and at most `max_rows` rows (`sheet_rows`: Excel's limit
/// unless set lower), header and title rows included; nothing is dropped and
/// an empty table still gets its one sheet. Their rows are written when the
/// workbook is saved ([`save`]). Returns the parts.
pub fn add_long_table(
    wb: &mut Workbook,
    formats: &TableFormats,
    tables: &[LongTable],
    table: usize,
    max_rows: u32,
    page: &PageText,
) -> Result<Vec<Part>, XlsxError> {
    let t = &tables[table];
    let fmt = if t.framed {
        formats.framed
    } else {
        formats.plain
    };
    let top = t.header_row();
    let ncols = t.headers.len() as u16;
    // Room under the header; at least one row, so a part always moves on.
    let room = max_rows.saturating_sub(top + 1).max(1) as usize;
    let mut parts = Vec::new();
    let mut start = 0;
    loop {
        let name = part_name(t.name, parts.len());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        page_setup(ws, &name, page.period_cn, page.run_time, top)?;
        if !t.framed {
            // The cells have no borders: print the grid.
            ws.set_print_gridlines(true);
        }
        if let Some((title, note)) = &t.title {
            // Over the printed columns, where the page shows it.
            let across = if t.print.cols > 0 {
                t.print.cols.min(ncols as usize) as u16
            } else {
                ncols
            };
            write_title(ws, fmt, title, Some(note), across)?;
        }
        let widths = write_header(ws, fmt, top, &t.headers)?;
        ws.set_row_height(top, header_height(&t.headers, &widths))?;
        let end = (start + room).min(t.len);
        ws.set_freeze_panes(top + 1, 0)?;
        if ncols > 0 {
            ws.autofilter(top, 0, top + (end - start) as u32, ncols - 1)?;
        }
        if t.print.cols > 0 {
            let last = t.print.cols.min(ncols as usize) as u16 - 1;
            ws.set_print_area(0, 0, top + (end - start).max(1) as u32, last)?;
        }
        for (c, f) in fmt.prototypes().into_iter().enumerate() {
            ws.write_blank(PROTO_ROW, c as u16, f)?;
        }
        parts.push(Part {
            table,
            sheet: wb.worksheets().len() - 1,
            rows: start..end,
        });
        start = end;
        if start >= t.len {
            return Ok(parts);
        }
    }
}

/// Save the workbook into `w`: the parts rust_xlsxwriter makes, copied as
/// they are, and the sheets of the long tables' `parts` with their rows.
pub fn save(
    mut wb: Workbook,
    tables: &[LongTable],
    parts: &[Part],
    w: &mut dyn Write,
) -> Result<(), Error> {
    let names: Vec<String> = wb
        .worksheets()
        .iter()
        .map(|ws| ws.name().to_string())
        .collect();
    let bytes = wb.save_to_buffer()?;
    let bad = |e: zip::result::ZipError| Error::Write(format!("内部错误:工作簿无法重新打包:{e}"));
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    // rust_xlsxwriter names the worksheets' parts by their place.
    let entry_of = |p: &Part| format!("xl/worksheets/sheet{}.xml", p.sheet + 1);
    let mut xmls = Vec::with_capacity(parts.len());
    for p in parts {
        let mut xml = String::new();
        zin.by_name(&entry_of(p))
            .map_err(bad)?
            .read_to_string(&mut xml)
            .map_err(|e| Error::Write(format!("内部错误:{e}")))?;
        xmls.push(xml);
    }
    let mut long = Vec::with_capacity(parts.len());
    for (p, xml) in parts.iter().zip(&xmls) {
        let sheet = names[p.sheet].as_str();
        let tpl = template(xml).ok_or_else(|| {
            Error::Write(format!(
                "内部错误:工作表“{sheet}”的结构无法识别,未能写出明细行"
            ))
        })?;
        long.push((p, sheet, tpl));
    }
    let widest = tables.iter().map(|t| t.headers.len()).max().unwrap_or(1);
    let cols: Vec<String> = (0..widest.max(1))
        .map(|c| rust_xlsxwriter::utility::column_number_to_name(c as u16))
        .collect();
    let mut rows: Vec<Option<Rows>> = make_rows(tables, &long, &cols)?
        .into_iter()
        .map(Some)
        .collect();
    let mut out = ZipOut::new(w);
    for i in 0..zin.len() {
        let mut f = zin.by_index_raw(i).map_err(bad)?;
        let entry = f.name().map_err(bad)?.to_string();
        if let Some(j) = parts.iter().position(|p| entry == entry_of(p)) {
            let r = rows[j].take().expect("each part is written once");
            write_part(
                &mut out,
                &entry,
                &long[j],
                &tables[parts[j].table],
                r,
                &cols,
            )?;
            continue;
        }
        let method = match f.compression() {
            zip::CompressionMethod::Stored => 0,
            zip::CompressionMethod::Deflated => 8,
            m => {
                return Err(Error::Write(format!(
                    "内部错误:工作簿部件 {entry} 的压缩方式 {m}"
                )))
            }
        };
        let (crc, size) = (f.crc32(), f.size());
        let mut data = Vec::with_capacity(f.compressed_size() as usize);
        f.read_to_end(&mut data)
            .map_err(|e| Error::Write(format!("内部错误:{e}")))?;
        out.add(&entry, method, crc, size, &[&data])
            .map_err(|e| Error::Write(format!("写入工作簿失败:{e}")))?;
    }
    out.finish()
        .map_err(|e| Error::Write(format!("写入工作簿失败:{e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pieces::PIECE_ROWS;
    use super::*;
    use crate::report::table::Tone;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;

    fn page() -> PageText<'static> {
        PageText {
            period_cn: "2026年5月",
            run_time: "2026-06-10 09:00",
        }
    }

    /// A workbook of `总览`, the table's parts and `报送情况`, saved.
    fn saved(table: LongTable, max_rows: u32) -> Result<Vec<u8>, Error> {
        let (framed, plain) = (Formats::default(), Formats::plain());
        let formats = TableFormats {
            framed: &framed,
            plain: &plain,
        };
        let mut wb = Workbook::new();
        wb.add_worksheet().set_name("总览").unwrap();
        let tables = [table];
        let parts = add_long_table(&mut wb, &formats, &tables, 0, max_rows, &page()).unwrap();
        wb.add_worksheet().set_name("报送情况").unwrap();
        assert!(parts.iter().all(|p| p.sheet >= 1 && p.sheet <= parts.len()));
        let mut bytes = Vec::new();
        save(wb, &tables, &parts, &mut bytes)?;
        Ok(bytes)
    }

    fn sheet_xml(bytes: &[u8], n: usize) -> String {
        let mut xml = String::new();
        zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .unwrap()
            .by_name(&format!("xl/worksheets/sheet{n}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    fn rows(n: usize) -> Vec<Vec<Out<'static>>> {
        (0..n)
            .map(|i| vec![Out::Int(i as i64), Out::text(format!("项目{i}"))])
            .collect()
    }

    /// Read back (sheet name, header cell, the numbers of column A) of each sheet.
    fn read_back(bytes: Vec<u8>) -> Vec<(String, String, Vec<f64>)> {
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        x.sheet_names()
            .into_iter()
            .map(|n| {
                let r = x.worksheet_range(&n).unwrap();
                let mut header = String::new();
                let mut ids = Vec::new();
                for row in r.rows() {
                    match &row[0] {
                        Data::String(s) if header.is_empty() && s == "序" => header = s.clone(),
                        Data::Float(f) => ids.push(*f),
                        _ => {}
                    }
                }
                (n, header, ids)
            })
            .collect()
    }

    fn split(n: usize, max_rows: u32, title: bool) -> Vec<(String, String, Vec<f64>)> {
        let data = rows(n);
        let table = LongTable {
            name: "项目明细",
            title: title.then(|| ("标题".to_string(), "说明".to_string())),
            headers: vec!["序", "名称"],
            len: n,
            row: Box::new(move |i| data[i].clone()),
            widths: Vec::new(),
            print: Default::default(),
            framed: false,
        };
        let mut back = read_back(saved(table, max_rows).unwrap());
        // The parts sit in place between the sheets around them.
        assert_eq!(back.remove(0).0, "总览");
        assert_eq!(back.pop().unwrap().0, "报送情况");
        back
    }

    #[test]
    fn splits_a_long_table_into_parts_in_order() {
        // 5 rows a sheet: the header and 4 data rows; 10 rows → 4 + 4 + 2.
        let back = split(10, 5, false);
        let names: Vec<&str> = back.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(names, ["项目明细", "项目明细(2)", "项目明细(3)"]);
        assert!(
            back.iter().all(|b| b.1 == "序"),
            "every part has the header"
        );
        let ids: Vec<f64> = back.iter().flat_map(|b| b.2.clone()).collect();
        assert_eq!(
            ids,
            (0..10).map(|i| i as f64).collect::<Vec<_>>(),
            "nothing dropped, in order"
        );
        assert_eq!(back[0].2.len(), 4);
        assert_eq!(back[2].2.len(), 2);
    }

    /// Many pieces of rows (more than one per core) join in order.
    #[test]
    fn rows_of_many_pieces_stay_in_order() {
        let n = 3 * PIECE_ROWS + 17;
        let back = split(n, 1_048_576, true);
        assert_eq!(back.len(), 1);
        assert_eq!(
            back[0].2,
            (0..n).map(|i| i as f64).collect::<Vec<_>>(),
            "every row, in order"
        );
    }

    #[test]
    fn split_counts_the_rows_above_the_header() {
        // A title and a note row: 5 rows hold them, the header and 2 data rows.
        let back = split(5, 5, true);
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].2, [0.0, 1.0]);
        assert_eq!(back[1].2, [2.0, 3.0]);
        assert_eq!(back[2].2, [4.0]);
    }

    #[test]
    fn split_edges() {
        // Exactly full: one sheet. One more row: a second sheet with it.
        assert_eq!(split(4, 5, false).len(), 1);
        let back = split(5, 5, false);
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].2, [4.0]);
        // Empty: one sheet with the header.
        let back = split(0, 5, false);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].1, "序");
        assert_eq!(part_name("项目明细", 0), "项目明细");
        assert_eq!(part_name("项目明细", 1), "项目明细(2)");
        assert_eq!(crate::config::SHEET_ROWS_MAX, 1_048_576);
    }

    #[test]
    fn text_is_escaped_as_excel_does() {
        let esc = |s: &str| {
            let mut out = Vec::new();
            escape_into(&mut out, s);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(esc("城关镇(一期):完成"), "城关镇(一期):完成");
        assert_eq!(esc("a&b<c>d"), "a&amp;b&lt;c&gt;d");
        assert_eq!(esc("甲\u{1}乙\t丙\n"), "甲_x0001_乙\t丙\n");
        assert_eq!(esc("x\u{FFFE}y\u{FFFF}"), "x_xFFFE_y_xFFFF_");
        assert_eq!(
            esc("_x0041_ and _x00G1_ and _x004"),
            "_x005F_x0041_ and _x00G1_ and _x004"
        );
        assert_eq!(esc("__x1234_"), "__x005F_x1234_");
    }

    #[test]
    fn excel_dates_keep_the_1900_leap_day() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(excel_date(d(1900, 1, 1)), 1);
        assert_eq!(excel_date(d(1900, 2, 28)), 59);
        assert_eq!(excel_date(d(1900, 3, 1)), 61);
        assert_eq!(excel_date(d(2026, 5, 31)), 46173);
    }

    /// Every kind of value reads back as itself, in its format; blanks are
    /// no cells; hostile text stays text.
    #[test]
    fn cells_read_back_as_written() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let long = "很长的说明文字".repeat(10);
        let texts = [
            "a & b < c > d",
            " 前后有空格 ",
            "=SUM(A1:A9)",
            "控制\u{1}字符",
            "字面_x0041_转义",
            "两行\n文字",
            long.as_str(),
        ];
        let mut data: Vec<Vec<Out>> = texts
            .iter()
            .map(|t| {
                vec![
                    Out::text(*t),
                    Out::Wan(1234.5),
                    Out::Date(d),
                    Out::Pct(0.25),
                ]
            })
            .collect();
        data.push(vec![
            Out::tone(Tone::Red, Out::text("超期")),
            Out::Empty,
            Out::tone(Tone::Yellow, Out::Date(d)),
            Out::tone(Tone::Green, Out::Empty),
        ]);
        data.push(vec![
            Out::Int(-7),
            Out::Num(f64::NAN),
            Out::Empty,
            Out::Num(0.5),
        ]);
        let n = data.len();
        let table = LongTable {
            name: "项目明细",
            title: None,
            headers: vec!["说明", "金额", "日期", "比例"],
            len: n,
            row: Box::new(move |i| data[i].clone()),
            widths: Vec::new(),
            print: Default::default(),
            framed: false,
        };
        let bytes = saved(table, 1_048_576).unwrap();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let r = x.worksheet_range("项目明细").unwrap();
        for (i, t) in texts.iter().enumerate() {
            let row = i as u32 + 1;
            assert_eq!(
                r.get_value((row, 0)),
                Some(&Data::String(t.to_string())),
                "{t:?}"
            );
            assert_eq!(r.get_value((row, 1)), Some(&Data::Float(1234.5)));
            match r.get_value((row, 2)) {
                Some(Data::DateTime(x)) => assert_eq!(x.as_f64(), 46173.0),
                v => panic!("a date: {v:?}"),
            }
            assert_eq!(r.get_value((row, 3)), Some(&Data::Float(0.25)));
        }
        let toned = texts.len() as u32 + 1;
        assert_eq!(r.get_value((toned, 0)), Some(&Data::String("超期".into())));
        assert!(matches!(r.get_value((toned, 2)), Some(Data::DateTime(_))));
        assert_eq!(r.get_value((toned + 1, 0)), Some(&Data::Float(-7.0)));
        assert_eq!(
            r.get_value((toned + 1, 1)),
            Some(&Data::String("NAN".into()))
        );

        let xml = sheet_xml(&bytes, 2);
        assert!(!xml.contains(r#"r="B9""#), "a blank is no cell");
        assert!(
            xml.contains(r#"<c r="D9" s=""#),
            "a coloured blank is a cell"
        );
        let style = |cell: &str| -> String {
            let at = xml.find(&format!(r#"<c r="{cell}""#)).unwrap();
            xml[at..]
                .split("s=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(style("A2"), style("A3"), "text shares one style");
        assert_ne!(style("A2"), style("A7"), "two lines wrap");
        assert_eq!(style("A7"), style("A8"), "so does text wider than a column");
        assert_ne!(style("A9"), style("A2"), "a red cell has its own style");
        assert_ne!(style("B2"), style("D2"), "amounts and percentages differ");
        // The long text widens its column to the most a column gets.
        let widest = format!(r#"<col min="1" max="1" width="{}""#, col_width(50.0));
        assert!(xml.contains(&widest), "{widest} in {xml}");
        assert!(xml.contains(r#"<dimension ref="A1:D10"/>"#));
        assert!(xml.contains(r#"<autoFilter ref="A1:D10"/>"#));
    }

    /// A framed table writes its blanks (framed, in the text style) and
    /// prints no gridlines; a plain one skips blanks and prints them.
    #[test]
    fn framed_tables_write_their_blanks() {
        let sheet = |framed: bool| {
            let data = [vec![Out::text("甲"), Out::Empty, Out::Int(3)]];
            let table = LongTable {
                name: "预警问责",
                title: None,
                headers: vec!["说明", "空", "数"],
                len: 1,
                row: Box::new(move |i| data[i].clone()),
                widths: Vec::new(),
                print: Default::default(),
                framed,
            };
            saved(table, 1_048_576).unwrap()
        };
        let style_of = |xml: &str, cell: &str| -> usize {
            let at = format!(r#"<c r="{cell}" s=""#);
            xml.split(at.as_str())
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        // The xf a cell's style index points to has a border, or none.
        let bordered = |bytes: &[u8], xml: &str, cell: &str| -> bool {
            let mut styles = String::new();
            zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .unwrap()
                .by_name("xl/styles.xml")
                .unwrap()
                .read_to_string(&mut styles)
                .unwrap();
            let xfs = styles.split("<cellXfs").nth(1).unwrap();
            let xf = xfs.split("<xf ").nth(1 + style_of(xml, cell)).unwrap();
            !xf.contains(r#"borderId="0""#)
        };
        let (framed, plain) = (sheet(true), sheet(false));
        let xml = sheet_xml(&framed, 2);
        assert_eq!(
            style_of(&xml, "B2"),
            style_of(&xml, "A2"),
            "a framed blank: {xml}"
        );
        assert!(bordered(&framed, &xml, "B2") && bordered(&framed, &xml, "C2"));
        assert!(!xml.contains("gridLines"));
        let xml = sheet_xml(&plain, 2);
        assert!(!xml.contains(r#"r="B2""#), "a plain blank is no cell");
        assert!(!bordered(&plain, &xml, "C2"));
        assert!(xml.contains(r#"<printOptions gridLines="1"/>"#));
    }

    #[test]
    fn text_too_long_for_a_cell_is_written_cut() {
        use crate::excel_limits::MAX_CELL_CHARS;
        let data = [vec![
            Out::text("甲".repeat(MAX_CELL_CHARS + 1)),
            Out::tone(Tone::Red, Out::text("乙".repeat(40_000))),
        ]];
        let table = LongTable {
            name: "项目明细",
            title: None,
            headers: vec!["说明", "标色"],
            len: 1,
            row: Box::new(move |i| data[i].clone()),
            widths: Vec::new(),
            print: Default::default(),
            framed: false,
        };
        let bytes = saved(table, 1_048_576).unwrap();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let r = x.worksheet_range("项目明细").unwrap();
        for (col, ch) in [(0, "甲"), (1, "乙")] {
            let Some(Data::String(s)) = r.get_value((1, col)) else {
                panic!("no text in column {col}")
            };
            assert_eq!(s.encode_utf16().count(), MAX_CELL_CHARS);
            assert!(s.ends_with(&format!("{ch}…")));
        }
    }
}
