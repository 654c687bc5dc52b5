//! Deals: the pipeline by stage with counts and amounts; the deals of the chosen stage
//! (h/l moves between stages) by close date; the selected deal's notes and actions.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Widget, Wrap};

use crate::store::enums::DealStage;
use crate::store::read::deals::{DealDetail, DealRow, StageTotal};
use crate::tui::paged::Paged;
use crate::tui::text::{clean, clean_lines, count, label, minute, money, truncate};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Grid, title};

#[derive(Default)]
pub struct DealsTab {
    pub pipeline: Option<Vec<StageTotal>>,
    pub stage_index: usize,
    pub list: Paged<DealRow>,
    pub detail: Option<(String, DealDetail)>,
}

impl DealsTab {
    pub fn stage(&self) -> DealStage {
        DealStage::ALL[self.stage_index.min(DealStage::ALL.len() - 1)]
    }

    pub fn move_stage(&mut self, step: isize) {
        let n = DealStage::ALL.len() as isize;
        self.stage_index = ((self.stage_index as isize + step).rem_euclid(n)) as usize;
    }

    pub fn render(&self, layout: &crate::tui::layout::Layout, buf: &mut Buffer, theme: &Theme) {
        let (strip, list, detail) = layout.deals();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title("Pipeline", "· h/l change stage ".into(), theme));
        let inner = block.inner(strip);
        block.render(strip, buf);
        let cols = Layout::horizontal(vec![Constraint::Ratio(1, 6); 6]).split(inner);
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
                    label(stage.as_str()),
                    if i == self.stage_index {
                        theme.selected
                    } else {
                        theme.header
                    },
                ),
                Line::styled(
                    total.map_or("…".into(), |t| format!("{} deals", count(t.count))),
                    style,
                ),
                Line::styled(
                    total.map_or(String::new(), |t| money(Some(t.amount_cents))),
                    style,
                ),
            ])
            .render(cols[i], buf);
        }
        let rows: Vec<Row> = self
            .list
            .rows
            .iter()
            .map(|d| {
                Row::new(vec![
                    Cell::from(
                        truncate(&clean(d.name.as_deref().unwrap_or("deal")), 26).into_owned(),
                    ),
                    Cell::from(truncate(&clean(&d.customer_name), 22).into_owned()),
                    Cell::from(Line::from(money(d.amount_cents)).right_aligned()),
                    Cell::from(d.close_dt.clone().unwrap_or_else(|| "—".into())),
                    Cell::from(if d.is_actionable { "!" } else { "" }),
                ])
                .style(theme.text)
            })
            .collect();
        let pos = self.list.position().map_or("?".into(), count);
        let of = self
            .pipeline
            .as_ref()
            .and_then(|p| p.iter().find(|t| t.stage == self.stage()))
            .map_or("…".into(), |t| count(t.count));
        Grid {
            title: title(
                "Deals",
                format!(
                    "{} · {pos} of {of} · by close date ",
                    label(self.stage().as_str())
                ),
                theme,
            ),
            header: ["Deal", "Customer", "Amount", "Closes", "Act"]
                .into_iter()
                .map(Cell::from)
                .collect(),
            widths: vec![
                Constraint::Min(10),
                Constraint::Min(10),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Length(3),
            ],
            rows,
            selected: Some(self.list.selected),
            focused: true,
            empty: if self.list.loaded {
                "  no deal in this stage"
            } else {
                "  loading…"
            },
        }
        .render(list, buf, theme);

        let mut lines = Vec::new();
        match (&self.detail, self.list.selected_row()) {
            (Some((id, d)), Some(sel)) if *id == sel.id => {
                lines.push(Line::styled(
                    format!(
                        "{} · {}",
                        clean(sel.product.as_deref().unwrap_or("no product")),
                        clean(&sel.customer_name)
                    ),
                    theme.dim,
                ));
                lines.push(Line::styled(
                    format!("Actions ({})", d.actions.len()),
                    theme.header,
                ));
                for a in &d.actions {
                    lines.push(Line::from(vec![
                        Span::styled(format!("[{}] ", label(&a.status)), theme.accent),
                        Span::styled(clean(&a.text).into_owned(), theme.text),
                        Span::styled(
                            format!(
                                " · {} · due {}",
                                clean(a.owner.as_deref().unwrap_or("—")),
                                a.due.as_deref().unwrap_or("—")
                            ),
                            theme.dim,
                        ),
                    ]));
                }
                lines.push(Line::default());
                lines.push(Line::styled(
                    format!("Notes ({})", d.notes.len()),
                    theme.header,
                ));
                for n in &d.notes {
                    lines.push(Line::styled(
                        format!(
                            "{} · {}",
                            minute(&n.created_at),
                            clean(n.author.as_deref().unwrap_or("—"))
                        ),
                        theme.dim,
                    ));
                    for l in clean_lines(&n.text) {
                        lines.push(Line::styled(format!("  {l}"), theme.text));
                    }
                }
                if !d.attributes.is_empty() {
                    lines.push(Line::default());
                    lines.push(Line::styled("Attributes", theme.header));
                    for (k, v) in &d.attributes {
                        lines.push(Line::styled(
                            format!("  {}: {}", clean(k), clean(v.as_deref().unwrap_or("—"))),
                            theme.text,
                        ));
                    }
                }
            }
            (_, Some(_)) => lines.push(Line::styled("loading…", theme.dim)),
            (_, None) => {}
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(title("Notes and actions", String::new(), theme)),
            )
            .render(detail, buf);
    }
}
