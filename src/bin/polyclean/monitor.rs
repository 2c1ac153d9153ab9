//! What the operator sees while a run works: messages on stderr (plain text, or JSON lines
//! with `--log-format json`), a progress bar on a terminal, and a clean stop on SIGINT/SIGTERM.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use polyclean::config::LogFormat;
use polyclean::read::Issue;
use polyclean::{Monitor, RunStats};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Send every message (tracing events) to stderr in `format`.
pub fn init_logging(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO);
    // A second call (tests in one process) keeps the first subscriber: `try_init` then fails.
    let _ = match format {
        LogFormat::Text => builder.event_format(PlainText).try_init(),
        LogFormat::Json => builder.json().with_current_span(false).try_init(),
    };
}

/// Plain text: `polyclean: <kind>: <message>`, the shape ripgrep and coreutils use.
struct PlainText;

impl<S, N> FormatEvent<S, N> for PlainText
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let mut visitor = TextFields::default();
        event.record(&mut visitor);
        match visitor.kind {
            Some(kind) => writeln!(writer, "polyclean: {kind}: {}", visitor.message),
            None => writeln!(writer, "{}", visitor.message),
        }
    }
}

/// The `message` and `kind` fields of an event; other fields are for JSON logs.
#[derive(Default)]
struct TextFields {
    message: String,
    kind: Option<String>,
}

impl tracing::field::Visit for TextFields {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "kind" {
            self.kind = Some(value.to_string());
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

/// A skipped input or record, or a warning.
pub fn log_issue(issue: &Issue) {
    let kind = if issue.skipped { "skipped" } else { "warning" };
    tracing::warn!(kind, location = %issue.location, "{issue}");
}

/// A warning that is not about one input.
pub fn log_warning(message: &str) {
    tracing::warn!(kind = "warning", "{message}");
}

/// Something the operator may want to know, that is not a problem.
pub fn log_note(message: &str) {
    tracing::info!(kind = "note", "{message}");
}

/// The fatal error that ends the run.
pub fn log_error(message: &str) {
    tracing::error!(kind = "error", "{message}");
}

/// The end-of-run summary: several lines in text, one event with the figures in JSON.
pub fn log_summary(stats: &RunStats) {
    let text = stats.to_string();
    tracing::info!(
        documents = stats.documents,
        paragraphs = stats.paragraphs,
        kept = stats.kept,
        dropped = stats.dropped_total(),
        bytes_in = stats.bytes_in,
        skipped = stats.skipped,
        warnings = stats.warnings,
        seconds = stats.elapsed.as_secs_f64(),
        "{}",
        text.trim_end()
    );
}

/// The signal that asked the run to stop (0: none yet), set by the signal handlers.
#[derive(Clone)]
pub struct StopSignal(Arc<AtomicUsize>);

impl StopSignal {
    /// Catch SIGINT and SIGTERM: the first one asks the run to stop cleanly; a second
    /// SIGINT/SIGTERM while stopping ends the process at once (exit 1).
    pub fn install() -> Result<StopSignal> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let received = Arc::new(AtomicUsize::new(0));
        let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM] {
            // Registered first, so it sees `stopping` before this signal sets it.
            signal_hook::flag::register_conditional_shutdown(signal, 1, stopping.clone())
                .context("cannot install the signal handlers")?;
            signal_hook::flag::register(signal, stopping.clone())
                .context("cannot install the signal handlers")?;
            signal_hook::flag::register_usize(signal, received.clone(), signal as usize)
                .context("cannot install the signal handlers")?;
        }
        Ok(StopSignal(received))
    }

    /// The signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            signal => i32::try_from(signal).ok(),
        }
    }
}

/// The CLI's [`Monitor`]: logs issues, draws the progress bar, relays stop requests.
pub struct RunMonitor {
    stop: StopSignal,
    bar: Option<ProgressBar>,
    documents: usize,
}

impl RunMonitor {
    /// A monitor; the bar is drawn only when `progress` and stderr is a terminal.
    pub fn new(stop: StopSignal, progress: bool) -> RunMonitor {
        let bar = (progress && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed_precise}  {msg} documents  {decimal_bytes}  {decimal_bytes_per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_message("0");
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        RunMonitor {
            stop,
            bar,
            documents: 0,
        }
    }

    /// Remove the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Monitor for RunMonitor {
    fn issue(&mut self, issue: &Issue) {
        match &self.bar {
            Some(bar) => bar.suspend(|| log_issue(issue)),
            None => log_issue(issue),
        }
    }

    fn progress(&mut self, documents: usize, bytes: usize) {
        self.documents += documents;
        if let Some(bar) = &self.bar {
            bar.inc(bytes as u64);
            bar.set_message(self.documents.to_string());
        }
    }

    fn stop_requested(&self) -> bool {
        self.stop.received().is_some()
    }
}
