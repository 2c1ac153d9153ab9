//! Rule files compiled into automata: one Aho-Corasick automaton for every prefix and
//! contains phrase, one hash map for whole-paragraph phrases, a few [`PatternSet`]s for the
//! patterns — built once per run, shared by all threads.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::pattern_set::PatternSet;
use super::rules::{MatchKind, Rule, RuleError, RuleFile, Zone, SUBJECT_GROUP, TAIL_PARAGRAPHS};
use super::Reason;

/// A rule with where it came from, ready to report as evidence.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The rule as written.
    pub rule: Rule,
    /// The rule file it came from (`rules/fr.toml` or the user's path).
    pub file: String,
    /// The rule file's language (`*` for structural rules).
    pub lang: String,
    /// Stable id: `<file stem>.<reason>.<n>`, n counting that reason's rules in the file.
    pub id: String,
}

/// A rule that matched a paragraph, with the phrase or pattern that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'r> {
    /// Index of the rule in [`RuleSet::rules`].
    pub rule: usize,
    /// The rule's reason.
    pub reason: Reason,
    /// The matching phrase or pattern.
    pub phrase: &'r str,
}

/// Where a paragraph sits in its document; rules with a zone look at it.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    /// Index of the paragraph.
    pub index: usize,
    /// Number of paragraphs in the document.
    pub count: usize,
}

impl Position {
    fn in_zone(self, zone: Zone) -> bool {
        match zone {
            Zone::Any => true,
            Zone::Tail => self.index + TAIL_PARAGRAPHS >= self.count,
        }
    }
}

/// Most lazy-DFA states a pattern set keeps per thread, in bytes (the regex crate's default
/// is 2 MiB). The sets' states grow with the variety of text seen: with 8 MiB, 14.3 MB per
/// thread in all after 1 GB of the benchmark corpus against 10.7 MB after 100 MB. 3 MiB caps
/// that at 10.3 MB; only the largest set, of many counted repetitions, then clears its states
/// now and then, which costs ≈ 1.5 % more CPU (docs/performance.md, "Memory").
const REGEX_DFA_CACHE: usize = 3 << 20;
/// Compiled size limit per regex set (the default is 10 MiB).
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// The hasher of the phrase tables: looked up for every paragraph (and every word of
/// `all_words` rules), never iterated, so a fast non-keyed hasher replaces SipHash.
type FastHash = foldhash::fast::FixedState;

/// A phrase or pattern, with the index of the rule it belongs to.
type Entry = (usize, String);

/// A regex with the index of its rule and its rank (see [`RegexGroup::entries`]).
type RankedEntry = (usize, String, usize);

/// Every rule of every file, compiled.
pub struct RuleSet {
    rules: Vec<CompiledRule>,
    whole: HashMap<String, Vec<usize>, FastHash>,
    automaton: AhoCorasick,
    automaton_entries: Vec<Entry>,
    all_words: Vec<(usize, HashSet<String, FastHash>)>,
    regex_groups: Vec<RegexGroup>,
    subject_rules: SubjectRules,
}

/// The `subject_heading` rules, their patterns compiled on their own to read the `subject`
/// group (only for paragraphs a rule hit), and the stop words of all their languages: the
/// lexicons apply to every paragraph, and `Sobre` heads Spanish and Portuguese boxes alike.
#[derive(Default)]
struct SubjectRules {
    /// Each pattern with its rule, compiled on first use: most runs meet few such headings,
    /// and compiling the Unicode classes of a name costs more than the whole rule set's DFA.
    patterns: Vec<(usize, String, OnceLock<Option<regex::Regex>>)>,
    stop_words: HashSet<String>,
}

/// What a subject heading names (`Jane Doe` in `About Jane Doe`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// As the heading writes it.
    pub text: String,
    /// Its words of two letters or more, lowercased.
    pub words: Vec<String>,
}

impl Subject {
    /// Whether `text` names the subject: holds one of its words (case aside). An author box
    /// calls the author by the first name (`Jane is …`) or the full name.
    pub fn named_in(&self, text: &str) -> bool {
        subject_words(text).any(|w| self.words.contains(&w))
    }
}

/// The lowercased words of two letters or more (initials such as `J.` say little).
fn subject_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(str::to_lowercase)
}

