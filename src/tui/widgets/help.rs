//! The `?` help, generated from the keymap: every binding with its keys as configured.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;

/// The help's lines: a heading per context, then `keys   what they do`.
pub fn lines<'a>(keymap: &Keymap, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut context: Option<Context> = None;
    for (c, _, keys, help) in keymap.help_rows() {
        if context != Some(*c) {
            if context.is_some() {
                out.push(Line::default());
            }
            out.push(Line::styled(c.title(), theme.title));
            context = Some(*c);
        }
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        out.push(Line::from(vec![
            Span::styled(format!("  {:<22}", keys.join(" ")), theme.key),
            Span::styled((*help).to_owned(), theme.text),
        ]));
    }
    out.push(Line::default());
    out.push(Line::styled("What the marks mean", theme.title));
    for (mark, meaning) in MARKS {
        out.push(Line::from(vec![
            Span::styled(format!("  {mark:<22}"), theme.key),
            Span::styled(*meaning, theme.text),
        ]));
    }
    out
}

/// The marks the lists draw, explained after the keys (the customer list's legend line says
/// the first three again). `store::read::change::arrow` draws the trend.
pub const MARKS: &[(&str, &str)] = &[
    ("▲ ▼", "health up / down since last month's score"),
    ("·", "health the same as last month's"),
    ("(blank)", "no score last month to compare with"),
    ("▁▃▅▇", "a score a month, newest right; gap: no score"),
    ("· in Appr", "no open approvals (customers, sessions)"),
    ("! in Act", "the deal is marked actionable"),
    ("overdue 3d", "a deal action still to do, 3 days past due"),
];

/// The popup over `area` (the body).
fn popup(area: Rect) -> Rect {
    let w = area.width.saturating_sub(4).min(72);
    let h = area.height.saturating_sub(2);
    Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h)
}

/// The lines one page of scrolling moves: what the popup shows at once.
pub fn page(area: Rect) -> u16 {
    popup(area).height.saturating_sub(2).max(1)
}

/// How far the help scrolls: until its last line is at the bottom of the popup.
pub fn max_scroll(keymap: &Keymap, theme: &Theme, area: Rect) -> u16 {
    let all = lines(keymap, theme).len();
    u16::try_from(all)
        .unwrap_or(u16::MAX)
        .saturating_sub(page(area))
}

pub fn render(keymap: &Keymap, scroll: u16, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let popup = popup(area);
    Clear.render(popup, buf);
    let all = lines(keymap, theme);
    let max = max_scroll(keymap, theme, area);
    Paragraph::new(all)
        .scroll((scroll.min(max), 0))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focus)
                .title(Span::styled(
                    " Keys — ? or esc to close, j/k to scroll ",
                    theme.title,
                )),
        )
        .render(popup, buf);
}
