//! The jsonl reader on arbitrary bytes: no panic, no hang, every event names the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polyclean::read::InputFormat;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read_all(data, InputFormat::Jsonl));
