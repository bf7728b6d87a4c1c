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

use super::table::{
    column_width, header_height, header_widths, page_setup, row_height, wrapped_lines, wraps_at,
    write_header, write_title, Formats, Out, Print, Tone,
};
use super::zipout::{deflate_piece, Deflater, Piece, ZipOut};
use super::WriteError;
use rayon::prelude::*;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::{Read, Seek, Write};

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

/// The style indexes of the prototype cells, in [`Formats::prototypes`] order.
struct Styles {
    text: u32,
    wrap: u32,
    wan: u32,
    int: u32,
    num: u32,
    pct: u32,
    date: u32,
    /// [tone][text, int, pct, wan, date]
    toned: [[u32; 5]; 3],
    /// Each style index up to the largest, as text.
    text_of: Vec<String>,
}

impl Styles {
    fn from_prototypes(s: &[u32]) -> Option<Styles> {
        if s.len() != 22 {
            return None;
        }
        let tone = |t: usize| -> [u32; 5] { std::array::from_fn(|k| s[7 + 5 * t + k]) };
        Some(Styles {
            text: s[0],
            wrap: s[1],
            wan: s[2],
            int: s[3],
            num: s[4],
            pct: s[5],
            date: s[6],
            toned: [tone(0), tone(1), tone(2)],
            text_of: (0..=s.iter().copied().max().unwrap_or(0))
                .map(|i| i.to_string())
                .collect(),
        })
    }

    fn toned(&self, t: Tone, v: &Out) -> u32 {
        let k = match v {
            Out::Int(_) => 1,
            Out::Pct(_) => 2,
            Out::Wan(_) | Out::Num(_) => 3,
            Out::Date(_) => 4,
            _ => 0,
        };
        self.toned[t as usize][k]
    }
}

/// A sheet's XML taken apart at its prototype row.
struct Template<'x> {
    /// Up to `<dimension`.
    before_dimension: &'x str,
    /// From after the dimension element up to `<cols>` (or `<sheetData`).
    before_cols: &'x str,
    /// From `<sheetData` up to the prototype row.
    head: &'x str,
    /// From after the prototype row to the end.
    tail: &'x str,
    styles: Styles,
}

fn template(xml: &str) -> Option<Template<'_>> {
    let dim = xml.find("<dimension ")?;
    let dim_end = dim + xml[dim..].find("/>")? + 2;
    let data = xml.find("<sheetData")?;
    let (cols, cols_end) = match xml[..data].find("<cols>") {
        Some(c) => (c, c + xml[c..data].find("</cols>")? + "</cols>".len()),
        None => (data, data),
    };
    if !(dim_end <= cols && cols_end <= data) {
        return None;
    }
    let marker = format!("<row r=\"{}\"", PROTO_ROW + 1);
    let proto = data + xml[data..].find(&marker)?;
    let proto_end = proto + xml[proto..].find("</row>")? + "</row>".len();
    let styles = xml[proto..proto_end]
        .split("<c ")
        .skip(1)
        .map(|c| {
            let open = &c[..c.find('>').unwrap_or(c.len())];
            match open.find(" s=\"") {
                Some(i) => open[i + 4..].split('"').next()?.parse().ok(),
                None => Some(0),
            }
        })
        .collect::<Option<Vec<u32>>>()?;
    Some(Template {
        before_dimension: &xml[..dim],
        before_cols: &xml[dim_end..cols],
        head: &xml[cols_end..proto],
        tail: &xml[proto_end..],
        styles: Styles::from_prototypes(&styles)?,
    })
}

/// Rows a piece holds: small enough for many pieces per sheet (both cores
/// busy to the end), large enough that each compresses well.
const PIECE_ROWS: usize = 4096;

/// Pieces made in parallel before they are written out, in order.
const WINDOW: usize = 32;

