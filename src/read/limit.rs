//! Reading with a size limit in bounded memory: a line longer than the limit is scanned to
//! its end and discarded, never buffered whole.

use std::io::{self, BufRead};

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// End of the stream: nothing was read.
    Eof,
    /// A line (with its `\n`, if any) is in the buffer.
    Read,
    /// The line was longer than the limit; it was consumed and discarded, and the buffer
    /// holds only its first bytes. The field is its full length in bytes.
    TooLong(u64),
}

/// Read one line into `buf` (cleared first), keeping at most `limit` bytes of it.
pub fn read_line(stream: &mut dyn BufRead, buf: &mut Vec<u8>, limit: u64) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    loop {
        let chunk = match stream.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (used, found) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = usize::try_from(limit.saturating_sub(buf.len() as u64)).unwrap_or(usize::MAX);
        buf.extend_from_slice(&chunk[..used.min(room)]);
        total += used as u64;
        stream.consume(used);
        if found {
            break;
        }
    }
    Ok(if total == 0 {
        Line::Eof
    } else if total > limit {
        Line::TooLong(total)
    } else {
        Line::Read
    })
}

/// The message for a record of `len` bytes over the `limit`.
pub fn over_limit(what: &str, len: u64, limit: u64) -> String {
    format!(
        "{what} of {len} bytes is larger than the {} document limit; record skipped (raise it with --max-document-mb)",
        size(limit)
    )
}

/// A size in bytes for messages: `200.0 MiB`, `12 KiB`, `17 bytes`.
pub fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Read};

    /// `n` bytes of `a` then `\nnext\n`, produced on the fly.
    fn long_line(n: u64) -> impl BufRead {
        BufReader::new(io::repeat(b'a').take(n).chain(&b"\nnext\n"[..]))
    }

    #[test]
    fn lines_within_the_limit_are_read_whole() {
        let mut stream = &b"one\ntwo"[..];
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut stream, &mut buf, 10).expect("ok"),
            Line::Read
        );
        assert_eq!(buf, b"one\n");
        assert_eq!(
            read_line(&mut stream, &mut buf, 10).expect("ok"),
            Line::Read
        );
        assert_eq!(buf, b"two");
        assert_eq!(read_line(&mut stream, &mut buf, 10).expect("ok"), Line::Eof);
    }

    #[test]
    fn a_long_line_is_discarded_in_bounded_memory() {
        let mut stream = long_line(50 << 20);
        let mut buf = Vec::new();
        let found = read_line(&mut stream, &mut buf, 1000).expect("ok");
        assert_eq!(found, Line::TooLong((50 << 20) + 1));
        assert!(
            buf.capacity() < 64 * 1024,
            "buffer grew to {}",
            buf.capacity()
        );
        assert_eq!(
            read_line(&mut stream, &mut buf, 1000).expect("ok"),
            Line::Read
        );
        assert_eq!(buf, b"next\n");
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_kept() {
        let mut stream = long_line(10);
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut stream, &mut buf, 11).expect("ok"),
            Line::Read
        );
        assert_eq!(
            read_line(&mut stream, &mut buf, 10).expect("ok"),
            Line::Read
        );
        assert_eq!(buf, b"next\n");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(200 << 20), "200.0 MiB");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(17), "17 bytes");
    }
}
