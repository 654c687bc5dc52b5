//! Deterministic ids shaped like UUIDv7.
//!
//! The store writes UUIDv7 so that new rows append to the id index. Generated ids keep that
//! property without the wall clock: the 48-bit timestamp starts at the as-of instant and the
//! 12-bit `rand_a` field holds a counter, so every id is greater than the one before it
//! (4,096 ids per synthetic millisecond); the 62 random bits come from the seeded RNG.
//! The same seed and as-of therefore give the same ids, in the same increasing order.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng as _, SeedableRng};
use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

/// A UUID as its 36-character lowercase text, on the stack (`Copy`, no allocation).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id([u8; 36]);

impl Id {
    pub fn as_str(&self) -> &str {
        // only hex digits and hyphens are ever written
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::fmt::Debug for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for Id {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.0)))
    }
}

/// Hands out increasing v7-shaped ids.
pub struct IdGen {
    base_ms: u64,
    issued: u64,
    rng: ChaCha8Rng,
}

/// The RNG stream reserved for ids (customer streams count up from 1).
const ID_STREAM: u64 = u64::MAX;

impl IdGen {
    /// `base_secs`: the synthetic clock's start (the as-of instant).
    pub fn new(seed: u64, base_secs: i64) -> IdGen {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(ID_STREAM);
        IdGen {
            base_ms: u64::try_from(base_secs).unwrap_or(0).saturating_mul(1000),
            issued: 0,
            rng,
        }
    }

    pub fn next_id(&mut self) -> Id {
        let n = self.issued;
        self.issued += 1;
        let ms = (self.base_ms + (n >> 12)) & 0xffff_ffff_ffff;
        let rand_a = n & 0xfff;
        let rand_b = self.rng.next_u64() & 0x3fff_ffff_ffff_ffff;
        let hi = (ms << 16) | (0x7 << 12) | rand_a;
        let lo = (0b10 << 62) | rand_b;
        encode(hi, lo)
    }
}

fn encode(hi: u64, lo: u64) -> Id {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = (u128::from(hi) << 64 | u128::from(lo)).to_be_bytes();
    let mut out = [b'-'; 36];
    let mut pos = 0;
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            pos += 1; // the hyphen already there
        }
        out[pos] = HEX[usize::from(b >> 4)];
        out[pos + 1] = HEX[usize::from(b & 0xf)];
        pos += 2;
    }
    Id(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ids::is_canonical_uuid;

    #[test]
    fn ids_are_canonical_v7_and_strictly_increasing() {
        let mut g = IdGen::new(7, 1_767_225_600);
        let mut last = g.next_id();
        for _ in 0..10_000 {
            let id = g.next_id();
            assert!(is_canonical_uuid(id.as_str()), "{id}");
            let u = uuid::Uuid::parse_str(id.as_str()).unwrap();
            assert_eq!(u.get_version_num(), 7);
            assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
            assert!(id > last, "{id} !> {last}");
            last = id;
        }
    }

    #[test]
    fn the_timestamp_is_the_base_instant() {
        let mut g = IdGen::new(1, 1_767_225_600);
        let u = uuid::Uuid::parse_str(g.next_id().as_str()).unwrap();
        let (secs, _) = u.get_timestamp().unwrap().to_unix();
        assert_eq!(secs, 1_767_225_600);
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let run = |seed| {
            let mut g = IdGen::new(seed, 1_767_225_600);
            (0..100).map(|_| g.next_id()).collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
    }
}
