//! Keys as data (atuin's shape): one table of defaults — context, action, keys, what it does —
//! from which both key resolution and the `?` help are made, so they cannot drift apart.
//! The config file may rebind any action by name.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies. The app asks in order of precedence, e.g. `[Calls, List, Global]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    /// Any list or scrollable view.
    List,
    Customers,
    Health,
    Calls,
    Sessions,
    /// The Deals tab.
    Deals,
    /// The work queue (Today).
    Queue,
    /// The mined customer journeys.
    Journeys,
    /// The table browser (Tables): a table's rows.
    Browse,
    /// The table browser: one row, every column.
    BrowseRow,
    /// The table browser: choosing the table (typed text narrows the list).
    BrowseTables,
    /// The account 360.
    Account,
    /// The approvals queue or a session's thread has the focus.
    Approvals,
    /// Typing a filter.
    Filter,
    /// The search prompt and its results.
    Search,
    /// Reading an article found by the search.
    SearchArticle,
    /// Any field of a form.
    Form,
    /// A text field of a form.
    FormText,
    /// A field with a fixed set of choices (an enumeration, yes/no).
    FormChoice,
    /// A field that refers to a row (customer, stakeholder, loss reason, CSM).
    FormReference,
    /// A list to choose from (fuzzy-filtered as you type).
    Picker,
    /// A question to answer (delete? discard? reload or overwrite?).
    Confirm,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Lists and views",
            Context::Customers => "Customers",
            Context::Health => "Health trends",
            Context::Calls => "Calls",
            Context::Sessions => "Agent sessions",
            Context::Deals => "Deals",
            Context::Queue => "Today (the work queue)",
            Context::Journeys => "Journeys (cscx mine)",
            Context::Browse => "Tables (the browser)",
            Context::BrowseRow => "Tables: a row",
            Context::BrowseTables => "Tables: choosing a table",
            Context::Account => "Account 360",
            Context::Approvals => "Approvals (queue or thread)",
            Context::Filter => "Typing a filter",
            Context::Search => "Search everything",
            Context::SearchArticle => "Search: reading an article",
            Context::Form => "Forms",
            Context::FormText => "Forms: text fields",
            Context::FormChoice => "Forms: choices (stage, status, yes/no...)",
            Context::FormReference => "Forms: customer, stakeholder, loss reason, CSM",
            Context::Picker => "Choosing from a list",
            Context::Confirm => "Questions",
        }
    }
}

