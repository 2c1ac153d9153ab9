//! Duplicates: exact duplicate paragraphs and documents, and near-duplicate documents, across
//! a whole run — or across many runs on many machines, through table files (map → merge →
//! apply; see docs/dedup.md).
//!
//! The work is split in two. [`Fingerprinter::fingerprints`] hashes a cleaned document (its
//! paragraphs kept by the earlier stages) and computes its MinHash band keys: per document, in
//! parallel. [`Dedup::step`] then registers those hashes in the [`DedupTable`] and decides,
//! sequentially in input order. Registration does not depend on decisions — every document
//! registers its cleaned text, its bands and every cleaned-kept paragraph, whatever is then
//! dropped — so a decision is a function of the document's own position and the table alone:
//! deciding online sees exactly the first occurrences a complete, merged table gives.

pub mod apply;
pub mod minhash;
pub mod normal;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::boilerplate::Reason;
use crate::document::{Document, Drop, Position, Verdict};
pub use minhash::LshParams;
pub use table::{DedupTable, DedupTableBody, Fingerprints, ParamsMismatch, TableParams};

/// What happens to the copies of a paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphPolicy {
    /// Keep the first occurrence in input order; drop later ones, pointing to the first.
    #[default]
    KeepFirst,
    /// Drop every copy of a paragraph that occurs twice or more, the first included (CCNet's
    /// choice, aimed at template lines). Needs the complete counts before deciding.
    DropAll,
}

/// Which duplicates a run looks for. The default looks for none.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DedupConfig {
    /// Exact duplicate paragraphs and documents (`--dedup`).
    pub exact: bool,
    /// What happens to duplicate paragraphs.
    pub policy: ParagraphPolicy,
    /// Near-duplicate documents at this Jaccard threshold (`--near-dup T`).
    pub near_dup: Option<f64>,
}

impl DedupConfig {
    /// True when any kind of duplicate is looked for.
    pub fn enabled(&self) -> bool {
        self.exact || self.near_dup.is_some()
    }

    /// The table parameters this configuration registers with.
    pub fn params(&self) -> TableParams {
        TableParams {
            exact: self.exact,
            near: self.near_dup.map(LshParams::for_threshold),
        }
    }
}

/// The parallel half of the stage: a document's hashes, from its cleaned-kept paragraphs.
#[derive(Debug, Clone, Copy)]
pub struct Fingerprinter {
    params: TableParams,
}

impl Fingerprinter {
    /// Hashes for tables made with `params`.
    pub fn new(params: TableParams) -> Self {
        Fingerprinter { params }
    }

    /// The fingerprints of a document given as its cleaned-kept paragraphs `(index, text)`.
    pub fn fingerprints<'a>(
        &self,
        kept: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> Fingerprints {
        let mut normals = Vec::new();
        let mut paragraphs = Vec::new();
        for (index, text) in kept {
            let normal = normal::normal_form(text);
            if normal.is_empty() {
                continue;
            }
            if self.params.exact {
                let index = u32::try_from(index).unwrap_or(u32::MAX);
                paragraphs.push((index, normal::hash_normal(&normal)));
            }
            normals.push(normal);
        }
        let document = (self.params.exact && !normals.is_empty())
            .then(|| normal::hash_normal(&normals.join("\n")));
        let bands = self.params.near.map_or_else(Vec::new, |params| {
            minhash::document_bands(&normals.join(" "), &params)
        });
        Fingerprints {
            document,
            bands,
            paragraphs,
        }
    }

    /// The fingerprints of a processed document: its kept paragraphs.
    pub fn of_document(&self, doc: &Document) -> Fingerprints {
        self.fingerprints(doc.kept().map(|p| (p.index, p.text.as_str())))
    }
}

/// What deduplication decided about one document.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Nothing is a duplicate.
    Keep,
    /// The whole document goes (`duplicate_document`, `near_duplicate`): every kept paragraph.
    Document(Reason, String),
    /// These paragraphs go as `duplicate`: `(index, evidence)`.
    Paragraphs(Vec<(usize, String)>),
}

impl Decision {
    /// Apply the decision to a processed document.
    pub fn apply(self, doc: &mut Document) {
        match self {
            Decision::Keep => {}
            Decision::Document(reason, evidence) => doc.drop_kept(reason, &evidence),
            Decision::Paragraphs(dropped) => {
                for (index, evidence) in dropped {
                    if let Some(p) = doc.paragraphs.iter_mut().find(|p| p.index == index) {
                        p.verdict = Verdict::Drop(Drop {
                            reason: Reason::Duplicate,
                            evidence,
                        });
                    }
                }
            }
        }
    }
}

