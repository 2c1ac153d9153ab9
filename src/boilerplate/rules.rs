//! Rule files: the boilerplate lexicons as data (`rules/*.toml`), compiled into the binary
//! and extendable with the user's own files (`--rules FILE`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Reason;

/// The rule files shipped with polyclean, as `(name, TOML text)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/common.toml", include_str!("../../rules/common.toml")),
    ("rules/en.toml", include_str!("../../rules/en.toml")),
    ("rules/fr.toml", include_str!("../../rules/fr.toml")),
    ("rules/es.toml", include_str!("../../rules/es.toml")),
    ("rules/de.toml", include_str!("../../rules/de.toml")),
    ("rules/it.toml", include_str!("../../rules/it.toml")),
    ("rules/pt.toml", include_str!("../../rules/pt.toml")),
];

/// One rule file: a language tag and its rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The lexicon's language (`fr`), or `*` for language-independent structural rules.
    pub lang: String,
    /// The rules, in file order.
    #[serde(rename = "rule", default)]
    pub rules: Vec<Rule>,
}

/// One rule: a reason, how its phrases match, and where it applies.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The reason a hit drops the paragraph for.
    pub reason: Reason,
    /// How `phrases` are compared with the paragraph.
    #[serde(rename = "match")]
    pub kind: MatchKind,
    /// Lowercase phrases (or regex patterns for `match = "regex"`).
    pub phrases: Vec<String>,
    /// The rule only applies to paragraphs of at most this many words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_words: Option<usize>,
    /// Where in the document the rule applies.
    #[serde(default)]
    pub zone: Zone,
    /// A hit also drops every later paragraph (`comment_section`), when in the document's tail.
    #[serde(default)]
    pub marks_tail: bool,
    /// A hit is one comment of a thread (a comment header such as `Anna says:`): a document
    /// holding several such hits has a comment section from the first one, wherever it stands.
    #[serde(default)]
    pub marks_thread: bool,
    /// A hit is a heading that names a subject, in the pattern's `subject` group (`About Jane
    /// Doe`): it drops, with the paragraph after it, only when that paragraph names the subject
    /// too (an author box); alone it is left to the other steps.
    #[serde(default)]
    pub subject_heading: bool,
    /// One line saying why the rule exists.
    pub note: String,
}

/// How a rule's phrases are compared with a paragraph's *key* (lowercased, apostrophes
/// straightened, whitespace collapsed, non-alphanumeric ends trimmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The key equals the phrase.
    Whole,
    /// The key starts with the phrase, followed by the end or a non-alphanumeric character.
    Prefix,
    /// The phrase occurs in the key between non-alphanumeric characters (or the ends).
    Contains,
    /// Every word of the key is one of the phrases.
    AllWords,
    /// A regular expression matches the paragraph's normalized text (not the key).
    Regex,
}

impl MatchKind {
    /// The spelling used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Whole => "whole",
            MatchKind::Prefix => "prefix",
            MatchKind::Contains => "contains",
            MatchKind::AllWords => "all_words",
            MatchKind::Regex => "regex",
        }
    }
}

/// Where in a document a rule applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Anywhere.
    #[default]
    Any,
    /// Only the last [`TAIL_PARAGRAPHS`] paragraphs.
    Tail,
}

/// How many paragraphs at the end of a document form its tail (author boxes live there).
pub const TAIL_PARAGRAPHS: usize = 3;

/// Errors in a rule file; they name the file and say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file could not be read.
    #[error("{path}: cannot read rule file: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not follow the rule-file format.
    #[error("{path}: invalid rule file: {message}(see docs/rules.md for the format)")]
    Parse {
        /// The file.
        path: String,
        /// What the TOML parser said.
        message: String,
    },
    /// A configuration file (`polyclean.toml`) is not valid TOML or holds an unknown key or a
    /// bad value.
    #[error("{path}: invalid configuration: {message}(see docs/operations.md for the keys)")]
    Config {
        /// The file.
        path: String,
        /// What the TOML parser or the check said.
        message: String,
    },
    /// A rule's regex does not compile.
    #[error("{path}: rule {index} ({reason}): bad regex `{pattern}`: {message}")]
    Regex {
        /// The file.
        path: String,
        /// 1-based index of the rule in the file.
        index: usize,
        /// The rule's reason.
        reason: Reason,
        /// The pattern.
        pattern: String,
        /// What the regex compiler said.
        message: String,
    },
    /// A rule is well-formed but meaningless.
    #[error("{path}: rule {index} ({reason}): {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based index of the rule in the file.
        index: usize,
        /// The rule's reason.
        reason: Reason,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// A user file's display name and text, or a [`RuleError::Read`] naming it.