/// The default bindings: (context, action, keys, help text). The help lists them in this order,
/// a heading for each context, so each context's rows stay together (a test checks).
pub const DEFAULTS: &[(Context, Action, &[&str], &str)] = &[
    (
        Context::Global,
        Action::Help,
        &["?"],
        "show or hide this help",
    ),
    (Context::Global, Action::Quit, &["q", "ctrl-c"], "quit"),
    (
        Context::Global,
        Action::Suspend,
        &["ctrl-z"],
        "suspend (the shell's fg comes back)",
    ),
    (
        Context::Global,
        Action::Back,
        &["esc"],
        "back: close the view, clear the filter",
    ),
    (Context::Global, Action::NextTab, &["tab"], "next tab"),
    (
        Context::Global,
        Action::PrevTab,
        &["shift-tab"],
        "previous tab",
    ),
    (Context::Global, Action::GoTab(0), &["1"], "Customers tab"),
    (
        Context::Global,
        Action::GoTab(1),
        &["2"],
        "Health trends tab",
    ),
    (Context::Global, Action::GoTab(2), &["3"], "Deals tab"),
    (Context::Global, Action::GoTab(3), &["4"], "Calls tab"),
    (
        Context::Global,
        Action::GoTab(4),
        &["5"],
        "Agent sessions tab",
    ),
    (Context::Global, Action::GoTab(5), &["6"], "Today tab"),
    (
        Context::Global,
        Action::GoTab(6),
        &["7"],
        "Tables tab: browse any table",
    ),
    (Context::Global, Action::GoTab(7), &["8"], "Journeys tab"),
    (
        Context::Global,
        Action::Refresh,
        &["ctrl-r"],
        "reload from the database",
    ),
    (
        Context::Global,
        Action::Undo,
        &["u"],
        "undo your last edit (this session)",
    ),
    (
        Context::Global,
        Action::Redo,
        &["U"],
        "redo what u took back",
    ),
    (
        Context::Global,
        Action::Search,
        &["ctrl-f"],
        "search everything: names, notes, messages...",
    ),
    (
        Context::Global,
        Action::Palette,
        &[":"],
        "command palette: any action, any table",
    ),
    (Context::List, Action::Down, &["j", "down"], "down one row"),
    (Context::List, Action::Up, &["k", "up"], "up one row"),
    (
        Context::List,
        Action::PageDown,
        &["ctrl-d", "pagedown", "space"],
        "page down",
    ),
    (
        Context::List,
        Action::PageUp,
        &["ctrl-u", "pageup"],
        "page up",
    ),
    (Context::List, Action::Top, &["g", "home"], "first row"),
    (Context::List, Action::Bottom, &["G", "end"], "last row"),
    (
        Context::List,
        Action::Left,
        &["h", "left"],
        "previous pane or stage",
    ),
    (
        Context::List,
        Action::Right,
        &["l", "right"],
        "next pane or stage",
    ),
    (
        Context::List,
        Action::Open,
        &["enter"],
        "open the account 360",
    ),
    (
        Context::List,
        Action::Yank,
        &["y"],
        "copy the selected row's id (clipboard, OSC 52)",
    ),
    (
        Context::List,
        Action::YankRow,
        &["Y"],
        "copy the selected row, every column, as JSON",
    ),
    (
        Context::List,
        Action::ExportCsv,
        &["E"],
        "export the list as shown to a CSV file",
    ),
    (
        Context::List,
        Action::ExportJson,
        &["J"],
        "export the list as shown to a JSON file",
    ),
    (
        Context::Customers,
        Action::Filter,
        &["/"],
        "filter by name as you type",
    ),
    (
        Context::Customers,
        Action::SortNext,
        &["s", ">"],
        "sort by the next column",
    ),
    (
        Context::Customers,
        Action::SortPrev,
        &["<"],
        "sort by the previous column",
    ),
    (
        Context::Customers,
        Action::SortReverse,
        &["S", "r"],
        "reverse the sort",
    ),
    (
        Context::Customers,
        Action::Edit,
        &["e"],
        "edit the account: stage, ARR, CSM, renewal",
    ),
    (
        Context::Customers,
        Action::New,
        &["n"],
        "log a call with this customer",
    ),
    (
        Context::Customers,
        Action::LogMeeting,
        &["m"],
        "log a meeting with this customer",
    ),
    (
        Context::Filter,
        Action::FilterAccept,
        &["enter"],
        "keep the filter, back to the list",
    ),
    (
        Context::Filter,
        Action::Back,
        &["esc"],
        "clear the filter, back to the list",
    ),
    (
        Context::Filter,
        Action::FilterDelete,
        &["backspace"],
        "delete a character",
    ),
    (
        Context::Filter,
        Action::FilterClear,
        &["ctrl-u"],
        "clear the filter text",
    ),
    (
        Context::Search,
        Action::Open,
        &["enter"],
        "open: the 360, the call, the thread, the article",
    ),
    (
        Context::Search,
        Action::PickNext,
        &["down", "ctrl-n"],
        "next result",
    ),
    (
        Context::Search,
        Action::PickPrev,
        &["up", "ctrl-p"],
        "previous result",
    ),
    (
        Context::Search,
        Action::PageDown,
        &["pagedown"],
        "five results down",
    ),
    (
        Context::Search,
        Action::PageUp,
        &["pageup"],
        "five results up",
    ),
    (
        Context::Search,
        Action::FilterDelete,
        &["backspace"],
        "delete a character",
    ),
    (
        Context::Search,
        Action::FilterClear,
        &["ctrl-u"],
        "clear the search",
    ),
    (Context::Search, Action::Back, &["esc"], "close the search"),
    (
        Context::SearchArticle,
        Action::Down,
        &["j", "down"],
        "scroll down",
    ),
    (
        Context::SearchArticle,
        Action::Up,
        &["k", "up"],
        "scroll up",
    ),
    (
        Context::SearchArticle,
        Action::PageDown,
        &["space", "pagedown"],
        "page down",
    ),
    (
        Context::SearchArticle,
        Action::PageUp,
        &["pageup"],
        "page up",
    ),
    (
        Context::SearchArticle,
        Action::Back,
        &["esc"],
        "back to the results",
    ),
    (
        Context::Account,
        Action::Edit,
        &["e"],
        "edit: account, stakeholders, insights, deals",
    ),
    (Context::Account, Action::New, &["n"], "log a call"),
    (
        Context::Account,
        Action::LogMeeting,
        &["m"],
        "log a meeting",
    ),
    (
        Context::Health,
        Action::ToggleView,
        &["v"],
        "customer view / portfolio view",
    ),
    (
        Context::Deals,
        Action::Edit,
        &["e"],
        "edit the deal: stage, a note, action status",
    ),
    (
        Context::Calls,
        Action::CallsType,
        &["t"],
        "filter by type (cycles)",
    ),
    (
        Context::Calls,
        Action::CallsStatus,
        &["s"],
        "filter by status (cycles)",
    ),
    (
        Context::Calls,
        Action::CallsOutcome,
        &["o"],
        "filter by outcome (cycles)",
    ),
    (
        Context::Calls,
        Action::CallsOwner,
        &["w"],
        "filter by who logged it (cycles)",
    ),
    (
        Context::Calls,
        Action::CallsRange,
        &["p"],
        "period: all, last 7, 30, 90 days",
    ),
    (
        Context::Calls,
        Action::ClearFilters,
        &["c"],
        "clear the call filters",
    ),
    (
        Context::Calls,
        Action::Open,
        &["enter"],
        "read the call: every field, the whole notes",
    ),
    (Context::Calls, Action::New, &["n"], "log a new call"),
    (
        Context::Calls,
        Action::Edit,
        &["e"],
        "edit the selected call",
    ),
    (
        Context::Calls,
        Action::Delete,
        &["d"],
        "delete the selected call (asks first)",
    ),
    (
        Context::Queue,
        Action::Complete,
        &["x"],
        "done: complete the selected task or action",
    ),
    (
        Context::Queue,
        Action::Snooze,
        &["z"],
        "snooze the selected item until tomorrow",
    ),
    (
        Context::Queue,
        Action::SnoozeWeek,
        &["Z"],
        "snooze the selected item for a week",
    ),
    (
        Context::Queue,
        Action::Reassign,
        &["o"],
        "give the selected item to someone else",
    ),
    (
        Context::Queue,
        Action::AddTask,
        &["a"],
        "add a task on the selected customer",
    ),
    (
        Context::Queue,
        Action::ToggleView,
        &["v"],
        "due: today / this week / the next 30 days",
    ),
    (Context::Queue, Action::Open, &["enter"], "open the account"),
    (
        Context::Queue,
        Action::New,
        &["n"],
        "log a call with the selected customer",
    ),
    (
        Context::Journeys,
        Action::Open,
        &["enter"],
        "open the account whose journey is shown",
    ),
    (
        Context::Browse,
        Action::Tables,
        &["t"],
        "choose the table to browse",
    ),
    (
        Context::Browse,
        Action::Open,
        &["enter"],
        "open the row; on a reference, follow it",
    ),
    (
        Context::Browse,
        Action::Left,
        &["h", "left"],
        "previous column",
    ),
    (
        Context::Browse,
        Action::Right,
        &["l", "right"],
        "next column",
    ),
    (
        Context::Browse,
        Action::Filter,
        &["/"],
        "filter: the column under the cursor contains",
    ),
    (
        Context::Browse,
        Action::FilterEquals,
        &["="],
        "filter: the column under the cursor equals",
    ),
    (
        Context::Browse,
        Action::SortNext,
        &["s", ">"],
        "sort by the next indexed column",
    ),
    (
        Context::Browse,
        Action::SortPrev,
        &["<"],
        "sort by the previous indexed column",
    ),
    (
        Context::Browse,
        Action::SortReverse,
        &["S", "r"],
        "reverse the sort",
    ),
    (
        Context::Browse,
        Action::Edit,
        &["e"],
        "edit the row in its form (calls, customers, deals...)",
    ),
    (Context::Browse, Action::Back, &["esc"], "clear the filter"),
    (
        Context::BrowseRow,
        Action::Open,
        &["enter"],
        "follow the reference under the cursor",
    ),
    (
        Context::BrowseRow,
        Action::Edit,
        &["e"],
        "edit the row in its form (calls, customers, deals...)",
    ),
    (
        Context::BrowseRow,
        Action::Back,
        &["esc"],
        "back where the reference was followed from, else the table",
    ),
    (
        Context::BrowseTables,
        Action::PickNext,
        &["down", "ctrl-n"],
        "next table",
    ),
    (
        Context::BrowseTables,
        Action::PickPrev,
        &["up", "ctrl-p"],
        "previous table",
    ),
    (
        Context::BrowseTables,
        Action::PickChoose,
        &["enter"],
        "browse the table",
    ),
    (
        Context::BrowseTables,
        Action::TextBackspace,
        &["backspace"],
        "delete a character of the name",
    ),
    (
        Context::BrowseTables,
        Action::Cancel,
        &["esc"],
        "close the list",
    ),
    (
        Context::BrowseTables,
        Action::NextTab,
        &["tab"],
        "next tab (the list stays for your return)",
    ),
    (
        Context::BrowseTables,
        Action::PrevTab,
        &["shift-tab"],
        "previous tab",
    ),
    (
        Context::Sessions,
        Action::ToggleView,
        &["v"],
        "all sessions / this customer's",
    ),
    (
        Context::Approvals,
        Action::Approve,
        &["a"],
        "approve (the marked ones, else the selected)",
    ),
    (
        Context::Approvals,
        Action::Reject,
        &["r"],
        "reject with a comment (marked, else selected)",
    ),
    (
        Context::Approvals,
        Action::Mark,
        &["space"],
        "mark or unmark for a bulk decision",
    ),
    (Context::Form, Action::FormNext, &["tab"], "next field"),
    (
        Context::Form,
        Action::FormPrev,
        &["shift-tab"],
        "previous field",
    ),
    (Context::Form, Action::Save, &["ctrl-s"], "save"),
    (
        Context::Form,
        Action::Cancel,
        &["esc", "ctrl-c"],
        "close (asks before discarding changes)",
    ),
    (
        Context::FormText,
        Action::TextLeft,
        &["left"],
        "cursor left",
    ),
    (
        Context::FormText,
        Action::TextRight,
        &["right"],
        "cursor right",
    ),
    (
        Context::FormText,
        Action::TextHome,
        &["home", "ctrl-a"],
        "start of the line",
    ),
    (
        Context::FormText,
        Action::TextEnd,
        &["end", "ctrl-e"],
        "end of the line",
    ),
    (
        Context::FormText,
        Action::TextBackspace,
        &["backspace"],
        "delete before the cursor",
    ),
    (
        Context::FormText,
        Action::TextDelete,
        &["delete"],
        "delete at the cursor",
    ),
    (
        Context::FormText,
        Action::TextEnter,
        &["enter"],
        "next field (a new line in notes)",
    ),
    (
        Context::FormText,
        Action::TextClear,
        &["ctrl-u"],
        "clear the field",
    ),
    (
        Context::FormChoice,
        Action::CycleNext,
        &["right", "space"],
        "next choice",
    ),
    (
        Context::FormChoice,
        Action::CyclePrev,
        &["left"],
        "previous choice",
    ),
    (
        Context::FormChoice,
        Action::Pick,
        &["enter"],
        "choose from the list",
    ),
    (
        Context::FormChoice,
        Action::ClearValue,
        &["backspace", "delete"],
        "no value (where allowed)",
    ),
    (
        Context::FormReference,
        Action::Pick,
        &["enter", "space"],
        "choose (or just start typing)",
    ),
    (
        Context::FormReference,
        Action::AddNew,
        &["+"],
        "add a new one (loss reasons)",
    ),
    (
        Context::FormReference,
        Action::ClearValue,
        &["backspace", "delete"],
        "clear",
    ),
    (
        Context::Picker,
        Action::PickNext,
        &["down", "ctrl-n"],
        "next match",
    ),
    (
        Context::Picker,
        Action::PickPrev,
        &["up", "ctrl-p"],
        "previous match",
    ),
    (Context::Picker, Action::PickChoose, &["enter"], "choose"),
    (
        Context::Picker,
        Action::TextBackspace,
        &["backspace"],
        "delete a character of the search",
    ),
    (Context::Picker, Action::Cancel, &["esc"], "close the list"),
    (Context::Confirm, Action::Yes, &["y"], "yes"),
    (Context::Confirm, Action::No, &["n", "esc"], "no, back"),
    (
        Context::Confirm,
        Action::Reload,
        &["r"],
        "a conflict: reload what is stored (drops your edits)",
    ),
    (
        Context::Confirm,
        Action::Overwrite,
        &["o"],
        "a conflict: save yours over theirs",
    ),
];

