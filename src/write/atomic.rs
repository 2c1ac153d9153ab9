//! Output files that appear complete or not at all: bytes go to a temporary file in the
//! target's directory, which is flushed, synced and renamed over the target on `commit`.
//! Dropped without a commit (an error, a panic), the temporary file is deleted.

use std::fs::File;
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
}

impl Destination {
    /// Open `path` for writing; `-` is standard output.
    pub fn create(path: &Path) -> io::Result<Destination> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout(BufWriter::new(io::stdout())));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let file = tempfile::Builder::new()
            .prefix(".polyclean-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        Ok(Destination::File {
            writer: BufWriter::with_capacity(1 << 20, file),
            target: path.to_path_buf(),
        })
    }

    /// Make the output visible: flush, fsync and rename into place (or flush stdout).
    pub fn commit(self) -> io::Result<()> {
        match self {
            Destination::Stdout(mut w) => w.flush(),
            Destination::File { writer, target } => {
                let temp = writer.into_inner().map_err(|e| e.into_error())?;
                temp.as_file().sync_all()?;
                temp.persist(&target).map_err(|e| e.error)?;
                sync_dir(&target);
                Ok(())
            }
        }
    }
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
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::File { writer, .. } => writer.flush(),
            Destination::Stdout(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
