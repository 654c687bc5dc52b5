//! Who may see and do what, over a generated book of three workspaces: for every role (and a
//! user of several workspaces, `--workspace`, `--mine`), every read returns exactly the rows an
//! independent SQL oracle says the role may see, and every write is allowed or refused as
//! docs/access.md's policy table says, the database unchanged when refused.
//!
//! The oracle is written here in plain SQL on the file, from the documented table (admin and
//! ceo see their whole workspaces; everyone else what the workspace's visibility shows), not
//! from the store's `access_rules`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use cscx::generate::{self, Options as GenerateOptions};
use cscx::store::approvals::{self, Decision};
use cscx::store::entities::Call;
use cscx::store::enums::{CallStatus, CallType, DealStage};
use cscx::store::read::{
    Anchor, account, calls, customers, deals, dump, lookup, pickers, portfolio, sessions, trends,
};
use cscx::store::{self, Actor, Store, StoreError};
use rusqlite::{Connection, OptionalExtension};

const CUSTOMERS: u64 = 60;
const ALL: usize = 100_000;

/// The generated book, with one workspace switched to `assigned` visibility and a grant.
fn book(path: &Path) -> Book {
    let mut s = store::open(path).expect("store");
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 15).expect("date");
    s.set_today(Some(as_of));
    s.write(|w| {
        w.set_row_logging(false);
        generate::load(
            w,
            &GenerateOptions {
                customers: CUSTOMERS,
                seed: 7,
                as_of,
                detail: generate::Detail::Full,
            },
            &mut |_| {},
        )
    })
    .expect("generate");
    drop(s);
    let conn = Connection::open(path).expect("open");
    let names: Vec<(String, String)> =
        rows2(&conn, "SELECT id, name FROM workspaces ORDER BY name");
    assert!(names.len() >= 3, "at least three workspaces");
    let assigned = names[0].0.clone();
    conn.execute(
        "UPDATE workspaces SET visibility = 'assigned' WHERE id = ?1",
        [&assigned],
    )
    .expect("assigned");
    // a CSM of the assigned workspace is granted one customer of a colleague
    let csm: String = one(
        &conn,
        "SELECT user_id FROM workspace_members WHERE workspace_id = ?1 AND role = 'csm'
         ORDER BY user_id LIMIT 1",
        &assigned,
    );
    conn.execute(
        "INSERT OR IGNORE INTO user_customer_access (user_id, customer_id)
         SELECT ?1, id FROM customers WHERE workspace_id = ?2 AND csm_id IS NOT ?1
         ORDER BY id LIMIT 1",
        [&csm, &assigned],
    )
    .expect("grant");
    Book { assigned }
}

struct Book {
    assigned: String,
}

fn rows2(conn: &Connection, sql: &str) -> Vec<(String, String)> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn one(conn: &Connection, sql: &str, p: &str) -> String {
    conn.query_row(sql, [p], |r| r.get(0)).unwrap()
}

