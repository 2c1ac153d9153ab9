//! One run per output at a time. Two runs writing the same file would each rename their
//! complete temporary file over it, and the last one silently wins; worse, the second run's
//! start-up cleanup of stale temporary files could delete the first run's. So a run takes an
//! exclusive lock on `<output>.lock` (or `DIR/.polyclean.lock` for `--split-by-lang DIR`) for
//! its whole duration.
//!
//! The lock is an OS file lock (`flock`), released by the kernel when its process dies: a lock
//! file that exists but is not locked was left by a killed run and is taken over. The file
//! records the holder's pid and start time, for the message a second run prints. It is removed
//! on release while still locked; a run that locks a file must then check that the path still
//! names the file it locked (else it locked a removed file, and retries), so that removal
//! cannot let two runs in.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::atomic::{directory_of, resolve_target};
use super::OutputDirError;

/// The lock file's name inside a `--split-by-lang` directory.
pub const DIR_LOCK_NAME: &str = ".polyclean.lock";

/// How many times to retry when the lock file is replaced under us (another run releasing it).
const ATTEMPTS: usize = 10;

/// Who holds (or held) a lock, as recorded in the lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    /// The process id.
    pub pid: Option<u32>,
    /// When the run started, UTC, ISO 8601.
    pub started: Option<String>,
}

impl Holder {
    fn current() -> Holder {
        Holder {
            pid: Some(std::process::id()),
            started: Some(utc_timestamp(SystemTime::now())),
        }
    }

    /// Read `pid N` and `started T` lines; anything else is ignored.
    fn parse(text: &str) -> Holder {
        let mut holder = Holder::default();
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("pid", v)) => holder.pid = v.trim().parse().ok(),
                Some(("started", v)) => holder.started = Some(v.trim().to_string()),
                _ => {}
            }
        }
        holder
    }

    fn render(&self) -> String {
        let mut text = String::new();
        if let Some(pid) = self.pid {
            text += &format!("pid {pid}\n");
        }
        if let Some(started) = &self.started {
            text += &format!("started {started}\n");
        }
        text
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "pid {pid}")?,
            None => write!(f, "pid unknown")?,
        }
        match &self.started {
            Some(started) => write!(f, ", started {started}"),
            None => Ok(()),
        }
    }
}

/// Why an output could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live run holds the lock.
    #[error("{output} is being written by another polyclean run ({holder}; lock file {lock}); wait for that run to finish, or stop it, or choose another output")]
    Held {
        /// The output asked for.
        output: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// What the lock file says about its holder.
        holder: Holder,
    },
    /// The lock file's directory refuses new files.
    #[error(transparent)]
    Directory(#[from] OutputDirError),
    /// The lock file could not be created, read or written.
    #[error("{lock}: cannot use the lock file ({cause}); check the directory, or remove the file if it is not a regular file")]
    Io {
        /// The lock file.
        lock: PathBuf,
        /// What the system said.
        cause: io::Error,
    },
}

/// An exclusive lock on an output, held until dropped; dropping removes the lock file.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
    taken_over: Option<Holder>,
}

impl OutputLock {
    /// Lock the file output `output` through `<output>.lock` beside it (beside the link's
    /// target for a symbolic link, which is the file replaced).
    pub fn acquire(output: &Path) -> Result<OutputLock, LockError> {
        let target = resolve_target(output);
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        OutputLock::acquire_at(target.with_file_name(name), output)
    }

    /// Lock the `--split-by-lang` directory `dir` through `dir/.polyclean.lock`.
    pub fn acquire_dir(dir: &Path) -> Result<OutputLock, LockError> {
        OutputLock::acquire_at(dir.join(DIR_LOCK_NAME), dir)
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The run that held this lock before and died without releasing it, if any.
    pub fn taken_over(&self) -> Option<&Holder> {
        self.taken_over.as_ref()
    }

    fn acquire_at(path: PathBuf, output: &Path) -> Result<OutputLock, LockError> {
        let io_error = |cause| LockError::Io {
            lock: path.clone(),
            cause,
        };
        for _ in 0..ATTEMPTS {
            let mut file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            {
                Ok(file) => file,
                Err(e) => {
                    return Err(match OutputDirError::unwritable(directory_of(&path), &e) {
                        Some(dir_error) => dir_error.into(),
                        None => io_error(e),
                    })
                }
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        output: output.to_path_buf(),
                        lock: path.clone(),
                        holder: Holder::parse(&read_all(&mut file).unwrap_or_default()),
                    })
                }
                Err(TryLockError::Error(e)) => return Err(io_error(e)),
            }
            // Locked, but maybe a file its holder removed on release after we opened it.
            if !still_named_by(&file, &path).map_err(io_error)? {
                continue;
            }
            let previous = read_all(&mut file).map_err(io_error)?;
            let taken_over = (!previous.trim().is_empty()).then(|| Holder::parse(&previous));
            record(&mut file, &Holder::current()).map_err(io_error)?;
            return Ok(OutputLock {
                file,
                path,
                taken_over,
            });
        }
        Err(io_error(io::Error::other(
            "the lock file kept being replaced by other runs; try again",
        )))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked (the lock goes when `file` closes, after this):
        // a run that opened the old file sees it is no longer the path's and retries.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn read_all(file: &mut File) -> io::Result<String> {
    let mut text = String::new();
    file.rewind()?;
    file.read_to_string(&mut text)?;
    Ok(text)
}

