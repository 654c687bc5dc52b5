//! One customer with everything that belongs to it: the customer row, its stakeholders and
//! mappings, then each domain in dependency order. Each customer draws from its own RNG
//! stream, so its rows depend on the seed and its index only.

use std::fmt::Write as _;

use super::clock::{DAY, Day, Ts};
use super::ids::Id;
use super::profile::{Band, Profile};
use super::rng::Rng;
use super::tasks;
use super::words::{FIRST_NAMES, INDUSTRIES, LAST_NAMES, REGIONS, STAKEHOLDER_ROLES};
use super::world::{TIERS, World};
use super::{Gen, activity, calls, contracts, deals, kpis, meetings, playbooks, scores};
use super::{sessions, training};
use crate::store::error::Result;

pub const CUSTOMERS: &str = "\
    id workspace_id name arr_cents industry region country tier ultimate_parent \
    stage status csm_id salesforce_id hubspot_id crm_account_id renewal_date \
    open_approvals metadata created_at updated_at";
pub const STAKEHOLDERS: &str = "\
    id customer_id name first_name last_name role email phone linkedin_url \
    is_primary sentiment notes metadata created_at updated_at";
pub const WORKSPACE_CUSTOMER_MAP: &str = "workspace_id customer_id workspace_customer_key";
pub const USER_CUSTOMER_ACCESS: &str = "user_id customer_id";
pub const CUSTOMER_REGION_MAP: &str = "customer_id region_id";

/// A stakeholder, as the other domains need it (calls, meetings, training).
pub struct Person {
    pub id: Id,
    pub first: &'static str,
    pub last: &'static str,
}

impl Person {
    /// `First Last` into `out`.
    pub fn name_into(&self, out: &mut String) {
        out.clear();
        out.push_str(self.first);
        out.push(' ');
        out.push_str(self.last);
    }

    /// `first.last@slug.example` into `out`.
    pub fn email_into(&self, slug: &str, out: &mut String) {
        super::words::email_local(self.first, self.last, out);
        out.push('@');
        out.push_str(slug);
        out.push_str(".example");
    }
}

const STAKEHOLDER_NOTES: &[&str] = &[
    "Prefers email over calls.",
    "Decision maker for renewals.",
    "Champion; presents our results internally.",
    "New in role since last quarter.",
    "Sceptical about the migration timeline.",
    "Asks for a monthly usage report.",
];

pub fn write(g: &mut Gen<'_>, world: &World, index: u64) -> Result<()> {
    let mut rng = Rng::stream(g.seed, index + 1);
    let id = g.ids.next_id();
    let p = Profile::draw(&mut rng, world, &g.clock, index, id, g.seed);
    // contracts, approvals and audited edits decide columns of the customer row, so they are
    // planned before it is written (once, with the values the triggers would have kept)
    let contract_plan = contracts::plan(&mut rng, &p, &g.clock);
    let session_plan = sessions::plan(&mut rng, &p, &g.clock);
    let renewal = contracts::renewal_date(&contract_plan);
    let stage = stage(&mut rng, &p, renewal, g.clock.now);
    let edits = activity::plan(&mut rng, &p, stage, g.clock.now);
    let ws = &world.workspaces[p.workspace];

    let derived = Derived {
        renewal,
        open_approvals: sessions::pending(&session_plan),
        updated: edits.last(),
    };
    customer_row(g, &mut rng, &p, ws.id, stage, &derived)?;
    let count = match p.tier {
        0 => rng.int(4, 6),
        1 => rng.int(3, 5),
        _ => rng.int(2, 4),
    };
    let people = stakeholders(g, &mut rng, &p, count)?;
    g.buf.a.clear();
    let _ = write!(g.buf.a, "ACC-{:07}", p.index + 1);
    g.ins
        .workspace_customer_map
        .row(rusqlite::params![ws.id, p.id, g.buf.a])?;
    g.ins
        .user_customer_access
        .row(rusqlite::params![p.csm, p.id])?;
    if rng.chance(0.4) {
        let seller = ws.sales[rng.index(ws.sales.len())];
        g.ins
            .user_customer_access
            .row(rusqlite::params![seller, p.id])?;
    }
    g.ins
        .customer_region_map
        .row(rusqlite::params![p.id, world.regions[p.region]])?;

    contracts::write(g, &mut rng, &p, ws, &contract_plan, true)?;
    let session_ids = sessions::write(g, &mut rng, &p, &session_plan)?;
    meetings::write(g, &mut rng, &p, ws.id, &people, &session_ids)?;
    training::write(g, &mut rng, &p, world, &people)?;
    deals::write(g, &mut rng, &p, ws)?;
    calls::write(g, &mut rng, &p, ws, &people)?;
    scores::write(g, &mut rng, &p, world, ws.id)?;
    kpis::write(g, &mut rng, &p, ws.id)?;
    playbooks::write(g, &mut rng, &p, ws.id)?;
    activity::write(g, &mut rng, &p, ws.id, stage, &edits)?;
    // its own stream, so that adding tasks left every other generated value as it was
    let mut task_rng = Rng::stream(g.seed, tasks::STREAM ^ (index + 1));
    tasks::write(g, &mut task_rng, &p, ws.id)
}

