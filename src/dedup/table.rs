//! The duplicate table: for every key (a paragraph's hash, a cleaned document's hash, a
//! near-duplicate band key) the first occurrence in input order, and how often paragraphs
//! occur. Only hashes and positions are held, never texts — plus the ids of the documents that
//! are a first occurrence, for the pointers in the evidence.
//!
//! A table is a pure function of the registrations made into it: per key, the smallest
//! position wins and counts add up. So tables made on shards and merged, in any grouping and
//! order, equal the table of one pass over everything ([`DedupTable::merge`]).

use std::collections::hash_map::Entry;

use foldhash::HashMap;
use serde::{Deserialize, Serialize};

use super::minhash::LshParams;
use crate::document::Position;

/// What a table was made with; tables made with other parameters cannot be merged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TableParams {
    /// Exact duplicates (paragraphs and documents) were registered.
    pub exact: bool,
    /// Near-duplicate band keys were registered, with these parameters.
    pub near: Option<LshParams>,
}

/// The hashes one document registers: its cleaned text's, its band keys, and its
/// cleaned-kept paragraphs' (index, hash).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprints {
    /// Hash of the cleaned document's normal form; `None` when nothing is left of it.
    pub document: Option<u64>,
    /// Near-duplicate band keys (empty when near-duplicates are off).
    pub bands: Vec<u64>,
    /// `(paragraph index, hash)` of the paragraphs kept when deduplication runs.
    pub paragraphs: Vec<(u32, u64)>,
}

/// A paragraph key's first occurrence and its number of occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParagraphFirst {
    /// The document of the first occurrence.
    pub position: Position,
    /// The paragraph's index in that document.
    pub index: u32,
    /// Occurrences in everything registered (saturating).
    pub count: u32,
}

/// First occurrences of paragraphs, documents and bands; see the module documentation.
#[derive(Debug, Clone)]
pub struct DedupTable {
    params: TableParams,
    paragraphs: HashMap<u64, ParagraphFirst>,
    documents: HashMap<u64, Position>,
    bands: HashMap<u64, Position>,
    ids: HashMap<Position, String>,
}

/// A position as written to a table file: (input, record).
pub type FilePosition = (u32, u64);

/// A [`DedupTable`] as written to a table file: every list sorted by key, only the ids of
/// documents that are still a first occurrence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DedupTableBody {
    /// The parameters the table was made with.
    pub params: TableParams,
    /// `(hash, first position, paragraph index, count)`.
    pub paragraphs: Vec<(u64, FilePosition, u32, u32)>,
    /// `(hash, first position)`.
    pub documents: Vec<(u64, FilePosition)>,
    /// `(band key, first position)`.
    pub bands: Vec<(u64, FilePosition)>,
    /// `(position, document id)`.
    pub ids: Vec<(FilePosition, String)>,
}

/// Merging tables made with different parameters.
#[derive(Debug, thiserror::Error)]
#[error("made with other settings ({found}) than the first table ({expected}); make every table with the same --dedup / --near-dup")]
pub struct ParamsMismatch {
    /// The first table's parameters, described.
    pub expected: String,
    /// This table's parameters, described.
    pub found: String,
}

fn to_file(p: Position) -> FilePosition {
    (p.input, p.record)
}

fn from_file(p: FilePosition) -> Position {
    Position {
        input: p.0,
        record: p.1,
    }
}

/// Keep the smaller of `slot` and `position`; true when `position` took the slot.
fn keep_first(slot: Entry<'_, u64, Position>, position: Position) -> bool {
    match slot {
        Entry::Vacant(e) => {
            e.insert(position);
            true
        }
        Entry::Occupied(mut e) if position < *e.get() => {
            e.insert(position);
            true
        }
        Entry::Occupied(_) => false,
    }
}

impl TableParams {
    /// A short description, for error messages.
    pub fn describe(&self) -> String {
        let near = self.near.map_or("no near-duplicates".to_string(), |p| {
            format!(
                "near-duplicates {} ({} bands × {} rows)",
                p.threshold, p.bands, p.rows
            )
        });
        format!(
            "exact duplicates {}, {near}",
            if self.exact { "on" } else { "off" }
        )
    }
}