pub fn read_named(path: &Path) -> Result<(String, String), RuleError> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((name, text)),
        Err(source) => Err(RuleError::Read { path: name, source }),
    }
}

impl RuleFile {
    /// Parse a rule file's text; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<RuleFile, RuleError> {
        let file: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            path: path.to_string(),
            message: e.to_string(),
        })?;
        file.check(path)?;
        Ok(file)
    }

    /// Read and parse a user's rule file.
    pub fn load(path: &Path) -> Result<RuleFile, RuleError> {
        let (name, text) = read_named(path)?;
        RuleFile::parse(&name, &text)
    }

    /// The built-in rule files, parsed.
    pub fn builtin() -> Result<Vec<RuleFile>, RuleError> {
        BUILTIN
            .iter()
            .map(|(name, text)| RuleFile::parse(name, text))
            .collect()
    }

    /// The built-in rule files with their names (`rules/fr.toml`…), as rule sets are compiled.
    pub fn builtin_named() -> Result<Vec<(String, RuleFile)>, RuleError> {
        BUILTIN
            .iter()
            .map(|(name, text)| Ok((name.to_string(), RuleFile::parse(name, text)?)))
            .collect()
    }

    /// Check the rules are meaningful (non-empty, phrases in key form).
    pub fn check(&self, path: &str) -> Result<(), RuleError> {
        for (i, rule) in self.rules.iter().enumerate() {
            let invalid = |message: String| RuleError::Invalid {
                path: path.to_string(),
                index: i + 1,
                reason: rule.reason,
                message,
            };
            if rule.phrases.is_empty() {
                return Err(invalid("`phrases` is empty".into()));
            }
            if rule.subject_heading && rule.kind != MatchKind::Regex {
                return Err(invalid(
                    "`subject_heading` needs `match = \"regex\"` (the subject is a capture group)"
                        .into(),
                ));
            }
            if rule.kind == MatchKind::Regex {
                continue;
            }
            if let Some(bad) = rule.phrases.iter().find(|p| super::matcher::key(p) != **p) {
                return Err(invalid(format!(
                    "phrase `{bad}` would never match: write it as `{}` (lowercase, straight \
                     apostrophes, single spaces, no punctuation at the ends)",
                    super::matcher::key(bad)
                )));
            }
        }
        Ok(())
    }
}

/// The name of the capture group a `subject_heading` pattern names its subject in (checked
/// with the regex itself, when the rule set is compiled).
pub const SUBJECT_GROUP: &str = "subject";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rule_files_parse() {
        let files = RuleFile::builtin().expect("built-in rules are valid");
        assert!(files.iter().any(|f| f.lang == "fr"));
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_file() {
        let err = RuleFile::parse("x.toml", "lang = \"fr\"\nlanguage = \"fr\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("x.toml:") && msg.contains("language"),
            "{msg}"
        );
    }

    #[test]
    fn phrases_that_cannot_match_are_rejected() {
        let text = "lang = \"fr\"\n[[rule]]\nreason = \"ad\"\nmatch = \"whole\"\nphrases = [\"Publicité\"]\nnote = \"x\"\n";
        let msg = RuleFile::parse("x.toml", text).unwrap_err().to_string();
        assert!(msg.contains("`publicité`"), "{msg}");
    }

    #[test]
    fn a_subject_heading_must_be_a_regex() {
        let whole = "lang = \"en\"\n[[rule]]\nreason = \"author_bio\"\nmatch = \"whole\"\nphrases = [\"about\"]\nsubject_heading = true\nnote = \"x\"\n";
        let msg = RuleFile::parse("x.toml", whole).unwrap_err().to_string();
        assert!(msg.contains("needs `match = \"regex\"`"), "{msg}");
    }

    #[test]
    fn unknown_reason_is_an_error() {
        let text = "lang = \"fr\"\n[[rule]]\nreason = \"adverts\"\nmatch = \"whole\"\nphrases = [\"pub\"]\nnote = \"x\"\n";
        assert!(RuleFile::parse("x.toml", text).is_err());
    }
}
