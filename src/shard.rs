//! Scale-out: which part of a run's inputs one worker reads.
//!
//! A run over a list of inputs can be split into `N` shards (`--shard I/N`) that machines run
//! independently; together they output exactly the records of the whole run, each once, with
//! the same bytes. The rule, deterministic and documented in docs/scale-out.md:
//!
//! - with at least `N` inputs, **by input**: input `i` belongs to shard `i mod N`;
//! - with fewer, **by record**: record `r` of input `i` belongs to shard `(i + r) mod N`.
//!
//! `i` is the input's index in the run's whole expanded input list (plus `--input-index`), and
//! every document keeps that [`Position`], so corpus-level steps that keep the first of several
//! documents pick the same one on one machine or on a thousand.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::document::Position;
use crate::read::{Event, Input, ReadOptions, Reader};

/// Shard `index` of `count` (`0 ≤ index < count`), written `I/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A `--shard` value that is not `I/N` with `0 ≤ I < N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shard `{value}`: {problem}; write it I/N with 0 ≤ I < N, e.g. 0/4 … 3/4 (I:N and I,N work too)")]
pub struct ShardError {
    value: String,
    problem: &'static str,
}

impl Shard {
    /// Shard `index` of `count`; `None` unless `index < count`.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (index < count).then_some(Shard { index, count })
    }

    /// This shard's number, from 0.
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many shards the run is split into.
    pub fn count(self) -> u32 {
        self.count
    }

    /// How a run over `inputs` inputs is split: by input when there are at least as many
    /// inputs as shards, else by record.
    pub fn rule(self, inputs: usize) -> ShardBy {
        if inputs >= self.count as usize {
            ShardBy::Input
        } else {
            ShardBy::Record
        }
    }

    /// Whether input `input` belongs to this shard (by-input rule).
    pub fn owns_input(self, input: u32) -> bool {
        input % self.count == self.index
    }

    /// Whether the document at `position` belongs to this shard (by-record rule).
    pub fn owns_record(self, position: Position) -> bool {
        // In u64: `input + record` cannot overflow, and the sum mod N is the rule's.
        (u64::from(position.input) + position.record) % u64::from(self.count)
            == u64::from(self.index)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    /// `I/N`; also `I:N` and `I,N`, and spaces around either number, for values assembled
    /// from environment variables by schedulers and shells.
    fn from_str(value: &str) -> Result<Shard, ShardError> {
        let error = |problem| ShardError {
            value: value.to_string(),
            problem,
        };
        let (index, count) = value
            .split_once(['/', ':', ','])
            .ok_or_else(|| error("no `/` between the shard and the number of shards"))?;
        let number = |s: &str| s.trim().parse::<u32>();
        let index = number(index).map_err(|_| error("the shard is not a whole number ≥ 0"))?;
        let count =
            number(count).map_err(|_| error("the number of shards is not a whole number ≥ 1"))?;
        if count == 0 {
            return Err(error("there must be at least one shard"));
        }
        Shard::new(index, count).ok_or_else(|| error("shards are numbered from 0 to N − 1"))
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shard, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How a sharded run is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardBy {
    /// Whole inputs: input `i` goes to shard `i mod N`.
    Input,
    /// Records within inputs: record `r` of input `i` goes to shard `(i + r) mod N`.
    Record,
}

/// Which inputs one worker reads, and how their documents are numbered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Part {
    /// The index of the first input in the whole run's list (`--input-index`): a worker fed
    /// input K of a larger run numbers its documents as that run does.
    pub first_input: u32,
    /// This worker's shard, if the run is split.
    pub shard: Option<Shard>,
}

impl Part {
    /// A reader over this part of `inputs` (the whole run's list, or the part of it starting at
    /// [`Part::first_input`]): every document keeps its position in the whole run, and only
    /// this shard's documents — and the issues met while reading them — come out.
    pub fn reader(self, inputs: Vec<Input>, options: ReadOptions) -> PartReader {
        let count = inputs.len();
        let numbered = (self.first_input..).zip(inputs);
        let (numbered, by_record) = match self.shard {
            None => (numbered.collect(), None),
            Some(shard) => match shard.rule(count) {
                ShardBy::Input => (
                    numbered.filter(|(i, _)| shard.owns_input(*i)).collect(),
                    None,
                ),
                ShardBy::Record => (numbered.collect(), Some(shard)),
            },
        };
        PartReader {
            reader: Reader::numbered(numbered, options),
            by_record,
        }
    }
}

/// The events of one part of a run, in input order (see [`Part::reader`]).
pub struct PartReader {
    reader: Reader,
    /// Set when records, not whole inputs, are shared out.
    by_record: Option<Shard>,
}

impl Iterator for PartReader {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        let Some(shard) = self.by_record else {
            return self.reader.next();
        };
        loop {
            let event = self.reader.next()?;
            // An issue (a bad record, an unreadable input) belongs to the record the reader
            // stands at, so exactly one shard reports it and the shards' counts add up.
            let position = match &event {
                Event::Document(doc) => doc.position,
                Event::Issue(_) => self.reader.position(),
            };
            if shard.owns_record(position) {
                return Some(event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_in_every_accepted_form() {
        for text in ["1/4", "1:4", "1,4", " 1 / 4 "] {
            assert_eq!(
                text.parse::<Shard>(),
                Ok(Shard { index: 1, count: 4 }),
                "{text}"
            );
        }
        assert_eq!(
            "0/1".parse::<Shard>().map(|s| s.to_string()),
            Ok("0/1".into())
        );
    }

    #[test]
    fn invalid_shards_say_what_is_wrong() {
        let cases = [
            ("4/4", "numbered from 0"),
            ("5/4", "numbered from 0"),
            ("0/0", "at least one shard"),
            ("-1/4", "not a whole number"),
            ("a/4", "not a whole number"),
            ("1/b", "number of shards"),
            ("3", "no `/`"),
            ("", "no `/`"),
        ];
        for (text, expected) in cases {
            let message = text.parse::<Shard>().expect_err(text).to_string();
            assert!(message.contains(expected), "{text}: {message}");
            assert!(message.contains("I/N"), "{text}: {message}");
        }
    }

    #[test]
    fn the_rule_is_by_input_when_there_are_enough_inputs() {
        let shard = Shard::new(0, 3).expect("valid");
        assert_eq!(shard.rule(3), ShardBy::Input);
        assert_eq!(shard.rule(10), ShardBy::Input);
        assert_eq!(shard.rule(2), ShardBy::Record);
        assert_eq!(shard.rule(0), ShardBy::Record);
    }

    #[test]
    fn record_shards_start_at_the_input_index() {
        let shard = Shard::new(1, 3).expect("valid");
        let owned: Vec<(u32, u64)> = [0u32, 1]
            .into_iter()
            .flat_map(|input| (0..4u64).map(move |record| (input, record)))
            .filter(|&(input, record)| shard.owns_record(Position { input, record }))
            .collect();
        // (i + r) mod 3 == 1
        assert_eq!(owned, [(0, 1), (1, 0), (1, 3)]);
    }

    fn jsonl(dir: &std::path::Path, name: &str, ids: &[&str]) -> Input {
        let path = dir.join(name);
        let lines: Vec<String> = ids
            .iter()
            .map(|id| format!("{{\"id\":\"{id}\",\"text\":\"x\"}}"))
            .collect();
        std::fs::write(&path, lines.join("\n")).expect("write");
        Input::File(path)
    }

    fn read(part: Part, inputs: Vec<Input>) -> Vec<(String, u32, u64)> {
        part.reader(inputs, ReadOptions::default())
            .filter_map(|e| match e {
                Event::Document(d) => Some((d.id, d.position.input, d.position.record)),
                Event::Issue(_) => None,
            })
            .collect()
    }

    #[test]
    fn input_shards_read_whole_inputs_with_their_global_positions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let inputs = vec![
            jsonl(dir.path(), "a.jsonl", &["a0", "a1"]),
            jsonl(dir.path(), "b.jsonl", &["b0"]),
            jsonl(dir.path(), "c.jsonl", &["c0"]),
        ];
        let part = Part {
            first_input: 0,
            shard: Shard::new(1, 2),
        };
        assert_eq!(read(part, inputs), [("b0".into(), 1, 0)]);
    }

    #[test]
    fn the_first_input_index_numbers_documents_and_moves_record_shards() {
        let dir = tempfile::tempdir().expect("tempdir");
        let inputs = || vec![jsonl(dir.path(), "a.jsonl", &["r0", "r1", "r2", "r3"])];
        let whole = Part {
            first_input: 5,
            shard: None,
        };
        assert_eq!(
            read(whole, inputs()),
            [
                ("r0".into(), 5, 0),
                ("r1".into(), 5, 1),
                ("r2".into(), 5, 2),
                ("r3".into(), 5, 3)
            ]
        );
        let shard = Part {
            first_input: 5,
            shard: Shard::new(0, 2),
        };
        // (5 + r) mod 2 == 0: the odd records.
        assert_eq!(
            read(shard, inputs()),
            [("r1".into(), 5, 1), ("r3".into(), 5, 3)]
        );
    }

    #[test]
    fn a_bad_record_is_reported_by_one_record_shard_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"r0\",\"text\":\"x\"}\n{broken\n{\"id\":\"r1\",\"text\":\"x\"}\n",
        )
        .expect("write");
        let issues: Vec<usize> = (0..3)
            .map(|i| {
                let part = Part {
                    first_input: 0,
                    shard: Shard::new(i, 3),
                };
                part.reader(vec![Input::File(path.clone())], ReadOptions::default())
                    .filter(|e| matches!(e, Event::Issue(_)))
                    .count()
            })
            .collect();
        // The broken line stands before record 1: shard 1 reports it.
        assert_eq!(issues, [0, 1, 0]);
    }
}
