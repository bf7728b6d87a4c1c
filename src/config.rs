//! `diaodu.toml`: the work folder's settings, with every default in one place.

use crate::error::Error;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A reporting month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    /// Parse "2026-05" (also "2026-5", "2026年5月").
    pub fn parse(s: &str) -> Option<Period> {
        let t = crate::text::halfwidth(s.trim());
        let t = t.trim_end_matches('月');
        let (y, m) = t.split_once(['-', '年', '/', '.'])?;
        let p = Period {
            year: y.trim().parse().ok()?,
            month: m.trim().parse().ok()?,
        };
        ((1..=12).contains(&p.month) && (1900..=2199).contains(&p.year)).then_some(p)
    }

    /// The month before this one.
    pub fn prev(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month before the one containing `today`.
    pub fn before(today: NaiveDate) -> Period {
        if today.month() == 1 {
            Period {
                year: today.year() - 1,
                month: 12,
            }
        } else {
            Period {
                year: today.year(),
                month: today.month() - 1,
            }
        }
    }

    pub fn end(self) -> NaiveDate {
        crate::text::month_end(self.year, self.month).unwrap_or(NaiveDate::MAX)
    }

    /// 时间进度: month / 12.
    pub fn time_progress(self) -> f64 {
        self.month as f64 / 12.0
    }

    /// "2026年5月".
    pub fn cn(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// The file `diaodu.toml` as written by the office. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Reporting month, "YYYY-MM". Default: the month before today.
    pub period: Option<String>,
    /// Roster workbook, relative to the work folder. Default "roster.xlsx".
    pub roster: Option<PathBuf>,
    /// Folder of submissions. Default "inbox".
    pub inbox: Option<PathBuf>,
    /// Output folder. Default "out".
    pub out: Option<PathBuf>,
    /// How many rows from the top of a sheet the first header may sit in. Default 15.
    pub header_scan_rows: Option<u32>,
    /// Folder of the monthly history (Parquet). Default "history".
    pub history: Option<PathBuf>,
    /// The county's name for titles, e.g. "XX县". Default: none ("重点项目和招商引资调度通报").
    pub county: Option<String>,
    /// The office that issues the 通报 document, e.g.
    /// "XX县重点项目建设指挥部办公室". Default: "<county>重点项目建设指挥部办公室".
    pub office: Option<String>,
    /// The 通报's date, "YYYY-MM-DD". Default: the day of the run.
    pub issue_date: Option<String>,
    /// The font file the 通报's charts are drawn in (.ttf/.otf/.ttc), relative
    /// to the work folder or absolute; "none" draws them as shaded bars in a
    /// table. Default: a Chinese font found on the machine (黑体, 微软雅黑,
    /// 文泉驿, Noto CJK, 苹方), else the table bars.
    pub chart_font: Option<PathBuf>,
    /// Most rows a sheet of the output workbook holds, header and title rows
    /// included, before a long table continues in a next sheet. Default and
    /// most: Excel's 1048576.
    pub sheet_rows: Option<u32>,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub rules: Rules,
}

/// `[rules]`: weights and thresholds of the ranking and the flags
/// (docs/forms.md §5, §6). Every number here has its default below.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Points for the investment completion rate. Default 50.
    pub weight_completion: f64,
    /// Points for the attraction rate. Default 30.
    pub weight_attraction: f64,
    /// Points for the start rate. Default 20.
    pub weight_start: f64,
    /// Completion and attraction rates count up to this. Default 1.2.
    pub rate_cap: f64,
    /// Points off per red flag. Default 5.
    pub deduct_red: f64,
    /// Points off per yellow flag. Default 2.
    pub deduct_yellow: f64,
    /// Most points one unit can lose to flags. Default 30.
    pub deduct_max: f64,
    /// F03 yellow when completion is this many points behind time progress. Default 10.
    pub f03_yellow_points: f64,
    /// F03 red from this many points behind. Default 20.
    pub f03_red_points: f64,
    /// F04 red when a start is more than this many days overdue. Default 30.
    pub f04_red_days: i64,
    /// F05 red when a milestone is more than this many days overdue. Default 30.
    pub f05_red_days: i64,
    /// F06: red flags in this many consecutive months. Default 3.
    pub f06_months: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            weight_completion: 50.0,
            weight_attraction: 30.0,
            weight_start: 20.0,
            rate_cap: 1.2,
            deduct_red: 5.0,
            deduct_yellow: 2.0,
            deduct_max: 30.0,
            f03_yellow_points: 10.0,
            f03_red_points: 20.0,
            f04_red_days: 30,
            f05_red_days: 30,
            f06_months: 3,
        }
    }
}

/// The range of `sheet_rows`: room for a title, a header and some rows, up
/// to Excel's limit.
pub const SHEET_ROWS_MIN: u32 = 10;
pub const SHEET_ROWS_MAX: u32 = 1_048_576;

