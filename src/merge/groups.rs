//! The candidate rows of the merge and their identities: projects grouped by
//! 项目编号 or name (docs/forms.md §9.3), milestones by project and name.

use super::{FileStatus, ReadFile};
use crate::forms::{milestone, project, TableKind};
use crate::ingest::text::name_key;
use crate::model::Record;
use crate::util::FastMap;

/// The candidate rows of `table` (of a merged file, without error), in file
/// and row order, where they are.
pub(super) fn candidates(files: &[ReadFile], table: TableKind) -> impl Iterator<Item = &Record> {
    files
        .iter()
        .filter(|f| f.entry.status == FileStatus::Merged)
        .filter_map(|f| f.read.as_ref())
        .flat_map(|r| &r.tables)
        .filter(move |t| t.table == table)
        .flat_map(|t| &t.records)
        .filter(|r| !r.has_error)
}

/// The rows of `table` in merged files: the candidates and the rows with errors.
pub(super) fn rows_read(files: &[ReadFile], table: TableKind) -> usize {
    files
        .iter()
        .filter(|f| f.entry.status == FileStatus::Merged)
        .filter_map(|f| f.read.as_ref())
        .flat_map(|r| &r.tables)
        .filter(|t| t.table == table)
        .map(|t| t.records.len())
        .sum()
}

/// The project rows grouped by identity, borrowing them: by 项目编号, and a
/// row without one by its name (docs/forms.md §9.3), which also finds a
/// project another file gives with its 项目编号 (§9.9.7).
pub(super) struct ProjectGroups<'a> {
    /// The group of each row; groups are numbered in order of first appearance.
    pub(super) of: Vec<u32>,
    /// Rows per group.
    pub(super) size: Vec<u32>,
    /// Per group: every row equal to the group's first (its unit too; the
    /// 责任单位 text aside).
    pub(super) identical: Vec<bool>,
    /// The first row of each group.
    pub(super) first: Vec<&'a Record>,
    /// The group of each 项目编号.
    pub(super) by_id: FastMap<&'a str, u32>,
    /// The group of each project name (as a name key), when some row has no
    /// 项目编号 or some milestone is found by name; else empty.
    pub(super) by_name: FastMap<String, u32>,
}

/// Whether two rows of one project are the same (§7.9): every field equal
/// after parsing, the 责任单位 text aside (the unit it resolved to counts).
/// A row without 项目编号 is compared on the fields both tables have.
fn same_project(a: &Record, b: &Record) -> bool {
    let (unit, id, name) = (
        project::UNIT.index(),
        project::PROJECT_ID.index(),
        project::PROJECT_NAME.index(),
    );
    let by_name = a.keyed_by_name() || b.keyed_by_name();
    a.unit == b.unit
        && a.values
            .iter()
            .zip(&b.values)
            .enumerate()
            .all(|(k, (x, y))| {
                k == unit
                    || (by_name && (k == id || a.cols[k].is_none() || b.cols[k].is_none()))
                    || x.same(y)
                    // The name is the identity: compared as names are (§9.3).
                    || (by_name
                        && k == name
                        && name_key(x.text().unwrap_or_default())
                            == name_key(y.text().unwrap_or_default()))
            })
}

impl<'a> ProjectGroups<'a> {
    /// `n`: about how many rows there are (room is made for as many).
    /// `names`: group by name too (some row or milestone has no 项目编号).
    pub(super) fn of(
        projects: impl Iterator<Item = &'a Record>,
        n: usize,
        names: bool,
    ) -> ProjectGroups<'a> {
        let id_at = project::PROJECT_ID.index();
        let name_at = project::PROJECT_NAME.index();
        let mut by_id: FastMap<&str, u32> =
            FastMap::with_capacity_and_hasher(n, Default::default());
        let mut by_name: FastMap<String, u32> = FastMap::default();
        let mut of = Vec::with_capacity(n);
        let mut size: Vec<u32> = Vec::new();
        let mut first: Vec<&Record> = Vec::new();
        let mut identical: Vec<bool> = Vec::new();
        let rows: Vec<&'a Record> = projects.collect();
        // Rows with an id first, so that a row without one finds them by name.
        let mut group = vec![u32::MAX; rows.len()];
        let mut new_group = |rec: &'a Record| {
            size.push(0);
            first.push(rec);
            identical.push(true);
            (size.len() - 1) as u32
        };
        for (j, rec) in rows.iter().enumerate() {
            if let Some(id) = rec.values[id_at].text() {
                let g = *by_id.entry(id).or_insert_with(|| new_group(rec));
                group[j] = g;
                if names {
                    let k = name_key(rec.values[name_at].text().unwrap_or_default());
                    by_name.entry(k).or_insert(g);
                }
            }
        }
        for (j, rec) in rows.iter().enumerate() {
            if group[j] == u32::MAX {
                let k = name_key(rec.values[name_at].text().unwrap_or_default());
                group[j] = *by_name.entry(k).or_insert_with(|| new_group(rec));
            }
        }
        for (j, rec) in rows.iter().enumerate() {
            let gi = group[j] as usize;
            size[gi] += 1;
            if identical[gi] && !std::ptr::eq(first[gi], *rec) {
                identical[gi] = same_project(first[gi], rec);
            }
            of.push(group[j]);
        }
        ProjectGroups {
            of,
            size,
            identical,
            first,
            by_id,
            by_name,
        }
    }

    /// The group of a milestone's project: by its 项目编号, else by its 项目名称.
    pub(super) fn of_milestone(&self, id: Option<&str>, name: Option<&str>) -> Option<u32> {
        match id {
            Some(id) => self.by_id.get(id).copied(),
            None => name.and_then(|n| self.by_name.get(&name_key(n)).copied()),
        }
    }

    /// The unit a group counts for, when it is merged (read once, or only in
    /// identical copies).
    pub(super) fn unit(&self, g: u32) -> Option<Option<usize>> {
        let g = g as usize;
        (self.size[g] == 1 || self.identical[g]).then(|| self.first[g].unit)
    }
}

/// For each milestone row, the index of the first earlier row with the same
/// 项目编号 and 节点名称, if any.
/// `n`: about how many rows there are (room is made for as many).
pub(super) fn first_of_key<'a>(
    milestones: impl Iterator<Item = &'a Record>,
    n: usize,
) -> Vec<Option<usize>> {
    let (id_at, name_at, pname_at) = (
        milestone::PROJECT_ID.index(),
        milestone::MILESTONE.index(),
        milestone::PROJECT_NAME.index(),
    );
    let mut first: FastMap<(std::borrow::Cow<'a, str>, &str), usize> =
        FastMap::with_capacity_and_hasher(n, Default::default());
    milestones
        .enumerate()
        .map(|(j, rec)| {
            let project = match rec.values[id_at].text() {
                Some(id) => std::borrow::Cow::Borrowed(id),
                None => std::borrow::Cow::Owned(format!(
                    "\u{0}{}",
                    name_key(rec.values[pname_at].text().unwrap_or_default())
                )),
            };
            let key = (project, rec.values[name_at].text().unwrap_or_default());
            match first.get(&key) {
                Some(&j0) => Some(j0),
                None => {
                    first.insert(key, j);
                    None
                }
            }
        })
        .collect()
}
