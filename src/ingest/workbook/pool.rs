//! A pool of long-lived reader processes.
//!
//! Every spreadsheet is read in a worker process (`<exe> __read-worker`, limits in
//! `DIAODU_CHILD_LIMITS`), never in the run's own process, so that whatever a reader does
//! on a hostile file (panic, allocation abort, stack overflow, endless loop, runaway
//! memory) costs that file and nothing else. Workers are started on demand, one per
//! concurrent caller up to one per core (a caller beyond that waits for a worker to be
//! free), and serve file after file: a file costs a request and a response on pipes, not a
//! process start. A worker that dies or passes the time limit is killed and dropped (the
//! next request starts a fresh one), and its file gets a one-line [`ReadError`].
//!
//! The run reads with more callers than workers (two per core), so that a worker starts
//! parsing the next file while its last one is decoded and checked in the run's process.
//! What those callers hold is bounded by bytes, not by their number: a response is taken
//! off the pipe only once its length fits the pool's [`Held`] budget (one file at the
//! worker's cap: [`ReadLimits::max_memory_bytes`] plus [`OS_HEADROOM`]), and the caller
//! holds its share until its grid is dropped.
//!
//! Each worker has its memory capped twice: by [`CappedAlloc`](super::CappedAlloc),
//! re-armed for every file (a clean "memory allocation of … failed" abort), and by the
//! operating system (`RLIMIT_DATA`, the cap plus [`OS_HEADROOM`]), which also bounds what
//! the allocator keeps mapped and what the counting allocator does not see.
//!
//! Protocol (native-endian, both sides are the same executable): a request is the path's
//! byte length (u32) and bytes; a response is its length (u64) and a [`Result`] of
//! [`Workbook`] and [`ReadError`] in the compact encoding of [`encode`]/[`decode`] (a tag
//! byte per cell, length-prefixed text), about a third of the JSON the per-file child wrote
//! and decoded without a parser. A worker exits when its stdin closes (the run ended or
//! died).

use super::{
    arm_memory_cap, read_in_process, Cell, Format, RawSheet, ReadError, ReadLimits, Workbook,
    ALLOC_FAILURE_TEXT, CHILD_LIMITS_ENV, MIB,
};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// The first argument that makes the executable a pool worker.
pub const WORKER_ARG: &str = "__read-worker";

/// What a worker may map beyond its heap cap (`RLIMIT_DATA` = cap + this): the binary's
/// writable data, thread stacks, the allocator's slack and the file's bytes in flight.
pub const OS_HEADROOM: u64 = 96 * MIB;

/// Most bytes of a worker's stderr kept to explain its death.
const STDERR_TAIL: usize = 4096;

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr: Arc<Mutex<Vec<u8>>>,
    drain: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    fn spawn(exe: &Path, limits_json: &str) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg(WORKER_ARG)
            .env(CHILD_LIMITS_ENV, limits_json)
            // mimalloc commits its 1 GiB arena up front where the system overcommits,
            // which RLIMIT_DATA counts whole: commit on demand in the worker.
            .env("MIMALLOC_ARENA_EAGER_COMMIT", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(mut err)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("pipes"));
        };
        // Drain stderr so the worker never blocks on it; keep its tail.
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr);
        let drain = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                if let Ok(mut t) = tail.lock() {
                    t.extend_from_slice(&buf[..n]);
                    if t.len() > STDERR_TAIL {
                        let cut = t.len() - STDERR_TAIL;
                        t.drain(..cut);
                    }
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            stdout,
            stderr,
            drain: Some(drain),
        })
    }

    /// Kill the worker and say why its file could not be read.
    /// `timed_out`: after `secs` seconds.
    fn fail(mut self, limits: &ReadLimits, timed_out: Option<u64>) -> ReadError {
        let _ = self.child.kill();
        let status = self.child.wait();
        if let Some(d) = self.drain.take() {
            let _ = d.join();
        }
        if let Some(secs) = timed_out {
            return ReadError::Timeout(secs);
        }
        let err = self
            .stderr
            .lock()
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default();
        if err.contains(ALLOC_FAILURE_TEXT) {
            return ReadError::TooLarge(format!(
                "读取时内存超过 {} MiB 上限",
                limits.max_memory_bytes / MIB
            ));
        }
        let what = if err.contains("has overflowed its stack") {
            "栈溢出".to_string()
        } else {
            match status {
                Ok(s) => s.to_string(),
                Err(e) => e.to_string(),
            }
        };
        ReadError::Corrupt(format!("读取进程异常退出: {what}"))
    }
}

