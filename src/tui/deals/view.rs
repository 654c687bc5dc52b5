//! How Deals is drawn: the pipeline strip, the stage's deals, the selected deal's detail.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Widget};

use crate::store::enums::DealStage;
use crate::store::read::deals::{DealAction, DealRow};
use crate::tui::text::{clean, clean_lines, counted, label, minute, money, truncate, wrap};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::Column;
use crate::tui::widgets::paged_table::{PagedTable, ToCells, cut, header, right};
use crate::tui::widgets::table::{position_of, title};

use super::DealsScreen;

/// Deal (fills), customer, amount, close date, actionable.
const COLUMNS: [Column; 5] = [
    Column::fill(16, 10),
    Column::fixed(20, 10),
    Column::fixed(8, 6),
    Column::fixed(10, 10),
    Column::fixed(3, 3),
];

/// A deal's name as the list shows it: without the customer's name in front when it starts
/// with it and a separator (`Acme Corp - Platform` → `Platform`), since the customer is shown
/// beside it.
pub fn deal_name(name: Option<&str>, customer: &str) -> String {
    let Some(name) = name else {
        return "deal".into();
    };
    // only a real separator after the name: "Rekall expansion" stays as it is
    const SEPARATORS: [char; 4] = ['-', '–', ':', '·'];
    let rest = name
        .strip_prefix(customer)
        .map(str::trim_start)
        .filter(|r| r.starts_with(SEPARATORS))
        .map(|r| r.trim_start_matches(SEPARATORS).trim_start())
        .filter(|r| !r.is_empty());
    clean(rest.unwrap_or(name)).into_owned()
}

impl DealsScreen {
    pub(super) fn draw(
        &self,
        layout: &crate::tui::layout::Layout,
        buf: &mut Buffer,
        theme: &Theme,
        today: NaiveDate,
    ) {
        let (strip, list, detail) = layout.deals();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title("Pipeline", "· h/l change stage ".into(), theme));
        let inner = block.inner(strip);
        block.render(strip, buf);
        // a gap between stages, so that a long stage name never runs into the next one
        let cols = Layout::horizontal(vec![Constraint::Ratio(1, 6); 6])
            .spacing(1)
            .split(inner);
        for (i, stage) in DealStage::ALL.iter().enumerate() {
            let total = self
                .pipeline
                .as_ref()
                .and_then(|p| p.iter().find(|t| t.stage == *stage));
            let style = if i == self.stage_index {
                theme.selected
            } else {
                theme.text
            };
            Paragraph::new(vec![
                Line::styled(
                    truncate(&label(stage.as_str()), usize::from(cols[i].width)).into_owned(),
                    if i == self.stage_index {
                        theme.selected
                    } else {
                        theme.header
                    },
                ),
                Line::styled(
                    total.map_or("…".into(), |t| counted(t.count, "deal", "deals")),
                    style,
                ),
                Line::styled(
                    total.map_or(String::new(), |t| money(Some(t.amount_cents))),
                    style,
                ),
            ])
            .render(cols[i], buf);
        }
        let of = self.stage_count();
        PagedTable {
            list: &self.list,
            columns: &COLUMNS,
            header: header(&["Deal", "Customer", "Amount", "Closes", "Act"]),
            title: title(
                "Deals",
                format!(
                    "{} · {} · by close date ",
                    label(self.stage().as_str()),
                    position_of(self.list.position(), of)
                ),
                theme,
            ),
            focused: true,
            empty: "  no deal in this stage",
        }
        .render(list, buf, theme, &());