/// A key with its modifiers, as written in the config file: `j`, `G`, `ctrl-d`, `shift-tab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// The key of a terminal event, normalised: shift is part of an uppercase letter or a
    /// symbol, not a separate modifier (terminals disagree on reporting it).
    pub fn from_event(e: &KeyEvent) -> Key {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            other => other,
        };
        Key { code, mods }
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break; // "ctrl-" alone: fall through to the error below
            }
            mods |= m;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("cannot read key \"{text}\"")),
            },
        };
        if let KeyCode::Char(c) = code {
            // shift-a is A; the terminal reports the uppercase letter
            if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_alphabetic() {
                mods.remove(KeyModifiers::SHIFT);
                return Ok(Key {
                    code: KeyCode::Char(c.to_ascii_uppercase()),
                    mods,
                });
            }
        }
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The status line's hints: for the context that has the keyboard (the first of the app's
/// contexts), the actions worth a reminder, in order, each with a word or two. Keys come
/// from the keymap, so a rebound key shows as bound; a test checks every hint's action is
/// bound where the hint is shown. `Undo` is shown only when there is something to undo,
/// `AddNew` only on a field that can add.
pub const HINTS: &[(Context, &[(Action, &str)])] = &[
    (
        Context::Customers,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::NextTab, "next tab"),
            (Action::Filter, "filter"),
            (Action::SortNext, "sort"),
            (Action::Open, "open"),
            (Action::Edit, "edit"),
            (Action::New, "log call"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Health,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::NextTab, "next tab"),
            (Action::ToggleView, "portfolio/customer"),
            (Action::Open, "open"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Deals,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::NextTab, "next tab"),
            (Action::Right, "next stage"),
            (Action::Open, "open account"),
            (Action::Edit, "edit"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Calls,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::NextTab, "next tab"),
            (Action::New, "new"),
            (Action::Edit, "edit"),
            (Action::Delete, "delete"),
            (Action::CallsType, "type"),
            (Action::CallsOutcome, "outcome"),
            (Action::CallsRange, "period"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Sessions,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::NextTab, "next tab"),
            (Action::Right, "next pane"),
            (Action::ToggleView, "this customer"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Queue,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::Right, "next pane"),
            (Action::ToggleView, "week"),
            (Action::Complete, "done"),
            (Action::Snooze, "snooze"),
            (Action::Reassign, "give to"),
            (Action::AddTask, "add task"),
            (Action::Open, "open"),
            (Action::New, "log call"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Journeys,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::NextTab, "next tab"),
            (Action::Down, "variants"),
            (Action::Open, "open account"),
            (Action::Refresh, "read again"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Browse,
        &[
            (Action::Help, "help"),
            (Action::Search, "search"),
            (Action::Palette, "commands"),
            (Action::Tables, "table"),
            (Action::Open, "open"),
            (Action::Right, "column"),
            (Action::Filter, "contains"),
            (Action::FilterEquals, "equals"),
            (Action::SortNext, "sort"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::BrowseRow,
        &[
            (Action::Back, "back"),
            (Action::Down, "next field"),
            (Action::Open, "follow reference"),
            (Action::Help, "help"),
        ],
    ),
    (
        Context::BrowseTables,
        &[
            (Action::PickChoose, "browse"),
            (Action::PickNext, "next"),
            (Action::Cancel, "close"),
        ],
    ),
    (
        Context::Approvals,
        &[
            (Action::Help, "help"),
            (Action::NextTab, "next tab"),
            (Action::Right, "next pane"),
            (Action::Approve, "approve"),
            (Action::Reject, "reject"),
            (Action::Mark, "mark"),
            (Action::Undo, "undo"),
            (Action::Quit, "quit"),
        ],
    ),
    (
        Context::Account,
        &[
            (Action::Back, "back"),
            (Action::Edit, "edit"),
            (Action::New, "log call"),
            (Action::LogMeeting, "log meeting"),
            (Action::Down, "scroll"),
            (Action::Help, "help"),
        ],
    ),
    (
        Context::Filter,
        &[
            (Action::FilterAccept, "keep filter"),
            (Action::Back, "clear filter"),
        ],
    ),
    (
        Context::Search,
        &[
            (Action::Open, "open"),
            (Action::PickNext, "next"),
            (Action::FilterClear, "clear"),
            (Action::Back, "close"),
        ],
    ),
    (
        Context::SearchArticle,
        &[
            (Action::Back, "back to the results"),
            (Action::Down, "scroll"),
        ],
    ),
    (
        Context::FormText,
        &[
            (Action::Save, "save"),
            (Action::FormNext, "next field"),
            (Action::FormPrev, "previous"),
            (Action::Cancel, "cancel"),
        ],
    ),
    (
        Context::FormChoice,
        &[
            (Action::Save, "save"),
            (Action::FormNext, "next field"),
            (Action::FormPrev, "previous"),
            (Action::CycleNext, "change"),
            (Action::Pick, "list"),
            (Action::Cancel, "cancel"),
        ],
    ),
    (
        Context::FormReference,
        &[
            (Action::Save, "save"),
            (Action::FormNext, "next field"),
            (Action::FormPrev, "previous"),
            (Action::Pick, "choose"),
            (Action::AddNew, "new"),
            (Action::Cancel, "cancel"),
        ],
    ),
    (
        Context::Picker,
        &[
            (Action::PickChoose, "choose"),
            (Action::PickNext, "next"),
            (Action::Cancel, "close"),
        ],
    ),
];

/// The hints of the first of `contexts` that has any.
pub fn hints(contexts: &[Context]) -> &'static [(Action, &'static str)] {
    contexts
        .iter()
        .find_map(|c| HINTS.iter().find(|(hc, _)| hc == c).map(|(_, h)| *h))
        .unwrap_or(&[])
}

