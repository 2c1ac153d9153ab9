//! The `polyclean` command: a thin layer over the library.
//!
//! Exit codes: 0 all good; 1 fatal error, nothing written; 2 usage error;
//! 3 finished, but some inputs or records were skipped; 4 the output is locked by another run.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use polyclean::boilerplate::{Reason, RuleFile};
use polyclean::lang::{parse_code, LangConfig, LanguageDetector};
use polyclean::normalize::UnicodeForm;
use polyclean::read::{self, InputFormat, Issue, ReadOptions, Reader};
use polyclean::write::{
    self, Compression, Destination, ExplainWriter, Format, LockError, OutputLock, OutputOptions,
    PredictionWriter, RejectedWriter, Sink, SplitByLang, Tee,
};
use polyclean::{BatchLimits, Config, Pipeline, UserConfig};
use rayon::prelude::*;

const EXIT_FATAL: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_SKIPPED: u8 = 3;
const EXIT_LOCKED: u8 = 4;

#[derive(Parser)]
#[command(
    name = "polyclean",
    version,
    about = "Clean scraped multilingual web text into language-tagged JSONL/CSV"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean inputs (files, directories, `-` for stdin) into one JSONL or CSV output.
    Run(RunArgs),
    /// Show every paragraph of the inputs with its verdict, language, reason and evidence.
    Explain(ExplainArgs),
    /// List the boilerplate rules: reason codes, then every rule with its file and phrases.
    Rules(RulesArgs),
    /// Detect the language of every record (each one a paragraph): JSONL predictions with
    /// the language, confidence, and language spans (code-point offsets).
    Detect(DetectArgs),
}

#[derive(Args)]
struct DetectArgs {
    /// Input files, directories or `-` for stdin, read as by `run`.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (`-` for stdout).
    #[arg(short, long)]
    output: PathBuf,
    /// Candidate languages, ISO 639-1 or 639-3, comma-separated (e.g. `fr,en,es`); default all.
    #[arg(long, value_delimiter = ',')]
    langs: Vec<String>,
    /// Write ISO 639-3 codes (`fra`, whatlang's) instead of ISO 639-1 (`fr`).
    #[arg(long = "iso-639-3")]
    iso_639_3: bool,
    #[command(flatten)]
    input: InputArgs,
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).args(["output", "split_by_lang"])))]
struct RunArgs {
    /// Input files, directories (walked recursively, in path order) or `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (`-` for stdout); written to a temporary file and renamed when complete.
    /// `.gz` / `.zst` at the end compress it (`out.jsonl.zst`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// One output per document language in DIR: `fr.jsonl`, `en.jsonl`, `und.jsonl`
    /// (undetermined). DIR is created if missing; its parent must exist.
    #[arg(long, value_name = "DIR", conflicts_with = "format")]
    split_by_lang: Option<PathBuf>,
    /// Format of the `--split-by-lang` files.
    #[arg(long, value_enum, default_value_t = SplitFormat::Jsonl, requires = "split_by_lang")]
    split_format: SplitFormat,
    /// Output format; by default from the output's extension (`.csv`, `.csv.gz` → csv, else jsonl).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSV: prefix `'` to every cell that starts with `=`, `+`, `-`, `@`, tab or carriage
    /// return, so spreadsheets show it as text instead of running it as a formula.
    #[arg(long)]
    csv_neutralize_formulas: bool,
    /// Also write every dropped paragraph (doc id, index, reason, evidence, text) as JSONL here
    /// (`.gz` / `.zst` compress it).
    #[arg(long)]
    rejected: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    exec: ExecArgs,
}

#[derive(Args)]
struct ExplainArgs {
    /// Input files, directories or `-` for stdin, read as by `run`.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Show whole paragraphs instead of their first 110 characters.
    #[arg(long)]
    full: bool,
    /// Colours: `auto` (when stdout is a terminal and NO_COLOR is unset), `always`, `never`.
    #[arg(long, value_enum, default_value_t = ColourChoice::Auto)]
    colour: ColourChoice,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    exec: ExecArgs,
}

