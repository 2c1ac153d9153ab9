//! Helpers shared by the integration tests that judge pages written for them.

use polyclean::{Config, Document, Pipeline};

/// `text` cleaned as one page by the rules alone (no classifier), so that every verdict comes
/// from the rule stage.
pub fn clean_with_rules_only(text: &str) -> Document {
    Pipeline::new(Config {
        no_classifier: true,
        ..Config::default()
    })
    .expect("rules")
    .clean("page", text)
}

/// The reason and evidence the paragraph `text` was dropped for, None when it was kept.
/// Panics when no paragraph is `text`.
pub fn verdict<'d>(doc: &'d Document, text: &str) -> Option<(&'static str, &'d str)> {
    doc.paragraphs
        .iter()
        .find(|p| p.text == text)
        .unwrap_or_else(|| panic!("no paragraph {text:?}"))
        .verdict
        .drop_info()
        .map(|d| (d.reason.as_str(), d.evidence.as_str()))
}