/// Long-lived reader processes of one executable and one set of limits.
pub struct Pool {
    exe: PathBuf,
    limits: ReadLimits,
    limits_json: String,
    workers: Mutex<Workers>,
    /// Signalled when a worker is given back or dropped.
    worker_freed: Condvar,
    /// Most workers alive at once.
    max_workers: usize,
    /// Response bytes held by callers (decoded grids not yet dropped), and their bound.
    held: Mutex<u64>,
    held_freed: Condvar,
    max_held: u64,
}

struct Workers {
    idle: Vec<Worker>,
    /// Alive: idle or serving a caller.
    live: usize,
}

/// A caller's share of its pool's response budget: the bytes of the response it read,
/// given back when this is dropped (after the grid decoded from them is dropped).
#[must_use]
pub struct Held(Option<(Arc<Pool>, u64)>);

impl Held {
    /// Nothing held (a file read in-process, or refused before a response).
    pub fn none() -> Held {
        Held(None)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some((pool, n)) = self.0.take() {
            let mut held = lock(&pool.held);
            *held = held.saturating_sub(n);
            drop(held);
            pool.held_freed.notify_all();
        }
    }
}

/// The cores of this machine (2 when the system does not say): the most workers a pool
/// runs at once.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A lock that a panic elsewhere does not poison for the pool (its state stays valid:
/// counts and idle workers).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The pools of this process, by executable and limits.
fn pools() -> &'static Mutex<Vec<Arc<Pool>>> {
    static POOLS: OnceLock<Mutex<Vec<Arc<Pool>>>> = OnceLock::new();
    POOLS.get_or_init(|| Mutex::new(Vec::new()))
}

impl Pool {
    /// The process's pool for this executable and these limits (made on first use).
    pub fn shared(exe: &Path, limits: &ReadLimits) -> Result<Arc<Pool>, ReadError> {
        let limits_json = serde_json::to_string(limits)
            .map_err(|e| ReadError::Corrupt(format!("无法启动读取进程: {e}")))?;
        let mut all = pools()
            .lock()
            .map_err(|_| ReadError::Corrupt("无法启动读取进程: 进程池不可用".into()))?;
        if let Some(p) = all
            .iter()
            .find(|p| p.exe == exe && p.limits_json == limits_json)
        {
            return Ok(Arc::clone(p));
        }
        let p = Arc::new(Pool::new(exe, limits, limits_json));
        all.push(Arc::clone(&p));
        Ok(p)
    }

    /// A pool of one worker per core, holding one worker's cap of responses.
    fn new(exe: &Path, limits: &ReadLimits, limits_json: String) -> Pool {
        Pool {
            exe: exe.to_path_buf(),
            limits: limits.clone(),
            limits_json,
            workers: Mutex::new(Workers {
                idle: Vec::new(),
                live: 0,
            }),
            worker_freed: Condvar::new(),
            max_workers: cores(),
            held: Mutex::new(0),
            held_freed: Condvar::new(),
            max_held: limits.max_memory_bytes.saturating_add(OS_HEADROOM),
        }
    }

