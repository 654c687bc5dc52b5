//! The event loop: one tokio `select!` over terminal events, a tick, and the database
//! worker's answers. The screen is drawn only when something changed, and only after every
//! event already waiting has been handled: a paste of 5,000 characters (without bracketed
//! paste) is 5,000 key events, and drawing after each one made them take minutes.
//!
//! Terminal events are read by a thread of their own (crossterm's blocking `read`) into a
//! channel. crossterm's `EventStream` could lose its wake-up while a burst of input sat in
//! its buffer: nothing happened, CPU idle, until the next key flushed everything.
//!
//! ctrl-z suspends like any terminal program: the terminal is given back, the process stops
//! (SIGTSTP), and when the shell continues it (`fg`) the terminal is taken again and the
//! whole screen drawn. The terminal's part is behind [`Tty`], so tests can follow it.

use std::time::{Duration, Instant};

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::app::App;
use super::worker::{Response, Worker};

/// Slow enough to cost nothing when idle; it only drives the "loading…" hint.
const TICK: Duration = Duration::from_millis(250);

/// The longest a burst of input is handled before a frame is drawn anyway (so a paste that
/// never ends still shows progress).
const BURST: Duration = Duration::from_millis(100);

/// Starts the thread that reads the terminal; it ends with the process (or a read error,
/// which it passes on).
fn read_terminal() -> UnboundedReceiver<std::io::Result<Event>> {
    let (tx, rx) = unbounded_channel();
    std::thread::Builder::new()
        .name("cscx-input".into())
        .spawn(move || {
            loop {
                let event = crossterm::event::read();
                let failed = event.is_err();
                if tx.send(event).is_err() || failed {
                    return;
                }
            }
        })
        .map(|_| rx)
        .unwrap_or_else(|e| {
            let (tx, rx) = unbounded_channel();
            let _ = tx.send(Err(e));
            rx
        })
}

/// What the event loop asks of the terminal besides drawing, for ctrl-z.
pub trait Tty {
    /// Gives the terminal back as it was: cooked mode, the main screen, the cursor shown.
    fn leave(&mut self) -> std::io::Result<()>;
    /// Stops the process until the shell continues it (SIGTSTP to itself).
    fn stop(&mut self) -> std::io::Result<()>;
    /// Takes the terminal again: raw mode, the alternate screen, bracketed paste, the mouse.
    fn enter(&mut self) -> std::io::Result<()>;
    /// Puts `text` on the clipboard of the terminal (and of the desktop it runs in, over ssh
    /// too): OSC 52, which most terminals and tmux (`set-clipboard on`) understand.
    fn copy(&mut self, text: &str) -> std::io::Result<()>;
    /// Whether the process can be stopped at all (not on Windows).
    fn can_stop(&self) -> bool {
        cfg!(unix)
    }
}

/// If ctrl-z was pressed: leave the terminal, stop, and on return take the terminal again
/// and forget what was on it (the shell drew over it), so that the next frame draws every
/// cell. True if a frame must be drawn.
pub fn suspend_if_asked<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    tty: &mut dyn Tty,
) -> anyhow::Result<bool>
where
    B::Error: Send + Sync + 'static,
{
    if !app.take_suspend() {
        return Ok(false);
    }
    if !tty.can_stop() {
        app.set_status("ctrl-z: this system cannot suspend a program", false);
        return Ok(true);
    }
    tty.leave()?;
    // stopped here until `fg`; if stopping fails, the terminal is still taken back
    let stopped = tty.stop();
    tty.enter()?;
    stopped?;
    // `resize` clears the screen and what ratatui thinks is on it, at the window's size now
    // (it may have changed while stopped). Not `clear`: it asks the terminal where the
    // cursor is, and the answer goes to the input thread's read, not to it.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    app.on_resize(size.width, size.height);
    Ok(true)
}

/// What one terminal event asks for.
enum Outcome {
    Redraw(bool),
    Resized,
}

fn handle(app: &mut App, event: std::io::Result<Event>) -> anyhow::Result<Outcome> {
    Ok(match event {
        Ok(Event::Key(k)) => Outcome::Redraw(app.on_key(k)),
        Ok(Event::Mouse(m)) => Outcome::Redraw(app.on_mouse(m)),
        Ok(Event::Paste(text)) => Outcome::Redraw(app.on_paste(&text)),
        Ok(Event::Resize(w, h)) => {
            app.on_resize(w, h);
            Outcome::Resized
        }
        Ok(_) => Outcome::Redraw(false),
        Err(e) => return Err(anyhow::anyhow!("reading the terminal: {e}")),
    })
}

pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    tty: &mut dyn Tty,
    app: &mut App,
    worker: &Worker,
    results: &mut UnboundedReceiver<Response>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut events = read_terminal();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    loop {
        for req in app.take_requests() {
            worker.submit(req);
        }
        if app.wants_quit() {
            return Ok(());
        }
        dirty |= suspend_if_asked(terminal, app, tty)?;
        for text in app.take_clipboard() {
            if let Err(e) = tty.copy(&text) {
                app.set_status(format!("could not copy to the clipboard: {e}"), true);
                dirty = true;
            }
        }
        if dirty {
            terminal.draw(|f| f.render_widget(&*app, f.area()))?;
            dirty = false;
        }
        tokio::select! {
            event = events.recv() => {
                let Some(first) = event else {
                    return Ok(());
                };
                // this event and every one already waiting, then one frame
                let started = Instant::now();
                let mut next = Some(first);
                while let Some(event) = next.take() {
                    match handle(app, event)? {
                        Outcome::Redraw(d) => dirty |= d,
                        Outcome::Resized => {
                            terminal.autoresize()?;
                            dirty = true;
                        }
                    }
                    if app.quit || app.suspending() || started.elapsed() > BURST {
                        break;
                    }
                    next = events.try_recv().ok();
                }
            },
            answer = results.recv() => match answer {
                Some(r) => {
                    app.apply(r);
                    // answers often come in bursts: take what is already there before drawing
                    while let Ok(r) = results.try_recv() {
                        app.apply(r);
                    }
                    dirty = true;
                }
                None => return Err(anyhow::anyhow!("the database worker stopped")),
            },
            _ = tick.tick() => dirty = app.on_tick(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;

    use super::*;
    use crate::tui::action::Action;
    use crate::tui::app::Options;
    use crate::tui::keymap::{Context, Keymap};
    use crate::tui::theme::{Theme, ThemeKind};

    /// A terminal that writes down what it is asked to do.
    struct Recorder {
        log: Vec<&'static str>,
        can_stop: bool,
    }

    impl Tty for Recorder {
        fn leave(&mut self) -> std::io::Result<()> {
            self.log.push("leave");
            Ok(())
        }
        fn stop(&mut self) -> std::io::Result<()> {
            self.log.push("stop");
            Ok(())
        }
        fn enter(&mut self) -> std::io::Result<()> {
            self.log.push("enter");
            Ok(())
        }
        fn copy(&mut self, _text: &str) -> std::io::Result<()> {
            self.log.push("copy");
            Ok(())
        }
        fn can_stop(&self) -> bool {
            self.can_stop
        }
    }

    fn ctrl_z() -> KeyEvent {
        KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)
    }

    fn app() -> App {
        App::new(
            Theme::new(ThemeKind::Dark),
            Keymap::default(),
            Options::default(),
            Rect::new(0, 0, 80, 24),
        )
    }

    fn text(terminal: &Terminal<TestBackend>) -> String {
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect()
    }

    #[test]
    fn ctrl_z_is_suspend_everywhere() {
        let keymap = Keymap::default();
        assert_eq!(
            keymap.resolve(&ctrl_z(), &[Context::Global]),
            Some(Action::Suspend)
        );
        // typing a filter has the keyboard to itself, but ctrl-z still suspends
        let mut app = app();
        app.on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
        assert_eq!(app.contexts().first(), Some(&Context::Filter));
        assert!(app.on_key(ctrl_z()));
        assert!(app.take_suspend());
        assert!(!app.take_suspend(), "once per press");
    }

    #[test]
    fn suspending_leaves_the_terminal_stops_then_takes_it_back_and_redraws_all() {
        let mut app = app();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        let mut tty = Recorder {
            log: Vec::new(),
            can_stop: true,
        };
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("draw");
        assert!(text(&terminal).contains("Customers"));
        // nothing asked: nothing done
        assert!(!suspend_if_asked(&mut terminal, &mut app, &mut tty).expect("no suspend"));
        assert!(tty.log.is_empty());

        app.on_key(ctrl_z());
        assert!(suspend_if_asked(&mut terminal, &mut app, &mut tty).expect("suspend"));
        assert_eq!(tty.log, ["leave", "stop", "enter"]);
        // the screen is forgotten (the shell drew over it): the next frame draws every cell
        assert!(text(&terminal).trim().is_empty(), "{}", text(&terminal));
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("draw");
        assert!(text(&terminal).contains("Customers"));
        assert!(!app.wants_quit());
    }

    #[test]
    fn where_nothing_can_stop_ctrl_z_says_so_and_keeps_the_terminal() {
        let mut app = app();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        let mut tty = Recorder {
            log: Vec::new(),
            can_stop: false,
        };
        app.on_key(ctrl_z());
        assert!(suspend_if_asked(&mut terminal, &mut app, &mut tty).expect("no-op"));
        assert!(tty.log.is_empty());
        assert!(
            app.status()
                .is_some_and(|s| s.text.contains("cannot suspend"))
        );
    }
}
