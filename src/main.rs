//! The diaodu command line: thin — parse arguments, call the library, print.

use clap::{Parser, Subcommand};
use diaodu::config::{Config, Overrides, Period};
use diaodu::finding::Severity;
use diaodu::ingest::workbook::{self, CappedAlloc, Guard};
use diaodu::pipeline::{Month, Step};
use diaodu::roster::read_roster;
use diaodu::Error;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Counts live heap bytes; a child reading a legacy file arms a cap on it so a
/// hostile file cannot take the machine's memory (it only aborts the child).
#[global_allocator]
static GLOBAL: CappedAlloc = CappedAlloc;

/// Linux only: no transparent huge pages for this process. The allocator
/// asks for them, and each is zeroed whole (2 MiB) at its first touch: at
/// 2000 units that cost 1.7 s of system time and 60 MB of peak memory
/// (BENCHMARKS.md). Inherited by the read child.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process;
    // on an older kernel it fails harmlessly (EINVAL).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

const ABOUT: &str =
    "调度 diaodu:把各乡镇、部门每月报送的重点项目和招商引资报表汇总成一本调度通报工作簿";

const LONG_ABOUT: &str = "\
调度 diaodu:把各乡镇、部门每月报送的重点项目和招商引资报表汇总成一本调度通报工作簿。

工作目录(每月沿用同一个文件夹):
  diaodu.toml   配置:报告期、名册和收件文件夹位置、读取安全上限(均可省略)
  roster.xlsx   单位名册:单位名称、单位类别(乡镇/部门)、包抓领导、年度投资目标(万元)、
                年度招商引资目标(万元)、别名
  inbox/        各单位报送的 .xlsx / .xls / .ods 文件,直接放进来即可
  out/          输出:调度通报_YYYY-MM.xlsx 和同名的 .json 运行报告

常用:
  diaodu run 工作目录                     按 diaodu.toml 汇总(无配置时报告期为上个月)
  diaodu run 工作目录 --period 2026-05    指定报告期
  diaodu check 报表.xlsx                  报送前自查一份报表
  diaodu inspect 报表.xlsx                查看本单位自己的表格各列被读成什么、缺什么
  diaodu verify 工作目录 --period 2026-05 核对收件文件夹是否仍是生成该月通报的文件

退出码:0 成功(run:工作簿已写出,即使有数据问题;check:没有错误);
        1 check 发现错误,verify 发现差异;2 无法运行(参数、名册、文件夹有误,
        或另一个汇总正在使用同一工作目录)。";

const TEMPLATE_HELP: &str = "\
按单位名册为每个单位生成一份下月填报的报表,写到工作目录的 templates/<月份>/ 下,
文件名如 城关镇_2026年06月报表.xlsx。

每份报表有「重点项目」「节点计划」「招商引资」三张表和一张「填报说明」:
  - 第 1 行标题,第 2 行已填好填报单位,留出填报日期,第 3 行是标准表头;
  - 项目类别、进展阶段、资金来源、责任单位、引资单位为下拉选择(单位取自名册);
  - 金额、工程量只能填不小于 0 的数字,日期只能填 2000-01-01 至 2100-12-31 的日期;
  - 表头锁定(无密码),填写区可自由填写、插入或删除行;
  - 「填报说明」逐列说明填写内容、是否必填和校验规则,以及文件命名和报送方式。
有历史数据时,各单位上月的项目、节点和招商项目会预填(编号、名称、类别、计划、日期),
本月数字留空;没有历史数据时生成空白报表。

月份默认为工作目录报告期(diaodu.toml 的 period,未设置时为上个月)的下一个月。
已有同名文件时不覆盖,除非加 --force。

diaodu template --blank [--out 文件夹] 只生成不带单位的空白报表模板 报表模板.xlsx
和空白单位名册 roster.xlsx(默认写到当前目录的 templates/)。

退出码:0 已生成;2 无法生成(名册、参数有误,或文件已存在)。";

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
        /// 按这份 forms.toml 的对照读取本单位自己的表格(默认:不用)
        #[arg(long)]
        forms: Option<PathBuf>,
    },
    /// 查看一份报表的各列被读成什么、缺少什么,并给出 forms.toml 对照草稿
    #[command(long_about = "\
