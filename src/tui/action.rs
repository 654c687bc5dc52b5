//! The one vocabulary of the dashboard: keys and mouse become actions, actions change state
//! (`App::update`), state is drawn. Every action a key can trigger has a stable name, used by
//! the config file (`[keys] down = ["j", "down"]`) and the `?` help.

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    /// Stop the dashboard and give the terminal back to the shell (ctrl-z; `fg` resumes).
    Suspend,
    /// Close the popup or view on top, clear the filter, or leave the filter prompt.
    Back,
    Help,
    NextTab,
    PrevTab,
    /// 0-based tab index.
    GoTab(usize),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Move between panes (sessions, thread, approvals) or stages (deals).
    Left,
    Right,
    Open,
    Filter,
    /// Search everything (a prompt over every screen).
    Search,
    /// The command palette: every action and every table, fuzzy (`:`).
    Palette,
    /// Copy the selected row's id to the clipboard (OSC 52).
    Yank,
    /// Copy the selected row, every column, as JSON.
    YankRow,
    /// Write the list as shown (filters, order) to a CSV or JSON file.
    ExportCsv,
    ExportJson,
    SortNext,
    SortPrev,
    SortReverse,
    ToggleView,
    Refresh,
    CallsType,
    CallsStatus,
    CallsOutcome,
    CallsOwner,
    CallsRange,
    ClearFilters,
    /// In the filter prompt.
    FilterAccept,
    FilterClear,
    FilterDelete,
    /// A character typed into the filter prompt, a form's text field or a picker's query.
    Input(char),

    // ---- data entry: forms, approvals, undo ----
    /// Log a new call (Calls, Customers, the account 360).
    New,
    /// Edit the selected call, account or deal; the account 360's edit menu.
    Edit,
    /// Delete the selected call (after a confirmation).
    Delete,
    LogMeeting,
    Approve,
    Reject,
    /// Mark or unmark the selected approval for a bulk decision.
    Mark,
    /// Undo this session's last edit.
    Undo,
    /// Do again what the last undo took back.
    Redo,
    /// The work queue: mark the selected item done, put it off (a day, a week), give it to
    /// someone else, add a task.
    Complete,
    Snooze,
    SnoozeWeek,
    Reassign,
    AddTask,
    /// In a form.
    FormNext,
    FormPrev,
    Save,
    Cancel,
    CycleNext,
    CyclePrev,
    /// Open the list of choices of the focused field.
    Pick,
    /// Add a new choice (a loss reason) from the focused field.
    AddNew,
    ClearValue,
    TextLeft,
    TextRight,
    TextHome,
    TextEnd,
    TextBackspace,
    TextDelete,
    /// Next field, or a new line in a multi-line field.
    TextEnter,
    TextClear,
    /// In a picker.
    PickNext,
    PickPrev,
    PickChoose,
    /// The table browser: choose the table to browse; filter the column under the cursor
    /// by an exact value (`Filter` filters by what it contains).
    Tables,
    FilterEquals,
    /// In a confirmation.
    Yes,
    No,
    Reload,
    Overwrite,
}

impl Action {
    /// Every action a key can be bound to, with its config name. `GoTab` and `Input` carry
    /// data: the tabs have one name each, typed characters have none.
    pub const NAMED: &'static [(&'static str, Action)] = &[
        ("quit", Action::Quit),
        ("suspend", Action::Suspend),
        ("back", Action::Back),
        ("help", Action::Help),
        ("next_tab", Action::NextTab),
        ("prev_tab", Action::PrevTab),
        ("tab_customers", Action::GoTab(0)),
        ("tab_health", Action::GoTab(1)),
        ("tab_deals", Action::GoTab(2)),
        ("tab_calls", Action::GoTab(3)),
        ("tab_sessions", Action::GoTab(4)),
        ("tab_today", Action::GoTab(5)),
        ("tab_tables", Action::GoTab(6)),
        ("tab_journeys", Action::GoTab(7)),
        ("up", Action::Up),
        ("down", Action::Down),
        ("page_up", Action::PageUp),
        ("page_down", Action::PageDown),
        ("top", Action::Top),
        ("bottom", Action::Bottom),
        ("left", Action::Left),
        ("right", Action::Right),
        ("open", Action::Open),
        ("filter", Action::Filter),
        ("search", Action::Search),
        ("palette", Action::Palette),
        ("yank", Action::Yank),
        ("yank_row", Action::YankRow),
        ("export_csv", Action::ExportCsv),
        ("export_json", Action::ExportJson),
        ("sort_next", Action::SortNext),
        ("sort_prev", Action::SortPrev),
        ("sort_reverse", Action::SortReverse),
        ("toggle_view", Action::ToggleView),
        ("refresh", Action::Refresh),
        ("calls_type", Action::CallsType),
        ("calls_status", Action::CallsStatus),
        ("calls_outcome", Action::CallsOutcome),
        ("calls_owner", Action::CallsOwner),
        ("calls_range", Action::CallsRange),
        ("clear_filters", Action::ClearFilters),
        ("filter_accept", Action::FilterAccept),
        ("filter_clear", Action::FilterClear),
        ("filter_delete", Action::FilterDelete),
        ("new", Action::New),
        ("edit", Action::Edit),
        ("delete", Action::Delete),
        ("log_meeting", Action::LogMeeting),
        ("approve", Action::Approve),
        ("reject", Action::Reject),
        ("mark", Action::Mark),
        ("undo", Action::Undo),
        ("redo", Action::Redo),
        ("complete", Action::Complete),
        ("snooze", Action::Snooze),
        ("snooze_week", Action::SnoozeWeek),
        ("reassign", Action::Reassign),
        ("add_task", Action::AddTask),
        ("form_next", Action::FormNext),
        ("form_prev", Action::FormPrev),
        ("save", Action::Save),
        ("cancel", Action::Cancel),
        ("cycle_next", Action::CycleNext),
        ("cycle_prev", Action::CyclePrev),
        ("pick", Action::Pick),
        ("add_new", Action::AddNew),
        ("clear_value", Action::ClearValue),
        ("text_left", Action::TextLeft),
        ("text_right", Action::TextRight),
        ("text_home", Action::TextHome),
        ("text_end", Action::TextEnd),
        ("text_backspace", Action::TextBackspace),
        ("text_delete", Action::TextDelete),
        ("text_enter", Action::TextEnter),
        ("text_clear", Action::TextClear),
        ("pick_next", Action::PickNext),
        ("pick_prev", Action::PickPrev),
        ("pick_choose", Action::PickChoose),
        ("tables", Action::Tables),
        ("filter_equals", Action::FilterEquals),
        ("yes", Action::Yes),
        ("no", Action::No),
        ("reload", Action::Reload),
        ("overwrite", Action::Overwrite),
    ];

    pub fn from_name(name: &str) -> Option<Action> {
        Action::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| *a)
    }

    pub fn name(self) -> &'static str {
        Action::NAMED
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("input", |(n, _)| n)
    }
}
