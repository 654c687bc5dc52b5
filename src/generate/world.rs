//! The rows every customer shares: tenants (workspaces) with their configuration, people and
//! memberships, regions, benchmark dimensions, products, loss reasons, training modules, the
//! knowledge base, KPI reference ranges, playbook triggers, data feeds and their ETL runs.
//!
//! Returns a [`World`]: the ids customers refer to. It is small (a few thousand ids at any
//! size: users scale with customers at one CSM per ~60 accounts).

use std::collections::HashSet;
use std::fmt::Write as _;

use super::Gen;
use super::clock::{DAY, HOUR, MINUTE, Ts};
use super::ids::Id;
use super::kpis::DEFS as KPI_DEFS;
use super::rng::{Rng, WORLD_STREAM};
use super::words::{self, FIRST_NAMES, INDUSTRIES, LAST_NAMES, REGIONS};
use crate::store::error::Result;

pub const USERS: &str = "\
    id email name first_name last_name department role password_hash is_active \
    last_login created_at updated_at";
pub const WORKSPACES: &str = "\
    id name email phone address hq_country industry region plan owner_user_id \
    is_active created_at updated_at";
pub const WORKSPACE_MEMBERS: &str = "workspace_id user_id role created_at";
pub const WORKSPACE_CONFIGS: &str = "\
    id workspace_id kpi_upload_mode category_weights component_weights red_below \
    green_from master_file_name created_at updated_at";
pub const REGION_DIM: &str = "id region_name geo_hierarchy_json";
pub const BENCHMARK_DIMENSIONS: &str = "id dimension_name dimension_value";
pub const PRODUCTS: &str = "id workspace_id product_name segment family category";
pub const LOSS_REASONS: &str = "id workspace_id name description is_active created_at updated_at";
pub const TRAINING_MODULES: &str = "\
    id title description content duration level category prerequisites is_active \
    metadata created_at updated_at";
pub const KNOWLEDGE_BASE: &str = "\
    id title content category tags embedding is_public view_count helpful_count \
    metadata created_at updated_at";
pub const KPI_REFERENCE_RANGES: &str = "\
    id kpi_name unit higher_is_better critical_min critical_max risk_min risk_max \
    healthy_min healthy_max created_at updated_at created_by updated_by";
pub const PLAYBOOK_TRIGGERS: &str = "\
    id workspace_id playbook_type trigger_config auto_trigger_enabled \
    last_evaluated last_triggered trigger_count created_at updated_at";
pub const WORKSPACE_DATA_FEEDS: &str = "id workspace_id feed_type schedule last_run_ts";
pub const ETL_RUNS: &str = "id workspace_id feed_id direction feed_name run_ts records_sent status";

/// Seed 002's default category weights, written out so the data does not lean on DEFAULTs.
pub const CATEGORY_WEIGHTS: &str = r#"{"Relationship Strength":0.20,"Adoption & Engagement":0.25,"Support & Experience":0.20,"Product Value":0.20,"Business Outcomes":0.15}"#;
const COMPONENT_WEIGHTS: &str = r#"{"kpi":0.60,"engagement":0.20,"adoption":0.20}"#;

/// Customer tiers by ARR, largest first: (name, ARR from, in cents).
pub const TIERS: &[(&str, i64)] = &[
    ("Strategic", 50_000_000),
    ("Enterprise", 15_000_000),
    ("Mid-Market", 4_000_000),
    ("SMB", 0),
];

struct Tenant {
    name: &'static str,
    domain: &'static str,
    industry: &'static str,
    region: &'static str,
    country: &'static str,
    city: &'static str,
    plan: &'static str,
    /// Relative share of the customers.
    share: u32,
}

#[rustfmt::skip]
const TENANTS: &[Tenant] = &[
    Tenant {
        name: "Lumen Cloud",
        domain: "lumencloud.example",
        industry: "Software",
        region: "US",
        country: "United States",
        city: "200 Market St, San Francisco, CA",
        plan: "enterprise",
        share: 34,
    },
    Tenant {
        name: "Kestrel Software",
        domain: "kestrel.example",
        industry: "Software",
        region: "UK",
        country: "United Kingdom",
        city: "12 Finsbury Sq, London",
        plan: "business",
        share: 24,
    },
    Tenant {
        name: "Orchid Analytics",
        domain: "orchid.example",
        industry: "Analytics",
        region: "EU",
        country: "Germany",
        city: "Torstrasse 49, Berlin",
        plan: "enterprise",
        share: 16,
    },
    Tenant {
        name: "Brightloop",
        domain: "brightloop.example",
        industry: "Marketing Technology",
        region: "EU",
        country: "France",
        city: "8 Rue de Rivoli, Paris",
        plan: "pro",
        share: 11,
    },
    Tenant {
        name: "Harborline Systems",
        domain: "harborline.example",
        industry: "Logistics Software",
        region: "US",
        country: "United States",
        city: "1 Seaport Ln, Boston, MA",
        plan: "business",
        share: 9,
    },
    Tenant {
        name: "Tessellate",
        domain: "tessellate.example",
        industry: "Design Software",
        region: "UK",
        country: "United Kingdom",
        city: "3 Deansgate, Manchester",
        plan: "free",
        share: 6,
    },
];

