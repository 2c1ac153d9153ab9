//! Sniffed input (gzip, zstd, or plain; WARC, JSONL or text) on arbitrary bytes: no panic,
//! no hang, every event names the input. Seeds are small compressed files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polyclean::read::InputFormat;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read_all(data, InputFormat::Auto));
