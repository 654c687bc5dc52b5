//! The real cscx binary in a pseudo-terminal (portable-pty), its output read by a terminal
//! emulator (vt100), for the end-to-end tests: start it, wait for text on the screen, press
//! keys, wait for it to exit. Every byte it wrote is kept too, to check the escape sequences
//! that restore the terminal.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How long a wait may take before the test fails, showing the screen.
const PATIENCE: Duration = Duration::from_secs(20);

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

/// Starts `cscx --db DB ARGS...` in a terminal of `rows` × `cols`, with `env`, and no user
/// configuration but what the test writes beside the database (XDG_CONFIG_HOME and HOME
/// point there).
pub fn start(db: &Path, args: &[&str], env: &[(&str, &str)], (rows, cols): (u16, u16)) -> Session {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cscx"));
    cmd.arg("--db");
    cmd.arg(db);
    for a in args {
        cmd.arg(a);
    }
    cmd.env("TERM", "xterm-256color");
    let home = db.parent().unwrap_or(db);
    cmd.env("XDG_CONFIG_HOME", home);
    cmd.env("HOME", home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = pty.slave.spawn_command(cmd).expect("spawn cscx");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let writer = pty.master.take_writer().expect("writer");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(rows).expect("rows"),
        std::num::NonZeroU16::new(cols).expect("cols"),
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
        raw,
        writer,
        child,
    }
}

impl Session {
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "no {text:?} on screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Sends keys, then gives the app a moment (a key's answer may need the worker), for keys
    /// whose effect shows no text to wait for.
    pub fn send_and_settle(&mut self, keys: &str) {
        self.send(keys);
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Waits for the process to exit, then lets the reader take its last bytes.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "cscx did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
