//! Stage 3: the language of every paragraph, of its sentences, and of the document.
//!
//! Each paragraph is split into sentences ([`sentences`]); each sentence is guessed on its own
//! by whatlang together with short-text evidence whatlang lacks ([`evidence`]: function words
//! and letters of the candidate languages). The paragraph's language is elected by the letters
//! of its decided sentences; sentences too short or unclear to decide take the paragraph's
//! language. A paragraph whose sentences disagree is `mixed` and carries language spans.
//! Paragraphs that cannot be decided inherit the document's language (`lang_source:
//! document`), itself elected by the letters of the kept, decided paragraphs.
//! Languages whatlang does not know (Welsh) are described in data and found on their words
//! ([`unknown`]), whole paragraphs at a time, when all languages are candidates.

mod analyser;
mod codes;
mod evidence;
mod lexicon;
mod sentences;
mod switching;
mod unknown;

pub use codes::{output_code, parse_code};
pub use evidence::Evidence;
pub use sentences::sentence_ranges;
pub use unknown::{unknown_code, UnknownLang};

use std::collections::HashMap;
use std::sync::OnceLock;

use whatlang::{Detector, Lang};

use analyser::{capped, Analyser, DETECTOR_MAX_BYTES};
use lexicon::Lexicon;
use unknown::Unknown;

use crate::boilerplate::Reason;
use crate::document::{Document, Drop, LangLabel, LangSource, LangSpan, Verdict, UNDETERMINED};

/// Settings of the language stage.
#[derive(Debug, Clone)]
pub struct LangConfig {
    /// Candidate languages; empty means all of whatlang's.
    pub candidates: Vec<Lang>,
    /// Fewer letters than this and a paragraph is decided only on strong evidence.
    pub min_letters: usize,
    /// Lower confidence than this and a unit is not decided on its own.
    pub min_confidence: f64,
    /// Ask whatlang about texts too short to decide, for a best guess (`polyclean detect`);
    /// the pipeline skips the call, since it hands such texts the document's language anyway.
    pub guess_short_texts: bool,
}

impl Default for LangConfig {
    fn default() -> Self {
        LangConfig {
            candidates: Vec::new(),
            min_letters: 12,
            min_confidence: 0.5,
            guess_short_texts: false,
        }
    }
}

/// One unit's language guess.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// The best candidate, if any evidence at all points somewhere.
    pub lang: Option<Lang>,
    /// 0–1: whatlang's confidence when it decided alone; otherwise grows with the best
    /// score's lead over the runner-up (`1 - e^-lead`).
    pub confidence: f64,
    /// Whether the guess is firm enough to stand on its own (else the context decides).
    pub decided: bool,
}

impl Guess {
    const NONE: Guess = Guess {
        lang: None,
        confidence: 0.0,
        decided: false,
    };
}

/// The language of one paragraph: its guess, and its sentences' spans when they disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLanguage {
    /// The paragraph's language (letters of the decided sentences elect it).
    pub guess: Guess,
    /// Sentences (byte ranges of the text) with their languages, neighbours of one language
    /// merged; empty when the text has no letters, or is in a language whatlang does not know.
    pub spans: Vec<LangSpan>,
    /// Set when the whole text is in a language whatlang does not know (then `guess.lang` is
    /// `None` and `spans` empty): it has no [`Lang`].
    pub unknown: Option<UnknownLang>,
}

impl TextLanguage {
    /// A whole text in a language whatlang does not know, found with `confidence`.
    fn unknown((lang, confidence): (UnknownLang, f64)) -> Self {
        TextLanguage {
            guess: Guess {
                lang: None,
                confidence,
                decided: true,
            },
            spans: Vec::new(),
            unknown: Some(lang),
        }
    }

    /// True when the spans hold more than one language.
    pub fn is_mixed(&self) -> bool {
        self.spans.windows(2).any(|w| w[0].lang != w[1].lang)
    }
}

/// The language stage: a whatlang detector and the evidence tables, built once.
pub struct LanguageDetector {
    /// The analyser over the configured candidates.
    main: Analyser,
    /// With all languages as candidates: per whatlang language (in `Lang::all()` order), the
    /// analyser of its group, built on first use (`None` when it has no group).
    routes: Vec<OnceLock<Option<Analyser>>>,
    /// With all languages as candidates: the word lists of the languages whose lists are whole
    /// ([`ROUTER_LANGS`]), which route most of their texts without asking whatlang.
    router: Option<Lexicon>,
    /// With all languages as candidates: the languages whatlang does not know, indexed on
    /// first use (texts routed on their words never need them).
    unknown: OnceLock<Option<Unknown>>,
    config: LangConfig,
}