/// How many tenants a run has: a few, more for big runs.
pub fn workspace_count(customers: u64) -> usize {
    3 + usize::try_from((customers / 25_000).min(3)).unwrap_or(3)
}

/// Accounts per CSM, roughly (a CSM manages a book of 40-80 accounts).
const BOOK_SIZE: u64 = 60;

pub struct Product {
    pub id: Id,
    pub name: &'static str,
    pub family: &'static str,
    pub list_price_cents: i64,
}

pub struct Workspace {
    pub id: Id,
    pub name: &'static str,
    pub csms: Vec<Id>,
    pub sales: Vec<Id>,
    pub products: Vec<Product>,
    /// Active loss reasons (a lost call names one of these).
    pub loss_reasons: Vec<Id>,
}

pub struct Module {
    pub id: Id,
    pub minutes: i64,
}

pub struct World {
    pub workspaces: Vec<Workspace>,
    /// (workspace index, share): how customers spread over workspaces.
    pub shares: Vec<(usize, u32)>,
    /// `region_dim` ids, parallel to `words::REGIONS`.
    pub regions: Vec<Id>,
    /// `benchmark_dimensions` ids, parallel to `INDUSTRIES` and `TIERS`.
    pub industry_dims: Vec<Id>,
    pub tier_dims: Vec<Id>,
    pub modules: Vec<Module>,
    /// When the tenants started using the product: no customer is older.
    pub founded: i64,
}

struct Person {
    id: Id,
    role: &'static str,
}

