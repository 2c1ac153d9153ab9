//! The main block: where a page's article is, found from the classifier's own verdicts.
//!
//! Per-paragraph scores cannot tell a footer's prose (an author box, a teaser of another
//! article, a site's self-description) from the article's: both are sentences in the page's
//! language. What does tell them apart is the page's layout. Kept paragraphs form *blocks*,
//! split wherever at least `gap` paragraphs in a row were dropped (by a rule or by the
//! classifier): the article is one block, or several separated by short interruptions, while
//! teaser lists, author boxes and footers sit apart from it behind menus, share bars and
//! headings that were dropped. The *main block* is the block that holds the most sentence
//! text, short sentences weighing less than developed paragraphs ([`SentenceText::of`]). The
//! classifier uses it twice (see docs/rules.md, "Main block"):
//!
//! - sentences and headings are promoted next to content only within reach of the main block;
//! - a block holding less than `share` of the main block's sentence weight, and less than
//!   `keep_chars` characters of sentences, is dropped: a large second block (an article
//!   interrupted by a long gallery) always stays, and a page whose main block holds less than
//!   `keep_chars` (a table, a list) loses nothing this way.

/// Settings of the main-block step, from `rules/classifier.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockSettings {
    /// Dropped paragraphs in a row that end a block.
    pub gap: usize,
    /// Blocks with less sentence weight than this share of the main block's are dropped…
    pub share: f64,
    /// …unless they hold at least this many characters of sentences.
    pub keep_chars: usize,
    /// Sentence-like paragraphs shorter than this weigh less ([`SentenceText::of`]).
    pub full_chars: usize,
}

/// The sentence text of a paragraph or a block: what the main block is chosen by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentenceText {
    /// Characters of its sentence-like paragraphs.
    pub chars: usize,
    /// The same, each paragraph shorter than `full_chars` scaled down by the share of it it
    /// fills (see [`SentenceText::of`]).
    pub weight: usize,
}

impl SentenceText {
    /// The sentence text of one sentence-like paragraph of `chars` characters.
    ///
    /// An article is made of developed paragraphs; a teaser grid, a list of comments or of
    /// captions, of many short sentences. Below `full_chars`, a paragraph weighs
    /// `chars × chars / full_chars` (150 characters weigh 75 with 300), so that with the same
    /// characters the article outweighs the grid. `full_chars = 0` weighs every one in full.
    pub fn of(chars: usize, full_chars: usize) -> SentenceText {
        let weight = if chars >= full_chars {
            chars
        } else {
            chars * chars / full_chars
        };
        SentenceText { chars, weight }
    }
}

impl std::ops::AddAssign for SentenceText {
    fn add_assign(&mut self, other: SentenceText) {
        self.chars += other.chars;
        self.weight += other.weight;
    }
}

/// A run of kept paragraphs with fewer than `gap` dropped paragraphs between any two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Index of its first kept paragraph.
    pub first: usize,
    /// Index of its last kept paragraph.
    pub last: usize,
    /// The sentence text of its kept paragraphs.
    pub text: SentenceText,
}

/// The blocks of kept paragraphs. `kept[i]`: paragraph `i` is kept; `text[i]`: its sentence
/// text (zero unless it is sentence-like).
pub fn blocks(kept: &[bool], text: &[SentenceText], gap: usize) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut dropped_in_a_row = 0;
    for (i, &k) in kept.iter().enumerate() {
        if !k {
            dropped_in_a_row += 1;
            continue;
        }
        match blocks.last_mut() {
            Some(block) if dropped_in_a_row < gap => {
                block.last = i;
                block.text += text[i];
            }
            _ => blocks.push(Block {
                first: i,
                last: i,
                text: text[i],
            }),
        }
        dropped_in_a_row = 0;
    }
    blocks
}

/// The main block: the one with the most sentence weight (the first of equals).
pub fn main_block(blocks: &[Block]) -> Option<Block> {
    blocks.iter().copied().reduce(|best, b| {
        if b.text.weight > best.text.weight {
            b
        } else {
            best
        }
    })
}