fn record(file: &mut File, holder: &Holder) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(holder.render().as_bytes())?;
    file.flush()
}

/// Whether `path` still names the open `file` (same device and inode).
#[cfg(unix)]
fn still_named_by(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata()?;
    match fs::symlink_metadata(path) {
        Ok(named) => Ok(named.dev() == open.dev() && named.ino() == open.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Elsewhere an open file cannot be removed, so the path always names it.
#[cfg(not(unix))]
fn still_named_by(_file: &File, path: &Path) -> io::Result<bool> {
    Ok(path.exists())
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ` (times before 1970, a clock gone wrong, as the epoch).
fn utc_timestamp(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time.max(UNIX_EPOCH)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_second_lock_on_the_same_output_is_refused_with_the_holder() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("out.jsonl");
        let first = OutputLock::acquire(&out).expect("first");
        assert_eq!(first.path(), dir.path().join("out.jsonl.lock"));
        let err = OutputLock::acquire(&out).expect_err("second refused");
        let LockError::Held { holder, .. } = &err else {
            panic!("not Held: {err}");
        };
        assert_eq!(holder.pid, Some(std::process::id()));
        let msg = err.to_string();
        assert!(msg.contains(&out.display().to_string()), "{msg}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains("started 20"), "{msg}");
    }

    #[test]
    fn release_removes_the_lock_file_and_frees_the_output() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("out.jsonl");
        let lock = OutputLock::acquire(&out).expect("first");
        let path = lock.path().to_path_buf();
        assert!(path.exists());
        drop(lock);
        assert!(!path.exists());
        let again = OutputLock::acquire(&out).expect("free again");
        assert!(again.taken_over().is_none());
    }

    #[test]
    fn an_unlocked_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("out.jsonl");
        fs::write(
            dir.path().join("out.jsonl.lock"),
            "pid 4242\nstarted 2020-01-02T03:04:05Z\n",
        )
        .expect("seed");
        let lock = OutputLock::acquire(&out).expect("taken over");
        let previous = lock.taken_over().expect("noted");
        assert_eq!(previous.pid, Some(4242));
        assert_eq!(
            previous.to_string(),
            "pid 4242, started 2020-01-02T03:04:05Z"
        );
        let now = fs::read_to_string(lock.path()).expect("read");
        assert!(
            now.starts_with(&format!("pid {}\n", std::process::id())),
            "{now}"
        );
    }

    #[test]
    fn a_lock_on_a_removed_file_is_not_kept() {
        // The race the inode check closes: a file locked after its holder removed it.
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("x.lock");
        let file = File::create(&path).expect("create");
        assert!(still_named_by(&file, &path).expect("stat"));
        fs::remove_file(&path).expect("rm");
        assert!(!still_named_by(&file, &path).expect("stat"));
        File::create(&path).expect("recreate");
        assert!(!still_named_by(&file, &path).expect("stat"));
    }

    #[test]
    fn the_directory_lock_lives_inside_the_directory() {
        let dir = tempfile::tempdir().expect("tmp");
        let lock = OutputLock::acquire_dir(dir.path()).expect("lock");
        assert_eq!(lock.path(), dir.path().join(DIR_LOCK_NAME));
        assert!(matches!(
            OutputLock::acquire_dir(dir.path()),
            Err(LockError::Held { .. })
        ));
    }

    #[test]
    fn timestamps_are_utc_iso_8601() {
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400 + 3_723); // 2000-02-29 01:02:03
        assert_eq!(utc_timestamp(t), "2000-02-29T01:02:03Z");
        assert_eq!(utc_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
    }
}