/// The regex rules that share one `max_words`, in one [`PatternSet`]: a long paragraph only
/// runs the groups whose limit it fits, which keeps the regex cost off article text.
/// Patterns not anchored at the start go to one group of their own (see [`group_regexes`]).
struct RegexGroup {
    max_words: Option<usize>,
    set: PatternSet,
    /// Each pattern with its rule and its rank: the order hits were found in before the
    /// unanchored patterns had a group of their own (the first of several hits of one rule
    /// names the evidence, so that order is kept).
    entries: Vec<RankedEntry>,
}

impl RuleSet {
    /// Compile `files`, given as `(name, file)`, in order, leaving out the rules `disabled`
    /// names (by id, reason code or file stem, see [`is_disabled`]).
    pub fn compile(
        files: &[(String, RuleFile)],
        disabled: &[String],
    ) -> Result<RuleSet, RuleError> {
        Self::compile_trusting(files, disabled, 0)
    }

    /// [`RuleSet::compile`], where the first `trusted` files are built in (shipped with the
    /// binary, every pattern checked by the tests): their patterns are not compiled one by one
    /// to name a bad one, which would double the start-up cost of every run.
    pub fn compile_trusting(
        files: &[(String, RuleFile)],
        disabled: &[String],
        trusted: usize,
    ) -> Result<RuleSet, RuleError> {
        let mut rules = Vec::new();
        let mut whole: HashMap<String, Vec<usize>, FastHash> = HashMap::default();
        let mut automaton_entries = Vec::new();
        let mut all_words = Vec::new();
        let mut regex_entries = Vec::new();
        for (f, (name, file)) in files.iter().enumerate() {
            let stem = std::path::Path::new(name)
                .file_stem()
                .map_or(name.clone(), |s| s.to_string_lossy().into_owned());
            let mut per_reason: HashMap<Reason, usize> = HashMap::new();
            for (i, rule) in file.rules.iter().enumerate() {
                let n = per_reason.entry(rule.reason).or_default();
                *n += 1;
                let rule_id = format!("{stem}.{}.{n}", rule.reason);
                if is_disabled(&rule_id, disabled) {
                    continue;
                }
                let id = rules.len();
                for phrase in &rule.phrases {
                    match rule.kind {
                        MatchKind::Whole => whole.entry(phrase.clone()).or_default().push(id),
                        MatchKind::Prefix | MatchKind::Contains => {
                            automaton_entries.push((id, phrase.clone()))
                        }
                        MatchKind::Regex => {
                            if f >= trusted {
                                check_regex(name, i, rule, phrase)?;
                            }
                            regex_entries.push((id, phrase.clone()))
                        }
                        MatchKind::AllWords => {}
                    }
                }
                if rule.kind == MatchKind::AllWords {
                    all_words.push((id, rule.phrases.iter().cloned().collect()));
                }
                rules.push(CompiledRule {
                    rule: rule.clone(),
                    file: name.clone(),
                    lang: file.lang.clone(),
                    id: rule_id,
                });
            }
        }
        let automaton = AhoCorasick::new(automaton_entries.iter().map(|(_, p)| p.as_str()))
            .map_err(|e| internal(format!("cannot build the phrase automaton: {e}")))?;
        let regex_groups = group_regexes(&rules, regex_entries)?;
        let subject_rules = subject_rules(&rules);
        Ok(RuleSet {
            rules,
            whole,
            automaton,
            automaton_entries,
            all_words,
            regex_groups,
            subject_rules,
        })
    }

    /// The subject a hit of a `subject_heading` rule names, or None when the hit is of another
    /// rule or the "subject" is no one's name: it holds a stop word of the rules' languages
    /// (`About This Recipe`, `Sobre Nós Mesmos`) or a digit (`About Galaxy S21 Ultra`).
    pub fn subject(&self, hit: &Hit, text: &str) -> Option<Subject> {
        let subjects = &self.subject_rules;
        let (_, _, regex) = subjects
            .patterns
            .iter()
            .find(|(rule, p, _)| *rule == hit.rule && p == hit.phrase)?;
        // Every pattern compiled before (the built-in ones by the tests): None is unreachable.
        let regex = regex.get_or_init(|| regex::Regex::new(hit.phrase).ok());
        let found = regex.as_ref()?.captures(text)?.name(SUBJECT_GROUP)?;
        // A digit makes a product or a model (`Galaxy S21`, `Series 5`), not a person.
        if found.as_str().contains(|c: char| c.is_numeric()) {
            return None;
        }
        let words: Vec<String> = subject_words(found.as_str()).collect();
        if words.is_empty() || words.iter().any(|w| subjects.stop_words.contains(w)) {
            return None;
        }
        Some(Subject {
            text: found.as_str().to_string(),
            words,
        })
    }

