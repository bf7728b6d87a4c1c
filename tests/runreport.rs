//! The run report (FORMS.md §8): the demo run's JSON validates against the
//! committed schema (docs/run-report.schema.json), its figures equal the
//! batch's and the workbook's, and `diaodu verify` tells whether the inbox
//! still holds the files that produced it.

mod common;

use calamine::{open_workbook_auto, Data, Range, Reader};
use diaodu::forms::project;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_diaodu");
const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/run-report.schema.json");

// ---------------------------------------------------------------------------------------
// A small JSON Schema validator: the keywords the committed schema uses, and no
// others (an unknown keyword fails the test rather than being silently ignored).
// ---------------------------------------------------------------------------------------

const ANNOTATIONS: &[&str] = &["$schema", "$id", "$defs", "title", "description"];

fn resolve<'a>(root: &'a Value, r: &str) -> &'a Value {
    let p = r
        .strip_prefix("#/")
        .unwrap_or_else(|| panic!("only local refs: {r}"));
    p.split('/').fold(root, |v, k| {
        v.get(k).unwrap_or_else(|| panic!("unresolved $ref {r}"))
    })
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

/// `^…$` patterns made of literals and `[…]` classes, each optionally `{n}`.
fn pattern_ok(pat: &str, s: &str) -> bool {
    let body = pat
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .unwrap_or_else(|| panic!("unsupported pattern {pat}"));
    let mut items: Vec<(Vec<(char, char)>, usize)> = Vec::new();
    let cs: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let class = if cs[i] == '[' {
            let end = i + cs[i..].iter().position(|c| *c == ']').expect("]");
            let inner = &cs[i + 1..end];
            let mut ranges = Vec::new();
            let mut j = 0;
            while j < inner.len() {
                if j + 2 < inner.len() && inner[j + 1] == '-' {
                    ranges.push((inner[j], inner[j + 2]));
                    j += 3;
                } else {
                    ranges.push((inner[j], inner[j]));
                    j += 1;
                }
            }
            i = end + 1;
            ranges
        } else {
            assert!(!"\\.*+?()|".contains(cs[i]), "unsupported pattern {pat}");
            i += 1;
            vec![(cs[i - 1], cs[i - 1])]
        };
        let mut n = 1;
        if i < cs.len() && cs[i] == '{' {
            let end = i + cs[i..].iter().position(|c| *c == '}').expect("}");
            n = cs[i + 1..end].iter().collect::<String>().parse().unwrap();
            i = end + 1;
        }
        items.push((class, n));
    }
    let mut chars = s.chars();
    for (class, n) in items {
        for _ in 0..n {
            match chars.next() {
                Some(c) if class.iter().any(|(a, b)| (*a..=*b).contains(&c)) => {}
                _ => return false,
            }
        }
    }
    chars.next().is_none()
}

