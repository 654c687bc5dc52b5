//! End to end: the real binary in a pseudo-terminal (portable-pty), its output read by a
//! terminal emulator (vt100). Walk the tabs, quit, and find the terminal restored: main screen,
//! cursor shown, mouse reporting off. Also: a panic in the database worker restores the
//! terminal and exits with the message.

mod tui_support;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    raw: Arc<Mutex<Vec<u8>>>,
}

fn start(db: &std::path::Path, env: &[(&str, &str)]) -> Session {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 110,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cscx"));
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    // no user config: the defaults
    cmd.env("XDG_CONFIG_HOME", db.parent().unwrap_or(db));
    cmd.env("HOME", db.parent().unwrap_or(db));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = pty.slave.spawn_command(cmd).expect("spawn cscx");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let writer = pty.master.take_writer().expect("writer");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(30).expect("rows"),
        std::num::NonZeroU16::new(110).expect("cols"),
        0,
    )));
    let raw = Arc::new(Mutex::new(Vec::new()));
    let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
    std::thread::spawn(move || {
        let _master = pty.master; // keep the pty open while reading
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
            r.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    Session {
        parser,
        writer,
        child,
        raw,
    }
}

impl Session {
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no {text:?} on screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // let the reader take the last bytes
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "cscx did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = cscx::store::open(&dir.path().join("book.db")).expect("store");
    tui_support::build(&mut store);
    dir
}

#[test]
fn walks_the_tabs_quits_and_restores_the_terminal() {
    let dir = book();
    let mut s = start(&dir.path().join("book.db"), &[]);
    s.wait_for("1 of 40");
    assert!(
        s.parser.lock().unwrap().screen().alternate_screen(),
        "the dashboard uses the alternate screen"
    );
    s.wait_for("Evil␛[2J");
    s.send("2");
    s.wait_for("KPIs vs reference ranges");
    s.send("3");
    s.wait_for("Pipeline");
    s.send("4");
    s.wait_for("Call log");
    s.send("5");
    s.wait_for("Pending approvals");
    s.send("1");
    s.send("/glob");
    s.wait_for("filter: glob");
    s.send("\r\r");
    s.wait_for("account 360");
    s.send("\x1b");
    s.wait_for("1 of 1");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let parser = s.parser.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "cursor shown again");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting off"
    );
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        !text.contains("\x1b[2J\x1b[H\x07Corp"),
        "the data's escape sequence never reached the terminal"
    );
}

#[test]
fn a_panic_in_the_worker_restores_the_terminal_and_says_why() {
    let dir = book();
    let mut s = start(
        &dir.path().join("book.db"),
        &[("CSCX_DEBUG_PANIC", "worker")],
    );
    let status = s.wait_exit();
    assert!(!status.success());
    let parser = s.parser.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(!parser.screen().hide_cursor());
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("the database worker panics on purpose"),
        "{text}"
    );
}
