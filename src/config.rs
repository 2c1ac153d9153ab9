//! The configuration file, `polyclean.toml`: every option of `run` and `explain` (named as the
//! command-line flag, with `_` for `-`), plus the rule settings — extra lexicon rules per
//! language, rules switched off, classifier settings. It is read from `--config FILE`, or from
//! `polyclean.toml` in the working directory; command-line flags override it. Relative paths in
//! the file are relative to the file's directory. Unknown keys are errors that name the file,
//! the line and the key.
//!
//! ```toml
//! inputs = ["inbox/"]
//! output = "out/clean.jsonl"
//! langs = ["fr", "en", "es"]
//! keep_langs = ["fr"]     # drop content in other languages (reason `language`)
//! repeated = 3
//!
//! # Switch off rules by id (`fr.author_bio.1`), reason code (`share`) or file (`de`).
//! disable = ["fr.author_bio.1", "share"]
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
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::boilerplate::rules::read_named;
use crate::boilerplate::{Rule, RuleError, RuleFile};
use crate::dedup::{DedupConfig, ParagraphPolicy};
use crate::normalize::UnicodeForm;
use crate::quality::QualityConfig;
use crate::read::InputFormat;
use crate::write::{Format, SplitFormat};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "polyclean.toml";

/// A configuration: read from a file, or built from command-line flags, or both merged with
/// [`UserConfig::overlay`]. Unset options take the defaults of [`UserConfig::with_defaults`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Input files, directories, or `-` for standard input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<PathBuf>,
    /// The output file (`-` for standard output).
    pub output: Option<PathBuf>,
    /// One output per document language in this directory, instead of `output`.
    pub split_by_lang: Option<PathBuf>,
    /// Layout and compression of the per-language files.
    pub split_format: Option<SplitFormat>,
    /// Output format; unset: by the output's extension.
    pub format: Option<Format>,
    /// CSV: prefix `'` to cells that start like a spreadsheet formula.
    pub csv_neutralize_formulas: Option<bool>,
    /// Where dropped paragraphs are written, if anywhere.
    pub rejected: Option<PathBuf>,
    /// Incremental runs: the state file recording what was processed.
    pub state: Option<PathBuf>,
    /// Where the run report goes (`.json` or `.html`).
    pub report: Option<PathBuf>,
    /// Input layout.
    pub input_format: Option<InputFormat>,
    /// The JSONL field / CSV column holding the text.
    pub text_field: Option<String>,
    /// The JSONL field / CSV column holding the id.
    pub id_field: Option<String>,
    /// Records, text files and WARC records larger than this many MiB are skipped.
    pub max_document_mb: Option<u64>,
    /// The name standard input goes by in sources, ids and messages.
    pub stdin_name: Option<String>,
    /// Candidate languages; empty: all.
    #[serde(default)]
    pub langs: Vec<String>,
    /// Languages to keep; empty: all.
    #[serde(default)]
    pub keep_langs: Vec<String>,
    /// Unicode normalization form.
    pub unicode: Option<UnicodeForm>,
    /// Extra rule files (`--rules`).
    #[serde(default, rename = "rules")]
    pub rule_files: Vec<PathBuf>,
    /// Rules only, no content classifier.
    pub no_classifier: Option<bool>,
    /// Drop paragraphs found in at least this many documents (0: off).
    pub repeated: Option<u32>,
    /// Repetition counts made beforehand (`polyclean hashes`, merged): used instead of the
    /// run's own first pass.
    pub counts: Option<PathBuf>,
    /// Scale-out: process only this shard of the inputs (`"I/N"`).
    pub shard: Option<crate::shard::Shard>,
    /// Scale-out: the index of the first input in the whole run's input list.
    pub input_index: Option<u32>,
    /// Deduplication (docs/dedup.md): exact duplicate paragraphs and documents.
    pub dedup: Option<bool>,
    /// What happens to the copies of a duplicate paragraph.
    pub dedup_paragraphs: Option<ParagraphPolicy>,
    /// Near-duplicate documents at this Jaccard threshold; unset: off.
    pub near_dup: Option<f64>,
    /// Where the run's duplicate table is written (the map output of a shard).
    pub dedup_table: Option<PathBuf>,
    /// Worker threads; unset: one per core.
    pub threads: Option<usize>,
    /// Documents per parallel batch.
    pub batch_size: Option<usize>,
    /// No summary and no progress bar on stderr.
    pub quiet: Option<bool>,
    /// How messages on stderr are written.
    pub log_format: Option<LogFormat>,
    /// Rule ids, reason codes or rule-file stems to switch off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Classifier settings that replace the built-in ones.
    #[serde(default)]
    pub classifier: ClassifierOverrides,
    /// The quality filters: `quality = "filter"`, or a `[quality]` table with the mode and
    /// thresholds (see [`crate::quality`]).
    #[serde(
        default,
        deserialize_with = "crate::quality::mode_or_table",
        skip_serializing_if = "QualityConfig::is_empty"
    )]
    pub quality: QualityConfig,
    /// Extra rules, each with its lexicon's language.
    #[serde(default, rename = "rule")]
    pub rules: Vec<LangRule>,
    /// The file this configuration was read from, if any (names its rules).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// How messages on stderr are written (`--log-format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `polyclean: skipped: file:line: what is wrong`, for people.
    #[default]
    Text,
    /// One JSON object per line (`timestamp`, `level`, `fields`), for log collectors.
    Json,
}