/// Escape text for a sheet's `<t>` element as Excel (and rust_xlsxwriter)
/// do: `&`, `<`, `>` as entities, control characters as `_xHHHH_`, and a
/// literal `_xHHHH_` with its underscore escaped so it reads back as itself.
fn escape_into(out: &mut Vec<u8>, s: &str) {
    /// Bytes that may need escaping: `&<>`, `_`, controls other than tab and
    /// newline, and 0xEF (the lead byte of U+FFFE and U+FFFF, and of the
    /// fullwidth forms Chinese text is full of, which need nothing).
    const fn special() -> [bool; 256] {
        let mut t = [false; 256];
        let mut i = 0;
        while i < 0x20 {
            t[i] = i != b'\t' as usize && i != b'\n' as usize;
            i += 1;
        }
        t[b'&' as usize] = true;
        t[b'<' as usize] = true;
        t[b'>' as usize] = true;
        t[b'_' as usize] = true;
        t[0xEF] = true;
        t
    }
    const SPECIAL: [bool; 256] = special();
    let b = s.as_bytes();
    let mut done = 0;
    let mut i = 0;
    while i < b.len() {
        if !SPECIAL[b[i] as usize] {
            i += 1;
            continue;
        }
        out.extend_from_slice(&b[done..i]);
        let mut next = i + 1;
        match b[i] {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'_' => {
                let literal_escape = b.len() >= i + 7
                    && b[i + 1] == b'x'
                    && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
                    && b[i + 6] == b'_';
                if literal_escape {
                    out.extend_from_slice(b"_x005F");
                }
                out.push(b'_');
            }
            0xEF if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) => {
                out.extend_from_slice(if b[i + 2] == 0xBE {
                    b"_xFFFE_"
                } else {
                    b"_xFFFF_"
                });
                next = i + 3;
            }
            0xEF => out.push(0xEF),
            c => out.extend_from_slice(format!("_x{c:04X}_").as_bytes()),
        }
        i = next;
        done = next;
    }
    out.extend_from_slice(&b[done..]);
}

/// Excel's serial number of a date (1900 system, its leap-day quirk kept).
fn excel_date(d: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 31).expect("a valid date");
    let days = (d - epoch).num_days();
    if days > 59 {
        days + 1
    } else {
        days
    }
}

/// The sheet XML of rows, one cell at a time.
struct RowWriter<'s> {
    buf: Vec<u8>,
    styles: &'s Styles,
    /// Column letters.
    cols: &'s [String],
    /// The row being written (1-based), and as text.
    rn: u32,
    rn_text: [u8; 10],
    rn_len: usize,
    /// Blanks are written (framed, in the text style).
    blanks: bool,
}

impl RowWriter<'_> {
    fn open(&mut self, style: u32, col: usize) {
        self.buf.extend_from_slice(b"<c r=\"");
        self.buf.extend_from_slice(self.cols[col].as_bytes());
        self.buf.extend_from_slice(&self.rn_text[..self.rn_len]);
        self.buf.extend_from_slice(b"\" s=\"");
        match self.styles.text_of.get(style as usize) {
            Some(s) => self.buf.extend_from_slice(s.as_bytes()),
            None => self
                .buf
                .extend_from_slice(itoa::Buffer::new().format(style).as_bytes()),
        }
        self.buf.push(b'"');
    }

    /// Start row `rn` (1-based).
    /// Start row `rn`, `lines` lines tall (one: the default height).
    fn start_row(&mut self, rn: u32, lines: usize) {
        self.rn = rn;
        let text = itoa::Buffer::new().format(rn).as_bytes().to_owned();
        self.rn_len = text.len();
        self.rn_text[..text.len()].copy_from_slice(&text);
        self.buf.extend_from_slice(b"<row r=\"");
        self.buf.extend_from_slice(&text);
        if lines > 1 {
            let ht = row_height(lines);
            self.buf.extend_from_slice(b"\" ht=\"");
            self.buf
                .extend_from_slice(zmij::Buffer::new().format(ht).as_bytes());
            self.buf.extend_from_slice(b"\" customHeight=\"1");
        }
        self.buf.extend_from_slice(b"\">");
    }

    fn number(&mut self, style: u32, col: usize, x: f64) {
        if !x.is_finite() {
            // As rust_xlsxwriter does: Excel has no NaN or infinity.
            let s = if x.is_nan() {
                "NAN"
            } else if x > 0.0 {
                "INF"
            } else {
                "-INF"
            };
            return self.text(style, col, s);
        }
        self.open(style, col);
        self.buf.extend_from_slice(b"><v>");
        self.buf
            .extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes());
        self.buf.extend_from_slice(b"</v></c>");
    }

    fn int(&mut self, style: u32, col: usize, x: i64) {
        self.open(style, col);
        self.buf.extend_from_slice(b"><v>");
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
        self.buf.extend_from_slice(b"</v></c>");
    }

    fn blank(&mut self, style: u32, col: usize) {
        self.open(style, col);
        self.buf.extend_from_slice(b"/>");
    }

    /// Text cut to what a cell holds ([`crate::excel_limits::fit`]).
    fn text(&mut self, style: u32, col: usize, s: &str) {
        let s = &*crate::excel_limits::fit(s);
        if s.is_empty() {
            return self.blank(style, col);
        }
        self.open(style, col);
        let ws = ['\t', '\n', ' '];
        if s.starts_with(ws) || s.ends_with(ws) {
            self.buf
                .extend_from_slice(b" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
        } else {
            self.buf.extend_from_slice(b" t=\"inlineStr\"><is><t>");
        }
        escape_into(&mut self.buf, s);
        self.buf.extend_from_slice(b"</t></is></c>");
    }

    /// One value in its style, as `put` writes it in the other sheets (text
    /// that `wrap`s wraps); a blank only in a framed table.
    fn value(&mut self, col: usize, v: &Out, wrap: bool) {
        let st = self.styles;
        match v {
            Out::Empty if self.blanks => self.blank(st.text, col),
            Out::Empty => {}
            Out::Text(s) => self.text(if wrap { st.wrap } else { st.text }, col, s),
            Out::Wan(x) => self.number(st.wan, col, *x),
            Out::Num(x) => self.number(st.num, col, *x),
            Out::Pct(x) => self.number(st.pct, col, *x),
            Out::Int(x) => self.int(st.int, col, *x),
            Out::Date(d) => self.int(st.date, col, excel_date(*d)),
            Out::Tone(t, inner) => {
                let style = st.toned(*t, inner);
                match &**inner {
                    Out::Empty | Out::Tone(..) => self.blank(style, col),
                    Out::Text(s) => self.text(style, col, s),
                    Out::Wan(x) | Out::Num(x) | Out::Pct(x) => self.number(style, col, *x),
                    Out::Int(x) => self.int(style, col, *x),
                    Out::Date(d) => self.int(style, col, excel_date(*d)),
                }
            }
        }
    }
}

