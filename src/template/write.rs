//! Writing the forms to disk: all or nothing, refusing existing files
//! without `--force`.

use super::*;

/// Write bytes to `path` whole or not at all (the workbook's own writer; the
/// caller has already refused existing files without `--force`).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::report::write_atomic(path, bytes, true)
}

/// Create `dir`, and refuse (writing nothing) when any target exists and `force` is off.
fn prepare(dir: &Path, targets: &[PathBuf], force: bool) -> Result<(), Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Write(format!("无法创建文件夹 {}:{e}", dir.display())))?;
    if !force {
        let existing: Vec<String> = targets
            .iter()
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Write(format!(
                "{} 已存在{},未覆盖:如需重新生成,请加 --force,或先把旧文件移走",
                existing[0],
                if existing.len() > 1 {
                    format!("(共 {} 个文件)", existing.len())
                } else {
                    String::new()
                }
            )));
        }
    }
    Ok(())
}

/// One unit's form as written.
#[derive(Debug, Clone)]
pub struct Written {
    pub unit: String,
    pub path: PathBuf,
    /// Pre-filled rows per table (TableKind order).
    pub prefilled: [usize; 3],
}

/// Write one form per roster unit for `period` into `dir`, pre-filled from
/// `prefill` where it has the unit. All or nothing: with an existing file and
/// no `force`, nothing is written.
pub fn write_unit_forms(
    roster: &Roster,
    period: Period,
    dir: &Path,
    force: bool,
    prefill: &Prefill,
) -> Result<Vec<Written>, Error> {
    let targets: Vec<PathBuf> = roster
        .units
        .iter()
        .map(|u: &Unit| dir.join(form_file_name(&u.name, period)))
        .collect();
    let mut seen = std::collections::HashSet::new();
    if let Some(p) = targets.iter().find(|p| !seen.insert(p.as_path())) {
        return Err(Error::Write(format!(
            "名册中有两个单位的报表文件名相同({}):请检查名册中的单位名称",
            p.display()
        )));
    }
    prepare(dir, &targets, force)?;
    let mut out = Vec::new();
    for (i, (u, path)) in roster.units.iter().zip(targets).enumerate() {
        let data = prefill.units.get(&u.name);
        let bytes = unit_form(roster, i, period, data)?
            .save_to_buffer()
            .map_err(xlsx)?;
        write_atomic(&path, &bytes)?;
        out.push(Written {
            unit: u.name.clone(),
            path,
            prefilled: TableKind::ALL.map(|t| data.map_or(0, |d| d.rows(t).len())),
        });
    }
    Ok(out)
}

/// Write the blank form and the blank roster (`报表模板.xlsx`, `roster.xlsx`) into `dir`.
pub fn write_blank_templates(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Error> {
    let files = [
        (dir.join(BLANK_FORM_FILE), blank_form()?),
        (dir.join(ROSTER_FILE), roster_template()?),
    ];
    let targets: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    prepare(dir, &targets, force)?;
    for (path, mut wb) in files {
        write_atomic(&path, &wb.save_to_buffer().map_err(xlsx)?)?;
    }
    Ok(targets)
}
