//! Shared by the reader targets: read arbitrary bytes as one input in the given format,
//! with the default size limit and with a tiny one (so the over-limit paths run too).

use polyclean::read::{Event, InputFormat, ReadOptions, Reader};

/// Drain a reader over `data`; every event must name the input (records as `fuzz:…`), nothing
/// may panic.
pub fn read_all(data: &[u8], format: InputFormat) {
    for max_document_bytes in [ReadOptions::default().max_document_bytes, 100] {
        let options = ReadOptions {
            format,
            max_document_bytes,
            ..ReadOptions::default()
        };
        let reader = Reader::from_stream(std::io::Cursor::new(data.to_vec()), "fuzz", options);
        // A reader that loops forever on bad input would hang here: libFuzzer reports it.
        for event in reader {
            match event {
                // Records are named `fuzz:<line>` or `fuzz:record <n>`.
                Event::Document(doc) => assert!(doc.source.starts_with("fuzz"), "{}", doc.source),
                Event::Issue(issue) => {
                    assert!(issue.location.starts_with("fuzz"), "{issue}");
                    assert!(!issue.message.is_empty());
                }
            }
        }
    }
}
