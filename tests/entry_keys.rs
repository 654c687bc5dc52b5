//! Thousands of random keys (deterministic) into the dashboard acting as a user: forms,
//! pickers, questions and writes in every order. Whatever is typed, nothing panics, every
//! open form has a field in focus, and the database keeps its rules.

mod common;
mod entry_support;

use entry_support::*;

/// Keys a CSM might press anywhere (no quit: the app must stay up to be tested).
const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "d",
    "e",
    "l",
    "m",
    "n",
    "o",
    "p",
    "r",
    "s",
    "t",
    "u",
    "w",
    "x",
    "y",
    "1",
    "2",
    "3",
    "4",
    "5",
    "0",
    ":",
    "+",
    "-",
    " ",
    "tab",
    "shift-tab",
    "enter",
    "esc",
    "ctrl-s",
    "ctrl-u",
    "backspace",
    "delete",
    "left",
    "right",
    "up",
    "down",
    "home",
    "end",
    "j",
    "k",
    "g",
    "G",
    "v",
    "h",
    "?",
    "space",
    "ctrl-d",
    "/",
    "ö",
    "é",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn random_keys_never_panic_and_leave_a_consistent_state() {
    for seed in 1..=6u64 {
        let (mut h, _) = app();
        let mut rng = Lcg(seed);
        let mut pressed = Vec::new();
        for _ in 0..700 {
            let key = KEYS[rng.next(KEYS.len())];
            pressed.push(key);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if key.chars().count() == 1
                    && !key
                        .chars()
                        .all(|c| c.is_ascii_punctuation() || c.is_ascii_alphanumeric())
                {
                    h.type_text(key);
                } else {
                    h.keys(&[key]);
                }
            }));
            if result.is_err() {
                let tail = &pressed[pressed.len().saturating_sub(40)..];
                panic!("seed {seed}: panicked after keys {tail:?}");
            }
            if let Some(form) = h.app.forms().last() {
                assert!(
                    form.focus < form.slots.len(),
                    "seed {seed}: focus out of the form"
                );
            }
            assert!(!h.app.wants_quit(), "seed {seed}: no quit key was pressed");
        }
        let bad: i64 = one(
            &h,
            "SELECT count(*) FROM calls WHERE outcome = 'lost' AND loss_reason_id IS NULL",
            "",
        );
        assert_eq!(bad, 0, "seed {seed}: a lost call without a reason");
    }
}