/// Defaults of the options that have one.
pub mod defaults {
    /// JSONL field / CSV column of the text.
    pub const TEXT_FIELD: &str = "text";
    /// JSONL field / CSV column of the id.
    pub const ID_FIELD: &str = "id";
    /// Minimum documents a paragraph must occur in to be dropped as `repeated`.
    pub const REPEATED: u32 = 3;
    /// Documents per parallel batch.
    pub const BATCH_SIZE: usize = 512;
}

/// Classifier settings a user may change; unset ones keep their built-in value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
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
    /// Dropped paragraphs in a row that separate two blocks of kept paragraphs (at least 1).
    #[serde(default, deserialize_with = "at_least_one")]
    pub block_gap: Option<usize>,
    /// Blocks with less sentence weight than this share of the main block's are dropped (0–1)…
    #[serde(default, deserialize_with = "share")]
    pub block_share: Option<f64>,
    /// …unless they hold at least this many characters of sentences (0 keeps every block).
    pub block_keep_chars: Option<usize>,
    /// Sentence-like paragraphs shorter than this count in their block's sentence text by the
    /// share of it they fill (0 counts every one in full).
    pub block_full_chars: Option<usize>,
    /// Promotion of sentences and headings reaches this many paragraphs past the main block.
    pub promotion_reach: Option<usize>,
}

/// A count that must be at least 1; the error lands on the key's line.
fn at_least_one<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    match usize::deserialize(d)? {
        0 => Err(serde::de::Error::custom("must be at least 1")),
        n => Ok(Some(n)),
    }
}

/// A share between 0 and 1; the error lands on the key's line.
fn share<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match f64::deserialize(d)? {
        x if (0.0..=1.0).contains(&x) => Ok(Some(x)),
        x => Err(serde::de::Error::custom(format!(
            "must be between 0 and 1, not {x}"
        ))),
    }
}

impl ClassifierOverrides {
    fn overlay(self, base: ClassifierOverrides) -> ClassifierOverrides {
        ClassifierOverrides {
            enabled: self.enabled.or(base.enabled),
            bias: self.bias.or(base.bias),
            switch_cost: self.switch_cost.or(base.switch_cost),
            min_paragraphs: self.min_paragraphs.or(base.min_paragraphs),
            block_gap: self.block_gap.or(base.block_gap),
            block_share: self.block_share.or(base.block_share),
            block_keep_chars: self.block_keep_chars.or(base.block_keep_chars),
            block_full_chars: self.block_full_chars.or(base.block_full_chars),
            promotion_reach: self.promotion_reach.or(base.promotion_reach),
        }
    }
}

/// A rule in a configuration file: a rule-file rule plus its language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(try_from = "toml::Table")]
pub struct LangRule {
    /// The lexicon's language (`fr`), or `*`.
    pub lang: String,
    /// The rule itself.
    #[serde(flatten)]
    pub rule: Rule,
}

