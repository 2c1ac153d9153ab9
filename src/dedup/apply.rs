//! The apply step of map → merge → apply: a shard's JSONL output decided again with the
//! merged table of every shard, record by record.

use crate::boilerplate::Reason;
use crate::write::{OutputParagraph, OutputRecord};

use super::{is_dedup_reason, Decision, Dedup};
use crate::document::Position;

/// Why a record cannot be decided again.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The record carries no position: it was written without deduplication.
    #[error("no `position` field: written by a run without --dedup or --near-dup; run it again with them")]
    NoPosition,
    /// A paragraph's reason is no known code.
    #[error("{0}")]
    UnknownReason(String),
}

/// True when deduplication saw the paragraph as kept: kept, or dropped by deduplication.
fn cleaned_kept(p: &OutputParagraph) -> Result<bool, ApplyError> {
    match &p.reason {
        _ if p.kept => Ok(true),
        Some(code) => Ok(is_dedup_reason(
            code.parse::<Reason>().map_err(ApplyError::UnknownReason)?,
        )),
        None => Ok(false),
    }
}

fn drop(p: &mut OutputParagraph, reason: Reason, evidence: String) {
    p.kept = false;
    p.reason = Some(reason.as_str().to_string());
    p.evidence = Some(evidence);
}

/// Decide `record` again with `dedup`'s (complete) table: the paragraphs deduplication saw
/// are restored, decided as the run over everything would have, and `text` recomputed.
pub fn apply(dedup: &Dedup, record: &mut OutputRecord) -> Result<(), ApplyError> {
    let position = record.position.ok_or(ApplyError::NoPosition)?;
    let position = Position {
        input: position.input,
        record: position.record,
    };
    for p in &mut record.paragraphs {
        if cleaned_kept(p)? {
            p.kept = true;
            p.reason = None;
            p.evidence = None;
        }
    }
    let kept = record
        .paragraphs
        .iter()
        .filter(|p| p.kept)
        .map(|p| (p.index, p.text.as_str()));
    let prints = dedup.fingerprinter().fingerprints(kept);
    match dedup.decide(position, &prints) {
        Decision::Keep => {}
        Decision::Document(reason, evidence) => {
            for p in record.paragraphs.iter_mut().filter(|p| p.kept) {
                drop(p, reason, evidence.clone());
            }
        }
        Decision::Paragraphs(dropped) => {
            for (index, evidence) in dropped {
                if let Some(p) = record.paragraphs.iter_mut().find(|p| p.index == index) {
                    drop(p, Reason::Duplicate, evidence);
                }
            }
        }
    }
    record.text = record.clean_text();
    Ok(())
}