/// `[limits]`: the safety limits of the reader.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Most entries a zip-based workbook (xlsx, ods) may hold. Default 10000.
    pub max_zip_entries: Option<u64>,
    /// Largest uncompressed entry, MiB. Default 512.
    pub max_entry_mib: Option<u64>,
    /// Largest uncompressed total, MiB. Default 1024.
    pub max_total_mib: Option<u64>,
    /// Highest inflate ratio of one entry. Default 500 (real Excel files reach
    /// ~120:1; the size limits bound what a bomb can unpack).
    pub max_ratio: Option<u64>,
    /// Entries smaller than this (MiB, uncompressed) skip the ratio check. Default 1.
    pub ratio_grace_mib: Option<u64>,
    /// Seconds one .xls/.xlsb/.ods file may take to read (in a child process). Default 60.
    pub timeout_secs: Option<u64>,
    /// Memory the reader of one file may use, MiB (each reader process is capped by the
    /// system at this plus 96). Default 320.
    pub max_memory_mib: Option<u64>,
    /// Most cell slots (up to each row's last used cell) one workbook may have. Default 10 million.
    pub max_cells: Option<u64>,
    /// Most rows one sheet may span (first used row to last). Default 300000.
    pub max_rows_per_sheet: Option<u64>,
}

impl LimitsConfig {
    pub fn resolve(&self) -> ReadLimits {
        let d = ReadLimits::default();
        const MIB: u64 = 1 << 20;
        ReadLimits {
            max_zip_entries: self.max_zip_entries.unwrap_or(d.max_zip_entries),
            max_entry_bytes: self.max_entry_mib.map_or(d.max_entry_bytes, |v| v * MIB),
            max_total_bytes: self.max_total_mib.map_or(d.max_total_bytes, |v| v * MIB),
            max_ratio: self.max_ratio.unwrap_or(d.max_ratio),
            ratio_grace_bytes: self
                .ratio_grace_mib
                .map_or(d.ratio_grace_bytes, |v| v * MIB),
            timeout_secs: self.timeout_secs.unwrap_or(d.timeout_secs),
            max_memory_bytes: self.max_memory_mib.map_or(d.max_memory_bytes, |v| v * MIB),
            max_cells: self.max_cells.unwrap_or(d.max_cells),
            max_rows_per_sheet: self.max_rows_per_sheet.unwrap_or(d.max_rows_per_sheet),
        }
    }
}

/// Command-line overrides.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub period: Option<String>,
    pub roster: Option<PathBuf>,
    pub inbox: Option<PathBuf>,
    pub out: Option<PathBuf>,
}

/// How the 通报's charts find their font (`chart_font` of diaodu.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChartFontChoice {
    /// Not set: a Chinese font found on the machine, else table bars.
    #[default]
    Found,
    /// `chart_font = "none"`: table bars, no pictures.
    Off,
    /// A font file (resolved against the work folder).
    File(PathBuf),
}

/// Everything a run needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub work: PathBuf,
    pub period: Period,
    pub roster: PathBuf,
    pub inbox: PathBuf,
    pub out: PathBuf,
    pub history: PathBuf,
    pub header_scan_rows: u32,
    pub county: String,
    /// The office that issues the 通报 (`office`, or its default).
    pub office: String,
    /// The 通报's date, when diaodu.toml sets it (else the day of the run).
    pub issue_date: Option<NaiveDate>,
    /// The font of the 通报's charts.
    pub chart_font: ChartFontChoice,
    /// Most rows a sheet of the output workbook holds (see `FileConfig`).
    pub sheet_rows: u32,
    pub limits: ReadLimits,
    pub rules: Rules,
    /// The executable that reads legacy files in a child process.
    pub child_exe: Option<PathBuf>,
    /// The office's own words for its forms (`forms.toml`, docs/forms.md §9.2).
    pub words: crate::formwords::FormWords,
}

pub const CONFIG_FILE: &str = "diaodu.toml";

