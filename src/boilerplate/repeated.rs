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
use std::hash::{Hash, Hasher};

use foldhash::HashMap;

use super::matcher::key;

/// Paragraph keys, the documents each occurs in, and the distinct document fingerprints seen
/// with it (kept up to the threshold).
///
/// The table holds every distinct paragraph of the run, so its entries are kept small: 8 bytes
/// for the key and 8 for the count and the first document's fingerprint. The few paragraphs met
/// with other documents too (templates, the candidates) keep those fingerprints aside.
/// Fingerprints are folded to 32 bits: two documents taken for one by a collision only make a
/// paragraph look *less* repeated, never drop content.
#[derive(Debug, Clone, Default)]
pub struct Repetition {
    seen: HashMap<u64, Seen>,
    more: HashMap<u64, Vec<u32>>,
    min_documents: u32,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    documents: u32,
    first: u32,
}

impl Repetition {
    /// Empty counts; paragraphs in at least `min_documents` documents count as repeated.
    pub fn new(min_documents: u32) -> Self {
        Repetition {
            seen: HashMap::default(),
            more: HashMap::default(),
            min_documents,
        }
    }

    /// The hash a paragraph is counted under: its key (lowercase, straight apostrophes,
    /// single spaces, no punctuation at the ends), so trivial variants count together.
    /// `DefaultHasher::new()` has fixed keys: the same text hashes the same in every run.
    pub fn hash(text: &str) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        key(text).hash(&mut hasher);
        hasher.finish()
    }

    /// Count one document, given its fingerprint and the hashes of its paragraphs (duplicates
    /// inside the document count once).
    pub fn add_document(&mut self, fingerprint: u64, hashes: impl IntoIterator<Item = u64>) {
        let distinct: HashSet<u64> = hashes.into_iter().collect();
        let fingerprint = (fingerprint ^ (fingerprint >> 32)) as u32;
        let cap = self.min_documents as usize;
        for h in distinct {
            match self.seen.entry(h) {
                Entry::Vacant(e) => {
                    e.insert(Seen {
                        documents: 1,
                        first: fingerprint,
                    });
                }
                Entry::Occupied(mut e) => {
                    let seen = e.get_mut();
                    seen.documents += 1;
                    if seen.first != fingerprint {
                        let more = self.more.entry(h).or_default();
                        if 1 + more.len() < cap && !more.contains(&fingerprint) {
                            more.push(fingerprint);
                        }
                    }
                }
            }
        }
    }

    /// In how many distinct documents (fingerprints) the paragraph `h` was seen, up to the
    /// threshold.
    fn distinct_documents(&self, h: u64) -> usize {
        1 + self.more.get(&h).map_or(0, Vec::len)
    }

    /// In how many documents the paragraph occurs, when it occurs in at least the threshold's
    /// number of distinct documents.
    pub fn repeated(&self, text: &str) -> Option<u32> {
        let h = Repetition::hash(text);
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
}
