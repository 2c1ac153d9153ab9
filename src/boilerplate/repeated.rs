//! Corpus-level repetition: a paragraph that recurs in many *different* documents of one run
//! (site templates, menus, footers) is boilerplate. A first pass records, for every paragraph
//! key, the documents it occurs in — 8-byte hashes, never texts — and the boilerplate stage
//! drops paragraphs found in enough distinct documents (reason `repeated`).
//!
//! Documents are told apart by a fingerprint: the hash of their longest paragraph. Copies of one
//! article (the same page scraped twice, a syndicated story) share it, so their paragraphs do not
//! count as repeated — removing duplicates is deduplication's job, not boilerplate's — while a
//! site's footer recurs next to many different longest paragraphs.

use std::collections::hash_map::Entry;
use std::collections::HashSet;
use std::path::Path;

use foldhash::HashMap;
use serde::{Deserialize, Serialize};

use super::matcher::key;
use crate::table_file::{self, TableFileError, TableKind};

/// Paragraph keys, the documents each occurs in, and the smallest distinct document
/// fingerprints seen with it (kept up to the threshold).
///
/// The table holds every distinct paragraph of the run, so its entries are kept small: 8 bytes
/// for the key and 8 for the count and the smallest fingerprint. The few paragraphs met with
/// other documents too (templates, the candidates) keep further fingerprints aside.
/// Fingerprints are folded to 32 bits: two documents taken for one by a collision only make a
/// paragraph look *less* repeated, never drop content.
///
/// Keeping the *smallest* fingerprints (not the first met) makes the table a function of what
/// was counted, not of the order: counts made on shards and merged ([`Repetition::merge`]) equal
/// the counts of one pass over everything, entry for entry.
#[derive(Debug, Clone, Default)]
pub struct Repetition {
    seen: HashMap<u64, Seen>,
    more: HashMap<u64, Vec<u32>>,
    min_documents: u32,
    /// Set by [`Repetition::retain_repeated`]: every key left reaches the threshold, and the
    /// further fingerprints (`more`) are dropped.
    pruned: bool,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    documents: u32,
    smallest: u32,
}

/// A [`Repetition`] as written to a table file: entries sorted by key, fingerprints ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepetitionTable {
    /// The threshold the counts were made for: the number of fingerprints kept per entry.
    pub min_documents: u32,
    /// `(key, documents, smallest distinct fingerprints)`, sorted by key.
    pub entries: Vec<(u64, u32, Vec<u32>)>,
}

impl Repetition {
    /// Empty counts; paragraphs in at least `min_documents` documents count as repeated.
    pub fn new(min_documents: u32) -> Self {
        Repetition {
            seen: HashMap::default(),
            more: HashMap::default(),
            min_documents,
            pruned: false,
        }
    }

    /// The hash a paragraph is counted under: its key (lowercase, straight apostrophes,
    /// single spaces, no punctuation at the ends), so trivial variants count together.
    /// XXH3 is a specified algorithm: the same text hashes the same in every run, on every
    /// machine and in every version, so counts made elsewhere can be merged.
    pub fn hash(text: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(key(text).as_bytes())
    }

    /// Count one document, given its fingerprint and the hashes of its paragraphs (duplicates
    /// inside the document count once).
    pub fn add_document(&mut self, fingerprint: u64, hashes: impl IntoIterator<Item = u64>) {
        let distinct: HashSet<u64> = hashes.into_iter().collect();
        let fingerprint = (fingerprint ^ (fingerprint >> 32)) as u32;
        for h in distinct {
            self.add(h, 1, &[fingerprint]);
        }
    }

