//! The container of the tables that corpus-level steps exchange between machines (repetition
//! counts, duplicate first occurrences): written by a map step on every shard, merged, read back
//! by the apply step — possibly by another version of polyclean on another machine. So the file
//! says what it holds and in which version, and carries a checksum: a truncated copy or a file of
//! the wrong kind is refused with a message, never half-read.
//!
//! Layout: the magic `PCLNTAB\n`, the kind and the format version (u16 little-endian each), the
//! body's length (u64 LE), the body (bincode, fixed little-endian integers), and the BLAKE3 hash
//! of everything before it (32 bytes).

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::write::{Destination, Prepared};

const MAGIC: &[u8; 8] = b"PCLNTAB\n";
const HEADER: usize = 8 + 2 + 2 + 8;
const CHECKSUM: usize = 32;

/// What a table file holds. The numbers are part of the format: never reuse one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Paragraph repetition counts (`polyclean hashes`).
    Repetition,
    /// First occurrences of paragraphs, documents and near-duplicate bands (`--dedup-table`).
    Dedup,
}

impl TableKind {
    fn code(self) -> u16 {
        match self {
            TableKind::Repetition => 1,
            TableKind::Dedup => 2,
        }
    }

    fn from_code(code: u16) -> Option<TableKind> {
        match code {
            1 => Some(TableKind::Repetition),
            2 => Some(TableKind::Dedup),
            _ => None,
        }
    }
}

impl fmt::Display for TableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TableKind::Repetition => "repetition counts",
            TableKind::Dedup => "duplicate table",
        })
    }
}

/// Why a table file could not be written or read. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum TableFileError {
    /// The file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file does not start with the table magic.
    #[error("{}: not a polyclean table file (give a file written by `polyclean hashes`, `--dedup-table` or `polyclean merge`)", path.display())]
    NotATable {
        /// The file.
        path: PathBuf,
    },
    /// The file holds another kind of table, or a kind this version does not know.
    #[error("{}: holds {found}, expected {expected}", path.display())]
    WrongKind {
        /// The file.
        path: PathBuf,
        /// What the caller asked for.
        expected: TableKind,
        /// What the file says it holds.
        found: String,
    },
    /// The file was written in another format version.
    #[error("{}: table format version {found}, this polyclean reads version {supported}; recompute it with this version", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// The file's version.
        found: u16,
        /// The version this build reads.
        supported: u16,
    },
    /// Truncated, altered, or not decodable.
    #[error("{}: damaged table file ({reason}); recompute it", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// The format version of every kind; bump it when a body's layout changes.
pub const VERSION: u16 = 1;

