//! The diaodu command line: thin — parse arguments, call the library, print.

use clap::{Parser, Subcommand};
use diaodu::config::{Config, Overrides, Period};
use diaodu::finding::Severity;
use diaodu::ingest::workbook::{self, CappedAlloc, Guard};
use diaodu::roster::read_roster;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Counts live heap bytes; a child reading a legacy file arms a cap on it so a
/// hostile file cannot take the machine's memory (it only aborts the child).
#[global_allocator]
static GLOBAL: CappedAlloc = CappedAlloc;

const ABOUT: &str =
    "调度 diaodu:把各乡镇、部门每月报送的重点项目和招商引资报表汇总成一本调度通报工作簿";

const LONG_ABOUT: &str = "\
调度 diaodu:把各乡镇、部门每月报送的重点项目和招商引资报表汇总成一本调度通报工作簿。

工作目录(每月沿用同一个文件夹):
  diaodu.toml   配置:报告期、名册和收件文件夹位置、读取安全上限(均可省略)
  roster.xlsx   单位名册:单位名称、单位类别(乡镇/部门)、包抓领导、年度投资目标(万元)、
                年度招商引资目标(万元)、别名
  inbox/        各单位报送的 .xlsx / .xls / .ods 文件,直接放进来即可
  out/          输出:调度通报_YYYY-MM.xlsx

常用:
  diaodu run 工作目录                     按 diaodu.toml 汇总(无配置时报告期为上个月)
  diaodu run 工作目录 --period 2026-05    指定报告期
  diaodu check 报表.xlsx                  报送前自查一份报表

退出码:0 成功(run:工作簿已写出,即使有数据问题;check:没有错误);
        1 check 发现错误;2 无法运行(参数、名册、文件夹有误)。";

#[derive(Parser)]
#[command(name = "diaodu", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// 汇总一个月的报表,生成调度通报工作簿
    #[command(long_about = "\
汇总工作目录收件文件夹中的全部报表,生成 out/调度通报_YYYY-MM.xlsx。

读取每个文件(锁文件、隐藏文件忽略;损坏、加密、非表格文件逐个报告,不影响其他文件),
按表头识别重点项目、节点计划、招商引资三张表,校验每一行,认定填报单位(填报单位注明 →
责任单位列 → 文件名),同一单位的更正报表替代先前报表,合并重复项目,并核对行数:
读取 = 汇总 + 拒收 + 替代。

命令行参数优先于 diaodu.toml;工作目录没有 diaodu.toml 时,使用其中的 roster.xlsx
和 inbox/,报告期默认为上个月。")]
    Run {
        /// 工作目录(含 diaodu.toml、roster.xlsx、inbox/)
        work: PathBuf,
        /// 报告期,YYYY-MM,例如 2026-05;季度评比写 2026-Q2,年度评比写 2026(均按历史数据)
        #[arg(long)]
        period: Option<String>,
        /// 单位名册文件
        #[arg(long)]
        roster: Option<PathBuf>,
        /// 收件文件夹
        #[arg(long)]
        inbox: Option<PathBuf>,
        /// 输出文件夹
        #[arg(long)]
        out: Option<PathBuf>,
        /// 覆盖已存在的输出工作簿
        #[arg(long)]
        force: bool,
        /// 不在终端显示进度
        #[arg(long, short)]
        quiet: bool,
        /// 在标准错误输出各阶段用时(读取、解析校验、汇总、写出),用于性能测试
        #[arg(long)]
        timings: bool,
    },
    /// 报送前自查报表:列出每个有问题的单元格
    #[command(long_about = "\
用与月度汇总相同的规则检查一个或多个报表文件,逐条列出问题所在的工作表和单元格。
给出 --roster 时,还核对填报单位和责任单位是否在名册中。

退出码:0 没有错误(可能有警告),1 发现错误,2 无法运行(如文件不存在)。")]
    Check {
        /// 要检查的报表文件
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 报告期,YYYY-MM(默认上个月),用于判断日期是否超出报告期
        #[arg(long)]
        period: Option<String>,
        /// 单位名册,用于核对单位名称
        #[arg(long)]
        roster: Option<PathBuf>,
    },
}

fn exe() -> Option<PathBuf> {
    std::env::current_exe().ok()
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if args.first().map(String::as_str) == Some(workbook::CHILD_ARG) {
        return ExitCode::from(workbook::child_main(&args[1..]).clamp(0, 255) as u8);
    }
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Run {
            work,
            period,
            roster,
            inbox,
            out,
            force,
            quiet,
            timings,
        } => run(
            work,
            Overrides {
                period,
                roster,
                inbox,
                out,
            },
            force,
            quiet,
            timings,
        ),
        Cmd::Check {
            files,
            period,
            roster,
        } => check(files, period, roster),
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误:{msg}");
    ExitCode::from(2)
}

/// The progress bar on stderr: shown only on a terminal, and only once the run
/// has taken more than a moment, so quick runs and pipes stay silent.
struct Progress {
    show: bool,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    const MOMENT: std::time::Duration = std::time::Duration::from_millis(300);

    fn new(show: bool) -> Progress {
        Progress {
            show,
            started: std::time::Instant::now(),
            bar: None,
        }
    }