/// Rows `rows` of table `t` as sheet XML, compressed; with the widths their
/// cells claim (narrow-character units).
fn piece(
    t: &LongTable,
    sheet: &str,
    rows: std::ops::Range<usize>,
    first_rn: u32,
    styles: &Styles,
    cols: &[String],
) -> Result<(Piece, Vec<usize>), WriteError> {
    thread_local! {
        /// Each thread's XML buffer and compressor, reused from piece to piece.
        static SCRATCH: std::cell::RefCell<(Vec<u8>, Deflater)> = Default::default();
    }
    SCRATCH.with_borrow_mut(|(buf, deflater)| {
        let mut w = RowWriter {
            buf: std::mem::take(buf),
            styles,
            cols,
            rn: first_rn,
            rn_text: [0; 10],
            rn_len: 0,
            blanks: t.framed,
        };
        w.buf.clear();
        let widths = piece_xml(t, rows, &mut w);
        *buf = w.buf;
        let piece = deflater
            .piece(buf, false)
            .map_err(|e| WriteError(format!("压缩工作表“{sheet}”失败:{e}")))?;
        Ok((piece, widths))
    })
}

/// The XML of rows `rows` of `t` into `w`; returns the widths they claim.
/// Text longer than a cell holds is cut by [`RowWriter::text`].
fn piece_xml(t: &LongTable, rows: std::ops::Range<usize>, w: &mut RowWriter) -> Vec<usize> {
    let ncols = t.headers.len();
    let mut widths = vec![0usize; ncols];
    let caps = t.print.caps_of(ncols);
    let mut wraps = vec![false; ncols];
    for (i, rn) in rows.zip(w.rn..) {
        let row = (t.row)(i);
        // Measured first: a row with wrapped text is made as tall as its
        // lines (a spreadsheet application keeps a row's stored height).
        let mut lines = 1;
        for (c, v) in row.iter().enumerate().take(ncols) {
            let (width, wrap) = match v {
                Out::Text(s) => {
                    let breaks = s.contains('\n');
                    // Two columns a character at most: text this short can neither
                    // widen its column nor wrap, and needs no measuring.
                    if !breaks && 2 * s.chars().count() <= widths[c].min(caps[c]) {
                        (0, false)
                    } else {
                        let width = v.width();
                        let wrap = wraps_at(width, breaks, caps[c]);
                        if wrap {
                            lines = lines.max(wrapped_lines(s, caps[c]));
                        }
                        (width, wrap)
                    }
                }
                _ => (v.width(), false),
            };
            widths[c] = widths[c].max(width.min(caps[c]));
            wraps[c] = wrap;
        }
        w.start_row(rn, lines);
        for (c, v) in row.iter().enumerate().take(ncols) {
            w.value(c, v, wraps[c]);
        }
        w.buf.extend_from_slice(b"</row>");
    }
    widths
}

