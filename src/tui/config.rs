//! The user's configuration file (`crate::paths::config_path()`, e.g.
//! `~/.config/cscx/config.toml`):
//!
//! ```toml
//! theme = "light"            # or "dark"
//! user = "dana@acme.test"    # the acting user
//! [keys]
//! down = ["j", "down", "ctrl-n"]
//! quit = ["q"]
//! ```
//!
//! A missing file is the defaults. Anything the file says that cscx does not understand is an
//! error naming the key, not a silent default.

use std::collections::HashMap;
use std::path::Path;

use super::keymap::Keymap;

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub light: Option<bool>,
    pub user: Option<String>,
    pub keymap: Keymap,
}

/// Reads the config at `path`; Ok(defaults) if there is no file.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn parse(text: &str) -> Result<Config, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut config = Config::default();
    let mut overrides: HashMap<String, Vec<String>> = HashMap::new();
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("theme", toml::Value::String(s)) => {
                config.light = Some(match s.as_str() {
                    "light" => true,
                    "dark" => false,
                    other => {
                        return Err(format!("theme: \"{other}\" is not \"dark\" or \"light\""));
                    }
                })
            }
            ("theme", _) => return Err("theme: must be \"dark\" or \"light\"".into()),
            ("user", toml::Value::String(s)) => config.user = Some(s.clone()),
            ("user", _) => return Err("user: must be an email, in quotes".into()),
            ("keys", toml::Value::Table(keys)) => {
                for (action, value) in keys {
                    let list = match value {
                        toml::Value::String(s) => vec![s.clone()],
                        toml::Value::Array(items) => items
                            .iter()
                            .map(|v| {
                                v.as_str().map(str::to_owned).ok_or_else(|| {
                                    format!("[keys] {action}: every key must be a string")
                                })
                            })
                            .collect::<Result<_, _>>()?,
                        _ => {
                            return Err(format!(
                                "[keys] {action}: must be a key or a list of keys"
                            ));
                        }
                    };
                    overrides.insert(action.clone(), list);
                }
            }
            ("keys", _) => return Err("keys: must be a table, [keys]".into()),
            (other, _) => {
                return Err(format!(
                    "{other}: unknown setting (known: theme, user, [keys])"
                ));
            }
        }
    }
    config.keymap = Keymap::with_overrides(&overrides)?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::tui::action::Action;
    use crate::tui::keymap::Context;

    #[test]
    fn overrides_replace_an_actions_keys() {
        let c = parse("theme = \"light\"\n[keys]\ndown = [\"n\", \"ctrl-n\"]\n").unwrap();
        assert_eq!(c.light, Some(true));
        let n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(c.keymap.resolve(&n, &[Context::List]), Some(Action::Down));
        assert_eq!(c.keymap.resolve(&j, &[Context::List]), None);
    }

    #[test]
    fn errors_name_the_key() {
        let e = parse("[keys]\ndwn = [\"j\"]").unwrap_err();
        assert!(e.starts_with("[keys] dwn: no such action"), "{e}");
        let e = parse("[keys]\ndown = [\"ctrl-\"]").unwrap_err();
        assert!(e.contains("[keys] down: cannot read key \"ctrl-\""), "{e}");
        let e = parse("colour = 1").unwrap_err();
        assert!(e.starts_with("colour: unknown setting"), "{e}");
        let e = parse("theme = \"blue\"").unwrap_err();
        assert!(e.starts_with("theme:"), "{e}");
        assert!(parse("theme = ").is_err());
    }

    #[test]
    fn quit_cannot_be_left_without_a_key() {
        let e = parse("[keys]\nquit = []").unwrap_err();
        assert!(e.contains("[keys] quit: needs at least one key"), "{e}");
        assert!(parse("[keys]\nquit = [\"ctrl-q\"]").is_ok());
    }
}
