//! A question that must be answered before anything happens: delete this call? discard these
//! changes? approve these N? — and after a conflict, reload what is stored or overwrite it.

use crate::tui::action::Action;
use crate::tui::writes::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    DeleteCall {
        id: String,
        label: String,
    },
    /// Close the form on top without saving its changes.
    Discard,
    /// Approve several at once.
    Approve {
        ids: Vec<String>,
    },
    /// The record changed on disk since the form opened; `write` is the save that was refused.
    Conflict {
        write: Box<Write>,
        columns: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub text: String,
    pub question: Question,
}

impl Confirm {
    pub fn new(text: String, question: Question) -> Confirm {
        Confirm { text, question }
    }

    /// The answers this question takes (their keys come from the keymap).
    pub fn choices(&self) -> Vec<(Action, &'static str)> {
        match self.question {
            Question::Conflict { .. } => vec![
                (Action::Reload, "reload theirs (drops your edits)"),
                (Action::Overwrite, "overwrite with yours"),
                (Action::No, "back to the form"),
            ],
            _ => vec![(Action::Yes, "yes"), (Action::No, "no")],
        }
    }
}