impl TryFrom<toml::Table> for LangRule {
    type Error = String;

    /// `lang` taken out, the rest read as a [`Rule`]: unlike `#[serde(flatten)]`, this keeps
    /// the rule's unknown-key check.
    fn try_from(mut table: toml::Table) -> Result<LangRule, String> {
        let lang = match table.remove("lang") {
            Some(toml::Value::String(lang)) => lang,
            Some(_) => return Err("`lang` must be a string, e.g. \"fr\"".into()),
            None => return Err("missing field `lang`".into()),
        };
        let rule = Rule::deserialize(toml::Value::Table(table)).map_err(|e| e.to_string())?;
        Ok(LangRule { lang, rule })
    }
}

impl PartialEq for LangRule {
    /// Rules are compared by what they say, for tests of merged configurations.
    fn eq(&self, other: &LangRule) -> bool {
        self.lang == other.lang && self.rule.phrases == other.rule.phrases
    }
}

/// `a` when it says something, else `b`: a list on the command line replaces the file's.
fn or_list<T>(a: Vec<T>, b: Vec<T>) -> Vec<T> {
    if a.is_empty() {
        b
    } else {
        a
    }
}

impl UserConfig {
    /// The configuration of a run: `explicit` (`--config`) if given, else `polyclean.toml` in
    /// the working directory if there is one, else the empty configuration.
    pub fn discover(explicit: Option<&Path>) -> Result<UserConfig, RuleError> {
        match explicit {
            Some(path) => UserConfig::load(path),
            None if Path::new(DEFAULT_FILE).is_file() => UserConfig::load(Path::new(DEFAULT_FILE)),
            None => Ok(UserConfig::default()),
        }
    }

    /// Read and parse `path`; errors name the file, and the line and key at fault. Relative
    /// paths in the file are made relative to the file's directory.
    pub fn load(path: &Path) -> Result<UserConfig, RuleError> {
        let (name, text) = read_named(path)?;
        let mut config = UserConfig::parse(&name, &text)?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.resolve_paths(base);
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parse a configuration's text; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<UserConfig, RuleError> {
        let config: UserConfig = toml::from_str(text).map_err(|e| RuleError::Config {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        for file in config.inline_rule_files(name) {
            file.1.check(&file.0)?;
        }
        config
            .quality
            .check()
            .map_err(|message| RuleError::Config {
                path: name.to_string(),
                message,
            })?;
        Ok(config)
    }

    /// Make every relative path relative to `base` (`-`, standard input/output, stays).
    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() && p.as_os_str() != "-" {
                *p = base.join(&*p);
            }
        };
        self.inputs.iter_mut().for_each(resolve);
        self.rule_files.iter_mut().for_each(resolve);
        self.output.iter_mut().for_each(resolve);
        self.split_by_lang.iter_mut().for_each(resolve);
        self.rejected.iter_mut().for_each(resolve);
        self.state.iter_mut().for_each(resolve);
        self.report.iter_mut().for_each(resolve);
        self.counts.iter_mut().for_each(resolve);
        self.dedup_table.iter_mut().for_each(resolve);
    }