/// Values of the customer row that other rows decide.
pub(super) struct Derived {
    /// The earliest end of its active contracts.
    pub renewal: Option<i64>,
    /// Pending approvals in its sessions.
    pub open_approvals: i64,
    /// Its last audited edit.
    pub updated: i64,
}

/// The lifecycle stage, from the customer's story and its renewal date.
pub(super) fn stage(rng: &mut Rng, p: &Profile, renewal: Option<i64>, now: i64) -> &'static str {
    if p.churned {
        "churned"
    } else if p.prospect {
        "prospect"
    } else if now - p.created < 90 * DAY {
        "onboarding"
    } else if p.band == Band::Critical && rng.chance(0.7) {
        "at_risk"
    } else if renewal.is_some_and(|r| r - now < 90 * DAY) && rng.chance(0.6) {
        "renewal"
    } else if p.band == Band::Healthy && rng.chance(0.2) {
        "expansion"
    } else {
        "active"
    }
}

pub(super) fn customer_row(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    workspace: Id,
    stage: &str,
    derived: &Derived,
) -> Result<()> {
    let status = if p.churned {
        "churned"
    } else if p.inactive {
        "inactive"
    } else {
        "active"
    };
    // an 18-character Salesforce account id: "001" and 15 base-62 characters
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut sfid = *b"001000000000000000";
    for c in &mut sfid[3..] {
        *c = BASE62[rng.index(BASE62.len())];
    }
    let sfid = std::str::from_utf8(&sfid).unwrap_or("");
    let hubspot = rng.chance(0.5).then(|| rng.int(1_000_000, 99_999_999));
    g.buf.b.clear();
    if let Some(h) = hubspot {
        let _ = write!(g.buf.b, "{h}");
    }
    g.buf.c.clear();
    let _ = write!(g.buf.c, "ACC-{:07}", p.index + 1);
    let parent = rng.chance(0.08).then(|| {
        let mut s = String::with_capacity(32);
        s.push_str(p.name.split(' ').next().unwrap_or(&p.name));
        s.push_str(" Holdings");
        s
    });
    let employees = match p.tier {
        0 => rng.int(5_000, 80_000),
        1 => rng.int(1_000, 10_000),
        2 => rng.int(200, 2_000),
        _ => rng.int(10, 300),
    };
    g.buf.json.clear();
    let _ = write!(
        g.buf.json,
        r#"{{"employees":{employees},"website":"https://www.{}.example","segment":"{}","source":"synthetic"}}"#,
        p.slug, TIERS[p.tier].0
    );
    g.ins.customers.row(rusqlite::params![
        p.id,
        workspace,
        p.name,
        p.arr_cents,
        INDUSTRIES[p.industry],
        REGIONS[p.region].name,
        p.country,
        TIERS[p.tier].0,
        parent,
        stage,
        status,
        p.csm,
        sfid,
        hubspot.map(|_| g.buf.b.as_str()),
        g.buf.c,
        derived.renewal.map(Day::new),
        derived.open_approvals,
        g.buf.json,
        Ts::new(p.created),
        Ts::new(derived.updated),
    ])
}

/// `count` stakeholders, the first one primary.
pub(super) fn stakeholders(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    count: i64,
) -> Result<Vec<Person>> {
    let mut people = Vec::with_capacity(count as usize);
    for k in 0..count {
        let person = Person {
            id: g.ids.next_id(),
            first: rng.word(FIRST_NAMES),
            last: rng.word(LAST_NAMES),
        };
        person.name_into(&mut g.buf.a);
        person.email_into(&p.slug, &mut g.buf.b);
        g.buf.c.clear();
        let _ = write!(
            g.buf.c,
            "https://www.linkedin.example/in/{}-{}-{:04x}",
            person.first.to_ascii_lowercase(),
            person.last.to_ascii_lowercase(),
            rng.int(0, 0xffff)
        );
        let created = p.created + rng.int(0, 200) * DAY;
        let created = created.min(g.clock.now - DAY).max(p.created);
        let phone = rng.chance(0.7).then(|| {
            let mut s = String::with_capacity(16);
            let _ = write!(s, "+1-555-{:04}", rng.int(100, 9999));
            s
        });
        g.ins.stakeholders.row(rusqlite::params![
            person.id,
            p.id,
            g.buf.a,
            person.first,
            person.last,
            *rng.pick(STAKEHOLDER_ROLES),
            g.buf.b,
            phone,
            rng.chance(0.6).then_some(g.buf.c.as_str()),
            i64::from(k == 0),
            p.mood(rng),
            rng.chance(0.35).then(|| *rng.pick(STAKEHOLDER_NOTES)),
            "{}",
            Ts::new(created),
            Ts::new(created),
        ])?;
        people.push(person);
    }
    Ok(people)
}
