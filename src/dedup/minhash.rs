//! Near-duplicate documents: MinHash signatures over word 5-gram shingles, and LSH banding.
//!
//! The Jaccard similarity of two documents is the share of shingles (5 consecutive words of
//! their normal forms) they have in common. A MinHash signature holds, for each of K = b × r
//! hash functions, the smallest hash of the document's shingles; two signatures agree at one
//! position with probability equal to the Jaccard similarity. The signature is cut into b bands
//! of r values; two documents become candidates when any band is equal, which happens with
//! probability 1 − (1 − J^r)^b: an S-curve in J, steep around (1/b)^(1/r).
//! [`LshParams::for_threshold`] picks b and r for a threshold T: for T = 0.8, b = 11 bands of
//! r = 11 rows (K = 121), knee at 0.804.
//!
//! Everything is deterministic: the hash functions are fixed (XXH3 of a shingle, then
//! splitmix64's mixer over the hash xor a fixed seed per function), so signatures and band keys
//! are the same on every machine.

use serde::{Deserialize, Serialize};

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;

/// The largest number of hash functions the parameters may use: the signature budget.
pub const MAX_HASHES: u32 = 128;

/// The weight of false candidates against misses when choosing bands and rows.
const FALSE_POSITIVE_WEIGHT: f64 = 0.3;

/// LSH banding parameters: `bands` bands of `rows` hash values each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LshParams {
    /// The Jaccard threshold the parameters were chosen for.
    pub threshold: f64,
    /// Number of bands (b).
    pub bands: u32,
    /// Hash values per band (r).
    pub rows: u32,
}

/// Probability that two documents of Jaccard similarity `s` share at least one band.
pub fn candidate_probability(s: f64, bands: u32, rows: u32) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// `f` integrated over `[a, b]` with Simpson's rule on 200 intervals: exact enough, and
/// deterministic.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const N: usize = 200;
    let h = (b - a) / N as f64;
    let inner: f64 = (1..N)
        .map(|i| f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(a) + inner + f(b)) * h / 3.0
}

impl LshParams {
    /// The bands and rows (b × r ≤ [`MAX_HASHES`]) that minimise the weighted sum of the
    /// false-positive area (candidate probability below the threshold) and the false-negative
    /// area (its complement above it) — the rule of the `datasketch` library, with misses
    /// weighted 0.7 and false candidates 0.3: equal weights (9 × 13 at 0.8) put the curve's
    /// knee at 0.845 and miss a third of the pairs at 0.85; these put it at the threshold.
    pub fn for_threshold(threshold: f64) -> LshParams {
        let mut best = (f64::INFINITY, 1, 1);
        for bands in 1..=MAX_HASHES {
            for rows in 1..=MAX_HASHES / bands {
                let p = |s: f64| candidate_probability(s, bands, rows);
                let false_positive = integrate(p, 0.0, threshold);
                let false_negative = integrate(|s| 1.0 - p(s), threshold, 1.0);
                let error = FALSE_POSITIVE_WEIGHT * false_positive
                    + (1.0 - FALSE_POSITIVE_WEIGHT) * false_negative;
                if error < best.0 {
                    best = (error, bands, rows);
                }
            }
        }
        LshParams {
            threshold,
            bands: best.1,
            rows: best.2,
        }
    }

    /// Number of hash functions: b × r.
    pub fn hashes(&self) -> usize {
        (self.bands * self.rows) as usize
    }

    /// The similarity estimated from the share of bands two documents have in common: each
    /// band is equal with probability J^r, so J ≈ (shared / bands)^(1/r). Coarse (b values
    /// only, 0.80 at least for one band of 11 × 11), but it needs no stored signature.
    pub fn similarity_from_bands(&self, shared: usize) -> f64 {
        let share = (shared as f64 / self.bands as f64).min(1.0);
        share.powf(1.0 / self.rows as f64)
    }
}