    /// The compiled rules, in file order.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// Every rule that matches `text` at `position`, honouring `max_words` and zones.
    pub fn hits(&self, text: &str, position: Position) -> Vec<Hit<'_>> {
        let key = key(text);
        let words = text.split_whitespace().count();
        let mut found: Vec<(usize, &str)> = Vec::new();
        if let Some((phrase, ids)) = self.whole.get_key_value(&key) {
            found.extend(ids.iter().map(|&id| (id, phrase.as_str())));
        }
        for m in self.automaton.find_overlapping_iter(&key) {
            let (id, phrase) = &self.automaton_entries[m.pattern().as_usize()];
            let kind = self.rules[*id].rule.kind;
            let at_start = m.start() == 0;
            if bounded(&key, m.start(), m.end()) && (kind == MatchKind::Contains || at_start) {
                found.push((*id, phrase.as_str()));
            }
        }
        // Split again per rule rather than collected once: the first word missing from a rule's
        // set ends the check, and for most paragraphs that is the first word.
        for (id, set) in &self.all_words {
            let mut key_words = split_words(&key).peekable();
            if key_words.peek().is_some() && key_words.all(|w| set.contains(w)) {
                found.push((*id, "(every word)"));
            }
        }
        let mut regex_hits: Vec<(usize, usize, &str)> = Vec::new();
        for group in self
            .regex_groups
            .iter()
            .filter(|g| g.max_words.is_none_or(|max| words <= max))
        {
            for i in group.set.matches(text) {
                let (id, pattern, rank) = &group.entries[i];
                regex_hits.push((*rank, *id, pattern.as_str()));
            }
        }
        regex_hits.sort_unstable_by_key(|&(rank, _, _)| rank);
        found.extend(regex_hits.into_iter().map(|(_, id, pattern)| (id, pattern)));
        found
            .into_iter()
            .filter(|&(id, _)| {
                let rule = &self.rules[id].rule;
                rule.max_words.is_none_or(|max| words <= max) && position.in_zone(rule.zone)
            })
            .map(|(id, phrase)| Hit {
                rule: id,
                reason: self.rules[id].rule.reason,
                phrase,
            })
            .collect()
    }

    /// The hit that decides the verdict: the highest-precedence reason, then the earliest rule.
    pub fn best_hit(&self, text: &str, position: Position) -> Option<Hit<'_>> {
        self.hits(text, position)
            .into_iter()
            .min_by_key(|h| (h.reason, h.rule))
    }

    /// Human-readable evidence for a hit: the file, the match kind and the phrase.
    pub fn evidence(&self, hit: &Hit) -> String {
        let rule = &self.rules[hit.rule];
        format!(
            "{}: {} \"{}\" [{}]",
            rule.file,
            rule.rule.kind.as_str(),
            hit.phrase,
            rule.id
        )
    }
}