fn ids(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> BTreeSet<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map(params, |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Who acts in a case of the matrix.
#[derive(Debug, Clone)]
struct Who {
    label: String,
    user: String,
    workspace: Option<String>,
    mine: bool,
}

/// The customers `who` may see, by the documented policy, in plain SQL.
fn oracle_customers(conn: &Connection, who: &Who) -> BTreeSet<String> {
    ids(
        conn,
        "SELECT c.id FROM customers c
         JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = ?1
         JOIN workspaces w ON w.id = c.workspace_id
         WHERE (?2 IS NULL OR c.workspace_id = ?2)
           AND ((NOT ?3 AND (m.role IN ('admin', 'ceo') OR w.visibility = 'workspace'))
                OR c.csm_id = ?1
                OR EXISTS (SELECT 1 FROM user_customer_access g
                           WHERE g.user_id = ?1 AND g.customer_id = c.id))",
        &[&who.user, &who.workspace, &who.mine],
    )
}

/// Rows of `sql` (selecting `id, customer_id`) whose customer is visible.
fn oracle_rows(conn: &Connection, visible: &BTreeSet<String>, sql: &str) -> BTreeSet<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .filter_map(|r| {
            let (id, customer) = r.unwrap();
            visible.contains(&customer).then_some(id)
        })
        .collect()
}

/// One member of each role in the first workspace seen whole, one CSM and one viewer of
/// the assigned workspace, a user of every workspace, the same narrowed by --workspace, and
/// a CSM with --mine.
fn cases(conn: &Connection, book: &Book) -> Vec<Who> {
    let whole: String = one(
        conn,
        "SELECT id FROM workspaces WHERE id <> ?1 ORDER BY name LIMIT 1",
        &book.assigned,
    );
    let member = |ws: &str, role: &str| -> String {
        conn.query_row(
            "SELECT m.user_id FROM workspace_members m
             WHERE m.workspace_id = ?1 AND m.role = ?2
               AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = m.user_id) = 1
             ORDER BY m.user_id LIMIT 1",
            [ws, role],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("a {role} of {ws}: {e}"))
    };
    let mut out = Vec::new();
    for role in ["ceo", "admin", "csm", "sales", "analyst", "viewer"] {
        out.push(Who {
            label: format!("{role} of a workspace seen whole"),
            user: member(&whole, role),
            workspace: None,
            mine: false,
        });
    }
    for role in ["ceo", "admin", "csm", "sales", "analyst", "viewer"] {
        out.push(Who {
            label: format!("{role} of the assigned workspace"),
            user: member(&book.assigned, role),
            workspace: None,
            mine: false,
        });
    }
    let everywhere: String = conn
        .query_row(
            "SELECT user_id FROM workspace_members WHERE role = 'analyst'
             GROUP BY user_id HAVING count(*) >= 3 ORDER BY user_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an analyst of every workspace");
    out.push(Who {
        label: "analyst of every workspace".into(),
        user: everywhere.clone(),
        workspace: None,
        mine: false,
    });
    out.push(Who {
        label: "analyst of every workspace, --workspace".into(),
        user: everywhere,
        workspace: Some(whole.clone()),
        mine: false,
    });
    out.push(Who {
        label: "csm with --mine".into(),
        user: member(&whole, "csm"),
        workspace: None,
        mine: true,
    });
    out
}

fn acting(path: &Path, who: &Who) -> Store {
    let mut s = store::open(path).unwrap();
    s.set_today(NaiveDate::from_ymd_opt(2026, 3, 15));
    s.set_actor(Actor {
        user_id: Some(who.user.clone()),
        workspace_id: who.workspace.clone(),
        user_agent: Some("cscx access test".into()),
    });
    s
}

#[test]
fn every_read_of_every_role_returns_exactly_what_the_oracle_allows() {
    let db = common::temp_db();
    let book = book(&db.path);
    let conn = Connection::open(&db.path).unwrap();
    let every_customer = ids(&conn, "SELECT id FROM customers", &[]);
    let mut saw_partial = false;
    for who in cases(&conn, &book) {
        let s = acting(&db.path, &who);
        let r = s.reader(who.mine).unwrap();
        let visible = oracle_customers(&conn, &who);
        let label = &who.label;
        saw_partial |= visible.len() < every_customer.len();

        // the customer list and its count
        let q = customers::Query::default();
        let listed: BTreeSet<String> = customers::page(&r, &q, &Anchor::Start, ALL)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(listed, visible, "{label}: customer list");
        assert_eq!(
            customers::count(&r, &q).unwrap(),
            visible.len() as i64,
            "{label}: customer count"
        );
        // the picker
        let picked: BTreeSet<String> = pickers::customers(&r, "", ALL)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(picked, visible, "{label}: customer picker");

        // by id: the 360, trends, KPIs, stakeholders, explain's lookup
        for c in &every_customer {
            let shown = visible.contains(c);
            assert_eq!(
                account::load(&r, c, 5).unwrap().is_some(),
                shown,
                "{label}: 360 of {c}"
            );
            assert_eq!(trends::months(&r, c, 3).is_ok(), shown, "{label}: trends");
            assert_eq!(trends::kpis(&r, c, 3).is_ok(), shown, "{label}: KPIs");
            assert_eq!(
                pickers::stakeholders(&r, c, 5).is_ok(),
                shown,
                "{label}: stakeholder picker"
            );
            assert_eq!(
                lookup::customer(&r, c).is_ok(),
                shown,
                "{label}: explain's lookup"
            );
        }

        // deals: the pipeline and every stage's list
        let deal_ids = oracle_rows(&conn, &visible, "SELECT id, customer_id FROM deals");
        let total: i64 = deals::pipeline(&r).unwrap().iter().map(|t| t.count).sum();
        assert_eq!(total, deal_ids.len() as i64, "{label}: pipeline");
        let mut listed = BTreeSet::new();
        for stage in DealStage::ALL {
            listed.extend(
                deals::page(&r, *stage, &Anchor::Start, ALL)
                    .unwrap()
                    .into_iter()
                    .map(|d| d.id),
            );
        }
        assert_eq!(listed, deal_ids, "{label}: deals");
        for d in &deal_ids {
            assert!(deals::detail(&r, d, 3).is_ok(), "{label}: deal {d}");
        }

        // calls: a call with no customer is its user's (the generator links every call)
        let call_ids = oracle_rows(
            &conn,
            &visible,
            "SELECT id, customer_id FROM calls WHERE customer_id IS NOT NULL",
        );
        let listed: BTreeSet<String> =
            calls::page(&r, &calls::Filter::default(), &Anchor::Start, ALL)
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect();
        assert_eq!(listed, call_ids, "{label}: calls");
        assert_eq!(
            calls::stats(&r, &calls::Filter::default(), 3)
                .unwrap()
                .total,
            call_ids.len() as i64,
            "{label}: call stats"
        );

        // sessions, threads, the approvals queue
        let session_ids = oracle_rows(
            &conn,
            &visible,
            "SELECT id, customer_id FROM agent_sessions",
        );
        let listed: BTreeSet<String> = sessions::page(&r, None, &Anchor::Start, ALL)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(listed, session_ids, "{label}: sessions");
        assert_eq!(
            sessions::count(&r, None).unwrap(),
            session_ids.len() as i64,
            "{label}: session count"
        );
        let every_session = ids(&conn, "SELECT id FROM agent_sessions", &[]);
        for id in &every_session {
            assert_eq!(
                sessions::thread(&r, id, 3).is_ok(),
                session_ids.contains(id),
                "{label}: thread {id}"
            );
        }
        let pending = oracle_rows(
            &conn,
            &visible,
            "SELECT a.id, s.customer_id FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             WHERE a.status = 'pending'",
        );
        let queued: BTreeSet<String> = sessions::pending_approvals(&r, &Anchor::Start, ALL)
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(queued, pending, "{label}: approvals queue");
        assert_eq!(
            sessions::pending_count(&r).unwrap(),
            pending.len() as i64,
            "{label}: pending count"
        );

        // the portfolio counts and the movers
        let thresholds = trends::thresholds(&r).unwrap();
        let b = portfolio::bands(&r, &thresholds).unwrap();
        assert_eq!(
            b.red + b.yellow + b.green + b.unscored,
            visible.len() as i64,
            "{label}: portfolio"
        );
        for m in portfolio::movers(&r, ALL).unwrap() {
            assert!(visible.contains(&m.customer_id), "{label}: mover leaked");
        }

        // export: every table, row for row
        for (table, sql) in [
            ("customers", "SELECT id, id FROM customers"),
            ("stakeholders", "SELECT id, customer_id FROM stakeholders"),
            ("contracts", "SELECT id, customer_id FROM contracts"),
            ("deals", "SELECT id, customer_id FROM deals"),
            (
                "approvals",
                "SELECT a.id, s.customer_id FROM approvals a JOIN agent_sessions s ON s.id = a.session_id",
            ),
            (
                "agent_messages",
                "SELECT m.id, s.customer_id FROM agent_messages m
                 JOIN agent_sessions s ON s.id = m.session_id",
            ),
        ] {
            let t = s.catalog().table(table).unwrap();
            assert_eq!(
                dump::count(&r, t).unwrap(),
                oracle_rows(&conn, &visible, sql).len() as i64,
                "{label}: export of {table}"
            );
        }
        let members = ids(
            &conn,
            "SELECT DISTINCT o.user_id FROM workspace_members o
             WHERE o.workspace_id IN (SELECT workspace_id FROM workspace_members
                                      WHERE user_id = ?1 AND (?2 IS NULL OR workspace_id = ?2))",
            &[&who.user, &who.workspace],
        );
        let users = s.catalog().table("users").unwrap();
        assert_eq!(
            dump::count(&r, users).unwrap(),
            members.len() as i64,
            "{label}: export of users"
        );
        assert!(
            dump::columns(users)
                .iter()
                .all(|c| c.name != "password_hash"),
            "password_hash is never selected"
        );
    }
    assert!(
        saw_partial,
        "the matrix has roles that see part of the book"
    );
}

/// What each write attempt is, for the policy table's columns.
#[derive(Debug, Clone, Copy)]
enum Attempt {
    LogCallOfVisible,
    DeleteColleaguesCall,
    EditHiddenCustomer,
    ChangeWeights,
    DecideApproval,
}

/// Whether the documented policy allows `attempt` to `role` (in `assigned` visibility or not).
fn allowed(role: &str, attempt: Attempt) -> bool {
    let whole = matches!(role, "admin" | "ceo");
    match attempt {
        Attempt::LogCallOfVisible | Attempt::DecideApproval => role != "viewer",
        Attempt::DeleteColleaguesCall | Attempt::ChangeWeights => whole,
        Attempt::EditHiddenCustomer => whole,
    }
}

fn attempt(s: &mut Store, conn: &Connection, who: &Who, what: Attempt) -> store::Result<()> {
    let ws: String = one(
        conn,
        "SELECT workspace_id FROM workspace_members WHERE user_id = ?1",
        &who.user,
    );
    let customer = first_visible(conn, who);
    match what {
        Attempt::LogCallOfVisible => s
            .write(|w| {
                w.create(&Call {
                    workspace_id: ws.clone(),
                    user_id: who.user.clone(),
                    customer_id: Some(customer.clone()),
                    prospect_name: "Access test".into(),
                    call_type: CallType::Outbound,
                    status: CallStatus::Completed,
                    ..Call::default()
                })
            })
            .map(|_| ()),
        Attempt::DeleteColleaguesCall => {
            let id: String = conn
                .query_row(
                    "SELECT k.id FROM calls k WHERE k.workspace_id = ?1 AND k.user_id <> ?2
                     AND k.customer_id IN (SELECT id FROM customers WHERE workspace_id = ?1)
                     ORDER BY k.id LIMIT 1",
                    [&ws, &who.user],
                    |r| r.get(0),
                )
                .expect("a colleague's call");
            // a colleague's call of a customer this user sees (or of any, for admins)
            s.write(|w| w.delete::<Call>(&id)).map(|_| ())
        }
        Attempt::EditHiddenCustomer => {
            let hidden: Option<String> = conn
                .query_row(
                    "SELECT id FROM customers WHERE workspace_id = ?1
                     AND (csm_id IS NULL OR csm_id <> ?2)
                     AND id NOT IN (SELECT customer_id FROM user_customer_access WHERE user_id = ?2)
                     ORDER BY id LIMIT 1",
                    [&ws, &who.user],
                    |r| r.get(0),
                )
                .optional()
                .unwrap();
            let hidden = hidden.expect("a customer not assigned to them");
            s.write(|w| {
                w.update_row(
                    "customers",
                    &cscx::store::write::id_key(&hidden),
                    vec![("tier".into(), rusqlite::types::Value::Text("Gold".into()))],
                )
            })
            .map(|_| ())
        }
        Attempt::ChangeWeights => {
            let id: String = one(
                conn,
                "SELECT id FROM workspace_configs WHERE workspace_id = ?1",
                &ws,
            );
            s.write(|w| {
                w.update_row(
                    "workspace_configs",
                    &cscx::store::write::id_key(&id),
                    vec![("red_below".into(), rusqlite::types::Value::Integer(35))],
                )
            })
            .map(|_| ())
        }
        Attempt::DecideApproval => {
            let id = pending_approval_of(conn, &customer);
            s.write(|w| approvals::resolve(w, std::slice::from_ref(&id), Decision::Approve, None))
                .map(|_| ())
        }
    }
}

/// A pending approval of `customer`'s sessions, made (in plain SQL, before the attempt) when
/// the generator gave it none.
fn pending_approval_of(conn: &Connection, customer: &str) -> String {
    let find = || -> Option<String> {
        conn.query_row(
            "SELECT a.id FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             WHERE a.status = 'pending' AND s.customer_id = ?1 ORDER BY a.id LIMIT 1",
            [customer],
            |r| r.get(0),
        )
        .optional()
        .unwrap()
    };
    if let Some(id) = find() {
        return id;
    }
    conn.execute(
        "INSERT INTO agent_sessions (id, customer_id) VALUES (lower(hex(randomblob(16))), ?1)",
        [customer],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO approvals (session_id, agent_id, action)
         SELECT id, 'agent', 'send the renewal quote' FROM agent_sessions
         WHERE customer_id = ?1 ORDER BY rowid DESC LIMIT 1",
        [customer],
    )
    .unwrap();
    find().expect("a pending approval")
}

/// The customer a write attempt of `who` is about: one they see, in their workspace.
fn first_visible(conn: &Connection, who: &Who) -> String {
    let ws: String = one(
        conn,
        "SELECT workspace_id FROM workspace_members WHERE user_id = ?1",
        &who.user,
    );
    oracle_customers(conn, who)
        .into_iter()
        .find(|c| one(conn, "SELECT workspace_id FROM customers WHERE id = ?1", c) == ws)
        .expect("a visible customer")
}

#[test]
fn every_write_of_every_role_is_allowed_or_refused_as_the_policy_says() {
    let db = common::temp_db();
    let book = book(&db.path);
    let conn = Connection::open(&db.path).unwrap();
    let attempts = [
        Attempt::LogCallOfVisible,
        Attempt::DeleteColleaguesCall,
        Attempt::EditHiddenCustomer,
        Attempt::ChangeWeights,
        Attempt::DecideApproval,
    ];
    for role in ["ceo", "admin", "csm", "sales", "analyst", "viewer"] {
        let user: String = conn
            .query_row(
                "SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = ?1
                 AND m.role = ?2
                 AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = m.user_id) = 1
                 ORDER BY m.user_id LIMIT 1",
                [&book.assigned, role],
                |r| r.get(0),
            )
            .unwrap();
        // every role is granted one customer of the assigned workspace (seed 000's
        // user_partner_access), so that each has something to write about
        conn.execute(
            "INSERT OR IGNORE INTO user_customer_access (user_id, customer_id)
             SELECT ?1, id FROM customers WHERE workspace_id = ?2 ORDER BY id DESC LIMIT 1",
            [&user, &book.assigned],
        )
        .unwrap();
        let who = Who {
            label: role.into(),
            user,
            workspace: None,
            mine: false,
        };
        for what in attempts {
            // viewers and customers that cannot be seen: only the assigned workspace has them
            let mut s = acting(&db.path, &who);
            if matches!(what, Attempt::DecideApproval) {
                pending_approval_of(&conn, &first_visible(&conn, &who));
            }
            // a dump costs a second on this book: only where the file must stay the same
            let before = (!allowed(role, what)).then(|| common::dump(&db.path));
            let result = attempt(&mut s, &conn, &who, what);
            if allowed(role, what) {
                assert!(result.is_ok(), "{role} {what:?}: {result:?}");
            } else {
                let err = result.expect_err(&format!("{role} {what:?} must be refused"));
                let text = err.to_string();
                assert!(
                    matches!(err, StoreError::Denied { .. }),
                    "{role} {what:?}: {text}"
                );
                assert!(text.starts_with(&format!("refused ({role}")), "{text}");
                if role == "viewer" {
                    assert!(text.contains("viewer: read only"), "{text}");
                }
                // the refusal names the action refused, as the user attempted it
                let verb = match what {
                    Attempt::LogCallOfVisible => "): create calls ",
                    Attempt::DeleteColleaguesCall => "): delete calls ",
                    Attempt::EditHiddenCustomer => "): update customers ",
                    Attempt::ChangeWeights => "): update workspace_configs ",
                    Attempt::DecideApproval => "): update approvals ",
                };
                assert!(text.contains(verb), "{role} {what:?}: {text}");
                // and the rule: a colleague's call is theirs, settings are the admins'
                match (role, what) {
                    ("viewer", _) => {}
                    (_, Attempt::DeleteColleaguesCall) => assert!(
                        text.contains(&format!("{role}: only their own calls")),
                        "{text}"
                    ),
                    (_, Attempt::ChangeWeights) => assert!(
                        text.contains(&format!("{role}: may not change workspace settings")),
                        "{text}"
                    ),
                    _ => {}
                }
                assert_eq!(
                    before.as_deref(),
                    Some(common::dump(&db.path).as_str()),
                    "{role} {what:?} changed the file"
                );
            }
        }
    }
}