    /// An idle worker, a new one while fewer than `max_workers` live, or else the first
    /// one given back.
    fn take_worker(&self) -> Result<Worker, ReadError> {
        let mut w = lock(&self.workers);
        loop {
            if let Some(worker) = w.idle.pop() {
                return Ok(worker);
            }
            if w.live < self.max_workers {
                w.live += 1;
                drop(w);
                return Worker::spawn(&self.exe, &self.limits_json).map_err(|e| {
                    self.dropped();
                    ReadError::Corrupt(format!("无法启动读取进程: {e}"))
                });
            }
            w = self.worker_freed.wait(w).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn give_back(&self, worker: Worker) {
        lock(&self.workers).idle.push(worker);
        self.worker_freed.notify_one();
    }

    /// A worker taken is gone (failed, killed or never started).
    fn dropped(&self) {
        let mut w = lock(&self.workers);
        w.live = w.live.saturating_sub(1);
        drop(w);
        self.worker_freed.notify_one();
    }

    /// Kill a taken worker and say why its file could not be read.
    fn fail(&self, worker: Worker, timed_out: Option<u64>) -> ReadError {
        let e = worker.fail(&self.limits, timed_out);
        self.dropped();
        e
    }

    /// Wait until `n` more response bytes fit the budget (a response larger than the
    /// whole budget waits until nothing else is held), and hold them.
    fn hold(self: &Arc<Self>, n: u64) -> Held {
        let n = n.min(self.max_held);
        let mut held = lock(&self.held);
        while *held > 0 && *held + n > self.max_held {
            held = self
                .held_freed
                .wait(held)
                .unwrap_or_else(|p| p.into_inner());
        }
        *held += n;
        Held(Some((Arc::clone(self), n)))
    }

    /// Read one file in a worker; the [`Held`] share of the response budget is to be
    /// dropped with the workbook.
    pub fn read_held(self: &Arc<Self>, path: &Path) -> (Result<Workbook, ReadError>, Held) {
        match self.read_inner(path) {
            Ok((wb, held)) => (Ok(wb), held),
            Err(e) => (Err(e), Held::none()),
        }
    }

    fn read_inner(self: &Arc<Self>, path: &Path) -> Result<(Workbook, Held), ReadError> {
        let mut worker = self.take_worker()?;
        let bytes = path.as_os_str().as_bytes();
        let mut req = Vec::with_capacity(4 + bytes.len());
        req.extend_from_slice(&(bytes.len() as u32).to_ne_bytes());
        req.extend_from_slice(bytes);
        if worker
            .stdin
            .write_all(&req)
            .and_then(|_| worker.stdin.flush())
            .is_err()
        {
            return Err(self.fail(worker, None));
        }
        // A small file gets less time than a large one (ReadLimits::timeout_for).
        let size = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
        let secs = self.limits.timeout_for(size);
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut len = [0u8; 8];
        if let Err(timed_out) = read_until(&mut worker.stdout, &mut len, deadline) {
            return Err(self.fail(worker, timed_out.then_some(secs)));
        }
        let len = u64::from_ne_bytes(len);
        // The worker's grid lives within its cap; its encoding is smaller.
        if len > self.max_held {
            let _ = self.fail(worker, None);
            return Err(ReadError::TooLarge(format!(
                "读取结果超过 {} MiB",
                len / MIB
            )));
        }
        // The time spent waiting for room is not the worker's: it has answered.
        let held = self.hold(len);
        let deadline = deadline.max(Instant::now() + Duration::from_secs(secs));
        let mut body = vec![0u8; len as usize];
        if let Err(timed_out) = read_until(&mut worker.stdout, &mut body, deadline) {
            return Err(self.fail(worker, timed_out.then_some(secs)));
        }
        self.give_back(worker);
        let wb = decode(&body)
            .unwrap_or_else(|| Err(ReadError::Corrupt("读取进程异常退出: 输出无效".into())))?;
        Ok((wb, held))
    }
}

/// End every idle worker of this process's pools (closing its stdin ends it) and wait for
/// it, so a run's readers hold no memory while its outputs are written. Pools start new
/// workers if asked to read again.
pub fn shutdown_pools() {
    let all: Vec<Arc<Pool>> = pools().lock().map(|v| v.clone()).unwrap_or_default();
    for p in all {
        let idle: Vec<Worker> = {
            let mut w = lock(&p.workers);
            w.live = w.live.saturating_sub(w.idle.len());
            std::mem::take(&mut w.idle)
        };
        for w in idle {
            let Worker {
                mut child,
                stdin,
                stdout,
                drain,
                ..
            } = w;
            drop(stdin);
            drop(stdout);
            let _ = child.wait();
            if let Some(d) = drain {
                let _ = d.join();
            }
        }
    }
}

/// Fill `buf` from the pipe before `deadline`. Err(true): time is up; Err(false): the pipe
/// closed or failed (the worker died).
fn read_until(r: &mut ChildStdout, buf: &mut [u8], deadline: Instant) -> Result<(), bool> {
    let fd = r.as_raw_fd();
    let mut at = 0;
    while at < buf.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(true);
        }
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd for an fd this pipe owns.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(false);
        }
        if n == 0 {
            continue;
        }
        match r.read(&mut buf[at..]) {
            Ok(0) => return Err(false),
            Ok(k) => at += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(false),
        }
    }
    Ok(())
}

