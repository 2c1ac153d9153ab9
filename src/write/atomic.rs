//! Output files that appear complete or not at all: bytes go to a temporary file in the
//! target's directory, which is flushed, synced and renamed over the target on `commit`.
//! Dropped without a commit (an error, a panic), the temporary file is deleted.
//!
//! The temporary file is named after its output, `.<name>.polyclean-XXXXXX.tmp`, so that one
//! left by a run killed outright (`kill -9`, a power cut) can be recognised and removed by the
//! next run on the same output ([`clean_stale_temporaries`]).
//!
//! Only regular files get that treatment. An existing device, FIFO or socket (`-o /dev/null`,
//! a named pipe read by another program) is written in place: renaming a file over it would
//! replace the device with a regular file — for `/dev/null`, breaking every later program on
//! the machine that reads or writes it. A symbolic link is followed, so the link survives and its
//! target is the file replaced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Where an output goes: a file committed atomically, or standard output (`-`).
pub enum Destination {
    /// A temporary file renamed to `target` on commit.
    File {
        /// The temporary file, buffered.
        writer: BufWriter<NamedTempFile>,
        /// The final path.
        target: PathBuf,
    },
    /// Standard output, streamed as written.
    Stdout(BufWriter<io::Stdout>),
    /// An existing file that is not a regular file (a device, a FIFO), written in place.
    Special(BufWriter<File>),
}

impl Destination {
    /// Open `path` for writing; `-` is standard output.
    pub fn create(path: &Path) -> io::Result<Destination> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout(BufWriter::new(io::stdout())));
        }
        // `metadata` follows symbolic links: what matters is what the path leads to.
        let target = match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "the output is a directory; give a file path",
                ))
            }
            Ok(meta) if !meta.is_file() => {
                let file = OpenOptions::new().write(true).open(path)?;
                return Ok(Destination::Special(BufWriter::new(file)));
            }
            Ok(_) if fs::symlink_metadata(path)?.file_type().is_symlink() => {
                fs::canonicalize(path)?
            }
            _ => path.to_path_buf(),
        };
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let prefix = temp_prefix(&name);
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(TEMP_RANDOM);
        // Like any new file (0666 less the umask), not tempfile's private 0600: the output
        // is for other people and programs too.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder.tempfile_in(directory_of(&target))?;
        Ok(Destination::File {
            writer: BufWriter::with_capacity(1 << 20, file),
            target,
        })
    }

    /// Whether the output is a stream another program may be reading as it is written
    /// (stdout, a FIFO or device) rather than a file that appears on commit.
    pub fn is_stream(&self) -> bool {
        !matches!(self, Destination::File { .. })
    }

    /// Make the output visible: flush, fsync and rename into place (or flush stdout).
    pub fn commit(self) -> io::Result<()> {
        self.prepare()?.commit()
    }

    /// The first half of [`commit`](Self::commit): flush and fsync, but do not rename yet.
    /// Several outputs that must appear together are all prepared before any is renamed.
    pub fn prepare(self) -> io::Result<Prepared> {
        match self {
            Destination::Stdout(mut w) => w.flush().map(|()| Prepared(None)),
            Destination::Special(mut w) => w.flush().map(|()| Prepared(None)),
            Destination::File { writer, target } => {
                let temp = writer.into_inner().map_err(|e| e.into_error())?;
                temp.as_file().sync_all()?;
                Ok(Prepared(Some((temp, target))))
            }
        }
    }
}

/// An output whose bytes are all on disk, waiting to be renamed into place; dropped, its
/// temporary file is deleted.
pub struct Prepared(Option<(NamedTempFile, PathBuf)>);

impl Prepared {
    /// Rename the temporary file over the target.
    pub fn commit(self) -> io::Result<()> {
        let Some((temp, target)) = self.0 else {
            return Ok(());
        };
        temp.persist(&target).map_err(|e| e.error)?;
        sync_dir(&target);
        Ok(())
    }
}

/// Temporary names: `.<name>.polyclean-` + 6 random letters or digits + `.tmp`.
const TEMP_MARK: &str = ".polyclean-";
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM: usize = 6;

fn temp_prefix(name: &str) -> String {
    format!(".{name}{TEMP_MARK}")
}

/// The directory a path's file lives in (`.` for a bare file name).
pub(crate) fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The file an output path is written to: the target of a symbolic link, else the path.
pub(crate) fn resolve_target(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// The name of the output whose temporary file `file_name` is, if it is one.
fn temporary_of(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let (name, random) = rest.rsplit_once(TEMP_MARK)?;
    let random_ok =
        random.len() == TEMP_RANDOM && random.bytes().all(|b| b.is_ascii_alphanumeric());
    (random_ok && !name.is_empty()).then_some(name)
}

/// Remove the temporary files that runs killed before their commit left next to `output`,
/// and return their paths. Call it only while holding the output's lock
/// ([`OutputLock`](super::OutputLock)): then no live run owns any of them.
pub fn clean_stale_temporaries(output: &Path) -> io::Result<Vec<PathBuf>> {
    let target = resolve_target(output);
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
        return Ok(Vec::new());
    };
    remove_temporaries(directory_of(&target), |n| n == name)
}

