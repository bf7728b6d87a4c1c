//! What an Excel cell refuses: text longer than 32,767 characters.
//!
//! A submitted cell may hold more (a pasted report), and rust_xlsxwriter, like
//! Excel, refuses to write it. So every text the workbook writes passes
//! [`fit`] at the edge where the writers put it in a cell: text that does not
//! fit is cut, with "…" at the end. The run report (JSON) keeps it whole. Which
//! submitted cells will be cut is known before anything is written:
//! [`text_cut_findings`] names each one as a `cell/text-cut` warning, for
//! `run` and `check` alike.

use crate::finding::{Code, Finding};
use crate::model::{Record, Value};
use std::borrow::Cow;

/// Most characters (UTF-16 units, as Excel counts) one cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// What ends a text that was cut.
pub const CUT_MARK: char = '…';

/// Characters (UTF-16 units) of `s`, as Excel counts them.
pub fn excel_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Whether `s` is longer than a cell holds. A UTF-8 string has at least as
/// many bytes as UTF-16 units, so short text is not counted.
pub fn too_long(s: &str) -> bool {
    s.len() > MAX_CELL_CHARS && excel_len(s) > MAX_CELL_CHARS
}

/// `s` as a cell can hold it: unchanged when it fits, else its first
/// characters and "…", [`MAX_CELL_CHARS`] in all (a character outside the
/// BMP is never split).
pub fn fit(s: &str) -> Cow<'_, str> {
    if !too_long(s) {
        return Cow::Borrowed(s);
    }
    let room = MAX_CELL_CHARS - CUT_MARK.len_utf16();
    let (mut units, mut end) = (0, 0);
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > room {
            break;
        }
        end = i + c.len_utf8();
    }
    let mut out = String::with_capacity(end + CUT_MARK.len_utf8());
    out.push_str(&s[..end]);
    out.push(CUT_MARK);
    Cow::Owned(out)
}

/// [`fit`], taking the text: no copy when it fits.
pub fn fit_owned(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => fit(b),
        Cow::Owned(o) if too_long(&o) => Cow::Owned(fit(&o).into_owned()),
        Cow::Owned(o) => Cow::Owned(o),
    }
}

/// How much of a cut text a finding shows as its value.
const PREVIEW_CHARS: usize = 20;

/// A `cell/text-cut` warning for every text value of `records` longer than a
/// cell holds, naming its file, sheet and cell.
pub fn text_cut_findings<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rec in records {
        for (i, v) in rec.values.iter().enumerate() {
            let Value::Text(s) = v else { continue };
            if !too_long(s) {
                continue;
            }
            let spec = &rec.table.fields()[i];
            let cell = rec.cols[i].map(|c| crate::text::a1(rec.src.row - 1, c));
            let at = match &cell {
                Some(c) => format!("工作表“{}”{c} 单元格", rec.src.sheet),
                None => format!("工作表“{}”第{}行", rec.src.sheet, rec.src.row),
            };
            let preview: String = s.chars().take(PREVIEW_CHARS).collect();
            let mut f = Finding::new(
                Code::CellTextCut,
                rec.src.file.to_string(),
                format!(
                    "文件“{}”{at}的“{}”有 {} 字,超过 Excel 单元格上限 {MAX_CELL_CHARS} 字:汇总表中只写出前 {} 字并以“…”结尾,运行报告(JSON)中保留全文;请把该栏精简为要点,详细材料另行报送",
                    rec.src.file,
                    spec.header,
                    excel_len(s),
                    MAX_CELL_CHARS - 1
                ),
            )
            .table(rec.table)
            .sheet(rec.src.sheet.to_string())
            .field_key(spec.key)
            .value(format!("{preview}…"));
            f.row = Some(rec.src.row);
            f.cell = cell;
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_not_copied() {
        let s = "项目".repeat(10_000);
        assert!(matches!(fit(&s), Cow::Borrowed(_)));
        let s = "a".repeat(MAX_CELL_CHARS);
        assert!(matches!(fit(&s), Cow::Borrowed(_)));
    }

    #[test]
    fn long_text_is_cut_to_the_limit_with_a_mark() {
        let s = "a".repeat(MAX_CELL_CHARS + 1);
        let f = fit(&s);
        assert_eq!(excel_len(&f), MAX_CELL_CHARS);
        assert!(f.ends_with("a…"));
        // Chinese: 3 bytes, one unit each.
        let s = "项".repeat(40_000);
        let f = fit(&s);
        assert_eq!(excel_len(&f), MAX_CELL_CHARS);
        assert_eq!(f.chars().count(), MAX_CELL_CHARS);
        // Outside the BMP (two units each): never split, so one short of the limit.
        let s = "😀".repeat(20_000);
        let f = fit(&s);
        assert_eq!(excel_len(&f), MAX_CELL_CHARS);
        assert_eq!(f.chars().filter(|c| *c == '😀').count(), 16_383);
        let s = format!("a{}", "😀".repeat(20_000));
        let f = fit(&s);
        assert_eq!(excel_len(&f), MAX_CELL_CHARS - 1);
        assert!(f.ends_with("😀…"));
    }
}
