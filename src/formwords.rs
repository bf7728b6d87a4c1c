//! The office's own words: `forms.toml` in the work folder (docs/forms.md §9.2).
//!
//! The built-in forms (`forms.rs`) plus these words make the schema a run reads
//! with: header texts mapped to fields (or to "ignore"), value words for the
//! choice fields, and names that stand for roster units. Loaded once per run,
//! with `diaodu.toml`; an unknown table, field or key is an error naming it.

use crate::error::Error;
use crate::forms::{FieldType, TableKind};
use crate::text::{header_key, name_key};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub const FORMS_FILE: &str = "forms.toml";

/// What an office header stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderTarget {
    /// The index of a field of the table.
    Field(usize),
    /// A known column the office does not want read (no finding).
    Ignore,
}

/// One entry of forms.toml, as written, for the run report and the 运行信息 sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// "headers.projects", "values.category", "units".
    pub section: String,
    pub written: String,
    pub means: String,
}

/// The office's words in force for a run (empty without forms.toml).
#[derive(Debug, Clone, Default)]
pub struct FormWords {
    /// Per table (TableKind order): header key → target.
    headers: [HashMap<String, HeaderTarget>; 3],
    /// Per table: header patterns with `{y}`/`{m}` (their `header_key`) → target.
    patterns: [HashMap<String, HeaderTarget>; 3],
    /// (field key, value's name key) → the value it means.
    values: HashMap<(&'static str, String), &'static str>,
    /// Unit names as written → the roster name they mean.
    pub units: Vec<(String, String)>,
    /// Every entry, in file order per section.
    pub entries: Vec<Entry>,
    /// The file's SHA-256 (hex), when there is one.
    pub sha256: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    headers: Headers,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    units: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Headers {
    #[serde(default)]
    projects: BTreeMap<String, String>,
    #[serde(default)]
    milestones: BTreeMap<String, String>,
    #[serde(default)]
    attraction: BTreeMap<String, String>,
}

impl FormWords {
    /// `<work>/forms.toml`, or no words when there is none. The error says
    /// what is wrong and where, in Chinese.
    pub fn load(work: &Path) -> Result<FormWords, Error> {
        let path = work.join(FORMS_FILE);
        if !path.exists() {
            return Ok(FormWords::default());
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::Config(format!("无法读取 {}:{e}", path.display())))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| {
            Error::Config(format!(
                "{} 不是 UTF-8 文本:请用记事本另存为 UTF-8 编码",
                path.display()
            ))
        })?;
        let mut w = FormWords::parse(&text)
            .map_err(|e| e.map_message(|m| format!("{} 有误:{m}", path.display())))?;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&bytes);
        w.sha256 = Some(digest.iter().map(|b| format!("{b:02x}")).collect());
        Ok(w)
    }

    /// The words of a forms.toml text.
    pub fn parse(text: &str) -> Result<FormWords, Error> {
        Self::parse_text(text).map_err(Error::Config)
    }

    /// [`FormWords::parse`], the message alone.
    fn parse_text(text: &str) -> Result<FormWords, String> {
        let file: File = toml::from_str(text).map_err(|e| {
            format!(
                "{}请对照 README 中 forms.toml 的说明修改",
                e.to_string().replace('\n', " ")
            )
        })?;
        let mut w = FormWords::default();
        for (table, map) in [
            (TableKind::Projects, &file.headers.projects),
            (TableKind::Milestones, &file.headers.milestones),
            (TableKind::Attraction, &file.headers.attraction),
        ] {
            for (written, field) in map {
                let target = if field == "ignore" {
                    HeaderTarget::Ignore
                } else {
                    match table.fields().iter().position(|f| f.key == field) {
                        Some(i) => HeaderTarget::Field(i),
                        None => {
                            let known: Vec<&str> = table.fields().iter().map(|f| f.key).collect();
                            return Err(format!(
                                "[headers.{}] 中 \"{written}\" = \"{field}\":{}表没有字段 \"{field}\",可用的字段为 {} 或 \"ignore\"",
                                table.key(),
                                table.title(),
                                known.join("、")
                            ));
                        }
                    }
                };
                let key = header_key(written).0;
                if key.is_empty() {
                    return Err(format!("[headers.{}] 中有空的表头", table.key()));
                }
                // "1-{m}月完成投资额": a pattern, kept with its {y}/{m} as
                // `period_template` writes them.
                if written.contains("{m}") || written.contains("{y}") {
                    w.patterns[table as usize].insert(key, target);
                } else {
                    w.headers[table as usize].insert(key, target);
                }
                w.entries.push(Entry {
                    section: format!("headers.{}", table.key()),
                    written: written.clone(),
                    means: field.clone(),
                });
            }
        }
        for (field, map) in &file.values {
            let spec = TableKind::ALL
                .iter()
                .flat_map(|t| t.fields())
                .find(|f| f.key == field && matches!(f.ty, FieldType::Choice(_) | FieldType::YesNo))
                .ok_or_else(|| {
                    format!(
                        "[values.{field}]:没有这个可选值字段,可用的为 category、stage、source、started"
                    )
                })?;
            let choices: &[&'static str] = match spec.ty {
                FieldType::Choice(c) => c,
                _ => &["是", "否"],
            };
            for (written, meant) in map {
                let m = choices.iter().find(|c| **c == meant.trim()).ok_or_else(|| {
                    format!(
                        "[values.{field}] 中 \"{written}\" = \"{meant}\":\"{meant}\"不是可选值,可用的为 {}",
                        choices.join("、")
                    )
                })?;
                w.values.insert((spec.key, name_key(written)), m);
                w.entries.push(Entry {
                    section: format!("values.{field}"),
                    written: written.clone(),
                    means: meant.clone(),
                });
            }
        }
        for (written, unit) in &file.units {
            w.units.push((written.clone(), unit.clone()));
            w.entries.push(Entry {
                section: "units".into(),
                written: written.clone(),
                means: unit.clone(),
            });
        }
        Ok(w)
    }