/// Remove the temporary files in `dir` whose output name passes `belongs`; return their paths.
pub(crate) fn remove_temporaries(
    dir: &Path,
    belongs: impl Fn(&str) -> bool,
) -> io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let is_ours = entry
            .file_name()
            .to_str()
            .and_then(temporary_of)
            .is_some_and(&belongs);
        if is_ours && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
            removed.push(entry.path());
        }
    }
    removed.sort();
    Ok(removed)
}

/// Sync the directory so the rename itself survives a crash; best effort.
fn sync_dir(target: &Path) {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::File { writer, .. } => writer.write(buf),
            Destination::Stdout(w) => w.write(buf),
            Destination::Special(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::File { writer, .. } => writer.flush(),
            Destination::Stdout(w) => w.flush(),
            Destination::Special(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_temporary_of(file_name: &str, name: &str) -> bool {
        temporary_of(file_name) == Some(name)
    }

    #[test]
    fn file_appears_only_on_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out.jsonl");
        let mut dest = Destination::create(&target).expect("create");
        dest.write_all(b"hello\n").expect("write");
        dest.flush().expect("flush");
        assert!(!target.exists());
        dest.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "hello\n");
    }

    #[test]
    fn dropped_output_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out.jsonl");
        {
            let mut dest = Destination::create(&target).expect("create");
            dest.write_all(b"partial").expect("write");
        }
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
    }

    #[test]
    fn commit_replaces_an_existing_file_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old contents that are longer").expect("seed");
        let mut dest = Destination::create(&target).expect("create");
        dest.write_all(b"new").expect("write");
        dest.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_stays_a_link_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.jsonl");
        let link = dir.path().join("link.jsonl");
        std::fs::write(&real, "old").expect("seed");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let mut dest = Destination::create(&link).expect("create");
        dest.write_all(b"new").expect("write");
        dest.commit().expect("commit");
        let link_meta = std::fs::symlink_metadata(&link).expect("stat link");
        assert!(link_meta.file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_in_place_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo unavailable; skipping");
            return;
        }
        // A non-blocking reader: opening does not wait for a writer, and if the FIFO were
        // replaced the read below would come back empty instead of hanging.
        let mut reader = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo)
            .expect("open fifo for reading");
        let mut dest = Destination::create(&fifo).expect("create");
        dest.write_all(b"through the pipe\n").expect("write");
        dest.commit().expect("commit");
        let mut received = String::new();
        let _ = reader.read_to_string(&mut received);
        assert_eq!(received, "through the pipe\n");
        let meta = std::fs::symlink_metadata(&fifo).expect("stat fifo");
        assert!(
            meta.file_type().is_fifo(),
            "the FIFO was replaced by a regular file"
        );
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[test]
    fn the_temporary_file_is_named_after_its_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out.jsonl");
        let _dest = Destination::create(&target).expect("create");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(is_temporary_of(&names[0], "out.jsonl"), "{names:?}");
    }

    #[test]
    fn stale_temporaries_of_the_output_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let keep = [
            "out.jsonl",
            ".other.jsonl.polyclean-abc123.tmp",
            ".out.jsonl.polyclean-abc12.tmp",
            ".out.jsonl.polyclean-abc123.tmp.bak",
            "notes.txt",
        ];
        for name in keep {
            std::fs::write(dir.path().join(name), "x").expect("seed");
        }
        let stale = dir.path().join(".out.jsonl.polyclean-Zx9q2A.tmp");
        std::fs::write(&stale, "half a file").expect("seed");
        let removed = clean_stale_temporaries(&dir.path().join("out.jsonl")).expect("clean");
        assert_eq!(removed, vec![stale.clone()]);
        assert!(!stale.exists());
        for name in keep {
            assert!(dir.path().join(name).exists(), "{name} was removed");
        }
    }

    #[test]
    fn prepared_outputs_appear_only_on_their_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out.jsonl");
        let mut dest = Destination::create(&target).expect("create");
        dest.write_all(b"ready\n").expect("write");
        let prepared = dest.prepare().expect("prepare");
        assert!(!target.exists());
        prepared.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "ready\n");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = Destination::create(dir.path()).err().expect("refused");
        assert_eq!(err.kind(), io::ErrorKind::IsADirectory);
    }
}
