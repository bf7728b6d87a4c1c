//! The sheet XML of the long tables' rows: the sheet rust_xlsxwriter made
//! taken apart at its prototype row (its styles read from it), and the rows
//! written cell by cell in those styles.

use super::PROTO_ROW;
use crate::report::table::{row_height, style, style_of, Out};

/// The workbook's style ids of the prototype cells, one per style of
/// [`style_of`]'s table, in its order.
pub(super) struct Styles {
    ids: Vec<u32>,
    /// Each style id up to the largest, as text.
    text_of: Vec<String>,
}

impl Styles {
    fn from_prototypes(s: &[u32]) -> Option<Styles> {
        if s.len() != style::COUNT {
            return None;
        }
        Some(Styles {
            ids: s.to_vec(),
            text_of: (0..=s.iter().copied().max().unwrap_or(0))
                .map(|i| i.to_string())
                .collect(),
        })
    }

    /// The style id of a value ([`style_of`]).
    fn of(&self, v: &Out, wrap: bool) -> u32 {
        self.ids[style_of(v, wrap)]
    }
}

/// A sheet's XML taken apart at its prototype row.
pub(super) struct Template<'x> {
    /// Up to `<dimension`.
    pub(super) before_dimension: &'x str,
    /// From after the dimension element up to `<cols>` (or `<sheetData`).
    pub(super) before_cols: &'x str,
    /// From `<sheetData` up to the prototype row.
    pub(super) head: &'x str,
    /// From after the prototype row to the end.
    pub(super) tail: &'x str,
    pub(super) styles: Styles,
}

pub(super) fn template(xml: &str) -> Option<Template<'_>> {
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

/// Escape text for a sheet's `<t>` element as Excel (and rust_xlsxwriter)
/// do: `&`, `<`, `>` as entities, control characters as `_xHHHH_`, and a
/// literal `_xHHHH_` with its underscore escaped so it reads back as itself.
pub(super) fn escape_into(out: &mut Vec<u8>, s: &str) {
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
pub(super) fn excel_date(d: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 31).expect("a valid date");
    let days = (d - epoch).num_days();
    if days > 59 {
        days + 1
    } else {
        days
    }
}

/// The sheet XML of rows, one cell at a time.
pub(super) struct RowWriter<'s> {
    pub(super) buf: Vec<u8>,
    pub(super) styles: &'s Styles,
    /// Column letters.
    pub(super) cols: &'s [String],
    /// The row being written (1-based), and as text.
    pub(super) rn: u32,
    pub(super) rn_text: [u8; 10],
    pub(super) rn_len: usize,
    /// Blanks are written (framed, in the text style).
    pub(super) blanks: bool,
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
    pub(super) fn start_row(&mut self, rn: u32, lines: usize) {
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
    pub(super) fn value(&mut self, col: usize, v: &Out, wrap: bool) {
        let style = self.styles.of(v, wrap);
        let v = match v {
            Out::Tone(_, inner) => match &**inner {
                Out::Empty | Out::Tone(..) => return self.blank(style, col),
                inner => inner,
            },
            v => v,
        };
        match v {
            Out::Empty if self.blanks => self.blank(style, col),
            Out::Empty | Out::Tone(..) => {}
            Out::Text(s) => self.text(style, col, s),
            Out::Wan(x) | Out::Num(x) | Out::Pct(x) => self.number(style, col, *x),
            Out::Int(x) => self.int(style, col, *x),
            Out::Date(d) => self.int(style, col, excel_date(*d)),
        }
    }
}
