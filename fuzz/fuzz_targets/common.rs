//! Shared by the reader targets: read arbitrary bytes as one input in the given format,
//! with the default size limit and with a tiny one (so the over-limit paths run too).

use polyclean::read::{Event, InputFormat, ReadOptions, Reader};

/// Drain a reader over `data`; every event must name the input, nothing may panic.
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
                Event::Document(doc) => assert_eq!(doc.source, "fuzz"),
                Event::Issue(issue) => {
                    assert!(issue.location.starts_with("fuzz"), "{issue}");
                    assert!(!issue.message.is_empty());
                }
            }
        }
    }
}