fn format_ok(f: &str, s: &str) -> bool {
    match f {
        "date" => s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        other => panic!("unknown format {other}"),
    }
}

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        panic!("schema at {at} is not an object")
    };
    for (k, kw) in s {
        match k.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => check(root, resolve(root, kw.as_str().unwrap()), v, at, errs),
            "anyOf" => {
                let ok = kw.as_array().unwrap().iter().any(|alt| {
                    let mut e = Vec::new();
                    check(root, alt, v, at, &mut e);
                    e.is_empty()
                });
                if !ok {
                    errs.push(format!("{at}: matches no alternative: {v}"));
                }
            }
            "type" => {
                let ok = match kw {
                    Value::String(t) => type_ok(t, v),
                    Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
                    _ => panic!("bad type keyword at {at}"),
                };
                if !ok {
                    errs.push(format!("{at}: {v} is not of type {kw}"));
                }
            }
            "enum" => {
                if !kw.as_array().unwrap().contains(v) {
                    errs.push(format!("{at}: {v} not in {kw}"));
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for r in kw.as_array().unwrap() {
                        if !o.contains_key(r.as_str().unwrap()) {
                            errs.push(format!("{at}: missing key {r}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (pk, ps) in kw.as_object().unwrap() {
                        if let Some(pv) = o.get(pk) {
                            check(root, ps, pv, &format!("{at}.{pk}"), errs);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(o) = v.as_object() {
                    let known = s.get("properties").and_then(Value::as_object);
                    for (pk, pv) in o {
                        if known.is_some_and(|p| p.contains_key(pk)) {
                            continue;
                        }
                        match kw {
                            Value::Bool(false) => errs.push(format!("{at}: unexpected key {pk}")),
                            Value::Bool(true) => {}
                            sub => check(root, sub, pv, &format!("{at}.{pk}"), errs),
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, x) in a.iter().enumerate() {
                        check(root, kw, x, &format!("{at}[{i}]"), errs);
                    }
                }
            }
            "minItems" => {
                if v.as_array()
                    .is_some_and(|a| (a.len() as u64) < kw.as_u64().unwrap())
                {
                    errs.push(format!("{at}: fewer than {kw} items"));
                }
            }
            "minimum" => {
                if v.as_f64().is_some_and(|x| x < kw.as_f64().unwrap()) {
                    errs.push(format!("{at}: {v} below {kw}"));
                }
            }
            "maximum" => {
                if v.as_f64().is_some_and(|x| x > kw.as_f64().unwrap()) {
                    errs.push(format!("{at}: {v} above {kw}"));
                }
            }
            "pattern" => {
                if v.as_str()
                    .is_some_and(|x| !pattern_ok(kw.as_str().unwrap(), x))
                {
                    errs.push(format!("{at}: {v} does not match {kw}"));
                }
            }
            "format" => {
                if v.as_str()
                    .is_some_and(|x| !format_ok(kw.as_str().unwrap(), x))
                {
                    errs.push(format!("{at}: {v} is not a {kw}"));
                }
            }
            other => panic!("the test validator does not know the keyword {other} (at {at})"),
        }
    }
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(SCHEMA).unwrap()).unwrap()
}

fn validate(v: &Value) -> Vec<String> {
    let root = schema();
    let mut errs = Vec::new();
    check(&root, &root, v, "$", &mut errs);
    errs
}

// ---------------------------------------------------------------------------------------
// The demo, run by the real binary
// ---------------------------------------------------------------------------------------

/// A copy of the demo folder, run once; returns (temp dir, work folder).
fn demo_run() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("demo");
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo"),
        &work,
    );
    let out = Command::new(BIN).arg("run").arg(&work).output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("调度通报_2026-10.json"), "{stdout}");
    (tmp, work)
}

fn read_json(work: &Path) -> Value {
    let p = work.join("out/调度通报_2026-10.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn num(c: &Data) -> Option<f64> {
    match c {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}

fn headline(r: &Range<Data>, label: &str) -> Option<f64> {
    let row = r
        .rows()
        .find(|row| row.first().map(text).as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no headline {label} on 总览"));
    num(&row[1])
}

#[test]
fn demo_json_validates_and_matches_the_batch_and_the_workbook() {
    let (_tmp, work) = demo_run();
    let j = read_json(&work);
    let errs = validate(&j);
    assert!(errs.is_empty(), "schema errors:\n{}", errs.join("\n"));

    // Top level.
    assert_eq!(j["period"], "2026-10");
    assert_eq!(j["period_end"], "2026-10-31");
    assert!(close(f(&j["time_progress"]), 10.0 / 12.0));

    // County figures against the merged rows they sum.
    let c = &j["county"];
    let projects = j["merged"]["projects"].as_array().unwrap();
    let milestones = j["merged"]["milestones"].as_array().unwrap();
    let attraction = j["merged"]["attraction"].as_array().unwrap();
    assert!(projects.len() > 5 && !milestones.is_empty() && !attraction.is_empty());
    let sum = |rows: &[Value], k: &str| -> f64 { rows.iter().filter_map(|r| r[k].as_f64()).sum() };
    assert!(close(f(&c["ytd_done"]), sum(projects, "ytd_done")), "{c}");
    assert!(
        close(f(&c["month_done"]), sum(projects, "month_done")),
        "{c}"
    );
    assert!(
        close(f(&c["ytd_funds"]), sum(attraction, "ytd_funds")),
        "{c}"
    );
    assert_eq!(c["projects"], projects.len());
    assert_eq!(c["milestones"], milestones.len());
    assert_eq!(c["attraction_rows"], attraction.len());
    let count = |rows: &[Value], k: &str| rows.iter().filter(|r| r[k] == true).count();
    assert_eq!(c["started"], count(projects, "started"));
    assert_eq!(c["due_to_start"], count(projects, "due_to_start"));
    let overdue = projects
        .iter()
        .filter(|r| !r["days_overdue"].is_null())
        .count();
    assert_eq!(c["overdue_not_started"], overdue);
    let ms_overdue = milestones
        .iter()
        .filter(|r| !r["days_overdue"].is_null())
        .count();
    assert_eq!(c["milestones_overdue"], ms_overdue);
    let by_cat = |cat: &str| projects.iter().filter(|r| r["category"] == cat).count();
    for cat in ["新建", "续建", "前期"] {
        assert_eq!(c["projects_by_category"][cat], by_cat(cat), "{cat}");
    }
    // The county is the sum of its units.
    let units = j["units"].as_array().unwrap();
    assert_eq!(c["units"], units.len());
    for k in ["invest_target", "ytd_done", "attract_target", "ytd_funds"] {
        let s: f64 = units.iter().map(|u| f(&u[k])).sum();
        assert!(close(f(&c[k]), s), "{k}");
    }
    let rate = f(&c["completion_rate"]);
    assert!(close(rate, f(&c["ytd_done"]) / f(&c["invest_target"])));
    assert!(close(f(&c["gap_points"]), (rate - 10.0 / 12.0) * 100.0));
    let missing: Vec<&str> = units
        .iter()
        .filter(|u| u["submitted"] == false)
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(c["units_missing"], serde_json::json!(missing));
    assert_eq!(c["units_submitted"], units.len() - missing.len());

    // Flags by level equal the flag list; each unit's counts add up to the county's.
    let flags = j["flags"].as_array().unwrap();
    for lv in ["veto", "accountability", "red", "yellow"] {
        let n = flags.iter().filter(|x| x["level"] == lv).count();
        assert_eq!(c["flags_by_level"][lv], n, "{lv}");
        let per_unit: u64 = units
            .iter()
            .map(|u| u["flag_counts"][lv].as_u64().unwrap())
            .sum();
        assert_eq!(per_unit, n as u64, "{lv}");
    }

    // Ranking: in rank order, and the same ranks and scores as the units'.
    for (key, rank_key, kind) in [
        ("全部", "rank_all", None),
        ("乡镇", "rank_kind", Some("乡镇")),
        ("部门", "rank_kind", Some("部门")),
    ] {
        let list = j["ranking"][key].as_array().unwrap();
        let expected = units
            .iter()
            .filter(|u| kind.is_none_or(|k| u["unit_kind"] == k))
            .count();
        assert_eq!(list.len(), expected, "{key}");
        let mut prev_rank = 0;
        let mut prev_score = f64::INFINITY;
        for e in list {
            let r = e["rank"].as_u64().unwrap();
            let s = f(&e["score"]);
            assert!(r >= prev_rank && s <= prev_score + 1e-9, "{key}: {list:?}");
            let u = units.iter().find(|u| u["unit"] == e["unit"]).unwrap();
            assert_eq!(u[rank_key], e["rank"], "{key} {}", e["unit"]);
            assert_eq!(u["score"], e["score"]);
            prev_rank = r;
            prev_score = s;
        }
        assert_eq!(list.first().map(|e| e["rank"].as_u64()), Some(Some(1)));
    }
    // No history in a fresh copy: the prev_ fields are null.
    for u in units {
        for k in [
            "prev_rank_kind",
            "prev_rank_all",
            "rank_change_all",
            "prev_ytd_done",
            "ytd_done_change",
        ] {
            assert!(u[k].is_null(), "{k}: {u}");
        }
    }

    // Rows: the accounting balances and output_rows is the merged table.
    for (t, rows) in [
        ("projects", projects),
        ("milestones", milestones),
        ("attraction", attraction),
    ] {
        let r = &j["rows"][t];
        assert_eq!(
            f(&r["read"]),
            f(&r["merged"]) + f(&r["rejected"]) + f(&r["superseded"]),
            "{t}"
        );
        assert_eq!(r["output_rows"], rows.len(), "{t}");
    }

    // Files: every inbox file once, in both the files list and the provenance,
    // with the SHA-256 of its bytes.
    let inbox = work.join("inbox");
    let files = j["files"].as_array().unwrap();
    let run_files = j["run"]["files"].as_array().unwrap();
    let on_disk = std::fs::read_dir(&inbox).unwrap().count();
    assert_eq!(files.len(), on_disk);
    assert_eq!(run_files.len(), on_disk);
    for rf in run_files {
        let name = rf["file"].as_str().unwrap();
        assert!(files.iter().any(|x| x["file"] == name), "{name}");
        let (hash, size) = diaodu::provenance::sha256_file(&inbox.join(name)).unwrap();
        assert_eq!(rf["sha256"], hash, "{name}");
        assert_eq!(rf["size"], size, "{name}");
    }
    let status = |name: &str| {
        files
            .iter()
            .find(|x| x["file"] == name)
            .unwrap_or_else(|| panic!("{name}"))["status"]
            .clone()
    };
    assert_eq!(status("~$城关镇_2026年10月.xlsx"), "ignored");
    assert_eq!(status("关于报送10月调度数据的说明.docx"), "unreadable");
    assert_eq!(status("东湖街道_10月.xlsx"), "superseded");
    assert_eq!(j["run"]["roster"]["file"], "roster.xlsx");
    assert_eq!(j["run"]["period"], "2026-10");
    assert_eq!(j["run"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(j["run"]["rules"]["weight_completion"], 50.0);

    // Sources point at real places; findings carry their places.
    for p in projects {
        for s in p["sources"].as_array().unwrap() {
            assert!(files.iter().any(|x| x["file"] == s["file"]), "{s}");
        }
    }
    let findings = j["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .any(|x| x["severity"] == "error" && !x["cell"].is_null()));

    // The workbook's 总览 shows the same county figures.
    let mut wb = open_workbook_auto(work.join("out/调度通报_2026-10.xlsx")).unwrap();
    let ov = wb.worksheet_range("总览").unwrap();
    for (label, key) in [
        ("重点项目", "projects"),
        ("新建、续建项目", "projects_new_cont"),
        ("已开工", "started"),
        ("开工率", "start_rate"),
        ("应开工", "due_to_start"),
        ("逾期未开工", "overdue_not_started"),
        ("年度投资目标", "invest_target"),
        ("累计完成投资", "ytd_done"),
        ("本月完成投资", "month_done"),
        ("投资完成率", "completion_rate"),
        ("与时间进度差", "gap_points"),
        ("年度招商引资目标", "attract_target"),
        ("累计到位资金", "ytd_funds"),
        ("本月到位资金", "month_funds"),
        ("到位率", "attraction_rate"),
        ("招商引资项目", "attraction_rows"),
        ("节点", "milestones"),
        ("超期节点", "milestones_overdue"),
        ("应报送单位", "units"),
        ("已报送单位", "units_submitted"),
    ] {
        let sheet = headline(&ov, label);
        assert!(
            match (sheet, c[key].as_f64()) {
                (Some(a), Some(b)) => close(a, b),
                (None, None) => true,
                _ => false,
            },
            "总览 {label} = {sheet:?}, JSON county.{key} = {}",
            c[key]
        );
    }
    for (label, lv) in [
        ("红色预警", "red"),
        ("黄色预警", "yellow"),
        ("一票否决", "veto"),
        ("问责", "accountability"),
    ] {
        assert_eq!(
            headline(&ov, label),
            c["flags_by_level"][lv].as_f64(),
            "{label}"
        );
    }
}

#[test]
fn validator_rejects_what_the_schema_forbids() {
    let (_tmp, work) = demo_run();
    let good = read_json(&work);
    assert!(validate(&good).is_empty());
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        validate(&v)
    };
    assert!(!broken(&|v| {
        v["county"].as_object_mut().unwrap().remove("ytd_done");
    })
    .is_empty());
    assert!(!broken(&|v| v["county"]["extra"] = 1.into()).is_empty());
    assert!(!broken(&|v| v["period_end"] = "31/10/2026".into()).is_empty());
    assert!(!broken(&|v| v["units"][0]["score"] = "high".into()).is_empty());
    assert!(!broken(&|v| v["files"][0]["status"] = "lost".into()).is_empty());
    assert!(!broken(&|v| v["run"]["roster"]["sha256"] = "XYZ".into()).is_empty());
    assert!(!broken(&|v| v["merged"]["projects"][0]["sources"] = Value::Array(vec![])).is_empty());
    assert!(pattern_ok("^[0-9]{4}-[0-9]{2}$", "2026-10"));
    assert!(!pattern_ok("^[0-9]{4}-[0-9]{2}$", "2026-1"));
}

/// Every key of the section-2 tables is in the schema's merged rows, and nothing else
/// besides what §8 adds.
#[test]
fn schema_lists_every_form_field() {
    let s = schema();
    for (t, extra) in [
        (
            diaodu::TableKind::Projects,
            &[
                "sources",
                "due_to_start",
                "started",
                "days_overdue",
                "countdown_days",
                "status",
                "key",
                "plan_rate",
                "plan_gap_points",
            ][..],
        ),
        (
            diaodu::TableKind::Milestones,
            &[
                "unit",
                "sources",
                "days_overdue",
                "countdown_days",
                "status",
                "quantity_rate",
            ][..],
        ),
        (diaodu::TableKind::Attraction, &["sources"][..]),
    ] {
        let props = s["properties"]["merged"]["properties"][t.key()]["items"]["properties"]
            .as_object()
            .unwrap();
        let mut want: Vec<&str> = t.fields().iter().map(|f| f.key).collect();
        want.extend(extra);
        want.sort();
        want.dedup();
        let mut have: Vec<&str> = props.keys().map(|k| k.as_str()).collect();
        have.sort();
        assert_eq!(have, want, "{}", t.key());
    }
}

/// The library call the workbook code makes gives the same report as the file.
#[test]
fn library_report_equals_the_scores() {
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut cfg = diaodu::Config::load(&work, &Default::default(), today).unwrap();
    cfg.child_exe = Some(PathBuf::from(BIN));
    let b = diaodu::run(cfg).unwrap();
    let a = diaodu::assess::assess(&b).unwrap();
    let j = diaodu::runreport::run_report(&b, &a.metrics, &a.flags, &a.scores, &b.provenance);
    assert!(validate(&j).is_empty(), "{:?}", validate(&j));
    let order = diaodu::rank::order(&a.scores, &a.metrics, None);
    let names: Vec<&str> = order
        .iter()
        .map(|&u| a.metrics.units[u].name.as_str())
        .collect();
    let listed: Vec<&str> = j["ranking"]["全部"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["unit"].as_str().unwrap())
        .collect();
    assert_eq!(listed, names);
    for (u, s) in a.scores.iter().enumerate() {
        assert_eq!(j["units"][u]["score"].as_f64(), Some(s.score));
        assert_eq!(j["units"][u]["rank_all"].as_u64(), Some(s.rank_all as u64));
    }
    let ytd: f64 = b.merged.rows[0]
        .iter()
        .filter_map(|r| r.rec.num(project::YTD_DONE))
        .sum();
    assert!(close(j["county"]["ytd_done"].as_f64().unwrap(), ytd));
    assert_eq!(j["flags"].as_array().unwrap().len(), a.flags.len());
    assert_eq!(j["findings"].as_array().unwrap().len(), b.findings().len());
    assert_eq!(j, diaodu::runreport::from_assessment(&b, &a));
}

fn verify(work: &Path) -> (i32, String) {
    let out = Command::new(BIN)
        .args(["verify"])
        .arg(work)
        .args(["--period", "2026-10"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn verify_tells_added_removed_and_changed_files() {
    let (_tmp, work) = demo_run();
    let (code, text) = verify(&work);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("一致"), "{text}");

    let inbox = work.join("inbox");
    std::fs::write(inbox.join("迟到的报表.xlsx"), b"late").unwrap();
    std::fs::remove_file(inbox.join("龙泉镇.xlsx")).unwrap();
    // Same size, same name, one byte different.
    let p = inbox.join("柳林镇_2026年10月.xlsx");
    let mut bytes = std::fs::read(&p).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&p, bytes).unwrap();
    let (code, text) = verify(&work);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("新增") && text.contains("迟到的报表.xlsx"),
        "{text}"
    );
    assert!(
        text.contains("缺少") && text.contains("龙泉镇.xlsx"),
        "{text}"
    );
    assert!(
        text.contains("内容已变") && text.contains("柳林镇_2026年10月.xlsx"),
        "{text}"
    );
    assert!(text.contains("1 个新增,1 个缺少,1 个内容已变"), "{text}");
    assert!(!text.contains("名册已变"), "{text}");

    // A month never run cannot be verified.
    let out = Command::new(BIN)
        .args(["verify"])
        .arg(&work)
        .args(["--period", "2026-03"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("运行报告"));
}

/// The 运行信息 sheet (written by `report::runinfo::write_sheet`, which the workbook calls):
/// the version, every rule with its value, the roster and each inbox file with its
/// SHA-256 and status.
#[test]
fn run_info_sheet_lists_rules_and_every_input_with_its_hash() {
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut cfg = diaodu::Config::load(&work, &Default::default(), today).unwrap();
    cfg.child_exe = Some(PathBuf::from(BIN));
    cfg.rules.deduct_red = 6.5;
    let b = diaodu::run(cfg).unwrap();
    let prov = &b.provenance;
    let mut wb = rust_xlsxwriter::Workbook::new();
    diaodu::report::runinfo::write_sheet(
        &mut wb,
        &diaodu::report::table::Formats::default(),
        prov,
        &diaodu::report::runinfo::file_statuses(&b),
        "2026年10月",
        "2026-11-23 09:00",
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("info.xlsx");
    wb.save(&path).unwrap();
    let mut back = open_workbook_auto(&path).unwrap();
    assert_eq!(
        back.sheet_names(),
        vec![diaodu::report::runinfo::SHEET.to_string()]
    );
    let r = back
        .worksheet_range(diaodu::report::runinfo::SHEET)
        .unwrap();
    let rows: Vec<Vec<String>> = r.rows().map(|row| row.iter().map(text).collect()).collect();
    let find = |kind: &str, item: &str| -> &Vec<String> {
        rows.iter()
            .find(|row| row[0] == kind && row[1] == item)
            .unwrap_or_else(|| panic!("no row {kind} {item}"))
    };
    assert_eq!(find("程序", "diaodu 版本")[2], env!("CARGO_PKG_VERSION"));
    assert_eq!(find("程序", "报告期")[2], "2026-10");
    assert_eq!(find("规则", "扣分:每条红色预警(分)")[2], "6.5");
    assert_eq!(rows.iter().filter(|row| row[0] == "规则").count(), 12);
    let roster = find("单位名册", "roster.xlsx");
    let (hash, size) = diaodu::provenance::sha256_file(&work.join("roster.xlsx")).unwrap();
    assert_eq!(roster[5], hash);
    assert_eq!(roster[3], size.to_string());
    let inbox = rows.iter().filter(|row| row[0] == "报送文件").count();
    assert_eq!(inbox, b.merged.files.len());
    for f in &b.merged.files {
        let row = find("报送文件", &f.name);
        let (hash, _) = diaodu::provenance::sha256_file(&work.join("inbox").join(&f.name)).unwrap();
        assert_eq!(row[5], hash, "{}", f.name);
        assert_eq!(row[6], f.status.cn(), "{}", f.name);
    }
}
