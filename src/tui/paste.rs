//! A paste (the terminal's bracketed paste: the text arrives as one event, not as keys) goes
//! into whatever takes typing — the focused form field, a picker's search, the customer
//! filter — and nowhere else: a pasted `Name⏎email⏎` used to press enter between the lines,
//! moving through fields and opening lists. Notes keep the newlines; a one-line field gets
//! spaces instead.

use super::app::App;

impl App {
    /// Text pasted into the terminal; true if the screen should be drawn again.
    pub fn on_paste(&mut self, text: &str) -> bool {
        // nothing that takes typing is on screen behind these
        if self.too_small() || self.help.is_some() {
            return false;
        }
        let mut taken = None;
        self.on_overlays(|o, cx| taken = o.paste(text, cx));
        if let Some(redraw) = taken {
            return redraw;
        }
        // a screen's own prompt (the customer filter), under no 360
        let text = one_line(text);
        if text.is_empty() {
            return false;
        }
        if self.search.is_some() {
            let mut taken = false;
            self.run(super::app::Target::Search, |s, cx| {
                taken = s.paste(&text, cx)
            });
            return taken;
        }
        if self.account.is_some() {
            return false;
        }
        let mut taken = false;
        self.run_on_tab(|s, cx| taken = s.paste(&text, cx));
        taken
    }
}

/// Line breaks (`\r\n`, `\r`, `\n`) as `\n`; other control characters dropped, a tab kept
/// as a space.
pub(super) fn lines_kept(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The text on one line: each line break a space, surrounding blanks trimmed.
pub(super) fn one_line(text: &str) -> String {
    let kept = lines_kept(text);
    let lines: Vec<&str> = kept
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_keeps_its_lines_in_notes_and_joins_them_elsewhere() {
        let pasted = "Bill Lumbergh\r\nbill@initech.test\r555-0100\nwon\n";
        assert_eq!(
            lines_kept(pasted),
            "Bill Lumbergh\nbill@initech.test\n555-0100\nwon\n"
        );
        assert_eq!(
            one_line(pasted),
            "Bill Lumbergh bill@initech.test 555-0100 won"
        );
        assert_eq!(
            lines_kept("a\tb\u{1b}[2Jc"),
            "a b[2Jc",
            "no escape reaches a field"
        );
    }
}
