//! The project's map: its layers, bottom to top, and the rule that a module
//! imports only from its own layer or below. This test reads src/ and fails,
//! naming the file and the line, on an import from a layer above — and on a
//! known exception that no longer occurs, so the list below only shrinks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every top-level module of src/ and its layer. A new module must be placed
/// here (the test fails on one it does not know).
const LAYERS: &[(&str, u8)] = &[
    // 0 vocabulary: forms and the office's words, values and records,
    // findings, settings, the error that stops a run, pure helpers, the run
    // lock.
    ("text", 0),
    ("util", 0),
    ("excel_limits", 0),
    ("forms", 0),
    ("formwords", 0),
    ("model", 0),
    ("finding", 0),
    ("config", 0),
    ("error", 0),
    ("lock", 0),
    // 1 ingest: a file to typed rows (discover, guarded read, headers, cells,
    // row rules), the roster, the inputs' hashes.
    ("ingest", 1),
    ("validate", 1),
    ("roster", 1),
    ("provenance", 1),
    // 2 merge: rows to the period's tables; the batch they make.
    ("merge", 2),
    ("batch", 2),
    // 3 earlier months read back.
    ("history", 3),
    // 4 assess: every figure, flag, rank and sentence an output shows.
    ("metrics", 4),
    ("flags", 4),
    ("rank", 4),
    ("assess", 4),
    // 5 outputs: each writes what assess computed.
    ("report", 5),
    ("runreport", 5),
    ("template", 5),
    ("history_write", 5),
    ("summary", 5),
    // 6 the run and the other commands; when the run's process gives memory
    // back, stage by stage.
    ("pipeline", 6),
    ("memplan", 6),
    ("check", 6),
    ("inspect", 6),
    ("verify", 6),
];

/// Imports from a layer above that exist today, each with what it waits for.
/// Remove a line when its import goes; the test says when one has gone.
const KNOWN: &[(&str, &str, &str)] = &[];

fn layer(m: &str) -> Option<u8> {
    LAYERS.iter().find(|(n, _)| *n == m).map(|(_, l)| *l)
}

/// The top-level module a file of src/ belongs to (None for main.rs, lib.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (name != "main" && name != "lib").then_some(name)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The lines of a file outside `#[cfg(test)] mod … { … }` blocks and `//`
/// comments, with their 1-based numbers.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut skip_depth: Option<i32> = None;
    let mut pending_cfg_test = false;
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if let Some(d) = skip_depth.as_mut() {
            *d += code.matches('{').count() as i32 - code.matches('}').count() as i32;
            if *d <= 0 {
                skip_depth = None;
            }
            continue;
        }
        if code.trim() == "#[cfg(test)]" {
            pending_cfg_test = true;
            continue;
        }
        if pending_cfg_test && code.trim_start().starts_with("mod ") {
            let d = code.matches('{').count() as i32 - code.matches('}').count() as i32;
            if d > 0 {
                skip_depth = Some(d);
            }
            pending_cfg_test = false;
            continue;
        }
        pending_cfg_test = false;
        out.push((i + 1, code.to_string()));
    }
    out
}

/// The modules a line names through `crate::…` (also `crate::{a, b::c}`).
fn targets(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

/// Every import from a layer above: "file:line: a (layer) imports b (layer)".
fn upward(src: &Path) -> (Vec<String>, BTreeSet<(String, String)>, Vec<String>) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    let mut pairs = BTreeSet::new();
    let mut unknown = Vec::new();
    for f in &files {
        let Some(m) = module_of(src, f) else { continue };
        let Some(lm) = layer(&m) else {
            unknown.push(format!(
                "{}: module {m} has no layer in LAYERS",
                f.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in code_lines(&text) {
            for t in targets(&line) {
                let Some(lt) = layer(&t) else { continue };
                if t != m && lt > lm {
                    pairs.insert((m.clone(), t.clone()));
                    if !KNOWN.iter().any(|(a, b, _)| *a == m && *b == t) {
                        violations.push(format!(
                            "{}:{n}: {m} (layer {lm}) imports {t} (layer {lt})",
                            f.display()
                        ));
                    }
                }
            }
        }
    }
    (violations, pairs, unknown)
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (violations, pairs, unknown) = upward(&src);
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    assert!(
        violations.is_empty(),
        "imports from a layer above (move the piece down, or import it from below):\n{}",
        violations.join("\n")
    );
    let gone: Vec<String> = KNOWN
        .iter()
        .filter(|(a, b, _)| !pairs.contains(&(a.to_string(), b.to_string())))
        .map(|(a, b, why)| format!("{a} -> {b} ({why})"))
        .collect();
    assert!(
        gone.is_empty(),
        "these known exceptions no longer occur: take them out of KNOWN:\n{}",
        gone.join("\n")
    );
}

#[test]
fn the_checker_sees_a_planted_upward_import() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::write(src.join("forms.rs"), "use crate::text::name_key;\n").unwrap();
    std::fs::write(
        src.join("model.rs"),
        "//! x\nuse crate::{forms, text};\n\nfn f() { crate::report::write(); }\n#[cfg(test)]\nmod tests {\n    use crate::pipeline::run;\n}\n",
    )
    .unwrap();
    let (violations, _, unknown) = upward(src);
    assert!(unknown.is_empty());
    assert_eq!(
        violations,
        [format!(
            "{}:4: model (layer 0) imports report (layer 5)",
            src.join("model.rs").display()
        )]
    );
}
