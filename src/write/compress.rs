//! Compressed outputs: gzip or zstd, chosen by the output's extension. The encoder sits on top
//! of the atomic [`Destination`] and is finished (gzip trailer, zstd frame end) before the
//! destination is committed, so a compressed output is complete or absent, never truncated.

use std::io::{self, Write};
use std::path::Path;

use flate2::write::GzEncoder;

use super::Destination;

/// How an output's bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Written as is.
    #[default]
    None,
    /// gzip (`.gz`), level 6.
    Gzip,
    /// zstd (`.zst`), level 3.
    Zstd,
}

/// zstd's default level: good ratio at several hundred MB/s.
const ZSTD_LEVEL: i32 = 3;

impl Compression {
    /// The compression a path's last extension asks for (`.gz`, `.zst`; anything else: none).
    pub fn from_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(ext) if ext.eq_ignore_ascii_case("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// The file-name suffix, with its dot (`""` for none).
    pub fn suffix(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => ".gz",
            Compression::Zstd => ".zst",
        }
    }
}

/// A [`Destination`] behind an optional encoder: what the sinks write to.
pub enum Output {
    /// Uncompressed.
    Plain(Destination),
    /// gzip-compressed.
    Gzip(GzEncoder<Destination>),
    /// zstd-compressed.
    Zstd(zstd::Encoder<'static, Destination>),
}

impl Output {
    /// Wrap `dest` in the encoder `compression` asks for.
    pub fn new(dest: Destination, compression: Compression) -> io::Result<Output> {
        Ok(match compression {
            Compression::None => Output::Plain(dest),
            Compression::Gzip => Output::Gzip(GzEncoder::new(dest, flate2::Compression::default())),
            Compression::Zstd => Output::Zstd(zstd::Encoder::new(dest, ZSTD_LEVEL)?),
        })
    }

    /// Whether the bytes go uncompressed to a stream ([`Destination::is_stream`]): only then
    /// is flushing after each batch worth it (a compressor flushed early loses ratio).
    pub fn is_plain_stream(&self) -> bool {
        matches!(self, Output::Plain(dest) if dest.is_stream())
    }

    /// Flush an uncompressed stream (see [`Sink::end_batch`](super::Sink::end_batch)); a
    /// file or a compressed output keeps its buffers.
    pub fn end_batch(&mut self) -> io::Result<()> {
        if self.is_plain_stream() {
            self.flush()?;
        }
        Ok(())
    }

    /// End the compressed stream and hand back the destination, still uncommitted.
    pub fn finish_encoding(self) -> io::Result<Destination> {
        match self {
            Output::Plain(dest) => Ok(dest),
            Output::Gzip(encoder) => encoder.finish(),
            Output::Zstd(encoder) => encoder.finish(),
        }
    }

    /// End the compressed stream, then commit the destination.
    pub fn commit(self) -> io::Result<()> {
        self.finish_encoding()?.commit()
    }
}

impl From<Destination> for Output {
    fn from(dest: Destination) -> Output {
        Output::Plain(dest)
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Plain(w) => w.write(buf),
            Output::Gzip(w) => w.write(buf),
            Output::Zstd(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.write_all(buf),
            Output::Gzip(w) => w.write_all(buf),
            Output::Zstd(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.flush(),
            Output::Gzip(w) => w.flush(),
            Output::Zstd(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn round_trip(compression: Compression, decode: impl Fn(&[u8]) -> Vec<u8>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        let dest = Destination::create(&target).expect("create");
        let mut out = Output::new(dest, compression).expect("encoder");
        out.write_all(b"bonjour\n").expect("write");
        assert!(!target.exists(), "visible before the commit");
        out.commit().expect("commit");
        let bytes = std::fs::read(&target).expect("read");
        assert_eq!(decode(&bytes), b"bonjour\n");
    }

    #[test]
    fn gzip_output_decompresses_to_what_was_written() {
        round_trip(Compression::Gzip, |b| {
            let mut s = Vec::new();
            flate2::read::GzDecoder::new(b)
                .read_to_end(&mut s)
                .expect("gunzip");
            s
        });
    }

    #[test]
    fn zstd_output_decompresses_to_what_was_written() {
        round_trip(Compression::Zstd, |b| zstd::decode_all(b).expect("unzstd"));
    }

    #[test]
    fn compression_follows_the_last_extension() {
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.gz")),
            Compression::Gzip
        );
        assert_eq!(
            Compression::from_path(Path::new("a.csv.ZST")),
            Compression::Zstd
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl")),
            Compression::None
        );
    }
}
