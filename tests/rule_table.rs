//! Table-driven rule tests: `tests/rule_cases.toml` holds realistic paragraphs (not from
//! the fixtures) in several languages with the verdict each must get, including many that
//! mention trigger words in passing and must be kept.

use polyclean::{Config, Pipeline};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    lang: String,
    expect: String,
}

#[test]
fn every_case_gets_its_expected_verdict() {
    let cases: Cases =
        toml::from_str(include_str!("rule_cases.toml")).expect("rule_cases.toml parses");
    // The rules alone: these cases test the lexicons, not the classifier.
    let pipeline = Pipeline::new(Config {
        no_classifier: true,
        ..Config::default()
    })
    .expect("rules");
    let mut failures = Vec::new();
    for case in &cases.case {
        // A one-paragraph document: the paragraph is also the document's tail.
        let doc = pipeline.clean("case", &case.text);
        assert_eq!(
            doc.paragraphs.len(),
            1,
            "{:?} is not one paragraph",
            case.text
        );
        let got = match doc.paragraphs[0].verdict.drop_info() {
            None => "kept".to_string(),
            Some(d) => format!("{} ({})", d.reason, d.evidence),
        };
        let ok = got == case.expect || got.starts_with(&format!("{} (", case.expect));
        if !ok {
            failures.push(format!(
                "[{}] {:?}: expected {}, got {}",
                case.lang, case.text, case.expect, got
            ));
        }
    }
    assert!(cases.case.len() >= 150, "only {} cases", cases.case.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}

#[test]
fn cases_cover_every_lexical_reason_in_french_english_and_spanish() {
    let cases: Cases = toml::from_str(include_str!("rule_cases.toml")).expect("parses");
    let lexical = [
        "ad",
        "comment_form",
        "related_links",
        "media_embed",
        "tags",
        "author_bio",
        "share",
        "newsletter",
        "cookies",
    ];
    for lang in ["fr", "en", "es"] {
        for reason in lexical {
            assert!(
                cases
                    .case
                    .iter()
                    .any(|c| c.lang == lang && c.expect == reason),
                "no {lang} case for {reason}"
            );
        }
        let kept = cases
            .case
            .iter()
            .filter(|c| c.lang == lang && c.expect == "kept")
            .count();
        assert!(kept >= 15, "only {kept} kept cases in {lang}");
    }
}