/// `--split-format`: layout and compression of the per-language files.
#[derive(Clone, Copy, clap::ValueEnum)]
enum SplitFormat {
    Jsonl,
    #[value(name = "jsonl.gz")]
    JsonlGz,
    #[value(name = "jsonl.zst")]
    JsonlZst,
    Csv,
    #[value(name = "csv.gz")]
    CsvGz,
    #[value(name = "csv.zst")]
    CsvZst,
}

impl SplitFormat {
    fn options(self, neutralize_formulas: bool) -> OutputOptions {
        let (format, compression) = match self {
            SplitFormat::Jsonl => (Format::Jsonl, Compression::None),
            SplitFormat::JsonlGz => (Format::Jsonl, Compression::Gzip),
            SplitFormat::JsonlZst => (Format::Jsonl, Compression::Zstd),
            SplitFormat::Csv => (Format::Csv, Compression::None),
            SplitFormat::CsvGz => (Format::Csv, Compression::Gzip),
            SplitFormat::CsvZst => (Format::Csv, Compression::Zstd),
        };
        OutputOptions {
            format,
            compression,
            neutralize_formulas,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ColourChoice {
    Auto,
    Always,
    Never,
}

/// How inputs are read (shared by `run` and `explain`).
#[derive(Args)]
struct InputArgs {
    /// Input layout; `auto` goes by extension (.jsonl/.ndjson, .csv, anything else is text).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input_format: InputFormat,
    /// JSONL field / CSV column holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// JSONL field / CSV column holding the document id (default when absent: `<file>:<line>`).
    #[arg(long, default_value = "id")]
    id_field: String,
}

/// What the pipeline does (shared by `run` and `explain`).
#[derive(Args)]
struct PipelineArgs {
    /// Candidate languages, ISO 639-1 or 639-3, comma-separated (e.g. `fr,en,es`); default all.
    #[arg(long, value_delimiter = ',')]
    langs: Vec<String>,
    /// Keep only content in these languages (e.g. `fr`); paragraphs in others are dropped with
    /// reason `language`. Mixed paragraphs count by their main language.
    #[arg(long, value_delimiter = ',', value_name = "LANGS")]
    keep_langs: Vec<String>,
    /// Unicode normalization form.
    #[arg(long, value_enum, default_value_t = UnicodeForm::Nfc)]
    unicode: UnicodeForm,
    /// Extra rule file(s) in the format of `rules/*.toml`, applied after the built-in rules.
    #[arg(long = "rules", value_name = "FILE")]
    rule_files: Vec<PathBuf>,
    /// Rules only: do not run the content classifier (reason `low_content`).
    #[arg(long)]
    no_classifier: bool,
    /// Drop paragraphs found in at least N documents of the run as `repeated` (site
    /// templates); 0 turns it off. Needs a first pass over the inputs, so not with stdin.
    #[arg(long, value_name = "N", default_value_t = 3)]
    repeated: u32,
    /// Configuration file (TOML): extra rules, rules to disable, classifier settings.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// How the run is executed (shared by `run` and `explain`).
#[derive(Args)]
struct ExecArgs {
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Documents per parallel batch (memory stays bounded by the batch).
    #[arg(long, default_value_t = BatchLimits::default().documents)]
    batch_size: usize,
    /// No summary on stderr (warnings are still printed).
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct RulesArgs {
    #[command(flatten)]
    pipeline: PipelineArgs,
}

/// An error that is the caller's to fix (exit 2), as opposed to a failure (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Explain(args) => explain(args),
        Command::Rules(args) => list_rules(args),
        Command::Detect(args) => detect(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`polyclean rules | head`) is the reader's choice, not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("polyclean: error: {err:#}");
            let code = if err.is::<UsageError>() {
                EXIT_USAGE
            } else if matches!(err.downcast_ref(), Some(LockError::Held { .. })) {
                EXIT_LOCKED
            } else {
                EXIT_FATAL
            };
            ExitCode::from(code)
        }
    }
}

fn run(args: RunArgs) -> Result<u8> {
    if args.rejected.as_ref().is_some_and(|r| r.as_os_str() == "-")
        && args.output.as_ref().is_some_and(|o| o.as_os_str() == "-")
    {
        bail!(UsageError(
            "--rejected and --output cannot both be stdout".into()
        ));
    }
    if args.rejected.is_some() && args.rejected == args.output {
        bail!(UsageError(
            "--rejected and --output name the same file; give the rejected paragraphs their own file".into()
        ));
    }
    // Held until the outputs are committed; dropping them removes the lock files.
    let locks = claim_outputs(&args)?;
    let mut outputs: Vec<PathBuf> = locks.iter().map(|l| l.path().to_path_buf()).collect();
    outputs.extend(args.output.iter().chain(&args.split_by_lang).cloned());
    outputs.extend(args.rejected.iter().cloned());
    let outputs: Vec<Option<&PathBuf>> = outputs.iter().map(Some).collect();
    let open = || match &args.split_by_lang {
        Some(dir) => {
            let options = args.split_format.options(args.csv_neutralize_formulas);
            let split: Box<dyn Sink> = Box::new(SplitByLang::new(dir, options));
            with_rejected(split, args.rejected.as_deref())
        }
        None => {
            let output = args.output.as_deref().unwrap_or(Path::new("-"));
            let mut options = OutputOptions::from_path(output);
            options.format = args.format.unwrap_or(options.format);
            options.neutralize_formulas = args.csv_neutralize_formulas;
            open_sinks(output, &options, args.rejected.as_deref())
        }
    };
    let code = execute(
        &args.inputs,
        &args.input,
        &args.pipeline,
        &args.exec,
        &outputs,
        open,
    )?;
    drop(locks);
    Ok(code)
}

/// Before any work: check the outputs' directories (creating the `--split-by-lang` one), lock
/// every file output, then remove the temporary files killed runs left next to them — safe
/// only now, since the lock means no live run owns them.
fn claim_outputs(args: &RunArgs) -> Result<Vec<OutputLock>> {
    let mut locks = Vec::new();
    if let Some(dir) = &args.split_by_lang {
        write::ensure_split_dir(dir)?;
        let lock = OutputLock::acquire_dir(dir)?;
        note_taken_over(&lock);
        let removed = write::clean_stale_split_temporaries(dir)
            .with_context(|| format!("cannot clean up old temporary files in {}", dir.display()))?;
        note_removed(&removed);
        locks.push(lock);
    }
    for output in args.output.iter().chain(&args.rejected) {
        if !is_lockable(output) {
            continue;
        }
        write::check_output_dir(output)?;
        let lock = OutputLock::acquire(output)?;
        note_taken_over(&lock);
        let removed = write::clean_stale_temporaries(output).with_context(|| {
            format!(
                "cannot clean up old temporary files of {}",
                output.display()
            )
        })?;
        note_removed(&removed);
        locks.push(lock);
    }
    Ok(locks)
}

/// Stdout and existing devices or FIFOs (written in place, never renamed) take no lock.
fn is_lockable(output: &Path) -> bool {
    output.as_os_str() != "-" && std::fs::metadata(output).map_or(true, |m| m.is_file())
}

fn note_taken_over(lock: &OutputLock) {
    if let Some(previous) = lock.taken_over() {
        eprintln!(
            "polyclean: note: {}: taking over the lock of a run that ended without releasing it ({previous})",
            lock.path().display()
        );
    }
}

fn note_removed(removed: &[PathBuf]) {
    for path in removed {
        eprintln!(
            "polyclean: note: removed {}, left by an interrupted run",
            path.display()
        );
    }
}

fn explain(args: ExplainArgs) -> Result<u8> {
    let colour = match args.colour {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let open = || -> Result<Box<dyn Sink>> {
        let dest = Destination::create(Path::new("-")).context("cannot write to stdout")?;
        Ok(Box::new(ExplainWriter::new(dest, colour, args.full)))
    };
    execute(
        &args.inputs,
        &args.input,
        &args.pipeline,
        &args.exec,
        &[],
        open,
    )
}

/// Read `inputs`, run the pipeline and feed the sink `open` creates (after the inputs are
/// listed, so its temporary file is never read as an input); the shared body of `run` and
/// `explain`.
fn execute(
    inputs: &[PathBuf],
    input: &InputArgs,
    pipeline_args: &PipelineArgs,
    exec: &ExecArgs,
    outputs: &[Option<&PathBuf>],
    open: impl FnOnce() -> Result<Box<dyn Sink>>,
) -> Result<u8> {
    let mut pipeline = build_pipeline(pipeline_args)?;
    let (inputs, issues) = read::expand(inputs);
    let inputs = without_outputs(inputs, outputs);
    let options = ReadOptions {
        format: input.input_format,
        text_field: input.text_field.clone(),
        id_field: input.id_field.clone(),
    };
    let limits = BatchLimits {
        documents: exec.batch_size.max(1),
        ..BatchLimits::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(exec.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    if pipeline_args.repeated > 0 {
        if inputs.contains(&read::Input::Stdin) {
            eprintln!("polyclean: warning: stdin cannot be read twice; `repeated` detection is off for this run");
        } else {
            let reader = Reader::new(inputs.clone(), options.clone());
            pool.install(|| pipeline.count_repetition(reader, limits, pipeline_args.repeated));
        }
    }
    let mut sink = open()?;
    let mut report = report_issue;
    let events = issues
        .into_iter()
        .map(read::Event::Issue)
        .chain(Reader::new(inputs, options));
    let stats = pool
        .install(|| pipeline.run(events, sink.as_mut(), limits, &mut report))
        .context("cannot write the output; nothing was written")?;
    sink.finish().context("cannot commit the output")?;
    if !exec.quiet {
        eprint!("{stats}");
    }
    Ok(if stats.skipped > 0 { EXIT_SKIPPED } else { 0 })
}

/// Print a bad input or record on stderr: `polyclean: skipped: file:line: what is wrong`.
fn report_issue(issue: &Issue) {
    let kind = if issue.skipped { "skipped" } else { "warning" };
    eprintln!("polyclean: {kind}: {issue}");
}

/// `polyclean detect`: the language stage alone, on whole records, in parallel batches.
fn detect(args: DetectArgs) -> Result<u8> {
    let detector = LanguageDetector::new(LangConfig {
        candidates: parse_langs(&args.langs)?,
        guess_short_texts: true,
        ..LangConfig::default()
    });
    let (inputs, issues) = read::expand(&args.inputs);
    let inputs = without_outputs(inputs, &[Some(&args.output)]);
    let options = ReadOptions {
        format: args.input.input_format,
        text_field: args.input.text_field.clone(),
        id_field: args.input.id_field.clone(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let dest = Destination::create(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let mut writer = PredictionWriter::new(dest, args.iso_639_3);
    let mut skipped = 0;
    let mut events = issues
        .into_iter()
        .map(read::Event::Issue)
        .chain(Reader::new(inputs, options))
        .peekable();
    while events.peek().is_some() {
        let mut batch = Vec::with_capacity(DETECT_BATCH);
        for event in events.by_ref().take(DETECT_BATCH) {
            match event {
                read::Event::Document(doc) => batch.push(doc),
                read::Event::Issue(issue) => {
                    skipped += usize::from(issue.skipped);
                    report_issue(&issue);
                }
            }
        }
        let analyses: Vec<_> =
            pool.install(|| batch.par_iter().map(|d| detector.analyse(&d.raw)).collect());
        for (doc, analysis) in batch.iter().zip(&analyses) {
            writer
                .write(&doc.id, &doc.raw, analysis)
                .context("cannot write the predictions; nothing was written")?;
        }
    }
    writer.finish().context("cannot commit the output")?;
    Ok(if skipped > 0 { EXIT_SKIPPED } else { 0 })
}

/// Records per parallel batch of `detect`.
const DETECT_BATCH: usize = 1024;

fn build_pipeline(args: &PipelineArgs) -> Result<Pipeline> {
    let user = match &args.config {
        Some(path) => UserConfig::load(path).map_err(|e| UsageError(e.to_string()))?,
        None => UserConfig::default(),
    };
    let mut extra_rules = load_rule_files(&args.rule_files)?;
    if let Some(path) = &args.config {
        extra_rules.extend(user.rule_files(&path.display().to_string()));
    }
    let config = Config {
        unicode_form: args.unicode,
        lang: LangConfig {
            candidates: parse_langs(&args.langs)?,
            ..LangConfig::default()
        },
        extra_rules,
        no_classifier: args.no_classifier,
        disable: user.disable,
        classifier: user.classifier,
        keep_langs: output_codes(if args.keep_langs.is_empty() {
            &user.keep_langs
        } else {
            &args.keep_langs
        })?,
    };
    Ok(Pipeline::new(config).map_err(|e| UsageError(e.to_string()))?)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// `--keep-langs` codes as the output spells them (`fra` → `fr`).
fn output_codes(codes: &[String]) -> Result<Vec<String>> {
    Ok(parse_lang_list("--keep-langs", codes)?
        .into_iter()
        .map(|l| polyclean::lang::output_code(l).to_string())
        .collect())
}

fn parse_langs(codes: &[String]) -> Result<Vec<whatlang::Lang>> {
    parse_lang_list("--langs", codes)
}

fn parse_lang_list(flag: &str, codes: &[String]) -> Result<Vec<whatlang::Lang>> {
    codes
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| {
            parse_code(c).ok_or_else(|| {
                UsageError(format!(
                    "{flag}: unknown language `{c}`; use ISO 639-1 or 639-3 codes known to whatlang, e.g. fr,en,es"
                ))
                .into()
            })
        })
        .collect()
}

fn load_rule_files(paths: &[PathBuf]) -> Result<Vec<(String, RuleFile)>> {
    paths
        .iter()
        .map(|p| {
            let file = RuleFile::load(p).map_err(|e| UsageError(e.to_string()))?;
            Ok((p.display().to_string(), file))
        })
        .collect()
}

/// Drop inputs that are the run's own outputs (a previous run's file in an input folder).
fn without_outputs(inputs: Vec<read::Input>, outputs: &[Option<&PathBuf>]) -> Vec<read::Input> {
    let outputs: Vec<PathBuf> = outputs
        .iter()
        .flatten()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    inputs
        .into_iter()
        .filter(|input| match input {
            read::Input::File(p) => {
                // `starts_with`: a directory output (--split-by-lang) covers what is inside it.
                let is_output = p
                    .canonicalize()
                    .is_ok_and(|c| outputs.iter().any(|o| c.starts_with(o)));
                if is_output {
                    eprintln!(
                        "polyclean: warning: {}: is an output of this run; not read",
                        p.display()
                    );
                }
                !is_output
            }
            read::Input::Stdin => true,
        })
        .collect()
}

fn open_sinks(
    output: &Path,
    options: &OutputOptions,
    rejected: Option<&Path>,
) -> Result<Box<dyn Sink>> {
    let main = write::open(output, options)
        .with_context(|| format!("cannot create {}", output.display()))?;
    with_rejected(main, rejected)
}

/// `main`, plus the `--rejected` file when asked for (compressed as its extension says).
fn with_rejected(main: Box<dyn Sink>, rejected: Option<&Path>) -> Result<Box<dyn Sink>> {
    let Some(rejected) = rejected else {
        return Ok(main);
    };
    let dest = Destination::create(rejected)
        .and_then(|d| write::Output::new(d, Compression::from_path(rejected)))
        .with_context(|| format!("cannot create {}", rejected.display()))?;
    Ok(Box::new(Tee(vec![
        main,
        Box::new(RejectedWriter::new(dest)),
    ])))
}

fn list_rules(args: RulesArgs) -> Result<u8> {
    let pipeline = build_pipeline(&args.pipeline)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Reasons (in precedence order):")?;
    for reason in Reason::ALL {
        writeln!(out, "  {:<16} {}", reason.as_str(), reason.description())?;
    }
    writeln!(
        out,
        "\nRules (id, language, match, phrases, limits — note):"
    )?;
    for rule in pipeline.boilerplate().rules().rules() {
        let r = &rule.rule;
        let max_words = r
            .max_words
            .map_or(String::new(), |m| format!(", max {m} words"));
        let tail = if r.marks_tail {
            ", opens comment section"
        } else {
            ""
        };
        let zone = if r.zone == polyclean::boilerplate::Zone::Tail {
            ", tail only"
        } else {
            ""
        };
        writeln!(
            out,
            "  {:<26} {:<3} {:<9} {:>3} phrases{max_words}{zone}{tail}  — {}",
            rule.id,
            rule.lang,
            r.kind.as_str(),
            r.phrases.len(),
            r.note
        )?;
    }
    Ok(0)
}
