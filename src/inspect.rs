//! `diaodu inspect`: what diaodu makes of an office's own form (docs/forms.md
//! §9.8). For every sheet: the header row it found, every column with the
//! field it maps to and by which rule (or "not used"), the fields the table
//! lacks and what follows from each lack, and a ready `[headers.*]` block with
//! a best guess for every column it could not map, for forms.toml.

use crate::config::Period;
use crate::forms::{self, FieldType, Required, TableKind};
use crate::formwords::FormWords;
use crate::ingest::header::{
    best_guess, find_tables_with, missing_signature, not_this_year, Layout, MapCtx, Schema,
};
use crate::ingest::text::{col_letters, header_key};
use crate::ingest::workbook::{Guard, RawSheet};
use std::fmt::Write;
use std::path::Path;

/// The report on one file, as text for the terminal. Err: the file cannot be
/// read (the reason, naming the file).
pub fn inspect_file(
    path: &Path,
    guard: &Guard,
    period: Period,
    words: &FormWords,
    scan_rows: u32,
) -> Result<String, crate::error::Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let wb = guard
        .read(path)
        .map_err(|e| crate::error::Error::Check(format!("{name}:{e}")))?;
    let schemas: Vec<&'static Schema> = TableKind::ALL
        .iter()
        .map(|k| Schema::for_table(*k))
        .collect();
    let ctx = MapCtx {
        period: Some(period),
        words,
    };
    let mut out = String::new();
    let _ = writeln!(out, "文件 {name}(报告期 {})", period.cn());
    let mut todo: [Vec<String>; 3] = Default::default();
    for sheet in &wb.sheets {
        let hidden = if sheet.hidden {
            "(隐藏的工作表,照样读取)"
        } else {
            ""
        };
        let layouts = find_tables_with(&schemas, sheet, sheet.first_row + scan_rows, &ctx);
        if layouts.is_empty() {
            match best_guess(&schemas, sheet, sheet.first_row + scan_rows, &ctx) {
                Some(l) => {
                    let table = l.schema.table.expect("submission schema");
                    let _ = writeln!(
                        out,
                        "\n工作表\"{}\"{hidden}:第 {} 行像{}表的表头,但缺少识别它所需的栏目,未读取:",
                        sheet.name,
                        l.header_first + 1,
                        table.title()
                    );
                    for group in missing_signature(&l) {
                        let names: Vec<&str> = group
                            .iter()
                            .filter_map(|i| table.fields().get(*i))
                            .map(|f| f.label())
                            .collect();
                        let _ = writeln!(out, "  缺少:{}", names.join(" 或 "));
                    }
                    columns(&mut out, sheet, &l, &mut todo[table as usize]);
                }
                None => {
                    let _ = writeln!(
                        out,
                        "\n工作表\"{}\"{hidden}:没有找到表头(前 {scan_rows} 行内没有像报表表头的一行),不是报表",
                        sheet.name
                    );
                }
            }
            continue;
        }
        for l in &layouts {
            let table = l.schema.table.expect("submission schema");
            let rows = if l.header_first == l.header_last {
                format!("第 {} 行", l.header_first + 1)
            } else {
                format!("第 {}–{} 行", l.header_first + 1, l.header_last + 1)
            };
            let _ = writeln!(
                out,
                "\n工作表\"{}\"{hidden}:{}表,表头在{rows}",
                sheet.name,
                table.title()
            );
            columns(&mut out, sheet, l, &mut todo[table as usize]);
            lacks(&mut out, l);
        }
    }
    if todo.iter().any(|t| !t.is_empty()) {
        let _ = writeln!(
            out,
            "\n可复制到工作目录 forms.toml 的对照(# 后是猜测,请核对后去掉行首的 #;不用的列写 \"ignore\"):"
        );
        for (t, lines) in TableKind::ALL.iter().zip(&todo) {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out, "[headers.{}]", t.key());
            for l in lines {
                let _ = writeln!(out, "{l}");
            }
        }
    }
    Ok(out)
}

