//! Tables: a browser for every table of the schema. `t` picks a table (fuzzy), the rows are
//! paged by keyset on an index (`s` cycles the indexed sorts, `r` reverses), `/` and `=`
//! filter the column under the cursor (h/l move it), `enter` opens a row — or, on a
//! reference, follows it: a customer opens the account 360, any other row opens in the
//! browser. Read-only except where the write path already has a form (`e` on a call, a
//! customer, a stakeholder, a deal, an insight opens it); every value shown is neutralised,
//! secrets are never read, and the reader's scope decides which rows exist.
//!
//! Other screens (the command palette) open a table with [`BrowseScreen::open_table`],
//! through `Effect::Browse`.

mod jobs;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Position;

pub use jobs::{Answer, Job, Kind, execute};

use crate::store::read::browse::{BrowseRow, Cell, Filter, Op, Query, Shape};
use crate::store::read::pickers::Candidate;
use crate::store::read::view::View as ReadView;
use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::forms::kinds;
use crate::tui::forms::picker::{Picker, Purpose, Source};
use crate::tui::keymap::Context;
use crate::tui::layout::{Layout, table_row_at};
use crate::tui::paged::{Move, Paged};
use crate::tui::screen::{Cx, RowRef, Screen, View, list_move};
use crate::tui::screens;
use crate::tui::worker::Load;

/// One row opened whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub rowid: i64,
    /// None until read (or when the row is not there to see).
    pub values: Option<Vec<Cell>>,
    pub loaded: bool,
    /// The field under the cursor.
    pub field: usize,
}

/// What has the keyboard.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    List,
    /// Choosing the table.
    Tables(Box<Picker>),
    /// Typing a filter on the column under the cursor.
    Typing(Op),
    Row(Detail),
}

pub struct BrowseScreen {
    tables: Vec<String>,
    shape: Option<Shape>,
    query: Query,
    list: Paged<BrowseRow>,
    /// The column under the cursor (an index into the shape's columns).
    column: usize,
    /// Rows matching the query, once counted (by the worker).
    count: Option<i64>,
    mode: Mode,
    /// A table asked for before the shape is read (`open_table`): whether to open the
    /// table picker on arrival is decided by it.
    asked: bool,
    /// Where each followed reference was followed from, newest last: `esc` on the row it led
    /// to goes back there (the table, its filter and sort, the row that was open).
    trail: Vec<Place>,
    /// The place `esc` is going back to, until its table's shape is read.
    returning: Option<Place>,
}

/// A place in the browser to come back to.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub query: Query,
    /// The row that was open, if one was.
    pub rowid: Option<i64>,
}

impl BrowseScreen {
    pub fn new(_options: &Options) -> BrowseScreen {
        BrowseScreen {
            tables: Vec::new(),
            shape: None,
            query: Query::new(""),
            list: Paged::new(),
            column: 0,
            count: None,
            mode: Mode::List,
            asked: false,
            trail: Vec::new(),
            returning: None,
        }
    }

    // ---- what tests and the view read -------------------------------------------------------

