//! The kinds of field a form is made of, each handling its own keys (as actions) and drawing
//! its own value: free text (one line or several), a fixed set of choices, a reference to a
//! row chosen from a picker.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::tui::action::Action;
use crate::tui::text::{clean, truncate};
use crate::tui::theme::Theme;

/// Text with a cursor (a char index). Several lines when `multiline`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextInput {
    pub text: String,
    pub cursor: usize,
    pub multiline: bool,
}

impl TextInput {
    pub fn new(text: &str, multiline: bool) -> TextInput {
        TextInput {
            text: text.to_owned(),
            cursor: text.chars().count(),
            multiline,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn insert(&mut self, c: char) {
        if c == '\n' && !self.multiline {
            return;
        }
        let at = self.byte(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Inserts `text` at the cursor in one step (a paste of thousands of characters is one
    /// edit, not thousands); newlines only when `multiline`.
    pub fn insert_str(&mut self, text: &str) {
        let text: String = if self.multiline {
            text.to_owned()
        } else {
            text.chars().filter(|c| *c != '\n').collect()
        };
        let at = self.byte(self.cursor);
        self.text.insert_str(at, &text);
        self.cursor += text.chars().count();
    }

    /// Applies an editing action; true if it was one (the text or cursor may have changed).
    pub fn edit(&mut self, action: Action) -> bool {
        let line_start = |s: &TextInput| {
            s.text
                .chars()
                .take(s.cursor)
                .collect::<Vec<_>>()
                .iter()
                .rposition(|c| *c == '\n')
                .map_or(0, |i| i + 1)
        };
        match action {
            Action::Input(c) => self.insert(c),
            Action::TextLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::TextRight => self.cursor = (self.cursor + 1).min(self.len()),
            Action::TextHome => self.cursor = line_start(self),
            Action::TextEnd => {
                let rest: String = self.text.chars().skip(self.cursor).collect();
                self.cursor += rest
                    .find('\n')
                    .map_or(rest.chars().count(), |b| rest[..b].chars().count());
            }
            Action::TextBackspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            Action::TextDelete if self.cursor < self.len() => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            Action::TextClear => {
                self.text.clear();
                self.cursor = 0;
            }
            Action::TextBackspace | Action::TextDelete => {}
            _ => return false,
        }
        true
    }

    /// The text as lines of at most `width` columns (long lines wrap after a space, and
    /// by display width: a wide character takes two columns), with the cursor's line and
    /// column (a char index in the line).
    pub fn visual_lines(&self, width: usize) -> (Vec<String>, (usize, usize)) {
        let width = width.max(1);
        let mut lines = Vec::new();
        let mut cursor = (0, 0);
        let mut index = 0;
        for logical in self.text.split('\n') {
            let chars: Vec<char> = logical.chars().collect();
            let chunks: Vec<&[char]> = if chars.is_empty() {
                vec![&[][..]]
            } else {
                wrap(&chars, width)
            };
            let n = chunks.len();
            for (k, chunk) in chunks.into_iter().enumerate() {
                let end = index + chunk.len();
                // the cursor sits on this visual line if it falls inside it (or at the end of
                // the last chunk of the logical line)
                if self.cursor >= index && (self.cursor < end || (k + 1 == n && self.cursor == end))
                {
                    cursor = (lines.len(), self.cursor - index);
                }
                lines.push(chunk.iter().collect());
                index = end;
            }
            index += 1; // the newline
        }
        (lines, cursor)
    }
}

/// `chars` cut into lines of at most `width` columns, each after its last space where it has
/// one (a word longer than a line is cut anyway). A space may end a line one column over: it
/// shows nothing. The lines are consecutive slices covering every character, so a char index
/// maps to one line and column.
fn wrap(chars: &[char], width: usize) -> Vec<&[char]> {
    // control characters are drawn as one control picture (text::clean)
    let w = |c: &char| c.width().unwrap_or(1);
    let mut lines = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, c) in chars.iter().enumerate() {
        if used + w(c) > width && i > start && *c != ' ' {
            let cut = chars[start..i]
                .iter()
                .rposition(|c| *c == ' ')
                .map_or(i, |p| start + p + 1);
            lines.push(&chars[start..cut]);
            start = cut;
            used = chars[start..i].iter().map(w).sum();
        }
        used += w(c);
    }
    lines.push(&chars[start..]);
    lines
}

/// What a field holds and how it takes keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Text(TextInput),
    /// One of `options` (stored texts), or none when `optional` and `index` is None.
    Choice {
        options: Vec<&'static str>,
        index: Option<usize>,
        optional: bool,
    },
    /// A row chosen from a picker: its id and what it is called.
    Reference {
        id: Option<String>,
        label: String,
        /// `+` adds a new one (loss reasons).
        can_add: bool,
    },
}

impl Input {
    pub fn text(text: &str) -> Input {
        Input::Text(TextInput::new(text, false))
    }

    pub fn notes(text: &str) -> Input {
        Input::Text(TextInput::new(text, true))
    }

    pub fn choice(options: &[&'static str], value: Option<&str>, optional: bool) -> Input {
        Input::Choice {
            options: options.to_vec(),
            index: value.and_then(|v| options.iter().position(|o| *o == v)),
            optional,
        }
        .settled()
    }

    /// A yes/no choice.
    pub fn flag(on: bool) -> Input {
        Input::choice(&["no", "yes"], Some(if on { "yes" } else { "no" }), false)
    }

    pub fn reference(id: Option<String>, label: Option<String>, can_add: bool) -> Input {
        Input::Reference {
            label: label.unwrap_or_default(),
            id,
            can_add,
        }
    }

    /// A required choice always holds a value.
    fn settled(mut self) -> Input {
        if let Input::Choice {
            index, optional, ..
        } = &mut self
            && !*optional
            && index.is_none()
        {
            *index = Some(0);
        }
        self
    }

    /// The chosen option's text.
    pub fn choice_text(&self) -> Option<&'static str> {
        match self {
            Input::Choice { options, index, .. } => index.and_then(|i| options.get(i).copied()),
            _ => None,
        }
    }

    /// Moves a choice one step (none counts as a step when optional); true if it changed.
    pub fn cycle(&mut self, forward: bool) -> bool {
        let Input::Choice {
            options,
            index,
            optional,
        } = self
        else {
            return false;
        };
        // positions: 0 = none (when optional), then the options
        let n = options.len() + usize::from(*optional);
        if n == 0 {
            return false;
        }
        let pos = match index {
            Some(i) => *i + usize::from(*optional),
            None => 0,
        };
        let next = if forward {
            (pos + 1) % n
        } else {
            (pos + n - 1) % n
        };
        *index = if *optional {
            next.checked_sub(1)
        } else {
            Some(next)
        };
        true
    }

    /// Selects the first option starting with `c` after the current one; true if found.
    pub fn jump(&mut self, c: char) -> bool {
        let Input::Choice { options, index, .. } = self else {
            return false;
        };
        let c = c.to_ascii_lowercase();
        let start = index.map_or(0, |i| i + 1);
        let n = options.len();
        let found = (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| options[i].starts_with(c));
        if found.is_some() {
            *index = found;
        }
        found.is_some()
    }

    /// Empties an optional choice or a reference; true if it changed.
    pub fn clear(&mut self) -> bool {
        match self {
            Input::Choice {
                index, optional, ..
            } if *optional && index.is_some() => {
                *index = None;
                true
            }
            Input::Reference { id, label, .. } if id.is_some() => {
                *id = None;
                label.clear();
                true
            }
            _ => false,
        }
    }

    /// The value as one line of display text (the form draws multi-line text itself).
    pub fn line<'a>(
        &self,
        focused: bool,
        width: usize,
        placeholder: &str,
        theme: &Theme,
    ) -> Line<'a> {
        let cursor_style = Style::new().add_modifier(Modifier::REVERSED);
        match self {
            Input::Text(t) => {
                if t.text.is_empty() && !focused {
                    return Line::styled(truncate(placeholder, width).into_owned(), theme.dim);
                }
                if !focused {
                    // from its start, cut with an ellipsis: the part around the cursor (where
                    // typing stopped, usually the end) says least about what the value is
                    return Line::styled(truncate(&clean(&t.text), width).into_owned(), theme.text);
                }
                // focused: the part of the text the cursor is in
                let (lines, (row, col)) = t.visual_lines(width.saturating_sub(1));
                let shown = lines.get(row).cloned().unwrap_or_default();
                cursor_line(&shown, col, theme.text, cursor_style)
            }
            Input::Choice { options, index, .. } => {
                let value = index
                    .and_then(|i| options.get(i))
                    .map_or("—".to_owned(), |v| v.replace('_', " "));
                if focused {
                    Line::from(vec![
                        Span::styled("‹ ", theme.key),
                        Span::styled(value, theme.text.add_modifier(Modifier::BOLD)),
                        Span::styled(" ›", theme.key),
                    ])
                } else {
                    Line::styled(value, theme.text)
                }
            }
            Input::Reference { id, label, .. } => match id {
                Some(_) => Line::styled(truncate(&clean(label), width).into_owned(), theme.text),
                None if focused => Line::styled("— (type to search)", theme.dim),
                None => Line::styled("—", theme.dim),
            },
        }
    }
}

/// `text` with the cell at `col` shown as the cursor.
pub fn cursor_line<'a>(text: &str, col: usize, style: Style, cursor: Style) -> Line<'a> {
    let chars: Vec<char> = clean(text).chars().collect();
    let before: String = chars.iter().take(col).collect();
    let at: String = chars.get(col).map_or(" ".into(), |c| c.to_string());
    let after: String = chars.iter().skip(col + 1).collect();
    Line::from(vec![
        Span::styled(before, style),
        Span::styled(at, cursor),
        Span::styled(after, style),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_editing_moves_by_characters_not_bytes() {
        let mut t = TextInput::new("Zürich", false);
        t.edit(Action::TextLeft);
        t.edit(Action::TextBackspace);
        assert_eq!(t.text, "Zürih");
        t.edit(Action::TextEnd);
        t.edit(Action::TextBackspace);
        t.edit(Action::Input('c'));
        assert_eq!(t.text, "Züric");
        t.edit(Action::TextHome);
        t.edit(Action::Input('>'));
        assert_eq!(t.text, ">Züric");
        t.edit(Action::TextEnd);
        t.edit(Action::Input('h'));
        assert_eq!(t.text, ">Zürich");
        t.edit(Action::Input('\n'));
        assert_eq!(t.text, ">Zürich", "one line: no newline");
    }

    #[test]
    fn multi_line_text_wraps_and_tracks_the_cursor() {
        let mut t = TextInput::new("abcdef\ngh", true);
        let (lines, cursor) = t.visual_lines(4);
        assert_eq!(lines, ["abcd", "ef", "gh"]);
        assert_eq!(cursor, (2, 2));
        t.cursor = 6;
        assert_eq!(t.visual_lines(4).1, (1, 2));
        t.edit(Action::TextHome);
        assert_eq!(t.cursor, 0);
    }

    #[test]
    fn lines_wrap_after_a_space_and_by_display_width() {
        let t = TextInput::new("wrap here and there", true);
        assert_eq!(t.visual_lines(10).0, ["wrap here ", "and there"]);
        // 日本語 is six columns: nothing is cut off at the edge of the field
        let t = TextInput::new("日本語 abc", true);
        assert_eq!(t.visual_lines(6).0, ["日本語 ", "abc"]);
        let t = TextInput::new("日本語日本語", true);
        assert_eq!(t.visual_lines(5).0, ["日本", "語日", "本語"]);
        // a word longer than the line is cut; the cursor maps through the cut
        let mut t = TextInput::new("ab abcdefgh", true);
        assert_eq!(t.visual_lines(4).0, ["ab ", "abcd", "efgh"]);
        t.cursor = 8;
        assert_eq!(t.visual_lines(4).1, (2, 1));
    }

    #[test]
    fn choices_cycle_through_none_when_optional() {
        let mut c = Input::choice(&["won", "lost", "tbd"], None, true);
        assert_eq!(c.choice_text(), None);
        c.cycle(true);
        assert_eq!(c.choice_text(), Some("won"));
        c.cycle(false);
        c.cycle(false);
        assert_eq!(c.choice_text(), Some("tbd"));
        assert!(c.jump('l'));
        assert_eq!(c.choice_text(), Some("lost"));
        assert!(c.clear());
        let mut r = Input::choice(&["inbound", "outbound"], None, false);
        assert_eq!(
            r.choice_text(),
            Some("inbound"),
            "a required choice has a value"
        );
        assert!(!r.clear());
    }
}