/// The contexts whose bindings also count where `context` has the keyboard.
#[cfg(test)]
fn enclosing(context: Context) -> &'static [Context] {
    match context {
        Context::FormText | Context::FormChoice | Context::FormReference => &[Context::Form],
        Context::Filter
        | Context::Search
        | Context::SearchArticle
        | Context::Picker
        | Context::BrowseTables
        | Context::Confirm
        | Context::Form => &[],
        Context::Approvals => &[Context::Sessions, Context::List, Context::Global],
        _ => &[Context::List, Context::Global],
    }
}

/// Keys → actions, per context: the defaults with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<(Context, Key), Action>,
    /// The help's rows: context, action, keys, description.
    rows: Vec<(Context, Action, Vec<Key>, &'static str)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::with_overrides(&HashMap::new()).unwrap_or_else(|_| Keymap {
            bindings: HashMap::new(),
            rows: Vec::new(),
        })
    }
}

impl Keymap {
    /// The defaults, with the keys of each action named in `overrides` replaced.
    /// `overrides` maps action names to key texts; an unknown action or an unreadable key is
    /// an error that names it.
    pub fn with_overrides(overrides: &HashMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut parsed: HashMap<Action, Vec<Key>> = HashMap::new();
        for (name, keys) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                format!("[keys] {name}: no such action (one of: {})", action_names())
            })?;
            let keys = keys
                .iter()
                .map(|k| Key::parse(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            // with no quit key the dashboard could only be left by killing it
            if action == Action::Quit && keys.is_empty() {
                return Err(format!(
                    "[keys] {name}: needs at least one key (there would be no way out of the \
                     dashboard)"
                ));
            }
            parsed.insert(action, keys);
        }
        let mut bindings = HashMap::new();
        let mut rows = Vec::new();
        for &(context, action, defaults, help) in DEFAULTS {
            let keys = match parsed.get(&action) {
                Some(keys) => keys.clone(),
                None => defaults
                    .iter()
                    .map(|k| Key::parse(k).map_err(|e| format!("built-in key: {e}")))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            for key in &keys {
                bindings.entry((context, *key)).or_insert(action);
            }
            rows.push((context, action, keys, help));
        }
        Ok(Keymap { bindings, rows })
    }

    /// The action `event` means in the first of `contexts` that binds it.
    pub fn resolve(&self, event: &KeyEvent, contexts: &[Context]) -> Option<Action> {
        let key = Key::from_event(event);
        contexts
            .iter()
            .find_map(|c| self.bindings.get(&(*c, key)).copied())
    }

    /// The help: every binding, in table order.
    pub fn help_rows(&self) -> &[(Context, Action, Vec<Key>, &'static str)] {
        &self.rows
    }

    /// The keys bound to `action` (for hints such as "/ filter").
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.rows
            .iter()
            .filter(|(_, a, _, _)| *a == action)
            .flat_map(|(_, _, k, _)| k.iter().copied())
            .collect()
    }
}