/// Every column of the header: its field and rule, or why it is not used.
fn columns(out: &mut String, sheet: &RawSheet, l: &Layout, todo: &mut Vec<String>) {
    let table = l.schema.table.expect("submission schema");
    let fields = table.fields();
    let mut rows: Vec<(u32, String)> = Vec::new();
    for c in &l.columns {
        let f = &fields[c.field];
        rows.push((
            c.col,
            format!(
                "\"{}\" → {}({}),{}",
                one_line(&c.header),
                f.key,
                f.label(),
                c.rule.cn()
            ),
        ));
    }
    for (col, text, field) in &l.duplicates {
        let since_start = !l.column_of(*field).is_some_and(|c| c.generic)
            && forms::GENERIC_CUMULATIVE.contains(&header_key(text).0.as_str());
        if since_start {
            rows.push((
                *col,
                format!(
                    "\"{}\" → 不使用:表中另有本年的{}列,这一列是开工以来的累计数",
                    one_line(text),
                    fields[*field].label()
                ),
            ));
            continue;
        }
        rows.push((
            *col,
            format!(
                "\"{}\" → 不使用:与已读取的{}列重复",
                one_line(text),
                fields[*field].label()
            ),
        ));
    }
    for (col, text, field) in &l.other_period {
        rows.push((
            *col,
            format!(
                "\"{}\" → 不使用:写的是其他月份或年份,不是本期的{}",
                one_line(text),
                fields[*field].label()
            ),
        ));
    }
    for (col, text) in &l.ignored {
        rows.push((
            *col,
            format!("\"{}\" → 不使用:forms.toml 设为 ignore", one_line(text)),
        ));
    }
    for (col, text) in &l.unknown {
        let key = header_key(text).0;
        let never = not_this_year(&key);
        let why = if never {
            "不是本年数据(如开工累计、至上年底累计、比例),不读取"
        } else {
            "未识别"
        };
        rows.push((*col, format!("\"{}\" → 不使用:{why}", one_line(text))));
        let guess = if never {
            None
        } else {
            guess_field(table, &key)
        };
        let line = match guess {
            Some(f) => format!(
                "# \"{}\" = \"{}\"   # 猜测:{}",
                toml_key(text),
                f.key,
                f.label()
            ),
            None => format!("# \"{}\" = \"ignore\"", toml_key(text)),
        };
        // One line per header text, however many sheets repeat it.
        if !todo
            .iter()
            .any(|l| l.split(" = ").next() == line.split(" = ").next())
        {
            todo.push(line);
        }
    }
    rows.sort_by_key(|(c, _)| *c);
    let _ = sheet;
    for (col, line) in rows {
        let _ = writeln!(out, "  {:>3} 列 {line}", col_letters(col));
    }
}

/// The fields the table lacks and what follows from each lack.
fn lacks(out: &mut String, l: &Layout) {
    let table = l.schema.table.expect("submission schema");
    let mut first = true;
    for (i, f) in table.fields().iter().enumerate() {
        if l.column_of(i).is_some() {
            continue;
        }
        let follows = match (table, f.key) {
            (_, "project_id") => "按项目名称识别项目,月度对比也按名称(§9.3)".to_string(),
            (TableKind::Projects, "planned_start") => {
                "不判定逾期未开工(F04),新建、续建项目计入\"无计划开工日期\"(§9.4)".to_string()
            }
            (TableKind::Projects, "actual_start") => {
                if l.columns
                    .iter()
                    .any(|c| c.field == crate::forms::project::STARTED.index())
                {
                    "按\"是否开工\"判定是否开工(§9.4)".to_string()
                } else {
                    "没有\"是否开工\"列,所有项目按未开工统计,开工率为 0".to_string()
                }
            }
            (TableKind::Projects, "started") => continue,
            (TableKind::Milestones, "project_name") => continue,
            (_, "unit") => "各行计入报送单位(以填报单位或文件名认定)".to_string(),
            (_, "month_done") | (_, "month_funds") => "本月数按 0 计".to_string(),
            _ => match f.required {
                Required::Yes => "必填栏目:各行都将因缺少该项被拒收".to_string(),
                Required::ForNewOrContinuing | Required::WhenSigned => {
                    "条件必填:符合条件的行将被拒收".to_string()
                }
                _ if f.ty == FieldType::Text => "不影响汇总".to_string(),
                _ => "不影响汇总".to_string(),
            },
        };
        if first {
            let _ = writeln!(out, "  表中没有的栏目:");
            first = false;
        }
        let _ = writeln!(out, "    {}:{follows}", f.label());
    }
}

/// The field whose header or variant shares the longest run of characters
/// (at least two) with `key`.
fn guess_field(table: TableKind, key: &str) -> Option<&'static forms::FieldSpec> {
    let chars: Vec<char> = key.chars().collect();
    let mut best: Option<(usize, &forms::FieldSpec)> = None;
    for f in table.fields() {
        for h in std::iter::once(&f.header).chain(f.aliases) {
            let hk = header_key(h).0;
            let n = longest_common(&chars, &hk.chars().collect::<Vec<_>>());
            // Two shared characters only when they are the whole variant.
            let enough = n >= 3 || (n >= 2 && n == hk.chars().count());
            if enough && best.is_none_or(|(b, _)| n > b) {
                best = Some((n, f));
            }
        }
    }
    best.map(|(_, f)| f)
}

fn longest_common(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            best = best.max(k);
        }
    }
    best
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("")
}

/// A header as a TOML key (quotes and backslashes escaped, one line); the
/// group and sub-header of a two-row header ("完成投资/本月") joined as the
/// reader keys them.
fn toml_key(s: &str) -> String {
    one_line(s)
        .replace('/', "")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_by_shared_words() {
        let g = guess_field(TableKind::Projects, "项目总投资额度").unwrap();
        assert_eq!(g.key, "total_invest");
        assert!(guess_field(TableKind::Projects, "层次").is_none());
        assert_eq!(toml_key("累计\n完成 \"投资\""), "累计完成\\\"投资\\\"");
    }
}