    pub fn shape(&self) -> Option<&Shape> {
        self.shape.as_ref()
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn list(&self) -> &Paged<BrowseRow> {
        &self.list
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    pub fn count(&self) -> Option<i64> {
        self.count
    }

    pub fn column(&self) -> usize {
        self.column
    }

    /// Every table the picker offers (once read).
    pub fn tables(&self) -> &[String] {
        &self.tables
    }

    // ---- opening a table --------------------------------------------------------------------

    /// Makes `table` the one browsed (its shape is read, then its first page). The app shows
    /// this screen (`Effect::Browse`); the command palette calls it with `:calls`.
    pub fn open_table(&mut self, table: &str, cx: &mut Cx) {
        self.asked = true;
        self.mode = Mode::List;
        // a table chosen afresh: no way back through references followed before
        self.trail.clear();
        self.returning = None;
        cx.send(Job::Shape {
            table: table.to_owned(),
            open: None,
        });
    }

    fn show_shape(&mut self, shape: Shape, filter: Option<Filter>, cx: &mut Cx) {
        self.column = filter
            .as_ref()
            .and_then(|f| shape.columns.iter().position(|c| c.name == f.column))
            .unwrap_or(0);
        self.query = Query {
            filter,
            ..Query::new(&shape.table)
        };
        self.shape = Some(shape);
        self.list = Paged::new();
        self.list.set_height(view::rows(&cx.layout));
        self.restart(cx);
    }

    fn picker(&self) -> Picker {
        let items = self
            .tables
            .iter()
            .map(|t| Candidate::fixed(t, t, ""))
            .collect();
        // the screen's own picker: only its ranking is used, the purpose is never read
        // (the app's pickers carry theirs to the overlays; this one never reaches them)
        Picker::new(
            "Browse a table".into(),
            Purpose::Field { form: 0, slot: 0 },
            Source::Fixed,
            items,
        )
        .selecting(self.shape.as_ref().map(|s| s.table.as_str()))
    }

    // ---- paging -----------------------------------------------------------------------------

    fn send_page(&mut self, m: Move, cx: &mut Cx) {
        let Some(shape) = &self.shape else { return };
        if let Some((anchor, limit)) = self.list.request(m) {
            cx.send(Job::Page {
                shape: Box::new(shape.clone()),
                query: self.query.clone(),
                anchor,
                limit,
            });
        }
    }

    fn go(&mut self, m: Move, cx: &mut Cx) {
        if self.shape.is_none() {
            return;
        }
        if let Some(m) = self.list.step(m) {
            self.send_page(m, cx);
        }
    }

    /// The first page of a new table, ordering or filter; the count follows on the worker.
    fn restart(&mut self, cx: &mut Cx) {
        self.send_page(Move::Start, cx);
        self.count = None;
        cx.send(Job::Count {
            query: self.query.clone(),
        });
    }

    fn sort(&mut self, action: Action, cx: &mut Cx) {
        let Some(shape) = &self.shape else { return };
        // None (the rowid) first, then each indexed column
        let choices: Vec<Option<String>> = std::iter::once(None)
            .chain(shape.sorts.iter().map(|s| Some(s.column.clone())))
            .collect();
        let n = choices.len();
        let i = choices
            .iter()
            .position(|c| *c == self.query.sort)
            .unwrap_or(0);
        match action {
            Action::SortNext => self.query.sort = choices[(i + 1) % n].clone(),
            Action::SortPrev => self.query.sort = choices[(i + n - 1) % n].clone(),
            _ => self.query.descending = !self.query.descending,
        }
        if action != Action::SortReverse {
            self.query.descending = false;
        }
        self.restart(cx);
    }

    fn filter_text(&mut self) -> &mut String {
        let column = self
            .shape
            .as_ref()
            .and_then(|s| s.columns.get(self.column))
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let op = match self.mode {
            Mode::Typing(op) => op,
            _ => Op::Contains,
        };
        let f = self.query.filter.get_or_insert_with(|| Filter {
            column: column.clone(),
            op,
            text: String::new(),
        });
        if f.column != column || f.op != op {
            *f = Filter {
                column,
                op,
                text: String::new(),
            };
        }
        &mut f.text
    }

    fn typing(&mut self, action: Action, cx: &mut Cx) {
        let before = self.query.filter.clone();
        match action {
            Action::Input(ch) => self.filter_text().push(ch),
            Action::FilterDelete => {
                self.filter_text().pop();
            }
            Action::FilterClear => self.filter_text().clear(),
            Action::FilterAccept => self.mode = Mode::List,
            Action::Back => {
                self.mode = Mode::List;
                self.query.filter = None;
            }
            _ => {}
        }
        if self
            .query
            .filter
            .as_ref()
            .is_some_and(|f| f.text.is_empty())
        {
            self.query.filter = None;
        }
        if self.query.filter != before {
            self.restart(cx);
        }
    }

    // ---- opening rows and following references ----------------------------------------------

    fn open_row(&mut self, rowid: i64, cx: &mut Cx) {
        let Some(shape) = &self.shape else { return };
        self.mode = Mode::Row(Detail {
            rowid,
            values: None,
            loaded: false,
            field: 0,
        });
        cx.send(Job::Row {
            shape: Box::new(shape.clone()),
            rowid,
        });
    }

    /// `enter` on column `column` holding `value`: a reference is followed, else nothing.
    /// True if it was a reference.
    fn follow(&mut self, column: usize, value: &Cell, cx: &mut Cx) -> bool {
        let Some(info) = self.shape.as_ref().and_then(|s| s.columns.get(column)) else {
            return false;
        };
        let Some((parent, parent_column)) = info.reference.clone() else {
            return false;
        };
        let Some(v) = value.link_value() else {
            cx.say(
                format!("{} is empty: it refers to nothing", info.name),
                true,
            );
            return true;
        };
        if parent == "customers" && parent_column == "id" {
            cx.open_account(value.text());
        } else {
            self.trail.push(Place {
                query: self.query.clone(),
                rowid: match &self.mode {
                    Mode::Row(d) => Some(d.rowid),
                    _ => None,
                },
            });
            cx.send(Job::Follow {
                table: parent,
                column: parent_column,
                value: v,
            });
        }
        true
    }

    /// Shows `place` again: its table (its shape read again), its filter and sort, the row
    /// that was open.
    fn go_back(&mut self, place: Place, cx: &mut Cx) {
        self.mode = Mode::List;
        cx.send(Job::Shape {
            table: place.query.table.clone(),
            open: place.rowid,
        });
        self.returning = Some(place);
    }

    /// How many followed references `esc` can go back through.
    pub fn trail(&self) -> &[Place] {
        &self.trail
    }

    /// `e`: the form the write path already has for a row of this table (calls, customers,
    /// stakeholders, deals, insights), filled from the stored record; any other table is
    /// read-only here.
    fn edit(&self, values: &[Cell], cx: &mut Cx) {
        let Some(shape) = &self.shape else { return };
        let value = |name: &str| {
            shape
                .columns
                .iter()
                .position(|c| c.name == name)
                .and_then(|i| values.get(i))
                .map(Cell::text)
                .unwrap_or_default()
        };
        let id = value("id");
        let clock = cx.options.clock;
        match shape.table.as_str() {
            "calls" => cx.edit(|f| kinds::edit_call(f, &clock), Load::Call, id),
            "customers" => cx.edit_account(id, &value("name")),
            "stakeholders" => {
                let customer = value("customer_id");
                cx.edit(
                    |f| kinds::edit_stakeholder(f, customer),
                    Load::Stakeholder,
                    id,
                );
            }
            "deals" => cx.edit(kinds::edit_deal, Load::Deal, id),
            "insights" => cx.edit(kinds::edit_insight, Load::Insight, id),
            other => cx.say(format!("{other} is read-only here: no form edits it"), true),
        }
    }

    fn selected_value(&self) -> Option<Cell> {
        self.list
            .selected_row()
            .and_then(|r| r.values.get(self.column).cloned())
    }

    fn list_update(&mut self, action: Action, cx: &mut Cx) {
        if let Some(m) = list_move(action) {
            return self.go(m, cx);
        }
        let columns = self.shape.as_ref().map_or(0, |s| s.columns.len());
        match action {
            Action::Tables => {
                self.mode = Mode::Tables(Box::new(self.picker()));
                if self.tables.is_empty() {
                    cx.send(Job::Tables);
                }
            }
            Action::Left => self.column = self.column.saturating_sub(1),
            Action::Right => self.column = (self.column + 1).min(columns.saturating_sub(1)),
            Action::Filter | Action::FilterEquals if self.shape.is_some() => {
                let op = if action == Action::Filter {
                    Op::Contains
                } else {
                    Op::Equals
                };
                // the filter shown is kept until a character typed replaces it (another
                // column's or kind's) or adds to it (this column's)
                self.mode = Mode::Typing(op);
            }
            Action::SortNext | Action::SortPrev | Action::SortReverse => self.sort(action, cx),
            Action::Edit => {
                if let Some(row) = self.list.selected_row() {
                    let values = row.values.clone();
                    self.edit(&values, cx);
                }
            }
            Action::Back if self.query.filter.is_some() => {
                self.query.filter = None;
                self.restart(cx);
            }
            Action::Open => {
                let Some(row) = self.list.selected_row() else {
                    return;
                };
                let rowid = row.rowid;
                if let Some(v) = self.selected_value()
                    && self.follow(self.column, &v, cx)
                {
                    return;
                }
                self.open_row(rowid, cx);
            }
            _ => {}
        }
    }

    fn row_update(&mut self, action: Action, cx: &mut Cx) {
        let Mode::Row(d) = &mut self.mode else { return };
        let n = d.values.as_ref().map_or(0, Vec::len);
        match action {
            Action::Back => match self.trail.pop() {
                // a row a reference led to: back where it was followed from
                Some(place) => self.go_back(place, cx),
                None => self.mode = Mode::List,
            },
            Action::Down => d.field = (d.field + 1).min(n.saturating_sub(1)),
            Action::Up => d.field = d.field.saturating_sub(1),
            Action::PageDown => d.field = (d.field + 10).min(n.saturating_sub(1)),
            Action::PageUp => d.field = d.field.saturating_sub(10),
            Action::Top => d.field = 0,
            Action::Bottom => d.field = n.saturating_sub(1),
            Action::Edit => {
                if let Some(values) = d.values.clone() {
                    self.edit(&values, cx);
                }
            }
            Action::Open => {
                let field = d.field;
                let value = d.values.as_ref().and_then(|v| v.get(field).cloned());
                if let Some(v) = value
                    && !self.follow(field, &v, cx)
                {
                    cx.say("not a reference: nothing to follow", false);
                }
            }
            _ => {}
        }
    }

    fn tables_update(&mut self, action: Action, cx: &mut Cx) {
        let Mode::Tables(p) = &mut self.mode else {
            return;
        };
        match action {
            Action::Cancel | Action::Back => self.mode = Mode::List,
            Action::PickChoose => {
                if let Some(c) = p.chosen() {
                    let table = c.id.clone();
                    self.open_table(&table, cx);
                }
            }
            other => {
                p.handle(other);
            }
        }
    }
}

impl Screen for BrowseScreen {
    fn title(&self) -> &'static str {
        "Tables"
    }

    fn contexts(&self) -> Vec<Context> {
        match self.mode {
            Mode::List => vec![Context::Browse],
            Mode::Tables(_) => vec![Context::BrowseTables],
            Mode::Typing(_) => vec![Context::Filter],
            Mode::Row(_) => vec![Context::BrowseRow],
        }
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        match &mut self.mode {
            Mode::Typing(_) => {
                self.filter_text().push_str(text);
                self.restart(cx);
                true
            }
            Mode::Tables(p) => {
                for ch in text.chars() {
                    p.handle(Action::Input(ch));
                }
                true
            }
            _ => false,
        }
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        match self.mode {
            Mode::List => self.list_update(action, cx),
            Mode::Tables(_) => self.tables_update(action, cx),
            Mode::Typing(_) => self.typing(action, cx),
            Mode::Row(_) => self.row_update(action, cx),
        }
    }

    fn apply(&mut self, answer: screens::Answer, cx: &mut Cx) {
        let screens::Answer::Browse(answer) = answer else {
            return;
        };
        match answer {
            Answer::Tables(tables) => {
                self.tables = tables;
                if let Mode::Tables(p) = &self.mode {
                    let fresh = self.picker().with_query(&p.query.text);
                    self.mode = Mode::Tables(Box::new(fresh));
                }
            }
            Answer::Shape { shape, open } => {
                let back = self
                    .returning
                    .take()
                    .filter(|p| p.query.table == shape.table);
                self.show_shape(
                    *shape,
                    back.as_ref().and_then(|p| p.query.filter.clone()),
                    cx,
                );
                if let Some(place) = back
                    && (place.query.sort.is_some() || place.query.descending)
                {
                    self.query = place.query;
                    self.restart(cx);
                }
                if let Some(rowid) = open {
                    self.open_row(rowid, cx);
                }
            }
            Answer::Page(rows) => {
                if let Some(m) = self.list.apply(rows, self.count) {
                    self.send_page(m, cx);
                }
            }
            Answer::Count { query, n } => {
                if query == self.query {
                    self.count = Some(n);
                    self.list.place(n);
                }
            }
            Answer::Row {
                table,
                rowid,
                values,
            } => {
                if let Mode::Row(d) = &mut self.mode
                    && d.rowid == rowid
                    && self.query.table == table
                {
                    d.values = values;
                    d.loaded = true;
                }
            }
            Answer::Followed {
                shape,
                column,
                value,
                rowid,
            } => {
                let table = shape.table.clone();
                let text = match &value {
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(t) => t.clone(),
                    _ => String::new(),
                };
                self.mode = Mode::List;
                self.show_shape(
                    *shape,
                    Some(Filter {
                        column: column.clone(),
                        op: Op::Equals,
                        text: text.clone(),
                    }),
                    cx,
                );
                match rowid {
                    Some(rowid) => self.open_row(rowid, cx),
                    None => cx.say(
                        format!("no row of {table} with {column} = {text} that you may see"),
                        true,
                    ),
                }
            }
        }
    }

    fn fail(&mut self, kind: screens::Kind) {
        match kind {
            screens::Kind::Browse(Kind::Page) => self.list.fail(),
            screens::Kind::Browse(Kind::Row) => {
                if let Mode::Row(d) = &mut self.mode {
                    d.loaded = true;
                }
            }
            _ => {}
        }
    }

    /// The first visit asks for the tables and opens the picker (unless a table was asked
    /// for already).
    fn enter(&mut self, cx: &mut Cx) {
        if self.tables.is_empty() && !cx.is_waiting(Kind::Tables) {
            cx.send(Job::Tables);
        }
        if self.shape.is_none() && !self.asked && self.mode == Mode::List {
            self.mode = Mode::Tables(Box::new(self.picker()));
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        if self.shape.is_some() {
            self.list.set_height(view::rows(&cx.layout));
            self.go(Move::Reload, cx);
            cx.send(Job::Count {
                query: self.query.clone(),
            });
            if let Mode::Row(d) = &self.mode {
                let rowid = d.rowid;
                self.open_row(rowid, cx);
            }
        }
    }

    fn set_height(&mut self, layout: &Layout, cx: &mut Cx) {
        if self.list.set_height(view::rows(layout)) && self.list.loaded {
            self.go(Move::Reload, cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout.body, buf, view);
    }

    fn row_at(&self, layout: &Layout, p: Position) -> Option<usize> {
        (self.mode == Mode::List)
            .then(|| table_row_at(layout.body, p))
            .flatten()
    }

    fn click(&mut self, i: usize, _cx: &mut Cx) {
        self.list.select(i);
    }

    fn open_table(&mut self, table: &str, cx: &mut Cx) -> bool {
        BrowseScreen::open_table(self, table, cx);
        true
    }

    /// The row open, else the row selected: `y` copies its `id` (its rowid where the table
    /// has no `id` column), `Y` reads it whole by its rowid.
    fn selected_row(&self) -> Option<RowRef> {
        let shape = self.shape.as_ref()?;
        let (rowid, values) = match &self.mode {
            Mode::Row(d) => (d.rowid, d.values.as_deref()),
            _ => {
                let row = self.list.selected_row()?;
                (row.rowid, Some(row.values.as_slice()))
            }
        };
        let id = shape
            .columns
            .iter()
            .position(|c| c.name == "id")
            .and_then(|i| values?.get(i))
            .map(Cell::text)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| rowid.to_string());
        Some(RowRef {
            table: shape.table.clone(),
            key: id,
            rowid: Some(rowid),
        })
    }

    /// The table with its filter and sort.
    fn view(&self, _options: &Options) -> Option<ReadView> {
        self.shape.as_ref()?;
        (!self.query.table.is_empty()).then(|| ReadView::Table(self.query.clone()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