逐个工作表列出找到的表头、每一列对应的栏目(以及依据:内置表头、期间表头、forms.toml)
或不使用的原因、表中缺少的栏目及其影响(如没有计划开工日期:不判定逾期未开工),
并为没有识别的列给出可复制到工作目录 forms.toml 的 [headers.*] 对照草稿(猜测写在 # 后)。

用法:先 inspect 本单位的报表,再写 forms.toml,然后 run。

退出码:0 已列出;2 文件无法读取(或参数有误)。")]
    Inspect {
        /// 要查看的报表文件
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 报告期,YYYY-MM(默认上个月),用于识别\"5月完成投资\"这类表头
        #[arg(long)]
        period: Option<String>,
        /// 按这份 forms.toml 的对照读取(默认:不用)
        #[arg(long)]
        forms: Option<PathBuf>,
    },
    /// 核对收件文件夹是否仍是生成某月通报时的那些文件
    #[command(long_about = "\
读取输出文件夹中该月的运行报告(调度通报_YYYY-MM.json),逐个比对收件文件夹中现有文件的
名称和 SHA-256 以及单位名册:列出新增、缺少和内容已变的文件。

退出码:0 完全一致,1 有差异,2 无法核对(如该月尚未汇总、运行报告不存在)。")]
    Verify {
        /// 工作目录(含 diaodu.toml、inbox/、out/)
        work: PathBuf,
        /// 报告期,YYYY-MM(默认同 run:diaodu.toml 中的报告期或上个月)
        #[arg(long)]
        period: Option<String>,
    },
    /// 生成各单位下月填报的报表模板(含下拉列表、输入校验和填报说明)
    #[command(long_about = TEMPLATE_HELP)]
    Template {
        /// 工作目录(含 diaodu.toml、roster.xlsx);用 --blank 时可省略
        #[arg(required_unless_present = "blank")]
        work: Option<PathBuf>,
        /// 报表所属月份,YYYY-MM,例如 2026-06(默认:工作目录报告期的下一个月)
        #[arg(long, conflicts_with = "blank")]
        period: Option<String>,
        /// 单位名册文件(默认按 diaodu.toml,即工作目录下的 roster.xlsx)
        #[arg(long, conflicts_with = "blank")]
        roster: Option<PathBuf>,
        /// 输出文件夹(默认:工作目录下的 templates/<月份>/;用 --blank 时为
        /// 工作目录下的 templates/,不给工作目录时为当前目录的 templates/)
        #[arg(long)]
        out: Option<PathBuf>,
        /// 覆盖已存在的报表文件
        #[arg(long)]
        force: bool,
        /// 只生成空白报表模板(报表模板.xlsx)和空白单位名册(roster.xlsx)
        #[arg(long)]
        blank: bool,
    },
}

fn exe() -> Option<PathBuf> {
    std::env::current_exe().ok()
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn main() -> ExitCode {
    no_huge_pages();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // Readers keep the allocator's default purge delay: a worker's memory is capped and
    // it has ended before the outputs are written, where the run's peak is; returning
    // each file's memory at once cost it page faults on every file.
    if args.first().map(String::as_str) == Some(workbook::WORKER_ARG) {
        return ExitCode::from(workbook::worker_main().clamp(0, 255) as u8);
    }
    if args.first().map(String::as_str) == Some(workbook::CHILD_ARG) {
        return ExitCode::from(workbook::child_main(&args[1..]).clamp(0, 255) as u8);
    }
    diaodu::memplan::purge_at_once();
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
            forms,
        } => check(files, period, roster, forms),
        Cmd::Verify { work, period } => verify(work, period),
        Cmd::Inspect {
            files,
            period,
            forms,
        } => inspect(files, period, forms),
        Cmd::Template {
            work,
            period,
            roster,
            out,
            force,
            blank,
        } => template(work, period, roster, out, force, blank),
    }
}

