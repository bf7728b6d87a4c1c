//! Rows read more than once: the projects of a 项目编号 (or name) read in
//! several places, merged once when identical and rejected everywhere when
//! they differ (docs/forms.md §7.9, §9.9.7); a milestone listed twice,
//! identically, counted once; and the project each milestone belongs to.

use super::accounting::Ledger;
use super::groups::{candidates, first_of_key, rows_read, ProjectGroups};
use super::{place, row_finding, Counts, MergedRow, ReadFile};
use crate::finding::{Code, Finding, Place};
use crate::forms::{milestone, project, TableKind};
use crate::model::{Record, Value};
use crate::util::FastMap;

/// What becomes of each candidate row, decided before any row moves.
pub(super) struct Plan {
    /// The group (项目编号) of each project row, numbered in order of first
    /// appearance.
    pub(super) group_of: Vec<u32>,
    /// Rows per group.
    pub(super) size: Vec<u32>,
    /// Per group: all its rows the same.
    pub(super) identical: Vec<bool>,
    /// Per milestone row: the unit of its project (None when the project is
    /// not merged) and its first earlier copy.
    pub(super) milestones: Vec<(Option<Option<usize>>, Option<usize>)>,
    /// The attraction rows.
    pub(super) n_attraction: usize,
}

impl Plan {
    /// Borrowing the candidates where they are: the group of each project
    /// row and beside it (on another thread) the first earlier milestone
    /// with the same project and name of each milestone row; then each
    /// milestone's project.
    pub(super) fn of(files: &[ReadFile]) -> Plan {
        // Names are keys too when some project or milestone has no 项目编号.
        let names = candidates(files, TableKind::Projects)
            .chain(candidates(files, TableKind::Milestones))
            .any(|r| r.keyed_by_name());
        let (groups, first_of) = rayon::join(
            || {
                let n = rows_read(files, TableKind::Projects);
                ProjectGroups::of(candidates(files, TableKind::Projects), n, names)
            },
            || {
                let n = rows_read(files, TableKind::Milestones);
                first_of_key(candidates(files, TableKind::Milestones), n)
            },
        );
        let n_attraction = candidates(files, TableKind::Attraction).count();
        let milestones = milestone_projects(files, &groups, &first_of);
        let ProjectGroups {
            of: group_of,
            size,
            identical,
            ..
        } = groups;
        Plan {
            group_of,
            size,
            identical,
            milestones,
            n_attraction,
        }
    }
}

/// Milestones must belong to a merged project (read once, or only in
/// identical copies); they count for its unit. The unit of each milestone's
/// project (none when the project is not merged), and its first earlier
/// copy. The project is looked up once per run of rows with the same
/// 项目编号 (a project's milestones are written together).
fn milestone_projects(
    files: &[ReadFile],
    groups: &ProjectGroups,
    first_of: &[Option<usize>],
) -> Vec<(Option<Option<usize>>, Option<usize>)> {
    let (ms_id_at, ms_name_at) = (
        milestone::PROJECT_ID.index(),
        milestone::PROJECT_NAME.index(),
    );
    // The last milestone's project (项目编号, 项目名称) and the unit it found.
    type Found<'r> = ((Option<&'r str>, Option<&'r str>), Option<Option<usize>>);
    let mut last: Option<Found> = None;
    candidates(files, TableKind::Milestones)
        .zip(first_of)
        .map(|(rec, first)| {
            let key = (rec.values[ms_id_at].text(), rec.values[ms_name_at].text());
            let unit = match last {
                Some((l, u)) if l == key => u,
                _ => {
                    let u = groups
                        .of_milestone(key.0, key.1)
                        .and_then(|g| groups.unit(g));
                    last = Some((key, u));
                    u
                }
            };
            match unit {
                Some(unit) => (Some(unit), *first),
                None => (None, None),
            }
        })
        .collect()
}

/// The rows of the projects read more than once, waiting for their whole
/// group: each group's rows, and where it goes (the place of its first row
/// among the projects read once), in order of first appearance.
#[derive(Default)]
pub(super) struct Waiting {
    pub(super) rows: FastMap<u32, Vec<Record>>,
    pub(super) at: Vec<(usize, u32)>,
}