impl DedupTable {
    /// An empty table for `params`.
    pub fn new(params: TableParams) -> Self {
        DedupTable {
            params,
            paragraphs: HashMap::default(),
            documents: HashMap::default(),
            bands: HashMap::default(),
            ids: HashMap::default(),
        }
    }

    /// The parameters.
    pub fn params(&self) -> TableParams {
        self.params
    }

    /// Register one document at `position` (its id for pointers).
    pub fn register(&mut self, position: Position, id: &str, fingerprints: &Fingerprints) {
        let mut first = false;
        for &(index, hash) in &fingerprints.paragraphs {
            first |= self.add_paragraph(hash, position, index, 1);
        }
        if let Some(hash) = fingerprints.document {
            first |= keep_first(self.documents.entry(hash), position);
        }
        for &key in &fingerprints.bands {
            first |= keep_first(self.bands.entry(key), position);
        }
        if first {
            self.add_id(position, id);
        }
    }

    fn add_paragraph(&mut self, hash: u64, position: Position, index: u32, count: u32) -> bool {
        match self.paragraphs.entry(hash) {
            Entry::Vacant(e) => {
                e.insert(ParagraphFirst {
                    position,
                    index,
                    count,
                });
                true
            }
            Entry::Occupied(mut e) => {
                let seen = e.get_mut();
                seen.count = seen.count.saturating_add(count);
                let earlier = (position, index) < (seen.position, seen.index);
                if earlier {
                    seen.position = position;
                    seen.index = index;
                }
                earlier
            }
        }
    }

