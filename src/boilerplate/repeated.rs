//! Corpus-level repetition: a paragraph that recurs in many documents of one run (site
//! templates, menus, footers) is boilerplate. A first pass counts, for every paragraph key, the
//! number of documents it occurs in — 8-byte hashes and 4-byte counts, never texts — and the
//! boilerplate stage drops paragraphs whose count reaches the threshold (reason `repeated`).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::matcher::key;

/// Paragraph keys and the number of documents each occurs in.
#[derive(Debug, Clone, Default)]
pub struct Repetition {
    documents: HashMap<u64, u32>,
    min_documents: u32,
}

impl Repetition {
    /// Empty counts; paragraphs in at least `min_documents` documents count as repeated.
    pub fn new(min_documents: u32) -> Self {
        Repetition {
            documents: HashMap::new(),
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

    /// Count one document, given the hashes of its paragraphs (duplicates inside the document
    /// count once).
    pub fn add_document(&mut self, hashes: impl IntoIterator<Item = u64>) {
        let distinct: HashSet<u64> = hashes.into_iter().collect();
        for h in distinct {
            *self.documents.entry(h).or_default() += 1;
        }
    }

    /// In how many documents the paragraph occurs, when that reaches the threshold.
    pub fn repeated(&self, text: &str) -> Option<u32> {
        let count = *self.documents.get(&Repetition::hash(text))?;
        (count >= self.min_documents).then_some(count)
    }

    /// The threshold.
    pub fn min_documents(&self) -> u32 {
        self.min_documents
    }

    /// Number of distinct paragraph keys counted.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences() {
        let mut r = Repetition::new(2);
        let h = Repetition::hash("Impressum");
        r.add_document([h, h, h]);
        assert_eq!(r.repeated("Impressum"), None);
        r.add_document([h]);
        assert_eq!(r.repeated("impressum :"), Some(2));
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
