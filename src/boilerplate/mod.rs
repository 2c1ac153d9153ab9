//! Stage 4: boilerplate removal. Every dropped paragraph carries a [`Reason`] and the
//! evidence that triggered it.
//!
//! Precedence (documented in `docs/rules.md`):
//! 1. a rule hit on the paragraph itself decides; among several hits the reason earliest in
//!    [`Reason::ALL`] wins, then the earliest rule;
//! 2. a comment-form *marker* (a rule with `marks_tail`) found after the first third of the
//!    document, or the first of [`COMMENT_THREAD_MIN_HEADERS`] or more comment headers (rules
//!    with `marks_thread`) wherever it stands, drops every later paragraph that no rule hit,
//!    as `comment_section`; a *subject heading* (a rule with `subject_heading`, `About Jane
//!    Doe`) drops, with the next paragraph, only when that paragraph names its subject;
//!    Before that sweep, paragraphs that recur in many documents of the run are dropped as
//!    `repeated` (when the run counted them);
//! 3. the content classifier judges the rest, with the paragraphs dropped so far fixed as
//!    boilerplate (`low_content`), then drops the blocks of kept paragraphs that lie apart
//!    from the main block with little sentence text ([`main_block`]).

mod bounded;
pub mod classifier;
pub mod main_block;
mod matcher;
mod pattern_set;
mod reason;
mod repeated;
pub mod rules;
mod sketch;

pub use bounded::BoundedCounter;
pub use classifier::{Classifier, ClassifierConfig};
pub use matcher::{key, CompiledRule, Hit, Position, RuleSet, Subject};
pub use reason::Reason;
pub use repeated::{Repetition, RepetitionTable};
pub use rules::{MatchKind, Rule, RuleError, RuleFile, Zone};
pub use sketch::CountSketch;

use crate::document::{Document, Drop, Verdict};

/// A comment-form marker only opens a comment section when it starts after this share of
/// the document: near the top it is more likely a page-header link than a form.
const COMMENT_MARKER_MIN_POSITION: f64 = 1.0 / 3.0;

/// This many comment headers (`Anna says:`) in one document make a comment thread, which
/// starts at the first of them even near the top: a long thread pushes the form marker of
/// a short article into the document's first third, and one header alone could be a quote's
/// introduction in the article.
pub const COMMENT_THREAD_MIN_HEADERS: usize = 3;

/// The boilerplate stage: a compiled rule set.
pub struct BoilerplateFilter {
    rules: RuleSet,
    classifier: Option<Classifier>,
}

impl BoilerplateFilter {
    /// A filter over the built-in rules plus `extra` user rule files (applied after them),
    /// without the rules `disabled` names (ids, reason codes or file stems), followed by the
    /// content classifier when one is given.
    pub fn new(
        extra: Vec<(String, RuleFile)>,
        disabled: &[String],
        classifier: Option<ClassifierConfig>,
    ) -> Result<Self, RuleError> {
        let mut files = RuleFile::builtin_named()?;
        let builtin = files.len();
        files.extend(extra);
        let rules = RuleSet::compile_trusting(&files, disabled, builtin)?;
        let classifier = classifier.map(|c| Classifier::new(c, &rules));
        Ok(BoilerplateFilter { rules, classifier })
    }