        let room = usize::from(detail.width.saturating_sub(2));
        let mut lines = Vec::new();
        match (&self.detail, self.list.selected_row()) {
            (Some((id, d)), Some(sel)) if *id == sel.id => {
                lines.push(Line::styled(
                    truncate(
                        &format!(
                            "{} · {}",
                            clean(sel.product.as_deref().unwrap_or("no product")),
                            clean(&sel.customer_name)
                        ),
                        room,
                    )
                    .into_owned(),
                    theme.dim,
                ));
                lines.push(Line::styled(
                    format!("Actions ({})", d.actions.len()),
                    theme.header,
                ));
                for a in &d.actions {
                    let status = format!("[{}] ", label(&a.status));
                    // an open action past its due date says so first, in the error style
                    let late = overdue(a, today).map(|days| format!("overdue {days}d · "));
                    let flag = late.as_deref().unwrap_or("");
                    let text = format!(
                        "{status}{flag}{} · {} · due {}",
                        clean(&a.text),
                        clean(a.owner.as_deref().unwrap_or("—")),
                        a.due.as_deref().unwrap_or("—")
                    );
                    for (k, l) in wrap(&text, room, "    ").into_iter().enumerate() {
                        // the status and the flag keep their colours on the first line
                        match l.strip_prefix(status.as_str()).filter(|_| k == 0) {
                            Some(rest) => {
                                let mut spans = vec![Span::styled(status.clone(), theme.accent)];
                                let rest = match rest.strip_prefix(flag).filter(|_| late.is_some())
                                {
                                    Some(after) => {
                                        spans.push(Span::styled(
                                            flag.trim_end_matches(" · ").to_owned(),
                                            theme.error,
                                        ));
                                        spans.push(Span::styled(" · ", theme.text));
                                        after
                                    }
                                    None => rest,
                                };
                                spans.push(Span::styled(rest.to_owned(), theme.text));
                                lines.push(Line::from(spans));
                            }
                            None => lines.push(Line::styled(l, theme.text)),
                        }
                    }
                }
                lines.push(Line::default());
                lines.push(Line::styled(
                    format!("Notes ({})", d.notes.len()),
                    theme.header,
                ));
                for n in &d.notes {
                    lines.push(Line::styled(
                        truncate(
                            &format!(
                                "{} · {}",
                                minute(&n.created_at),
                                clean(n.author.as_deref().unwrap_or("—"))
                            ),
                            room,
                        )
                        .into_owned(),
                        theme.dim,
                    ));
                    for l in clean_lines(&n.text) {
                        for w in wrap(&l, room.saturating_sub(2), "") {
                            lines.push(Line::styled(format!("  {w}"), theme.text));
                        }
                    }
                }
                if !d.attributes.is_empty() {
                    lines.push(Line::default());
                    lines.push(Line::styled("Attributes", theme.header));
                    for (k, v) in &d.attributes {
                        let text = format!(
                            "{}: {}",
                            label(&clean(k)),
                            clean(v.as_deref().unwrap_or("—"))
                        );
                        for l in wrap(&text, room.saturating_sub(2), "  ") {
                            lines.push(Line::styled(format!("  {l}"), theme.text));
                        }
                    }
                }
            }
            (_, Some(_)) => lines.push(Line::styled("loading…", theme.dim)),
            (_, None) => {}
        }
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(title("Notes and actions", String::new(), theme)),
            )
            .render(detail, buf);
    }
}

/// Days an action is past its due date, if it is still to do (open or in progress) and due
/// before `today`. A due date that is not a date (imported text) flags nothing.
pub fn overdue(action: &DealAction, today: NaiveDate) -> Option<i64> {
    if !matches!(action.status.as_str(), "open" | "in_progress") {
        return None;
    }
    let due = action.due.as_deref()?;
    let due = NaiveDate::parse_from_str(due.get(..10).unwrap_or(due), "%Y-%m-%d").ok()?;
    let days = (today - due).num_days();
    (days > 0).then_some(days)
}

impl ToCells<()> for DealRow {
    fn cell(&self, column: usize, width: u16, _: &()) -> Cell<'static> {
        match column {
            0 => cut(&deal_name(self.name.as_deref(), &self.customer_name), width),
            1 => cut(&clean(&self.customer_name), width),
            2 => right(money(self.amount_cents)),
            3 => Cell::from(self.close_dt.clone().unwrap_or_else(|| "—".into())),
            _ => Cell::from(if self.is_actionable { "!" } else { "" }),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{deal_name, overdue};
    use crate::store::read::deals::DealAction;

    #[test]
    fn only_an_action_still_to_do_and_due_before_today_is_overdue() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 13).expect("date");
        let action = |due: Option<&str>, status: &str| DealAction {
            text: "Send pilot proposal".into(),
            owner: None,
            due: due.map(str::to_owned),
            status: status.into(),
        };
        assert_eq!(overdue(&action(Some("2026-06-10"), "open"), today), Some(3));
        assert_eq!(
            overdue(&action(Some("2026-06-12T09:00:00Z"), "in_progress"), today),
            Some(1)
        );
        assert_eq!(overdue(&action(Some("2026-06-13"), "open"), today), None);
        assert_eq!(overdue(&action(Some("2026-06-10"), "done"), today), None);
        assert_eq!(
            overdue(&action(Some("2026-06-10"), "cancelled"), today),
            None
        );
        assert_eq!(overdue(&action(None, "open"), today), None);
        assert_eq!(overdue(&action(Some("soon"), "open"), today), None);
        assert_eq!(overdue(&action(Some("2026-06-1é"), "open"), today), None);
    }

    #[test]
    fn a_deal_named_after_its_customer_shows_what_it_is_about() {
        assert_eq!(
            deal_name(Some("Acme Corp - Platform"), "Acme Corp"),
            "Platform"
        );
        assert_eq!(
            deal_name(Some("Acme Corp: Renewal"), "Acme Corp"),
            "Renewal"
        );
        assert_eq!(
            deal_name(Some("Acme expansion"), "Acme Corp"),
            "Acme expansion"
        );
        assert_eq!(
            deal_name(Some("Rekall expansion"), "Rekall"),
            "Rekall expansion"
        );
        assert_eq!(deal_name(Some("Acme Corp"), "Acme Corp"), "Acme Corp");
        assert_eq!(
            deal_name(Some("Acme Corporation renewal"), "Acme Corp"),
            "Acme Corporation renewal"
        );
        assert_eq!(deal_name(None, "Acme Corp"), "deal");
    }
}
