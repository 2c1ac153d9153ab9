//! The directory an output goes to: checked before a run starts, so that a typo in `-o` is
//! reported at once, naming the directory, instead of after the whole input was processed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::{directory_of, resolve_target};

/// An output directory that is missing, not a directory, or cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputDirError {
    /// The directory the output would go in does not exist.
    #[error("cannot create {output}: directory {dir} does not exist; create it first (mkdir -p {dir}) or choose another output")]
    Missing {
        /// The output asked for.
        output: PathBuf,
        /// Its directory.
        dir: PathBuf,
    },
    /// The path's directory part names something that is not a directory.
    #[error("cannot create {output}: {dir} is not a directory; choose another output")]
    NotADirectory {
        /// The output asked for.
        output: PathBuf,
        /// What should have been a directory.
        dir: PathBuf,
    },
    /// The directory exists but refuses new files (permissions, read-only file system).
    #[error(
        "cannot write in directory {dir} ({cause}); check its permissions or choose another output"
    )]
    Unwritable {
        /// The directory.
        dir: PathBuf,
        /// What the system said.
        cause: io::Error,
    },
}

impl OutputDirError {
    /// The error for a failure to create a file in `dir`, when that failure is about the
    /// directory (permissions, read-only file system); `None` for other failures.
    pub(crate) fn unwritable(dir: &Path, err: &io::Error) -> Option<OutputDirError> {
        let about_dir = matches!(
            err.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
        );
        about_dir.then(|| OutputDirError::Unwritable {
            dir: dir.to_path_buf(),
            cause: io::Error::new(err.kind(), err.to_string()),
        })
    }
}

/// Check that the directory `output` would be written in exists and is a directory.
/// (Whether it can be written shows when the lock or temporary file is created.)
pub fn check_output_dir(output: &Path) -> Result<(), OutputDirError> {
    let target = resolve_target(output);
    let dir = directory_of(&target);
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(OutputDirError::NotADirectory {
            output: output.to_path_buf(),
            dir: dir.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(OutputDirError::Missing {
            output: output.to_path_buf(),
            dir: dir.to_path_buf(),
        }),
        // A component that is a file (`out.txt/x.jsonl`) reports NotADirectory.
        Err(_) => Err(OutputDirError::NotADirectory {
            output: output.to_path_buf(),
            dir: dir.to_path_buf(),
        }),
    }
}

/// Make sure the `--split-by-lang` directory exists: created when missing (one level: its
/// parent must exist, so a typo does not grow a tree of directories). Returns whether it was
/// created.
pub fn ensure_split_dir(dir: &Path) -> Result<bool, OutputDirError> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => return Ok(false),
        Ok(_) => {
            return Err(OutputDirError::NotADirectory {
                output: dir.to_path_buf(),
                dir: dir.to_path_buf(),
            })
        }
        Err(_) => check_output_dir(dir)?,
    }
    match fs::create_dir(dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(OutputDirError::unwritable(directory_of(dir), &e).unwrap_or(
            OutputDirError::Unwritable {
                dir: dir.to_path_buf(),
                cause: e,
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_is_named_with_what_to_do() {
        let dir = tempfile::tempdir().expect("tmp");
        let missing = dir.path().join("nope");
        let err = check_output_dir(&missing.join("out.jsonl")).expect_err("missing");
        let msg = err.to_string();
        assert!(matches!(err, OutputDirError::Missing { .. }));
        assert!(
            msg.contains(&format!("directory {} does not exist", missing.display())),
            "{msg}"
        );
        assert!(msg.contains("mkdir -p"), "{msg}");
    }

    #[test]
    fn a_bare_file_name_is_in_the_current_directory() {
        check_output_dir(Path::new("out.jsonl")).expect("cwd exists");
    }

    #[test]
    fn a_file_in_place_of_the_directory_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("file.txt");
        fs::write(&file, "x").expect("seed");
        let err = check_output_dir(&file.join("out.jsonl")).expect_err("refused");
        assert!(matches!(err, OutputDirError::NotADirectory { .. }), "{err}");
    }

    #[test]
    fn the_split_directory_is_created_one_level_only() {
        let dir = tempfile::tempdir().expect("tmp");
        let split = dir.path().join("by-lang");
        assert!(ensure_split_dir(&split).expect("created"));
        assert!(split.is_dir());
        assert!(!ensure_split_dir(&split).expect("exists"));
        let deep = dir.path().join("a/b");
        let err = ensure_split_dir(&deep).expect_err("parent missing");
        assert!(matches!(err, OutputDirError::Missing { .. }), "{err}");
        assert!(!deep.exists());
    }
}
