#!/usr/bin/env python3
"""Refit the weights of polyclean's content classifier (rules/classifier.toml).

What the classifier is (src/boilerplate/classifier.rs is authoritative; this script mirrors it)
--------------------------------------------------------------------------------------------
Every paragraph gets 24 numeric features (FEATURE_NAMES below, same names and order as in
classifier.rs): 12 about the paragraph itself (length, stop-word density, punctuation, digits,
capitals, URL, position, share of words from the lexicons' boilerplate vocabulary, ...) and 12
about its context (run of short lines, the two neighbours on each side, distance to the nearest
"anchor", i.e. a paragraph of >= 150 characters that ends like a sentence, whether it lies
before the first / after the last anchor, the shares of the document's prose before and after
it, its index from either end, the document's size, its length relative to the longest).

    score = intercept + bias + sum(weight_k * feature_k)

Paragraphs already dropped by a rule are fixed and *transparent*: they are taken out of the
sequence. A two-state Viterbi pass over the remaining paragraphs earns +score/2 for content,
-score/2 for boilerplate and pays `switch_cost` at each change of state. Afterwards a sentence
(ends in . ! ? …, >= 6 words) whose nearest non-heading neighbour before (possibly promoted
itself) or after is content, then a heading (<= 150 chars, not ending in . ! … ; ,) right
before content that is not a heading, are promoted -- only near the main block (the block of
kept paragraphs, split by `block_gap` dropped ones, with the most sentence weight: the
characters of its sentences, a sentence shorter than `block_full_chars` counting by the share
of it it fills; see docs/rules.md, "Main block"). Last, blocks with under `block_share` of
the main block's sentence weight and under `block_keep_chars` characters of sentences are
dropped, when the main block holds at least `block_keep_chars` of them. Documents with fewer than
`min_paragraphs` paragraphs are not judged at all.

How the weights are fitted
--------------------------
* Input: polyclean's JSONL output of the development evaluation produced WITHOUT the
  classifier (rules only), so that features see exactly what the classifier sees in Rust
  (the paragraphs, their languages, and which ones the rules dropped).
* Labels, per paragraph kept by the rules (those dropped by a rule are not training data):
  - snippet records: 1 if the paragraph contains one of the record's `with` snippets, else 0
    if it contains one of its `without` snippets, else unlabelled;
  - gold records: paragraphs of >= 20 characters (after the scorer's normalisation) are 1 if
    they are a substring of the gold article body, else 0.
  Matching uses the scorer's own `norm` (NFKC, invisible characters, whitespace).
* Model: L2-regularised logistic regression (scikit-learn, C = 1, unscaled features).
* Cross-validation: 2 folds split by *site* (sites sorted, shuffled with a fixed seed, first
  half vs second half); each half is scored with the model fitted on the other half, and the
  pooled output is scored with the real scorer (score_boilerplate.py) over a grid of
  bias x switch_cost. bias, switch_cost and min_paragraphs are chosen by hand from that table.
* Final fit: all documents. Only 25 numbers come from the data -- the 24 weights and the
  intercept; no text, word or snippet of the evaluation ends up in the rules (the
  boilerplate vocabulary is made of the words of polyclean's own lexicons, rules/*.toml).

Stop words: as in Rust, the `stop-words` crate (features "nltk" + default "iso"): its NLTK list
where NLTK has the language, else its ISO list. They are read from the crate's source in the
cargo registry, ~/.cargo/registry/src/*/stop-words-<version>/src/{nltk,iso}, with the version
taken from Cargo.lock and the NLTK language-to-file table from the crate's build.rs, one word
per line as build.rs parses them. Likewise the Unicode classes Rust uses (Alphabetic,
Uppercase, Number, regex `\\w` and `\\s`) are read from the regex-syntax crate's tables so that
words, digits and regexes match Rust's exactly (Python's `\\w` drops combining vowel signs, its
`isdigit` misses fractions such as ½). Run `cargo build --release` once first so both crates
are in the registry.

How to run it (from the repository root)
----------------------------------------
    cargo build --release
    target/release/polyclean run ../shared/eval/boilerplate-dev.jsonl \\
        -o /tmp/rules_only.jsonl --no-classifier
    python3 scripts/fit_classifier.py /tmp/rules_only.jsonl --bias 1.0 1.25 1.5 --switch-cost 1.0

It prints the cross-validation table, then the `intercept` line and the `[weights]` block to
paste into rules/classifier.toml (with the largest change from the current file). The shipped
weights (2026-11-23) were fitted this way, on the pipeline as it runs by default (corpus
repetition drops paragraphs before the classifier). Optionally, to check that this script
still computes what the Rust code computes:

    target/release/polyclean run ../shared/eval/boilerplate-dev.jsonl -o /tmp/with_classifier.jsonl
    python3 scripts/fit_classifier.py /tmp/rules_only.jsonl --check /tmp/with_classifier.jsonl

which replays the classifier with the weights of rules/classifier.toml and counts the
paragraphs whose keep/drop decision differs from Rust's (expected: 0; it was 0 of 72,846 for
the shipped weights).

Requires Python >= 3.11 (tomllib), numpy and scikit-learn.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import math
import os
import random
import re
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parent.parent

# Same names and order as FEATURE_NAMES in src/boilerplate/classifier.rs, with the comments
# that rules/classifier.toml carries.
FEATURES = [
    ("length", "ln(1 + characters)"),
    ("stopword_density", "share of words that are stop words of the paragraph's language"),
    ("no_stopword_list", "1 when the language has no stop-word list"),
    ("terminal_punctuation", "1 when the paragraph ends like a sentence (. ! ? …)"),
    ("sentences", "ln(1 + sentence breaks inside the paragraph)"),
    ("digit_share", "share of characters that are digits"),
    ("title_case_share", "share of words that start with a capital"),
    ("has_url", "1 when the paragraph holds a URL or an e-mail address"),
    ("ends_with_colon", "1 when the paragraph ends with ':' (a heading or a list intro)"),
    ("position", "index / (paragraphs − 1)"),
    ("words", "ln(1 + words)"),
    ("short_run", "ln(1 + length of the run of short (< 50 chars) paragraphs it is in)"),
    ("neighbour_length", "mean ln(1 + characters) of the two paragraphs on each side"),
    ("neighbour_stopwords", "mean stop-word density of the two paragraphs on each side"),
    ("distance_to_content", "ln(1 + paragraphs to the nearest long sentence-like paragraph)"),
    ("before_content", "1 before the first long sentence-like paragraph (header zone)"),
    ("after_content", "1 after the last long sentence-like paragraph (footer zone)"),
    ("prose_before", "share of the document's prose before it (prose: see docs/rules.md)"),
    ("prose_after", "share of the document's prose after it (~0 in the footer)"),
    ("boilerplate_vocabulary", "share of words found in the lexicons' phrases (not stop words)"),
    ("log_index", "ln(1 + index)"),
    ("log_remaining", "ln(1 + paragraphs after it)"),
    ("log_paragraphs", "ln(1 + paragraphs in the document)"),
    ("relative_length", "characters / characters of the document's longest paragraph"),
]
N_FEATURES = len(FEATURES)
FEATURE_NAMES = [name for name, _ in FEATURES]

# Constants of classifier.rs.
SHORT_CHARS = 50
CONTENT_ANCHOR_CHARS = 150
SENTENCE_MIN_WORDS = 6
HEADING_MAX_CHARS = 150
NO_ANCHOR_DISTANCE = 50.0

# Labelling: shortest gold-record paragraph (normalised characters) that gets a label.
GOLD_MIN_CHARS = 20


# --------------------------------------------------------------------------- crate sources


def crate_dir(name: str, cargo_lock: Path, cargo_home: Path) -> Path:
    """The source directory of crate `name` at the version pinned in Cargo.lock."""
    lock = cargo_lock.read_text(encoding="utf-8")
    found = re.search(rf'name = "{re.escape(name)}"\nversion = "([^"]+)"', lock)
    if not found:
        sys.exit(f"{cargo_lock}: no entry for crate {name}")
    pattern = str(cargo_home / "registry" / "src" / "*" / f"{name}-{found.group(1)}")
    dirs = sorted(glob.glob(pattern))
    if not dirs:
        sys.exit(f"{pattern} not found: run `cargo build --release` once to fetch the crates")
    return Path(dirs[0])


def load_stopwords(crate: Path) -> dict[str, frozenset[str]]:
    """Every language of the stop-words crate with features nltk + iso, as Rust builds them."""
    build = (crate / "build.rs").read_text(encoding="utf-8")
    nltk = re.findall(r'\("([^"]+)",\s*include_str!\("src/nltk/([^"]+)"\)\)', build)
    if not nltk:
        sys.exit(f"{crate / 'build.rs'}: NLTK language table not found")
    lists: dict[str, frozenset[str]] = {}
    for code, file in nltk:
        text = (crate / "src" / "nltk" / file).read_text(encoding="utf-8")
        # Rust's str::lines(): split on \n, drop a trailing \r; build.rs drops empty lines.
        lines = (line[:-1] if line.endswith("\r") else line for line in text.split("\n"))
        lists[code] = frozenset(line for line in lines if line)
    iso = json.loads((crate / "src" / "iso" / "stopwords-iso.json").read_text(encoding="utf-8"))
    for code, words in iso.items():
        lists.setdefault(code, frozenset(words))  # NLTK wins where both exist
    return lists


def rust_table(file: Path, const: str) -> list[tuple[int, int]]:
    """The (first, last) code-point ranges of one `pub const NAME: &[(char, char)]` table."""
    text = file.read_text(encoding="utf-8")
    start = text.index(f"pub const {const}:")
    body = text[start:text.index("];", start)]
    escapes = {"t": 9, "n": 10, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34}

    def char(lit: str) -> int:
        if lit.startswith("\\u{"):
            return int(lit[3:-1], 16)
        return escapes[lit[1]] if lit.startswith("\\") else ord(lit)

    lit = r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^'\\])'"
    return [(char(a), char(b)) for a, b in re.findall(rf"\(\s*{lit},\s*{lit}\s*\)", body)]


def char_class(*tables: list[tuple[int, int]], extra: str = "") -> str:
    """A Python regex character-class body for the union of code-point ranges."""
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for table in tables for a, b in table) + extra


class Text:
    """Rust's notions of words, digits, capitals and its three regexes, in Python."""

    def __init__(self, regex_syntax: Path):
        tables = regex_syntax / "src" / "unicode_tables"
        alphabetic = rust_table(tables / "property_bool.rs", "ALPHABETIC")
        uppercase = rust_table(tables / "property_bool.rs", "UPPERCASE")
        number = rust_table(tables / "general_category.rs", "NUMBER")  # Nd | Nl | No
        word = rust_table(tables / "perl_word.rs", "PERL_WORD")  # regex \w
        space = rust_table(tables / "perl_space.rs", "WHITE_SPACE")  # regex \s
        # classifier.rs `words`: runs of char::is_alphanumeric (Alphabetic | Numeric) or '_'.
        self.words = re.compile(f"[{char_class(alphabetic, number, extra='_')}]+").findall
        self.numeric = re.compile(f"[{char_class(number)}]").findall  # char::is_numeric
        self.upper = re.compile(f"[{char_class(uppercase)}]").match  # char::is_uppercase
        w, s, ns = f"[{char_class(word)}]", f"[{char_class(space)}]", f"[^{char_class(space)}]"
        # TERMINAL, SENTENCE_BREAK and URL of classifier.rs; Rust's `$` is Python's `\Z`.
        self.terminal = re.compile(r'[.!?…]["»”’)\]]*\Z').search
        self.sentence_break = re.compile(rf'[.!?…]["»”’)]*{s}+{ns}').findall
        self.url = re.compile(rf"https?://|www\.|{ns}+@{ns}+\.{w}+").search

    def is_sentence(self, text: str) -> bool:
        return bool(self.terminal(text)) and len(self.words(text)) >= SENTENCE_MIN_WORDS

    @staticmethod
    def is_heading(text: str) -> bool:
        return len(text) <= HEADING_MAX_CHARS and not text.endswith((".", "!", "…", ";", ","))