/// True for the reasons deduplication gives.
pub fn is_dedup_reason(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::Duplicate | Reason::DuplicateDocument | Reason::NearDuplicate
    )
}

/// The sequential half of the stage: the table, registration and decisions.
#[derive(Debug, Clone)]
pub struct Dedup {
    policy: ParagraphPolicy,
    table: DedupTable,
    /// The table already holds every registration of the run (a first pass, or a merged table
    /// being applied): decide only.
    complete: bool,
}

impl Dedup {
    /// An empty table, filled as documents go by.
    pub fn new(config: DedupConfig) -> Self {
        Dedup {
            policy: config.policy,
            table: DedupTable::new(config.params()),
            complete: false,
        }
    }

    /// Decide with a complete table (read from a file); nothing is registered any more.
    pub fn with_table(policy: ParagraphPolicy, table: DedupTable) -> Self {
        Dedup {
            policy,
            table,
            complete: true,
        }
    }

    /// From now on decide only: the table holds every registration (after a first pass).
    pub fn mark_complete(&mut self) {
        self.complete = true;
    }

    /// True when the policy needs every registration before the first decision.
    pub fn needs_first_pass(&self) -> bool {
        self.policy == ParagraphPolicy::DropAll && self.table.params().exact && !self.complete
    }

    /// The fingerprinter matching the table.
    pub fn fingerprinter(&self) -> Fingerprinter {
        Fingerprinter::new(self.table.params())
    }

    /// The table.
    pub fn table(&self) -> &DedupTable {
        &self.table
    }

    /// Register a document (unless the table is complete) and decide about it.
    pub fn step(&mut self, position: Position, id: &str, fingerprints: &Fingerprints) -> Decision {
        if !self.complete {
            self.table.register(position, id, fingerprints);
        }
        self.decide(position, fingerprints)
    }

    /// Register only (a first pass).
    pub fn register(&mut self, position: Position, id: &str, fingerprints: &Fingerprints) {
        self.table.register(position, id, fingerprints);
    }

    /// The decision for the document at `position`: an exact duplicate document, else a near
    /// duplicate, else its duplicate paragraphs.
    pub fn decide(&self, position: Position, fingerprints: &Fingerprints) -> Decision {
        if let Some(first) = fingerprints
            .document
            .and_then(|h| self.table.document(h))
            .filter(|&first| first < position)
        {
            let evidence = format!("same text as {}", self.table.id(first));
            return Decision::Document(Reason::DuplicateDocument, evidence);
        }
        if let Some(decision) = self.near_duplicate(position, fingerprints) {
            return decision;
        }
        let dropped: Vec<(usize, String)> = fingerprints
            .paragraphs
            .iter()
            .filter_map(|&(index, hash)| {
                let first = self.table.paragraph(hash)?;
                let pointer = format!(
                    "first in {} ¶{}",
                    self.table.id(first.position),
                    first.index
                );
                match self.policy {
                    ParagraphPolicy::KeepFirst => ((first.position, first.index)
                        < (position, index))
                        .then_some((index as usize, pointer)),
                    ParagraphPolicy::DropAll => (first.count >= 2).then(|| {
                        (
                            index as usize,
                            format!("occurs {} times; {pointer}", first.count),
                        )
                    }),
                }
            })
            .collect();
        if dropped.is_empty() {
            Decision::Keep
        } else {
            Decision::Paragraphs(dropped)
        }
    }

    /// The earliest earlier document sharing a band, with the share of bands it shares.
    fn near_duplicate(&self, position: Position, fingerprints: &Fingerprints) -> Option<Decision> {
        let params = self.table.params().near?;
        let firsts: Vec<Position> = fingerprints
            .bands
            .iter()
            .filter_map(|&key| self.table.band(key))
            .filter(|&first| first < position)
            .collect();
        let cluster = *firsts.iter().min()?;
        let shared = firsts.iter().filter(|&&p| p == cluster).count();
        let evidence = format!(
            "near duplicate of {}: {shared}/{} bands, estimated Jaccard {:.2}",
            self.table.id(cluster),
            params.bands,
            params.similarity_from_bands(shared)
        );
        Some(Decision::Document(Reason::NearDuplicate, evidence))
    }
}
