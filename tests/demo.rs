//! The demo folder's expected outcome (samples/demo/README.md), file by file.

mod common;

use diaodu::forms::project;
use diaodu::merge::{FileStatus, UnitFrom};
use diaodu::{Code, TableKind};
use std::path::{Path, PathBuf};

fn batch() -> diaodu::Batch {
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut c = diaodu::Config::load(&work, &Default::default(), today).unwrap();
    c.child_exe = Some(PathBuf::from(env!("CARGO_BIN_EXE_diaodu")));
    diaodu::run(c).unwrap()
}

/// file, unit, how identified, status, rows read per table
type Expect = (
    &'static str,
    Option<&'static str>,
    Option<UnitFrom>,
    FileStatus,
    [usize; 3],
);

#[test]
fn every_file_goes_where_the_demo_readme_says() {
    let b = batch();
    use FileStatus::*;
    use UnitFrom::*;
    let expect: &[Expect] = &[
        (
            "城关镇_2026年10月.xlsx",
            Some("城关镇"),
            Some(Note),
            Merged,
            [4, 5, 2],
        ),
        (
            "河口镇_2026年10月.xlsx",
            Some("河口镇"),
            Some(Note),
            Merged,
            [3, 3, 1],
        ),
        (
            "青石镇10月进度表.xlsx",
            Some("青石镇"),
            Some(Note),
            Merged,
            [2, 3, 2],
        ),
        (
            "交通局10月报表.xlsx",
            Some("县交通运输局"),
            Some(Note),
            Merged,
            [4, 3, 1],
        ),
        (
            "白马乡2026年10月份报表.xlsx",
            Some("白马乡"),
            Some(Note),
            Merged,
            [4, 4, 1],
        ),
        (
            "柳林镇_2026年10月.xlsx",
            Some("柳林镇"),
            Some(Note),
            Merged,
            [3, 2, 2],
        ),
        (
            "东湖街道_10月.xlsx",
            Some("东湖街道"),
            Some(Note),
            Superseded,
            [3, 3, 2],
        ),
        (
            "东湖街道_10月(更正).xlsx",
            Some("东湖街道"),
            Some(Note),
            Merged,
            [3, 3, 2],
        ),
        (
            "重点项目调度表_2026-10.xls",
            Some("县工业和信息化局"),
            Some(Column),
            Merged,
            [3, 4, 2],
        ),
        (
            "县文化和旅游局_2026年10月.ods",
            Some("县文化和旅游局"),
            Some(Note),
            Merged,
            [3, 3, 1],
        ),
        (
            "龙泉镇.xlsx",
            Some("龙泉镇"),
            Some(Filename),
            Merged,
            [2, 2, 1],
        ),
        (
            "住建局2026年10月调度表.xlsx",
            Some("县住房和城乡建设局"),
            Some(Note),
            Merged,
            [8, 2, 1],
        ),
        ("~$城关镇_2026年10月.xlsx", None, None, Ignored, [0, 0, 0]),
        (
            ".~lock.东湖街道_10月(更正).xlsx#",
            None,
            None,
            Ignored,
            [0, 0, 0],
        ),
        (".DS_Store", None, None, Ignored, [0, 0, 0]),
        (
            "关于报送10月调度数据的说明.docx",
            None,
            None,
            Unreadable,
            [0, 0, 0],
        ),
    ];
    assert_eq!(b.merged.files.len(), expect.len());
    for (name, unit, from, status, rows) in expect {
        let f = b
            .merged
            .files
            .iter()
            .find(|f| f.name == *name)
            .unwrap_or_else(|| panic!("{name} not listed"));
        let uname = f.unit.map(|u| b.roster.units[u].name.as_str());
        assert_eq!(
            (uname, f.unit_from, f.status),
            (*unit, *from, *status),
            "{name}"
        );
        assert_eq!(f.counts.map(|c| c.read), *rows, "{name}");
    }
    let dh = b
        .merged
        .files
        .iter()
        .find(|f| f.name == "东湖街道_10月.xlsx")
        .unwrap();
    assert_eq!(
        dh.superseded_by.as_deref(),
        Some("东湖街道_10月(更正).xlsx")
    );
    // The corrected figure is the one merged.
    let p = b.merged.rows[0]
        .iter()
        .find(|m| m.rec.project_id() == Some("DH-2026-001"))
        .unwrap();
    assert_eq!(p.rec.num(project::MONTH_DONE), Some(850.0));
    assert_eq!(p.rec.num(project::YTD_DONE), Some(6950.0));
    // 桃花乡 did not submit.
    let th = b
        .roster
        .units
        .iter()
        .position(|u| u.name == "桃花乡")
        .unwrap();
    assert!(b.merged.files.iter().all(|f| f.unit != Some(th)));
}

