//! Incremental runs (`--state FILE`): what earlier runs processed — every input file's path,
//! size, modification time and content hash, and a hash of the configuration that processed
//! it — so the next run reads only new or changed files.
//!
//! A file is unchanged when its size and modification time are the recorded ones, or, when
//! they differ (a `touch`, a copy), when its content hash still is. A different configuration
//! (or polyclean version) invalidates the whole state: every input is processed again.
//! The state is saved only after the run's output is committed, so a run that fails or is
//! stopped leaves the previous state, and its inputs are processed again next time.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::read::Input;
use crate::write::Destination;

/// The state file's format version; another version is refused rather than misread.
const VERSION: u32 = 1;

/// What earlier runs processed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunState {
    /// Format version.
    pub version: u32,
    /// Hash of the configuration (and polyclean version) the files were processed with.
    pub config_hash: String,
    /// When the state was last saved (RFC 3339, UTC).
    pub saved_at: String,
    /// Processed files by absolute path.
    pub files: BTreeMap<PathBuf, FileRecord>,
}

/// One processed input file, as it was when it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRecord {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
    /// BLAKE3 hash of the content, hex.
    pub blake3: String,
}

/// Errors reading or writing a state file; they name the file.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file exists but cannot be read.
    #[error("{path}: cannot read the state file: {source}")]
    Read {
        /// The state file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The file is not a state file of this version.
    #[error("{path}: not a polyclean state file ({message}); move it away to start afresh")]
    Invalid {
        /// The state file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The state cannot be saved.
    #[error("{path}: cannot save the state: {source}")]
    Write {
        /// The state file.
        path: String,
        /// Why.
        source: io::Error,
    },
}

/// Which inputs a run must read.
#[derive(Debug, Default)]
pub struct Plan {
    /// New or changed inputs (and standard input), in the given order.
    pub process: Vec<Input>,
    /// How many inputs are unchanged since the state was saved.
    pub unchanged: usize,
    /// Records of the files to process, to be saved once the output is committed.
    pending: BTreeMap<PathBuf, FileRecord>,
    /// Records of the unchanged files, carried over.
    kept: BTreeMap<PathBuf, FileRecord>,
    /// Whether the configuration changed since the state was saved.
    pub config_changed: bool,
}

impl RunState {
    /// Read the state at `path`; a missing file is the empty state (a first run).
    pub fn load(path: &Path) -> Result<RunState, StateError> {
        let name = || path.display().to_string();
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(RunState::default()),
            Err(source) => {
                return Err(StateError::Read {
                    path: name(),
                    source,
                })
            }
        };
        let state: RunState = serde_json::from_str(&text).map_err(|e| StateError::Invalid {
            path: name(),
            message: e.to_string(),
        })?;
        if state.version != VERSION {
            return Err(StateError::Invalid {
                path: name(),
                message: format!("version {}, expected {VERSION}", state.version),
            });
        }
        Ok(state)
    }

    /// Decide which of `inputs` to read under a configuration hashing to `config_hash`.
    /// A file that cannot be examined is processed (the reader will report it).
    pub fn plan(&self, inputs: Vec<Input>, config_hash: &str) -> Plan {
        let config_changed = !self.files.is_empty() && self.config_hash != config_hash;
        let mut plan = Plan {
            config_changed,
            ..Plan::default()
        };
        for input in inputs {
            let Input::File(path) = &input else {
                plan.process.push(input);
                continue;
            };
            // Keyed by absolute path: cron may start the next run from another directory.
            let key = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            let known = (!config_changed).then(|| self.files.get(&key)).flatten();
            match examine(path, known) {
                Ok((record, true)) => {
                    plan.unchanged += 1;
                    plan.kept.insert(key, record);
                }
                Ok((record, false)) => {
                    plan.pending.insert(key, record);
                    plan.process.push(input);
                }
                Err(_) => plan.process.push(input),
            }
        }
        plan
    }

    /// The state after `plan`'s files were processed under `config_hash`: the unchanged and
    /// the processed files (files no longer among the inputs are forgotten).
    pub fn after(plan: Plan, config_hash: &str) -> RunState {
        let mut files = plan.kept;
        files.extend(plan.pending);
        RunState {
            version: VERSION,
            config_hash: config_hash.to_string(),
            saved_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            files,
        }
    }

    /// Write the state to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let error = |source| StateError::Write {
            path: path.display().to_string(),
            source,
        };
        let mut dest = Destination::create(path).map_err(error)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| error(e.into()))?;
        dest.write_all(&json).map_err(error)?;
        dest.write_all(b"\n").map_err(error)?;
        dest.commit().map_err(error)
    }
}

