//! A set of regex patterns that only answers "which of them match?", on a forward lazy DFA.
//!
//! `regex::RegexSet` answers the same question, but its engine is built to report spans too:
//! each set holds a forward and a reverse NFA, and each thread keeps the caches of several
//! engines. Membership needs neither the reverse NFA nor the other engines. On the built-in
//! rules (the 10 sets of `RuleSet`, 40 MB of the benchmark corpus): compiled automata
//! 16.0 → 5.5 MB, caches 16.2 → 9.7 MB per thread, same answers at the same speed; peak RSS
//! of a 2-thread run over the 200 MB benchmark corpus 108 → 87 MB (`docs/performance.md`).
//!
//! Answers are `regex::RegexSet::matches`' (the same syntax, Unicode and `MatchKind::All`
//! semantics; `tests::agrees_with_regex_set`).

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::{self, pikevm};
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchKind};

/// What a search needs per thread: the lazy DFA's states and the fallback's scratch space.
struct Caches {
    dfa: DfaCache,
    /// Made on first use: it holds slots for every NFA state and pattern, and most sets never
    /// need it.
    pikevm: Option<pikevm::Cache>,
}

type CachesFn = Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Compiled patterns, shared by every thread; each thread takes its own caches from a pool.
pub struct PatternSet {
    dfa: DFA,
    /// Answers when the lazy DFA cannot: it stops at a non-ASCII byte next to a Unicode `\b`
    /// (none of the built-in rules has one; a user's pattern may).
    pikevm: pikevm::PikeVM,
    /// Every pattern starts with `^`: a search need not look past the start.
    anchored: bool,
    caches: Pool<Caches, CachesFn>,
}

