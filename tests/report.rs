//! `--report FILE.json|FILE.html` end to end: figures checked by hand on a small run, the
//! HTML page parsed with an HTML5 parser (and rendered by headless Chromium when present).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

// 84 characters, 86 bytes (two `é`).
const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";
// 85 characters, 85 bytes.
const EN: &str =
    "The city council approved next year's budget on Thursday evening after a long debate.";
/// A file name that would inject a script if the report did not escape it.
const HOSTILE_NAME: &str = "a<script>&\".jsonl";

/// A run over two inputs, in this order:
/// - `in.jsonl`: a French record with an ad line (`Publicité`, 9 characters) and a share
///   line (`Partager sur Facebook`, 21 characters), an English record, and a bad line 3;
/// - `a<script>&".jsonl`: one bad line.
///
/// So: 2 inputs, 2 documents, 4 paragraphs, 2 kept (84 and 85 characters), 2 dropped
/// (`ad`, `share`; both too short for their own language, so `fr` from their document),
/// 2 records skipped.
struct SmallRun {
    dir: tempfile::TempDir,
    inputs: [PathBuf; 2],
}

impl SmallRun {
    fn new() -> SmallRun {
        let dir = tempfile::tempdir().expect("tmp");
        let records = dir.path().join("in.jsonl");
        let french = serde_json::json!({
            "id": "fr",
            "text": format!("{FR}\n\nPublicité\n\nPartager sur Facebook"),
        });
        let english = serde_json::json!({"id": "en", "text": EN});
        fs::write(&records, format!("{french}\n{english}\nnot json\n")).expect("write");
        let hostile = dir.path().join(HOSTILE_NAME);
        fs::write(&hostile, "oops\n").expect("write");
        SmallRun {
            dir,
            inputs: [records, hostile],
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `polyclean run INPUTS -o out.jsonl --report REPORT`, classifier and repetition
    /// off so that only the rules decide.
    fn run(&self, report: &Path) -> assert_cmd::assert::Assert {
        polyclean()
            .arg("run")
            .args(&self.inputs)
            .arg("-o")
            .arg(self.path("out.jsonl"))
            .arg("--report")
            .arg(report)
            .args(["--no-classifier", "--repeated", "0"])
            .assert()
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("report exists")).expect("valid JSON")
}

fn usize_of(v: &Value) -> usize {
    v.as_u64().expect("a count") as usize
}

#[test]
fn json_report_figures_match_the_run_counted_by_hand() {
    let run = SmallRun::new();
    let report_path = run.path("report.json");
    // Records were skipped, so exit 3 — and the report is written all the same.
    run.run(&report_path).code(3);
    let r = read_json(&report_path);
    assert_eq!(r["version"], 1);
    assert_eq!(r["tool"]["name"], "polyclean");
    assert_eq!(r["inputs"], 2);
    assert_eq!(r["documents"], 2);
    assert_eq!(r["paragraphs"]["total"], 4);
    assert_eq!(r["paragraphs"]["kept"], 2);
    assert_eq!(r["paragraphs"]["dropped"], 2);
    // 86 + 2 + 10 + 2 + 21 bytes of French record, 85 of English; kept: 86 + 85.
    assert_eq!(r["bytes_in"], 206);
    assert_eq!(r["bytes_out"], 171);

    let reasons = r["dropped_by_reason"].as_object().expect("object");
    assert_eq!(reasons.len(), polyclean::Reason::ALL.len(), "every reason");
    assert_eq!(reasons["ad"], 1);
    assert_eq!(reasons["share"], 1);
    assert_eq!(reasons.values().map(usize_of).sum::<usize>(), 2);

    let langs = &r["paragraph_languages"];
    assert_eq!(langs["fr"], serde_json::json!({"kept": 1, "dropped": 2}));
    assert_eq!(langs["en"], serde_json::json!({"kept": 1, "dropped": 0}));
    assert_eq!(
        r["document_languages"],
        serde_json::json!({"en": 1, "fr": 1})
    );

    let buckets = r["paragraph_lengths"].as_array().expect("array");
    let counts: Vec<(usize, usize)> = buckets
        .iter()
        .map(|b| (usize_of(&b["kept"]), usize_of(&b["dropped"])))
        .collect();
    // 9 → 0–19, 21 → 20–49, 84 and 85 → 50–99.
    assert_eq!(
        counts,
        [(0, 1), (0, 1), (2, 0), (0, 0), (0, 0), (0, 0), (0, 0)]
    );
    assert_eq!(buckets[2]["min_chars"], 50);
    assert_eq!(buckets[2]["max_chars"], 99);
    assert_eq!(buckets[6]["max_chars"], Value::Null);

    let issues = &r["issues"];
    assert_eq!(issues["total"], 2);
    assert_eq!(issues["skipped"], 2);
    assert_eq!(issues["truncated"], false);
    let first = &issues["list"][0];
    assert_eq!(
        first["location"],
        format!("{}:3", run.inputs[0].display()),
        "{first}"
    );
    assert_eq!(first["skipped"], true);

    let started = r["started_at"].as_str().expect("a start time");
    assert!(
        started.len() == 20 && started.ends_with('Z') && started.as_bytes()[10] == b'T',
        "{started}"
    );
    assert!(r["duration_seconds"].as_f64().expect("seconds") > 0.0);
}

#[test]
fn the_report_is_written_atomically_beside_a_complete_output() {
    let run = SmallRun::new();
    run.run(&run.path("report.json")).code(3);
    let mut names: Vec<String> = fs::read_dir(run.dir.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [HOSTILE_NAME, "in.jsonl", "out.jsonl", "report.json"]
    );
}

#[test]
fn an_unknown_report_extension_is_a_usage_error_before_the_run() {
    let run = SmallRun::new();
    run.run(&run.path("report.txt"))
        .code(2)
        .stderr(predicate::str::contains(".json or .html"));
    assert!(!run.path("out.jsonl").exists(), "the run did not start");
}

#[test]
fn a_report_in_a_missing_directory_is_refused_before_the_run() {
    let run = SmallRun::new();
    run.run(&run.path("missing-dir/report.json"))
        .code(1)
        .stderr(predicate::str::contains("missing-dir does not exist"))
        .stderr(predicate::str::contains("mkdir -p"));
    assert!(!run.path("out.jsonl").exists(), "the run did not start");
}

#[test]
fn the_issue_list_is_capped_at_1000_with_the_total_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("bad.jsonl");
    fs::write(&input, "not json\n".repeat(1005)).expect("write");
    let report = dir.path().join("report.json");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out.jsonl"))
        .arg("--report")
        .arg(&report)
        .arg("--quiet")
        .assert()
        .code(3);
    let issues = &read_json(&report)["issues"];
    assert_eq!(issues["total"], 1005);
    assert_eq!(issues["truncated"], true);
    assert_eq!(issues["list"].as_array().expect("list").len(), 1000);
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).expect("valid selector");
    html.select(&selector).collect()
}

