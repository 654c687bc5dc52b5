//! Process mining as pure functions over an event log (seed 003): events grouped into cases,
//! cases into variants (the ordered activity sequence), cycle times, the happy path, the
//! bottlenecks (transitions with the longest mean wait) and what goes with long cycles or a
//! bad outcome. `store::mine` feeds it events read with a cursor and writes what it returns;
//! nothing here knows SQLite (docs/mining.md defines every figure).
//!
//! Memory is bounded by the log's shape, not its length: the events of the case being read,
//! and one aggregate per variant, per transition and per activity. A case is handed back
//! (to be written) the moment the next case starts.

mod effects;
pub mod order_to_cash;
mod time;

use std::collections::HashMap;

pub use effects::{ActivityEffect, effects};
pub use time::{format as format_timestamp, parse_timestamp};

/// How the activities of a case become its variant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Activities starting with this prefix are milestones (`stage:` in the customer
    /// journey); between two milestones any other activity counts once, at its first
    /// occurrence. `None`: every event is a step (a system's event log).
    pub milestone_prefix: Option<String>,
    /// The activity that makes a case successful. `None`: the most frequent last activity.
    pub success: Option<String>,
    /// An activity that makes a case unsuccessful even after success (`stage:churned`).
    pub failure: Option<String>,
    /// How many bottlenecks to keep.
    pub bottlenecks: usize,
}

/// A case as it is handed back when it ends, for its `cases` row.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedCase<'a> {
    pub case_id: &'a str,
    pub start: i64,
    pub end: i64,
    pub events: usize,
    pub steps: usize,
    pub variant_hash: &'a str,
    /// The first case of its variant (its `variants` row must be written first).
    pub new_variant: bool,
}

impl FinishedCase<'_> {
    pub fn cycle_seconds(&self) -> i64 {
        self.end - self.start
    }
}

/// One variant and its cases' figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub hash: String,
    pub activities: Vec<String>,
    pub frequency: u64,
    pub total_cycle: i64,
    pub min_cycle: i64,
    pub max_cycle: i64,
    pub happy: bool,
    /// Reached the success activity and not the failure activity.
    pub successful: bool,
    /// The bad outcome the explanations look at: reached the failure activity (churn) when
    /// there is one, else not successful.
    pub bad: bool,
}

impl Variant {
    pub fn avg_cycle(&self) -> f64 {
        self.total_cycle as f64 / self.frequency.max(1) as f64
    }
}

/// A transition between two consecutive steps of a case and how long cases waited on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bottleneck {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub mean_wait: f64,
    pub max_wait: i64,
}

/// Everything mined from one log.
#[derive(Debug, Clone, PartialEq)]
pub struct Mined {
    pub events: u64,
    pub cases: u64,
    /// By frequency (most first), ties by hash.
    pub variants: Vec<Variant>,
    /// The activity that made a case successful (given, or the most frequent last one).
    pub success: Option<String>,
    pub bottlenecks: Vec<Bottleneck>,
    pub effects: Vec<ActivityEffect>,
}

impl Mined {
    pub fn happy_path(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.happy)
    }
}

/// Why a log cannot be mined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MineError {
    #[error(
        "case {case}: event at {at} comes before the one at {previous} (events must be in time order)"
    )]
    OutOfOrder {
        case: String,
        at: String,
        previous: String,
    },
    #[error("variants {a:?} and {b:?} have the same hash {hash}")]
    HashCollision {
        hash: String,
        a: Vec<String>,
        b: Vec<String>,
    },
}

#[derive(Debug)]
struct VariantAgg {
    hash: String,
    frequency: u64,
    total_cycle: i64,
    min_cycle: i64,
    max_cycle: i64,
}

#[derive(Debug, Default)]
struct WaitAgg {
    count: u64,
    total: i64,
    max: i64,
}

/// The streaming miner: `push` events in case order (time order within a case), then
/// `finish`.
pub struct Miner {
    config: Config,
    names: Vec<String>,
    ids: HashMap<String, u32>,
    case_id: String,
    /// (activity, time) of the current case's steps, after the milestone rule.
    steps: Vec<(u32, i64)>,
    case_events: usize,
    case_start: i64,
    case_last: i64,
    /// Activities seen since the current case's last milestone.
    since_milestone: Vec<u32>,
    /// The current case's last milestone.
    milestone: Option<u32>,
    variants: HashMap<Vec<u32>, VariantAgg>,
    hashes: HashMap<String, Vec<u32>>,
    transitions: HashMap<(u32, u32), WaitAgg>,
    events: u64,
    cases: u64,
    /// Scratch for the activity names of a finished case.
    names_scratch: Vec<String>,
}

