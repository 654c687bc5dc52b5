//! Scrolling a page of text (the account 360, the help, a thread): by a line, by what the
//! view shows at once, to either end — and never past the last line, so `k` after too many
//! `j` moves at once instead of first climbing back through blank space.

use super::action::Action;

/// Where a page at line `at` goes for `action`, showing `page` lines at once and scrolling
/// at most to `max`; None if the action does not scroll.
pub fn scrolled(at: u16, action: Action, page: u16, max: u16) -> Option<u16> {
    let to = match action {
        Action::Down => at.saturating_add(1),
        Action::Up => at.saturating_sub(1),
        Action::PageDown => at.saturating_add(page),
        Action::PageUp => at.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => max,
        _ => return None,
    };
    Some(to.min(max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stops_at_either_end_and_pages_by_the_view() {
        assert_eq!(scrolled(0, Action::Up, 30, 50), Some(0));
        assert_eq!(scrolled(50, Action::Down, 30, 50), Some(50));
        assert_eq!(scrolled(10, Action::PageDown, 30, 50), Some(40));
        assert_eq!(scrolled(40, Action::PageDown, 30, 50), Some(50));
        assert_eq!(scrolled(40, Action::PageUp, 30, 50), Some(10));
        assert_eq!(scrolled(7, Action::Bottom, 30, 50), Some(50));
        assert_eq!(scrolled(7, Action::Top, 30, 50), Some(0));
        assert_eq!(scrolled(7, Action::Open, 30, 50), None);
        // a scroll left past the end (the page got shorter) comes back on the first key
        assert_eq!(scrolled(90, Action::Up, 30, 50), Some(50));
    }
}