pub fn write(g: &mut Gen<'_>, customers: u64) -> Result<World> {
    let mut rng = Rng::stream(g.seed, WORLD_STREAM);
    let founded = g.clock.now - 7 * 365 * DAY;
    let tenants = &TENANTS[..workspace_count(customers)];
    let share_total: u32 = tenants.iter().map(|t| t.share).sum();

    // people first: workspaces name an owner
    let mut emails = HashSet::new();
    let platform_admin = user(
        g,
        &mut rng,
        "ops.cscx.example",
        "Operations",
        Some("global"),
        founded,
        &mut emails,
    )?;
    let consultants = [
        user(
            g,
            &mut rng,
            "advisors.example",
            "Advisory",
            Some("global"),
            founded,
            &mut emails,
        )?,
        user(
            g,
            &mut rng,
            "advisors.example",
            "Advisory",
            Some("global"),
            founded,
            &mut emails,
        )?,
    ];
    let mut staff: Vec<Vec<Person>> = Vec::new();
    for t in tenants {
        let expected = customers * u64::from(t.share) / u64::from(share_total.max(1));
        let csms = expected.div_ceil(BOOK_SIZE).max(2);
        let sales = (csms / 3).max(2);
        let mut people = Vec::new();
        let plan: [(&str, &str, u64); 6] = [
            ("ceo", "Executive", 1),
            ("admin", "Operations", 2),
            ("analyst", "Analytics", 2),
            ("viewer", "Finance", 1),
            ("sales", "Sales", sales),
            ("csm", "Customer Success", csms),
        ];
        for (role, department, n) in plan {
            for _ in 0..n {
                let id = user(
                    g,
                    &mut rng,
                    t.domain,
                    department,
                    None,
                    founded,
                    &mut emails,
                )?;
                people.push(Person { id, role });
            }
        }
        staff.push(people);
    }

    let mut workspaces = Vec::new();
    for (t, people) in tenants.iter().zip(&staff) {
        let id = g.ids.next_id();
        let owner = people.iter().find(|p| p.role == "admin").map(|p| p.id);
        let created = Ts::new(founded + rng.int(0, 90) * DAY);
        g.buf.a.clear();
        let _ = write!(g.buf.a, "success@{}", t.domain);
        g.buf.b.clear();
        let _ = write!(g.buf.b, "+1-555-01{:02}", rng.int(0, 99));
        g.ins.workspaces.row(rusqlite::params![
            id, t.name, g.buf.a, g.buf.b, t.city, t.country, t.industry, t.region, t.plan, owner,
            1, created, created,
        ])?;
        workspaces.push(Workspace {
            id,
            name: t.name,
            csms: people
                .iter()
                .filter(|p| p.role == "csm")
                .map(|p| p.id)
                .collect(),
            sales: people
                .iter()
                .filter(|p| p.role == "sales")
                .map(|p| p.id)
                .collect(),
            products: Vec::new(),
            loss_reasons: Vec::new(),
        });
    }

    for (ws, people) in workspaces.iter().zip(&staff) {
        let joined = Ts::new(founded + 100 * DAY);
        for p in people {
            g.ins
                .workspace_members
                .row(rusqlite::params![ws.id, p.id, p.role, joined])?;
        }
        g.ins
            .workspace_members
            .row(rusqlite::params![ws.id, platform_admin, "admin", joined])?;
        for (c, role) in consultants.iter().zip(["analyst", "viewer"]) {
            g.ins
                .workspace_members
                .row(rusqlite::params![ws.id, c, role, joined])?;
        }
    }

    for (i, ws) in workspaces.iter().enumerate() {
        let created = Ts::new(founded + DAY);
        let mode = if i % 3 == 2 {
            "account_rollup"
        } else {
            "corporate"
        };
        g.buf.a.clear();
        let _ = write!(g.buf.a, "{}_KPI_master.xlsx", ws.name.replace(' ', "_"));
        g.ins.workspace_configs.row(rusqlite::params![
            g.ids.next_id(),
            ws.id,
            mode,
            CATEGORY_WEIGHTS,
            COMPONENT_WEIGHTS,
            40,
            70,
            g.buf.a,
            created,
            created,
        ])?;
    }

    let mut regions = Vec::new();
    for r in REGIONS {
        let id = g.ids.next_id();
        let countries: Vec<String> = r.countries.iter().map(|c| format!("\"{c}\"")).collect();
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            r#"{{"geo":"{}","region":"{}","countries":[{}]}}"#,
            r.geo,
            r.name,
            countries.join(",")
        );
        g.ins
            .region_dim
            .row(rusqlite::params![id, r.name, g.buf.json])?;
        regions.push(id);
    }

    let mut industry_dims = Vec::new();
    for industry in INDUSTRIES {
        let id = g.ids.next_id();
        g.ins
            .benchmark_dimensions
            .row(rusqlite::params![id, "industry", industry])?;
        industry_dims.push(id);
    }
    let mut tier_dims = Vec::new();
    for (tier, _) in TIERS {
        let id = g.ids.next_id();
        g.ins
            .benchmark_dimensions
            .row(rusqlite::params![id, "tier", tier])?;
        tier_dims.push(id);
    }

    products(g, &mut rng, &mut workspaces)?;
    loss_reasons(g, &mut rng, &mut workspaces, founded)?;
    let modules = training_modules(g, &mut rng, founded)?;
    knowledge_base(g, &mut rng, customers, founded)?;
    kpi_reference_ranges(g, platform_admin, founded)?;
    playbook_triggers(g, &mut rng, &workspaces, founded)?;
    data_feeds(g, &mut rng, &workspaces)?;

    Ok(World {
        shares: (0..workspaces.len())
            .map(|i| (i, tenants[i].share))
            .collect(),
        workspaces,
        regions,
        industry_dims,
        tier_dims,
        modules,
        founded,
    })
}

fn user(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    domain: &str,
    department: &str,
    role: Option<&str>,
    founded: i64,
    emails: &mut HashSet<String>,
) -> Result<Id> {
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    words::email_local(first, last, &mut g.buf.b);
    let mut email = format!("{}@{domain}", g.buf.b);
    let mut n = 2;
    while !emails.insert(email.clone()) {
        email = format!("{}{n}@{domain}", g.buf.b);
        n += 1;
    }
    g.buf.a.clear();
    let _ = write!(g.buf.a, "{first} {last}");
    let id = g.ids.next_id();
    let active = rng.chance(0.97);
    let created = founded + rng.int(30, 5 * 365) * DAY + rng.int(0, DAY);
    let last_login = if active {
        g.clock.now - rng.int(HOUR, 14 * DAY)
    } else {
        g.clock.now - rng.int(60 * DAY, 400 * DAY)
    };
    let (created, updated) = (Ts::new(created), Ts::new(last_login.max(created + MINUTE)));
    g.ins.users.row(rusqlite::params![
        id,
        email,
        g.buf.a,
        first,
        last,
        department,
        role,
        None::<&str>, // people sign in with SSO: no password hash
        i64::from(active),
        Ts::new(last_login),
        created,
        updated,
    ])?;
    Ok(id)
}