/// What stopped the command, on stderr, and its exit code.
fn fail(e: Error) -> ExitCode {
    eprintln!("{}", e.line());
    ExitCode::from(e.exit_code())
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
    let _lock = match hold_work_folder(&work) {
        Ok(l) => l,
        Err(code) => return code,
    };
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
    let mut bar = Progress::new(!quiet && std::io::stderr().is_terminal());
    let run_time = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    diaodu::memplan::before_run();
    let month = diaodu::pipeline::run_month(config, force, &run_time, &mut |step| {
        diaodu::memplan::on_step(&step);
        match step {
            Step::File { done, total, name } => bar.file(done, total, name),
            other => bar.stage(other.cn()),
        }
    });
    bar.clear();
    let Month {
        batch,
        assessment: a,
        written,
    } = match month {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    print!("{}", diaodu::summary::run_summary(&batch));
    print!("{}", diaodu::summary::assessment_summary(&batch, &a));
    let code = match written {
        Ok(w) => {
            println!("已写出:{}", w.workbook.display());
            println!(
                "已写出:{}",
                diaodu::runreport::json_path(&batch.config).display()
            );
            println!("已写出:{}", diaodu::report::notice::path(&batch).display());
            for n in &w.notes {
                println!("提示:{n}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    };
    if timings {
        eprint!("{}", batch.timings.table());
    }
    // The process ends here: its memory goes back whole. Freeing the merged
    // rows one by one first (hundreds of thousands of them at a province's
    // scale) would only delay the exit.
    std::mem::forget(a);
    std::mem::forget(batch);
    code
}

/// One run at a time per work folder: wait briefly for another run, else exit 2
/// saying who holds it. A folder that does not exist is left to the config's message.
fn hold_work_folder(work: &std::path::Path) -> Result<Option<diaodu::lock::Lock>, ExitCode> {
    if !work.is_dir() {
        return Ok(None);
    }
    diaodu::lock::acquire(work, diaodu::lock::DEFAULT_WAIT)
        .map(Some)
        .map_err(|e| fail(e.into()))
}

fn verify(work: PathBuf, period: Option<String>) -> ExitCode {
    let ov = Overrides {
        period,
        ..Default::default()
    };
    let config = match Config::load(&work, &ov, today()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let v = match diaodu::verify::verify(&config) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    println!(
        "核对 {} 的调度通报:{}(运行于 {},{} 个报送文件)",
        config.period.cn(),
        v.report.display(),
        v.generated_at,
        v.files
    );
    for (what, list) in [
        ("新增(汇总后才放入)", &v.added),
        ("缺少(汇总时有,现已不在)", &v.removed),
        ("内容已变(SHA-256 不同)", &v.changed),
    ] {
        for f in list {
            println!("  {what}:{f}");
        }
    }
    if v.roster_changed {
        println!("  单位名册内容已变:{}", config.roster.display());
    }
    if v.same() {
        println!("一致:收件文件夹中的文件与生成该通报时完全相同。");
        ExitCode::SUCCESS
    } else {
        println!(
            "不一致:{} 个新增,{} 个缺少,{} 个内容已变{}。如需按现有文件重新汇总,请运行 diaodu run --force。",
            v.added.len(),
            v.removed.len(),
            v.changed.len(),
            if v.roster_changed { ",名册已变" } else { "" }
        );
        ExitCode::from(1)
    }
}

fn run_span(work: PathBuf, ov: Overrides, span: diaodu::periodic::Span, force: bool) -> ExitCode {
    let mut config = match Config::load(&work, &ov, today()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    config.child_exe = exe();
    let run_time = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    match diaodu::pipeline::write_span(&config, span, &run_time, force) {
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

fn inspect(files: Vec<PathBuf>, period: Option<String>, forms: Option<PathBuf>) -> ExitCode {
    let period = match period {
        Some(p) => match Period::parse(&p) {
            Some(p) => p,
            None => {
                return fail(Error::Config(format!(
                    "报告期 \"{p}\" 格式不对:请写成 YYYY-MM,例如 2026-05"
                )))
            }
        },
        None => Period::before(today()),
    };
    let words = match forms_words(forms) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let guard = Guard {
        limits: Default::default(),
        child_exe: exe(),
    };
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for f in &files {
        match diaodu::inspect::inspect_file(f, &guard, period, &words, 15) {
            // A closed pipe (`| head`) ends the listing quietly.
            Ok(text) => {
                use std::io::Write;
                if writeln!(out, "{text}").is_err() {
                    return ExitCode::SUCCESS;
                }
            }
            Err(e) => {
                eprintln!("{}", e.line());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The office's words of `--forms`, or none.
fn forms_words(forms: Option<PathBuf>) -> Result<diaodu::formwords::FormWords, Error> {
    match forms {
        Some(p) => match std::fs::read_to_string(&p) {
            Ok(text) => diaodu::formwords::FormWords::parse(&text)
                .map_err(|e| e.map_message(|m| format!("{} 有误:{m}", p.display()))),
            Err(e) => Err(Error::Config(format!("无法读取 {}:{e}", p.display()))),
        },
        None => Ok(Default::default()),
    }
}

fn check(
    files: Vec<PathBuf>,
    period: Option<String>,
    roster: Option<PathBuf>,
    forms: Option<PathBuf>,
) -> ExitCode {
    let words = match forms_words(forms) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let period = match period {
        Some(p) => match Period::parse(&p) {
            Some(p) => p,
            None => {
                return fail(Error::Config(format!(
                    "报告期 \"{p}\" 格式不对:请写成 YYYY-MM,例如 2026-05"
                )))
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
            Ok((mut r, _)) => {
                // forms.toml's unit names stand for roster units here too.
                if let Err(e) = diaodu::pipeline::add_office_names(&mut r, &words) {
                    return fail(e);
                }
                Some(r)
            }
            Err(e) => return fail(e),
        },
        None => None,
    };
    let report =
        match diaodu::check::check_files_with(&files, period, &guard, roster.as_ref(), &words) {
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

fn template(
    work: Option<PathBuf>,
    period: Option<String>,
    roster: Option<PathBuf>,
    out: Option<PathBuf>,
    force: bool,
    blank: bool,
) -> ExitCode {
    use diaodu::template;
    if blank {
        let dir = out.unwrap_or_else(|| match &work {
            Some(w) => w.join("templates"),
            None => PathBuf::from("templates"),
        });
        return match template::write_blank_templates(&dir, force) {
            Ok(paths) => {
                println!("已生成空白报表模板和空白单位名册,位置:{}", dir.display());
                for p in paths {
                    println!("  {}", p.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    let Some(work) = work else {
        return fail(Error::Config("请给出工作目录".to_string()));
    };
    let ov = Overrides {
        roster,
        ..Default::default()
    };
    let config = match Config::load(&work, &ov, today()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let period = match period {
        Some(p) => match Period::parse(&p) {
            Some(p) => p,
            None => {
                return fail(Error::Config(format!(
                    "月份 \"{p}\" 格式不对:请写成 YYYY-MM,例如 2026-06"
                )))
            }
        },
        None => template::next_period(config.period),
    };
    let guard = Guard {
        limits: config.limits.clone(),
        child_exe: exe(),
    };
    let (roster, roster_findings) = match read_roster(&config.roster, &guard) {
        Ok(r) => r,
        Err(e) => {
            return fail(
                e.map_message(|m| format!("{m}(空白名册可用 diaodu template --blank 生成)")),
            )
        }
    };
    for f in &roster_findings {
        println!("{}", f.one_line());
    }
    let dir = out.unwrap_or_else(|| work.join("templates").join(period.to_string()));
    // The latest month of the history pre-fills the forms; without it they are blank.
    let history = match Config::load(&work, &Overrides::default(), today()) {
        Ok(c) => c.history,
        Err(_) => work.join("history"),
    };
    let (prefill, warning) = diaodu::history::prefill(&history, period);
    if let Some(w) = warning {
        println!("[警告] {w}");
    }
    match template::write_unit_forms(&roster, period, &dir, force, &prefill) {
        Ok(written) => {
            println!(
                "已为 {} 个单位生成 {} 报表,位置:{}",
                written.len(),
                period.cn(),
                dir.display()
            );
            match prefill.from {
                Some(from) => println!("已按 {} 的数据预填项目、节点和招商项目。", from.cn()),
                None => println!("没有历史数据:生成的是空白报表。"),
            }
            for w in &written {
                let name = w.path.file_name().unwrap_or_default().to_string_lossy();
                if w.prefilled.iter().any(|n| *n > 0) {
                    println!(
                        "  {name}(预填 重点项目 {} 行、节点计划 {} 行、招商引资 {} 行)",
                        w.prefilled[0], w.prefilled[1], w.prefilled[2]
                    );
                } else {
                    println!("  {name}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