impl Miner {
    pub fn new(config: Config) -> Self {
        Miner {
            config,
            names: Vec::new(),
            ids: HashMap::new(),
            case_id: String::new(),
            steps: Vec::new(),
            case_events: 0,
            case_start: 0,
            case_last: 0,
            since_milestone: Vec::new(),
            milestone: None,
            variants: HashMap::new(),
            hashes: HashMap::new(),
            transitions: HashMap::new(),
            events: 0,
            cases: 0,
            names_scratch: Vec::new(),
        }
    }

    fn intern(&mut self, activity: &str) -> u32 {
        if let Some(&id) = self.ids.get(activity) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(activity.to_owned());
        self.ids.insert(activity.to_owned(), id);
        id
    }

    fn is_milestone(&self, activity: &str) -> bool {
        self.config
            .milestone_prefix
            .as_deref()
            .is_some_and(|p| activity.starts_with(p))
    }

    /// Adds one event (`at`: seconds since the epoch). When it starts a new case, the case
    /// before it is finished and handed to `done`.
    pub fn push<E>(
        &mut self,
        case: &str,
        activity: &str,
        at: i64,
        done: &mut impl FnMut(FinishedCase<'_>) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<MineError>,
    {
        if self.case_events > 0 && case != self.case_id {
            self.finish_case(done)?;
        }
        if self.case_events == 0 {
            self.case_id.clear();
            self.case_id.push_str(case);
            self.case_start = at;
        } else if at < self.case_last {
            return Err(MineError::OutOfOrder {
                case: case.to_owned(),
                at: time::format(at),
                previous: time::format(self.case_last),
            }
            .into());
        }
        self.events += 1;
        self.case_events += 1;
        self.case_last = at;
        let id = self.intern(activity);
        if self.is_milestone(activity) {
            // the same milestone again (an audit entry that repeats the stage) moves nothing
            if self.milestone == Some(id) {
                return Ok(());
            }
            self.milestone = Some(id);
            self.since_milestone.clear();
        } else if self.config.milestone_prefix.is_some() {
            if self.since_milestone.contains(&id) {
                return Ok(());
            }
            self.since_milestone.push(id);
        }
        self.steps.push((id, at));
        Ok(())
    }

    fn finish_case<E>(
        &mut self,
        done: &mut impl FnMut(FinishedCase<'_>) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<MineError>,
    {
        let sequence: Vec<u32> = self.steps.iter().map(|(a, _)| *a).collect();
        for pair in self.steps.windows(2) {
            let wait = self.transitions.entry((pair[0].0, pair[1].0)).or_default();
            let w = pair[1].1 - pair[0].1;
            wait.count += 1;
            wait.total += w;
            wait.max = wait.max.max(w);
        }
        let cycle = self.case_last - self.case_start;
        let new_variant = !self.variants.contains_key(&sequence);
        if new_variant {
            self.names_scratch.clear();
            self.names_scratch
                .extend(sequence.iter().map(|&a| self.names[a as usize].clone()));
            let hash = variant_hash(&self.names_scratch);
            if let Some(other) = self.hashes.get(&hash) {
                return Err(MineError::HashCollision {
                    hash,
                    a: other
                        .iter()
                        .map(|&a| self.names[a as usize].clone())
                        .collect(),
                    b: self.names_scratch.clone(),
                }
                .into());
            }
            self.hashes.insert(hash.clone(), sequence.clone());
            self.variants.insert(
                sequence.clone(),
                VariantAgg {
                    hash,
                    frequency: 0,
                    total_cycle: 0,
                    min_cycle: cycle,
                    max_cycle: cycle,
                },
            );
        }
        let agg = self
            .variants
            .get_mut(&sequence)
            .expect("inserted above when new");
        agg.frequency += 1;
        agg.total_cycle += cycle;
        agg.min_cycle = agg.min_cycle.min(cycle);
        agg.max_cycle = agg.max_cycle.max(cycle);
        self.cases += 1;
        let case = FinishedCase {
            case_id: &self.case_id,
            start: self.case_start,
            end: self.case_last,
            events: self.case_events,
            steps: self.steps.len(),
            variant_hash: &agg.hash,
            new_variant,
        };
        done(case)?;
        self.steps.clear();
        self.since_milestone.clear();
        self.milestone = None;
        self.case_events = 0;
        Ok(())
    }

    /// Finishes the last case and computes the figures of the whole log.
    pub fn finish<E>(
        mut self,
        done: &mut impl FnMut(FinishedCase<'_>) -> Result<(), E>,
    ) -> Result<Mined, E>
    where
        E: From<MineError>,
    {
        if self.case_events > 0 {
            self.finish_case(done)?;
        }
        let names = &self.names;
        let mut variants: Vec<Variant> = self
            .variants
            .iter()
            .map(|(seq, agg)| Variant {
                hash: agg.hash.clone(),
                activities: seq.iter().map(|&a| names[a as usize].clone()).collect(),
                frequency: agg.frequency,
                total_cycle: agg.total_cycle,
                min_cycle: agg.min_cycle,
                max_cycle: agg.max_cycle,
                happy: false,
                successful: false,
                bad: false,
            })
            .collect();
        variants.sort_by(|a, b| b.frequency.cmp(&a.frequency).then(a.hash.cmp(&b.hash)));
        let success = self
            .config
            .success
            .clone()
            .or_else(|| most_frequent_end(&variants));
        for v in &mut variants {
            let reached = success
                .as_ref()
                .is_some_and(|s| v.activities.iter().any(|a| a == s));
            let failed = self
                .config
                .failure
                .as_ref()
                .is_some_and(|f| v.activities.iter().any(|a| a == f));
            v.successful = reached && !failed;
            v.bad = match &self.config.failure {
                Some(_) => failed,
                None => !v.successful,
            };
        }
        // the happy path: the most frequent successful variant; ties by the shorter mean
        // cycle, then by hash (the order above)
        let happy = variants
            .iter()
            .enumerate()
            .filter(|(_, v)| v.successful)
            .min_by(|(_, a), (_, b)| {
                b.frequency
                    .cmp(&a.frequency)
                    .then(a.avg_cycle().total_cmp(&b.avg_cycle()))
                    .then(a.hash.cmp(&b.hash))
            })
            .map(|(i, _)| i);
        if let Some(i) = happy {
            variants[i].happy = true;
        }
        let mut bottlenecks: Vec<Bottleneck> = self
            .transitions
            .iter()
            .map(|(&(from, to), w)| Bottleneck {
                from: names[from as usize].clone(),
                to: names[to as usize].clone(),
                count: w.count,
                mean_wait: w.total as f64 / w.count as f64,
                max_wait: w.max,
            })
            .collect();
        bottlenecks.sort_by(|a, b| {
            b.mean_wait
                .total_cmp(&a.mean_wait)
                .then(a.from.cmp(&b.from))
                .then(a.to.cmp(&b.to))
        });
        bottlenecks.truncate(self.config.bottlenecks);
        let effects = effects(&variants);
        Ok(Mined {
            events: self.events,
            cases: self.cases,
            variants,
            success,
            bottlenecks,
            effects,
        })
    }
}

/// The last activity most cases end with; ties by name.
fn most_frequent_end(variants: &[Variant]) -> Option<String> {
    let mut ends: HashMap<&str, u64> = HashMap::new();
    for v in variants {
        if let Some(last) = v.activities.last() {
            *ends.entry(last).or_default() += v.frequency;
        }
    }
    ends.into_iter()
        .min_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)))
        .map(|(a, _)| a.to_owned())
}

/// A stable short hash of a variant's activity sequence (FNV-1a over each name and a `>`,
/// hex): the same sequence has the same hash in every run and every book.
pub fn variant_hash<S: AsRef<str>>(path: &[S]) -> String {
    format!("{:016x}", fnv(0xcbf2_9ce4_8422_2325, path))
}

fn fnv<S: AsRef<str>>(seed: u64, parts: &[S]) -> u64 {
    let mut h = seed;
    for part in parts {
        for b in part.as_ref().bytes().chain(std::iter::once(b'>')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Where a case stands on the happy path: for each step of `happy`, whether `done` has it,
/// in order (each step is looked for after the one matched before it). The first `false` is
/// the next step.
pub fn progress<S: AsRef<str>>(happy: &[S], done: &[S]) -> Vec<bool> {
    let mut from = 0;
    happy
        .iter()
        .map(|step| {
            match done[from..]
                .iter()
                .position(|d| d.as_ref() == step.as_ref())
            {
                Some(i) => {
                    from += i + 1;
                    true
                }
                None => false,
            }
        })
        .collect()
}

/// A UUID (version 4 layout) derived from `parts`: the ids of a job's rows follow from the
/// job and the row's place, so the same input gives the same rows.
pub fn derived_id(parts: &[&str]) -> String {
    let a = fnv(0xcbf2_9ce4_8422_2325, parts);
    let b = fnv(0x84222325cbf29ce4, parts);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests;
