//! Training progress: stakeholders working through a few of the shared modules. Healthier
//! customers complete more and score higher (adoption feeds the health score).

use super::Gen;
use super::clock::{DAY, MINUTE, Ts};
use super::customers::Person;
use super::profile::Profile;
use super::rng::Rng;
use super::world::World;
use crate::store::error::Result;

pub const TRAINING_PROGRESS: &str = "\
    id customer_id stakeholder_id module_id status progress started_at completed_at \
    score metadata created_at updated_at";

pub fn write(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    p: &Profile,
    world: &World,
    people: &[Person],
) -> Result<()> {
    if p.prospect {
        return Ok(());
    }
    let mut modules = Vec::new();
    let k = rng.int(1, 5) as usize;
    rng.sample(world.modules.len(), k, &mut modules);
    for &m in &modules {
        let module = &world.modules[m];
        // a module is taken by one stakeholder, or assigned to the account as a whole
        let person = rng.chance(0.85).then(|| people[rng.index(people.len())].id);
        let assigned = p.created + rng.int(1, ((g.clock.now - p.created) / DAY).max(2)) * DAY;
        let assigned = assigned.min(g.clock.now - DAY);
        let x = p.level() + rng.normal() * 0.2;
        let (status, progress) = if x > 0.6 {
            ("completed", 100)
        } else if x > 0.3 {
            ("in_progress", rng.int(10, 90))
        } else {
            ("not_started", 0)
        };
        let started = (status != "not_started")
            .then(|| (assigned + rng.int(0, 5) * DAY).min(g.clock.now - 1));
        let completed = (status == "completed").then(|| {
            let s = started.unwrap_or(assigned);
            (s + module.minutes * MINUTE + rng.int(0, 20) * DAY)
                .min(g.clock.now - 1)
                .max(s)
        });
        let score = (status == "completed")
            .then(|| (55.0 + 45.0 * x.min(1.0) + rng.normal() * 5.0).clamp(40.0, 100.0) as i64);
        let updated = completed
            .or(started)
            .unwrap_or(assigned)
            .min(g.clock.now - 1);
        g.ins.training_progress.row(rusqlite::params![
            g.ids.next_id(),
            p.id,
            person,
            module.id,
            status,
            progress,
            started.map(Ts::new),
            completed.map(Ts::new),
            score,
            "{}",
            Ts::new(assigned),
            Ts::new(updated.max(assigned)),
        ])?;
    }
    Ok(())
}
