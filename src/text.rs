//! Pure text helpers every layer uses. Text normalisation: full-width to half-width, traditional to simplified
//! characters, whitespace, and the unit written inside a header.

/// A money unit found in a header or a note row, as the factor to 万元.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MoneyUnit {
    Yuan,
    Qianyuan,
    Wanyuan,
    Yiyuan,
}

impl MoneyUnit {
    /// Multiply a value in this unit by the factor to get 万元.
    pub fn to_wan(self) -> f64 {
        match self {
            MoneyUnit::Yuan => 0.0001,
            MoneyUnit::Qianyuan => 0.1,
            MoneyUnit::Wanyuan => 1.0,
            MoneyUnit::Yiyuan => 10_000.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Qianyuan => "千元",
            MoneyUnit::Wanyuan => "万元",
            MoneyUnit::Yiyuan => "亿元",
        }
    }

    /// Longest names first, so "万元" is not read as "元".
    pub const BY_NAME: [(&'static str, MoneyUnit); 4] = [
        ("万元", MoneyUnit::Wanyuan),
        ("亿元", MoneyUnit::Yiyuan),
        ("千元", MoneyUnit::Qianyuan),
        ("元", MoneyUnit::Yuan),
    ];
}

/// Full-width ASCII forms (U+FF01..U+FF5E) to ASCII, the ideographic space to a
/// space, and the odd dashes and dots people type to their ASCII form.
pub fn halfwidth(s: &str) -> String {
    s.chars().map(halfwidth_char).collect()
}

pub fn halfwidth_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' => ' ',
        '\u{3002}' => '.', // 。 used as a decimal point or date separator
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{FF5F}' => '(',
        '\u{3010}' | '\u{3014}' => '[',
        '\u{3011}' | '\u{3015}' => ']',
        _ => c,
    }
}

/// Traditional to simplified characters (only where the text has any
/// character outside ASCII, which is cheap to check first).
pub fn simplified(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        fast2s::convert(s)
    }
}

/// The general clean-up for a text cell: half-width, simplified, trimmed, inner
/// runs of whitespace (line breaks included) folded to one space.
///
/// One pass and at most two allocations: this runs on every text cell of
/// every row (half-width and whitespace first, then the character
/// conversion, which never looks at whitespace).
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars().map(halfwidth_char) {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    if out.is_ascii() {
        out
    } else {
        fast2s::convert(&out)
    }
}

/// Whether `clean(s)` is empty, without building it: every character is
/// whitespace once made half-width (the character conversion keeps a
/// non-empty text non-empty).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| halfwidth_char(c).is_whitespace())
}

/// A key for comparing names (units, header texts): `clean` without any
/// whitespace at all.
pub fn name_key(s: &str) -> String {
    let mut k = clean(s);
    k.retain(|c| c != ' ');
    k
}

/// Each unit of `MoneyUnit::BY_NAME` (in that order) in brackets or after a
/// slash, as `header_key` looks for them.
const BRACKETED_UNITS: [(&str, MoneyUnit); 16] = [
    ("(万元)", MoneyUnit::Wanyuan),
    ("[万元]", MoneyUnit::Wanyuan),
    ("<万元>", MoneyUnit::Wanyuan),
    ("/万元", MoneyUnit::Wanyuan),
    ("(亿元)", MoneyUnit::Yiyuan),
    ("[亿元]", MoneyUnit::Yiyuan),
    ("<亿元>", MoneyUnit::Yiyuan),
    ("/亿元", MoneyUnit::Yiyuan),
    ("(千元)", MoneyUnit::Qianyuan),
    ("[千元]", MoneyUnit::Qianyuan),
    ("<千元>", MoneyUnit::Qianyuan),
    ("/千元", MoneyUnit::Qianyuan),
    ("(元)", MoneyUnit::Yuan),
    ("[元]", MoneyUnit::Yuan),
    ("<元>", MoneyUnit::Yuan),
    ("/元", MoneyUnit::Yuan),
];

/// Normalise a header cell for matching against the schema: simplified
/// characters, half-width, no whitespace or line breaks, no brackets, no
/// required-marks; a money unit written in the header is cut out and returned.
///
/// `"總投資\n（萬元）"` gives `("总投资", Some(Wanyuan))`.
pub fn header_key(s: &str) -> (String, Option<MoneyUnit>) {
    let mut k = name_key(s);
    let mut unit = None;
    // A unit in brackets anywhere, or a bare unit at the end. Every unit name
    // ends in 元, so a key without it has none: skip the sixteen searches.
    let units = k.contains('元');
    if units {
        for (pat, u) in BRACKETED_UNITS {
            if let Some(i) = k.find(pat) {
                k.replace_range(i..i + pat.len(), "");
                unit.get_or_insert(u);
            }
        }
    }
    if unit.is_none() && units {
        for (name, u) in MoneyUnit::BY_NAME {
            // "总投资万元" but not a header that is only "元"; and not "单位"
            // (计量单位) which merely ends in a character of a unit name.
            if k.len() > name.len() && k.ends_with(name) {
                k.truncate(k.len() - name.len());
                unit = Some(u);
                break;
            }
        }
    }
    k.retain(|c| {
        !matches!(
            c,
            '(' | ')' | '[' | ']' | '<' | '>' | '*' | ':' | '、' | '"' | '\'' | '“' | '”'
        )
    });
    (k, unit)
}

