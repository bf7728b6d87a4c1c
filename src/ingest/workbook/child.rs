//! The child process of one file (`<exe> __read-child <path>`): the file read in
//! process with the allocation cap armed, the result written as JSON.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// What std's default allocation-error handler prints before aborting.
pub(super) const ALLOC_FAILURE_TEXT: &str = "memory allocation of";

/// Entry point of the child process. `args` are the arguments after `__read-child` (or
/// including it: a leading `__read-child` is skipped); the first is the path. Reads the file
/// in-process with the allocation cap armed, writes `Result<Workbook, ReadError>` as JSON to
/// stdout and returns the process exit code (0 when a result was written).
pub fn child_main(args: &[String]) -> i32 {
    let args = match args.first() {
        Some(a) if a == CHILD_ARG => &args[1..],
        _ => args,
    };
    let Some(path) = args.first() else {
        let _ = writeln!(std::io::stderr(), "usage: {CHILD_ARG} <path>");
        return 2;
    };
    let limits: ReadLimits = std::env::var(CHILD_LIMITS_ENV)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    if !memory_cap_available() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: CappedAlloc is not the global allocator, the memory cap is inactive"
        );
    }
    // Initialise stdout's buffer before the cap is armed.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    cap_os_memory(limits.max_memory_bytes.saturating_add(OS_HEADROOM));
    arm_memory_cap(limits.max_memory_bytes);
    let result = read_in_process(Path::new(path), &limits);
    let written = serde_json::to_writer(&mut out, &result).is_ok() && out.flush().is_ok();
    if written {
        0
    } else {
        3
    }
}