/// (name, family, category, segment, list price per year in cents)
#[rustfmt::skip]
const PRODUCT_CATALOG: &[(&str, &str, &str, &str, i64)] = &[
    ("Core Platform", "Platform", "Subscription", "All", 2_400_000),
    ("Analytics Add-on", "Analytics", "Add-on", "Mid-Market", 900_000),
    ("Premium Support", "Services", "Support", "Enterprise", 1_200_000),
    ("Data Connectors Pack", "Integrations", "Add-on", "All", 600_000),
    ("Security & Compliance", "Platform", "Add-on", "Enterprise", 1_500_000),
    ("AI Assistant", "AI", "Add-on", "All", 1_800_000),
    ("Onboarding Services", "Services", "Professional Services", "All", 1_000_000),
    ("Extra Seats (25)", "Platform", "Seats", "SMB", 300_000),
    ("Sandbox Environment", "Platform", "Add-on", "Enterprise", 450_000),
    ("Training Credits", "Services", "Education", "All", 250_000),
];

fn products(g: &mut Gen<'_>, rng: &mut Rng, workspaces: &mut [Workspace]) -> Result<()> {
    let mut picked = Vec::new();
    for ws in workspaces.iter_mut() {
        let k = 7 + rng.index(4);
        rng.sample(PRODUCT_CATALOG.len(), k, &mut picked);
        for &p in &picked {
            let (name, family, category, segment, price) = PRODUCT_CATALOG[p];
            let id = g.ids.next_id();
            g.ins.products.row(rusqlite::params![
                id, ws.id, name, segment, family, category
            ])?;
            ws.products.push(Product {
                id,
                name,
                family,
                list_price_cents: price,
            });
        }
    }
    // a few products sold across tenants (workspace_id NULL: the catalogue of the platform)
    for (name, family) in [
        ("Marketplace Listing", "Partner"),
        ("Co-sell Program", "Partner"),
    ] {
        g.ins.products.row(rusqlite::params![
            g.ids.next_id(),
            None::<&str>,
            name,
            "Partners",
            family,
            "Program",
        ])?;
    }
    Ok(())
}

const LOSS_REASONS_LIST: &[(&str, &str)] = &[
    ("Price", "Too expensive for the value they saw"),
    ("Timing", "Not the right moment; revisit next quarter"),
    ("Competitor", "Chose a competing product"),
    ("No budget", "Budget was cut or never approved"),
    ("No decision", "The buying group could not agree"),
    (
        "Missing feature",
        "A required capability is not on our roadmap",
    ),
    ("Champion left", "Our sponsor left the company"),
    ("Went silent", "Stopped answering after the proposal"),
];

fn loss_reasons(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    workspaces: &mut [Workspace],
    founded: i64,
) -> Result<()> {
    for ws in workspaces.iter_mut() {
        for (i, (name, description)) in LOSS_REASONS_LIST.iter().enumerate() {
            let id = g.ids.next_id();
            // one retired reason per workspace: still referenced by old calls' history
            let active = i != LOSS_REASONS_LIST.len() - 1 - rng.index(2);
            let created = Ts::new(founded + (30 + i as i64) * DAY);
            g.ins.loss_reasons.row(rusqlite::params![
                id,
                ws.id,
                name,
                description,
                i64::from(active),
                created,
                created,
            ])?;
            if active {
                ws.loss_reasons.push(id);
            }
        }
    }
    Ok(())
}

/// (title, category, level, minutes)
#[rustfmt::skip]
const MODULES: &[(&str, &str, &str, i64)] = &[
    ("Getting Started", "Onboarding", "beginner", 20),
    ("Inviting Your Team", "Onboarding", "beginner", 10),
    ("Configuring Single Sign-On", "Administration", "intermediate", 30),
    ("Building Your First Dashboard", "Analytics", "beginner", 25),
    ("Advanced Reporting", "Analytics", "advanced", 45),
    ("Automating Workflows", "Automation", "intermediate", 40),
    ("API and Webhooks", "Integrations", "advanced", 50),
    ("Connecting Your CRM", "Integrations", "intermediate", 30),
    ("Roles and Permissions", "Administration", "intermediate", 20),
    ("Data Import Best Practices", "Data", "intermediate", 35),
    ("Using the AI Assistant", "AI", "beginner", 15),
    ("Security Essentials", "Security", "beginner", 20),
    ("Audit and Compliance", "Security", "advanced", 40),
    ("Executive Reporting", "Analytics", "intermediate", 25),
    ("Mobile App Tour", "Onboarding", "beginner", 10),
    ("Admin Certification", "Administration", "advanced", 90),
];