impl Config {
    /// Load `<work>/diaodu.toml` if present, apply the overrides, resolve paths
    /// against the work folder. `today` gives the default period.
    pub fn load(work: &Path, ov: &Overrides, today: NaiveDate) -> Result<Config, Error> {
        if !work.is_dir() {
            return Err(Error::Config(format!(
                "工作目录 {} 不存在或不是文件夹:请给出存放 roster.xlsx 和 inbox 的文件夹",
                work.display()
            )));
        }
        let path = work.join(CONFIG_FILE);
        let fc: FileConfig = if path.exists() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::Config(format!("无法读取配置文件 {}:{e}", path.display())))?;
            toml::from_str(&text).map_err(|e| {
                Error::Config(format!(
                    "配置文件 {} 有误:{}请对照 README 中的配置说明修改",
                    path.display(),
                    e.to_string().replace('\n', " ")
                ))
            })?
        } else {
            FileConfig::default()
        };
        let period_text = ov.period.clone().or(fc.period.clone());
        let period = match period_text {
            Some(p) => Period::parse(&p).ok_or_else(|| {
                Error::Config(format!(
                    "报告期 \"{p}\" 格式不对:请写成 YYYY-MM,例如 2026-05"
                ))
            })?,
            None => Period::before(today),
        };
        let sheet_rows = fc.sheet_rows.unwrap_or(SHEET_ROWS_MAX);
        if !(SHEET_ROWS_MIN..=SHEET_ROWS_MAX).contains(&sheet_rows) {
            return Err(Error::Config(format!(
                "配置文件 {} 中 sheet_rows = {sheet_rows} 超出范围:请填 {SHEET_ROWS_MIN} 到 {SHEET_ROWS_MAX}(Excel 一张工作表的最大行数)之间的整数,或删去这一行",
                path.display()
            )));
        }
        let issue_date = match &fc.issue_date {
            Some(d) => Some(NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                Error::Config(format!(
                    "配置文件 {} 中 issue_date = \"{d}\" 格式不对:请写成 YYYY-MM-DD,例如 2026-11-05,或删去这一行(默认为运行当天)",
                    path.display()
                ))
            })?),
            None => None,
        };
        let county = fc.county.clone().unwrap_or_default();
        let at = |p: PathBuf| if p.is_absolute() { p } else { work.join(p) };
        Ok(Config {
            work: work.to_path_buf(),
            period,
            roster: ov
                .roster
                .clone()
                .unwrap_or_else(|| at(fc.roster.clone().unwrap_or_else(|| "roster.xlsx".into()))),
            inbox: ov
                .inbox
                .clone()
                .unwrap_or_else(|| at(fc.inbox.clone().unwrap_or_else(|| "inbox".into()))),
            out: ov
                .out
                .clone()
                .unwrap_or_else(|| at(fc.out.clone().unwrap_or_else(|| "out".into()))),
            history: at(fc.history.clone().unwrap_or_else(|| "history".into())),
            header_scan_rows: fc.header_scan_rows.unwrap_or(15),
            office: fc
                .office
                .clone()
                .filter(|o| !o.trim().is_empty())
                .unwrap_or_else(|| format!("{county}重点项目建设指挥部办公室")),
            issue_date,
            chart_font: match fc.chart_font.clone() {
                None => ChartFontChoice::Found,
                Some(p) if p.as_os_str().eq_ignore_ascii_case("none") => ChartFontChoice::Off,
                Some(p) => ChartFontChoice::File(at(p)),
            },
            county,
            sheet_rows,
            limits: fc.limits.resolve(),
            rules: fc.rules.clone(),
            child_exe: None,
            words: crate::formwords::FormWords::load(work)?,
        })
    }
}

const READ_MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadLimits {
    /// Maximum number of entries in a zip container.
    pub max_zip_entries: u64,
    /// Maximum declared uncompressed size of one zip entry.
    pub max_entry_bytes: u64,
    /// Maximum declared uncompressed size of all zip entries together; also the maximum
    /// size of the file itself.
    pub max_total_bytes: u64,
    /// Maximum inflate ratio (uncompressed / compressed) of one zip entry.
    pub max_ratio: u64,
    /// Entries whose uncompressed size is at most this are exempt from the ratio check.
    pub ratio_grace_bytes: u64,
    /// Wall-clock limit for reading one file, whatever its size (a file
    /// gets less when small: [`ReadLimits::timeout_for`]).
    pub timeout_secs: u64,
    /// Allocation cap for the child process; also the budget for the estimated memory of
    /// the cells an in-process read collects, and the cap on the child's JSON output.
    pub max_memory_bytes: u64,
    /// Maximum number of grid slots (cells up to the last used cell of each row, plus one
    /// per row) over all sheets of a workbook.
    pub max_cells: u64,
    /// Maximum number of rows of one sheet (from its first used row to its last).
    pub max_rows_per_sheet: u64,
}

/// What a file's read may take at least, and what each MiB of it adds, before
/// [`ReadLimits::timeout_secs`] caps it.
pub const TIMEOUT_BASE_SECS: u64 = 15;
pub const TIMEOUT_SECS_PER_MIB: u64 = 5;