/// Split regex entries into one [`RegexGroup`] per distinct `max_words`, except patterns
/// that may match away from the start: those share one group whose limit is the largest of
/// theirs. A set with such a pattern scans the whole paragraph (one holding only `^`
/// patterns stops within a few characters), so short paragraphs scan once instead of once
/// per limit. Each rule's own `max_words` is applied to the hits afterwards
/// ([`RuleSet::hits`]), so the grouping changes the cost, never the hits.
fn group_regexes(
    rules: &[CompiledRule],
    entries: Vec<Entry>,
) -> Result<Vec<RegexGroup>, RuleError> {
    type Grouped = Vec<(Option<usize>, Vec<Entry>)>;
    // The former grouping (one group per limit, in order of first appearance) gives ranks.
    let mut by_limit: Grouped = Vec::new();
    for (id, pattern) in entries {
        let limit = rules[id].rule.max_words;
        match by_limit.iter_mut().find(|(l, _)| *l == limit) {
            Some((_, group)) => group.push((id, pattern)),
            None => by_limit.push((limit, vec![(id, pattern)])),
        }
    }
    let mut anchored: Vec<(Option<usize>, Vec<RankedEntry>)> = Vec::new();
    let mut loose: Vec<RankedEntry> = Vec::new();
    let mut loose_limit = Some(0);
    let mut rank = 0;
    for (limit, group) in by_limit {
        let mut kept = Vec::new();
        for (id, pattern) in group {
            if starts_anchored(&pattern) {
                kept.push((id, pattern, rank));
            } else {
                loose_limit = loose_limit.zip(limit).map(|(a, b)| a.max(b));
                loose.push((id, pattern, rank));
            }
            rank += 1;
        }
        if !kept.is_empty() {
            anchored.push((limit, kept));
        }
    }
    if !loose.is_empty() {
        anchored.push((loose_limit, loose));
    }
    anchored
        .into_iter()
        .map(|(max_words, entries)| {
            let patterns: Vec<&str> = entries.iter().map(|(_, p, _)| p.as_str()).collect();
            let set = PatternSet::new(&patterns, REGEX_DFA_CACHE, REGEX_SIZE_LIMIT)
                .map_err(|e| internal(format!("cannot build the regex set: {e}")))?;
            Ok(RegexGroup {
                max_words,
                set,
                entries,
            })
        })
        .collect()
}

/// The `subject_heading` rules, with the stop words of their languages.
fn subject_rules(rules: &[CompiledRule]) -> SubjectRules {
    let mut found = SubjectRules::default();
    for (id, compiled) in rules.iter().enumerate() {
        if !compiled.rule.subject_heading {
            continue;
        }
        for pattern in &compiled.rule.phrases {
            found.patterns.push((id, pattern.clone(), OnceLock::new()));
        }
        if let Some(stop_words) = crate::quality::builtin_stop_words(&compiled.lang) {
            found.stop_words.extend(stop_words);
        }
    }
    found
}

/// Whether `pattern` plainly starts with `^` (after an optional leading flag group such as
/// `(?i)`). Only a hint for grouping: a wrong answer costs time, never a hit.
fn starts_anchored(pattern: &str) -> bool {
    let rest = match pattern.strip_prefix("(?") {
        Some(flags) => match flags.find(')') {
            Some(end)
                if flags[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-') =>
            {
                &flags[end + 1..]
            }
            _ => return false,
        },
        None => pattern,
    };
    rest.starts_with('^')
}

/// Whether a rule id is switched off by one of `disabled`: its exact id (`fr.ad.1`), its
/// reason code (`ad`), or its file stem (`fr`, every rule of `rules/fr.toml`).
pub fn is_disabled(id: &str, disabled: &[String]) -> bool {
    let mut parts = id.split('.');
    let (stem, reason) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    disabled.iter().any(|d| d == id || d == reason || d == stem)
}

/// Compile `pattern` alone to name it if it is bad; a `subject_heading` pattern must also
/// hold the `subject` group.
fn check_regex(file: &str, index: usize, rule: &Rule, pattern: &str) -> Result<(), RuleError> {
    let regex = regex::Regex::new(pattern).map_err(|e| RuleError::Regex {
        path: file.to_string(),
        index: index + 1,
        reason: rule.reason,
        pattern: pattern.to_string(),
        message: e.to_string(),
    })?;
    if rule.subject_heading && !regex.capture_names().any(|n| n == Some(SUBJECT_GROUP)) {
        return Err(RuleError::Invalid {
            path: file.to_string(),
            index: index + 1,
            reason: rule.reason,
            message: format!(
                "`subject_heading` pattern `{pattern}` has no `(?P<{SUBJECT_GROUP}>…)` group: \
                 capture the name the heading announces in it"
            ),
        });
    }
    Ok(())
}

fn internal(message: String) -> RuleError {
    RuleError::Parse {
        path: "rules".into(),
        message,
    }
}

/// The form a paragraph is compared in: lowercase, straight apostrophes, single spaces,
/// no non-alphanumeric characters at either end.
///
/// Runs of ASCII are copied and lowercased in bulk, and Latin-1 lowercase letters (`é`, `ñ`)
/// are copied as they are: this runs for every paragraph, twice, and only the other characters
/// need the case-mapping table.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            if is_ascii_space(bytes[i]) {
                space = !out.is_empty();
                i += 1;
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            let run = bytes[i..]
                .iter()
                .position(|&b| !b.is_ascii() || is_ascii_space(b))
                .map_or(bytes.len(), |n| i + n);
            let from = out.len();
            out.push_str(&text[i..run]);
            out[from..].make_ascii_lowercase();
            i = run;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
            // Latin-1's lowercase letters (à to ÿ, but ÷) are their own lowercase.
            '\u{e0}'..='\u{ff}' if c != '\u{f7}' => out.push(c),
            _ => out.extend(c.to_lowercase()),
        }
    }
    // Trimmed where it lies rather than copied: this runs for every paragraph, twice.
    let end = out.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    out.truncate(end);
    let start = out.len() - out.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    out.drain(..start);
    out
}