    /// The compiled rules (for listing and docs).
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Decide every paragraph of `doc`: rules first, then corpus repetition (when counts are
    /// given), then the comment section, then the classifier on what is left.
    pub fn apply(&self, doc: &mut Document, repetition: Option<&Repetition>) {
        self.apply_rules(doc, repetition);
        if let Some(classifier) = &self.classifier {
            let fixed: Vec<bool> = doc
                .paragraphs
                .iter()
                .map(|p| !p.verdict.is_kept())
                .collect();
            let prior = crate::lang::leading_language(doc).map(|(code, _)| code);
            let judgements = classifier.judge(doc, &fixed, prior.as_deref());
            for (p, j) in doc.paragraphs.iter_mut().zip(judgements) {
                if p.verdict.is_kept() {
                    p.verdict = if j.content {
                        Verdict::Keep(Some(j.evidence))
                    } else {
                        Verdict::Drop(Drop {
                            reason: Reason::LowContent,
                            evidence: j.evidence,
                        })
                    };
                }
            }
        }
    }

    /// Lexicon and structural rules, repetition, and the comment section the rules open.
    fn apply_rules(&self, doc: &mut Document, repetition: Option<&Repetition>) {
        let count = doc.paragraphs.len();
        let mut marker: Option<(usize, String)> = None;
        let mut headers: Vec<(usize, Reason, String)> = Vec::new();
        let mut subject_headings: Vec<SubjectHeading> = Vec::new();
        for p in &mut doc.paragraphs {
            let position = Position {
                index: p.index,
                count,
            };
            let hits = self.rules.hits(&p.text, position);
            let rule = |h: &Hit| &self.rules.rules()[h.rule].rule;
            if let Some(h) = hits.iter().find(|h| rule(h).marks_thread) {
                headers.push((p.index, h.reason, self.rules.evidence(h)));
            }
            if let Some((h, subject)) = hits
                .iter()
                .filter(|h| rule(h).subject_heading)
                .find_map(|h| Some((h, self.rules.subject(h, &p.text)?)))
            {
                subject_headings.push(SubjectHeading {
                    index: p.index,
                    reason: h.reason,
                    evidence: self.rules.evidence(h),
                    subject,
                });
            }
            // A comment header alone may introduce a quote: it only drops in a thread (below);
            // a subject heading only with the paragraph that names its subject.
            let Some(best) = hits
                .iter()
                .filter(|h| !rule(h).marks_thread && !rule(h).subject_heading)
                .min_by_key(|h| (h.reason, h.rule))
            else {
                continue;
            };
            let evidence = self.rules.evidence(best);
            let opens_section = hits.iter().any(|h| rule(h).marks_tail);
            if marker.is_none() && opens_section && in_tail(p.start, doc.raw.len()) {
                marker = Some((p.index, evidence.clone()));
            }
            p.verdict = Verdict::Drop(Drop {
                reason: best.reason,
                evidence,
            });
        }
        drop_subject_boxes(doc, subject_headings);
        if let Some(thread) = drop_comment_thread(doc, headers) {
            // The thread's first header opens the section unless a form marker comes earlier.
            marker = Some(match marker {
                Some(form) if form.0 <= thread.0 => form,
                _ => thread,
            });
        }
        if let Some(repetition) = repetition {
            drop_repeated(doc, repetition);
        }
        if let Some((at, evidence)) = marker {
            for p in doc
                .paragraphs
                .iter_mut()
                .skip(at + 1)
                .filter(|p| p.verdict.is_kept())
            {
                p.verdict = Verdict::Drop(Drop {
                    reason: Reason::CommentSection,
                    evidence: format!(
                        "after the comment-form marker in paragraph {at} ({evidence})"
                    ),
                });
            }
        }
    }
}

/// A paragraph after a subject heading names the subject only within this many words: an
/// author box is a short paragraph, an article section under an `About …` heading may not be.
pub const SUBJECT_PARAGRAPH_MAX_WORDS: usize = 150;

/// A hit of a `subject_heading` rule, waiting for the next paragraph to confirm it.
struct SubjectHeading {
    index: usize,
    reason: Reason,
    evidence: String,
    subject: Subject,
}

/// Drop each subject heading whose next paragraph (of at most [`SUBJECT_PARAGRAPH_MAX_WORDS`])
/// names its subject, with that paragraph: `About Jane Doe` + `Jane is a reporter …` is an
/// author box wherever it stands. Paragraphs another rule dropped keep their own verdict.
fn drop_subject_boxes(doc: &mut Document, headings: Vec<SubjectHeading>) {
    for heading in headings {
        let Some(next) = doc.paragraphs.get(heading.index + 1) else {
            continue;
        };
        let words = next.text.split_whitespace().count();
        if words > SUBJECT_PARAGRAPH_MAX_WORDS || !heading.subject.named_in(&next.text) {
            continue;
        }
        let subject = &heading.subject.text;
        let drops = [
            (
                heading.index,
                format!(
                    "{}, a heading whose subject \"{subject}\" the next paragraph names",
                    heading.evidence
                ),
            ),
            (
                heading.index + 1,
                format!(
                    "names \"{subject}\", the subject of the heading in paragraph {} ({})",
                    heading.index, heading.evidence
                ),
            ),
        ];
        for (index, evidence) in drops {
            let p = &mut doc.paragraphs[index];
            if p.verdict.is_kept() {
                p.verdict = Verdict::Drop(Drop {
                    reason: heading.reason,
                    evidence,
                });
            }
        }
    }
}

/// With at least [`COMMENT_THREAD_MIN_HEADERS`] comment headers (`index, reason, evidence`),
/// drop those no other rule dropped and return where the thread starts, with its evidence.
fn drop_comment_thread(
    doc: &mut Document,
    headers: Vec<(usize, Reason, String)>,
) -> Option<(usize, String)> {
    if headers.len() < COMMENT_THREAD_MIN_HEADERS {
        return None;
    }
    let count = headers.len();
    let first = headers[0].0;
    let mut thread_evidence = String::new();
    for (index, reason, evidence) in headers {
        if index == first {
            thread_evidence = format!("{evidence}, the first of {count} comment headers");
        }
        let p = &mut doc.paragraphs[index];
        if p.verdict.is_kept() {
            p.verdict = Verdict::Drop(Drop { reason, evidence });
        }
    }
    Some((first, thread_evidence))
}

/// Drop the paragraphs no rule hit that recur in at least the threshold's number of documents.
fn drop_repeated(doc: &mut Document, repetition: &Repetition) {
    for p in doc.paragraphs.iter_mut().filter(|p| p.verdict.is_kept()) {
        if let Some(count) = repetition.repeated(&p.text) {
            let evidence = format!(
                "occurs in {count} documents of this run (threshold {})",
                repetition.min_documents()
            );
            p.verdict = Verdict::Drop(Drop {
                reason: Reason::Repeated,
                evidence,
            });
        }
    }
}

fn in_tail(start: usize, len: usize) -> bool {
    len > 0 && start as f64 >= len as f64 * COMMENT_MARKER_MIN_POSITION
}