impl ReadLimits {
    /// How long the reader of a file of `bytes` may take: 15 s and 5 s per
    /// MiB (calamine reads a MiB of .xlsx in well under a second), at most
    /// `timeout_secs`. A reader stuck on a small file is ended after 15 s
    /// rather than the whole limit, and a large file still gets its time.
    pub fn timeout_for(&self, bytes: u64) -> u64 {
        TIMEOUT_BASE_SECS
            .saturating_add((bytes / READ_MIB).saturating_mul(TIMEOUT_SECS_PER_MIB))
            .min(self.timeout_secs)
    }
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_zip_entries: 10_000,
            max_entry_bytes: 512 * READ_MIB,
            max_total_bytes: 1024 * READ_MIB,
            max_ratio: 500,
            ratio_grace_bytes: READ_MIB,
            timeout_secs: 60,
            max_memory_bytes: 320 * READ_MIB,
            max_cells: 10_000_000,
            max_rows_per_sheet: 300_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_file_gets_less_time_to_read_than_a_large_one() {
        let l = ReadLimits::default();
        assert_eq!(l.timeout_for(0), 15);
        assert_eq!(l.timeout_for(30_000), 15);
        assert_eq!(l.timeout_for(3 * READ_MIB), 30);
        // The setting caps it, and an unknown size gets the setting.
        assert_eq!(l.timeout_for(100 * READ_MIB), 60);
        assert_eq!(l.timeout_for(u64::MAX), 60);
        let tight = ReadLimits {
            timeout_secs: 1,
            ..ReadLimits::default()
        };
        assert_eq!(tight.timeout_for(0), 1);
    }

    #[test]
    fn periods() {
        let p = Period::parse("2026-05").unwrap();
        assert_eq!(p.end(), NaiveDate::from_ymd_opt(2026, 5, 31).unwrap());
        assert!((p.time_progress() - 5.0 / 12.0).abs() < 1e-12);
        assert_eq!(
            Period::parse("2026年2月").unwrap().end().to_string(),
            "2026-02-28"
        );
        assert_eq!(Period::parse("2026-13"), None);
        assert_eq!(
            Period::before(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()).to_string(),
            "2025-12"
        );
        assert_eq!(
            Period::before(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).to_string(),
            "2026-10"
        );
    }

    #[test]
    fn defaults_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
        let c = Config::load(dir.path(), &Overrides::default(), today).unwrap();
        assert_eq!(c.period.to_string(), "2026-05");
        assert_eq!(c.roster, dir.path().join("roster.xlsx"));
        assert_eq!(c.header_scan_rows, 15);
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "period = \"2026-03\"\ninbox = \"收件箱\"\n[limits]\nmax_ratio = 50\n",
        )
        .unwrap();
        let c = Config::load(dir.path(), &Overrides::default(), today).unwrap();
        assert_eq!(c.period.to_string(), "2026-03");
        assert_eq!(c.inbox, dir.path().join("收件箱"));
        assert_eq!(c.limits.max_ratio, 50);
        let ov = Overrides {
            period: Some("2026-04".into()),
            ..Default::default()
        };
        assert_eq!(
            Config::load(dir.path(), &ov, today).unwrap().period.month,
            4
        );
        assert_eq!(c.office, "重点项目建设指挥部办公室");
        assert_eq!(c.issue_date, None);
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "county = \"东川区\"\noffice = \"东川区重大项目办\"\nissue_date = \"2026-11-05\"\n",
        )
        .unwrap();
        let c = Config::load(dir.path(), &Overrides::default(), today).unwrap();
        assert_eq!(c.office, "东川区重大项目办");
        assert_eq!(c.issue_date, NaiveDate::from_ymd_opt(2026, 11, 5));
        std::fs::write(dir.path().join(CONFIG_FILE), "county = \"东川区\"\n").unwrap();
        let c = Config::load(dir.path(), &Overrides::default(), today).unwrap();
        assert_eq!(c.office, "东川区重点项目建设指挥部办公室");
        std::fs::write(dir.path().join(CONFIG_FILE), "issue_date = \"11月5日\"\n").unwrap();
        let e = Config::load(dir.path(), &Overrides::default(), today).unwrap_err();
        assert!(e.message().contains("issue_date"), "{e}");
        std::fs::write(dir.path().join(CONFIG_FILE), "perod = \"2026-03\"\n").unwrap();
        let e = Config::load(dir.path(), &Overrides::default(), today).unwrap_err();
        assert!(e.message().contains("配置文件"), "{e}");
    }

    #[test]
    fn chart_font_is_found_turned_off_or_a_file_of_the_work_folder() {
        let dir = tempfile::tempdir().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
        let load = |toml: &str| {
            std::fs::write(dir.path().join(CONFIG_FILE), toml).unwrap();
            Config::load(dir.path(), &Overrides::default(), today)
                .unwrap()
                .chart_font
        };
        assert_eq!(load(""), ChartFontChoice::Found);
        assert_eq!(load("chart_font = \"NONE\"\n"), ChartFontChoice::Off);
        assert_eq!(
            load("chart_font = \"字体/simhei.ttf\"\n"),
            ChartFontChoice::File(dir.path().join("字体/simhei.ttf"))
        );
    }
}
