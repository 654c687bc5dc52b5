//! Requests on their way to the worker: every one gets a sequence number, and only the answer
//! to the latest request of each kind is taken (an older one answers a superseded question).

use std::collections::HashMap;

use super::worker::{Job, Kind, Request, Response};

#[derive(Default)]
pub struct Outbox {
    seq: u64,
    in_flight: HashMap<Kind, u64>,
    requests: Vec<Request>,
}

impl Outbox {
    pub fn send(&mut self, job: Job) {
        self.seq += 1;
        self.in_flight.insert(job.kind(), self.seq);
        self.requests.push(Request { seq: self.seq, job });
    }

    /// Requests made since the last call, oldest first.
    pub fn take(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    pub fn is_waiting(&self, kind: Kind) -> bool {
        self.in_flight.contains_key(&kind)
    }

    /// Nothing asked is still unanswered.
    pub fn is_settled(&self) -> bool {
        self.in_flight.is_empty() && self.requests.is_empty()
    }

    /// Something other than `kind` is still unanswered (what the "loading" hint waits on;
    /// a background check the user is not waiting for is left out).
    pub fn anything_in_flight_but(&self, kind: Kind) -> bool {
        self.in_flight.keys().any(|k| *k != kind)
    }

    /// Stops waiting for `kind`: an answer still on its way is then dropped.
    pub fn forget(&mut self, kind: Kind) {
        self.in_flight.remove(&kind);
    }

    /// True (and no longer waited for) if `r` answers the latest request of its kind.
    pub fn accept(&mut self, r: &Response) -> bool {
        if self.in_flight.get(&r.kind) != Some(&r.seq) {
            return false;
        }
        self.in_flight.remove(&r.kind);
        true
    }
}
