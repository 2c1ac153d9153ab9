//! The stable reason codes a paragraph can be dropped for.
//!
//! The order of [`Reason::ALL`] is the precedence used when several rules hit one
//! paragraph: the earlier reason wins, so the output never depends on rule-file order
//! across languages.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a paragraph is boilerplate. The codes (`as_str`) are part of the output format:
/// never rename one; add new ones at the end of their precedence group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No letter or digit at all.
    NoText,
    /// Arithmetic or "I am not a robot" challenges.
    Captcha,
    /// Comment-form headings and fields.
    CommentForm,
    /// Ad labels and "continue after the ad" lines.
    Ad,
    /// Cookie banners and consent buttons.
    Cookies,
    /// Newsletter, subscription, membership and donation calls to the reader.
    Newsletter,
    /// Share bars and social-network link rows.
    Share,
    /// "Read also" / related-article links.
    RelatedLinks,
    /// Image markdown, embedded-media captions and credits.
    MediaEmbed,
    /// Tag and archive lines ("Filed under", "Archivé dans").
    Tags,
    /// Category breadcrumbs, glued (`InternationalPolitique`) or separated (`Home > News`).
    Breadcrumb,
    /// Copyright notices and legal links (imprint, privacy policy, terms).
    Legal,
    /// Lines that are only author or date metadata ("By Jane Doe", "Publié le 3 mars 2024").
    Byline,
    /// Notes left by a text generator about the text itself.
    GeneratorNote,
    /// Sponsoring and partnership pitches.
    Sponsoring,
    /// Author boxes at the end of an article.
    AuthorBio,
    /// Everything after a comment-form marker in the tail of a document.
    CommentSection,
    /// Recurs in many documents of the run (site templates).
    Repeated,
    /// Scored as boilerplate by the content classifier (text features and context).
    LowContent,
    /// Content in a language the run does not keep (`--keep-langs`).
    Language,
    // Quality filters (src/quality/), document level unless said otherwise.
    /// Fails a Gopher quality check (word count, word length, symbols, stop words…).
    GopherQuality,
    /// Fails a Gopher repetition check (duplicate lines, repeated n-grams).
    GopherRepetition,
    /// Fails a C4 rule: a line rule drops the paragraph, a page rule the document.
    C4,
    /// Fails a FineWeb check (line punctuation, short lines, duplicate lines, lists).
    #[serde(rename = "fineweb")]
    FineWeb,
    // Deduplication (src/dedup/), run after every other stage on what they kept.
    /// A paragraph met earlier in the run (`--dedup`).
    Duplicate,
    /// A document whose cleaned text was met earlier in the run (`--dedup`).
    DuplicateDocument,
    /// A document similar to an earlier one (`--near-dup T`).
    NearDuplicate,
}

impl Reason {
    /// Every reason, in precedence order.
    pub const ALL: [Reason; 27] = [
        Reason::NoText,
        Reason::Captcha,
        Reason::CommentForm,
        Reason::Ad,
        Reason::Cookies,
        Reason::Newsletter,
        Reason::Share,
        Reason::RelatedLinks,
        Reason::MediaEmbed,
        Reason::Tags,
        Reason::Breadcrumb,
        Reason::Legal,
        Reason::Byline,
        Reason::GeneratorNote,
        Reason::Sponsoring,
        Reason::AuthorBio,
        Reason::CommentSection,
        Reason::Repeated,
        Reason::LowContent,
        Reason::Language,
        Reason::GopherQuality,
        Reason::GopherRepetition,
        Reason::C4,
        Reason::FineWeb,
        Reason::Duplicate,
        Reason::DuplicateDocument,
        Reason::NearDuplicate,
    ];