/// Excel's column width of `chars` narrow characters, as rust_xlsxwriter
/// stores it (pixels of a 7-pixel digit plus padding, back to characters).
fn col_width(chars: f64) -> f64 {
    let pixels = if chars < 1.0 {
        (chars * 12.0).round() as u32
    } else {
        (chars * 7.0).round() as u32 + 5
    };
    f64::from(pixels * 256 / 7) / 256.0
}

/// The `<cols>` element of a part: the measured widths (clamped, padded by
/// 2 as every table's), then the table's own overrides.
fn cols_xml(t: &LongTable, widths: &[usize]) -> String {
    let mut width: Vec<f64> = widths.iter().map(|w| column_width(*w)).collect();
    for &(c, w) in &t.widths {
        if let Some(x) = width.get_mut(c as usize) {
            *x = w;
        }
    }
    let mut xml = String::from("<cols>");
    for (c, w) in width.iter().enumerate() {
        xml.push_str(&format!(
            r#"<col min="{0}" max="{0}" width="{1}" customWidth="1"/>"#,
            c + 1,
            col_width(*w)
        ));
    }
    xml.push_str("</cols>");
    xml
}

/// A part's rows, made and compressed, waiting in a scratch file for the
/// sheet XML around them: the sheet's head (its column widths) comes first
/// in the archive and is known only when every row has been measured.
struct Rows {
    spill: std::fs::File,
    crc: crc32fast::Hasher,
    /// Uncompressed and compressed bytes.
    len: u64,
    clen: u64,
    widths: Vec<usize>,
}

/// Rows of a piece: small enough that every part (and a county's small
/// tables too) gives both cores many pieces, at most [`PIECE_ROWS`].
fn piece_rows(total: usize) -> usize {
    (total / 64).clamp(256, PIECE_ROWS)
}

/// Make the rows of every part, pieces of all parts in parallel, a window
/// at a time, each piece appended to its part's scratch file in order.
fn make_rows(
    tables: &[LongTable],
    parts: &[(&Part, &str, Template)],
    cols: &[String],
) -> Result<Vec<Rows>, WriteError> {
    let total: usize = parts.iter().map(|(p, ..)| p.rows.len()).sum();
    let step = piece_rows(total);
    let mut rows = Vec::with_capacity(parts.len());
    for (p, sheet, _) in parts {
        let spill =
            tempfile::tempfile().map_err(|e| WriteError(format!("写出工作表“{sheet}”失败:{e}")))?;
        let t = &tables[p.table];
        rows.push(Rows {
            spill,
            crc: crc32fast::Hasher::new(),
            len: 0,
            clen: 0,
            widths: header_widths(&t.headers),
        });
    }
    let tasks: Vec<(usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(j, (p, ..))| p.rows.clone().step_by(step).map(move |s| (j, s)))
        .collect();
    for window in tasks.chunks(WINDOW) {
        let pieces = window
            .par_iter()
            .map(|&(j, s)| {
                let (p, sheet, tpl) = &parts[j];
                let t = &tables[p.table];
                let rn = t.header_row() + 2 + (s - p.rows.start) as u32;
                piece(
                    t,
                    sheet,
                    s..(s + step).min(p.rows.end),
                    rn,
                    &tpl.styles,
                    cols,
                )
            })
            .collect::<Result<Vec<_>, WriteError>>()?;
        for (&(j, _), (piece, widths)) in window.iter().zip(pieces) {
            let r = &mut rows[j];
            r.spill
                .write_all(&piece.data)
                .map_err(|e| WriteError(format!("写出工作表“{}”失败:{e}", parts[j].1)))?;
            r.crc.combine(&piece.crc);
            r.len += piece.len;
            r.clen += piece.data.len() as u64;
            for (a, b) in r.widths.iter_mut().zip(widths) {
                *a = (*a).max(b);
            }
        }
    }
    Ok(rows)
}

