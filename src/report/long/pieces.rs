//! The rows of the long tables made in pieces, in parallel, each piece
//! compressed on its own into its part's scratch file; and each part's sheet
//! written into the archive around its rows.

use super::xml::{RowWriter, Styles, Template};
use super::{LongTable, Part};
use crate::report::table::{column_width, header_widths, wrapped_lines, wraps_at, Out};
use crate::report::zipout::{deflate_piece, Deflater, Piece, ZipOut};
use crate::report::Error;
use rayon::prelude::*;
use std::io::{Seek, Write};

/// Rows a piece holds: small enough for many pieces per sheet (both cores
/// busy to the end), large enough that each compresses well.
pub(super) const PIECE_ROWS: usize = 4096;

/// Pieces made in parallel before they are written out, in order.
pub(super) const WINDOW: usize = 32;

/// Rows `rows` of table `t` as sheet XML, compressed; with the widths their
/// cells claim (narrow-character units).
pub(super) fn piece(
    t: &LongTable,
    sheet: &str,
    rows: std::ops::Range<usize>,
    first_rn: u32,
    styles: &Styles,
    cols: &[String],
) -> Result<(Piece, Vec<usize>), Error> {
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
            .map_err(|e| Error::Write(format!("压缩工作表“{sheet}”失败:{e}")))?;
        Ok((piece, widths))
    })
}

/// The XML of rows `rows` of `t` into `w`; returns the widths they claim.
/// Text longer than a cell holds is cut by [`RowWriter::text`].
pub(super) fn piece_xml(
    t: &LongTable,
    rows: std::ops::Range<usize>,
    w: &mut RowWriter,
) -> Vec<usize> {
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
pub(super) fn col_width(chars: f64) -> f64 {
    let pixels = if chars < 1.0 {
        (chars * 12.0).round() as u32
    } else {
        (chars * 7.0).round() as u32 + 5
    };
    f64::from(pixels * 256 / 7) / 256.0
}

/// The `<cols>` element of a part: the measured widths (clamped, padded by
/// 2 as every table's), then the table's own overrides.
pub(super) fn cols_xml(t: &LongTable, widths: &[usize]) -> String {
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
pub(super) struct Rows {
    spill: std::fs::File,
    crc: crc32fast::Hasher,
    /// Uncompressed and compressed bytes.
    len: u64,
    clen: u64,
    widths: Vec<usize>,
}

/// Rows of a piece: small enough that every part (and a county's small
/// tables too) gives both cores many pieces, at most [`PIECE_ROWS`].
pub(super) fn piece_rows(total: usize) -> usize {
    (total / 64).clamp(256, PIECE_ROWS)
}

/// Make the rows of every part, pieces of all parts in parallel, a window
/// at a time, each piece appended to its part's scratch file in order.
pub(super) fn make_rows(
    tables: &[LongTable],
    parts: &[(&Part, &str, Template)],
    cols: &[String],
) -> Result<Vec<Rows>, Error> {
    let total: usize = parts.iter().map(|(p, ..)| p.rows.len()).sum();
    let step = piece_rows(total);
    let mut rows = Vec::with_capacity(parts.len());
    for (p, sheet, _) in parts {
        let spill = tempfile::tempfile()
            .map_err(|e| Error::Write(format!("写出工作表“{sheet}”失败:{e}")))?;
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
            .collect::<Result<Vec<_>, Error>>()?;
        for (&(j, _), (piece, widths)) in window.iter().zip(pieces) {
            let r = &mut rows[j];
            r.spill
                .write_all(&piece.data)
                .map_err(|e| Error::Write(format!("写出工作表“{}”失败:{e}", parts[j].1)))?;
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
pub(super) fn write_part<W: Write>(
    out: &mut ZipOut<W>,
    entry: &str,
    (p, sheet, tpl): &(&Part, &str, Template),
    t: &LongTable,
    mut rows: Rows,
    cols: &[String],
) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Write(format!("写出工作表“{sheet}”失败:{e}"));
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