fn cscx(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(common::cscx_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", db.parent().unwrap())
        .env_remove("CSCX_USER")
        .output()
        .unwrap()
}

#[test]
fn identity_mistakes_exit_2_and_an_export_holds_no_password_hash() {
    let db = common::temp_db();
    let book = book(&db.path);
    let conn = Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE users SET password_hash = 'argon2$secret' WHERE password_hash IS NULL",
        [],
    )
    .unwrap();
    let out = db.dir.path().join("out");
    let out_s = out.to_str().unwrap();
    let before = common::dump(&db.path);

    let o = cscx(&db.path, &["--user", "nobody@x", "export", "--out", out_s]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--user nobody@x: no user has this email"),
        "{err}"
    );

    let (email, other): (String, String) = conn
        .query_row(
            "SELECT u.email, (SELECT name FROM workspaces WHERE id <> m.workspace_id LIMIT 1)
             FROM users u JOIN workspace_members m ON m.user_id = u.id
             GROUP BY u.id HAVING count(*) = 1 ORDER BY u.email LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let o = cscx(
        &db.path,
        &[
            "--user",
            &email,
            "--workspace",
            &other,
            "export",
            "--out",
            out_s,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("is not a member of it"), "{err}");

    assert_eq!(
        before,
        common::dump(&db.path),
        "refused commands change nothing"
    );
    conn.execute("UPDATE users SET is_active = 0 WHERE email = ?1", [&email])
        .unwrap();
    let o = cscx(&db.path, &["--user", &email, "export", "--out", out_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inactive"));
    conn.execute("UPDATE users SET is_active = 1 WHERE email = ?1", [&email])
        .unwrap();
    // (switching the user back touched its updated_at: the file's state from here on;
    // the exports below add their runs to etl_runs, and nothing else)
    let before = common::dump_but_runs(&db.path);
    let outbound = |conn: &Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM etl_runs WHERE direction = 'outbound' AND status = 'succeeded'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let runs_before = outbound(&conn);

    // an export as a CSM of the assigned workspace: no secret, only their scope
    let csm: String = one(
        &conn,
        "SELECT u.email FROM users u JOIN workspace_members m ON m.user_id = u.id
         WHERE m.workspace_id = ?1 AND m.role = 'csm'
           AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = u.id) = 1
         ORDER BY u.id LIMIT 1",
        &book.assigned,
    );
    for args in [
        vec!["export", "--out", out_s],
        vec![
            "--user",
            csm.as_str(),
            "export",
            "--out",
            out_s,
            "--format",
            "json",
        ],
    ] {
        let o = cscx(&db.path, &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        for entry in std::fs::read_dir(&out).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert!(
                !text.contains("password_hash"),
                "a column named password_hash"
            );
            assert!(
                !text.contains("argon2$secret"),
                "a password hash was exported"
            );
        }
    }
    let exported = std::fs::read_to_string(out.join("customers.json")).unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&exported).unwrap();
    let csm_id: String = one(&conn, "SELECT id FROM users WHERE email = ?1", &csm);
    let who = Who {
        label: "csm".into(),
        user: csm_id,
        workspace: None,
        mine: false,
    };
    let exported_ids: BTreeSet<String> = rows
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(exported_ids, oracle_customers(&conn, &who), "export scope");

    // a CSM may not import
    let o = cscx(&db.path, &["--user", &csm, "import", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("csm: may not import"), "{err}");
    assert_eq!(before, common::dump_but_runs(&db.path));
    // the two exports are on record, the refused import (refused before it ran) is not
    assert_eq!(outbound(&conn), runs_before + 2);
}

/// The dashboard as `who`, on the file, with the generated book's clock.
fn dashboard(path: &Path, who: &Who) -> cscx::tui::headless::Headless {
    let s = acting(path, who);
    let options = cscx::tui::app::Options {
        clock: cscx::tui::clock::Clock::Fixed(
            chrono::DateTime::parse_from_rfc3339("2026-03-15T12:00:00+00:00").unwrap(),
        ),
        ..cscx::tui::app::Options::for_store(&s, who.mine)
    };
    cscx::tui::headless::Headless::inline(s, options, 140, 40)
}

#[test]
fn the_dashboard_shows_the_same_scope_on_every_tab() {
    let db = common::temp_db();
    let book = book(&db.path);
    let conn = Connection::open(&db.path).unwrap();
    let csm_of = |ws: &str| -> String {
        one(
            &conn,
            "SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = ?1 AND m.role = 'csm'
               AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = m.user_id) = 1
             ORDER BY m.user_id LIMIT 1",
            ws,
        )
    };
    let whole: String = one(
        &conn,
        "SELECT id FROM workspaces WHERE id <> ?1 ORDER BY name LIMIT 1",
        &book.assigned,
    );
    for who in [
        Who {
            label: "a CSM of the assigned workspace".into(),
            user: csm_of(&book.assigned),
            workspace: None,
            mine: false,
        },
        Who {
            label: "a CSM with --mine".into(),
            user: csm_of(&whole),
            workspace: None,
            mine: true,
        },
    ] {
        let label = &who.label;
        let visible = oracle_customers(&conn, &who);
        let every = ids(&conn, "SELECT id FROM customers", &[]);
        assert!(visible.len() < every.len(), "{label}: a part of the book");
        let mut h = dashboard(&db.path, &who);
        h.keys(&["1"]);
        assert_eq!(
            h.customers().matching(),
            Some(visible.len() as i64),
            "{label}: Customers"
        );
        let name: String = one(&conn, "SELECT name FROM users WHERE id = ?1", &who.user);
        let first_line = h.screen().lines().next().unwrap_or_default().to_owned();
        assert!(
            first_line.contains(&format!("{name} · csm in")),
            "{label}: who I am: {first_line}"
        );
        h.keys(&["2", "v"]);
        let p = h.health().portfolio().expect("the portfolio");
        assert_eq!(
            p.bands.red + p.bands.yellow + p.bands.green + p.bands.unscored,
            visible.len() as i64,
            "{label}: Health trends portfolio"
        );
        for m in &p.movers {
            assert!(visible.contains(&m.customer_id), "{label}: a mover leaked");
        }
        h.keys(&["3"]);
        let deals = oracle_rows(&conn, &visible, "SELECT id, customer_id FROM deals");
        let in_pipeline: i64 = h
            .deals()
            .pipeline()
            .expect("the pipeline")
            .iter()
            .map(|t| t.count)
            .sum();
        assert_eq!(in_pipeline, deals.len() as i64, "{label}: Deals");
        h.keys(&["4"]);
        let calls = oracle_rows(
            &conn,
            &visible,
            "SELECT id, customer_id FROM calls WHERE customer_id IS NOT NULL",
        );
        assert_eq!(
            h.calls().stats().map(|s| s.total),
            Some(calls.len() as i64),
            "{label}: Calls"
        );
        h.keys(&["5"]);
        let sessions = oracle_rows(
            &conn,
            &visible,
            "SELECT id, customer_id FROM agent_sessions",
        );
        let pending = oracle_rows(
            &conn,
            &visible,
            "SELECT a.id, s.customer_id FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             WHERE a.status = 'pending'",
        );
        assert_eq!(
            h.sessions().total(),
            Some(sessions.len() as i64),
            "{label}: Agent sessions"
        );
        assert_eq!(
            h.sessions().pending(),
            Some(pending.len() as i64),
            "{label}: approvals queue"
        );
    }
}

/// System writes: recomputing health is a maintenance action for the file's owner or a role
/// that may change the workspace's settings (admin, ceo) in every workspace it acts in;
/// generating a book row by row past the write path's checks is the owner's only.
#[test]
fn recompute_and_generate_are_policy_checked() {
    let db = common::temp_db();
    let book = book(&db.path);
    let conn = Connection::open(&db.path).unwrap();
    let member = |role: &str| -> String {
        one(
            &conn,
            &format!(
                "SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = ?1
                 AND m.role = '{role}'
                 AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = m.user_id) = 1
                 ORDER BY m.user_id LIMIT 1"
            ),
            &book.assigned,
        )
    };
    let who = |role: &str| Who {
        label: role.into(),
        user: member(role),
        workspace: Some(book.assigned.clone()),
        mine: false,
    };
    for role in ["csm", "viewer", "analyst", "sales"] {
        let mut s = acting(&db.path, &who(role));
        let before = common::dump(&db.path);
        let err = store::health_sync::recompute_all(&mut s, |_, _| {})
            .expect_err("only admins recompute");
        let text = err.to_string();
        assert!(matches!(err, StoreError::Denied { .. }), "{text}");
        // the rule that refuses is the role's most basic one: a viewer may not write at all
        let rule = if role == "viewer" {
            "viewer: read only".to_owned()
        } else {
            format!("{role}: may not change workspace settings")
        };
        assert!(text.contains(&rule), "{text}");
        assert!(text.contains("recompute health"), "{text}");
        // any customer of the workspace: refused whether or not the role sees it
        let one_customer = one(
            &conn,
            "SELECT id FROM customers WHERE workspace_id = ?1 ORDER BY rowid LIMIT 1",
            &book.assigned,
        );
        assert!(store::health_sync::recompute_some(&mut s, &[one_customer]).is_err());
        assert_eq!(before, common::dump(&db.path), "{role}: file unchanged");
    }
    for role in ["admin", "ceo"] {
        let mut s = acting(&db.path, &who(role));
        store::health_sync::recompute_all(&mut s, |_, _| {}).expect("an admin recomputes");
    }
    // the owner (no --user) recomputes everything
    let mut owner = store::open(&db.path).unwrap();
    owner.set_today(NaiveDate::from_ymd_opt(2026, 3, 15));
    store::health_sync::recompute_all(&mut owner, |_, _| {}).expect("the owner recomputes");

    // generate: the owner's only, even for an admin
    let mut s = acting(&db.path, &who("admin"));
    let err = s
        .write(|w| {
            generate::load(
                w,
                &GenerateOptions {
                    customers: 1,
                    seed: 1,
                    as_of: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
                    detail: generate::Detail::Lean,
                },
                &mut |_| {},
            )
        })
        .expect_err("generate as a user");
    assert!(err.to_string().contains("only the file's owner"), "{err}");
}

/// Search everything is scoped like every other read: a CSM of a workspace with `assigned`
/// visibility does not find a word in the call note of a colleague's customer, while the
/// colleague (that customer's CSM) and an admin of the workspace do.
#[test]
fn a_csm_with_assigned_visibility_does_not_find_a_colleagues_call_note() {
    use cscx::store::read::search::{self, Found};
    let db = common::temp_db();
    let book = book(&db.path);
    let conn = Connection::open(&db.path).unwrap();
    let csm: String = one(
        &conn,
        "SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = ?1 AND m.role = 'csm'
           AND (SELECT count(*) FROM workspace_members o WHERE o.user_id = m.user_id) = 1
         ORDER BY m.user_id LIMIT 1",
        &book.assigned,
    );
    // a customer of the workspace that is a colleague's and not granted to the CSM
    let (customer, colleague): (String, String) = conn
        .query_row(
            "SELECT c.id, c.csm_id FROM customers c
             WHERE c.workspace_id = ?1 AND c.csm_id IS NOT NULL AND c.csm_id <> ?2
               AND NOT EXISTS (SELECT 1 FROM user_customer_access g
                               WHERE g.user_id = ?2 AND g.customer_id = c.id)
             ORDER BY c.id LIMIT 1",
            [&book.assigned, &csm],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute(
        "INSERT INTO calls (workspace_id, user_id, customer_id, prospect_name, call_type, status, notes)
         VALUES (?1, ?2, ?3, 'Someone', 'outbound', 'completed', 'the Quixotrandel renewal is at risk')",
        [&book.assigned, &colleague, &customer],
    )
    .unwrap();
    let call: String = conn
        .query_row(
            "SELECT id FROM calls WHERE rowid = last_insert_rowid()",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let found_by = |user: &str| -> Vec<String> {
        let who = Who {
            label: user.to_owned(),
            user: user.to_owned(),
            workspace: None,
            mine: false,
        };
        let s = acting(&db.path, &who);
        let r = s.reader(false).unwrap();
        // inside a word, and the whole word
        let mut ids = Vec::new();
        for text in ["xotrand", "Quixotrandel"] {
            let results = search::search(&r, text, 5).unwrap();
            ids.extend(
                results
                    .hits()
                    .filter(|h| h.kind == Found::Call)
                    .map(|h| h.id.clone()),
            );
        }
        ids
    };
    assert!(
        found_by(&csm).is_empty(),
        "the CSM found a colleague's call note"
    );
    assert_eq!(found_by(&colleague), vec![call.clone(), call.clone()]);
    let admin: String = one(
        &conn,
        "SELECT user_id FROM workspace_members WHERE workspace_id = ?1 AND role = 'admin'
         ORDER BY user_id LIMIT 1",
        &book.assigned,
    );
    assert!(found_by(&admin).contains(&call));
}
