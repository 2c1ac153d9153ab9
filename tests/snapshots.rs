//! Snapshots of both output formats on a small, hand-written input. The snapshots under
//! `tests/snapshots/` were read and checked by hand: review any change the same way.

use assert_cmd::Command;

const INPUT: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.\n\
\n\
Publicité\n\
\n\
« Nous avons fait des choix difficiles », a déclaré la maire.\n\
\n\
Laisser un commentaire\n\
\n\
Votre adresse e-mail ne sera pas publiée.\n";

fn run(format: &str) -> String {
    let out = Command::cargo_bin("polyclean")
        .expect("binary")
        .args([
            "run",
            "-",
            "-o",
            "-",
            "--quiet",
            "--input-format",
            "text",
            "--format",
            format,
        ])
        .write_stdin(INPUT)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn jsonl_output() {
    let line = run("jsonl");
    let value: serde_json::Value = serde_json::from_str(line.trim_end()).expect("json");
    insta::assert_json_snapshot!(value);
}

#[test]
fn csv_output() {
    insta::assert_snapshot!(run("csv"));
}
