//! The main block: where a page's article is, found from the classifier's own verdicts.
//!
//! Per-paragraph scores cannot tell a footer's prose (an author box, a teaser of another
//! article, a site's self-description) from the article's: both are sentences in the page's
//! language. What does tell them apart is the page's layout. Kept paragraphs form *blocks*,
//! split wherever at least `gap` paragraphs in a row were dropped (by a rule or by the
//! classifier): the article is one block, or several separated by short interruptions, while
//! teaser lists, author boxes and footers sit apart from it behind menus, share bars and
//! headings that were dropped. The *main block* is the block that holds the most sentence
//! text. The classifier uses it twice (see docs/rules.md, "Main block"):
//!
//! - sentences and headings are promoted next to content only within reach of the main block;
//! - a block holding less than `share` of the main block's sentence text, and less than
//!   `keep_chars` characters of it, is dropped: a large second block (an article interrupted
//!   by a long gallery) always stays, and a page whose main block holds less than
//!   `keep_chars` (a table, a list) loses nothing this way.

/// Settings of the main-block step, from `rules/classifier.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockSettings {
    /// Dropped paragraphs in a row that end a block.
    pub gap: usize,
    /// Blocks with less sentence text than this share of the main block's are dropped…
    pub share: f64,
    /// …unless they hold at least this many characters of sentences.
    pub keep_chars: usize,
}

/// A run of kept paragraphs with fewer than `gap` dropped paragraphs between any two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Index of its first kept paragraph.
    pub first: usize,
    /// Index of its last kept paragraph.
    pub last: usize,
    /// Characters of its kept sentence-like paragraphs.
    pub sentence_chars: usize,
}

/// The blocks of kept paragraphs. `kept[i]`: paragraph `i` is kept; `sentence_chars[i]`: its
/// characters when it is sentence-like, else 0.
pub fn blocks(kept: &[bool], sentence_chars: &[usize], gap: usize) -> Vec<Block> {
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
                block.sentence_chars += sentence_chars[i];
            }
            _ => blocks.push(Block {
                first: i,
                last: i,
                sentence_chars: sentence_chars[i],
            }),
        }
        dropped_in_a_row = 0;
    }
    blocks
}

/// The main block: the one with the most sentence text (the first of equals).
pub fn main_block(blocks: &[Block]) -> Option<Block> {
    blocks.iter().copied().reduce(|best, b| {
        if b.sentence_chars > best.sentence_chars {
            b
        } else {
            best
        }
    })
}

/// The blocks to drop: too little sentence text next to the main block's, and too little to
/// stand on their own. None when the main block itself holds less than `keep_chars` of
/// sentence text: then the page is no article (a table, a list, a thread of short posts) and
/// nothing sits "apart from the article".
pub fn minor_blocks(blocks: &[Block], main: Block, settings: BlockSettings) -> Vec<Block> {
    if main.sentence_chars < settings.keep_chars {
        return Vec::new();
    }
    blocks
        .iter()
        .copied()
        .filter(|b| {
            b.sentence_chars < settings.keep_chars
                && (b.sentence_chars as f64) < settings.share * main.sentence_chars as f64
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
    };

    fn block(first: usize, last: usize, sentence_chars: usize) -> Block {
        Block {
            first,
            last,
            sentence_chars,
        }
    }

    #[test]
    fn a_gap_of_dropped_paragraphs_splits_blocks() {
        let kept = [
            false, true, true, false, false, true, false, false, false, true,
        ];
        let chars = [0, 100, 0, 0, 0, 50, 0, 0, 0, 20];
        // Two dropped paragraphs (3, 4) do not split; three (6–8) do.
        assert_eq!(
            blocks(&kept, &chars, 3),
            [block(1, 5, 150), block(9, 9, 20)]
        );
        assert_eq!(blocks(&[false, false], &[0, 0], 3), []);
    }

    #[test]
    fn the_main_block_holds_the_most_sentence_text() {
        let found = [block(0, 2, 40), block(6, 20, 900), block(25, 30, 900)];
        assert_eq!(main_block(&found), Some(block(6, 20, 900)));
        assert_eq!(main_block(&[]), None);
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
            let found = blocks(&kept, &chars, gap);
            let mut covered = vec![false; kept.len()];
            for b in &found {
                prop_assert!(kept[b.first] && kept[b.last] && b.first <= b.last);
                let sum: usize = (b.first..=b.last).filter(|&i| kept[i]).map(|i| chars[i]).sum();
                prop_assert_eq!(b.sentence_chars, sum);
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