fn training_modules(g: &mut Gen<'_>, rng: &mut Rng, founded: i64) -> Result<Vec<Module>> {
    let mut modules: Vec<Module> = Vec::new();
    for (i, (title, category, level, minutes)) in MODULES.iter().enumerate() {
        let id = g.ids.next_id();
        // advanced modules build on the first module of their category
        g.buf.json.clear();
        g.buf.json.push('[');
        if *level == "advanced"
            && let Some(first) = MODULES.iter().position(|m| m.1 == *category)
            && first < i
        {
            let _ = write!(g.buf.json, "\"{}\"", modules[first].id);
        }
        g.buf.json.push(']');
        g.buf.a.clear();
        let _ = write!(
            g.buf.a,
            "{title}: a {minutes}-minute {level} course on {}.",
            category.to_lowercase()
        );
        g.buf.b.clear();
        for step in 1..=4 {
            let _ = write!(g.buf.b, "Lesson {step}: {title}, part {step}. ");
        }
        let created = Ts::new(founded + rng.int(0, 400) * DAY);
        g.buf.json2.clear();
        let _ = write!(
            g.buf.json2,
            r#"{{"author":"Academy","version":{}}}"#,
            1 + rng.int(0, 3)
        );
        g.ins.training_modules.row(rusqlite::params![
            id,
            title,
            g.buf.a,
            g.buf.b,
            minutes,
            level,
            category,
            g.buf.json,
            i64::from(i != 14), // the mobile tour was retired
            g.buf.json2,
            created,
            created,
        ])?;
        modules.push(Module {
            id,
            minutes: *minutes,
        });
    }
    Ok(modules)
}

const KB_TOPICS: &[(&str, &str)] = &[
    ("Resetting a user's password", "Account"),
    ("Setting up SAML single sign-on", "Security"),
    ("Exporting reports to CSV", "Analytics"),
    ("Troubleshooting the Salesforce connector", "Integrations"),
    ("Understanding your health score", "Customer Success"),
    ("Rate limits of the REST API", "Integrations"),
    ("Renewal checklist for account owners", "Customer Success"),
    ("Configuring data retention", "Security"),
    ("Inviting guests to a workspace", "Account"),
    ("Scheduling automated workflows", "Automation"),
    ("Reading the adoption dashboard", "Analytics"),
    ("Migrating from spreadsheets", "Data"),
];