/// Write `body` as a table of `kind` to `path`, atomically (complete or absent).
pub fn write<T: Serialize>(path: &Path, kind: TableKind, body: &T) -> Result<(), TableFileError> {
    prepare(path, kind, body)?
        .commit()
        .map_err(|source| TableFileError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Write `body` to a temporary file next to `path`, synced but not yet renamed: commit it
/// together with the outputs it belongs to.
pub fn prepare<T: Serialize>(
    path: &Path,
    kind: TableKind,
    body: &T,
) -> Result<Prepared, TableFileError> {
    let io_error = |source| TableFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let encoded = bincode::serialize(body).map_err(|e| TableFileError::Damaged {
        path: path.to_path_buf(),
        reason: format!("cannot encode: {e}"),
    })?;
    let mut bytes = Vec::with_capacity(HEADER + encoded.len() + CHECKSUM);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&kind.code().to_le_bytes());
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&(encoded.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&encoded);
    let checksum = blake3::hash(&bytes);
    bytes.extend_from_slice(checksum.as_bytes());
    let mut dest = Destination::create(path).map_err(io_error)?;
    dest.write_all(&bytes).map_err(io_error)?;
    dest.prepare().map_err(io_error)
}

/// The kind of table `path` holds, checking only its header.
pub fn kind_of(path: &Path) -> Result<TableKind, TableFileError> {
    // The header only: tables run to gigabytes, and `read` checks the rest.
    let mut bytes = Vec::with_capacity(HEADER);
    std::fs::File::open(path)
        .and_then(|f| f.take(HEADER as u64).read_to_end(&mut bytes))
        .map_err(|source| TableFileError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let (code, _) = header(path, &bytes)?;
    TableKind::from_code(code).ok_or_else(|| TableFileError::WrongKind {
        path: path.to_path_buf(),
        expected: TableKind::Repetition,
        found: format!("an unknown kind ({code})"),
    })
}

/// Read the table of `kind` in `path`, checking magic, kind, version, length and checksum.
pub fn read<T: DeserializeOwned>(path: &Path, kind: TableKind) -> Result<T, TableFileError> {
    let bytes = std::fs::read(path).map_err(|source| TableFileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode(path, &bytes, kind)
}

fn decode<T: DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
    kind: TableKind,
) -> Result<T, TableFileError> {
    let damaged = |reason: String| TableFileError::Damaged {
        path: path.to_path_buf(),
        reason,
    };
    let (code, length) = header(path, bytes)?;
    if code != kind.code() {
        let found = TableKind::from_code(code)
            .map_or(format!("an unknown kind ({code})"), |k| k.to_string());
        return Err(TableFileError::WrongKind {
            path: path.to_path_buf(),
            expected: kind,
            found,
        });
    }
    let body_end = HEADER
        .checked_add(usize::try_from(length).map_err(|_| damaged("length too large".into()))?)
        .filter(|end| end + CHECKSUM == bytes.len())
        .ok_or_else(|| {
            damaged(format!(
                "{} bytes, the header announces {}",
                bytes.len(),
                length as u128 + (HEADER + CHECKSUM) as u128
            ))
        })?;
    if blake3::hash(&bytes[..body_end]).as_bytes() != &bytes[body_end..] {
        return Err(damaged("checksum mismatch".into()));
    }
    bincode::deserialize(&bytes[HEADER..body_end]).map_err(|e| damaged(e.to_string()))
}

/// The kind code and body length, after checking the magic and the version.
fn header(path: &Path, bytes: &[u8]) -> Result<(u16, u64), TableFileError> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(TableFileError::NotATable {
            path: path.to_path_buf(),
        });
    }
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let version = u16_at(10);
    if version != VERSION {
        return Err(TableFileError::Version {
            path: path.to_path_buf(),
            found: version,
            supported: VERSION,
        });
    }
    let mut length = [0u8; 8];
    length.copy_from_slice(&bytes[12..20]);
    Ok((u16_at(8), u64::from_le_bytes(length)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip_dir() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.pctable");
        (dir, path)
    }

    #[test]
    fn a_table_reads_back_as_written() {
        let (_dir, path) = roundtrip_dir();
        let body: Vec<(u64, u32)> = vec![(7, 1), (u64::MAX, 3)];
        write(&path, TableKind::Dedup, &body).expect("write");
        assert_eq!(kind_of(&path).expect("kind"), TableKind::Dedup);
        let back: Vec<(u64, u32)> = read(&path, TableKind::Dedup).expect("read");
        assert_eq!(back, body);
    }

    #[test]
    fn the_wrong_kind_is_refused_by_name() {
        let (_dir, path) = roundtrip_dir();
        write(&path, TableKind::Dedup, &vec![1u64]).expect("write");
        let err = read::<Vec<u64>>(&path, TableKind::Repetition).expect_err("wrong kind");
        assert!(matches!(err, TableFileError::WrongKind { .. }));
        assert!(err
            .to_string()
            .contains("holds duplicate table, expected repetition counts"));
        assert!(err.to_string().contains("t.pctable"));
    }

    #[test]
    fn truncated_altered_and_foreign_files_are_refused() {
        let (_dir, path) = roundtrip_dir();
        write(&path, TableKind::Repetition, &vec![1u64, 2, 3]).expect("write");
        let good = std::fs::read(&path).expect("read");

        std::fs::write(&path, &good[..good.len() - 1]).expect("truncate");
        let err = read::<Vec<u64>>(&path, TableKind::Repetition).expect_err("truncated");
        assert!(matches!(err, TableFileError::Damaged { .. }), "{err}");

        let mut altered = good.clone();
        altered[HEADER + 3] ^= 1;
        std::fs::write(&path, &altered).expect("alter");
        let err = read::<Vec<u64>>(&path, TableKind::Repetition).expect_err("altered");
        assert!(err.to_string().contains("checksum mismatch"), "{err}");

        std::fs::write(&path, b"{\"id\": 1}\n").expect("foreign");
        let err = read::<Vec<u64>>(&path, TableKind::Repetition).expect_err("foreign");
        assert!(matches!(err, TableFileError::NotATable { .. }));

        let mut newer = good;
        newer[10] = 9;
        std::fs::write(&path, &newer).expect("version");
        let err = read::<Vec<u64>>(&path, TableKind::Repetition).expect_err("version");
        assert!(matches!(err, TableFileError::Version { found: 9, .. }));
    }
}