    /// The office's target for a header key of `table`.
    pub fn header(&self, table: TableKind, key: &str) -> Option<HeaderTarget> {
        self.headers[table as usize].get(key).copied()
    }

    /// The office's target for a templated header key (`period_template`).
    pub fn pattern(&self, table: TableKind, template: &str) -> Option<HeaderTarget> {
        self.patterns[table as usize].get(template).copied()
    }

    /// The value an office word means for a choice field, if it is one of its words.
    pub fn value(&self, field: &'static str, written: &str) -> Option<&'static str> {
        if self.values.is_empty() {
            return None;
        }
        self.values.get(&(field, name_key(written))).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What the run report's `run.forms` and the 运行信息 sheet record: the
    /// file's SHA-256 and every entry; None without forms.toml.
    pub fn record(&self) -> Option<FormsRecord> {
        self.sha256.as_ref().map(|h| FormsRecord {
            file: FORMS_FILE.to_string(),
            sha256: h.clone(),
            entries: self.entries.clone(),
        })
    }
}

/// The forms.toml in force, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormsRecord {
    pub file: String,
    pub sha256: String,
    pub entries: Vec<Entry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_values_units() {
        let w = FormWords::parse(
            r#"
[headers.projects]
"1-{m}月完成投资额" = "ytd_done"
"手续代办单位" = "ignore"
"层次" = "sector"
[headers.attraction]
"实际到资" = "ytd_funds"
[values.category]
"技改" = "续建"
[units]
"林荫大道二号线建设工程指挥部（办公室设在住建局）" = "区住建局"
"#,
        )
        .unwrap();
        let p = TableKind::Projects;
        assert_eq!(w.header(p, "手续代办单位"), Some(HeaderTarget::Ignore));
        let sector = p.fields().iter().position(|f| f.key == "sector").unwrap();
        assert_eq!(w.header(p, "层次"), Some(HeaderTarget::Field(sector)));
        let ytd = p.fields().iter().position(|f| f.key == "ytd_done").unwrap();
        assert_eq!(
            w.pattern(p, "1-{m}月完成投资额"),
            Some(HeaderTarget::Field(ytd))
        );
        assert_eq!(w.value("category", " 技改 "), Some("续建"));
        assert_eq!(w.units.len(), 1);
        assert_eq!(w.entries.len(), 6);
    }

    #[test]
    fn unknown_names_are_errors_naming_them() {
        let e = FormWords::parse("[headers.projects]\n\"累计\" = \"ytd\"\n").unwrap_err();
        assert!(e.message().contains("ytd"), "{e}");
        let e = FormWords::parse("[headers.project]\n\"累计\" = \"ytd_done\"\n").unwrap_err();
        assert!(e.message().contains("project"), "{e}");
        let e = FormWords::parse("[values.category]\n\"技改\" = \"改建\"\n").unwrap_err();
        assert!(e.message().contains("改建"), "{e}");
        let e = FormWords::parse("[valuse]\n").unwrap_err();
        assert!(e.message().contains("valuse"), "{e}");
    }
}
