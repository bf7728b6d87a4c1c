//! Provenance: what produced a bulletin. diaodu's version, the period, the
//! rules in force, and for the roster and every file of the inbox (ignored and
//! unreadable ones included) its name, size, modification time and SHA-256.
//!
//! The run report carries it as its `run` section, the workbook as its 运行信息
//! sheet, and `diaodu verify` compares it with what the inbox holds now.

use crate::config::{Config, Rules};
use crate::ingest::discover::{discover, InboxFile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

/// One input file as it was when the run read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    /// The name as it sits in the inbox (for the roster: as the config names it).
    pub file: String,
    /// Bytes.
    pub size: u64,
    /// Modification time, RFC 3339 with the local offset; None when the file
    /// system does not say.
    pub modified: Option<String>,
    /// Lower-case hex; None when the file could not be read at all.
    pub sha256: Option<String>,
}

/// What produced a run's outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// diaodu's version.
    pub version: String,
    /// "YYYY-MM".
    pub period: String,
    /// When the run started, RFC 3339 with the local offset.
    pub generated_at: String,
    /// The weights and thresholds of the ranking and the flags in force.
    pub rules: Rules,
    pub roster: FileHash,
    /// Every file of the inbox, in the order the run read them (by name).
    pub files: Vec<FileHash>,
    /// The office's forms.toml in force (docs/forms.md §9.2), if any.
    #[serde(default)]
    pub forms: Option<crate::formwords::FormsRecord>,
}

/// RFC 3339 with the local offset, to the second.
pub fn iso_time(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// SHA-256 of a file, read in 64 KiB pieces (never whole into memory), and the
/// number of bytes hashed.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex(&h.finalize()), n))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hash one file; a file that cannot be opened keeps its name and size with no hash.
pub fn hash_file(name: &str, path: &Path) -> FileHash {
    let meta = std::fs::metadata(path).ok();
    let (sha256, size) = match sha256_file(path) {
        Ok((h, n)) => (Some(h), n),
        Err(_) => (None, meta.as_ref().map_or(0, |m| m.len())),
    };
    FileHash {
        file: name.to_string(),
        size,
        modified: meta.and_then(|m| m.modified().ok()).map(iso_time),
        sha256,
    }
}

/// Hash an inbox file as discovered.
pub fn hash_inbox_file(f: &InboxFile) -> FileHash {
    hash_file(&f.name, &f.path)
}

/// The roster's name as the report shows it: relative to the work folder when
/// it lies inside it, else the full path.
pub fn roster_name(config: &Config) -> String {
    config
        .roster
        .strip_prefix(&config.work)
        .unwrap_or(&config.roster)
        .to_string_lossy()
        .replace('\\', "/")
}

impl Provenance {
    /// The run's provenance before any file is hashed (the pipeline adds them
    /// as it reads).
    pub fn start(config: &Config) -> Provenance {
        Provenance {
            version: env!("CARGO_PKG_VERSION").to_string(),
            period: config.period.to_string(),
            generated_at: iso_time(SystemTime::now()),
            rules: config.rules.clone(),
            roster: hash_file(&roster_name(config), &config.roster),
            files: Vec::new(),
            forms: config.words.record(),
        }
    }

    /// Collect everything at once: the roster and every file of the inbox.
    pub fn collect(config: &Config) -> std::io::Result<Provenance> {
        let mut p = Provenance::start(config);
        p.files = discover(&config.inbox)?
            .iter()
            .map(hash_inbox_file)
            .collect();
        Ok(p)
    }
}

/// The rules with their Chinese labels, in the order of `Rules`.
pub fn rule_rows(r: &Rules) -> Vec<(&'static str, &'static str, f64)> {
    vec![
        (
            "weight_completion",
            "评分:投资完成率权重(分)",
            r.weight_completion,
        ),
        (
            "weight_attraction",
            "评分:招商引资到位率权重(分)",
            r.weight_attraction,
        ),
        ("weight_start", "评分:开工率权重(分)", r.weight_start),
        ("rate_cap", "评分:完成率、到位率计分上限", r.rate_cap),
        ("deduct_red", "扣分:每条红色预警(分)", r.deduct_red),
        ("deduct_yellow", "扣分:每条黄色预警(分)", r.deduct_yellow),
        ("deduct_max", "扣分:单个单位扣分上限(分)", r.deduct_max),
        (
            "f03_yellow_points",
            "F03 进度滞后黄色预警:落后时间进度(百分点)",
            r.f03_yellow_points,
        ),
        (
            "f03_red_points",
            "F03 进度滞后红色预警:落后时间进度(百分点)",
            r.f03_red_points,
        ),
        (
            "f04_red_days",
            "F04 逾期未开工红色预警:逾期超过(天)",
            r.f04_red_days as f64,
        ),
        (
            "f05_red_days",
            "F05 节点超期红色预警:超期超过(天)",
            r.f05_red_days as f64,
        ),
        (
            "f06_months",
            "F06 连续预警:连续红色预警月数",
            r.f06_months as f64,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_streams_and_matches_known_digest() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("abc.txt");
        std::fs::write(&p, "abc").unwrap();
        let (h, n) = sha256_file(&p).unwrap();
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(n, 3);
        // Larger than one read buffer.
        let big = vec![b'x'; 200_000];
        std::fs::write(&p, &big).unwrap();
        assert_eq!(sha256_file(&p).unwrap().0, hex(&Sha256::digest(&big)));
        let missing = hash_file("nope.xlsx", &dir.path().join("nope.xlsx"));
        assert_eq!(missing.sha256, None);
        assert_eq!(missing.modified, None);
    }

    #[test]
    fn every_rule_has_a_label() {
        let rules = Rules::default();
        let json = serde_json::to_value(&rules).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let rows = rule_rows(&rules);
        for k in &keys {
            assert!(
                rows.iter().any(|(key, _, _)| key == k),
                "rule {k} has no label in rule_rows"
            );
        }
        assert_eq!(rows.len(), keys.len());
        for (key, _, v) in rows {
            assert_eq!(json[key].as_f64(), Some(v), "{key}");
        }
    }
}
