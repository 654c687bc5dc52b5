//! The user's configuration file (`crate::paths::config_path()`, e.g.
//! `~/.config/cscx/config.toml`):
//!
//! ```toml
//! theme = "light"            # or "dark"
//! user = "dana@acme.test"    # the acting user
//! export_dir = "~/Downloads" # where E and J write (default: the current directory)
//! [keys]
//! down = ["j", "down", "ctrl-n"]
//! quit = ["q"]
//! [aliases]                  # the command palette's: `:runs` opens the table
//! runs = "playbook_executions"
//! later = "snooze_week"
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
    pub export_dir: Option<std::path::PathBuf>,
    /// alias → a table or an action's name (tables are checked against the schema when the
    /// dashboard opens the database: `check_aliases`).
    pub aliases: std::collections::BTreeMap<String, String>,
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
            ("export_dir", toml::Value::String(s)) => {
                config.export_dir = Some(expand_home(s));
            }
            ("export_dir", _) => return Err("export_dir: must be a directory, in quotes".into()),
            ("aliases", toml::Value::Table(aliases)) => {
                for (alias, target) in aliases {
                    let Some(target) = target.as_str() else {
                        return Err(format!(
                            "[aliases] {alias}: must name a table or an action, in quotes"
                        ));
                    };
                    if alias.trim().is_empty() || alias.contains(char::is_whitespace) {
                        return Err(format!("[aliases] \"{alias}\": an alias is one word"));
                    }
                    config
                        .aliases
                        .insert(alias.to_lowercase(), target.to_owned());
                }
            }
            ("aliases", _) => return Err("aliases: must be a table, [aliases]".into()),
            (other, _) => {
                return Err(format!(
                    "{other}: unknown setting (known: theme, user, export_dir, [keys], [aliases])"
                ));
            }
        }
    }
    config.keymap = Keymap::with_overrides(&overrides)?;
    Ok(config)
}

/// `~/x` is the home directory's `x` (a config file is written by hand).
fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// Each alias names a table of `catalog` or an action: an error names the first that does
/// not.
pub fn check_aliases(
    aliases: &std::collections::BTreeMap<String, String>,
    catalog: &crate::store::Catalog,
) -> Result<(), String> {
    for (alias, target) in aliases {
        if catalog.table(target).is_none() && super::action::Action::from_name(target).is_none() {
            return Err(format!(
                "[aliases] {alias} = \"{target}\": no such table (cscx schema) or action (the ? help)"
            ));
        }
    }
    Ok(())
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
    fn aliases_and_the_export_directory() {
        let c = parse("export_dir = \"/tmp/out\"\n[aliases]\nRuns = \"playbook_executions\"\nlater = \"snooze_week\"\n").unwrap();
        assert_eq!(c.export_dir, Some(std::path::PathBuf::from("/tmp/out")));
        assert_eq!(
            c.aliases.get("runs").map(String::as_str),
            Some("playbook_executions")
        );
        let catalog = crate::store::open_in_memory().unwrap().catalog().clone();
        assert_eq!(check_aliases(&c.aliases, &catalog), Ok(()));
        let bad = parse("[aliases]\nx = \"no_such_table\"\n").unwrap();
        let e = check_aliases(&bad.aliases, &catalog).unwrap_err();
        assert!(
            e.starts_with("[aliases] x = \"no_such_table\": no such table"),
            "{e}"
        );
        let e = parse("[aliases]\nx = 3\n").unwrap_err();
        assert!(e.starts_with("[aliases] x: must name"), "{e}");
        let e = parse("export_dir = 1").unwrap_err();
        assert!(e.starts_with("export_dir: must be"), "{e}");
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
