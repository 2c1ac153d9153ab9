//! Length percentiles in fixed memory: a log-linear histogram (the layout of HdrHistogram).
//!
//! Values below [`EXACT_BELOW`] have a bucket each, so their percentiles are exact. Above,
//! every power of two `[2^e, 2^(e+1))` is cut into [`SUB_BUCKETS`] equal buckets; a percentile
//! falling in one is reported as the bucket's midpoint, which is within 1/256 (0.4 %) of the true
//! value. The histogram is 3,328 counters (26 KiB) whatever the corpus size; `max` is exact.

use serde::Serialize;

/// Bits of linear resolution inside each power of two.
const SUB_BITS: u32 = 7;
/// Buckets per power of two, above the exact range.
const SUB_BUCKETS: usize = 1 << SUB_BITS;
/// Values below this have a bucket of their own (exact percentiles).
pub const EXACT_BELOW: u32 = 2 << SUB_BITS;
/// Buckets: the exact range, then `SUB_BUCKETS` per power of two from 2^8 to 2^31.
const BUCKETS: usize = EXACT_BELOW as usize + (32 - (SUB_BITS + 1) as usize) * SUB_BUCKETS;

/// The distribution of one length (characters or words) over documents or paragraphs.
#[derive(Debug, Clone)]
pub struct LengthHistogram {
    counts: Box<[u64; BUCKETS]>,
    count: u64,
    max: u32,
}

impl Default for LengthHistogram {
    fn default() -> Self {
        LengthHistogram {
            counts: Box::new([0; BUCKETS]),
            count: 0,
            max: 0,
        }
    }
}

/// The figures reported for one distribution. All zero when `count` is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    /// How many values (documents or paragraphs) were measured.
    pub count: u64,
    /// Nearest-rank percentiles: the smallest value that at least p % of values do not exceed.
    pub p10: u32,
    pub p50: u32,
    pub p90: u32,
    pub p99: u32,
    /// The largest value (exact).
    pub max: u32,
}

impl LengthHistogram {
    /// Count one value; lengths beyond `u32::MAX` are counted as `u32::MAX`.
    pub fn add(&mut self, value: usize) {
        let value = u32::try_from(value).unwrap_or(u32::MAX);
        self.counts[bucket(value)] += 1;
        self.count += 1;
        self.max = self.max.max(value);
    }

    /// The nearest-rank `p`-th percentile (0 < p ≤ 100), 0 when nothing was counted.
    pub fn percentile(&self, p: f64) -> u32 {
        if self.count == 0 {
            return 0;
        }
        // The rank of the percentile: ⌈p/100 · n⌉, at least 1.
        let rank = ((p / 100.0 * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (index, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return representative(index).min(self.max);
            }
        }
        self.max
    }

    /// p10, p50, p90, p99 and max.
    pub fn percentiles(&self) -> Percentiles {
        Percentiles {
            count: self.count,
            p10: self.percentile(10.0),
            p50: self.percentile(50.0),
            p90: self.percentile(90.0),
            p99: self.percentile(99.0),
            max: self.max,
        }
    }
}

/// The bucket of `value`.
fn bucket(value: u32) -> usize {
    if value < EXACT_BELOW {
        return value as usize;
    }
    let exponent = 31 - value.leading_zeros(); // ≥ SUB_BITS + 1
    let shift = exponent - SUB_BITS;
    let sub = ((value >> shift) as usize) - SUB_BUCKETS; // 0..SUB_BUCKETS
    EXACT_BELOW as usize + (exponent - SUB_BITS - 1) as usize * SUB_BUCKETS + sub
}

/// The value reported for a bucket: itself in the exact range, else the bucket's midpoint.
fn representative(index: usize) -> u32 {
    if index < EXACT_BELOW as usize {
        return index as u32;
    }
    let above = index - EXACT_BELOW as usize;
    let exponent = (above / SUB_BUCKETS) as u32 + SUB_BITS + 1;
    let sub = (above % SUB_BUCKETS) as u64;
    let shift = exponent - SUB_BITS;
    let low = (SUB_BUCKETS as u64 + sub) << shift;
    let width = 1u64 << shift;
    u32::try_from(low + (width - 1) / 2).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn histogram(values: impl IntoIterator<Item = usize>) -> LengthHistogram {
        let mut h = LengthHistogram::default();
        for v in values {
            h.add(v);
        }
        h
    }

    #[test]
    fn small_values_give_exact_nearest_rank_percentiles() {
        // 1..=100: the p-th percentile by nearest rank is p itself.
        let h = histogram(1..=100);
        let p = h.percentiles();
        assert_eq!((p.p10, p.p50, p.p90, p.p99, p.max), (10, 50, 90, 99, 100));
        assert_eq!(p.count, 100);
    }

    #[test]
    fn nearest_rank_rounds_the_rank_up() {
        // Ranks for n = 4: p10 → 1, p50 → 2, p90 → 4, p99 → 4.
        let p = histogram([7, 3, 200, 5]).percentiles();
        assert_eq!((p.p10, p.p50, p.p90, p.p99, p.max), (3, 5, 200, 200, 200));
    }

    #[test]
    fn an_empty_histogram_reports_zeros() {
        let p = LengthHistogram::default().percentiles();
        assert_eq!((p.count, p.p50, p.max), (0, 0, 0));
    }

    #[test]
    fn every_value_lands_in_a_bucket_whose_representative_is_within_the_bound() {
        let samples = (0..40_000u32)
            .chain((0..31).map(|e| 1u32 << e))
            .chain((1..31).map(|e| (1u32 << e) - 1))
            .chain([u32::MAX, 1_234_567, 99_999_999]);
        for v in samples {
            let b = bucket(v);
            assert!(b < BUCKETS, "{v} → bucket {b}");
            let r = representative(b) as f64;
            let error = (r - v as f64).abs() / (v as f64).max(1.0);
            assert!(error <= 1.0 / 256.0, "{v} reported as {r}");
            if v < EXACT_BELOW {
                assert_eq!(r as u32, v);
            }
        }
    }

    #[test]
    fn buckets_are_monotonic() {
        let mut last = 0;
        for v in (0..2_000_000u32).step_by(7) {
            let b = bucket(v);
            assert!(b >= last, "{v}");
            last = b;
        }
    }

    #[test]
    fn large_values_are_reported_within_the_bound_and_never_above_max() {
        let h = histogram([10_000, 10_001, 10_002]);
        let p50 = h.percentile(50.0) as f64;
        assert!((p50 - 10_001.0).abs() / 10_001.0 <= 1.0 / 256.0, "{p50}");
        assert!(h.percentile(100.0) <= 10_002);
        assert_eq!(h.percentiles().max, 10_002);
    }
}