/// What docs/data-entry.md lists: every binding of these contexts...
pub const DATA_ENTRY: &[Context] = &[
    Context::Deals,
    Context::Account,
    Context::Approvals,
    Context::Form,
    Context::FormText,
    Context::FormChoice,
    Context::FormReference,
    Context::Picker,
    Context::Confirm,
];

/// ...and of these actions wherever they are bound.
pub const DATA_ENTRY_ACTIONS: &[Action] = &[
    Action::Undo,
    Action::New,
    Action::Edit,
    Action::Delete,
    Action::LogMeeting,
];

impl Keymap {
    /// The bindings of `contexts` and of `actions` as a Markdown table, for the docs:
    /// generated from the same table as the `?` help, and a test keeps the docs equal to it.
    pub fn markdown(&self, contexts: &[Context], actions: &[Action]) -> String {
        self.markdown_where(|context, action| {
            contexts.contains(&context) || actions.contains(&action)
        })
    }

    /// Every binding as a Markdown table (where | keys | action), in the help's order and
    /// grouped as the help groups them.
    pub fn markdown_all(&self) -> String {
        self.markdown_where(|_, _| true)
    }

    fn markdown_where(&self, keep: impl Fn(Context, Action) -> bool) -> String {
        let mut out = String::from("| where | keys | action |\n|---|---|---|\n");
        for (context, action, keys, help) in &self.rows {
            if !keep(*context, *action) {
                continue;
            }
            let keys: Vec<String> = keys
                .iter()
                .map(|k| format!("`{}`", k.to_string().replace('|', "\\|")))
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                context.title(),
                keys.join(" "),
                help
            ));
        }
        out
    }
}

