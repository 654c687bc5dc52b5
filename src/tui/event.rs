//! The event loop: one tokio `select!` over terminal events (crossterm's `EventStream`), a
//! tick, and the database worker's answers. The screen is drawn only when something changed.

use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::UnboundedReceiver;

use super::app::App;
use super::worker::{Response, Worker};

/// Slow enough to cost nothing when idle; it only drives the "loading…" hint.
const TICK: Duration = Duration::from_millis(250);

pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    worker: &Worker,
    results: &mut UnboundedReceiver<Response>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut events = EventStream::new();
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
            event = events.next() => match event {
                Some(Ok(Event::Key(k))) => dirty = app.on_key(k),
                Some(Ok(Event::Mouse(m))) => dirty = app.on_mouse(m),
                Some(Ok(Event::Resize(w, h))) => {
                    app.on_resize(w, h);
                    terminal.autoresize()?;
                    dirty = true;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(anyhow::anyhow!("reading the terminal: {e}")),
                None => return Ok(()),
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
