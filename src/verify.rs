//! `diaodu verify`: whether the inbox and the roster still hold exactly the
//! files that produced a month's bulletin, by the run report's SHA-256s.

use crate::config::Config;
use crate::ingest::discover::discover;
use crate::provenance::{hash_file, hash_inbox_file, roster_name, Provenance};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What `diaodu verify` found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verify {
    /// The run report compared with.
    pub report: PathBuf,
    /// When that run started.
    pub generated_at: String,
    /// Files in the report.
    pub files: usize,
    /// In the inbox now, not in the report.
    pub added: Vec<String>,
    /// In the report, not in the inbox now.
    pub removed: Vec<String>,
    /// In both, with other contents.
    pub changed: Vec<String>,
    /// The roster's contents differ from the report's.
    pub roster_changed: bool,
}

impl Verify {
    pub fn same(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.roster_changed
    }
}

/// Compare the inbox and the roster as they are now with the run report of
/// `config.period` in the output folder. Err: the comparison cannot be made
/// (no report, an unreadable report, no inbox).
pub fn verify(config: &Config) -> Result<Verify, crate::error::Error> {
    compare(config).map_err(crate::error::Error::Run)
}

fn compare(config: &Config) -> Result<Verify, String> {
    let path = crate::runreport::json_path(config);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "找不到 {} 的运行报告 {}({e}):请先运行 diaodu run,或用 --period 指定已汇总的月份",
            config.period.cn(),
            path.display()
        )
    })?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("运行报告 {} 无法解析:{e}", path.display()))?;
    let run = v
        .get("run")
        .cloned()
        .ok_or_else(|| format!("运行报告 {} 中没有 run 部分", path.display()))?;
    let then: Provenance = serde_json::from_value(run)
        .map_err(|e| format!("运行报告 {} 的 run 部分有误:{e}", path.display()))?;
    if !config.inbox.is_dir() {
        return Err(format!("收件文件夹 {} 不存在", config.inbox.display()));
    }
    let now = discover(&config.inbox)
        .map_err(|e| format!("无法读取收件文件夹 {}:{e}", config.inbox.display()))?;
    let before: BTreeMap<&str, &Option<String>> = then
        .files
        .iter()
        .map(|f| (f.file.as_str(), &f.sha256))
        .collect();
    let mut out = Verify {
        report: path,
        generated_at: then.generated_at.clone(),
        files: then.files.len(),
        ..Default::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for f in &now {
        seen.insert(f.name.as_str());
        match before.get(f.name.as_str()) {
            None => out.added.push(f.name.clone()),
            Some(h) => {
                let cur = hash_inbox_file(f).sha256;
                if cur.is_none() || cur != **h {
                    out.changed.push(f.name.clone());
                }
            }
        }
    }
    out.removed = before
        .keys()
        .filter(|k| !seen.contains(*k))
        .map(|k| k.to_string())
        .collect();
    let roster_now = hash_file(&roster_name(config), &config.roster).sha256;
    out.roster_changed = roster_now.is_none() || roster_now != then.roster.sha256;
    Ok(out)
}