/// Languages whose word lists are whole (down to Zipf 3): a text nearly all of whose words
/// one of them lists is routed to that language's group on its words alone.
const ROUTER_LANGS: [Lang; 6] = [
    Lang::Eng,
    Lang::Fra,
    Lang::Spa,
    Lang::Deu,
    Lang::Ita,
    Lang::Por,
];
/// Words a text needs, and the share of them a list must hold, to be routed on its words.
const ROUTER_MIN_WORDS: usize = 8;
const ROUTER_MIN_COVERAGE: f64 = 0.9;
/// Words looked at: the routing question is settled long before the end of a long paragraph.
const ROUTER_MAX_WORDS: usize = 48;

impl LanguageDetector {
    /// Build the detector for `config`.
    pub fn new(config: LangConfig) -> Self {
        let (detector, candidates) = if config.candidates.is_empty() {
            (Detector::new(), Lang::all().to_vec())
        } else {
            (
                Detector::with_allowlist(config.candidates.clone()),
                config.candidates.clone(),
            )
        };
        let routes = if config.candidates.is_empty() {
            Lang::all().iter().map(|_| OnceLock::new()).collect()
        } else {
            Vec::new()
        };
        let router = if config.candidates.is_empty() {
            Lexicon::for_langs(&ROUTER_LANGS)
        } else {
            None
        };
        LanguageDetector {
            main: Analyser::new(detector, &candidates, &config),
            routes,
            router,
            unknown: OnceLock::new(),
            config,
        }
    }

    /// Guess the language of one unit (a sentence, a short paragraph, a word) on its own.
    pub fn guess(&self, text: &str) -> Guess {
        self.main.guess(text)
    }

    /// Analyse one paragraph: its language and, where it switches language, its spans.
    ///
    /// With word lexicons for every candidate, the spans follow the best word-level path
    /// ([`switching`]). With all of whatlang's languages as candidates, a text whatlang assigns
    /// to a language that has a lexicon, as do the languages it is confused with
    /// (`rules/languages.toml`, `close`), is analysed the same way among that group. Otherwise
    /// each sentence is guessed on its own, undecided sentences take the paragraph's language,
    /// and neighbours of one language merge. Either way the paragraph's language is elected by
    /// letters when it mixes languages, and guessed on the whole text when it does not.
    pub fn analyse(&self, text: &str) -> TextLanguage {
        if self.routes.is_empty() || letter_count(text) < self.config.min_letters {
            return self.main.analyse(text, None);
        }
        if let Some(group) = self.route_by_words(text).and_then(|lang| self.group(lang)) {
            return group.analyse(text, None);
        }
        // Only with all languages as candidates (checked above): with `--langs` the user has
        // said which languages the corpus holds.
        let unknown = self.unknown.get_or_init(Unknown::builtin);
        if let Some(found) = unknown.as_ref().and_then(|u| u.detect(text)) {
            return TextLanguage::unknown(found);
        }
        // Ask whatlang once; its answer picks the group and is reused by the analysis.
        let known = self.main.detector.detect(capped(text, DETECTOR_MAX_BYTES));
        match known.as_ref().and_then(|info| self.group(info.lang())) {
            Some(group) => group.analyse(text, known.as_ref()),
            None => self.main.analyse(text, known.as_ref()),
        }
    }

    /// The language whose whole word list holds nearly every word of `text` (the first of
    /// [`ROUTER_LANGS`] on ties), if any: a far cheaper question than whatlang's, and enough to
    /// pick the group whose lexicons then decide.
    fn route_by_words(&self, text: &str) -> Option<Lang> {
        let router = self.router.as_ref()?;
        let mut listed = [0usize; ROUTER_LANGS.len()];
        let mut total = 0;
        for word in evidence::words(text).take(ROUTER_MAX_WORDS) {
            router.count_listed(&word, &mut listed);
            total += 1;
        }
        if total < ROUTER_MIN_WORDS {
            return None;
        }
        let (best, &count) = listed
            .iter()
            .enumerate()
            .max_by_key(|&(i, &n)| (n, usize::MAX - i))?;
        (count as f64 >= ROUTER_MIN_COVERAGE * total as f64).then_some(ROUTER_LANGS[best])
    }