/// Cap this process's writable memory (`RLIMIT_DATA`: heap, anonymous mappings, thread
/// stacks) at `bytes`. Returns false if the system refused.
pub fn cap_os_memory(bytes: u64) -> bool {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads one valid struct.
    unsafe { libc::setrlimit(libc::RLIMIT_DATA, &lim) == 0 }
}

/// Entry point of a worker: reads requests from stdin until it closes, answers each on
/// stdout. Returns the exit code.
pub fn worker_main() -> i32 {
    let limits: ReadLimits = std::env::var(CHILD_LIMITS_ENV)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    if !cap_os_memory(limits.max_memory_bytes.saturating_add(OS_HEADROOM)) {
        let _ = writeln!(std::io::stderr(), "warning: RLIMIT_DATA not set");
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    loop {
        let mut len = [0u8; 4];
        if input.read_exact(&mut len).is_err() {
            return 0;
        }
        let mut path = vec![0u8; u32::from_ne_bytes(len) as usize];
        if input.read_exact(&mut path).is_err() {
            return 0;
        }
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(&path));
        arm_memory_cap(limits.max_memory_bytes);
        let result = read_in_process(&path, &limits);
        let ok = out
            .write_all(&(encoded_len(&result) as u64).to_ne_bytes())
            .and_then(|_| encode(&result, &mut out))
            .and_then(|_| out.flush())
            .is_ok();
        if !ok {
            return 3;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Compact encoding
// ---------------------------------------------------------------------------------------

const T_EMPTY: u8 = 0;
const T_NUMBER: u8 = 1;
const T_TEXT: u8 = 2;
const T_BOOL: u8 = 3;
const T_DATE: u8 = 4;
const T_ERROR: u8 = 5;

fn cell_len(c: &Cell) -> usize {
    1 + match c {
        Cell::Empty => 0,
        Cell::Number(_) => 8,
        Cell::Text(s) | Cell::Error(s) => 4 + s.len(),
        Cell::Bool(_) => 1,
        Cell::Date(_) => 12,
    }
}

/// Bytes [`encode`] writes for `r`.
pub fn encoded_len(r: &Result<Workbook, ReadError>) -> usize {
    match r {
        Err(e) => {
            2 + match e {
                ReadError::Encrypted | ReadError::Empty => 0,
                ReadError::Timeout(_) => 8,
                ReadError::NotSpreadsheet(s)
                | ReadError::TooLarge(s)
                | ReadError::Corrupt(s)
                | ReadError::Unsupported(s) => 4 + s.len(),
            }
        }
        Ok(wb) => {
            2 + 4
                + wb.sheets
                    .iter()
                    .map(|s| {
                        4 + s.name.len()
                            + 1
                            + 8
                            + 4
                            + 16 * s.merged.len()
                            + 4
                            + s.rows
                                .iter()
                                .map(|r| 4 + r.iter().map(cell_len).sum::<usize>())
                                .sum::<usize>()
                    })
                    .sum::<usize>()
        }
    }
}

fn put_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(&(s.len() as u32).to_ne_bytes())?;
    w.write_all(s.as_bytes())
}

/// Write `r` in the compact encoding.
pub fn encode(r: &Result<Workbook, ReadError>, w: &mut impl Write) -> std::io::Result<()> {
    let wb = match r {
        Err(e) => {
            w.write_all(&[1])?;
            return match e {
                ReadError::NotSpreadsheet(s) => w.write_all(&[0]).and_then(|_| put_str(w, s)),
                ReadError::Encrypted => w.write_all(&[1]),
                ReadError::Empty => w.write_all(&[2]),
                ReadError::TooLarge(s) => w.write_all(&[3]).and_then(|_| put_str(w, s)),
                ReadError::Timeout(t) => w
                    .write_all(&[4])
                    .and_then(|_| w.write_all(&t.to_ne_bytes())),
                ReadError::Corrupt(s) => w.write_all(&[5]).and_then(|_| put_str(w, s)),
                ReadError::Unsupported(s) => w.write_all(&[6]).and_then(|_| put_str(w, s)),
            };
        }
        Ok(wb) => wb,
    };
    let format = match wb.format {
        Format::Xlsx => 0,
        Format::Xlsb => 1,
        Format::Xls => 2,
        Format::Ods => 3,
    };
    w.write_all(&[0, format])?;
    w.write_all(&(wb.sheets.len() as u32).to_ne_bytes())?;
    for s in &wb.sheets {
        put_str(w, &s.name)?;
        w.write_all(&[u8::from(s.hidden)])?;
        w.write_all(&s.first_row.to_ne_bytes())?;
        w.write_all(&s.first_col.to_ne_bytes())?;
        w.write_all(&(s.merged.len() as u32).to_ne_bytes())?;
        for &(a, b, c, d) in &s.merged {
            for v in [a, b, c, d] {
                w.write_all(&v.to_ne_bytes())?;
            }
        }
        w.write_all(&(s.rows.len() as u32).to_ne_bytes())?;
        for row in &s.rows {
            w.write_all(&(row.len() as u32).to_ne_bytes())?;
            for c in row {
                match c {
                    Cell::Empty => w.write_all(&[T_EMPTY])?,
                    Cell::Number(f) => {
                        w.write_all(&[T_NUMBER])?;
                        w.write_all(&f.to_ne_bytes())?;
                    }
                    Cell::Text(s) => {
                        w.write_all(&[T_TEXT])?;
                        put_str(w, s)?;
                    }
                    Cell::Bool(b) => w.write_all(&[T_BOOL, u8::from(*b)])?,
                    Cell::Date(d) => {
                        let d = d.and_utc();
                        w.write_all(&[T_DATE])?;
                        w.write_all(&d.timestamp().to_ne_bytes())?;
                        w.write_all(&d.timestamp_subsec_nanos().to_ne_bytes())?;
                    }
                    Cell::Error(s) => {
                        w.write_all(&[T_ERROR])?;
                        put_str(w, s)?;
                    }
                }
            }
        }
    }
    Ok(())
}

struct Rd<'a>(&'a [u8]);

impl<'a> Rd<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_ne_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_ne_bytes)
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok().map(str::to_owned)
    }
    /// A count of items each at least `min` bytes long, checked against what is left (so
    /// no corrupt count can reserve more than the input could fill).
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min) <= self.0.len()).then_some(n)
    }
}