/// The blocks to drop: under `share` of the main block's sentence weight, and under
/// `keep_chars` characters of sentences, too little to stand on their own. None when the main
/// block itself holds less than `keep_chars` characters of sentences: then the page is no
/// article (a table, a list, a thread of short posts) and nothing sits "apart from the
/// article".
pub fn minor_blocks(blocks: &[Block], main: Block, settings: BlockSettings) -> Vec<Block> {
    if main.text.chars < settings.keep_chars {
        return Vec::new();
    }
    blocks
        .iter()
        .copied()
        .filter(|b| {
            b.text.chars < settings.keep_chars
                && (b.text.weight as f64) < settings.share * main.text.weight as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SETTINGS: BlockSettings = BlockSettings {
        gap: 3,
        share: 0.3,
        keep_chars: 1000,
        full_chars: 300,
    };

    /// A block whose sentences are all at least `full_chars` long (weight = characters).
    fn block(first: usize, last: usize, chars: usize) -> Block {
        Block {
            first,
            last,
            text: SentenceText {
                chars,
                weight: chars,
            },
        }
    }

    fn texts(chars: &[usize]) -> Vec<SentenceText> {
        chars.iter().map(|&c| SentenceText::of(c, 0)).collect()
    }

    #[test]
    fn a_gap_of_dropped_paragraphs_splits_blocks() {
        let kept = [
            false, true, true, false, false, true, false, false, false, true,
        ];
        let chars = [0, 100, 0, 0, 0, 50, 0, 0, 0, 20];
        // Two dropped paragraphs (3, 4) do not split; three (6–8) do.
        assert_eq!(
            blocks(&kept, &texts(&chars), 3),
            [block(1, 5, 150), block(9, 9, 20)]
        );
        assert_eq!(blocks(&[false, false], &texts(&[0, 0]), 3), []);
    }

    #[test]
    fn the_main_block_holds_the_most_sentence_text() {
        let found = [block(0, 2, 40), block(6, 20, 900), block(25, 30, 900)];
        assert_eq!(main_block(&found), Some(block(6, 20, 900)));
        assert_eq!(main_block(&[]), None);
    }

    #[test]
    fn short_sentences_weigh_less_than_developed_paragraphs() {
        assert_eq!(SentenceText::of(150, 300).weight, 75);
        assert_eq!(SentenceText::of(150, 300).chars, 150);
        assert_eq!(SentenceText::of(300, 300).weight, 300);
        assert_eq!(SentenceText::of(900, 300).weight, 900);
        assert_eq!(SentenceText::of(150, 0).weight, 150);
        // An article and, after a dropped share bar, a grid of fourteen 70-character teasers.
        let page = |paragraphs: usize| {
            let full = SETTINGS.full_chars;
            let mut text = vec![SentenceText::of(300, full); paragraphs];
            text.extend([SentenceText::default(); 3]);
            text.extend([SentenceText::of(70, full); 14]);
            let kept: Vec<bool> = (0..text.len())
                .map(|i| !(paragraphs..paragraphs + 3).contains(&i))
                .collect();
            blocks(&kept, &text, 3)
        };
        // Three paragraphs: the grid has more characters (980 > 900), the article the weight.
        let found = page(3);
        assert!(found[1].text.chars > found[0].text.chars);
        assert_eq!(main_block(&found), Some(found[0]));
        // Four (1,200 characters): the grid weighs 14 × 16 = 224, under 30 % of 1,200, and
        // holds under 1,000 characters: it goes (its 980 characters are 82 % of 1,200).
        let found = page(4);
        assert_eq!(minor_blocks(&found, found[0], SETTINGS), [found[1]]);
    }

    #[test]
    fn small_blocks_go_large_ones_stay() {
        let main = block(10, 40, 2000);
        let found = [
            block(0, 3, 0),      // a header of headings
            main,                //
            block(45, 47, 599),  // a teaser: under 30 % of 2000
            block(50, 52, 600),  // 30 % exactly: stays
            block(60, 62, 1000), // a second article part: enough on its own
        ];
        assert_eq!(
            minor_blocks(&found, main, SETTINGS),
            [block(0, 3, 0), block(45, 47, 599)]
        );
    }

    #[test]
    fn a_page_without_an_article_sized_main_block_keeps_every_block() {
        let main = block(10, 20, 999);
        let found = [block(0, 3, 0), main, block(30, 32, 0)];
        assert_eq!(minor_blocks(&found, main, SETTINGS), []);
    }

    #[test]
    fn a_large_main_block_does_not_drop_a_large_second_one() {
        let main = block(0, 40, 50_000);
        let second = block(50, 80, 1_500);
        assert_eq!(minor_blocks(&[main, second], main, SETTINGS), []);
    }

    proptest! {
        /// Blocks partition the kept paragraphs in order, each separated from the next by at
        /// least `gap` dropped ones, and add up their sentence text.
        #[test]
        fn blocks_partition_the_kept_paragraphs(
            kept in proptest::collection::vec(any::<bool>(), 0..60),
            gap in 1usize..6,
        ) {
            let chars: Vec<usize> = (0..kept.len()).map(|i| i * 7 % 23).collect();
            let found = blocks(&kept, &texts(&chars), gap);
            let mut covered = vec![false; kept.len()];
            for b in &found {
                prop_assert!(kept[b.first] && kept[b.last] && b.first <= b.last);
                let sum: usize = (b.first..=b.last).filter(|&i| kept[i]).map(|i| chars[i]).sum();
                prop_assert_eq!(b.text.chars, sum);
                covered[b.first..=b.last].iter_mut().for_each(|c| *c = true);
            }
            for pair in found.windows(2) {
                prop_assert!(pair[1].first - pair[0].last > gap);
            }
            for (i, &k) in kept.iter().enumerate() {
                prop_assert!(!k || covered[i], "kept paragraph {} in no block", i);
            }
        }
    }
}
