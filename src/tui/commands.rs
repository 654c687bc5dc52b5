//! What the app does itself rather than a screen: the command palette (open it, run what it
//! chose on the screen it belongs to), copying the selection to the clipboard (`y`, `Y`) and
//! exporting the list as shown (`E`, `J`). The clipboard is the terminal's (OSC 52): the
//! app queues the text and the event loop writes it (`App::take_clipboard`), so the app
//! still never touches the terminal.

use super::action::Action;
use super::app::App;
use super::forms::picker::{Picker, Purpose, Source};
use super::keymap::Context;
use super::palette::{self, Command};
use super::screen::{RowRef, Screen};
use super::worker::Job;
use crate::import::export::ExportFormat;

impl App {
    /// The screen under the overlays that has the keyboard: the search, the 360, the tab.
    fn top_screen(&self) -> Option<&dyn Screen> {
        match (&self.search, &self.account) {
            (Some(s), _) => Some(s),
            (None, Some(a)) => Some(a),
            (None, None) => self.screens.get(self.tab).map(|s| s.as_ref()),
        }
    }

    fn selected_row(&self) -> Option<RowRef> {
        self.top_screen().and_then(|s| s.selected_row())
    }

    /// `y`: the selected row's id to the clipboard.
    pub(super) fn yank(&mut self) {
        match self.selected_row() {
            Some(row) => {
                self.set_status(
                    format!("copied {} id {}", singular(&row.table), row.key),
                    false,
                );
                self.clipboard.push(row.key);
            }
            None => self.set_status("nothing selected to copy", false),
        }
    }

    /// `Y`: the selected row, every column (secrets left out), as JSON; the worker reads it.
    pub(super) fn yank_row(&mut self) {
        match self.selected_row() {
            Some(row) => self.send(Job::CopyRow {
                table: row.table,
                key: row.key,
                rowid: row.rowid,
            }),
            None => self.set_status("nothing selected to copy", false),
        }
    }

    /// The worker read the row `Y` asked for.
    pub(super) fn copied(&mut self, table: &str, json: Option<String>) {
        match json {
            Some(text) => {
                self.set_status(
                    format!(
                        "copied the {} row as JSON ({} bytes)",
                        singular(table),
                        text.len()
                    ),
                    false,
                );
                self.clipboard.push(text);
            }
            None => self.set_status(
                format!("that {} is gone (or not yours to see)", singular(table)),
                true,
            ),
        }
    }

    /// `E`, `J`: the list as shown (its filters and order, every row, not only the page on
    /// screen) to a new file; the worker writes it and the status line says where.
    pub(super) fn export_view(&mut self, format: ExportFormat) {
        let view = if self.search.is_some() || self.account.is_some() {
            None
        } else {
            self.screens
                .get(self.tab)
                .and_then(|s| s.view(&self.options))
        };
        let Some(view) = view else {
            self.set_status(
                "nothing to export here: E and J write a list of one table (customers, calls, deals, sessions, a table)",
                false,
            );
            return;
        };
        self.set_status(format!("exporting {}…", view.name()), false);
        let stamp = self
            .options
            .clock
            .now()
            .with_timezone(&chrono::Local)
            .format("%Y%m%d-%H%M%S")
            .to_string();
        self.send(Job::ExportView {
            view,
            format,
            dir: self.options.export_dir.clone(),
            stamp,
        });
    }

    pub(super) fn exported(
        &mut self,
        path: &std::path::Path,
        rows: u64,
        recorded: Result<(), String>,
    ) {
        let unrecorded = match recorded {
            Ok(()) => String::new(),
            Err(e) => format!(" (not recorded in etl_runs: {e})"),
        };
        self.set_status(
            format!("wrote {rows} rows to {}{unrecorded}", path.display()),
            false,
        );
    }

    /// `:`: every action and table, fuzzy.
    pub(super) fn open_palette(&mut self) {
        let entries = palette::entries(&self.keymap, &self.catalog, &self.options.aliases);
        let rows = palette::candidates(&entries);
        let picker = Picker::new(
            "Command: an action or a table".into(),
            Purpose::Palette(entries),
            Source::Fixed,
            rows,
        );
        self.overlays.open_picker(picker);
    }

    /// Runs what the palette chose: an action on the screen it belongs to (going there if
    /// it is another tab's), a table in the browser.
    pub(super) fn run_command(&mut self, command: Command) {
        match command {
            Command::Table(name) => self.browse(&name),
            Command::Run(action, context) => self.run_where(action, context),
        }
    }

    fn run_where(&mut self, action: Action, context: Context) {
        if self.contexts().contains(&context) {
            return self.update(action);
        }
        if let Some(i) = self
            .screens
            .iter()
            .position(|s| s.contexts().contains(&context))
        {
            self.update(Action::GoTab(i));
            return self.update(action);
        }
        if context == Context::Account
            && let Some(id) = self.screens.iter().find_map(|s| s.selected_customer())
        {
            self.open_account_of(id);
            return self.update(action);
        }
        let help = self
            .keymap
            .help_rows()
            .iter()
            .find(|(c, a, _, _)| *c == context && *a == action)
            .map_or("that", |(_, _, _, h)| *h);
        self.set_status(
            format!("\"{help}\" works in {}: go there first", context.title()),
            false,
        );
    }

    /// What the event loop copies to the clipboard, oldest first.
    pub fn take_clipboard(&mut self) -> Vec<String> {
        std::mem::take(&mut self.clipboard)
    }
}

/// `customers` → `customer`, for the status line.
fn singular(table: &str) -> String {
    palette::singular(table)
        .unwrap_or_else(|| table.to_owned())
        .replace('_', " ")
}
