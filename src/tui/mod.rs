//! The dashboard (DESIGN.md section 5): a ratatui app over the store.
//!
//! ```text
//! event.rs    tokio select loop: terminal events, a tick, database answers → App
//! app.rs      the frame: routes actions and answers to the screen on top; the overlays
//! screen.rs   what a screen is (`Screen`), what it may ask for (`Cx`, `Effect`)
//! screens.rs  the registry: each screen named once, its jobs nested in the worker's
//! customers/ health/ deals/ calls/ sessions/ queue/ browse/ journeys/   the tabs,
//!             account/ the 360, search/ the search: each its state and update (mod.rs),
//!             its jobs and answers (jobs.rs), its view (view.rs)
//! palette.rs  the command palette's entries and ranking (`:`)
//! commands.rs what the app does itself: run the palette's choice, copy (OSC 52), export
//! worker.rs   the thread that owns the connection; one running + one pending job per kind
//! outbox.rs   requests on their way, and which answer is the latest of its kind
//! keymap.rs   keys → actions, one table, also the ? help and the status line's hints
//! draw.rs     impl Widget for &App: tab bar, the screen, overlays, status line
//! headless.rs the app without a terminal, for tests and `cscx bench ui`
//! overlays.rs keyboard data entry: keys in forms, pickers, questions; undo, conflicts
//! forms/      the form machinery: fields, each form's fields and write, picker, drawing
//! writes.rs   the writes the worker runs for the forms, one `Store::write` each
//! clock.rs    "now" and the time zone for reading `today 14:00` (fixed in tests)
//! ```
//! How to add a screen: docs/dashboard.md, "Adding a screen".

pub mod account;
pub mod action;
pub mod app;
pub mod browse;
pub mod calls;
pub mod clock;
mod commands;
pub mod config;
pub mod customers;
pub mod deals;
mod draw;
pub mod event;
pub mod forms;
pub mod headless;
pub mod health;
pub mod journeys;
pub mod keymap;
pub mod layout;
pub mod outbox;
pub mod overlays;
pub mod paged;
pub mod palette;
pub mod paste;
pub mod queue;
pub mod screen;
pub mod screens;
pub mod scroll;
pub mod search;
pub mod sessions;
pub mod text;
pub mod theme;
pub mod widgets;
pub mod wording;
pub mod worker;
pub mod writes;

use std::io::Write;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;

use crate::store::Store;
use app::{App, Options};
use keymap::Keymap;
use theme::Theme;
use worker::Worker;

/// How the dashboard looks and listens (from the command line and the config file).
#[derive(Debug, Clone, Default)]
pub struct UiOptions {
    pub mine: bool,
    pub mouse: bool,
    pub light: bool,
    pub no_color: bool,
    pub keymap: Keymap,
    /// `user = "EMAIL"` from the config file (the command line's --user wins).
    pub user: Option<String>,
    /// `export_dir` from the config file (None: the current directory).
    pub export_dir: Option<std::path::PathBuf>,
    /// `[aliases]` from the config file.
    pub aliases: std::collections::BTreeMap<String, String>,
}

/// Opens the dashboard on `store` (its actor gives the workspace and, for `--mine`, the CSM)
/// and runs it until the user quits.
pub fn run(mut store: Store, ui: UiOptions) -> anyhow::Result<()> {
    // who am I: --user (or the config's user); else the only user of the database; else
    // nobody, and the dashboard is read-only (it says so when a change is attempted)
    let mut greeting = None;
    if store.actor().user_id.is_none()
        && let Some(only) = store.only_user()?
    {
        let mut actor = store.actor().clone();
        actor.user_id = Some(only);
        store.set_actor(actor);
        greeting = Some("the only user of this database");
    }
    let actor = store.actor().clone();
    if ui.mine && actor.user_id.is_none() {
        anyhow::bail!("--mine needs to know who you are: pass --user EMAIL");
    }
    let catalog = store.catalog_arc();
    config::check_aliases(&ui.aliases, &catalog).map_err(|e| anyhow::anyhow!("config: {e}"))?;
    let options = Options {
        mouse: ui.mouse,
        export_dir: ui.export_dir.clone().unwrap_or_default(),
        aliases: ui.aliases.clone(),
        ..Options::for_store(&store, ui.mine)
    };
    // --mine narrows every tab, not only the customer list: the store scopes every read
    // (the worker reads through `store.reader(mine)`); an actor whose access cannot be
    // read stops here, before the terminal is taken
    store.scope(ui.mine)?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    // the terminal first: the panic hook must be in place before any thread can panic
    let mut terminal = setup(ui.mouse)?;
    let outcome = (|| {
        let worker = Worker::start(store, ui.mine, tx)?;
        let size = terminal.size()?;
        let mut app = App::new(
            Theme::choose(ui.light, ui.no_color),
            ui.keymap.clone(),
            options,
            Rect::new(0, 0, size.width, size.height),
        );
        app.set_catalog(catalog);
        let greeting = match (&app.options().user_name, greeting) {
            (Some(name), Some(why)) => format!("acting as {name} ({why})"),
            (Some(name), None) => format!("acting as {name}"),
            (None, _) => {
                "read-only: start with --user EMAIL to log calls and decide approvals".into()
            }
        };
        app.set_status(greeting, false);
        if std::env::var_os("CSCX_DEBUG_PANIC").is_some_and(|v| v == "ui") {
            panic!("CSCX_DEBUG_PANIC=ui: the dashboard panics on purpose");
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let mut tty = Crossterm { mouse: ui.mouse };
        runtime.block_on(event::run(
            &mut terminal,
            &mut tty,
            &mut app,
            &worker,
            &mut rx,
        ))
    })();
    restore(ui.mouse);
    outcome
}

fn setup(mouse: bool) -> anyhow::Result<Terminal<CrosstermBackend<std::io::Stdout>>> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // whichever thread panics: give the terminal back, say why, and end the process
        // (a restored terminal under a live event loop would be worse than either).
        // Holding stdout's (reentrant) lock keeps other threads from drawing after it.
        let _exclusive = std::io::stdout().lock();
        restore(mouse);
        previous(info);
        std::process::exit(101);
    }));
    take_terminal(mouse)?;
    Ok(Terminal::new(CrosstermBackend::new(std::io::stdout()))?)
}

/// Raw mode, the alternate screen, bracketed paste and (with `mouse`) mouse capture: at
/// start, and again after ctrl-z when the shell continues the dashboard.
fn take_terminal(mouse: bool) -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    let mut out = std::io::stdout();
    // a paste arrives as one event, into the focused field (not as keys that press enter)
    crossterm::execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        crossterm::execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// The real terminal, for ctrl-z.
struct Crossterm {
    mouse: bool,
}

impl event::Tty for Crossterm {
    fn leave(&mut self) -> std::io::Result<()> {
        restore(self.mouse);
        Ok(())
    }

    #[cfg(unix)]
    fn stop(&mut self) -> std::io::Result<()> {
        // the default action of SIGTSTP stops the process (nothing here handles it); in a
        // process group no shell controls (orphaned) the kernel discards it and we go on
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
    }

    #[cfg(not(unix))]
    fn stop(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    fn enter(&mut self) -> std::io::Result<()> {
        take_terminal(self.mouse)
    }

    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        crossterm::execute!(
            std::io::stdout(),
            crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
        )
    }
}

/// Puts the terminal back as it was. Safe to call twice.
fn restore(mouse: bool) {
    let mut out = std::io::stdout();
    if mouse {
        let _ = crossterm::execute!(out, DisableMouseCapture);
    }
    let _ = crossterm::execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = out.flush();
}