    /// The analyser of the group of texts whatlang assigns to `lang`, if it has one.
    fn group(&self, lang: Lang) -> Option<&Analyser> {
        let slot = Lang::all().iter().position(|&l| l == lang)?;
        self.routes[slot]
            .get_or_init(|| Analyser::for_group(lang, &self.config))
            .as_ref()
    }

    /// Label one text on its own: decided (`source: paragraph`) or not (`source: none`).
    pub fn label(&self, text: &str) -> LangLabel {
        label_of(&self.analyse(text))
    }

    /// Detect every paragraph of `doc` (before boilerplate removal).
    pub fn detect_paragraphs(&self, doc: &mut Document) {
        for p in &mut doc.paragraphs {
            let analysis = self.analyse(&p.text);
            p.lang = label_of(&analysis);
            p.spans = if analysis.is_mixed() {
                analysis.spans
            } else {
                Vec::new()
            };
        }
    }

    /// Elect the document's language from its kept paragraphs and hand it down to the
    /// paragraphs that could not be decided (after boilerplate removal).
    pub fn elect_document_language(&self, doc: &mut Document) {
        let (lang, share) = match leading_language(doc) {
            Some(found) => found,
            None => self.fallback_on_whole_text(doc),
        };
        doc.lang = (lang != UNDETERMINED).then(|| lang.clone());
        for p in &mut doc.paragraphs {
            if p.lang.source != LangSource::Paragraph && lang != UNDETERMINED {
                p.lang.code = lang.clone();
                p.lang.confidence = share;
                p.lang.source = LangSource::Document;
            }
        }
    }

    /// When no kept paragraph is decided on its own (short lines only), try the kept text
    /// as a whole; still undecided means `und`.
    fn fallback_on_whole_text(&self, doc: &Document) -> (String, f64) {
        let text = doc.clean_text();
        let label = self.label(&text);
        (label.code, label.confidence)
    }
}

/// Drop kept paragraphs whose language is not in `keep` (output codes) with reason
/// `language`; run after the document's language is elected, so undecided paragraphs are
/// judged by the language they inherited. Mixed paragraphs are judged by their main language:
/// their foreign spans are reported, not cut.
pub fn keep_only(doc: &mut Document, keep: &[String]) {
    for p in &mut doc.paragraphs {
        if !p.verdict.is_kept() || keep.contains(&p.lang.code) {
            continue;
        }
        let evidence = format!(
            "language {} ({}), not in --keep-langs {}",
            p.lang.code,
            p.lang.source.as_str(),
            keep.join(",")
        );
        p.verdict = Verdict::Drop(Drop {
            reason: Reason::Language,
            evidence,
        });
    }
}

/// The label a paragraph gets from its own analysis: decided, or `und` waiting for the
/// document.
fn label_of(analysis: &TextLanguage) -> LangLabel {
    let guess = analysis.guess;
    if let Some(unknown) = analysis.unknown {
        return LangLabel {
            code: unknown.code.to_string(),
            confidence: guess.confidence,
            reliable: true,
            source: LangSource::Paragraph,
        };
    }
    match guess.lang {
        Some(lang) if guess.decided => LangLabel {
            code: output_code(lang).to_string(),
            confidence: guess.confidence,
            reliable: true,
            source: LangSource::Paragraph,
        },
        _ => LangLabel {
            confidence: guess.confidence,
            ..LangLabel::undetermined()
        },
    }
}

/// The language with most letters among kept, decided paragraphs, and its share of them.
/// Ties go to the language seen first, so the result never depends on hash order.
pub fn leading_language(doc: &Document) -> Option<(String, f64)> {
    let mut letters: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in doc
        .kept()
        .filter(|p| p.lang.source == LangSource::Paragraph)
    {
        let first_seen = letters.len();
        let entry = letters
            .entry(p.lang.code.as_str())
            .or_insert((0, first_seen));
        entry.0 += letter_count(&p.text);
    }
    let total: usize = letters.values().map(|(n, _)| n).sum();
    let (code, (count, _)) = letters
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
    if total == 0 {
        return None;
    }
    Some((code.to_string(), round(count as f64 / total as f64)))
}

