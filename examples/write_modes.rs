//! Measure how the detail sheets are best written: rust_xlsxwriter's standard,
//! constant-memory and low-memory worksheets, and the zip compression level.
//! Runs the batch on a work folder, then writes the three detail tables (the
//! same columns as 项目明细, 节点计划, 招商引资) with `write_table_parts`.
//!
//! ```sh
//! cargo run --release --example write_modes -- DIR standard|constant [ZIP_LEVEL]
//! /usr/bin/time -v target/release/examples/write_modes DIR constant 6
//! ```
//!
//! Prints `mode=… zip=… rows_s=… write_s=… bytes=…`; run it under
//! `/usr/bin/time -v` for the peak memory of each mode.

use diaodu::forms::{FieldType, TableKind};
use diaodu::model::Value;
use diaodu::report::table::{page_setup, write_table_parts, Formats, Out, Parts};
use rust_xlsxwriter::Workbook;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(mode)) = (args.first(), args.get(1)) else {
        eprintln!("usage: write_modes DIR standard|constant|low [ZIP_LEVEL]");
        std::process::exit(2)
    };
    let zip: u8 = args.get(2).and_then(|z| z.parse().ok()).unwrap_or(6);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 10).expect("date");
    let config = diaodu::Config::load(std::path::Path::new(dir), &Default::default(), today)
        .unwrap_or_else(|e| panic!("{e}"));
    let batch = diaodu::run(config).unwrap_or_else(|e| panic!("{e}"));
    let fmt = Formats::default();
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(zip);
    let t = Instant::now();
    let mut rows_time = 0.0;
    let mut n = 0;
    for (name, table) in [
        ("项目明细", TableKind::Projects),
        ("节点计划", TableKind::Milestones),
        ("招商引资", TableKind::Attraction),
    ] {
        let r0 = Instant::now();
        let fields = table.fields();
        let mut headers: Vec<&str> = vec!["计入单位"];
        headers.extend(fields.iter().map(|f| f.header));
        headers.extend(["来源文件", "工作表", "行号", "其他来源"]);
        let units = &batch.roster.units;
        let data: Vec<Vec<Out>> = batch.merged.rows[table as usize]
            .iter()
            .map(|m| {
                let mut r = vec![Out::opt_text(m.rec.unit.map(|u| units[u].name.as_str()))];
                r.extend(fields.iter().zip(&m.rec.values).map(|(f, v)| match v {
                    Value::Null => Out::Empty,
                    Value::Num(x) if f.ty == FieldType::Amount => Out::Wan(*x),
                    Value::Num(x) => Out::Num(*x),
                    Value::Date(d) => Out::Date(*d),
                    Value::Text(s) => Out::text(s.clone()),
                }));
                r.push(Out::text(m.rec.src.file.to_string()));
                r.push(Out::text(m.rec.src.sheet.to_string()));
                r.push(Out::Int(m.rec.src.row as i64));
                r.push(Out::Empty);
                r
            })
            .collect();
        n += data.len();
        rows_time += r0.elapsed().as_secs_f64();
        let parts = Parts {
            constant_memory: mode == "constant",
            ..Parts::default()
        };
        if mode == "low" {
            // Low memory: like constant memory, but strings stay shared.
            let ws = wb.add_worksheet_with_low_memory().expect("tempfile");
            ws.set_name(name).expect("name");
            page_setup(ws, name, "2026年5月", "2026-06-10 09:00", 0).expect("setup");
            diaodu::report::table::write_table(ws, &fmt, 0, &headers, &data).expect("write");
        } else {
            write_table_parts(
                &mut wb,
                &fmt,
                name,
                &headers,
                &data,
                parts,
                &mut |ws, sheet, _| {
                    page_setup(ws, sheet, "2026年5月", "2026-06-10 09:00", 0)?;
                    Ok(0)
                },
            )
            .expect("write");
        }
    }
    let bytes = wb.save_to_buffer().expect("save");
    println!(
        "mode={mode} zip={zip} rows={n} build_rows_s={rows_time:.2} write_s={:.2} bytes={}",
        t.elapsed().as_secs_f64() - rows_time,
        bytes.len()
    );
}
