//! The dashboard without a terminal: the same `App`, drawn into ratatui's `TestBackend`.
//! Tests run the database jobs inline (deterministic); `cscx bench ui` runs them on the real
//! worker thread and waits for the answers, as the event loop would.

use crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedReceiver;

use super::app::{App, Options};
use super::calls::CallsScreen;
use super::customers::CustomersScreen;
use super::deals::DealsScreen;
use super::health::HealthScreen;
use super::keymap::{Key, Keymap};
use super::sessions::SessionsScreen;
use super::theme::{Theme, ThemeKind};
use super::worker::{self, Kind, Response, Worker};
use crate::store::Store;

enum Exec {
    // boxed: a Store is large next to the threaded variant
    Inline(Box<Store>, bool),
    Threaded(Worker, UnboundedReceiver<Response>),
}

pub struct Headless {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    exec: Exec,
}

impl Headless {
    /// Jobs run inline, in order: every step is deterministic.
    pub fn inline(store: Store, options: Options, width: u16, height: u16) -> Headless {
        // --mine: every read is of the customers assigned to me (the store's reader)
        let mine = options.csm_id.is_some();
        let catalog = store.catalog_arc();
        Headless::with(
            Exec::Inline(Box::new(store), mine),
            options,
            catalog,
            width,
            height,
        )
    }

    /// Jobs run on the worker thread, as in the real dashboard.
    pub fn threaded(
        store: Store,
        options: Options,
        width: u16,
        height: u16,
    ) -> std::io::Result<Headless> {
        let mine = options.csm_id.is_some();
        let catalog = store.catalog_arc();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let worker = Worker::start(store, mine, tx)?;
        Ok(Headless::with(
            Exec::Threaded(worker, rx),
            options,
            catalog,
            width,
            height,
        ))
    }

    fn with(
        exec: Exec,
        options: Options,
        catalog: std::sync::Arc<crate::store::Catalog>,
        width: u16,
        height: u16,
    ) -> Headless {
        let mut app = App::new(
            Theme::new(ThemeKind::Dark),
            Keymap::default(),
            options,
            Rect::new(0, 0, width, height),
        );
        app.set_catalog(catalog);
        let mut h = Headless {
            app,
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {}),
            exec,
        };
        h.settle();
        h.draw();
        h
    }

    /// Runs requests until every one is answered.
    pub fn settle(&mut self) {
        loop {
            let requests = self.app.take_requests();
            match &mut self.exec {
                Exec::Inline(store, mine) => {
                    if requests.is_empty() {
                        return;
                    }
                    for req in requests {
                        let answer = worker::respond(store, *mine, &req);
                        self.app.apply(answer);
                    }
                }
                Exec::Threaded(worker, rx) => {
                    for req in requests {
                        worker.submit(req);
                    }
                    if self.app.is_settled() {
                        return;
                    }
                    match rx.blocking_recv() {
                        Some(r) => self.app.apply(r),
                        None => return,
                    }
                }
            }
        }
    }

    /// Runs requests until no job of `kind` is outstanding; answers of other kinds may still
    /// be on their way (threaded), as they would be when the event loop draws. Inline, every
    /// request is answered, in order.
    pub fn settle_kind(&mut self, kind: impl Into<Kind>) {
        let kind = kind.into();
        loop {
            let Exec::Threaded(worker, rx) = &mut self.exec else {
                return self.settle();
            };
            for req in self.app.take_requests() {
                worker.submit(req);
            }
            if !self.app.is_waiting(kind) {
                return;
            }
            match rx.blocking_recv() {
                Some(r) => self.app.apply(r),
                None => return,
            }
        }
    }

    /// A key press and the first frame in which the answer of `kind` it asked for is shown
    /// (e.g. the filtered rows before their count).
    pub fn press_until(&mut self, key: KeyEvent, kind: impl Into<Kind>) {
        self.app.on_key(key);
        self.settle_kind(kind);
        self.draw();
    }

    /// A tab's state, for tests to read through its accessors (`h.tab::<CallsScreen>()`).
    pub fn tab<T: 'static>(&self) -> &T {
        self.app
            .screen::<T>()
            .unwrap_or_else(|| panic!("no tab is a {}", std::any::type_name::<T>()))
    }

    pub fn customers(&self) -> &CustomersScreen {
        self.tab()
    }

    pub fn health(&self) -> &HealthScreen {
        self.tab()
    }

    pub fn deals(&self) -> &DealsScreen {
        self.tab()
    }

    pub fn calls(&self) -> &CallsScreen {
        self.tab()
    }

    pub fn sessions(&self) -> &SessionsScreen {
        self.tab()
    }

    /// The store jobs run on, when they run inline (tests look at what was written).
    pub fn store(&self) -> Option<&Store> {
        match &self.exec {
            Exec::Inline(store, _) => Some(store),
            Exec::Threaded(..) => None,
        }
    }

    pub fn draw(&mut self) {
        let app = &self.app;
        let _ = self.terminal.draw(|f| f.render_widget(app, f.area()));
    }

    /// A key press, its answers, and the frame after them.
    pub fn press(&mut self, key: KeyEvent) {
        self.app.on_key(key);
        self.settle();
        self.draw();
    }

    /// Presses the keys written as in the config file, e.g. `["j", "ctrl-d", "G"]`.
    pub fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            match Key::parse(k) {
                Ok(key) => self.press(KeyEvent {
                    code: key.code,
                    modifiers: key.mods,
                    kind: KeyEventKind::Press,
                    state: KeyEventState::NONE,
                }),
                Err(e) => panic!("test key {k}: {e}"),
            }
        }
    }

    /// Types text into whatever has the keyboard (e.g. the filter).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyEvent::from(crossterm::event::KeyCode::Char(c)));
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.app.on_resize(width, height);
        self.settle();
        self.draw();
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let buf = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