impl Waiting {
    /// A row of group `g`, whose place would be `at` were it the first.
    pub(super) fn push(&mut self, g: u32, at: usize, rec: Record) {
        let members = self.rows.entry(g).or_default();
        if members.is_empty() {
            self.at.push((at, g));
        }
        members.push(rec);
    }
}

/// The projects read more than once, in order of first appearance: an
/// identical group is merged once in the place of its first row, with every
/// copy's place; a group whose rows differ is rejected row by row.
pub(super) fn place_groups(
    projects: &mut Vec<MergedRow>,
    mut waiting: Waiting,
    identical: &[bool],
    ledger: &Ledger,
    counts: &mut [Counts; 3],
    files: &mut [ReadFile],
    findings: &mut Vec<Finding>,
) {
    let mut placed: Vec<(usize, MergedRow)> = Vec::new();
    for &(at, g) in &waiting.at {
        let mut recs = waiting.rows.remove(&g).expect("waiting group");
        // The copy with a 项目编号 stands for the project (§9.9.7).
        if let Some(i) = recs
            .iter()
            .position(|r| !r.keyed_by_name())
            .filter(|i| *i > 0)
        {
            let r = recs.remove(i);
            recs.insert(0, r);
        }
        let (what, key) = match recs[0].project_id() {
            Some(id) => (format!("项目编号 {id}"), project::PROJECT_ID),
            None => (
                format!("项目\"{}\"", recs[0].project_name().unwrap_or_default()),
                project::PROJECT_NAME,
            ),
        };
        let places: Vec<Place> = recs.iter().map(|r| place(&r.src, r, key)).collect();
        // A few places named, all counted: the finding's size does not grow with the rows.
        let (where_, places) = crate::finding::some_places(&places);
        if identical[g as usize] {
            let first = &recs[0];
            let mut f = row_finding(
                first,
                Code::RowDuplicateIdentical,
                key,
                format!("{what} 在 {where_} 重复报送,内容完全相同,只计一次:请商定由一个单位报送"),
            );
            f.places = places;
            findings.push(f);
            for r in &recs {
                ledger.merged(r, counts, files);
            }
            let sources = recs.iter().map(|r| r.src.clone()).collect();
            let rec = recs.into_iter().next().expect("first");
            placed.push((at, MergedRow { rec, sources }));
        } else {
            for r in &recs {
                let mut f = row_finding(
                    r,
                    Code::RowDuplicateConflict,
                    key,
                    format!("{what} 在 {where_} 重复出现且内容不一致,各处均未汇总:请相关单位核对后只保留一份正确的数据"),
                );
                f.places = places.clone();
                findings.push(f);
                ledger.reject(r, counts, files);
            }
        }
    }
    interleave(projects, placed);
}

/// The groups put in their places among the projects read once.
fn interleave(projects: &mut Vec<MergedRow>, placed: Vec<(usize, MergedRow)>) {
    if placed.is_empty() {
        return;
    }
    let singles = std::mem::take(projects);
    projects.reserve_exact(singles.len() + placed.len());
    let mut placed = placed.into_iter().peekable();
    for (i, m) in singles.into_iter().enumerate() {
        while let Some((_, p)) = placed.next_if(|(at, _)| *at == i) {
            projects.push(p);
        }
        projects.push(m);
    }
    projects.extend(placed.map(|(_, p)| p));
}

/// The same milestone listed twice, identically, counts once: when `rec`
/// repeats `prev` value for value, the finding that says so, and `prev`
/// gains `rec`'s place. None when they differ.
pub(super) fn identical_milestone(prev: &mut MergedRow, rec: &Record) -> Option<Finding> {
    if !prev
        .rec
        .values
        .iter()
        .zip(&rec.values)
        .all(|(a, b): (&Value, &Value)| a.same(b))
    {
        return None;
    }
    let mut f = row_finding(
        rec,
        Code::RowDuplicateIdentical,
        milestone::MILESTONE,
        format!(
            "节点\"{}\"重复填报,内容相同,只计一次",
            rec.text(milestone::MILESTONE).unwrap_or_default()
        ),
    );
    f.places = vec![place(&prev.rec.src, &prev.rec, milestone::MILESTONE)];
    prev.sources.push(rec.src.clone());
    Some(f)
}
