//! The user's configuration file (`--config FILE`, TOML): extra lexicon rules per language,
//! rules switched off, and classifier settings. Unknown keys are errors that name the file,
//! the line and the key.
//!
//! ```toml
//! # Switch off rules by id (`fr.author_bio.1`), reason code (`share`) or file (`de`).
//! disable = ["fr.author_bio.1", "share"]
//! keep_langs = ["fr"]     # drop content in other languages (reason `language`)
//!
//! [classifier]            # any subset of the settings in rules/classifier.toml
//! enabled = true
//! bias = 1.0              # lower = drop more
//!
//! [[rule]]                # the rule-file format, plus the lexicon's language
//! lang = "fr"
//! reason = "ad"
//! match = "whole"
//! phrases = ["offre du jour"]
//! note = "shop banner on our sites"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::boilerplate::rules::read_named;
use crate::boilerplate::{Rule, RuleError, RuleFile};

/// A parsed configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Rule ids, reason codes or rule-file stems to switch off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Classifier settings that replace the built-in ones.
    #[serde(default)]
    pub classifier: ClassifierOverrides,
    /// Extra rules, each with its lexicon's language.
    #[serde(default, rename = "rule")]
    pub rules: Vec<LangRule>,
    /// Languages to keep (`--keep-langs`); the command line's list wins when given.
    #[serde(default)]
    pub keep_langs: Vec<String>,
}

/// Classifier settings a user may change; unset ones keep their built-in value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifierOverrides {
    /// `false` runs the rules only.
    pub enabled: Option<bool>,
    /// Added to every score: raise to keep more, lower to drop more.
    pub bias: Option<f64>,
    /// Cost of switching class between consecutive paragraphs.
    pub switch_cost: Option<f64>,
    /// Documents with fewer paragraphs are not judged.
    pub min_paragraphs: Option<usize>,
}

/// A rule in a configuration file: a rule-file rule plus its language.
#[derive(Debug, Clone, Deserialize)]
pub struct LangRule {
    /// The lexicon's language (`fr`), or `*`.
    pub lang: String,
    /// The rule itself.
    #[serde(flatten)]
    pub rule: Rule,
}

impl UserConfig {
    /// Read and parse `path`; errors name the file, and the line and key at fault.
    pub fn load(path: &Path) -> Result<UserConfig, RuleError> {
        let (name, text) = read_named(path)?;
        UserConfig::parse(&name, &text)
    }

    /// Parse a configuration's text; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<UserConfig, RuleError> {
        let config: UserConfig = toml::from_str(text).map_err(|e| RuleError::Parse {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        for file in config.rule_files(name) {
            file.1.check(&file.0)?;
        }
        Ok(config)
    }

    /// The configuration's rules as one rule file per language, named after the configuration.
    pub fn rule_files(&self, name: &str) -> Vec<(String, RuleFile)> {
        let mut by_lang: BTreeMap<&str, Vec<Rule>> = BTreeMap::new();
        for r in &self.rules {
            by_lang
                .entry(r.lang.as_str())
                .or_default()
                .push(r.rule.clone());
        }
        by_lang
            .into_iter()
            .map(|(lang, rules)| {
                (
                    name.to_string(),
                    RuleFile {
                        lang: lang.to_string(),
                        rules,
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
disable = ["fr.author_bio.1", "share"]

[classifier]
bias = 1.0

[[rule]]
lang = "fr"
reason = "ad"
match = "whole"
phrases = ["offre du jour"]
note = "shop banner"
"#;

    #[test]
    fn parses_disable_classifier_and_rules() {
        let c = UserConfig::parse("c.toml", CONFIG).expect("valid");
        assert_eq!(c.disable, ["fr.author_bio.1", "share"]);
        assert_eq!(c.classifier.bias, Some(1.0));
        assert_eq!(c.classifier.switch_cost, None);
        let files = c.rule_files("c.toml");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].1.lang, "fr");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let msg = UserConfig::parse("c.toml", "disable = []\n[classifier]\nbais = 1.0\n")
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("c.toml:"), "{msg}");
        assert!(msg.contains("line 3") && msg.contains("bais"), "{msg}");
    }

    #[test]
    fn a_bad_rule_is_reported() {
        let text = "[[rule]]\nlang = \"fr\"\nreason = \"ad\"\nmatch = \"whole\"\nphrases = [\"Offre\"]\nnote = \"x\"\n";
        let msg = UserConfig::parse("c.toml", text).unwrap_err().to_string();
        assert!(msg.contains("`offre`"), "{msg}");
    }
}
