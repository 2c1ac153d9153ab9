//! The repetition pass of a run in bounded memory, with the decisions of exact counting.
//!
//! Counting every distinct paragraph of a run ([`Repetition`]) takes memory in proportion to
//! the input. A run only needs the counts of the paragraphs that reach the threshold, so:
//! 1. while the inputs are read, every document's paragraph keys go into a fixed-size
//!    [`CountSketch`] and, as 8-byte hashes, into an unnamed temporary file;
//! 2. the temporary file is read back and only the keys the sketch lets through — every key
//!    in at least the threshold's number of documents, plus a few false positives — are
//!    counted exactly, document by document as before;
//! 3. the keys that fall short are forgotten, so the main pass holds only the repeated ones.
//!
//! A key that reaches the threshold is never filtered out, and a key's exact counts depend
//! only on the documents it occurs in, so every `repeated` decision and count is the one of the
//! exact table. Reading the hashes back costs a sequential read of 8 bytes per paragraph,
//! not a second parse of the inputs.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use super::repeated::Repetition;
use super::sketch::{CountSketch, DEFAULT_BITS};

/// Counts the documents of one run for `repeated` (see the module documentation).
pub struct BoundedCounter {
    sketch: CountSketch,
    spill: BufWriter<File>,
    min_documents: u32,
}

impl BoundedCounter {
    /// A counter for threshold `min_documents`, with the default sketch (16 MiB); the
    /// hashes go to an unnamed file in the temporary directory (`TMPDIR`).
    pub fn new(min_documents: u32) -> io::Result<Self> {
        Self::with_sketch_bits(min_documents, DEFAULT_BITS)
    }

    /// A counter whose sketch holds `2^bits` one-byte counters.
    pub fn with_sketch_bits(min_documents: u32, bits: u32) -> io::Result<Self> {
        let file = tempfile::tempfile().map_err(|e| temp_error("create", e))?;
        Ok(BoundedCounter {
            sketch: CountSketch::new(bits, min_documents),
            spill: BufWriter::with_capacity(1 << 16, file),
            min_documents,
        })
    }

    /// Count one document: its fingerprint ([`Repetition::fingerprint`]) and the hashes of
    /// its paragraphs (duplicates inside the document count once).
    pub fn add_document(&mut self, fingerprint: u64, mut hashes: Vec<u64>) -> io::Result<()> {
        hashes.sort_unstable();
        hashes.dedup();
        for &h in &hashes {
            self.sketch.add(h);
        }
        self.write_document(fingerprint, &hashes)
            .map_err(|e| temp_error("write", e))
    }

    fn write_document(&mut self, fingerprint: u64, hashes: &[u64]) -> io::Result<()> {
        self.spill.write_all(&fingerprint.to_le_bytes())?;
        self.spill.write_all(&(hashes.len() as u64).to_le_bytes())?;
        for h in hashes {
            self.spill.write_all(&h.to_le_bytes())?;
        }
        Ok(())
    }

    /// The exact counts of the paragraphs in at least the threshold's number of distinct
    /// documents — the only ones [`Repetition::repeated`] answers for. The sketch and the
    /// temporary file are released.
    pub fn finish(self) -> io::Result<Repetition> {
        let BoundedCounter {
            sketch,
            spill,
            min_documents,
        } = self;
        let mut file = spill
            .into_inner()
            .map_err(|e| temp_error("write", e.into_error()))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| temp_error("read", e))?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut repetition = Repetition::new(min_documents);
        let mut candidates = Vec::new();
        while let Some(fingerprint) = read_u64(&mut reader).map_err(|e| temp_error("read", e))? {
            let n = read_u64(&mut reader)
                .and_then(|n| n.ok_or_else(|| io::ErrorKind::UnexpectedEof.into()))
                .map_err(|e| temp_error("read", e))?;
            candidates.clear();
            for _ in 0..n {
                let h = read_u64(&mut reader)
                    .and_then(|h| h.ok_or_else(|| io::ErrorKind::UnexpectedEof.into()))
                    .map_err(|e| temp_error("read", e))?;
                if sketch.may_reach(h) {
                    candidates.push(h);
                }
            }
            if !candidates.is_empty() {
                repetition.add_document(fingerprint, candidates.iter().copied());
            }
        }
        repetition.retain_repeated();
        Ok(repetition)
    }
}

/// The next little-endian u64, or `None` at the end of the file.
fn read_u64(reader: &mut impl Read) -> io::Result<Option<u64>> {
    let mut buf = [0u8; 8];
    match reader.read_exact(&mut buf) {
        Ok(()) => Ok(Some(u64::from_le_bytes(buf))),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

/// An error of the temporary file, saying where it is and what to do.
fn temp_error(what: &str, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "cannot {what} the repetition pass's temporary file in {} ({e}); set TMPDIR to a directory with room for 8 bytes per paragraph of the input, or turn `repeated` off",
            std::env::temp_dir().display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Documents as (fingerprint, paragraph keys): templates in many documents, copies of
    /// documents, keys just under and at the threshold, and many unique keys.
    fn corpus() -> Vec<(u64, Vec<u64>)> {
        (0..300u64)
            .map(|d| {
                let fingerprint = 5000 + d % 97; // some documents are copies of others
                let mut keys = vec![1, 2 + d % 3, 10_000 + d, 20_000 + d, 1];
                if d < 3 {
                    keys.push(7); // in exactly three documents
                }
                if d < 2 {
                    keys.push(8); // in two
                }
                if d % 97 == 0 {
                    keys.push(9); // in copies of one document only
                }
                (fingerprint, keys)
            })
            .collect()
    }

    fn every_key() -> Vec<u64> {
        let mut keys: Vec<u64> = corpus().into_iter().flat_map(|(_, k)| k).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    #[test]
    fn decides_as_the_exact_table_even_with_a_tiny_sketch() {
        for bits in [4, 6, 10, 20] {
            let mut exact = Repetition::new(3);
            let mut bounded = BoundedCounter::with_sketch_bits(3, bits).expect("temp file");
            for (fp, keys) in corpus() {
                exact.add_document(fp, keys.clone());
                bounded.add_document(fp, keys).expect("spill");
            }
            let bounded = bounded.finish().expect("read back");
            for h in every_key() {
                assert_eq!(
                    bounded.repeated_hash(h),
                    exact.repeated_hash(h),
                    "key {h}, 2^{bits} counters"
                );
            }
            assert_eq!(bounded.repeated_hash(7), Some(3));
            assert_eq!(bounded.repeated_hash(1), Some(300));
            assert_eq!(bounded.repeated_hash(9), None, "copies are one document");
        }
    }

    #[test]
    fn keeps_only_the_repeated_keys() {
        let mut bounded = BoundedCounter::with_sketch_bits(3, 4).expect("temp file");
        for (fp, keys) in corpus() {
            bounded.add_document(fp, keys).expect("spill");
        }
        let counts = bounded.finish().expect("read back");
        // 1, 2, 3, 4 and 7: everything else is in fewer than three distinct documents.
        assert_eq!(counts.len(), 5, "even with every key a candidate");
    }
}