    /// The same position always names the same document; should two ids meet anyway (shards
    /// numbered inconsistently), the smaller wins so that merging stays order-independent.
    fn add_id(&mut self, position: Position, id: &str) {
        match self.ids.entry(position) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(id.to_string());
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                if id < e.get().as_str() {
                    e.insert(id.to_string());
                }
            }
        }
    }

    /// Add a table read from a file: the result is the table of both sets of registrations.
    pub fn merge(&mut self, other: &DedupTableBody) -> Result<(), ParamsMismatch> {
        if other.params != self.params {
            return Err(ParamsMismatch {
                expected: self.params.describe(),
                found: other.params.describe(),
            });
        }
        for &(hash, position, index, count) in &other.paragraphs {
            self.add_paragraph(hash, from_file(position), index, count);
        }
        for &(hash, position) in &other.documents {
            keep_first(self.documents.entry(hash), from_file(position));
        }
        for &(key, position) in &other.bands {
            keep_first(self.bands.entry(key), from_file(position));
        }
        for (position, id) in &other.ids {
            self.add_id(from_file(*position), id);
        }
        Ok(())
    }

    /// A table read from a file.
    pub fn from_body(body: &DedupTableBody) -> Self {
        let mut table = DedupTable::new(body.params);
        // Same parameters by construction.
        let _ = table.merge(body);
        table
    }

    /// The table as a file body: sorted, ids of documents no longer first left out.
    pub fn to_body(&self) -> DedupTableBody {
        let mut paragraphs: Vec<_> = self
            .paragraphs
            .iter()
            .map(|(&h, f)| (h, to_file(f.position), f.index, f.count))
            .collect();
        paragraphs.sort_unstable();
        let firsts = |map: &HashMap<u64, Position>| {
            let mut list: Vec<_> = map.iter().map(|(&k, &p)| (k, to_file(p))).collect();
            list.sort_unstable();
            list
        };
        let (documents, bands) = (firsts(&self.documents), firsts(&self.bands));
        let referenced: std::collections::HashSet<FilePosition> = paragraphs
            .iter()
            .map(|p| p.1)
            .chain(documents.iter().chain(&bands).map(|d| d.1))
            .collect();
        let mut ids: Vec<_> = self
            .ids
            .iter()
            .map(|(&p, id)| (to_file(p), id.clone()))
            .filter(|(p, _)| referenced.contains(p))
            .collect();
        ids.sort_unstable();
        DedupTableBody {
            params: self.params,
            paragraphs,
            documents,
            bands,
            ids,
        }
    }

    /// The first occurrence of a paragraph hash.
    pub fn paragraph(&self, hash: u64) -> Option<ParagraphFirst> {
        self.paragraphs.get(&hash).copied()
    }

    /// The first document with this cleaned-text hash.
    pub fn document(&self, hash: u64) -> Option<Position> {
        self.documents.get(&hash).copied()
    }

    /// The first document with this band key.
    pub fn band(&self, key: u64) -> Option<Position> {
        self.bands.get(&key).copied()
    }

    /// The id of the document at `position`, when it is a first occurrence of something.
    pub fn id(&self, position: Position) -> &str {
        self.ids.get(&position).map_or("?", String::as_str)
    }

    /// Distinct paragraphs, documents and band keys held.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.paragraphs.len(),
            self.documents.len(),
            self.bands.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PARAMS: TableParams = TableParams {
        exact: true,
        near: None,
    };

    fn pos(input: u32, record: u64) -> Position {
        Position { input, record }
    }

    fn fp(document: u64, paragraphs: &[u64]) -> Fingerprints {
        Fingerprints {
            document: Some(document),
            bands: vec![document % 3 + 100],
            paragraphs: (0..).zip(paragraphs.iter().copied()).collect(),
        }
    }

    #[test]
    fn the_earliest_position_is_first_whatever_the_order() {
        let mut table = DedupTable::new(PARAMS);
        table.register(pos(1, 0), "late", &fp(7, &[1, 2]));
        table.register(pos(0, 5), "early", &fp(7, &[2, 1]));
        let first = table.paragraph(1).expect("registered");
        assert_eq!(
            (first.position, first.index, first.count),
            (pos(0, 5), 1, 2)
        );
        assert_eq!(table.document(7), Some(pos(0, 5)));
        assert_eq!(table.id(pos(0, 5)), "early");
        let body = table.to_body();
        assert!(
            body.ids.iter().all(|(_, id)| id == "early"),
            "`late` is first of nothing: {:?}",
            body.ids
        );
    }

    #[test]
    fn a_paragraph_repeated_in_its_own_document_points_to_its_first_index() {
        let mut table = DedupTable::new(PARAMS);
        table.register(pos(0, 0), "d", &fp(1, &[9, 4, 9]));
        let first = table.paragraph(9).expect("registered");
        assert_eq!((first.index, first.count), (0, 2));
    }

    #[test]
    fn tables_of_other_settings_do_not_merge() {
        let mut table = DedupTable::new(PARAMS);
        let other = DedupTable::new(TableParams {
            exact: true,
            near: Some(super::super::minhash::LshParams::for_threshold(0.8)),
        });
        let err = table.merge(&other.to_body()).expect_err("mismatch");
        assert!(err.to_string().contains("near-duplicates 0.8"), "{err}");
    }

    /// Registrations: a document position and small key spaces, so that keys collide often.
    fn registrations() -> impl Strategy<Value = Vec<(Position, Fingerprints)>> {
        let one = (
            0u32..3,
            0u64..6,
            0u64..5,
            prop::collection::vec(0u64..8, 0..4),
        );
        prop::collection::vec(one, 0..30).prop_map(|docs| {
            docs.into_iter()
                .map(|(input, record, doc, paragraphs)| (pos(input, record), fp(doc, &paragraphs)))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn any_split_and_merge_order_gives_the_same_table(
            docs in registrations(),
            shard_of in prop::collection::vec(0usize..4, 30),
            order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        ) {
            let id = |p: Position| format!("doc-{}-{}", p.input, p.record);
            let mut whole = DedupTable::new(PARAMS);
            let mut shards: Vec<DedupTable> = (0..4).map(|_| DedupTable::new(PARAMS)).collect();
            for (i, (position, fingerprints)) in docs.iter().enumerate() {
                whole.register(*position, &id(*position), fingerprints);
                shards[shard_of[i]].register(*position, &id(*position), fingerprints);
            }
            // Merge the shards in a shuffled order, two of them through a partial merge first
            // (a tree of merges).
            let mut left = DedupTable::new(PARAMS);
            left.merge(&shards[order[0]].to_body()).expect("same params");
            left.merge(&shards[order[1]].to_body()).expect("same params");
            let mut merged = DedupTable::new(PARAMS);
            merged.merge(&shards[order[2]].to_body()).expect("same params");
            merged.merge(&left.to_body()).expect("same params");
            merged.merge(&shards[order[3]].to_body()).expect("same params");
            prop_assert_eq!(merged.to_body(), whole.to_body());
        }
    }
}
