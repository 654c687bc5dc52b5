//! Drawing the whole screen from the app's state: `impl Widget for &App`, no side effects.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::action::Action;
use super::app::{App, MIN_HEIGHT, MIN_WIDTH};
use super::keymap;
use super::layout::Layout;
use super::screen::{Screen, View};
use super::widgets::help;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, self.theme.text);
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            // what a key can do here is App::on_key's: quit, unless that loses a form's changes
            let way_out = if self.unsaved() {
                "Enlarge it to go back to your form: it has unsaved changes.".to_owned()
            } else {
                format!(
                    "Enlarge it, or press {} to quit.",
                    super::forms::render::key_of(&self.keymap, Action::Quit)
                )
            };
            Paragraph::new(format!(
                "cscx needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}. \
                 {way_out}",
                area.width, area.height
            ))
            .wrap(Wrap { trim: true })
            .style(self.theme.text)
            .render(area, buf);
            return;
        }
        let layout = Layout::new(area);
        self.render_tabs(&layout, buf);
        let view = View {
            theme: &self.theme,
            keymap: &self.keymap,
            thresholds: &self.thresholds,
            loading: self.show_loading(),
        };
        match (&self.account, self.screens.get(self.tab)) {
            (Some(account), _) => account.render(&layout, buf, &view),
            (None, Some(screen)) => screen.render(&layout, buf, &view),
            (None, None) => {}
        }
        if let Some(search) = &self.search {
            search.render(&layout, buf, &view);
        }
        self.render_status(&layout, buf);
        self.overlays
            .render(layout.body, buf, &self.theme, &self.keymap);
        if let Some(scroll) = self.help {
            help::render(&self.keymap, scroll, layout.body, buf, &self.theme);
        }
    }
}

impl App {
    /// The columns who I am takes at the right of the tab bar (with its gap), 0 for nobody.
    pub fn identity_room(&self) -> u16 {
        self.options.identity.as_ref().map_or(0, |who| {
            u16::try_from(super::text::clean(who).chars().count() + 3).unwrap_or(u16::MAX)
        })
    }

    fn render_tabs(&self, layout: &Layout, buf: &mut Buffer) {
        let titles = self.titles();
        let labels = layout.tab_labels(&titles, self.identity_room());
        // who I am and my role, right-aligned where the tabs leave room
        if let (Some(who), Some((_, last))) = (&self.options.identity, labels.last()) {
            let who = super::text::clean(who);
            let width = who.chars().count() as u16 + 1;
            let free_from = last.x + last.width + 2;
            let end = layout.tabs.x + layout.tabs.width;
            if end >= free_from + width {
                Line::styled(who, self.theme.dim)
                    .render(Rect::new(end - width, layout.tabs.y, width - 1, 1), buf);
            }
        }
        // a compact bar (Layout::tab_labels) leaves one column between labels: no separator
        let gaps: Vec<u16> = labels
            .windows(2)
            .map(|p| p[1].1.x.saturating_sub(p[0].1.x + p[0].1.width))
            .collect();
        for (i, (label, rect)) in labels.into_iter().enumerate() {
            let style = if i == self.tab && self.account.is_none() && self.search.is_none() {
                self.theme.tab_active
            } else {
                self.theme.tab
            };
            Line::styled(label, style).render(rect, buf);
            if gaps.get(i).is_some_and(|g| *g >= 3) {
                let sep =
                    Rect::new(rect.x + rect.width + 1, rect.y, 1, 1).intersection(layout.tabs);
                Line::styled("│", self.theme.dim).render(sep, buf);
            }
        }
    }

    /// The status line: the latest message, then the keys that matter here — the hints of
    /// the keymap context that has the keyboard (`keymap::HINTS`). An error stands alone,
    /// so nothing crowds it out; the first screen's greeting ("acting as …") used to hide
    /// the keys until a key was pressed.
    fn render_status(&self, layout: &Layout, buf: &mut Buffer) {
        let mut spans = vec![Span::raw(" ")];
        match &self.status {
            Some(s) if s.error => spans.push(Span::styled(
                super::text::clean(&s.text).into_owned(),
                self.theme.error,
            )),
            status => {
                if let Some(s) = status {
                    spans.push(Span::styled(
                        format!("{}  ·  ", super::text::clean(&s.text)),
                        self.theme.status,
                    ));
                }
                for (action, what) in keymap::hints(&self.contexts_below_help()) {
                    if !self.hint_applies(*action) {
                        continue;
                    }
                    let key = self
                        .keymap
                        .keys_for(*action)
                        .first()
                        .map_or("—".to_owned(), |k| k.to_string());
                    spans.push(Span::styled(key, self.theme.key));
                    spans.push(Span::styled(format!(" {what}  "), self.theme.dim));
                }
            }
        }
        Line::from(spans).render(layout.status, buf);
    }

    /// Hints for what cannot be done now are left out.
    fn hint_applies(&self, action: Action) -> bool {
        match action {
            Action::Undo => self.can_undo(),
            Action::AddNew => self.overlays.can_add_new(),
            _ => true,
        }
    }
}
