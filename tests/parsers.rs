//! Parsers that cannot panic: property tests over arbitrary strings and cell
//! values for the number, amount-unit, date and header parsers, and round trips
//! of the forms FORMS.md §3 documents.

use chrono::{Datelike, NaiveDate};
use diaodu::ingest::cell::{
    parse_amount, parse_date, parse_date_text, parse_number, parse_number_text,
};
use diaodu::ingest::text::{header_key, MoneyUnit};
use diaodu::ingest::workbook::Cell;
use proptest::prelude::*;

fn unit() -> impl Strategy<Value = MoneyUnit> {
    prop_oneof![
        Just(MoneyUnit::Yuan),
        Just(MoneyUnit::Qianyuan),
        Just(MoneyUnit::Wanyuan),
        Just(MoneyUnit::Yiyuan),
    ]
}

/// Strings made of the characters the parsers care about, so the interesting
/// branches are reached far more often than with arbitrary Unicode alone.
fn parser_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９,，.。 \t\n年月日号底末上中下旬/\\-+eE#万亿千元()（）:T]{0,24}",
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..=2199, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        (0..4)
            .find_map(|k| NaiveDate::from_ymd_opt(y, m, d - k))
            .expect("one of the last four days exists")
    })
}

/// "1234567.25" → "1,234,567.25" with the given separator.
fn group(digits: &str, sep: &str) -> String {
    let (sign, rest) = match digits.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", digits),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn fullwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_parser_panics_on_any_text(s in parser_text(), year in 1900i32..2200, u in unit()) {
        let _ = parse_number_text(&s);
        let _ = parse_date_text(&s, year);
        let _ = header_key(&s);
        let _ = parse_amount(&Cell::Text(s.clone()), u);
        let _ = parse_date(&Cell::Text(s.clone()), year);
        // A parsed number is always finite.
        if let Ok(Some((v, _))) = parse_number_text(&s) {
            prop_assert!(v.is_finite());
        }
        // A parsed date lies in the years the forms can mean.
        if let Ok(Some(d)) = parse_date_text(&s, year) {
            prop_assert!((1899..=2200).contains(&d.year()), "{s:?} → {d}");
        }
    }

    #[test]
    fn no_parser_panics_on_any_cell(x in any::<f64>(), b in any::<bool>(), e in "#[A-Z/0!?]{1,8}", year in 1900i32..2200, u in unit()) {
        for c in [Cell::Number(x), Cell::Bool(b), Cell::Error(e.clone()), Cell::Empty] {
            let _ = parse_number(&c);
            let _ = parse_amount(&c, u);
            let _ = parse_date(&c, year);
        }
        if let Ok(Some(v)) = parse_amount(&Cell::Number(x), u) {
            prop_assert!(v.is_finite() || !x.is_finite() || x.abs() > 1e300);
        }
    }

    #[test]
    fn documented_date_forms_round_trip(d in date(), pad in any::<bool>()) {
        let (y, m, day) = (d.year(), d.month(), d.day());
        let (ms, ds) = if pad {
            (format!("{m:02}"), format!("{day:02}"))
        } else {
            (m.to_string(), day.to_string())
        };
        for s in [
            format!("{y}-{ms}-{ds}"),
            format!("{y}/{ms}/{ds}"),
            format!("{y}.{ms}.{ds}"),
            format!("{y}年{ms}月{ds}日"),
            format!("{y}年{ms}月{ds}号"),
            format!(" {y}年{ms}月{ds}日 "),
            format!("{y}-{m:02}-{day:02} 00:00:00"),
            format!("{y}{m:02}{day:02}"),
            fullwidth_digits(&format!("{y}年{ms}月{ds}日")),
        ] {
            prop_assert_eq!(parse_date_text(&s, 2026), Ok(Some(d)), "{:?}", s);
        }
        // Without a year: the period's.
        if let Some(in_period) = NaiveDate::from_ymd_opt(2026, m, day) {
            prop_assert_eq!(parse_date_text(&format!("{m}月{day}日"), 2026), Ok(Some(in_period)));
        }
        // The month only, or its end: the month's last day.
        let last = diaodu::ingest::cell::month_end(y, m).unwrap();
        for s in [format!("{y}年{m}月"), format!("{y}-{ms}"), format!("{y}年{m}月底")] {
            prop_assert_eq!(parse_date_text(&s, 2026), Ok(Some(last)), "{:?}", s);
        }
        // An Excel date cell and its serial number.
        let serial = (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
        if (20_000.0..80_000.0).contains(&serial) {
            prop_assert_eq!(parse_date(&Cell::Number(serial), 2026), Ok(Some(d)));
        }
        prop_assert_eq!(parse_date(&Cell::Date(d.and_hms_opt(0, 0, 0).unwrap()), 2026), Ok(Some(d)));
    }

    #[test]
    fn numbers_with_thousands_separators_round_trip(
        x in -1e12f64..1e12,
        decimals in 0usize..5,
        sep in prop_oneof![Just(","), Just("，")],
        space in prop_oneof![Just(""), Just(" "), Just("\u{3000}")],
        full in any::<bool>(),
    ) {
        let plain = format!("{x:.decimals$}");
        let want: f64 = plain.parse().unwrap();
        let mut text = format!("{space}{}{space}", group(&plain, sep));
        if full {
            text = fullwidth_digits(&text);
        }
        prop_assert_eq!(parse_number_text(&text), Ok(Some((want, None))), "{:?}", text);
        // With a unit written after it, the unit comes back and converts to 万元.
        for (name, u) in MoneyUnit::BY_NAME {
            let with_unit = format!("{}{name}", group(&plain, sep));
            prop_assert_eq!(parse_number_text(&with_unit), Ok(Some((want, Some(u)))));
            let wan = parse_amount(&Cell::Text(with_unit.clone()), MoneyUnit::Yiyuan).unwrap().unwrap();
            prop_assert!((wan - want * u.to_wan()).abs() <= 1e-9 * wan.abs().max(1.0));
        }
        // The column's unit applies when the cell has none.
        let col = parse_amount(&Cell::Text(group(&plain, sep)), MoneyUnit::Yiyuan).unwrap().unwrap();
        prop_assert!((col - want * 10_000.0).abs() <= 1e-9 * col.abs().max(1.0));
    }

    #[test]
    fn header_variants_map_to_the_canonical_key(
        table in 0usize..3,
        pick in any::<prop::sample::Index>(),
        u in unit(),
        brackets in prop_oneof![Just(("(", ")")), Just(("（", "）")), Just(("[", "]")), Just(("【", "】"))],
        breaks in prop::collection::vec(prop_oneof![Just(""), Just(" "), Just("\n"), Just("\u{3000}")], 0..40),
    ) {
        let fields = diaodu::TableKind::ALL[table].fields();
        let f = &fields[pick.index(fields.len())];
        let label = f.label();
        let (want, none) = header_key(label);
        prop_assert_eq!(none, None);
        // Whitespace and line breaks anywhere inside, a unit in any bracket style.
        let mut spaced = String::new();
        for (i, ch) in label.chars().enumerate() {
            spaced.push(ch);
            spaced.push_str(breaks.get(i).copied().unwrap_or(""));
        }
        let header = format!("{spaced}{}{}{}", brackets.0, u.name(), brackets.1);
        prop_assert_eq!(header_key(&header), (want.clone(), Some(u)), "{:?}", header);
        prop_assert_eq!(header_key(&spaced).0, want.clone());
        // Traditional characters read as simplified.
        let traditional = label.replace('资', "資").replace('计', "計").replace('项', "項");
        prop_assert_eq!(header_key(&traditional).0, want);
    }
}
