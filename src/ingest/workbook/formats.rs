//! Reading with calamine: a detected format's sheets through calamine's cell reader
//! (xlsx, xlsb) or range (xls, ods), under the memory budget.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// Detect and read in the current process (no child), under `catch_unwind`.
pub fn read_in_process(path: &Path, limits: &ReadLimits) -> Result<Workbook, ReadError> {
    let bytes = read_file(path, limits)?;
    guarded(|| {
        let format = sniff(&bytes, limits)?;
        read_format(bytes, format, limits)
    })
}

pub(super) fn read_format(
    bytes: Vec<u8>,
    format: Format,
    limits: &ReadLimits,
) -> Result<Workbook, ReadError> {
    let mut budget = Budget::new(limits);
    let sheets = match format {
        Format::Xlsx => read_xlsx(bytes, &mut budget)?,
        Format::Xlsb => read_xlsb(bytes, &mut budget)?,
        Format::Xls => read_xls(bytes, &mut budget)?,
        Format::Ods => read_ods(bytes, &mut budget)?,
    };
    if sheets.iter().all(|s| s.rows.is_empty()) {
        return Err(ReadError::Empty);
    }
    Ok(Workbook { format, sheets })
}

/// Map a calamine error to a ReadError.
pub(super) fn cal_err(e: impl std::fmt::Display, password: bool) -> ReadError {
    if password {
        ReadError::Encrypted
    } else {
        ReadError::Corrupt(e.to_string())
    }
}

pub(super) fn xlsx_err(e: calamine::XlsxError) -> ReadError {
    let p = matches!(e, calamine::XlsxError::Password);
    cal_err(e, p)
}
pub(super) fn xlsb_err(e: calamine::XlsbError) -> ReadError {
    let p = matches!(e, calamine::XlsbError::Password);
    cal_err(e, p)
}
pub(super) fn xls_err(e: calamine::XlsError) -> ReadError {
    let p = matches!(e, calamine::XlsError::Password);
    cal_err(e, p)
}
pub(super) fn ods_err(e: calamine::OdsError) -> ReadError {
    let p = matches!(e, calamine::OdsError::Password);
    cal_err(e, p)
}

/// Sheets worth reading: worksheets only (chart, dialog and macro sheets and VBA modules
/// hold no table data).
pub(super) fn worksheets(meta: &[calamine::Sheet]) -> Vec<(String, bool)> {
    meta.iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect()
}

pub(super) fn merged(dims: Vec<calamine::Dimensions>) -> Vec<(u32, u32, u32, u32)> {
    dims.into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

pub(super) fn read_xlsx(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    crate::ingest::xlsx_precheck::shared_strings(&bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).map_err(xlsx_err)?;
    // Merged regions from the tail of each sheet part, instead of calamine's second parse
    // of the whole sheet; calamine still answers wherever that does not apply.
    let mut parts = crate::ingest::xlsx_merged::SheetParts::open(&bytes, &wb.sheet_names());
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let mut cells = Vec::new();
        match wb.worksheet_cells_reader(&name) {
            Ok(mut reader) => {
                // Room for the cells the sheet declares (its <dimension>), up to a
                // bound that needs no budget: the vector is not grown cell by cell.
                let declared = reader.dimensions().len();
                cells.reserve(declared.min(PRESIZE_CELLS) as usize);
                while let Some(c) = reader.next_cell().map_err(xlsx_err)? {
                    push_ref(&mut cells, c, budget)?;
                }
            }
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(xlsx_err(e)),
        }
        let grid = Grid::build(cells, &name, budget)?;
        let merged = match parts.as_mut().and_then(|p| p.merged(&name)) {
            Some(m) => m,
            None => merged(wb.merge_cells_by_sheet_name(&name).map_err(xlsx_err)?),
        };
        out.push(grid.into_sheet(name, hidden, merged));
    }
    Ok(out)
}

pub(super) fn read_xlsb(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(xlsb_err)?;
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let mut cells = Vec::new();
        let mut reader = wb.worksheet_cells_reader(&name).map_err(xlsb_err)?;
        while let Some(c) = reader.next_cell().map_err(xlsb_err)? {
            push_ref(&mut cells, c, budget)?;
        }
        drop(reader);
        let grid = Grid::build(cells, &name, budget)?;
        out.push(grid.into_sheet(name, hidden, Vec::new()));
    }
    Ok(out)
}

pub(super) fn read_xls(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(xls_err)?;
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let range = wb.worksheet_range(&name).map_err(xls_err)?;
        let grid = Grid::from_range(&range, &name, budget)?;
        drop(range);
        let merged = merged(wb.merge_cells_by_sheet_name(&name).map_err(xls_err)?);
        out.push(grid.into_sheet(name, hidden, merged));
    }
    Ok(out)
}

pub(super) fn read_ods(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<RawSheet>, ReadError> {
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(ods_err)?;
    let mut out = Vec::new();
    for (name, hidden) in worksheets(wb.sheets_metadata()) {
        let range = wb.worksheet_range(&name).map_err(ods_err)?;
        let grid = Grid::from_range(&range, &name, budget)?;
        drop(range);
        out.push(grid.into_sheet(name, hidden, Vec::new()));
    }
    Ok(out)
}