    /// `self` (the command line) over `base` (the file): every option set in `self` wins;
    /// a list given in `self` replaces the file's; rules and disabled rules come from both.
    pub fn overlay(self, base: UserConfig) -> UserConfig {
        UserConfig {
            inputs: or_list(self.inputs, base.inputs),
            output: self.output.or(base.output),
            split_by_lang: self.split_by_lang.or(base.split_by_lang),
            split_format: self.split_format.or(base.split_format),
            format: self.format.or(base.format),
            csv_neutralize_formulas: self
                .csv_neutralize_formulas
                .or(base.csv_neutralize_formulas),
            rejected: self.rejected.or(base.rejected),
            state: self.state.or(base.state),
            report: self.report.or(base.report),
            input_format: self.input_format.or(base.input_format),
            text_field: self.text_field.or(base.text_field),
            id_field: self.id_field.or(base.id_field),
            max_document_mb: self.max_document_mb.or(base.max_document_mb),
            stdin_name: self.stdin_name.or(base.stdin_name),
            langs: or_list(self.langs, base.langs),
            keep_langs: or_list(self.keep_langs, base.keep_langs),
            unicode: self.unicode.or(base.unicode),
            rule_files: or_list(self.rule_files, base.rule_files),
            no_classifier: self.no_classifier.or(base.no_classifier),
            repeated: self.repeated.or(base.repeated),
            counts: self.counts.or(base.counts),
            shard: self.shard.or(base.shard),
            input_index: self.input_index.or(base.input_index),
            dedup: self.dedup.or(base.dedup),
            dedup_paragraphs: self.dedup_paragraphs.or(base.dedup_paragraphs),
            near_dup: self.near_dup.or(base.near_dup),
            dedup_table: self.dedup_table.or(base.dedup_table),
            threads: self.threads.or(base.threads),
            batch_size: self.batch_size.or(base.batch_size),
            quiet: self.quiet.or(base.quiet),
            log_format: self.log_format.or(base.log_format),
            disable: [base.disable, self.disable].concat(),
            classifier: self.classifier.overlay(base.classifier),
            quality: self.quality.overlay(base.quality),
            rules: [base.rules, self.rules].concat(),
            source: self.source.or(base.source),
        }
    }

    /// Every option that has a default set to it: the effective configuration.
    pub fn with_defaults(mut self) -> UserConfig {
        self.input_format = Some(self.input_format.unwrap_or_default());
        self.text_field = Some(self.text_field().to_string());
        self.id_field = Some(self.id_field().to_string());
        self.max_document_mb = Some(self.max_document_mb());
        self.unicode = Some(self.unicode.unwrap_or_default());
        self.no_classifier = Some(self.no_classifier.unwrap_or(false));
        self.repeated = Some(self.repeated());
        self.dedup = Some(self.dedup.unwrap_or(false));
        self.dedup_paragraphs = Some(self.dedup_paragraphs.unwrap_or_default());
        self.batch_size = Some(self.batch_size());
        self.input_index = Some(self.input_index.unwrap_or(0));
        self.quiet = Some(self.quiet.unwrap_or(false));
        self.csv_neutralize_formulas = Some(self.csv_neutralize_formulas.unwrap_or(false));
        self.log_format = Some(self.log_format.unwrap_or_default());
        self
    }

    /// The JSONL field / CSV column holding the text.
    pub fn text_field(&self) -> &str {
        self.text_field.as_deref().unwrap_or(defaults::TEXT_FIELD)
    }

    /// The JSONL field / CSV column holding the id.
    pub fn id_field(&self) -> &str {
        self.id_field.as_deref().unwrap_or(defaults::ID_FIELD)
    }

    /// The document size limit, in MiB (at least 1).
    pub fn max_document_mb(&self) -> u64 {
        self.max_document_mb
            .unwrap_or(crate::read::DEFAULT_MAX_DOCUMENT_BYTES >> 20)
            .max(1)
    }

    /// The `repeated` threshold (0: off).
    pub fn repeated(&self) -> u32 {
        self.repeated.unwrap_or(defaults::REPEATED)
    }

    /// The duplicates the run looks for.
    pub fn dedup_config(&self) -> DedupConfig {
        DedupConfig {
            exact: self.dedup == Some(true),
            policy: self.dedup_paragraphs.unwrap_or_default(),
            near_dup: self.near_dup,
        }
    }

    /// Documents per parallel batch, at least 1.
    pub fn batch_size(&self) -> usize {
        self.batch_size.unwrap_or(defaults::BATCH_SIZE).max(1)
    }

    /// What decides the content of the outputs, as text: the configuration without its paths
    /// and display options, plus the content of the rule files it names. An incremental run's
    /// state is only valid under the same settings ([`crate::state::config_hash`]).
    pub fn output_settings(&self) -> Result<String, toml::ser::Error> {
        let settings = UserConfig {
            inputs: Vec::new(),
            output: None,
            split_by_lang: None,
            rejected: None,
            state: None,
            report: None,
            dedup_table: None,
            threads: None,
            batch_size: None,
            quiet: None,
            log_format: None,
            ..self.clone()
        };
        let mut text = settings.to_toml()?;
        for path in &self.rule_files {
            // An unreadable rule file has already stopped the run; none is hashed as empty.
            text.push_str(&std::fs::read_to_string(path).unwrap_or_default());
        }
        Ok(text)
    }

