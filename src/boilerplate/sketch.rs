//! A fixed-size, one-sided filter for the repetition pass: which paragraph keys *may* occur in
//! at least the threshold's number of documents. It never misses such a key (no false
//! negatives), so the exact counts taken afterwards for the keys it lets through decide
//! exactly as counting every key would; its false positives only cost memory.
//!
//! It is a counting Bloom filter with conservative update ("minimal increase"): one array of
//! small counters, [`HASHES`] counters per key; adding a key raises only those of its counters
//! that hold the key's current minimum, and the key's estimate is that minimum. Every counter
//! of a key is at least the number of times the key was added (up to the cap), because each
//! addition leaves all of them above the minimum it saw; other keys sharing a counter can only
//! raise it. Counters stop at the threshold (at most 255): nothing above it is ever asked.

/// Counters each key is spread over.
pub const HASHES: usize = 3;

/// The default size: 2^24 bytes, 16 MiB (64 Mi two-bit counters for the default threshold 3).
pub const DEFAULT_BITS: u32 = 24;

/// Keys that may have reached a count, in a fixed amount of memory.
#[derive(Debug, Clone)]
pub struct CountSketch {
    /// Counters packed `8 / width` to a byte.
    bytes: Vec<u8>,
    /// log2 of the number of counters.
    slot_bits: u32,
    /// log2 of the counter width in bits (0..=3: 1, 2, 4 or 8 bits).
    width_log2: u32,
    cap: u8,
}

impl CountSketch {
    /// A sketch of `2^bits` bytes (`bits` between 4 and 40) that tells which keys were added
    /// at least `threshold` times. Counters are as narrow as the threshold allows (2 bits for
    /// 2 or 3, 4 bits up to 15, a byte up to 255), so a low threshold gets more counters.
    pub fn new(bits: u32, threshold: u32) -> Self {
        let bits = bits.clamp(4, 40);
        let cap = threshold.clamp(1, u32::from(u8::MAX)) as u8;
        let width_log2 = match cap {
            1 => 0,
            2..=3 => 1,
            4..=15 => 2,
            _ => 3,
        };
        CountSketch {
            bytes: vec![0; 1 << bits],
            slot_bits: bits + 3 - width_log2,
            width_log2,
            cap,
        }
    }

    /// Bytes of counters held.
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// The number of counters.
    pub fn counters(&self) -> usize {
        1 << self.slot_bits
    }

    /// The counters of key `h`: independent positions derived from the (already well mixed)
    /// 64-bit key by a finalizer per position.
    fn slots(&self, h: u64) -> [usize; HASHES] {
        std::array::from_fn(|i| (mix(h ^ SEEDS[i]) >> (64 - self.slot_bits)) as usize)
    }

    /// The byte and the bit shift counter `slot` is stored at.
    fn place(&self, slot: usize) -> (usize, u32) {
        let per_byte_log2 = 3 - self.width_log2;
        let within = slot & ((1 << per_byte_log2) - 1);
        (slot >> per_byte_log2, (within as u32) << self.width_log2)
    }

    fn get(&self, slot: usize) -> u8 {
        let (byte, shift) = self.place(slot);
        let mask = (((1u16 << (1 << self.width_log2)) - 1) as u8) << shift;
        (self.bytes[byte] & mask) >> shift
    }

    fn set(&mut self, slot: usize, value: u8) {
        let (byte, shift) = self.place(slot);
        let mask = (((1u16 << (1 << self.width_log2)) - 1) as u8) << shift;
        self.bytes[byte] = (self.bytes[byte] & !mask) | ((value << shift) & mask);
    }

    /// Count one more occurrence of key `h`.
    pub fn add(&mut self, h: u64) {
        let slots = self.slots(h);
        let least = slots.iter().map(|&s| self.get(s)).min().unwrap_or(0);
        if least >= self.cap {
            return;
        }
        for s in slots {
            // Conservative update: only the counters at the minimum go up.
            if self.get(s) == least {
                self.set(s, least + 1);
            }
        }
    }

    /// True when key `h` may have been added at least the threshold's number of times;
    /// always true when it was.
    pub fn may_reach(&self, h: u64) -> bool {
        self.slots(h).iter().all(|&s| self.get(s) >= self.cap)
    }
}

/// One seed per counter position (digits of π), so the positions are independent.
const SEEDS: [u64; HASHES] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
];

/// The SplitMix64 finalizer: every input bit moves every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn a_key_added_threshold_times_is_let_through() {
        let mut s = CountSketch::new(16, 3);
        s.add(42);
        s.add(42);
        assert!(!s.may_reach(42), "two of three");
        s.add(42);
        assert!(s.may_reach(42));
        assert!(!s.may_reach(43), "never added");
    }

    #[test]
    fn counters_sharing_a_byte_are_independent() {
        for threshold in [1, 3, 15, 255] {
            let mut s = CountSketch::new(4, threshold);
            let cap = threshold as u8;
            for slot in 0..s.counters() {
                s.set(slot, (slot % (usize::from(cap) + 1)) as u8);
            }
            for slot in 0..s.counters() {
                assert_eq!(
                    s.get(slot),
                    (slot % (usize::from(cap) + 1)) as u8,
                    "threshold {threshold}"
                );
            }
        }
    }

    #[test]
    fn the_cap_is_at_most_255() {
        let mut s = CountSketch::new(8, 1000);
        for _ in 0..255 {
            s.add(7);
        }
        assert!(
            s.may_reach(7),
            "a threshold above 255 lets through keys at 255"
        );
    }

    #[test]
    fn few_false_positives_at_the_default_load() {
        // 2^16 counters, 16 K keys added once and 1 K added three times: a load like the
        // default size's at several million paragraphs.
        let mut s = CountSketch::new(16, 3);
        for k in 0..16_384u64 {
            s.add(mix(k));
        }
        for k in 100_000..101_024u64 {
            (0..3).for_each(|_| s.add(mix(k)));
        }
        let false_positives = (0..16_384u64).filter(|&k| s.may_reach(mix(k))).count();
        assert!(
            false_positives < 164,
            "{false_positives} of 16384 let through"
        );
        assert!((100_000..101_024u64).all(|k| s.may_reach(mix(k))));
    }

    proptest! {
        /// Whatever the collisions (a tiny sketch), no key counted up to the threshold is
        /// ever missed.
        #[test]
        fn never_misses_a_key_that_reached_the_threshold(
            keys in proptest::collection::vec(0u64..200, 0..2000),
            bits in 4u32..10,
            threshold in 1u32..20,
        ) {
            let mut s = CountSketch::new(bits, threshold);
            let mut exact: HashMap<u64, u32> = HashMap::new();
            for k in keys {
                s.add(k);
                *exact.entry(k).or_default() += 1;
            }
            for (k, n) in exact {
                if n >= threshold {
                    prop_assert!(s.may_reach(k), "key {} counted {}", k, n);
                }
            }
        }
    }
}