#[test]
fn demo_row_accounting_and_findings() {
    let b = batch();
    let c = |t| {
        let c = b.counts(t);
        (c.read, c.merged, c.rejected, c.superseded, c.output_rows)
    };
    assert_eq!(c(TableKind::Projects), (42, 32, 7, 3, 31));
    assert_eq!(c(TableKind::Milestones), (37, 33, 1, 3, 33));
    assert_eq!(c(TableKind::Attraction), (18, 16, 0, 2, 16));
    let cells = |code: Code| -> Vec<String> {
        b.findings()
            .iter()
            .filter(|f| f.code == code)
            .map(|f| format!("{}!{}", f.file, f.cell.clone().unwrap_or_default()))
            .collect()
    };
    assert_eq!(
        cells(Code::CellErrorValue),
        vec!["白马乡2026年10月份报表.xlsx!E5"]
    );
    assert_eq!(
        cells(Code::CellNegative),
        vec!["住建局2026年10月调度表.xlsx!G6"]
    );
    assert_eq!(
        cells(Code::RowStartAfterPeriod),
        vec!["住建局2026年10月调度表.xlsx!L7"]
    );
    assert_eq!(
        cells(Code::RowYtdBelowMonth),
        vec!["住建局2026年10月调度表.xlsx!J9"]
    );
    assert_eq!(
        cells(Code::RowAnnualAboveTotal),
        vec!["住建局2026年10月调度表.xlsx!H8"]
    );
    assert_eq!(
        cells(Code::RowUnknownProject),
        vec!["住建局2026年10月调度表.xlsx!A4"]
    );
    assert_eq!(cells(Code::RowDuplicateConflict).len(), 2);
    assert_eq!(cells(Code::RowDuplicateIdentical).len(), 1);
    assert_eq!(
        cells(Code::RowTotalMismatch),
        vec!["柳林镇_2026年10月.xlsx!I5"]
    );
    // 交通局 reported in 亿元 and 元: converted to 万元.
    let jt = b.merged.rows[0]
        .iter()
        .find(|m| &*m.rec.src.file == "交通局10月报表.xlsx")
        .unwrap();
    let total = jt.rec.num(project::TOTAL_INVEST).unwrap();
    assert!(total >= 1000.0, "亿元 not converted: {total}");
}

/// The month's run is one library call (`pipeline::run_month`): it tells of
/// every file, then the assessing, then the writing, in that order, and
/// returns the batch, its assessment and the outputs it wrote.
#[test]
fn the_month_is_one_library_call_that_reports_its_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("demo");
    common::copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo"),
        &work,
    );
    let _ = std::fs::remove_dir_all(work.join("history"));
    let _ = std::fs::remove_dir_all(work.join("out"));
    let mut config =
        diaodu::Config::load(&work, &Default::default(), common::d(2026, 11, 5)).unwrap();
    config.child_exe = Some(std::path::PathBuf::from(env!("CARGO_BIN_EXE_diaodu")));
    let mut steps: Vec<String> = Vec::new();
    let month = diaodu::pipeline::run_month(config, false, "2026-11-05 09:00", &mut |s| {
        steps.push(match s {
            diaodu::pipeline::Step::File { done, total, .. } => format!("file {done}/{total}"),
            other => other.cn().to_string(),
        })
    })
    .unwrap();
    let files = month.batch.merged.files.len();
    assert!(files >= 10, "{files} files");
    let expected: Vec<String> = (1..=files)
        .map(|i| format!("file {i}/{files}"))
        .chain([
            "计算指标、排名和预警".into(),
            "写出工作簿、运行报告和通报文档".into(),
        ])
        .collect();
    assert_eq!(steps, expected);
    let written = month.written.unwrap();
    assert_eq!(written.workbook, work.join("out/调度通报_2026-10.xlsx"));
    assert!(written.workbook.exists());
    assert!(work.join("out/调度通报_2026-10.json").exists());
    assert!(work.join("out/调度通报_2026-10.docx").exists());
    // Its figures are the assessment's: the county's rate as 总览 shows it.
    let m = &month.assessment.metrics;
    assert!(m.units.iter().any(|u| u.fig.completion_rate.is_some()));
    // A second run without force refuses before reading anything.
    let config = diaodu::Config::load(&work, &Default::default(), common::d(2026, 11, 5)).unwrap();
    let mut any = false;
    let again = diaodu::pipeline::run_month(config, false, "2026-11-05 09:00", &mut |_| any = true);
    assert!(again.is_err());
    assert!(!any, "nothing read when the outputs exist");
}

/// A frame made on all cores (the frames stage) is the frame made column after
/// column on one thread (the history's month), for every table and both sets
/// of columns: the same columns, in the same order, with the same values.
#[test]
fn frames_made_on_all_cores_equal_frames_made_on_one_thread() {
    use diaodu::merge::{frame_of, Columns, Threads};
    let b = batch();
    for t in [
        TableKind::Projects,
        TableKind::Milestones,
        TableKind::Attraction,
    ] {
        let rows = &b.merged.rows[t as usize];
        assert!(
            !rows.is_empty(),
            "{t:?}: the demo merges rows of every table"
        );
        for columns in [Columns::All, Columns::Figures] {
            let one = frame_of(t, rows, &b.roster, columns, Threads::One).unwrap();
            let all = frame_of(t, rows, &b.roster, columns, Threads::All).unwrap();
            assert_eq!(one.get_column_names(), all.get_column_names(), "{t:?}");
            assert_eq!(one.height(), rows.len());
            assert!(one.equals_missing(&all), "{t:?} {columns:?}");
        }
    }
}
