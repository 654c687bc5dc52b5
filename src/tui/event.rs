//! The event loop: one tokio `select!` over terminal events, a tick, and the database
//! worker's answers. The screen is drawn only when something changed, and only after every
//! event already waiting has been handled: a paste of 5,000 characters (without bracketed
//! paste) is 5,000 key events, and drawing after each one made them take minutes.
//!
//! Terminal events are read by a thread of their own (crossterm's blocking `read`) into a
//! channel. crossterm's `EventStream` could lose its wake-up while a burst of input sat in
//! its buffer: nothing happened, CPU idle, until the next key flushed everything.

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
                    if app.quit || started.elapsed() > BURST {
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