    /// Add `documents` occurrences of key `h`, seen with `fingerprints` (ascending).
    fn add(&mut self, h: u64, documents: u32, fingerprints: &[u32]) {
        debug_assert!(!self.pruned, "pruned counts cannot be added to");
        let Some(&first) = fingerprints.first() else {
            return;
        };
        let seen = match self.seen.entry(h) {
            // Most keys are met once: one insertion, no allocation.
            Entry::Vacant(e) => {
                e.insert(Seen {
                    documents,
                    smallest: first,
                });
                if fingerprints.len() > 1 {
                    self.more.insert(h, fingerprints[1..].to_vec());
                }
                return;
            }
            Entry::Occupied(e) => e.into_mut(),
        };
        seen.documents = seen.documents.saturating_add(documents);
        if fingerprints == [seen.smallest] {
            return;
        }
        let mut all: Vec<u32> = std::iter::once(seen.smallest)
            .chain(self.more.get(&h).into_iter().flatten().copied())
            .chain(fingerprints.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all.truncate(self.min_documents.max(1) as usize);
        seen.smallest = all[0];
        if all.len() > 1 {
            self.more.insert(h, all.split_off(1));
        }
    }

    /// Add the counts of `other` (made with the same threshold) to these: the result is the
    /// same as counting both inputs in one pass, in any order.
    pub fn merge(&mut self, other: &RepetitionTable) {
        for (h, documents, fingerprints) in &other.entries {
            self.add(*h, *documents, fingerprints);
        }
    }

    /// The counts as a table file body.
    pub fn to_table(&self) -> RepetitionTable {
        debug_assert!(!self.pruned, "pruned counts cannot be saved");
        let mut entries: Vec<(u64, u32, Vec<u32>)> = self
            .seen
            .iter()
            .map(|(h, seen)| {
                let mut fingerprints = vec![seen.smallest];
                fingerprints.extend(self.more.get(h).into_iter().flatten());
                (*h, seen.documents, fingerprints)
            })
            .collect();
        entries.sort_unstable_by_key(|e| e.0);
        RepetitionTable {
            min_documents: self.min_documents,
            entries,
        }
    }

    /// Counts read back from a table file.
    pub fn from_table(table: &RepetitionTable) -> Self {
        let mut repetition = Repetition::new(table.min_documents);
        repetition.merge(table);
        repetition
    }

    /// Write the counts as a table file (`polyclean hashes`), atomically.
    pub fn save(&self, path: &Path) -> Result<(), TableFileError> {
        table_file::write(path, TableKind::Repetition, &self.to_table())
    }

    /// Read counts written by [`Repetition::save`] (or merged by `polyclean merge`).
    pub fn load(path: &Path) -> Result<Repetition, TableFileError> {
        let table: RepetitionTable = table_file::read(path, TableKind::Repetition)?;
        Ok(Repetition::from_table(&table))
    }

    /// The same counts judged with another threshold, which must not exceed the one they
    /// were made for (fewer fingerprints were kept than a higher one needs).
    pub fn with_threshold(mut self, min_documents: u32) -> Option<Self> {
        (min_documents <= self.min_documents).then(|| {
            self.min_documents = min_documents;
            self
        })
    }

    /// Forget the paragraphs seen in fewer distinct documents than the threshold: what
    /// [`Repetition::repeated`] answers is unchanged, the rest of the memory is freed. Counts
    /// pruned so can no longer be merged or saved as a map output.
    ///
    /// The fingerprints go too: they only serve to count distinct documents, and every key
    /// left has enough. On 1 GB of the benchmark corpus (61,657 repeated paragraphs) they were
    /// two thirds of the table's ≈ 7.7 MB.
    pub fn retain_repeated(&mut self) {
        let min = self.min_documents as usize;
        let more = &self.more;
        self.seen
            .retain(|h, _| 1 + more.get(h).map_or(0, Vec::len) >= min);
        self.seen.shrink_to_fit();
        self.more = HashMap::default();
        self.pruned = true;
    }

    /// In how many distinct documents (fingerprints) the paragraph `h` was seen, up to the
    /// threshold.
    fn distinct_documents(&self, h: u64) -> usize {
        if self.pruned {
            return self.min_documents as usize;
        }
        1 + self.more.get(&h).map_or(0, Vec::len)
    }

    /// In how many documents the paragraph occurs, when it occurs in at least the threshold's
    /// number of distinct documents.
    pub fn repeated(&self, text: &str) -> Option<u32> {
        self.repeated_hash(Repetition::hash(text))
    }

    /// [`Repetition::repeated`] for a paragraph already hashed.
    pub fn repeated_hash(&self, h: u64) -> Option<u32> {
        let seen = self.seen.get(&h)?;
        (self.distinct_documents(h) >= self.min_documents as usize).then_some(seen.documents)
    }

    /// A document's fingerprint: the hash of its longest paragraph (the first, on ties).
    pub fn fingerprint<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> u64 {
        let longest = paragraphs
            .into_iter()
            .fold("", |best, p| if p.len() > best.len() { p } else { best });
        Repetition::hash(longest)
    }

    /// The threshold.
    pub fn min_documents(&self) -> u32 {
        self.min_documents
    }

    /// Number of distinct paragraph keys counted.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences() {
        let mut r = Repetition::new(2);
        let h = Repetition::hash("Impressum");
        r.add_document(1, [h, h, h]);
        assert_eq!(r.repeated("Impressum"), None);
        r.add_document(2, [h]);
        assert_eq!(r.repeated("impressum :"), Some(2));
    }