    fn file(&mut self, done: usize, total: usize, name: &str) {
        if !self.show || (self.bar.is_none() && self.started.elapsed() < Self::MOMENT) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total as u64),
                indicatif::ProgressDrawTarget::stderr_with_hz(10),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "读取 {bar:30} {pos}/{len} 个文件 {elapsed} {wide_msg}",
            ) {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done as u64);
        bar.set_message(name.to_string());
    }

    /// A spinner with a message for a stage without a count.
    fn stage(&mut self, msg: &'static str) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
        if !self.show || self.started.elapsed() < Self::MOMENT {
            return;
        }
        let b = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            b.set_style(style);
        }
        b.set_message(msg);
        b.enable_steady_tick(std::time::Duration::from_millis(100));
        self.bar = Some(b);
    }

    fn clear(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

fn run(work: PathBuf, mut ov: Overrides, force: bool, quiet: bool, timings: bool) -> ExitCode {
    // A quarter or a year: the 季度评比 / 年度评比 from the history.
    if let Some(span) = ov.period.as_deref().and_then(diaodu::periodic::Span::parse) {
        ov.period = Some(span.last().to_string());
        return run_span(work, ov, span, force);
    }
    let mut config = match Config::load(&work, &ov, today()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    config.child_exe = exe();
    let out_path = config.out.join(diaodu::report::output_name(config.period));
    if out_path.exists() && !force {
        return fail(format!(
            "{} 已存在,未覆盖:如需重新生成,请加 --force,或先把旧文件移走",
            out_path.display()
        ));
    }
    let mut bar = Progress::new(!quiet && std::io::stderr().is_terminal());
    let batch = diaodu::pipeline::run_with_progress(config, &mut |d, t, n| bar.file(d, t, n));
    let mut batch = match batch {
        Ok(b) => b,
        Err(e) => {
            bar.clear();
            return fail(e);
        }
    };
    bar.stage("计算指标、排名和预警");
    let t = std::time::Instant::now();
    let a = diaodu::pipeline::judge(&mut batch);
    batch.timings.add("metrics", t.elapsed());
    let a = match a {
        Ok(a) => a,
        Err(e) => {
            bar.clear();
            return fail(e);
        }
    };
    bar.stage("写出工作簿");
    let run_time = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    let t = std::time::Instant::now();
    let written = diaodu::pipeline::write_outputs(&batch, &a, &run_time, force);
    batch.timings.add("write", t.elapsed());
    bar.clear();
    print!("{}", diaodu::summary::run_summary(&batch));
    print!("{}", diaodu::summary::assessment_summary(&batch, &a));
    let code = match written {
        Ok(p) => {
            println!("已写出:{}", p.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    };
    if timings {
        eprint!("{}", batch.timings.table());
    }
    code
}

fn run_span(work: PathBuf, ov: Overrides, span: diaodu::periodic::Span, force: bool) -> ExitCode {
    let mut config = match Config::load(&work, &ov, today()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    config.child_exe = exe();
    let run_time = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    match diaodu::periodic::write_span(&config, span, &run_time, force) {
        Ok((path, rows, roster, warnings)) => {
            println!("diaodu {} · {}", span.title(), span.cn());
            for w in &warnings {
                println!("  [警告] {w}");
            }
            let mut ranked: Vec<_> = rows.iter().filter(|r| r.rank_all.is_some()).collect();
            ranked.sort_by_key(|r| (r.rank_all, r.unit));
            for r in ranked {
                println!(
                    "  {:>3}  {}  平均得分 {:.2}{}",
                    r.rank_all.unwrap_or(0),
                    roster.units[r.unit].name,
                    r.average.unwrap_or(0.0),
                    if r.veto > 0 { "  一票否决" } else { "" }
                );
            }
            println!("已写出:{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn check(files: Vec<PathBuf>, period: Option<String>, roster: Option<PathBuf>) -> ExitCode {
    let period = match period {
        Some(p) => match Period::parse(&p) {
            Some(p) => p,
            None => {
                return fail(format!(
                    "报告期 \"{p}\" 格式不对:请写成 YYYY-MM,例如 2026-05"
                ))
            }
        },
        None => Period::before(today()),
    };
    let guard = Guard {
        limits: Default::default(),
        child_exe: exe(),
    };
    let roster = match roster {
        Some(p) => match read_roster(&p, &guard) {
            Ok((r, _)) => Some(r),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let report = match diaodu::check::check_files(&files, period, &guard, roster.as_ref()) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    println!("报表自查 · 报告期 {}", period.cn());
    for (name, rows, status) in &report.files {
        println!(
            "  {name}:{},重点项目 {} 行,节点计划 {} 行,招商引资 {} 行",
            status.cn(),
            rows[0],
            rows[1],
            rows[2]
        );
    }
    let shown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info || f.code == diaodu::Code::HeaderUnknownColumn)
        .collect();
    if shown.is_empty() {
        println!("没有发现问题,可以报送。");
    } else {
        for f in &shown {
            println!("{}", f.one_line());
        }
    }
    let errors = report.errors();
    if errors > 0 {
        println!("发现 {errors} 处错误:请逐条改正后再报送(有错误的行不会被汇总)。");
        ExitCode::from(1)
    } else {
        if !shown.is_empty() {
            println!("没有错误;以上警告请核实。");
        }
        ExitCode::SUCCESS
    }
}