/// splitmix64's output function: a bijection of u64 that mixes every bit into every other.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of hash function `i`: splitmix64's sequence from 0.
fn seed(i: usize) -> u64 {
    mix((i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// The hashes of a text's word 5-gram shingles, words taken from `normal` (a normal form,
/// single spaces). A text of fewer than 5 words is one shingle; an empty one has none.
pub fn shingles(normal: &str) -> Vec<u64> {
    let words: Vec<&str> = normal.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let width = SHINGLE_WORDS.min(words.len());
    let mut hashes: Vec<u64> = words
        .windows(width)
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// The MinHash signature of a set of shingle hashes: for each of `k` hash functions, the
/// smallest value it takes over the set. `None` for an empty set.
pub fn signature(shingles: &[u64], k: usize) -> Option<Vec<u64>> {
    if shingles.is_empty() {
        return None;
    }
    Some(
        (0..k)
            .map(|i| {
                let s = seed(i);
                shingles
                    .iter()
                    .map(|&x| mix(x ^ s))
                    .min()
                    .unwrap_or(u64::MAX)
            })
            .collect(),
    )
}

/// The band keys of a signature: XXH3 of each band's values (little-endian), seeded with the
/// band's number so equal values in different bands give different keys.
pub fn band_keys(signature: &[u64], params: &LshParams) -> Vec<u64> {
    signature
        .chunks_exact(params.rows as usize)
        .take(params.bands as usize)
        .enumerate()
        .map(|(band, values)| {
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, band as u64)
        })
        .collect()
}

/// The band keys of a document given as its normal form: empty when it has no words.
pub fn document_bands(normal: &str, params: &LshParams) -> Vec<u64> {
    signature(&shingles(normal), params.hashes())
        .map(|sig| band_keys(&sig, params))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_0_8_gives_11_bands_of_11_rows() {
        let p = LshParams::for_threshold(0.8);
        assert_eq!((p.bands, p.rows), (11, 11));
        // The S-curve around the threshold: rare below, likely above.
        assert!(candidate_probability(0.5, 11, 11) < 0.01);
        assert!(candidate_probability(0.85, 11, 11) > 0.85);
        assert!(candidate_probability(0.9, 11, 11) > 0.98);
    }

    #[test]
    fn parameters_follow_the_threshold() {
        let low = LshParams::for_threshold(0.5);
        let high = LshParams::for_threshold(0.95);
        let knee = |p: LshParams| (1.0 / p.bands as f64).powf(1.0 / p.rows as f64);
        assert!(knee(low) < knee(high), "{low:?} {high:?}");
        assert!(low.hashes() <= MAX_HASHES as usize && high.hashes() <= MAX_HASHES as usize);
    }

    #[test]
    fn short_texts_are_one_shingle_and_empty_ones_none() {
        assert_eq!(shingles("un deux trois").len(), 1);
        assert_eq!(shingles("a b c d e f g").len(), 3);
        assert!(shingles("").is_empty());
        assert!(document_bands("", &LshParams::for_threshold(0.8)).is_empty());
    }

    fn jaccard(a: &[u64], b: &[u64]) -> f64 {
        let inter = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
        inter as f64 / (a.len() + b.len() - inter) as f64
    }

    #[test]
    fn signature_agreement_estimates_jaccard() {
        let words: Vec<String> = (0..400).map(|i| format!("w{}", i * 7 % 293)).collect();
        let a = words.join(" ");
        let b = words[40..].join(" ");
        let (sa, sb) = (shingles(&a), shingles(&b));
        let truth = jaccard(&sa, &sb);
        let (ga, gb) = (
            signature(&sa, 128).expect("a"),
            signature(&sb, 128).expect("b"),
        );
        let agree = ga.iter().zip(&gb).filter(|(x, y)| x == y).count() as f64 / 128.0;
        assert!(
            (agree - truth).abs() < 0.1,
            "estimate {agree}, truth {truth}"
        );
    }

    #[test]
    fn identical_texts_share_every_band_and_keys_are_stable() {
        let p = LshParams::for_threshold(0.8);
        let text = "le conseil municipal a vote jeudi soir le budget de la ville";
        let a = document_bands(text, &p);
        assert_eq!(a.len(), 11);
        assert_eq!(a, document_bands(text, &p));
        let other = document_bands("une tout autre phrase sur un sujet sans rapport aucun", &p);
        assert!(a.iter().all(|k| !other.contains(k)));
    }

    #[test]
    fn the_band_estimate_grows_with_shared_bands() {
        let p = LshParams::for_threshold(0.8);
        let estimates: Vec<f64> = (1..=11).map(|m| p.similarity_from_bands(m)).collect();
        assert!(estimates.windows(2).all(|w| w[0] < w[1]), "{estimates:?}");
        assert_eq!(estimates[10], 1.0);
    }
}