/// The ASCII characters `char::is_whitespace` accepts (tab to carriage return, space).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// Words of a key, for `all_words` rules.
fn split_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// Whether `key[start..end]` has a non-alphanumeric character (or an edge) on both sides.
fn bounded(key: &str, start: usize, end: usize) -> bool {
    let before = key[..start].chars().next_back();
    let after = key[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexSetBuilder;

    fn set(toml: &str) -> RuleSet {
        let file = RuleFile::parse("t.toml", toml).expect("valid");
        RuleSet::compile(&[("t.toml".into(), file)], &[]).expect("compiles")
    }

    const RULES: &str = r#"
lang = "fr"
[[rule]]
reason = "ad"
match = "whole"
phrases = ["publicité"]
note = "n"
[[rule]]
reason = "related_links"
match = "prefix"
phrases = ["lire aussi", "read also"]
max_words = 20
note = "n"
[[rule]]
reason = "cookies"
match = "contains"
phrases = ["cookies"]
max_words = 10
note = "n"
[[rule]]
reason = "share"
match = "all_words"
phrases = ["facebook", "twitter", "e-mail"]
note = "n"
[[rule]]
reason = "captcha"
match = "regex"
phrases = ['^\d+\s*[-−+]\s*\d+\s*=$']
note = "n"
[[rule]]
reason = "author_bio"
match = "contains"
phrases = ["journaliste"]
zone = "tail"
note = "n"
"#;

    fn reason(s: &RuleSet, text: &str) -> Option<Reason> {
        s.best_hit(
            text,
            Position {
                index: 0,
                count: 10,
            },
        )
        .map(|h| h.reason)
    }

    #[test]
    fn key_lowercases_and_trims_punctuation() {
        assert_eq!(key("  Vidéos  associées :"), "vidéos associées");
        assert_eq!(key("” READ ALSO – Foo"), "read also – foo");
        assert_eq!(key("L’été"), "l'été");
    }

    /// The key as it was computed before its fast paths, character by character.
    fn reference_key(text: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            match c {
                '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
                _ => out.extend(c.to_lowercase()),
            }
        }
        out.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
    }

    #[test]
    fn key_fast_paths_agree_with_lowercasing_each_character() {
        // Every character up to U+052F plus a few beyond, and mixes of them with ASCII runs,
        // every ASCII whitespace, no-break and ideographic spaces and curly apostrophes.
        let mut texts: Vec<String> = (0u32..0x530)
            .chain([
                0x1e9e, 0x2019, 0x2018, 0x2028, 0x3000, 0x1f600, 0x130, 0x3a3,
            ])
            .filter_map(char::from_u32)
            .map(|c| format!("{c}  Ab\u{0b}C{c}d\u{a0}É{c}\t"))
            .collect();
        texts.extend(
            [
                "  Vidéos  associées :",
                "\u{0c}L’ÉTÉ\u{1c}x",
                "ÀÉÎÕÜ àéîõü ÷ × ÿ Ÿ ß",
                "",
                " \r\n ",
            ]
            .map(String::from),
        );
        for text in &texts {
            assert_eq!(key(text), reference_key(text), "{text:?}");
        }
    }

    /// Every built-in pattern group answers as `regex::RegexSet` would, on every line of the
    /// bundled fixtures and on lines made to hit the patterns (bylines, legal links, dates).
    #[test]
    fn built_in_pattern_sets_agree_with_regex_set() {
        let files = RuleFile::builtin_named().expect("built-in rules parse");
        let rules = RuleSet::compile(&files, &[]).expect("built-in rules compile");
        let mut lines: Vec<String> = [
            "By Jane Doe",
            "Par Marie Dupont",
            "Privacy Policy | Terms of Use | Cookies",
            "Mentions légales · CGU · Contact",
            "Publié le 12 mars 2024 à 10h30",
            "© 2024 Le Journal. Tous droits réservés.",
            "Accueil > Monde > Europe",
        ]
        .map(String::from)
        .to_vec();
        for entry in std::fs::read_dir("fixtures").expect("fixtures/ exists") {
            let text = std::fs::read_to_string(entry.expect("readable entry").path())
                .expect("fixtures are UTF-8");
            lines.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from),
            );
        }
        let mut matched = 0;
        for group in &rules.regex_groups {
            let patterns = group.entries.iter().map(|(_, p, _)| p.as_str());
            let reference = RegexSetBuilder::new(patterns)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .expect("patterns compile");
            for line in &lines {
                let expected: Vec<usize> = reference.matches(line).into_iter().collect();
                assert_eq!(group.set.matches(line), expected, "{line:?}");
                matched += usize::from(!expected.is_empty());
            }
        }
        assert!(matched >= 7, "only {matched} lines matched a pattern");
    }

    #[test]
    fn whole_matches_only_the_whole_paragraph() {
        let s = set(RULES);
        assert_eq!(reason(&s, "Publicité"), Some(Reason::Ad));
        assert_eq!(reason(&s, "La publicité recule."), None);
    }

    #[test]
    fn prefix_needs_a_word_boundary() {
        let s = set(RULES);
        assert_eq!(
            reason(&s, "” READ ALSO – Trump and Kim"),
            Some(Reason::RelatedLinks)
        );
        assert_eq!(reason(&s, "Lire aussiquelquechose"), None);
        assert_eq!(reason(&s, "Il faut lire aussi ce livre."), None);
    }

    #[test]
    fn contains_respects_max_words() {
        let s = set(RULES);
        assert_eq!(
            reason(&s, "Ce site utilise des cookies."),
            Some(Reason::Cookies)
        );
        let long = "Les cookies de Noël sont prêts et la famille entière se réunit ce soir pour les manger.";
        assert_eq!(reason(&s, long), None);
    }

    #[test]
    fn all_words_needs_every_word() {
        let s = set(RULES);
        assert_eq!(reason(&s, "Facebook Twitter E-mail"), Some(Reason::Share));
        assert_eq!(reason(&s, "Facebook a racheté Twitter"), None);
    }

    #[test]
    fn regex_sees_the_original_text() {
        let s = set(RULES);
        assert_eq!(
            reason(&s, "35\u{a0}−\u{a0}28\u{a0}="),
            Some(Reason::Captcha)
        );
    }

    #[test]
    fn rules_can_be_disabled_by_id_reason_or_file() {
        let file = RuleFile::parse("t.toml", RULES).expect("valid");
        let files = [("t.toml".to_string(), file)];
        for off in ["t.ad.1", "ad", "t"] {
            let s = RuleSet::compile(&files, &[off.to_string()]).expect("compiles");
            assert_eq!(reason(&s, "Publicité"), None, "{off}");
        }
        let s = RuleSet::compile(&files, &["t.ad.2".to_string()]).expect("compiles");
        assert_eq!(reason(&s, "Publicité"), Some(Reason::Ad));
    }

    #[test]
    fn tail_rules_only_fire_in_the_tail() {
        let s = set(RULES);
        let text = "Marie est journaliste.";
        assert_eq!(
            s.best_hit(
                text,
                Position {
                    index: 0,
                    count: 10
                }
            ),
            None
        );
        assert!(s
            .best_hit(
                text,
                Position {
                    index: 9,
                    count: 10
                }
            )
            .is_some());
    }

    #[test]
    fn evidence_names_file_kind_and_phrase() {
        let s = set(RULES);
        let hit = s
            .best_hit("Publicité", Position { index: 0, count: 1 })
            .expect("hit");
        assert_eq!(s.evidence(&hit), "t.toml: whole \"publicité\" [t.ad.1]");
    }

    #[test]
    fn every_builtin_pattern_compiles_on_its_own() {
        // What lets BoilerplateFilter trust the built-in files (compile_trusting).
        let names = super::super::rules::BUILTIN.iter().map(|(name, _)| *name);
        let files = RuleFile::builtin().expect("built-in rules parse");
        for (name, file) in names.zip(&files) {
            for (i, rule) in file.rules.iter().enumerate() {
                if rule.kind == MatchKind::Regex {
                    for pattern in &rule.phrases {
                        check_regex(name, i, rule, pattern).expect("valid pattern");
                    }
                }
            }
        }
    }

    #[test]
    fn a_bad_pattern_in_an_untrusted_file_is_named() {
        let bad = "lang = \"fr\"\n[[rule]]\nreason = \"ad\"\nmatch = \"regex\"\nphrases = [\"(unclosed\"]\nnote = \"n\"\n";
        let files = [
            (
                "t.toml".to_string(),
                RuleFile::parse("t.toml", RULES).expect("valid"),
            ),
            (
                "u.toml".to_string(),
                RuleFile::parse("u.toml", bad).expect("parses"),
            ),
        ];
        let err = RuleSet::compile_trusting(&files, &[], 1)
            .err()
            .expect("an error");
        assert!(
            matches!(&err, RuleError::Regex { path, index: 1, .. } if path == "u.toml"),
            "{err}"
        );
    }

    #[test]
    fn a_subject_heading_needs_a_subject_group() {
        let rule = |pattern: &str| {
            let text = format!(
                "lang = \"en\"\n[[rule]]\nreason = \"author_bio\"\nmatch = \"regex\"\nphrases = ['{pattern}']\nsubject_heading = true\nnote = \"n\"\n"
            );
            [(
                "u.toml".to_string(),
                RuleFile::parse("u.toml", &text).expect("parses"),
            )]
        };
        let err = RuleSet::compile(&rule(r"^About (\p{Lu}\w+ \p{Lu}\w+)$"), &[])
            .err()
            .expect("an error");
        let msg = err.to_string();
        assert!(
            msg.starts_with("u.toml: rule 1") && msg.contains("(?P<subject>"),
            "{msg}"
        );
        let set = RuleSet::compile(&rule(r"^About (?P<subject>\p{Lu}\w+ \p{Lu}\w+)$"), &[])
            .expect("valid");
        let subject = |text: &str| {
            let hit = set.best_hit(text, Position { index: 0, count: 1 })?;
            set.subject(&hit, text)
        };
        let jane = subject("About Jane Doe").expect("a subject");
        assert_eq!(
            (jane.text.as_str(), jane.words.clone()),
            ("Jane Doe", vec!["jane".to_string(), "doe".to_string()])
        );
        assert!(jane.named_in("JANE joined the paper in 2015."));
        assert!(!jane.named_in("Janet joined the paper in 2015."));
        // "This" is an English stop word: a section of the page, not a person.
        assert_eq!(subject("About This Recipe"), None);
        // A digit: a product or a model.
        assert_eq!(subject("About Galaxy S21 Ultra"), None);
    }

    #[test]
    fn anchored_patterns_are_told_from_loose_ones() {
        for anchored in ["^a", "(?i)^a", "(?i-u)^a"] {
            assert!(starts_anchored(anchored), "{anchored}");
        }
        for loose in ["a", "(?i)a^", "(?i:^a)", "(?:^a|b)", "\\^a"] {
            assert!(!starts_anchored(loose), "{loose}");
        }
    }

    #[test]
    fn a_loose_pattern_keeps_its_own_word_limit_in_the_shared_group() {
        let toml = r#"
lang = "fr"
[[rule]]
reason = "ad"
match = "regex"
phrases = ["sponsor"]
max_words = 3
note = "n"
[[rule]]
reason = "legal"
match = "regex"
phrases = ["droits"]
max_words = 10
note = "n"
[[rule]]
reason = "tags"
match = "regex"
phrases = ["(?i)^tags"]
max_words = 3
note = "n"
"#;
        let s = set(toml);
        let at = Position { index: 0, count: 1 };
        let reasons = |text: &str| -> Vec<Reason> {
            s.hits(text, at).into_iter().map(|h| h.reason).collect()
        };
        assert_eq!(reasons("un sponsor droits"), [Reason::Ad, Reason::Legal]);
        // In the order of the per-limit groups: the limit-3 rules (ad, tags), then legal.
        assert_eq!(
            reasons("Tags sponsor droits"),
            [Reason::Ad, Reason::Tags, Reason::Legal]
        );
        assert_eq!(reasons("un très long sponsor aux droits"), [Reason::Legal]);
        assert_eq!(reasons("Tags : un très long sponsor"), Vec::<Reason>::new());
    }
}