    #[test]
    fn the_threshold_counts_distinct_documents() {
        let mut r = Repetition::new(3);
        let h = Repetition::hash("Newsletter");
        r.add_document(10, [h]);
        r.add_document(11, [h]);
        r.add_document(11, [h]);
        assert_eq!(r.repeated("Newsletter"), None, "two distinct documents");
        r.add_document(12, [h]);
        assert_eq!(r.repeated("Newsletter"), Some(4));
    }

    #[test]
    fn copies_of_one_document_do_not_make_a_template() {
        let mut r = Repetition::new(2);
        let h = Repetition::hash("A paragraph of the article.");
        for _ in 0..5 {
            r.add_document(7, [h]);
        }
        assert_eq!(r.repeated("A paragraph of the article."), None);
    }

    #[test]
    fn fingerprint_is_the_longest_paragraph() {
        let fp = Repetition::fingerprint(["Menu", "The longest paragraph of the page.", "Footer"]);
        assert_eq!(fp, Repetition::hash("The longest paragraph of the page."));
    }

    #[test]
    fn hashes_are_stable_across_runs() {
        assert_eq!(
            Repetition::hash("Mentions légales"),
            Repetition::hash("mentions  légales")
        );
        assert_ne!(
            Repetition::hash("Mentions légales"),
            Repetition::hash("Plan du site")
        );
    }

    /// Documents as (fingerprint, paragraph keys): templates shared by many, content by few.
    fn corpus() -> Vec<(u64, Vec<u64>)> {
        (0..40u64)
            .map(|d| {
                let fingerprint = 1000 + d % 17; // some documents are copies of others
                (fingerprint, vec![1, 2 + d % 3, 100 + d, 1])
            })
            .collect()
    }

    #[test]
    fn counts_merged_from_shards_equal_one_pass_in_any_split_and_order() {
        let mut whole = Repetition::new(3);
        for (fp, keys) in corpus() {
            whole.add_document(fp, keys);
        }
        let expected = whole.to_table();
        for shards in 1..5usize {
            let mut parts: Vec<Repetition> = (0..shards).map(|_| Repetition::new(3)).collect();
            for (i, (fp, keys)) in corpus().into_iter().enumerate() {
                parts[(i * 7) % shards].add_document(fp, keys);
            }
            // Merge in reverse order, through the file body, to show order does not matter.
            let mut merged = Repetition::new(3);
            for part in parts.iter().rev() {
                merged.merge(&part.to_table());
            }
            assert_eq!(merged.to_table(), expected, "{shards} shards");
        }
        let back = Repetition::from_table(&expected);
        assert_eq!(back.to_table(), expected);
        assert_eq!(
            back.repeated_hash(1),
            Some(40),
            "twice in each of 40 documents counts 40"
        );
    }

    #[test]
    fn pruning_keeps_every_decision_and_only_the_repeated_keys() {
        let mut whole = Repetition::new(3);
        for (fp, keys) in corpus() {
            whole.add_document(fp, keys);
        }
        let mut pruned = whole.clone();
        pruned.retain_repeated();
        let keys: HashSet<u64> = corpus().into_iter().flat_map(|(_, k)| k).collect();
        for h in keys {
            assert_eq!(pruned.repeated_hash(h), whole.repeated_hash(h), "key {h}");
        }
        // 1 and 2..=4 are in three or more distinct documents; every `100 + d` in one.
        assert_eq!(pruned.len(), 4);
        assert!(whole.len() > 40);
    }

    #[test]
    fn a_lower_threshold_can_judge_counts_made_for_a_higher_one() {
        let mut r = Repetition::new(3);
        for fp in [1, 2] {
            r.add_document(fp, [9]);
        }
        assert_eq!(r.repeated_hash(9), None);
        let lower = r.clone().with_threshold(2).expect("lower is fine");
        assert_eq!(lower.repeated_hash(9), Some(2));
        assert!(
            r.with_threshold(4).is_none(),
            "too few fingerprints kept for 4"
        );
    }
}
