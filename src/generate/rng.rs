//! The seeded random source and the few distributions realistic data needs.
//!
//! Each customer draws from its own ChaCha stream (`Rng::stream(seed, customer + 1)`), so a
//! customer's rows depend only on the seed and its index: adding a column to one domain
//! changes that domain, not every customer after the first.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

/// The stream of the rows that belong to no customer (workspaces, users, catalogues).
pub const WORLD_STREAM: u64 = 0;

pub struct Rng(ChaCha8Rng);

impl Rng {
    pub fn stream(seed: u64, stream: u64) -> Rng {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        Rng(r)
    }

    /// Uniform in `lo..=hi` (`lo` when the range is empty).
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    /// Uniform index into a collection of `len` (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        if len <= 1 {
            0
        } else {
            self.0.random_range(0..len)
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// Uniform in `[lo, hi)`.
    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// A word of a word list.
    pub fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.index(words.len())]
    }

    /// An item chosen with probability proportional to its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.int(0, i64::from(total.max(1)) - 1) as u32;
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Log-normal with the given median and spread (sigma of the log): skewed like revenue.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// A small count with the given mean (Poisson, by Knuth's method; fine for means < 30).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        let limit = (-mean.max(0.0)).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit && k < 1000 {
            k += 1;
            p *= self.unit();
        }
        k
    }

    /// `k` distinct indexes below `n` (all of them when `k >= n`), in increasing order.
    pub fn sample(&mut self, n: usize, k: usize, out: &mut Vec<usize>) {
        out.clear();
        // selection sampling (Knuth's algorithm S): ordered, no allocation beyond `out`
        let mut needed = k.min(n);
        for i in 0..n {
            if needed == 0 {
                break;
            }
            if self.index(n - i) < needed {
                out.push(i);
                needed -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let draw = |seed, stream| {
            let mut r = Rng::stream(seed, stream);
            (0..20).map(|_| r.int(0, 1_000_000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(1, 5), draw(1, 5));
        assert_ne!(draw(1, 5), draw(1, 6));
        assert_ne!(draw(1, 5), draw(2, 5));
    }

    #[test]
    fn ranges_and_weights_stay_in_bounds() {
        let mut r = Rng::stream(9, 1);
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            let x = r.int(-3, 3);
            assert!((-3..=3).contains(&x));
            let f = r.float(2.0, 5.0);
            assert!((2.0..5.0).contains(&f));
            seen[*r.weighted(&[(0usize, 1), (1, 0), (2, 3)])] += 1;
        }
        assert_eq!(seen[1], 0, "a zero weight is never chosen");
        assert!(seen[2] > seen[0] * 2, "{seen:?}");
        assert_eq!(r.int(4, 4), 4);
        assert_eq!(r.int(5, 1), 5);
    }

    #[test]
    fn samples_are_distinct_and_ordered() {
        let mut r = Rng::stream(3, 3);
        let mut out = Vec::new();
        for k in 0..8 {
            r.sample(6, k, &mut out);
            assert_eq!(out.len(), k.min(6));
            assert!(out.windows(2).all(|w| w[0] < w[1]), "{out:?}");
            assert!(out.iter().all(|&i| i < 6));
        }
    }

    #[test]
    fn poisson_and_lognormal_have_the_asked_centre() {
        let mut r = Rng::stream(4, 4);
        let n = 20_000;
        let mean = (0..n).map(|_| f64::from(r.poisson(3.0))).sum::<f64>() / f64::from(n);
        assert!((mean - 3.0).abs() < 0.1, "{mean}");
        let mut xs: Vec<f64> = (0..n).map(|_| r.lognormal(100.0, 1.0)).collect();
        xs.sort_by(f64::total_cmp);
        let median = xs[xs.len() / 2];
        assert!((median - 100.0).abs() < 5.0, "{median}");
    }
}
