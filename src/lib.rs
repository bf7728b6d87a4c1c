//! diaodu (调度): turns the Excel forms a county's townships and departments
//! submit every month into the one workbook leadership reads at the monthly
//! dispatch meeting.
//!
//! The pipeline as a library; `main.rs` is a thin command line over it.
//! Data flows one way: inbox → `ingest` (discover, read safely, find headers,
//! parse cells) → `validate` → `merge` (supersession, duplicates, row
//! accounting, DataFrames) → `report`.

pub mod assess;
/// The bulletin text and the quarter/year views are part of assess.
pub use assess::{bulletin, periodic};
pub mod batch;
pub mod check;
pub mod config;
pub mod error;
pub mod excel_limits;
pub mod finding;
pub mod flags;
pub mod forms;
pub mod formwords;
pub mod history;
pub mod history_write;
pub mod ingest;
pub mod inspect;
pub mod lock;
pub mod memplan;
pub mod merge;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod provenance;
pub mod rank;
pub mod report;
pub mod roster;
pub mod runreport;
pub mod summary;
pub mod template;
pub mod text;
pub mod util;
pub mod validate;
pub mod verify;

pub use config::{Config, Overrides, Period};
pub use error::Error;
pub use finding::{Code, Finding, Severity};
pub use forms::TableKind;
pub use pipeline::{run, Batch};