impl PatternSet {
    /// Compile `patterns` (regex crate syntax). The lazy DFA keeps at most `cache_capacity`
    /// bytes of states per thread, clearing them when full rather than switching to a slower
    /// engine; `size_limit` bounds the compiled automaton.
    pub fn new(
        patterns: &[&str],
        cache_capacity: usize,
        size_limit: usize,
    ) -> Result<PatternSet, String> {
        // No capture groups: a set reports no spans, and they would only add states.
        let nfa_config = thompson::Config::new()
            .nfa_size_limit(Some(size_limit))
            .which_captures(thompson::WhichCaptures::Implicit);
        let nfa = thompson::Compiler::new()
            .configure(nfa_config)
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .cache_capacity(cache_capacity)
                    // Never give up on the lazy DFA: the fallback is many times slower than
                    // rebuilding states, which is all a cleared cache costs.
                    .minimum_cache_clear_count(None)
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let pikevm = pikevm::PikeVM::builder()
            .configure(pikevm::PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let dfa_for_caches = dfa.clone();
        let create: CachesFn = Box::new(move || Caches {
            dfa: dfa_for_caches.create_cache(),
            pikevm: None,
        });
        Ok(PatternSet {
            anchored: nfa.is_always_start_anchored(),
            dfa,
            pikevm,
            caches: Pool::new(create),
        })
    }

    /// The indexes of the patterns that match somewhere in `text`, ascending.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut caches = self.caches.get();
        let anchored = if self.anchored {
            Anchored::Yes
        } else {
            Anchored::No
        };
        let input = Input::new(text).anchored(anchored);
        let mut found = regex_automata::PatternSet::new(self.dfa.pattern_len());
        // Most paragraphs match nothing, and a search that stops at the first match state
        // says so sooner than one that must find every pattern.
        let dfa_answered = match self
            .dfa
            .try_search_fwd(&mut caches.dfa, &input.clone().earliest(true))
        {
            Ok(None) => return Vec::new(),
            Ok(Some(_)) => self
                .dfa
                .try_which_overlapping_matches(&mut caches.dfa, &input, &mut found)
                .is_ok(),
            Err(_) => false,
        };
        if !dfa_answered {
            // Only a Unicode `\b` makes the lazy DFA stop (it is built never to give up).
            found.clear();
            let cache = caches
                .pikevm
                .get_or_insert_with(|| self.pikevm.create_cache());
            self.pikevm
                .which_overlapping_matches(cache, &input, &mut found);
        }
        found.iter().map(|p| p.as_usize()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CACHE: usize = 1 << 20;
    const LIMIT: usize = 16 << 20;

    fn set(patterns: &[&str]) -> PatternSet {
        PatternSet::new(patterns, CACHE, LIMIT).expect("patterns compile")
    }

    /// Both engines, over texts chosen to hit the edges: case folding, accents, `\W` next to
    /// non-ASCII letters, start and end assertions, several patterns at once, none at all.
    #[test]
    fn agrees_with_regex_set() {
        let patterns = [
            r"(?i)^(publicité|werbung|anuncio)$",
            r"(?i)(^|\W)lire aussi(\W|$)",
            r"(?i)^(sure|of course)\s*[!.,:]\s*here(['’]s| is)(\W|$)",
            r"^(?:\p{Lu}[\p{Ll}\p{M}]{2,}){2,}$",
            r"^[^>›»|/\n]{1,40}(?:\s+[>›»|/]\s+[^>›»|/\n]{1,40}){2,}$",
            r"(?:^(?:©|\([cC]\)|(?i:copyright)|(?:19|20)[0-9]{2})|©).{0,40}(?i:all rights reserved)",
            r"\d{2}/\d{2}/\d{4}",
        ];
        let texts = [
            "",
            "Publicité",
            "PUBLICITÉ",
            "Publicités",
            "À lire aussi : la suite",
            "Élire aussi un maire",
            "Lire aussi",
            "Sure! Here's the article you asked for",
            "Of course, here is",
            "Of course, hereby",
            "AccueilActualités",
            "Accueil > Monde > Europe",
            "© 2024 Le Journal. All rights reserved.",
            "Copyright 2023 — all rights reserved",
            "Le 12/03/2024, à Lyon, la séance a été levée.",
            "Accueil > Monde > Europe — publicité — 01/02/2003",
            "Une phrase ordinaire, sans rien de particulier.",
        ];
        let ours = set(&patterns);
        let theirs = regex::RegexSet::new(patterns).expect("patterns compile");
        for text in texts {
            let expected: Vec<usize> = theirs.matches(text).into_iter().collect();
            assert_eq!(ours.matches(text), expected, "{text:?}");
        }
        // Not vacuous: the texts make several patterns match, and some match none.
        assert_eq!(ours.matches("Publicité"), vec![0]);
        assert_eq!(
            ours.matches("Accueil > Monde > Europe — publicité — 01/02/2003"),
            vec![6]
        );
        assert!(ours
            .matches("Une phrase ordinaire, sans rien de particulier.")
            .is_empty());
    }

    #[test]
    fn anchored_sets_only_match_at_the_start() {
        let anchored = set(&[r"^menu$", r"(?i)^accueil"]);
        assert!(anchored.anchored);
        assert_eq!(anchored.matches("Accueil du site"), vec![1]);
        assert!(anchored.matches("Retour à l'accueil").is_empty());
        assert!(!set(&[r"^menu$", r"accueil"]).anchored);
    }

    /// A Unicode `\b` makes the lazy DFA stop at non-ASCII bytes; the fallback answers.
    #[test]
    fn unicode_word_boundary_falls_back() {
        let s = set(&[r"\bété\b", r"\bmenu\b"]);
        assert_eq!(s.matches("un bel été chaud"), vec![0]);
        assert!(s.matches("étémenu").is_empty());
        assert_eq!(s.matches("le menu"), vec![1]);
    }

    /// A cache far too small for the patterns is cleared and refilled, never abandoned.
    #[test]
    fn a_tiny_cache_still_answers() {
        let patterns = [r"(?i)(^|\W)votre (adresse )?(e-?mail|courriel) ne sera pas publiée"];
        let tiny = PatternSet::new(&patterns, 0, LIMIT).expect("compiles");
        let text =
            "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués.";
        for _ in 0..3 {
            assert_eq!(tiny.matches(text), vec![0]);
            assert!(tiny.matches("Votre avis compte.").is_empty());
        }
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(PatternSet::new(&["(unclosed"], CACHE, LIMIT).is_err());
        assert!(PatternSet::new(&["a{1000}{1000}"], CACHE, 1 << 10).is_err());
    }
}