/// The default keymap as a Markdown table: what docs/dashboard.md shows between
/// `<!-- keys:start -->` and `<!-- keys:end -->` (tests/keys_docs.rs keeps them equal).
pub fn default_markdown() -> String {
    Keymap::default().markdown_all()
}

fn action_names() -> String {
    Action::NAMED
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_hint_is_bound_where_it_is_shown() {
        for (context, hints) in HINTS {
            for (action, what) in *hints {
                let bound = std::iter::once(context)
                    .chain(enclosing(*context))
                    .any(|c| DEFAULTS.iter().any(|(dc, a, _, _)| dc == c && a == action));
                assert!(
                    bound,
                    "{context:?}: hint {what:?} ({action:?}) has no key there"
                );
            }
        }
    }

    #[test]
    fn hints_come_from_the_first_context_that_has_them() {
        let first = |h: &[(Action, &str)]| h.first().map(|(a, _)| *a);
        assert_eq!(
            first(hints(&[Context::Approvals, Context::Sessions])),
            Some(Action::Help)
        );
        assert_eq!(hints(&[Context::Approvals])[3].0, Action::Approve);
        assert_eq!(first(hints(&[Context::Filter])), Some(Action::FilterAccept));
        assert!(hints(&[Context::Confirm]).is_empty());
    }

    use super::*;

    #[test]
    fn key_texts_round_trip() {
        for text in [
            "j",
            "G",
            "ctrl-d",
            "shift-tab",
            "enter",
            "esc",
            "pagedown",
            "?",
            "f5",
        ] {
            let key = Key::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                Key::parse(&key.to_string().replace('↓', "down")),
                Ok(key),
                "{text}"
            );
        }
        assert_eq!(Key::parse("shift-g"), Key::parse("G"));
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn the_data_entry_docs_list_every_binding_of_the_keymap() {
        let table = Keymap::default().markdown(DATA_ENTRY, DATA_ENTRY_ACTIONS);
        let docs = include_str!("../../docs/data-entry.md");
        assert!(
            docs.contains(&table),
            "docs/data-entry.md must contain the key table as generated:\n{table}"
        );
    }

    #[test]
    fn each_context_is_one_group_of_the_help() {
        let mut done: Vec<Context> = Vec::new();
        let mut current = None;
        for (context, action, _, _) in DEFAULTS {
            if current != Some(*context) {
                assert!(
                    !done.contains(context),
                    "{action:?} of {context:?} is apart from the other {context:?} rows: \
                     the help would show the heading twice"
                );
                done.push(*context);
                current = Some(*context);
            }
        }
    }

    #[test]
    fn every_default_key_parses_and_no_context_binds_a_key_twice() {
        let map = Keymap::default();
        assert_eq!(map.help_rows().len(), DEFAULTS.len());
        let mut seen = HashMap::new();
        for (context, action, keys, _) in map.help_rows() {
            for key in keys {
                if let Some(other) = seen.insert((*context, *key), *action) {
                    panic!("{key} bound to both {other:?} and {action:?} in {context:?}");
                }
            }
        }
    }
}