    /// The stable code written to the output.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NoText => "no_text",
            Reason::Captcha => "captcha",
            Reason::CommentForm => "comment_form",
            Reason::Ad => "ad",
            Reason::Cookies => "cookies",
            Reason::Newsletter => "newsletter",
            Reason::Share => "share",
            Reason::RelatedLinks => "related_links",
            Reason::MediaEmbed => "media_embed",
            Reason::Tags => "tags",
            Reason::Breadcrumb => "breadcrumb",
            Reason::Legal => "legal",
            Reason::Byline => "byline",
            Reason::GeneratorNote => "generator_note",
            Reason::Sponsoring => "sponsoring",
            Reason::AuthorBio => "author_bio",
            Reason::CommentSection => "comment_section",
            Reason::Repeated => "repeated",
            Reason::LowContent => "low_content",
            Reason::Language => "language",
            Reason::GopherQuality => "gopher_quality",
            Reason::GopherRepetition => "gopher_repetition",
            Reason::C4 => "c4",
            Reason::FineWeb => "fineweb",
            Reason::Duplicate => "duplicate",
            Reason::DuplicateDocument => "duplicate_document",
            Reason::NearDuplicate => "near_duplicate",
        }
    }

    /// One line describing the class, for `polyclean rules` and the docs.
    pub fn description(self) -> &'static str {
        match self {
            Reason::NoText => "paragraph without any letter or digit (separators, lone symbols)",
            Reason::Captcha => "arithmetic or 'I am not a robot' challenge",
            Reason::CommentForm => "comment-form heading, field label or notice, feedback call; comment header in a thread",
            Reason::Ad => "advertisement label or 'continue after the ad' line",
            Reason::Cookies => "cookie banner or consent button",
            Reason::Newsletter => "newsletter, subscription, membership or donation call",
            Reason::Share => "share bar, row of social-network links, follow call or share counter",
            Reason::RelatedLinks => "'read also' / related-article link, 'click here' call",
            Reason::MediaEmbed => "image markdown, embedded-media heading, photo credit, gallery counter",
            Reason::Tags => "tag, category or archive line",
            Reason::Breadcrumb => "category breadcrumb, glued or separated",
            Reason::Legal => "copyright notice or legal link (imprint, privacy policy, terms)",
            Reason::Byline => "line holding only author or date metadata, reading time or a citation suggestion",
            Reason::GeneratorNote => "note by a text generator about the text itself",
            Reason::Sponsoring => "sponsoring or partnership pitch",
            Reason::AuthorBio => "author box: at the end of an article, or headed by the author's name",
            Reason::CommentSection => {
                "everything after a comment-form marker in the document's tail or a comment thread's first header"
            }
            Reason::Repeated => {
                "recurs in many documents of the run (site templates, menus, footers)"
            }
            Reason::LowContent => {
                "scored as boilerplate by the content classifier (text features and context)"
            }
            Reason::Language => "content in a language the run does not keep (--keep-langs)",
            Reason::GopherQuality => "document fails a Gopher quality check (--quality filter)",
            Reason::GopherRepetition => {
                "document fails a Gopher repetition check (--quality filter)"
            }
            Reason::C4 => "line or document fails a C4 rule (--quality filter)",
            Reason::FineWeb => "document fails a FineWeb check (--quality filter)",
            Reason::Duplicate => "paragraph met earlier in the run (--dedup)",
            Reason::DuplicateDocument => {
                "document whose cleaned text was met earlier in the run (--dedup)"
            }
            Reason::NearDuplicate => "document similar to an earlier one (--near-dup)",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Reason {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
                format!("unknown reason `{s}`; known reasons: {}", known.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_from_str() {
        for reason in Reason::ALL {
            assert_eq!(reason.as_str().parse::<Reason>(), Ok(reason));
        }
    }

    #[test]
    fn precedence_follows_declaration_order() {
        let mut sorted = Reason::ALL;
        sorted.sort();
        assert_eq!(sorted, Reason::ALL);
    }

    #[test]
    fn unknown_code_lists_the_known_ones() {
        let err = "adverts".parse::<Reason>().unwrap_err();
        assert!(err.contains("comment_form"), "{err}");
    }
}

#[cfg(test)]
mod doc_tests {
    use super::*;

    #[test]
    fn every_reason_is_documented_in_docs_rules_md() {
        let doc = include_str!("../../docs/rules.md");
        for reason in Reason::ALL {
            assert!(
                doc.contains(&format!("| `{}` |", reason.as_str())),
                "{reason} missing from docs/rules.md"
            );
        }
    }
}