/// Number of alphabetic characters: the unit votes and thresholds are counted in.
pub fn letter_count(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// Round to 4 decimals so the output stays short and stable.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paragraph;

    fn doc_of(texts: &[&str]) -> Document {
        let mut doc = Document::new("d", "test", texts.join("\n"));
        doc.paragraphs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Paragraph::new(i, 0, 0, t.to_string()))
            .collect();
        doc
    }

    #[test]
    fn texts_nearly_all_listed_in_one_whole_list_are_routed_on_their_words() {
        let det = LanguageDetector::new(LangConfig::default());
        let route = |t: &str| det.route_by_words(t);
        assert_eq!(
            route("Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine."),
            Some(Lang::Fra)
        );
        assert_eq!(
            route("Die Stadtverwaltung hat am Donnerstag den Haushalt für das kommende Jahr beschlossen."),
            Some(Lang::Deu)
        );
        // Languages without a whole list go to whatlang, however close their words.
        assert_eq!(
            route("Pemerintah kota mengumumkan anggaran baru untuk tahun depan pada hari Kamis malam."),
            None
        );
        assert_eq!(
            route("Die stadsraad het Donderdagaand die begroting vir volgende jaar goedgekeur ná 'n lang debat."),
            None
        );
        assert_eq!(route("Trop court pour décider."), None, "too few words");
        // With chosen candidates there is no routing: whatlang's allowlist is already small.
        let three = LanguageDetector::new(LangConfig {
            candidates: vec![Lang::Fra, Lang::Eng, Lang::Spa],
            ..LangConfig::default()
        });
        assert_eq!(
            three.route_by_words("Le conseil municipal a voté jeudi soir le budget de la ville."),
            None
        );
    }

    #[test]
    fn long_paragraphs_are_decided_on_their_own() {
        let det = LanguageDetector::new(LangConfig::default());
        let label =
            det.label("Le gouvernement a annoncé mardi une réforme importante des retraites.");
        assert_eq!(
            (label.code.as_str(), label.source),
            ("fr", LangSource::Paragraph)
        );
    }

    #[test]
    fn short_paragraphs_inherit_the_document_language() {
        let det = LanguageDetector::new(LangConfig::default());
        let mut doc = doc_of(&[
            "Sommaire",
            "Le gouvernement a annoncé mardi une réforme importante des retraites et des salaires.",
        ]);
        det.detect_paragraphs(&mut doc);
        det.elect_document_language(&mut doc);
        assert_eq!(doc.lang.as_deref(), Some("fr"));
        assert_eq!(doc.paragraphs[0].lang.code, "fr");
        assert_eq!(doc.paragraphs[0].lang.source, LangSource::Document);
    }

    #[test]
    fn document_language_counts_kept_letters_only() {
        let det = LanguageDetector::new(LangConfig::default());
        let mut doc = doc_of(&[
            "This long English boilerplate paragraph talks about cookies, privacy and consent settings for everyone.",
            "Le gouvernement a annoncé mardi une réforme des retraites.",
        ]);
        det.detect_paragraphs(&mut doc);
        doc.paragraphs[0].verdict = Verdict::Drop(Drop {
            reason: Reason::Cookies,
            evidence: String::new(),
        });
        det.elect_document_language(&mut doc);
        assert_eq!(doc.lang.as_deref(), Some("fr"));
    }

    #[test]
    fn nothing_decidable_is_und() {
        let det = LanguageDetector::new(LangConfig::default());
        let mut doc = doc_of(&["12 34", "—"]);
        det.detect_paragraphs(&mut doc);
        det.elect_document_language(&mut doc);
        assert_eq!(doc.lang, None);
        assert_eq!(doc.paragraphs[0].lang.code, UNDETERMINED);
        assert_eq!(doc.paragraphs[0].lang.source, LangSource::None);
    }

    #[test]
    fn allowlist_restricts_candidates() {
        let det = LanguageDetector::new(LangConfig {
            candidates: vec![Lang::Fra, Lang::Eng],
            ..LangConfig::default()
        });
        let label =
            det.label("El gobierno anunció el martes una importante reforma de las pensiones.");
        assert!(label.code == "fr" || label.code == "en" || label.code == UNDETERMINED);
    }

    fn detector(langs: &[Lang]) -> LanguageDetector {
        LanguageDetector::new(LangConfig {
            candidates: langs.to_vec(),
            ..LangConfig::default()
        })
    }

    fn span_langs(analysis: &TextLanguage) -> Vec<Lang> {
        analysis.spans.iter().map(|s| s.lang).collect()
    }

    #[test]
    fn without_lexicons_each_sentence_is_guessed_and_the_paragraph_mixes() {
        // Afrikaans has no lexicon: the sentence-level path runs.
        let det = detector(&[Lang::Fra, Lang::Eng, Lang::Afr]);
        let text =
            "Le conseil municipal a voté hier soir le budget de la ville pour l'année prochaine. \
            The council approved the budget after a long and heated debate last night. \
            Les travaux commenceront au printemps prochain, selon la mairie de la ville.";
        let analysis = det.analyse(text);
        assert_eq!(span_langs(&analysis), [Lang::Fra, Lang::Eng, Lang::Fra]);
        assert!(analysis.is_mixed());
        assert_eq!(analysis.guess.lang, Some(Lang::Fra));
    }

    #[test]
    fn one_language_gives_one_span_over_the_whole_text() {
        let det = detector(&[Lang::Fra, Lang::Eng, Lang::Spa]);
        let text = "Il pleut depuis ce matin. Les rues sont vides et les cafés sont pleins.";
        let analysis = det.analyse(text);
        assert!(!analysis.is_mixed());
        assert_eq!(analysis.spans.len(), 1);
        assert_eq!(
            (analysis.spans[0].start, analysis.spans[0].end),
            (0, text.len())
        );
    }

    #[test]
    fn short_texts_are_decided_by_clear_word_evidence_only() {
        let det = detector(&[Lang::Fra, Lang::Eng, Lang::Spa]);
        let clear = det.guess("Pourquoi maintenant");
        assert_eq!((clear.lang, clear.decided), (Some(Lang::Fra), true));
        // A name says nothing about a language.
        let unclear = det.guess("Zidane");
        assert!(!unclear.decided, "{unclear:?}");
    }

    #[test]
    fn keep_only_drops_other_languages_but_not_boilerplate_reasons() {
        let mut doc = doc_of(&["un", "dos", "tres"]);
        for (p, code) in doc.paragraphs.iter_mut().zip(["fr", "es", "es"]) {
            p.lang.code = code.to_string();
        }
        doc.paragraphs[2].verdict = Verdict::Drop(Drop {
            reason: Reason::Ad,
            evidence: String::new(),
        });
        keep_only(&mut doc, &["fr".to_string()]);
        let reasons: Vec<Option<Reason>> = doc
            .paragraphs
            .iter()
            .map(|p| p.verdict.drop_info().map(|d| d.reason))
            .collect();
        assert_eq!(reasons, [None, Some(Reason::Language), Some(Reason::Ad)]);
    }

    #[test]
    fn the_detector_sees_at_most_a_capped_prefix_on_a_char_boundary() {
        assert_eq!(capped("déjà", 100), "déjà");
        assert_eq!(capped("déjà", 2), "d"); // "é" is two bytes: cut before it
        assert_eq!(capped("déjà", 3), "dé");
    }

    #[test]
    fn with_all_languages_a_language_whatlang_lacks_is_labelled_from_its_words() {
        let det = LanguageDetector::new(LangConfig::default());
        let welsh = det.analyse("Mae hi'n braf iawn heddiw, on'd yw hi?");
        assert_eq!(welsh.unknown.map(|l| l.code), Some("cy"));
        assert!(welsh.guess.decided && welsh.spans.is_empty());
        let label = det.label("Roedd y tywydd yn ofnadwy ddoe.");
        assert_eq!(
            (label.code.as_str(), label.source),
            ("cy", LangSource::Paragraph)
        );
        // Short sentences sharing Welsh's short words stay in their language.
        for (text, code) in [
            ("Y a la casa de mi madre.", "es"),
            ("Il y a un an et demi.", "fr"),
        ] {
            let analysis = det.analyse(text);
            assert_eq!(analysis.unknown, None, "{text}");
            assert_eq!(det.label(text).code, code, "{text}");
        }
        // With chosen candidates the check does not run.
        let three = detector(&[Lang::Fra, Lang::Eng, Lang::Spa]);
        assert_eq!(
            three
                .analyse("Mae hi'n braf iawn heddiw, on'd yw hi?")
                .unknown,
            None
        );
    }

    #[test]
    fn with_all_languages_a_paragraph_is_routed_to_its_group() {
        let det = LanguageDetector::new(LangConfig::default());
        let text = "Le maire a présenté le budget hier soir devant le conseil municipal. \
            The council approved it without any debate. Les habitants attendent les travaux.";
        let analysis = det.analyse(text);
        assert_eq!(span_langs(&analysis), [Lang::Fra, Lang::Eng, Lang::Fra]);
        // Too short to trust whatlang's first answer: not routed, not decided.
        assert!(!det.analyse("Hej med dig").guess.decided);
    }
}
