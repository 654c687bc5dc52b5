//! The registry of screens: the one place a screen is named. Each line gives the screen's
//! variant in the worker's job, kind and answer types and the folder it lives in; the order
//! is the tab bar's. Adding a screen is a folder (see docs/dashboard.md, "Adding a screen")
//! and one line here.

use super::account;
use super::app::Options;
use super::screen::Screen;
use super::search;
use crate::store::read::reader::Reader;

macro_rules! register {
    ($($variant:ident => $module:ident :: $screen:ident),+ $(,)?) => {
        use super::{$($module),+};

        /// A job of one screen (the account 360's too).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Job {
            $($variant($module::Job),)+
            Account(account::Job),
            Search(search::Job),
        }

        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $($variant($module::Kind),)+
            Account(account::Kind),
            Search(search::Kind),
        }

        #[derive(Debug, Clone, PartialEq)]
        pub enum Answer {
            $($variant($module::Answer),)+
            Account(account::Answer),
            Search(search::Answer),
        }

        $(
            impl From<$module::Job> for super::worker::Job {
                fn from(job: $module::Job) -> Self {
                    super::worker::Job::Screen(Job::$variant(job))
                }
            }

            impl From<$module::Kind> for super::worker::Kind {
                fn from(kind: $module::Kind) -> Self {
                    super::worker::Kind::Screen(Kind::$variant(kind))
                }
            }
        )+

        impl Job {
            pub fn kind(&self) -> Kind {
                match self {
                    $(Job::$variant(j) => Kind::$variant(j.kind()),)+
                    Job::Account(j) => Kind::Account(j.kind()),
                    Job::Search(j) => Kind::Search(j.kind()),
                }
            }
        }

        impl Kind {
            /// A newer request of the kind may cut a running one short (a search as you type).
            pub fn interruptible(self) -> bool {
                match self {
                    $(Kind::$variant(k) => k.interruptible(),)+
                    Kind::Account(k) => k.interruptible(),
                    Kind::Search(k) => k.interruptible(),
                }
            }

            /// The position in the tab bar of the screen the kind belongs to (None: the
            /// account 360 or the search, which lie over the tabs).
            pub fn screen(self) -> Option<usize> {
                let mut _i = 0;
                $(
                    if matches!(self, Kind::$variant(_)) {
                        return Some(_i);
                    }
                    _i += 1;
                )+
                None
            }
        }

        /// Runs a screen's job against the store.
        pub fn execute(r: &Reader<'_>, job: &Job) -> crate::store::Result<Answer> {
            match job {
                $(Job::$variant(j) => $module::execute(r, j).map(Answer::$variant),)+
                Job::Account(j) => account::execute(r, j).map(Answer::Account),
                Job::Search(j) => search::execute(r, j).map(Answer::Search),
            }
        }

        /// The tabs, in the tab bar's order.
        pub fn tabs(options: &Options) -> Vec<Box<dyn Screen>> {
            vec![$(Box::new($module::$screen::new(options)),)+]
        }
    };
}

impl From<account::Job> for super::worker::Job {
    fn from(job: account::Job) -> Self {
        super::worker::Job::Screen(Job::Account(job))
    }
}

impl From<account::Kind> for super::worker::Kind {
    fn from(kind: account::Kind) -> Self {
        super::worker::Kind::Screen(Kind::Account(kind))
    }
}

impl From<search::Job> for super::worker::Job {
    fn from(job: search::Job) -> Self {
        super::worker::Job::Screen(Job::Search(job))
    }
}

impl From<search::Kind> for super::worker::Kind {
    fn from(kind: search::Kind) -> Self {
        super::worker::Kind::Screen(Kind::Search(kind))
    }
}

register! {
    Customers => customers::CustomersScreen,
    Health => health::HealthScreen,
    Deals => deals::DealsScreen,
    Calls => calls::CallsScreen,
    Sessions => sessions::SessionsScreen,
    Queue => queue::QueueScreen,
    Browse => browse::BrowseScreen,
    Journeys => journeys::JourneysScreen,
}
