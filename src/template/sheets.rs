//! The sheets of a workbook: a table sheet (title, note row, header, input
//! rows, validations, widths, protection, print setup) and the hidden sheet
//! of roster names.

use super::*;

/// Column width for a field: the widest of its header (a header with a unit
/// wraps before the unit), the values it is expected to hold, and the values
/// pre-filled into it.
pub(super) fn column_width(spec: &FieldSpec, names: Option<&Names>, values: &[&Value]) -> f64 {
    let label = spec.label();
    let head = display_width(label).max(display_width(&spec.header[label.len()..]));
    let typical = match (spec.ty, spec.key) {
        (FieldType::Date, _) => 11,
        (FieldType::Amount, _) => 12,
        (FieldType::Quantity, _) => 8,
        (FieldType::Choice(c), _) => c.iter().map(|s| display_width(s)).max().unwrap_or(4) + 4,
        (FieldType::Text, "project_name") => 28,
        (FieldType::Text, "progress_note" | "problems" | "next_steps") => 30,
        (FieldType::Text, "investor") => 20,
        (FieldType::Text, "unit") => names.map_or(16, |n| n.width + 3),
        (FieldType::Text, "aliases") => 24,
        _ => 8,
    };
    let filled = values
        .iter()
        .map(|v| display_width(&v.display()))
        .max()
        .unwrap_or(0)
        .min(40);
    (head.max(typical).max(filled) + 2) as f64
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    fmt: &Format,
) -> Result<(), XlsxError> {
    match v {
        Value::Null => ws.write_blank(row, col, fmt)?,
        Value::Text(s) => ws.write_string_with_format(row, col, fit(s), fmt)?,
        Value::Num(n) => ws.write_number_with_format(row, col, *n, fmt)?,
        Value::Date(d) => ws.write_datetime_with_format(row, col, d, fmt)?,
    };
    Ok(())
}

fn protect(ws: &mut Worksheet) {
    // No password: the protection keeps the headers from being changed by
    // accident, not from a determined user.
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::new()
    };
    ws.protect_with_options(&options);
}

fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, header_row)?;
    ws.set_footer("&C第 &P 页 共 &N 页");
    Ok(())
}

/// One table sheet: title, the note row (forms only), the header from
/// `forms.rs`, and `input_rows` rows of input cells holding `rows` first.
#[allow(clippy::too_many_arguments)]
pub(super) fn table_sheet(
    wb: &mut Workbook,
    st: &Styles,
    cx: &Ctx,
    sheet_name: &str,
    title: &str,
    table: Option<TableKind>,
    fields: &[FieldSpec],
    rows: &[PrefillRow],
    input_rows: u32,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name)?;
    let last_col = (fields.len() - 1) as u16;
    let with_note = table.is_some();
    let header_row = if with_note { HEADER_ROW } else { NOTE_ROW };
    let first_input = header_row + 1;

    let title = fit(title);
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, &title, &st.title)?;
    ws.set_row_height(TITLE_ROW, 32)?;

    if with_note {
        assert!(last_col > NOTE_DATE_COL + 1, "the note row needs 7 columns");
        ws.write_string_with_format(NOTE_ROW, 0, "填报单位:", &st.note_label)?;
        ws.merge_range(
            NOTE_ROW,
            NOTE_UNIT_COL,
            NOTE_ROW,
            NOTE_UNIT_COL + 1,
            &fit(cx.unit.unwrap_or("")),
            &st.note_text,
        )?;
        ws.write_string_with_format(NOTE_ROW, NOTE_DATE_COL - 1, "填报日期:", &st.note_label)?;
        ws.merge_range(
            NOTE_ROW,
            NOTE_DATE_COL,
            NOTE_ROW,
            NOTE_DATE_COL + 1,
            "",
            &st.note_date,
        )?;
        ws.write_string_with_format(NOTE_ROW, last_col, "单位:万元", &st.note_label)?;
        ws.set_row_height(NOTE_ROW, 22)?;
        if let Some(n) = &cx.names {
            ws.add_data_validation(
                NOTE_ROW,
                NOTE_UNIT_COL,
                NOTE_ROW,
                NOTE_UNIT_COL,
                &names_validation("填报单位", n, false)?,
            )?;
        }
        ws.add_data_validation(
            NOTE_ROW,
            NOTE_DATE_COL,
            NOTE_ROW,
            NOTE_DATE_COL,
            &date_validation("填报日期")?,
        )?;
    }

    for (c, spec) in fields.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, spec.header, st.header(spec))?;
    }
    ws.set_row_height(header_row, 36)?;

    let last_input = first_input + input_rows - 1;
    for r in first_input..=last_input {
        // The whole row unlocked, so rows can be inserted and deleted.
        ws.set_row_format(r, &st.unlocked)?;
        let values = rows.get((r - first_input) as usize);
        for (c, spec) in fields.iter().enumerate() {
            let carried = table.is_none_or(|t| !is_fresh(t, spec.key));
            let v = values
                .filter(|_| carried)
                .and_then(|row| row.get(spec.key))
                .unwrap_or(&Value::Null);
            write_value(ws, r, c as u16, v, st.input(spec))?;
        }
    }

    for (c, spec) in fields.iter().enumerate() {
        let c = c as u16;
        if let Some(dv) = field_validation(table, spec, cx.names.as_ref())? {
            ws.add_data_validation(first_input, c, last_input, c, &dv)?;
        }
        let filled: Vec<&Value> = rows.iter().filter_map(|r| r.get(spec.key)).collect();
        ws.set_column_width(c, column_width(spec, cx.names.as_ref(), &filled))?;
    }

    ws.set_freeze_panes(first_input, 0)?;
    protect(ws);
    print_setup(ws, header_row)?;
    Ok(())
}

/// The hidden sheet of roster names the drop-down lists refer to.
pub(super) fn names_sheet(wb: &mut Workbook, names: &[&str]) -> Result<(), XlsxError> {
    if names.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name(NAMES_SHEET)?;
    for (i, n) in names.iter().enumerate() {
        ws.write_string(i as u32, 0, fit(n))?;
    }
    let width = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
    ws.set_column_width(0, (width + 2) as f64)?;
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}