/// Write one part's sheet into the archive: the sheet XML with the widths
/// its rows claimed, the rows, the rest of the sheet.
fn write_part<W: Write>(
    out: &mut ZipOut<W>,
    entry: &str,
    (p, sheet, tpl): &(&Part, &str, Template),
    t: &LongTable,
    mut rows: Rows,
    cols: &[String],
) -> Result<(), WriteError> {
    let fail = |e: std::io::Error| WriteError(format!("写出工作表“{sheet}”失败:{e}"));
    rows.spill.rewind().map_err(fail)?;
    let ncols = t.headers.len();
    let last_rn = t.header_row() + 1 + p.rows.len() as u32;
    let head = format!(
        "{}<dimension ref=\"A1:{}{}\"/>{}{}{}",
        tpl.before_dimension,
        cols[ncols.max(1) - 1],
        last_rn,
        tpl.before_cols,
        cols_xml(t, &rows.widths),
        tpl.head
    );
    let head = deflate_piece(head.as_bytes(), false).map_err(fail)?;
    let tail = deflate_piece(tpl.tail.as_bytes(), true).map_err(fail)?;
    let mut crc = head.crc.clone();
    crc.combine(&rows.crc);
    crc.combine(&tail.crc);
    let sizes = (
        crc.finalize(),
        head.len + rows.len + tail.len,
        head.data.len() as u64 + rows.clen + tail.data.len() as u64,
    );
    out.add_with(entry, 8, sizes, |w| {
        w.write_all(&head.data)?;
        std::io::copy(
            &mut std::io::BufReader::with_capacity(1 << 20, &mut rows.spill),
            w,
        )?;
        w.write_all(&tail.data)
    })
    .map_err(fail)
}

/// Save the workbook into `w`: the parts rust_xlsxwriter makes, copied as
/// they are, and the sheets of the long tables' `parts` with their rows.
pub fn save(
    mut wb: Workbook,
    tables: &[LongTable],
    parts: &[Part],
    w: &mut dyn Write,
) -> Result<(), WriteError> {
    let names: Vec<String> = wb
        .worksheets()
        .iter()
        .map(|ws| ws.name().to_string())
        .collect();
    let bytes = wb.save_to_buffer()?;
    let bad = |e: zip::result::ZipError| WriteError(format!("内部错误:工作簿无法重新打包:{e}"));
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    // rust_xlsxwriter names the worksheets' parts by their place.
    let entry_of = |p: &Part| format!("xl/worksheets/sheet{}.xml", p.sheet + 1);
    let mut xmls = Vec::with_capacity(parts.len());
    for p in parts {
        let mut xml = String::new();
        zin.by_name(&entry_of(p))
            .map_err(bad)?
            .read_to_string(&mut xml)
            .map_err(|e| WriteError(format!("内部错误:{e}")))?;
        xmls.push(xml);
    }
    let mut long = Vec::with_capacity(parts.len());
    for (p, xml) in parts.iter().zip(&xmls) {
        let sheet = names[p.sheet].as_str();
        let tpl = template(xml).ok_or_else(|| {
            WriteError(format!(
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
                return Err(WriteError(format!(
                    "内部错误:工作簿部件 {entry} 的压缩方式 {m}"
                )))
            }
        };
        let (crc, size) = (f.crc32(), f.size());
        let mut data = Vec::with_capacity(f.compressed_size() as usize);
        f.read_to_end(&mut data)
            .map_err(|e| WriteError(format!("内部错误:{e}")))?;
        out.add(&entry, method, crc, size, &[&data])
            .map_err(|e| WriteError(format!("写入工作簿失败:{e}")))?;
    }
    out.finish()
        .map_err(|e| WriteError(format!("写入工作簿失败:{e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;

    fn page() -> PageText<'static> {
        PageText {
            period_cn: "2026年5月",
            run_time: "2026-06-10 09:00",
        }
    }

    /// A workbook of `总览`, the table's parts and `报送情况`, saved.
    fn saved(table: LongTable, max_rows: u32) -> Result<Vec<u8>, WriteError> {
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
