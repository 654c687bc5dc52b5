//! The one vocabulary of the dashboard: keys and mouse become actions, actions change state
//! (`App::update`), state is drawn. Every action a key can trigger has a stable name, used by
//! the config file (`[keys] down = ["j", "down"]`) and the `?` help.

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
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
    /// A character typed into the filter prompt.
    Input(char),
}

impl Action {
    /// Every action a key can be bound to, with its config name. `GoTab` and `Input` carry
    /// data: the tabs have one name each, typed characters have none.
    pub const NAMED: &'static [(&'static str, Action)] = &[
        ("quit", Action::Quit),
        ("back", Action::Back),
        ("help", Action::Help),
        ("next_tab", Action::NextTab),
        ("prev_tab", Action::PrevTab),
        ("tab_customers", Action::GoTab(0)),
        ("tab_health", Action::GoTab(1)),
        ("tab_deals", Action::GoTab(2)),
        ("tab_calls", Action::GoTab(3)),
        ("tab_sessions", Action::GoTab(4)),
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