/// The hash that ties a state to the configuration that produced its outputs: anything that
/// changes what the output holds (`settings`, e.g. the effective configuration as TOML, minus
/// paths and display options) and polyclean's version.
pub fn config_hash(settings: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(b"\0");
    hasher.update(settings.as_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}

/// `path`'s record, and whether it matches `known`: same size and mtime, or same content.
fn examine(path: &Path, known: Option<&FileRecord>) -> io::Result<(FileRecord, bool)> {
    let meta = fs::metadata(path)?;
    let size = meta.len();
    let mtime_ns = meta
        .modified()?
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    if let Some(known) = known {
        if known.size == size && known.mtime_ns == mtime_ns {
            return Ok((known.clone(), true));
        }
    }
    let blake3 = hash_file(path)?;
    let same = known.is_some_and(|k| k.size == size && k.blake3 == blake3);
    let record = FileRecord {
        size,
        mtime_ns,
        blake3,
    };
    Ok((record, same))
}

/// BLAKE3 of a file's bytes, streamed.
fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    let mut file = File::open(path)?;
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, names: &[&str]) -> Vec<Input> {
        names
            .iter()
            .map(|n| {
                let p = dir.join(n);
                if !p.exists() {
                    fs::write(&p, format!("content of {n}")).expect("write");
                }
                Input::File(p)
            })
            .collect()
    }

    #[test]
    fn second_run_processes_only_the_new_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let first = RunState::default().plan(files(dir.path(), &["a", "b"]), "h");
        assert_eq!(first.process.len(), 2);
        let state = RunState::after(first, "h");
        let second = state.plan(files(dir.path(), &["a", "b", "c"]), "h");
        assert_eq!(second.process, [Input::File(dir.path().join("c"))]);
        assert_eq!(second.unchanged, 2);
    }

    #[test]
    fn a_changed_file_is_processed_a_touched_one_is_not() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = RunState::after(
            RunState::default().plan(files(dir.path(), &["a", "b"]), "h"),
            "h",
        );
        // Same content, new mtime: unchanged. Other content: changed.
        let touched = fs::read(dir.path().join("a")).expect("read");
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(dir.path().join("a"), touched).expect("rewrite");
        fs::write(dir.path().join("b"), "new content").expect("rewrite");
        let plan = state.plan(files(dir.path(), &["a", "b"]), "h");
        assert_eq!(plan.process, [Input::File(dir.path().join("b"))]);
    }

    #[test]
    fn another_configuration_processes_everything() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = RunState::after(
            RunState::default().plan(files(dir.path(), &["a"]), "h"),
            "h",
        );
        let plan = state.plan(files(dir.path(), &["a"]), "other");
        assert!(plan.config_changed);
        assert_eq!(plan.process.len(), 1);
    }

    #[test]
    fn saved_state_loads_back_and_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = RunState::after(
            RunState::default().plan(files(dir.path(), &["a"]), "h"),
            "h",
        );
        let path = dir.path().join("state.json");
        state.save(&path).expect("save");
        assert_eq!(RunState::load(&path).expect("load"), state);
        fs::write(&path, "{\"something\": 1}").expect("write");
        let msg = RunState::load(&path).unwrap_err().to_string();
        assert!(
            msg.starts_with(&path.display().to_string()) && msg.contains("move it away"),
            "{msg}"
        );
    }

    #[test]
    fn a_missing_state_is_a_first_run() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(
            RunState::load(&dir.path().join("none.json")).expect("ok"),
            RunState::default()
        );
    }
}