# --------------------------------------------------------------------------- features


def load_vocabulary(rules_dir: Path, text: Text, stopwords: dict) -> dict[str, set[str]]:
    """Classifier::new's boilerplate vocabulary: per rule-file language, the words of every
    phrase of a non-regex rule, minus that language's stop words (built-in rules only)."""
    vocabulary: dict[str, set[str]] = {}
    for path in sorted(rules_dir.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if "rule" not in data:
            continue
        lang = data["lang"]
        stop = stopwords.get(lang, frozenset())
        known = vocabulary.setdefault(lang, set())
        for rule in data["rule"]:
            if rule["match"] != "regex":
                known.update(w for p in rule["phrases"] for w in text.words(p.lower()) if w not in stop)
    return vocabulary


def document_features(doc: dict, text: Text, stopwords: dict, vocabulary: dict) -> np.ndarray:
    """The features of every paragraph of one rules-only output record (Classifier::features)."""
    paragraphs = doc["paragraphs"]
    n = len(paragraphs)
    fixed = [not p["kept"] for p in paragraphs]
    # The classifier's `prior` is lang::leading_language at classification time: the language
    # with most letters among kept paragraphs decided on their own. In a rules-only output it
    # is the document's language when such a paragraph exists, and none otherwise (the
    # document's language then comes from a whole-text fallback the classifier never sees).
    # Undecided paragraphs (lang_source != paragraph) were `und` then, and use the prior.
    decided = any(p["kept"] and p["lang_source"] == "paragraph" for p in paragraphs)
    prior = doc.get("lang") if decided else None

    measures, own = [], []
    for i, p in enumerate(paragraphs):
        t = p["text"]
        lang = p["lang"] if p["lang_source"] == "paragraph" else prior
        words = text.words(t)
        stop = stopwords.get(lang) if lang else None
        density = (sum(w.lower() in stop for w in words) / len(words)) if stop is not None and words else 0.0
        known = vocabulary.get(lang, set()) | vocabulary.get("*", set()) if lang else vocabulary.get("*", set())
        listed = sum(w.lower() in known for w in words) / len(words) if words else 0.0
        chars = len(t)
        terminal = bool(text.terminal(t))
        sentence = terminal and len(words) >= SENTENCE_MIN_WORDS
        prose = chars * (0.5 + density) if sentence and not fixed[i] else 0.0
        measures.append((chars, math.log1p(chars), density, terminal, listed, prose))
        v = [0.0] * N_FEATURES
        v[0] = math.log1p(chars)
        v[1] = density
        v[2] = float(stop is None)
        v[3] = float(terminal)
        v[4] = math.log1p(len(text.sentence_break(t)))
        v[5] = len(text.numeric(t)) / max(chars, 1)
        v[6] = sum(1 for w in words if text.upper(w)) / len(words) if words else 0.0
        v[7] = float(bool(text.url(t)))
        v[8] = float(t.endswith(":"))
        v[10] = math.log1p(len(words))
        own.append(v)

    anchors = [i for i, m in enumerate(measures) if not fixed[i] and m[0] >= CONTENT_ANCHOR_CHARS and m[3]]
    runs = [0] * n
    i = 0
    while i < n:
        if measures[i][0] >= SHORT_CHARS:
            i += 1
            continue
        end = i
        while end < n and measures[end][0] < SHORT_CHARS:
            end += 1
        runs[i:end] = [end - i] * (end - i)
        i = end

    total = sum(m[5] for m in measures) or 1.0
    longest = max(max((m[0] for m in measures), default=0), 1)
    before = 0.0
    for i, v in enumerate(own):
        v[17] = before / total
        v[18] = (total - before - measures[i][5]) / total
        before += measures[i][5]
        v[19] = measures[i][4]
        v[20] = math.log1p(i)
        v[21] = math.log1p(n - 1 - i)
        v[22] = math.log1p(n)
        v[23] = measures[i][0] / longest

    for i, v in enumerate(own):
        window = [measures[j] for j in range(max(0, i - 2), min(n, i + 3)) if j != i]
        v[9] = i / max(n - 1, 1)
        v[11] = math.log1p(runs[i])
        v[12] = sum(m[1] for m in window) / len(window) if window else 0.0
        v[13] = sum(m[2] for m in window) / len(window) if window else 0.0
        v[14] = math.log1p(min((abs(a - i) for a in anchors), default=NO_ANCHOR_DISTANCE))
        v[15] = float(bool(anchors) and i < anchors[0])
        v[16] = float(bool(anchors) and i > anchors[-1])
    return np.array(own, dtype=float).reshape(n, N_FEATURES)


def paragraph_labels(doc: dict, record: dict, norm) -> list[int | None]:
    """1 content, 0 boilerplate, None unlabelled, per paragraph (see the module docstring)."""
    labels: list[int | None] = []
    if "gold" in record:
        gold = norm(record["gold"])
    else:
        with_ = [norm(s) for s in record["with"]]
        without = [norm(s) for s in record["without"]]
    for p in doc["paragraphs"]:
        t = norm(p["text"])
        if "gold" in record:
            labels.append((1 if t in gold else 0) if len(t) >= GOLD_MIN_CHARS else None)
        elif any(s in t for s in with_):
            labels.append(1)
        elif any(s in t for s in without):
            labels.append(0)
        else:
            labels.append(None)
    return labels


# --------------------------------------------------------------------------- the classifier


def viterbi(scores: np.ndarray, switch_cost: float) -> list[bool]:
    """classifier.rs `viterbi` with no fixed paragraph (they are taken out beforehand)."""
    n = len(scores)
    if n == 0:
        return []
    value = [-scores[0] / 2, scores[0] / 2]  # 0 = boilerplate, 1 = content
    back = [(0, 0)] * n
    for i in range(1, n):
        nxt, from_ = [0.0, 0.0], [0, 0]
        for s in (0, 1):
            stay, switch = value[s], value[1 - s] - switch_cost
            best, from_[s] = (stay, s) if stay >= switch else (switch, 1 - s)
            nxt[s] = best + (scores[i] / 2 if s == 1 else -scores[i] / 2)
        value, back[i] = nxt, (from_[0], from_[1])
    state = 0 if value[0] > value[1] else 1
    states = [False] * n
    for i in range(n - 1, -1, -1):
        states[i] = state == 1
        state = back[i][state]
    return states


def blocks(keep: list[bool], chars: list[int], weight: list[int], gap: int) -> list[list[int]]:
    """main_block.rs `blocks`: [first, last, sentence characters, sentence weight] of each run
    of kept paragraphs with fewer than `gap` dropped paragraphs between any two of them."""
    found: list[list[int]] = []
    dropped = 0
    for i, k in enumerate(keep):
        if not k:
            dropped += 1
            continue
        if found and dropped < gap:
            found[-1][1] = i
            found[-1][2] += chars[i]
            found[-1][3] += weight[i]
        else:
            found.append([i, i, chars[i], weight[i]])
        dropped = 0
    return found


def main_block(found: list[list[int]]) -> list[int] | None:
    """main_block.rs `main_block`: the block with the most sentence weight (first of equals)."""
    best = None
    for b in found:
        if best is None or b[3] > best[3]:
            best = b
    return best


def sentence_weight(chars: int, full_chars: int) -> int:
    """main_block.rs `SentenceText::of`: a sentence-like paragraph's characters, scaled down
    by chars / full_chars below full_chars."""
    return chars if chars >= full_chars else chars * chars // full_chars


def judge(doc: dict, feats: np.ndarray, coef: np.ndarray, intercept: float, bias: float,
          switch_cost: float, min_paragraphs: int, text: Text, block: dict) -> list[bool]:
    """Classifier::judge: which paragraphs end up kept (rule drops stay dropped).
    `block`: block_gap, block_share, block_keep_chars, block_full_chars and promotion_reach."""
    paragraphs = doc["paragraphs"]
    fixed = [not p["kept"] for p in paragraphs]
    if len(paragraphs) < min_paragraphs:
        return [not f for f in fixed]
    scores = intercept + bias + feats @ coef
    open_ = [i for i, f in enumerate(fixed) if not f]  # rule drops are transparent
    states = viterbi(scores[open_], switch_cost)
    keep = [False] * len(paragraphs)
    for k, i in enumerate(open_):
        keep[i] = bool(states[k])
    chars = [len(p["text"]) if text.is_sentence(p["text"]) else 0 for p in paragraphs]
    weight = [sentence_weight(c, block["block_full_chars"]) for c in chars]
    gap, reach = block["block_gap"], block["promotion_reach"]
    main = main_block(blocks(keep, chars, weight, gap))
    if main is not None:
        # Reach is counted in open paragraphs (rule drops are transparent) and grows with each
        # sentence promoted after the block, so a run of closing sentences is kept whole.
        texts = [paragraphs[i]["text"] for i in open_]
        promoted = promote(texts, list(states), text)
        first, last = open_.index(main[0]) - reach, open_.index(main[1]) + reach
        for k, i in enumerate(open_):
            if promoted[k] and first <= k <= last:
                keep[i] = True
                if text.is_sentence(texts[k]):  # a promoted heading does not move the reach
                    last = max(last, k + reach)
    found = blocks(keep, chars, weight, gap)
    main = main_block(found)
    keep_chars = block["block_keep_chars"]
    for first, last, block_chars, block_weight in found:
        if (main is not None and main[2] >= keep_chars and block_chars < keep_chars
                and block_weight < block["block_share"] * main[3]):
            keep[first:last + 1] = [False] * (last + 1 - first)
    return keep


def promote(texts: list[str], states: list, text: Text) -> list[bool]:
    """classifier.rs promote(): sentences next to content (looking past headings; a promoted
    sentence counts as content for the next one), then headings right before content that is
    not itself a heading (including content kept by the first step)."""
    n = len(texts)
    content = [bool(s) for s in states]
    promoted = [False] * n
    for k in range(n):
        if states[k] or not text.is_sentence(texts[k]):
            continue
        prev = next((j for j in range(k - 1, -1, -1) if not text.is_heading(texts[j])), None)
        nxt = next((j for j in range(k + 1, n) if not text.is_heading(texts[j])), None)
        if (prev is not None and content[prev]) or (nxt is not None and states[nxt]):
            content[k] = promoted[k] = True
    for k in range(n):
        if (not content[k] and text.is_heading(texts[k]) and k + 1 < n and content[k + 1]
                and not text.is_heading(texts[k + 1])):
            promoted[k] = True
    return promoted


# --------------------------------------------------------------------------- driver


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_boilerplate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def fit(ids, docs, feats, labels, C: float) -> LogisticRegression:
    X, y = [], []
    for doc_id in ids:
        for p, f, label in zip(docs[doc_id]["paragraphs"], feats[doc_id], labels[doc_id]):
            if p["kept"] and label is not None:
                X.append(f)
                y.append(label)
    return LogisticRegression(C=C, max_iter=2000).fit(np.array(X), np.array(y))


def score_outputs(outputs: dict[str, str], scorer, eval_path: Path) -> dict:
    """Score {id: cleaned text} with the real scorer (no bootstrap)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "output.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for doc_id, out in outputs.items():
                handle.write(json.dumps({"id": doc_id, "text": out}) + "\n")
        return scorer.score(str(eval_path), str(path), rounds=0)


def clean_text(doc: dict, keep: list[bool]) -> str:
    return "\n\n".join(p["text"] for p, k in zip(doc["paragraphs"], keep) if k)


def weights_block(coef, intercept: float) -> str:
    lines = [f"intercept = {intercept:.3f}", "", "[weights]"]
    for (name, comment), w in zip(FEATURES, coef):
        lines.append(f"{f'{name} = {w:.3f}':<31}# {comment}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Refit the content classifier's weights (rules/classifier.toml) from a "
        "rules-only polyclean output of the boilerplate evaluation; see the module docstring.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("rules_only", type=Path,
                        help="polyclean JSONL output of the evaluation, run with --no-classifier")
    parser.add_argument("--eval", type=Path, default=REPO.parent / "shared/eval/boilerplate-dev.jsonl",
                        help="evaluation JSONL (snippets / gold bodies)")
    parser.add_argument("--scorer", type=Path,
                        help="score_boilerplate.py, imported by path (default: the one next to --eval)")
    parser.add_argument("--config", type=Path, default=REPO / "rules/classifier.toml",
                        help="current classifier settings (min_paragraphs, and weights to compare)")
    parser.add_argument("--cargo-lock", type=Path, default=REPO / "Cargo.lock")
    parser.add_argument("--cargo-home", type=Path,
                        default=Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")))
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 regularisation strength")
    parser.add_argument("--seed", type=int, default=0, help="seed of the site shuffle for the 2 folds")
    parser.add_argument("--bias", type=float, nargs="+", default=[1.0, 1.5, 1.75, 2.0],
                        help="bias values of the cross-validation grid")
    parser.add_argument("--switch-cost", type=float, nargs="+", default=[0.5, 1.0, 1.5],
                        help="switch_cost values of the cross-validation grid")
    parser.add_argument("--check", type=Path, metavar="RUST_OUTPUT",
                        help="also replay the classifier with the weights of --config and compare "
                        "its decisions with this polyclean output made WITH the classifier")
    args = parser.parse_args()

    scorer = load_scorer(args.scorer or args.eval.parent / "score_boilerplate.py")
    config = tomllib.loads(args.config.read_text(encoding="utf-8"))
    min_paragraphs = config["min_paragraphs"]
    text = Text(crate_dir("regex-syntax", args.cargo_lock, args.cargo_home))
    stopwords = load_stopwords(crate_dir("stop-words", args.cargo_lock, args.cargo_home))

    records = {r["id"]: r for r in read_jsonl(args.eval)}
    docs = {d["id"]: d for d in read_jsonl(args.rules_only)}
    if set(docs) != set(records):
        sys.exit(f"{args.rules_only} and {args.eval} do not hold the same documents")
    vocabulary = load_vocabulary(REPO / "rules", text, stopwords)
    feats = {i: document_features(d, text, stopwords, vocabulary) for i, d in docs.items()}
    labels = {i: paragraph_labels(d, records[i], scorer.norm) for i, d in docs.items()}
    ids = sorted(docs)

    if args.check:
        coef = np.array([config["weights"][name] for name in FEATURE_NAMES])
        rust = {d["id"]: d for d in read_jsonl(args.check)}
        differ = total = 0
        for i in ids:
            keep = judge(docs[i], feats[i], coef, config["intercept"], config["bias"],
                         config["switch_cost"], min_paragraphs, text, config)
            total += len(keep)
            differ += sum(k != p["kept"] for k, p in zip(keep, rust[i]["paragraphs"]))
        print(f"check: {differ} of {total} paragraph decisions differ from {args.check.name}\n")

    # 2-fold cross-validation by site.
    sites = sorted({records[i]["site"] for i in ids})
    random.Random(args.seed).shuffle(sites)
    first = set(sites[:len(sites) // 2])
    folds = [[i for i in ids if records[i]["site"] in first],
             [i for i in ids if records[i]["site"] not in first]]
    models = [fit(fold, docs, feats, labels, args.C) for fold in folds]
    groups = [g for g in scorer.GROUPS if g != "all"]
    print(f"2-fold cross-validation by site (seed {args.seed}, {len(sites)} sites, "
          f"{len(folds[0])}/{len(folds[1])} documents), min_paragraphs = {min_paragraphs}")
    print("            |  snippet F1" + " " * (6 * len(groups) - 5) + "| snippets    | gold")
    print("bias switch |" + "".join(f"{g:>6}" for g in ["all", *groups]) + " |  prec   rec |   F1")
    for bias in args.bias:
        for switch_cost in args.switch_cost:
            outputs = {}
            for held_out, model in ((folds[0], models[1]), (folds[1], models[0])):
                for i in held_out:
                    keep = judge(docs[i], feats[i], model.coef_[0], model.intercept_[0], bias,
                                 switch_cost, min_paragraphs, text, config)
                    outputs[i] = clean_text(docs[i], keep)
            result = score_outputs(outputs, scorer, args.eval)
            s, gold = result["snippets"], result["gold"]["all"]["f1"]
            f1s = " ".join(f"{s[g]['f1']:.3f}" if g in s else "    -" for g in ["all", *groups])
            print(f"{bias:4.2f} {switch_cost:6.2f} | {f1s} | "
                  f"{s['all']['precision']:.3f} {s['all']['recall']:.3f} | {gold:.3f}")

    model = fit(ids, docs, feats, labels, args.C)
    coef, intercept = model.coef_[0], float(model.intercept_[0])
    current = np.array([config["intercept"]] + [config["weights"][n] for n in FEATURE_NAMES])
    change = np.abs(np.round(np.concatenate([[intercept], coef]), 3) - current).max()
    print(f"\nFitted on all {len(ids)} documents; paste into {args.config.name} "
          f"(largest change from the current file: {change:.3f}):\n")
    print(weights_block(coef, intercept))


if __name__ == "__main__":
    main()