fn text_of(element: ElementRef<'_>, css: &str) -> String {
    let selector = Selector::parse(css).expect("valid selector");
    element
        .select(&selector)
        .next()
        .map(|e| e.text().collect())
        .unwrap_or_default()
}

/// `(name, value)` of every bar of the chart `id`.
fn bars(html: &Html, id: &str) -> Vec<(String, String)> {
    select(html, &format!("figure#{id} svg g.bar"))
        .into_iter()
        .map(|g| (text_of(g, "text.name"), text_of(g, "text.value")))
        .collect()
}

#[test]
fn html_report_has_the_charts_and_escapes_file_names() {
    let run = SmallRun::new();
    let report_path = run.path("report.html");
    run.run(&report_path).code(3);
    let page = fs::read_to_string(&report_path).expect("report exists");
    let html = Html::parse_document(&page);

    let title = select(&html, "head > title");
    assert_eq!(title.len(), 1);
    assert!(title[0]
        .text()
        .collect::<String>()
        .starts_with("polyclean run report"));

    for id in ["chart-reasons", "chart-languages", "chart-lengths"] {
        assert_eq!(
            select(&html, &format!("figure#{id} > svg")).len(),
            1,
            "{id}"
        );
    }
    // One bar per reason that dropped something, with its count.
    let mut reasons = bars(&html, "chart-reasons");
    reasons.sort();
    assert_eq!(
        reasons,
        [("ad".into(), "1".into()), ("share".into(), "1".into())]
    );
    // Most paragraphs first: fr (3) before en (1).
    assert_eq!(
        bars(&html, "chart-languages"),
        [
            ("fr".into(), "1 kept · 2 dropped".into()),
            ("en".into(), "1 kept · 0 dropped".into())
        ]
    );
    let lengths = bars(&html, "chart-lengths");
    assert_eq!(lengths.len(), 7);
    assert_eq!(lengths[0], ("0–19".into(), "0 kept · 1 dropped".into()));
    assert_eq!(lengths[2], ("50–99".into(), "2 kept · 0 dropped".into()));
    assert_eq!(lengths[6], ("1000+".into(), "0 kept · 0 dropped".into()));

    let summary = select(&html, "section#summary")[0]
        .text()
        .collect::<String>();
    assert!(summary.contains("Kept2 (50.0%)"), "{summary}");

    // The hostile file name is text in the issue list, and nothing was injected.
    let locations: Vec<String> = select(&html, "table.issues td.location")
        .into_iter()
        .map(|td| td.text().collect())
        .collect();
    assert!(
        locations.contains(&format!("{}:1", run.inputs[1].display())),
        "{locations:?}"
    );
    assert!(
        select(&html, "script").is_empty(),
        "an element was injected"
    );
    assert!(!page.contains(HOSTILE_NAME), "the raw name is in the page");
    assert_self_contained(&html);
}

/// No script, no external resource: no `src`, no `href`, no event handler, no `<link>`.
fn assert_self_contained(html: &Html) {
    assert!(select(html, "link, iframe, img, object, embed").is_empty());
    for element in select(html, "*") {
        for (name, value) in element.value().attrs() {
            assert!(
                name != "src" && name != "href" && !name.starts_with("on"),
                "<{} {name}=\"{value}\">",
                element.value().name()
            );
        }
    }
}

/// When a `chromium` binary is on PATH, render the page headless and check the DOM it
/// builds; otherwise say so and pass (the parser test above is the one that must run).
#[test]
fn html_report_renders_in_headless_chromium_when_available() {
    let Some(chromium) = find_on_path("chromium") else {
        eprintln!("note: no `chromium` on PATH; the headless rendering check is skipped");
        return;
    };
    let run = SmallRun::new();
    let report_path = run.path("report.html");
    run.run(&report_path).code(3);
    let output = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", report_path.display()))
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed: {output:?}");
    let dom = Html::parse_document(&String::from_utf8_lossy(&output.stdout));
    for id in ["chart-reasons", "chart-languages", "chart-lengths"] {
        assert_eq!(select(&dom, &format!("figure#{id} svg")).len(), 1, "{id}");
    }
    assert_eq!(bars(&dom, "chart-reasons").len(), 2);
    assert!(select(&dom, "script").is_empty());
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
