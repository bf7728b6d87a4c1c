//! The one error that stops a command, whatever stage it comes from: what
//! went wrong in the office's words, and the exit code it ends with. Every
//! library function that can stop a run returns it; `main` prints it with
//! [`Error::line`] and exits with [`Error::exit_code`] (the model is xsv's
//! `CliError`). Problems in the data are no errors: they are findings, and the
//! run goes on.

use std::fmt;

/// Why a command could not do its work. Each kind carries its message, whole
/// and in Chinese, as the user sees it after "错误:".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An argument, diaodu.toml or forms.toml is wrong, or a folder is missing.
    Config(String),
    /// The roster cannot be read or names no unit.
    Roster(String),
    /// Reading the inbox or computing the period failed.
    Run(String),
    /// An output could not be written (the workbook, the run report, the
    /// 通报, the history), or would overwrite one without `--force`.
    Write(String),
    /// The history of earlier months cannot be read.
    History(String),
    /// A file given to `check` or `inspect` cannot be read.
    Check(String),
    /// The work folder's lock: another run holds it, or it cannot be taken.
    Lock(String),
}

impl Error {
    /// The message, without the "错误:" before it.
    pub fn message(&self) -> &str {
        match self {
            Error::Config(m)
            | Error::Roster(m)
            | Error::Run(m)
            | Error::Write(m)
            | Error::History(m)
            | Error::Check(m)
            | Error::Lock(m) => m,
        }
    }

    /// The process's exit code: 2, "could not run", for every kind (README:
    /// 0 done, 1 `check` found errors or `verify` differences, 2 could not run).
    pub fn exit_code(&self) -> u8 {
        2
    }

    /// The line printed on stderr.
    pub fn line(&self) -> String {
        format!("错误:{}", self.message())
    }

    /// The same kind of error with `f` applied to its message (to say what
    /// was already done, or what to do next).
    pub fn map_message(self, f: impl FnOnce(&str) -> String) -> Error {
        let m = f(self.message());
        match self {
            Error::Config(_) => Error::Config(m),
            Error::Roster(_) => Error::Roster(m),
            Error::Run(_) => Error::Run(m),
            Error::Write(_) => Error::Write(m),
            Error::History(_) => Error::History(m),
            Error::Check(_) => Error::Check(m),
            Error::Lock(_) => Error::Lock(m),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_code() {
        let e = Error::Roster("单位名册 r.xlsx 中没有找到单位".into());
        assert_eq!(e.to_string(), "单位名册 r.xlsx 中没有找到单位");
        assert_eq!(e.line(), "错误:单位名册 r.xlsx 中没有找到单位");
        assert_eq!(e.exit_code(), 2);
        let e = e.map_message(|m| format!("{m}(空白名册可用 diaodu template --blank 生成)"));
        assert!(matches!(e, Error::Roster(_)));
        assert!(e.message().ends_with("生成)"));
    }
}
