//! The capped allocator: counts the heap the reader holds and fails allocations past
//! the cap, so a hostile file cannot take the machine's memory.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// Charged bytes allocated minus charged bytes freed since the cap was armed. Frees of
/// blocks allocated before arming make it dip below the true figure, which only loosens the
/// cap by what was live at arming time (little, in the child).
pub(super) static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
pub(super) static CAP_BYTES: AtomicIsize = AtomicIsize::new(isize::MAX);
pub(super) static ARMED: AtomicBool = AtomicBool::new(false);
pub(super) static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A global allocator wrapper (over mimalloc, which keeps a run's many small strings and
/// records in less memory than the system allocator) that, once [`arm_memory_cap`] was called,
/// counts live heap bytes and refuses (returns null for) any allocation that would take the
/// total past the cap. Before arming it only forwards to mimalloc (two relaxed atomic loads
/// per call), so it costs the main program next to nothing. A refused allocation makes Rust
/// abort the process with "memory allocation of N bytes failed", so arm it only in a process
/// that may die (the read child). Install it in the binary:
///
/// ```ignore
/// #[global_allocator]
/// static GLOBAL: CappedAlloc = CappedAlloc;
/// ```
pub struct CappedAlloc;

/// A ready instance; any `CappedAlloc` value shares the same counters.
pub static CAPPED_ALLOC: CappedAlloc = CappedAlloc;

/// Bytes charged for an allocation of `size`: what a typical malloc really uses (an 8-byte
/// header, 16-byte granularity, 32-byte minimum chunk). Counting only the requested sizes
/// would let millions of tiny strings use many times the cap.
#[inline]
pub(super) fn charged(size: usize) -> isize {
    let c = size.saturating_add(8 + 15) & !15;
    isize::try_from(c.max(32)).unwrap_or(isize::MAX)
}

impl CappedAlloc {
    /// Account for `n` more bytes; false if that would pass the armed cap.
    #[inline]
    pub(super) fn reserve(&self, n: isize) -> bool {
        if !INSTALLED.load(Ordering::Relaxed) {
            INSTALLED.store(true, Ordering::Relaxed);
        }
        if !ARMED.load(Ordering::Relaxed) {
            return true;
        }
        let prev = LIVE_BYTES.fetch_add(n, Ordering::Relaxed);
        if prev.saturating_add(n) > CAP_BYTES.load(Ordering::Relaxed) {
            LIVE_BYTES.fetch_sub(n, Ordering::Relaxed);
            return false;
        }
        true
    }

    #[inline]
    pub(super) fn release(&self, n: isize) {
        if ARMED.load(Ordering::Relaxed) {
            LIVE_BYTES.fetch_sub(n, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is forwarded to mimalloc with the same arguments; the wrapper only
// keeps counters and may return null, which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let n = charged(layout.size());
        if !self.reserve(n) {
            return std::ptr::null_mut();
        }
        let p = unsafe { Inner.alloc(layout) };
        if p.is_null() {
            self.release(n);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let n = charged(layout.size());
        if !self.reserve(n) {
            return std::ptr::null_mut();
        }
        let p = unsafe { Inner.alloc_zeroed(layout) };
        if p.is_null() {
            self.release(n);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { Inner.dealloc(ptr, layout) };
        self.release(charged(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = charged(layout.size());
        let new = charged(new_size);
        if new > old {
            if !self.reserve(new - old) {
                return std::ptr::null_mut();
            }
            let p = unsafe { Inner.realloc(ptr, layout, new_size) };
            if p.is_null() {
                self.release(new - old);
            }
            p
        } else {
            let p = unsafe { Inner.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                self.release(old - new);
            }
            p
        }
    }
}

/// Arm the cap: from now on allocations that would take the heap bytes allocated (and not
/// freed) since this call past `bytes` fail, and the process aborts. Has no effect unless
/// [`CappedAlloc`] is the global allocator (see [`memory_cap_available`]). Meant to be called
/// once, early, in a process that exists to do one risky read.
pub fn arm_memory_cap(bytes: u64) {
    let cap = isize::try_from(bytes).unwrap_or(isize::MAX);
    CAP_BYTES.store(cap, Ordering::Relaxed);
    LIVE_BYTES.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
}

/// Whether [`CappedAlloc`] is the global allocator of this process (it has served an
/// allocation).
pub fn memory_cap_available() -> bool {
    // Make sure at least one allocation went through the global allocator.
    drop(std::hint::black_box(Box::new(0u8)));
    INSTALLED.load(Ordering::Relaxed)
}

/// Heap bytes counted by [`CappedAlloc`] since the cap was armed (0 when unarmed).
pub fn live_heap_bytes() -> u64 {
    u64::try_from(LIVE_BYTES.load(Ordering::Relaxed)).unwrap_or(0)
}
