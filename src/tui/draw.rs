//! Drawing the whole screen from the app's state: `impl Widget for &App`, no side effects.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::action::Action;
use super::app::{App, MIN_HEIGHT, MIN_WIDTH};
use super::layout::Layout;
use super::tabs::Tab;
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
        if let Some(view) = &self.account {
            view.render(layout.body, buf, &self.theme, &self.thresholds);
        } else {
            let loading = self.show_loading();
            match self.tab {
                Tab::Customers => {
                    self.customers
                        .render(layout.body, buf, &self.theme, &self.thresholds, loading)
                }
                Tab::Health => {
                    self.health
                        .render(layout.body, &layout, buf, &self.theme, &self.thresholds)
                }
                Tab::Deals => self.deals.render(&layout, buf, &self.theme),
                Tab::Calls => self.calls.render(&layout, buf, &self.theme),
                Tab::Sessions => self.sessions.render(&layout, buf, &self.theme),
            }
        }
        self.render_status(&layout, buf);
        for form in &self.forms {
            super::forms::render::form(form, layout.body, buf, &self.theme, &self.keymap);
        }
        if let Some(p) = &self.picker {
            super::forms::render::picker(p, layout.body, buf, &self.theme);
        }
        if let Some(c) = &self.confirm {
            super::forms::render::confirm(c, layout.body, buf, &self.theme, &self.keymap);
        }
        if let Some(scroll) = self.help {
            help::render(&self.keymap, scroll, layout.body, buf, &self.theme);
        }
    }
}

impl App {
    fn render_tabs(&self, layout: &Layout, buf: &mut Buffer) {
        let labels = layout.tab_labels();
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
        for (i, (tab, rect)) in labels.into_iter().enumerate() {
            let style = if tab == self.tab && self.account.is_none() {
                self.theme.tab_active
            } else {
                self.theme.tab
            };
            Line::styled(tab.label(), style).render(rect, buf);
            if i + 1 < Tab::ALL.len() {
                let sep =
                    Rect::new(rect.x + rect.width + 1, rect.y, 1, 1).intersection(layout.tabs);
                Line::styled("│", self.theme.dim).render(sep, buf);
            }
        }
    }

    /// The status line: the latest message, else the keys that matter here.
    fn render_status(&self, layout: &Layout, buf: &mut Buffer) {
        let line = match &self.status {
            Some(s) => Line::styled(
                format!(" {}", super::text::clean(&s.text)),
                if s.error {
                    self.theme.error
                } else {
                    self.theme.status
                },
            ),
            None => {
                let key = |a: Action| {
                    self.keymap
                        .keys_for(a)
                        .first()
                        .map_or("—".to_owned(), |k| k.to_string())
                };
                let hints: Vec<(String, &str)> = if self.confirm.is_some() {
                    vec![]
                } else if self.picker.is_some() {
                    vec![
                        (key(Action::PickChoose), "choose"),
                        (key(Action::PickNext), "next"),
                        (key(Action::Cancel), "close"),
                    ]
                } else if let Some(form) = self.forms.last() {
                    use super::forms::input::Input;
                    let mut h = vec![
                        (key(Action::Save), "save"),
                        (key(Action::FormNext), "next field"),
                        (key(Action::FormPrev), "previous"),
                    ];
                    match form.focused().map(|s| &s.input) {
                        Some(Input::Choice { .. }) => {
                            h.push((key(Action::CycleNext), "change"));
                            h.push((key(Action::Pick), "list"));
                        }
                        Some(Input::Reference { can_add, .. }) => {
                            h.push((key(Action::Pick), "choose"));
                            if *can_add {
                                h.push((key(Action::AddNew), "new"));
                            }
                        }
                        _ => {}
                    }
                    h.push((key(Action::Cancel), "cancel"));
                    h
                } else if self.customers.typing
                    && self.tab == Tab::Customers
                    && self.account.is_none()
                {
                    vec![
                        (key(Action::FilterAccept), "keep filter"),
                        ("esc".into(), "clear filter"),
                    ]
                } else if self.account.is_some() {
                    vec![
                        (key(Action::Back), "back"),
                        (key(Action::Edit), "edit"),
                        (key(Action::New), "log call"),
                        (key(Action::LogMeeting), "log meeting"),
                        (key(Action::Down), "scroll"),
                        (key(Action::Help), "help"),
                    ]
                } else {
                    let mut h = vec![
                        (key(Action::Help), "help"),
                        (key(Action::NextTab), "next tab"),
                    ];
                    match self.tab {
                        Tab::Customers => h.extend([
                            (key(Action::Filter), "filter"),
                            (key(Action::SortNext), "sort"),
                            (key(Action::Open), "open"),
                            (key(Action::Edit), "edit"),
                            (key(Action::New), "log call"),
                        ]),
                        Tab::Health => h.extend([
                            (key(Action::ToggleView), "portfolio/customer"),
                            (key(Action::Open), "open"),
                        ]),
                        Tab::Deals => h.extend([
                            (key(Action::Right), "next stage"),
                            (key(Action::Open), "open account"),
                            (key(Action::Edit), "edit"),
                        ]),
                        Tab::Calls => h.extend([
                            (key(Action::New), "new"),
                            (key(Action::Edit), "edit"),
                            (key(Action::Delete), "delete"),
                            (key(Action::CallsType), "type"),
                            (key(Action::CallsOutcome), "outcome"),
                            (key(Action::CallsRange), "period"),
                        ]),
                        Tab::Sessions => {
                            h.push((key(Action::Right), "next pane"));
                            if self.sessions.focus == super::tabs::sessions::Focus::Sessions {
                                h.push((key(Action::ToggleView), "this customer"));
                            } else {
                                h.extend([
                                    (key(Action::Approve), "approve"),
                                    (key(Action::Reject), "reject"),
                                    (key(Action::Mark), "mark"),
                                ]);
                            }
                        }
                    }
                    if !self.undo.is_empty() {
                        h.push((key(Action::Undo), "undo"));
                    }
                    h.push((key(Action::Quit), "quit"));
                    h
                };
                let mut spans = vec![Span::raw(" ")];
                for (k, what) in hints {
                    spans.push(Span::styled(k, self.theme.key));
                    spans.push(Span::styled(format!(" {what}  "), self.theme.dim));
                }
                Line::from(spans)
            }
        };
        line.render(layout.status, buf);
    }
}
