//! The generators' source of randomness: SplitMix64.
//!
//! Chosen over `StdRng` because its output is fixed by its few lines here (StdRng's algorithm may
//! change between `rand` releases, which would silently change the demo data) and because seeding
//! it costs nothing, so every account gets a generator of its own derived from its index, and a
//! chunk of synthetic accounts can be generated without the ones before it.

/// A small, fast, seedable generator. Not for secrets.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// A generator for `key` (an account index, say) within the stream family `family`.
    pub fn keyed(family: u64, key: u64) -> SplitMix64 {
        let mut mixer = SplitMix64(family);
        let base = mixer.next_u64();
        SplitMix64(base ^ SplitMix64(key).next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `low..=high`.
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        debug_assert!(low <= high);
        low + (self.next_u64() % u64::from(high - low + 1)) as u32
    }

    /// True `percent` times out of a hundred.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.between(0, 99) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    /// A factor spread evenly around 1: `1 ± spread_percent %`, in thousandths.
    pub fn per_mille_around(&mut self, spread_percent: u32) -> u32 {
        let spread = spread_percent * 10;
        self.between(1000 - spread, 1000 + spread)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers_on_every_machine() {
        // Reference values of SplitMix64 with seed 0 (Vigna's splitmix64.c).
        let mut g = SplitMix64::new(0);
        assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn between_stays_within_its_bounds() {
        let mut g = SplitMix64::keyed(1, 2);
        for _ in 0..10_000 {
            let v = g.between(15, 25);
            assert!((15..=25).contains(&v));
        }
    }

    #[test]
    fn different_keys_give_different_streams() {
        let a = SplitMix64::keyed(7, 1).next_u64();
        let b = SplitMix64::keyed(7, 2).next_u64();
        assert_ne!(a, b);
    }
}
