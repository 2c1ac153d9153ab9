//! Transparent decompression: `.gz` (every member, as Common Crawl concatenates one gzip
//! member per record) and `.zst` (every frame), chosen by the file's extension or, when the
//! extension says nothing, by the stream's magic bytes. Decoding errors are reworded to say
//! that the compressed data is truncated or corrupt, so the reader's issue is clear.

use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A compression wrapped around an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip, one member or many.
    Gzip,
    /// Zstandard, one frame or many.
    Zstd,
}

const GZIP_MAGIC: &[u8] = b"\x1f\x8b";
const ZSTD_MAGIC: &[u8] = b"\x28\xb5\x2f\xfd";

impl Compression {
    /// The compression a path's last extension names, and the path without it
    /// (`a.jsonl.gz` → gzip, `a.jsonl`), so the format can be read from what is left.
    pub fn from_path(path: &Path) -> (Compression, PathBuf) {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let compression = match ext.as_deref() {
            Some("gz" | "gzip") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => return (Compression::None, path.to_path_buf()),
        };
        (compression, path.with_extension(""))
    }

    /// The compression a stream's first bytes announce; `None` when they announce none.
    pub fn sniff(stream: &mut dyn BufRead) -> Compression {
        let Ok(head) = stream.fill_buf() else {
            // The error comes back on the first real read, where it is reported.
            return Compression::None;
        };
        if head.starts_with(GZIP_MAGIC) {
            Compression::Gzip
        } else if head.starts_with(ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// `stream`, decompressed.
    pub fn wrap(self, stream: Box<dyn BufRead + Send>) -> io::Result<Box<dyn BufRead + Send>> {
        Ok(match self {
            Compression::None => stream,
            Compression::Gzip => decoded("gzip", flate2::bufread::MultiGzDecoder::new(stream)),
            Compression::Zstd => decoded("zstd", zstd::stream::read::Decoder::with_buffer(stream)?),
        })
    }
}

fn decoded(what: &'static str, decoder: impl Read + Send + 'static) -> Box<dyn BufRead + Send> {
    Box::new(BufReader::with_capacity(
        1 << 16,
        Reworded {
            inner: decoder,
            what,
        },
    ))
}

/// A decoder whose errors say which compressed stream failed and what that means.
struct Reworded<R> {
    inner: R,
    what: &'static str,
}

impl<R: Read> Read for Reworded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                return e;
            }
            io::Error::new(
                e.kind(),
                format!("{} data is truncated or corrupt ({e})", self.what),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).expect("in memory");
        enc.finish().expect("in memory")
    }

    fn read_all(bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut stream: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(bytes));
        let compression = Compression::sniff(&mut stream);
        let mut out = Vec::new();
        compression.wrap(stream)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn the_last_extension_names_the_compression() {
        let (c, rest) = Compression::from_path(Path::new("d/a.jsonl.gz"));
        assert_eq!((c, rest), (Compression::Gzip, PathBuf::from("d/a.jsonl")));
        let (c, rest) = Compression::from_path(Path::new("a.warc.ZST"));
        assert_eq!((c, rest), (Compression::Zstd, PathBuf::from("a.warc")));
        let (c, rest) = Compression::from_path(Path::new("a.txt"));
        assert_eq!((c, rest), (Compression::None, PathBuf::from("a.txt")));
    }

    #[test]
    fn concatenated_gzip_members_are_all_read() {
        let mut bytes = gzip(b"one\n");
        bytes.extend(gzip(b"two\n"));
        assert_eq!(read_all(bytes).expect("valid"), b"one\ntwo\n");
    }

    #[test]
    fn concatenated_zstd_frames_are_all_read() {
        let mut bytes = zstd::encode_all(&b"one\n"[..], 3).expect("in memory");
        bytes.extend(zstd::encode_all(&b"two\n"[..], 3).expect("in memory"));
        assert_eq!(read_all(bytes).expect("valid"), b"one\ntwo\n");
    }

    #[test]
    fn plain_bytes_pass_through() {
        assert_eq!(read_all(b"plain".to_vec()).expect("valid"), b"plain");
    }

    #[test]
    fn truncated_gzip_is_an_error_that_says_so() {
        let text: String = (0..2000).map(|i| format!("line {i}\n")).collect();
        let mut bytes = gzip(text.as_bytes());
        bytes.truncate(bytes.len() / 2);
        let err = read_all(bytes).expect_err("truncated");
        assert!(
            err.to_string()
                .contains("gzip data is truncated or corrupt"),
            "{err}"
        );
    }

    #[test]
    fn truncated_zstd_is_an_error_that_says_so() {
        let text: String = (0..2000).map(|i| format!("line {i}\n")).collect();
        let mut bytes = zstd::encode_all(text.as_bytes(), 3).expect("in memory");
        bytes.truncate(bytes.len() / 2);
        let err = read_all(bytes).expect_err("truncated");
        assert!(
            err.to_string()
                .contains("zstd data is truncated or corrupt"),
            "{err}"
        );
    }

    #[test]
    fn corrupt_gzip_is_an_error() {
        let mut bytes = gzip(b"some text that is long enough to corrupt in the middle");
        let mid = bytes.len() / 2;
        bytes[mid..mid + 4].copy_from_slice(b"\xff\xff\xff\xff");
        assert!(read_all(bytes).is_err());
    }
}
