//! One module per tab (and the account 360): its state and how it is drawn.

pub mod account;
pub mod call_view;
pub mod calls;
pub mod customers;
pub mod deals;
pub mod health;
pub mod sessions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Customers,
    Health,
    Deals,
    Calls,
    Sessions,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Customers,
        Tab::Health,
        Tab::Deals,
        Tab::Calls,
        Tab::Sessions,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Customers => "1 Customers",
            Tab::Health => "2 Health trends",
            Tab::Deals => "3 Deals",
            Tab::Calls => "4 Calls",
            Tab::Sessions => "5 Agent sessions",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}