fn knowledge_base(g: &mut Gen<'_>, rng: &mut Rng, customers: u64, founded: i64) -> Result<()> {
    let count = 40 + (customers / 1000).min(360);
    let mut embedding = vec![0u8; 1536 * 4];
    for i in 0..count {
        let (topic, category) = KB_TOPICS[i as usize % KB_TOPICS.len()];
        let edition = i as usize / KB_TOPICS.len();
        g.buf.a.clear();
        if edition == 0 {
            g.buf.a.push_str(topic);
        } else {
            let _ = write!(g.buf.a, "{topic} (part {})", edition + 1);
        }
        g.buf.b.clear();
        let _ = write!(
            g.buf.b,
            "{topic}. This article explains the steps, the settings involved and the most common \
             mistakes. 1. Open Settings. 2. Choose {category}. 3. Follow the prompts and save. \
             If the problem persists, contact support with your workspace name."
        );
        g.buf.json.clear();
        let _ = write!(
            g.buf.json,
            r#"["{}","how-to"{}]"#,
            category.to_lowercase(),
            if rng.chance(0.3) { r#","popular""# } else { "" }
        );
        // about half the articles have been embedded (VECTOR(1536) as little-endian f32)
        let has_embedding = rng.chance(0.5);
        if has_embedding {
            for chunk in embedding.chunks_exact_mut(4) {
                chunk.copy_from_slice(&(rng.float(-1.0, 1.0) as f32 / 40.0).to_le_bytes());
            }
        }
        let created = founded + rng.int(0, 6 * 365) * DAY;
        let updated = created + rng.int(0, (g.clock.now - created).max(DAY) / DAY) * DAY;
        g.buf.json2.clear();
        let _ = write!(
            g.buf.json2,
            r#"{{"author":"Support team","reading_minutes":{}}}"#,
            2 + rng.int(0, 8)
        );
        g.ins.knowledge_base.row(rusqlite::params![
            g.ids.next_id(),
            g.buf.a,
            g.buf.b,
            category,
            g.buf.json,
            has_embedding.then_some(embedding.as_slice()),
            i64::from(rng.chance(0.9)),
            rng.int(0, 5000),
            rng.int(0, 400),
            g.buf.json2,
            Ts::new(created),
            Ts::new(updated.min(g.clock.now)),
        ])?;
    }
    Ok(())
}

fn kpi_reference_ranges(g: &mut Gen<'_>, author: Id, founded: i64) -> Result<()> {
    let created = Ts::new(founded + 20 * DAY);
    for def in KPI_DEFS {
        let [critical, risk, healthy] = def.bands();
        g.ins.kpi_reference_ranges.row(rusqlite::params![
            g.ids.next_id(),
            def.name,
            def.unit,
            i64::from(def.higher_is_better()),
            critical.0,
            critical.1,
            risk.0,
            risk.1,
            healthy.0,
            healthy.1,
            created,
            created,
            author,
            author,
        ])?;
    }
    Ok(())
}

fn playbook_triggers(
    g: &mut Gen<'_>,
    rng: &mut Rng,
    workspaces: &[Workspace],
    founded: i64,
) -> Result<()> {
    let configs: [(&str, &str); 5] = [
        (
            "voc",
            r#"{"survey":"nps","send_after_days":90,"min_stakeholders":2}"#,
        ),
        (
            "activation",
            r#"{"max_days_to_first_value":30,"min_active_users_pct":40}"#,
        ),
        ("sla", r#"{"max_open_escalations":2,"resolution_hours":72}"#),
        ("renewal", r#"{"days_before_renewal":120,"min_health":60}"#),
        (
            "expansion",
            r#"{"min_health":75,"min_licence_utilisation_pct":85}"#,
        ),
    ];
    for ws in workspaces {
        for (kind, config) in configs {
            let created = Ts::new(founded + 60 * DAY);
            let auto = rng.chance(0.7);
            let evaluated = g.clock.now - rng.int(MINUTE, 6 * HOUR);
            let triggered = g.clock.now - rng.int(HOUR, 20 * DAY);
            g.ins.playbook_triggers.row(rusqlite::params![
                g.ids.next_id(),
                ws.id,
                kind,
                config,
                i64::from(auto),
                Ts::new(evaluated),
                auto.then(|| Ts::new(triggered)),
                if auto { rng.int(5, 400) } else { 0 },
                created,
                Ts::new(evaluated),
            ])?;
        }
    }
    Ok(())
}

fn data_feeds(g: &mut Gen<'_>, rng: &mut Rng, workspaces: &[Workspace]) -> Result<()> {
    // (feed type, cron schedule, direction, hours between runs)
    let feeds: [(&str, &str, &str, i64); 3] = [
        ("crm_accounts", "0 2 * * *", "inbound", 24),
        ("product_usage", "0 */6 * * *", "inbound", 6),
        ("partner_pos_export", "0 3 * * 1", "outbound", 24 * 7),
    ];
    for ws in workspaces {
        for (feed, schedule, direction, every) in feeds {
            let id = g.ids.next_id();
            // runs over the last 60 days, newest last
            let runs = 60 * 24 / every;
            let last_run = g.clock.now - rng.int(MINUTE, every * HOUR);
            g.ins.workspace_data_feeds.row(rusqlite::params![
                id,
                ws.id,
                feed,
                schedule,
                Ts::new(last_run)
            ])?;
            for k in (0..runs).rev() {
                let at = last_run - k * every * HOUR;
                let status = *rng.weighted(&[
                    ("succeeded", 90),
                    ("partial", 5),
                    ("failed", 4),
                    ("running", 1),
                ]);
                let status = if k == 0 && status == "running" {
                    "running"
                } else if status == "running" {
                    "succeeded"
                } else {
                    status
                };
                let sent = (status != "failed").then(|| rng.int(50, 20_000));
                g.ins.etl_runs.row(rusqlite::params![
                    g.ids.next_id(),
                    ws.id,
                    id,
                    direction,
                    feed,
                    Ts::new(at),
                    sent,
                    status,
                ])?;
            }
        }
    }
    Ok(())
}
