//! One run at a time per work folder: two clerks on one shared drive must not
//! interleave their runs. A run holds an exclusive lock on `<work>/.diaodu.lock`
//! (the operating system's file lock, released when the process ends, even
//! when it is killed) and writes into it who holds it: user, host, process id
//! and start time. A second run waits briefly, then says who holds the folder.
//!
//! The file itself stays (deleting a lock file races with a run that has just
//! opened it); only the lock on it matters, and it is emptied on release.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name in the work folder.
pub const LOCK_FILE: &str = ".diaodu.lock";

/// How long a run waits for another to finish by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// The held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Empty the holder's details, then let go (closing the file unlocks it).
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Who holds a work folder, as its lock file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    pub user: String,
    pub host: String,
    pub pid: String,
    pub since: String,
}

impl Holder {
    /// This process.
    pub fn me() -> Holder {
        Holder {
            user: user_name(),
            host: host_name(),
            pid: std::process::id().to_string(),
            since: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    /// The lock file's text.
    pub fn to_text(&self) -> String {
        format!(
            "diaodu 正在运行(此文件是运行锁,运行结束后自动解除)\nuser={}\nhost={}\npid={}\nsince={}\n",
            self.user, self.host, self.pid, self.since
        )
    }

    pub fn parse(text: &str) -> Holder {
        let mut h = Holder::default();
        for line in text.lines() {
            if let Some((k, v)) = line.split_once('=') {
                let v = v.trim().to_string();
                match k.trim() {
                    "user" => h.user = v,
                    "host" => h.host = v,
                    "pid" => h.pid = v,
                    "since" => h.since = v,
                    _ => {}
                }
            }
        }
        h
    }
}

/// Why the lock was not had.
#[derive(Debug)]
pub enum LockError {
    /// Another run holds the folder (what its lock file says, if anything yet).
    Busy { folder: PathBuf, holder: Holder },
    /// The lock file could not be opened or locked.
    Io(String),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Busy { folder, holder } => {
                let who = if holder.user.is_empty() && holder.host.is_empty() {
                    "另一个 diaodu 运行".to_string()
                } else {
                    format!(
                        "{}@{}(进程 {})",
                        or_unknown(&holder.user),
                        or_unknown(&holder.host),
                        or_unknown(&holder.pid)
                    )
                };
                let since = if holder.since.is_empty() {
                    String::new()
                } else {
                    format!(",自 {} 起", holder.since)
                };
                write!(
                    f,
                    "工作目录 {} 正被 {who} 使用{since}:同一工作目录一次只能运行一个汇总,请等其结束后再运行",
                    folder.display()
                )
            }
            LockError::Io(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for LockError {}

impl From<LockError> for crate::error::Error {
    fn from(e: LockError) -> Self {
        crate::error::Error::Lock(e.to_string())
    }
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() {
        "未知"
    } else {
        s
    }
}

/// The user running this process, from the environment.
pub fn user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "未知用户".into())
}

/// This machine's name.
pub fn host_name() -> String {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "未知主机".into())
}

fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut text);
    Holder::parse(&text)
}

/// Lock the work folder for this run, waiting up to `wait` for another run to
/// finish (checking every 100 ms).
pub fn acquire(work: &Path, wait: Duration) -> Result<Lock, LockError> {
    let path = work.join(LOCK_FILE);
    let io = |e: std::io::Error| {
        LockError::Io(format!(
            "无法在工作目录中建立运行锁 {}:{e}(请确认对该文件夹有写权限)",
            path.display()
        ))
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    // The holder writes its details just after locking: give it a moment.
                    let mut holder = read_holder(&mut file);
                    for _ in 0..10 {
                        if !holder.pid.is_empty() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(50));
                        holder = read_holder(&mut file);
                    }
                    return Err(LockError::Busy {
                        folder: work.to_path_buf(),
                        holder,
                    });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
    }
    let text = Holder::me().to_text();
    file.set_len(0)
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(text.as_bytes()))
        .and_then(|_| file.flush())
        .map_err(io)?;
    Ok(Lock { file, path })
}

/// Remove what a killed run may have left in the output folder: the hidden
/// temporary files (`.diaodu-*.tmp`) written before a rename. Only call this
/// while holding the lock, when no other run can be writing. Returns the names
/// removed.
pub fn clean_stale_temp(out: &Path) -> Vec<String> {
    let mut removed = Vec::new();
    let Ok(rd) = std::fs::read_dir(out) else {
        return removed;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_file = e.file_type().map(|t| t.is_file()).unwrap_or(false);
        if is_file
            && name.starts_with(".diaodu-")
            && name.ends_with(".tmp")
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed.push(name);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_round_trips_through_the_file_text() {
        let h = Holder {
            user: "张三".into(),
            host: "pc-01".into(),
            pid: "4242".into(),
            since: "2026-06-10 09:00:00".into(),
        };
        assert_eq!(Holder::parse(&h.to_text()), h);
    }

    #[test]
    fn second_lock_waits_then_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Duration::ZERO).unwrap();
        let text = std::fs::read_to_string(first.path()).unwrap();
        assert!(
            text.contains(&format!("pid={}", std::process::id())),
            "{text}"
        );
        let t0 = Instant::now();
        let e = acquire(dir.path(), Duration::from_millis(300)).unwrap_err();
        assert!(t0.elapsed() >= Duration::from_millis(300));
        match &e {
            LockError::Busy { holder, .. } => {
                assert_eq!(holder.pid, std::process::id().to_string())
            }
            other => panic!("{other:?}"),
        }
        let msg = e.to_string();
        assert!(
            msg.contains("正被") && msg.contains("一次只能运行一个"),
            "{msg}"
        );
        drop(first);
        // Released: the next run gets it, and the details were cleared.
        let again = acquire(dir.path(), Duration::ZERO).unwrap();
        drop(again);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap(),
            ""
        );
    }

    #[test]
    fn stale_temp_files_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for n in [".diaodu-abc.tmp", "调度通报_2026-05.xlsx", ".diaodu-x.txt"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        assert_eq!(clean_stale_temp(dir.path()), vec![".diaodu-abc.tmp"]);
        assert!(dir.path().join("调度通报_2026-05.xlsx").exists());
        assert!(dir.path().join(".diaodu-x.txt").exists());
        assert!(clean_stale_temp(&dir.path().join("missing")).is_empty());
    }
}
