//! When the run's process gives freed memory back to the system: mimalloc's purge delay
//! (`mi_option_purge_delay`), set stage by stage by the run's progress steps. The
//! executable's allocator is [`CappedAlloc`](crate::ingest::workbook::CappedAlloc) over
//! mimalloc; elsewhere (tests of the library) these settings touch an unused allocator.
//!
//! At 2000 units (BENCHMARKS.md):
//! - **Reading**: mimalloc's own 10 ms. Each file's decoded grid is freed right after it
//!   is checked, and the next file's grid takes the same pages; returning them at once
//!   cost page faults on every file.
//! - **From the last file read to the write**: at once, after the read's threads gave
//!   back what they kept: pages freed while merging and assessing and not yet returned
//!   peaked at 922–970 MiB (in the merge) without this, 872–884 MiB with it.
//! - **The write**: 10 ms again. The writers free and allocate their buffers over and
//!   over; returning each at once cost 1.3 s of system time and 400,000 page faults.

use crate::pipeline::Step;

extern "C" {
    /// mimalloc's option setter (linked statically through the `mimalloc` crate).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    /// Free what the calling thread's heap keeps; `force`: return it to the system now.
    fn mi_collect(force: bool);
}

/// mimalloc's own purge delay, in ms.
const DEFAULT_DELAY_MS: std::ffi::c_long = 10;

fn set_purge_delay(ms: std::ffi::c_long) {
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: sets one integer option of the allocator; valid at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, ms) }
}

/// Return freed memory at once from here on, and what every thread of rayon's pool and
/// this one keep now.
fn purge_now_and_from_here() {
    set_purge_delay(0);
    // SAFETY: mi_collect only touches the calling thread's heap and the shared arenas.
    rayon::broadcast(|_| unsafe { mi_collect(true) });
    // SAFETY: as above.
    unsafe { mi_collect(true) };
}

/// For commands other than `run` (check, inspect, several months): freed memory goes
/// back at once throughout.
pub fn purge_at_once() {
    set_purge_delay(0);
}

/// Before a month's run: the reading stage's delay.
pub fn before_run() {
    set_purge_delay(DEFAULT_DELAY_MS);
}

/// Apply the plan at a step of the run.
pub fn on_step(step: &Step) {
    match step {
        Step::File { done, total, .. } if done == total => purge_now_and_from_here(),
        Step::File { .. } | Step::Assess => {}
        Step::Write => set_purge_delay(DEFAULT_DELAY_MS),
    }
}