    /// The effective configuration as TOML, as `polyclean config --print` shows it.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }

    /// The configuration's own `[[rule]]`s as one rule file per language, named `name`.
    pub fn inline_rule_files(&self, name: &str) -> Vec<(String, RuleFile)> {
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
        let files = c.inline_rule_files("c.toml");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].1.lang, "fr");
    }

    #[test]
    fn main_block_settings_parse_and_bad_values_name_their_line() {
        let c = UserConfig::parse(
            "c.toml",
            "[classifier]\nblock_gap = 8\nblock_share = 0.2\nblock_keep_chars = 0\nblock_full_chars = 200\n",
        )
        .expect("valid");
        assert_eq!(c.classifier.block_full_chars, Some(200));
        assert_eq!(c.classifier.block_gap, Some(8));
        assert_eq!(c.classifier.block_share, Some(0.2));
        assert_eq!(c.classifier.block_keep_chars, Some(0));
        assert_eq!(c.classifier.promotion_reach, None);
        for (text, key) in [
            (
                "[classifier]\nbias = 1.0\nblock_share = 1.5\n",
                "block_share",
            ),
            ("[classifier]\nbias = 1.0\nblock_gap = 0\n", "block_gap"),
        ] {
            let msg = UserConfig::parse("c.toml", text)
                .expect_err("out of range")
                .to_string();
            assert!(
                msg.contains("c.toml") && msg.contains("line 3") && msg.contains(key),
                "{msg}"
            );
        }
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
    fn unknown_key_in_a_rule_is_an_error() {
        let text = "[[rule]]\nlang = \"fr\"\nreason = \"ad\"\nmatch = \"whole\"\nphrases = [\"offre\"]\nnote = \"x\"\nbogus = 1\n";
        let msg = UserConfig::parse("c.toml", text).unwrap_err().to_string();
        assert!(msg.contains("bogus") && msg.contains("line 1"), "{msg}");
    }

    #[test]
    fn command_line_overrides_the_file_and_lists_replace() {
        let file = UserConfig::parse("c.toml", "langs = [\"fr\", \"en\"]\nrepeated = 2\nthreads = 4\ndisable = [\"share\"]\n[classifier]\nbias = 0.5\n").expect("valid");
        let cli = UserConfig {
            langs: vec!["es".into()],
            repeated: Some(0),
            ..UserConfig::default()
        };
        let c = cli.overlay(file).with_defaults();
        assert_eq!(c.langs, ["es"]);
        assert_eq!(c.repeated, Some(0));
        assert_eq!(c.threads, Some(4));
        assert_eq!(c.disable, ["share"]);
        assert_eq!(c.classifier.bias, Some(0.5));
        assert_eq!(c.text_field(), "text");
    }

    #[test]
    fn relative_paths_are_relative_to_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("polyclean.toml");
        std::fs::write(&path, "inputs = [\"in\", \"-\"]\noutput = \"out.jsonl\"\n").expect("write");
        let c = UserConfig::load(&path).expect("valid");
        assert_eq!(c.inputs, [dir.path().join("in"), PathBuf::from("-")]);
        assert_eq!(c.output, Some(dir.path().join("out.jsonl")));
    }

    #[test]
    fn the_printed_configuration_parses_back_to_itself() {
        let c = UserConfig::parse("c.toml", CONFIG)
            .expect("valid")
            .with_defaults();
        let printed = c.to_toml().expect("printable");
        assert_eq!(UserConfig::parse("printed", &printed).expect("valid"), c);
    }

    #[test]
    fn a_bad_rule_is_reported() {
        let text = "[[rule]]\nlang = \"fr\"\nreason = \"ad\"\nmatch = \"whole\"\nphrases = [\"Offre\"]\nnote = \"x\"\n";
        let msg = UserConfig::parse("c.toml", text).unwrap_err().to_string();
        assert!(msg.contains("`offre`"), "{msg}");
    }
}
