//! Colours and emphasis, in one place. Dark and light palettes; with `NO_COLOR` set (any
//! value, https://no-color.org) a monochrome theme that keeps emphasis (bold, reverse) only.

use ratatui::style::{Color, Modifier, Style};

use crate::health::Band;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeKind {
    Dark,
    Light,
    Mono,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub kind: ThemeKind,
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    pub header: Style,
    pub selected: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub status: Style,
    pub error: Style,
    pub key: Style,
    pub red: Style,
    pub yellow: Style,
    pub green: Style,
    pub accent: Style,
    /// Message roles in a thread.
    pub role_user: Style,
    pub role_agent: Style,
    pub role_system: Style,
    /// Chart series, one per category after the overall line.
    pub series: [Color; 6],
}

impl Theme {
    pub fn new(kind: ThemeKind) -> Theme {
        match kind {
            ThemeKind::Dark => Theme::palette(kind, Color::Gray, Color::DarkGray, Color::Cyan),
            ThemeKind::Light => Theme::palette(kind, Color::Black, Color::Gray, Color::Blue),
            ThemeKind::Mono => Theme::mono(),
        }
    }

    /// The theme for a `--theme`/config choice, unless `NO_COLOR` asks for none.
    pub fn choose(light: bool, no_color: bool) -> Theme {
        Theme::new(match (no_color, light) {
            (true, _) => ThemeKind::Mono,
            (false, true) => ThemeKind::Light,
            (false, false) => ThemeKind::Dark,
        })
    }

    fn palette(kind: ThemeKind, fg: Color, dim: Color, accent: Color) -> Theme {
        let (red, yellow, green) = match kind {
            ThemeKind::Light => (Color::Red, Color::Rgb(160, 110, 0), Color::Rgb(0, 130, 0)),
            _ => (Color::LightRed, Color::Yellow, Color::LightGreen),
        };
        let selected_bg = match kind {
            ThemeKind::Light => Color::Rgb(200, 220, 255),
            _ => Color::Rgb(40, 60, 90),
        };
        Theme {
            kind,
            text: Style::new().fg(fg),
            dim: Style::new().fg(dim),
            title: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            border: Style::new().fg(dim),
            border_focus: Style::new().fg(accent),
            header: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(selected_bg).add_modifier(Modifier::BOLD),
            tab: Style::new().fg(dim),
            tab_active: Style::new()
                .fg(accent)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            status: Style::new().fg(fg),
            error: Style::new().fg(red).add_modifier(Modifier::BOLD),
            key: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            red: Style::new().fg(red),
            yellow: Style::new().fg(yellow),
            green: Style::new().fg(green),
            accent: Style::new().fg(accent),
            role_user: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            role_agent: Style::new().fg(green),
            role_system: Style::new().fg(dim).add_modifier(Modifier::ITALIC),
            series: [fg, Color::Magenta, Color::Cyan, yellow, green, red],
        }
    }

    fn mono() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            kind: ThemeKind::Mono,
            text: plain,
            dim: plain,
            title: bold,
            border: plain,
            border_focus: bold,
            header: bold.add_modifier(Modifier::UNDERLINED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            tab: plain,
            tab_active: Style::new().add_modifier(Modifier::REVERSED),
            status: plain,
            error: bold,
            key: bold,
            red: bold,
            yellow: plain,
            green: plain,
            accent: bold,
            role_user: bold,
            role_agent: plain,
            role_system: Style::new().add_modifier(Modifier::ITALIC),
            series: [Color::Reset; 6],
        }
    }

    pub fn band(&self, band: Option<Band>) -> Style {
        match band {
            Some(Band::Red) => self.red,
            Some(Band::Yellow) => self.yellow,
            Some(Band::Green) => self.green,
            None => self.dim,
        }
    }
}