/// Column letters for a 0-based column index: 0 → A, 25 → Z, 26 → AA.
pub fn col_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A1 reference for 0-based row and column.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_letters(col), row + 1)
}

/// The year and month a header or title names, and the text with them as
/// `{y}` and `{m}` (docs/forms.md §9.1): "2026年1-5月完成投资" gives
/// ("{y}年1-{m}月完成投资", Some(2026), Some(5)). Months may be written in
/// Chinese (五, 十二), years too (二〇二六); the dash of a range may be -, ~
/// or 至 (full-width and long dashes are `halfwidth`'s). None when the text
/// names no year or month. Works on a `header_key` (or `name_key`).
pub fn period_template(key: &str) -> Option<(String, Option<i32>, Option<u32>)> {
    let c: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    let (mut year, mut month) = (None, None);
    let mut i = 0;
    let digit_before =
        |i: usize| i > 0 && (c[i - 1].is_ascii_digit() || cn_digit(c[i - 1]).is_some());
    while i < c.len() {
        if !digit_before(i) {
            if let Some((y, n)) = year_at(&c[i..]) {
                year.get_or_insert(y);
                out.push_str("{y}年");
                i += n;
                continue;
            }
            // 1-5月, 一至五月
            if matches!(c[i], '1' | '一')
                && c.get(i + 1).is_some_and(|d| matches!(d, '-' | '~' | '至'))
            {
                if let Some((m, n)) = month_at(&c[i + 2..]) {
                    month.get_or_insert(m);
                    out.push_str("1-{m}月");
                    i += 2 + n;
                    continue;
                }
            }
            if let Some((m, n)) = month_at(&c[i..]) {
                month.get_or_insert(m);
                out.push_str("{m}月");
                i += n;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    (year.is_some() || month.is_some()).then_some((out, year, month))
}

fn cn_digit(ch: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == ch)
        .map(|p| p as u32)
        .or((ch == '零').then_some(0))
}

/// "2026年" or "二〇二六年" at the start: the year and the characters taken.
fn year_at(c: &[char]) -> Option<(i32, usize)> {
    if c.len() < 5 || c[4] != '年' {
        return None;
    }
    if c[..4].iter().all(|d| d.is_ascii_digit()) {
        let y: String = c[..4].iter().collect();
        return y.parse().ok().map(|y| (y, 5));
    }
    let mut y = 0;
    for d in &c[..4] {
        y = y * 10 + cn_digit(*d)? as i32;
    }
    Some((y, 5))
}

/// "5月", "05月", "五月", "十二月" at the start (not "5月份" 's 份, which the
/// caller keeps): the month and the characters taken, 月 included.
fn month_at(c: &[char]) -> Option<(u32, usize)> {
    // 月 within the first three characters: a month is one or two characters.
    let end = c.iter().take(3).position(|ch| *ch == '月')?;
    if end == 0 || end > 2 {
        return None;
    }
    let t = &c[..end];
    let m = if t.iter().all(|d| d.is_ascii_digit()) {
        t.iter().collect::<String>().parse().ok()?
    } else {
        match t {
            ['十'] => 10,
            ['十', d] => 10 + cn_digit(*d).filter(|d| (1..=2).contains(d))?,
            [d] => cn_digit(*d).filter(|d| *d > 0)?,
            _ => return None,
        }
    };
    (1..=12).contains(&m).then_some((m, end + 1))
}

/// A number as people write it: no trailing zeros, at most 6 decimals.
/// Display width in narrow-character units, as `unicode-width` measures it (a CJK
/// character is 2). The print rules measure every long text of every table, so the
/// characters of the forms take a fast path: printable ASCII is 1; CJK ideographs,
/// CJK punctuation (not its tone marks U+302A–U+302F, which are 0) and fullwidth
/// forms are 2; any other character measures the whole text with `unicode-width`.
pub fn display_width(s: &str) -> usize {
    let mut w = 0;
    for c in s.chars() {
        w += match c {
            ' '..='~' => 1,
            '\u{4E00}'..='\u{9FFF}'
            | '\u{3001}'..='\u{3029}'
            | '\u{3030}'..='\u{303E}'
            | '\u{FF01}'..='\u{FF60}' => 2,
            _ => return unicode_width::UnicodeWidthStr::width(s),
        };
    }
    w
}

pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<chrono::NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    #[test]
    fn display_width_is_unicode_width_on_its_fast_path_and_off_it() {
        use unicode_width::UnicodeWidthStr;
        let fast = (0x20u32..0x7F)
            .chain(0x4E00..=0x9FFF)
            .chain(0x3001..=0x3029)
            .chain(0x3030..=0x303E)
            .chain(0xFF01..=0xFF60)
            .filter_map(char::from_u32);
        for c in fast {
            let t = c.to_string();
            assert_eq!(
                super::display_width(&t),
                UnicodeWidthStr::width(t.as_str()),
                "{c:?}"
            );
        }
        for t in [
            "宁陵县孙庙街道(一期)",
            "年产10万吨项目、二期:厂房",
            "résumé 项目",
            "a\u{200B}b",
            "👍🏽 完成",
            "ｱｲｳ 半角",
            "〪〮 声调",
            "\t控制",
        ] {
            assert_eq!(super::display_width(t), UnicodeWidthStr::width(t), "{t:?}");
        }
    }

    use super::*;

    #[test]
    fn bracketed_units_follow_by_name() {
        let mut want = Vec::new();
        for (name, u) in MoneyUnit::BY_NAME {
            for (open, close) in [("(", ")"), ("[", "]"), ("<", ">"), ("/", "")] {
                want.push((format!("{open}{name}{close}"), u));
            }
        }
        let got: Vec<(String, MoneyUnit)> = BRACKETED_UNITS
            .iter()
            .map(|(p, u)| (p.to_string(), *u))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn clean_folds_whitespace_and_converts() {
        assert_eq!(clean("  城关镇\n 人民　政府 "), "城关镇 人民 政府");
        assert_eq!(clean("累計完成投資（萬元）"), "累计完成投资(万元)");
        assert_eq!(clean(" \t "), "");
        assert_eq!(clean("ＡＢＣ 1"), "ABC 1");
        assert_eq!(name_key(" 縣交通 運輸局 "), "县交通运输局");
    }

    #[test]
    fn header_variants() {
        assert_eq!(
            header_key("總投資\n（萬元）"),
            ("总投资".into(), Some(MoneyUnit::Wanyuan))
        );
        assert_eq!(header_key("累計完成投資"), ("累计完成投资".into(), None));
        assert_eq!(
            header_key(" 总投资(亿元) "),
            ("总投资".into(), Some(MoneyUnit::Yiyuan))
        );
        assert_eq!(
            header_key("合同金额（元）"),
            ("合同金额".into(), Some(MoneyUnit::Yuan))
        );
        assert_eq!(
            header_key("总投资万元"),
            ("总投资".into(), Some(MoneyUnit::Wanyuan))
        );
        assert_eq!(header_key("项目 名称"), ("项目名称".into(), None));
        assert_eq!(header_key("*项目编号"), ("项目编号".into(), None));
        assert_eq!(header_key("计量单位"), ("计量单位".into(), None));
        assert_eq!(header_key("項目編號"), ("项目编号".into(), None));
        assert_eq!(
            header_key("1-本月累计完成投资"),
            ("1-本月累计完成投资".into(), None)
        );
    }

    #[test]
    fn blank_is_clean_empty() {
        for s in [
            "",
            " ",
            "\u{3000}\n\t",
            "\u{00A0}",
            "\u{200B}",
            "\u{2028}",
            "a",
            " 縣 ",
            "\u{FF01}",
            "\u{FF00}",
            "\u{FEFF}",
        ] {
            assert_eq!(is_blank(s), clean(s).is_empty(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn blank_is_clean_empty_for_any_text(s in "[ \t\n\u{3000}\u{00A0}\u{2000}-\u{200D}\u{FF01}-\u{FF60}a縣]{0,6}|\\PC{0,8}") {
            proptest::prop_assert_eq!(is_blank(&s), clean(&s).is_empty());
        }
    }

    #[test]
    fn halfwidth_digits_and_space() {
        assert_eq!(halfwidth("１２００"), "1200");
        assert_eq!(halfwidth("1，200"), "1,200");
        assert_eq!(clean("  县交通局\u{3000}\n "), "县交通局");
        assert_eq!(clean("a \n b"), "a b");
    }

    #[test]
    fn period_templates() {
        let t = |s: &str| period_template(&header_key(s).0);
        assert_eq!(
            t("2026年1-5月完成投资(万元)"),
            Some(("{y}年1-{m}月完成投资".into(), Some(2026), Some(5)))
        );
        assert_eq!(
            t("1－5月完成投资"),
            Some(("1-{m}月完成投资".into(), None, Some(5)))
        );
        assert_eq!(
            t("1—5月完成投资"),
            Some(("1-{m}月完成投资".into(), None, Some(5)))
        );
        assert_eq!(
            t("1～12月累计完成投资"),
            Some(("1-{m}月累计完成投资".into(), None, Some(12)))
        );
        assert_eq!(
            t("一至五月完成投资"),
            Some(("1-{m}月完成投资".into(), None, Some(5)))
        );
        assert_eq!(
            t("五月份完成投资"),
            Some(("{m}月份完成投资".into(), None, Some(5)))
        );
        assert_eq!(
            t("十二月完成投资"),
            Some(("{m}月完成投资".into(), None, Some(12)))
        );
        assert_eq!(
            t("05月进展情况"),
            Some(("{m}月进展情况".into(), None, Some(5)))
        );
        assert_eq!(
            t("二〇二六年计划投资"),
            Some(("{y}年计划投资".into(), Some(2026), None))
        );
        assert_eq!(t("总投资"), None);
        assert_eq!(t("13月完成"), None);
    }

    #[test]
    fn a1_refs() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