/// Read what [`encode`] wrote; `None` if the bytes are not such an encoding.
pub fn decode(bytes: &[u8]) -> Option<Result<Workbook, ReadError>> {
    let mut r = Rd(bytes);
    let out = if r.u8()? == 1 {
        Err(match r.u8()? {
            0 => ReadError::NotSpreadsheet(r.str()?),
            1 => ReadError::Encrypted,
            2 => ReadError::Empty,
            3 => ReadError::TooLarge(r.str()?),
            4 => ReadError::Timeout(r.u64()?),
            5 => ReadError::Corrupt(r.str()?),
            6 => ReadError::Unsupported(r.str()?),
            _ => return None,
        })
    } else {
        let format = match r.u8()? {
            0 => Format::Xlsx,
            1 => Format::Xlsb,
            2 => Format::Xls,
            3 => Format::Ods,
            _ => return None,
        };
        let n = r.count(4 + 1 + 8 + 4 + 4)?;
        let mut sheets = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.str()?;
            let hidden = r.u8()? != 0;
            let first_row = r.u32()?;
            let first_col = r.u32()?;
            let m = r.count(16)?;
            let mut merged = Vec::with_capacity(m);
            for _ in 0..m {
                merged.push((r.u32()?, r.u32()?, r.u32()?, r.u32()?));
            }
            let h = r.count(4)?;
            let mut rows = Vec::with_capacity(h);
            for _ in 0..h {
                let w = r.count(1)?;
                let mut row = Vec::with_capacity(w);
                for _ in 0..w {
                    row.push(match r.u8()? {
                        T_EMPTY => Cell::Empty,
                        T_NUMBER => Cell::Number(f64::from_ne_bytes(r.take(8)?.try_into().ok()?)),
                        T_TEXT => Cell::Text(r.str()?),
                        T_BOOL => Cell::Bool(r.u8()? != 0),
                        T_DATE => {
                            let secs = r.u64()? as i64;
                            let nanos = r.u32()?;
                            Cell::Date(chrono::DateTime::from_timestamp(secs, nanos)?.naive_utc())
                        }
                        T_ERROR => Cell::Error(r.str()?),
                        _ => return None,
                    });
                }
                rows.push(row);
            }
            sheets.push(RawSheet {
                name,
                hidden,
                first_row,
                first_col,
                rows,
                merged,
            });
        }
        Ok(Workbook { format, sheets })
    };
    r.0.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn pool(max_held: u64) -> Arc<Pool> {
        let limits = ReadLimits::default();
        Arc::new(Pool {
            max_held,
            ..Pool::new(Path::new("/nonexistent"), &limits, String::new())
        })
    }

    #[test]
    fn responses_held_are_bounded_by_bytes_and_given_back_on_drop() {
        let p = pool(100);
        let a = p.hold(60);
        assert_eq!(*lock(&p.held), 60);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                // 60 more do not fit beside the first 60: this waits.
                let b = p.hold(60);
                tx.send(*lock(&p.held)).unwrap();
                drop(b);
            });
            assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
            drop(a);
            assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), 60);
        });
        assert_eq!(*lock(&p.held), 0);
        // A response larger than the whole budget is taken alone, counted as the budget.
        let big = p.hold(1_000);
        assert_eq!(*lock(&p.held), 100);
        drop(big);
        let small = p.hold(1);
        assert_eq!(*lock(&p.held), 1);
        drop(small);
        drop(Held::none());
        assert_eq!(*lock(&p.held), 0);
    }

    #[test]
    fn encoding_round_trips_every_cell_kind() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 31)
            .unwrap()
            .and_hms_nano_opt(12, 30, 5, 123_000_000)
            .unwrap();
        let wb = Workbook {
            format: Format::Ods,
            sheets: vec![RawSheet {
                name: "表一".into(),
                hidden: true,
                first_row: 3,
                first_col: 1,
                rows: vec![
                    vec![
                        Cell::Empty,
                        Cell::Number(-1.5),
                        Cell::Text("项目".into()),
                        Cell::Bool(true),
                        Cell::Date(date),
                        Cell::Error("#DIV/0!".into()),
                    ],
                    vec![],
                ],
                merged: vec![(3, 1, 4, 2)],
            }],
        };
        for r in [
            Ok(wb),
            Err(ReadError::TooLarge("x".into())),
            Err(ReadError::Timeout(7)),
            Err(ReadError::Encrypted),
        ] {
            let mut buf = Vec::new();
            encode(&r, &mut buf).unwrap();
            assert_eq!(buf.len(), encoded_len(&r));
            let back = decode(&buf).unwrap();
            assert_eq!(format!("{r:?}"), format!("{back:?}"));
            // A cut encoding is refused, not misread.
            assert!(decode(&buf[..buf.len() - 1]).is_none());
        }
    }
}
