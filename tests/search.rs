//! Search everything on a real SQLite file: words found inside call notes, transcripts and
//! knowledge base articles (inside words too), every kind grouped, the index kept by the
//! triggers as rows change and rebuilt after a bulk load, and the actor's scope.

mod common;

use cscx::store::read::search::{self, Found, Results};
use cscx::store::{Actor, Store};
use rusqlite::{Connection, params};

fn hits(s: &Store, text: &str) -> Results {
    let r = s.reader(false).expect("reader");
    search::search(&r, text, 5).expect("search")
}

fn ids_of(results: &Results, kind: Found) -> Vec<String> {
    results
        .hits()
        .filter(|h| h.kind == kind)
        .map(|h| h.id.clone())
        .collect()
}

/// Rows of every kind, each with a made-up word of its own, for Initech (Acme CS) and one
/// call for Umbrella (Globex CS).
struct Rows {
    call: String,
    other_call: String,
    transcript: String,
    article: String,
    message: String,
    session: String,
}

fn arrange(conn: &Connection, f: &common::Fixture) -> Rows {
    let id = |table: &str, rowid: i64| -> String {
        conn.query_row(
            &format!("SELECT id FROM {table} WHERE rowid = ?1"),
            [rowid],
            |r| r.get(0),
        )
        .expect("id")
    };
    conn.execute(
        "INSERT INTO calls (workspace_id, user_id, customer_id, prospect_name, call_type, status, notes)
         VALUES (?1, ?2, ?3, 'Wile E. Coyote', 'outbound', 'completed',
                 'They asked about the Zanzibarquortle rollout and the renewal date')",
        params![f.workspace, f.user, f.customer],
    )
    .expect("call");
    let call = id("calls", conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO calls (workspace_id, user_id, customer_id, prospect_name, call_type, status, notes)
         VALUES (?1, ?2, ?3, 'Road Runner', 'inbound', 'completed', 'Umbrella wants Zanzibarquortle too')",
        params![f.other_workspace, f.user, f.other_customer],
    )
    .expect("other call");
    let other_call = id("calls", conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO meetings (customer_id, title, description, status)
         VALUES (?1, 'QBR', 'quarterly review', 'completed')",
        [&f.customer],
    )
    .expect("meeting");
    let meeting = id("meetings", conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO transcripts (meeting_id, content)
         VALUES (?1, 'Dana: the dashboards are flamboyantly slow.\nBob: we will fix it.')",
        [&meeting],
    )
    .expect("transcript");
    let transcript = id("transcripts", conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO knowledge_base (title, content, category)
         VALUES ('Handling a hyperquokka escalation', 'Step one: breathe.', 'support')",
        [],
    )
    .expect("article");
    let article = id("knowledge_base", conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO stakeholders (customer_id, name, email, role)
         VALUES (?1, 'Peter Gibbons', 'peter@initech.test', 'Programmer')",
        [&f.customer],
    )
    .expect("stakeholder");
    conn.execute(
        "INSERT INTO insights (customer_id, content) VALUES (?1, 'Budget for the gallimaufry project is frozen')",
        [&f.customer],
    )
    .expect("insight");
    conn.execute(
        "INSERT INTO deals (customer_id, name) VALUES (?1, 'Expansion')",
        [&f.customer],
    )
    .expect("deal");
    let deal = id("deals", conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO deal_notes (deal_id, note_txt) VALUES (?1, 'Procurement needs the tessellated pricing sheet')",
        [&deal],
    )
    .expect("deal note");
    conn.execute(
        "INSERT INTO agent_messages (session_id, role, content)
         VALUES (?1, 'agent', 'I drafted the onboarding checklist for the widgetry team')",
        [&f.session],
    )
    .expect("message");
    let message = id("agent_messages", conn.last_insert_rowid());
    Rows {
        call,
        other_call,
        transcript,
        article,
        message,
        session: f.session.clone(),
    }
}

#[test]
fn words_are_found_inside_notes_transcripts_and_articles_inside_words_too() {
    let (_db, mut s) = common::file_store();
    let f = common::fixture(&mut s);
    let rows = arrange(&common::sql(&s), &f);

    // a whole word of a call note, any case
    let found = hits(&s, "ZANZIBARQUORTLE");
    let calls = ids_of(&found, Found::Call);
    assert!(calls.contains(&rows.call), "{found:?}");
    let hit = found.hits().find(|h| h.id == rows.call).expect("the call");
    assert_eq!(hit.customer_name.as_deref(), Some("Initech"));
    assert!(hit.when.is_some(), "a call says where it sits in the log");
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|(_, m)| *m)
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(marked, vec!["Zanzibarquortle"], "{:?}", hit.snippet);

    // inside a word: of a note, a transcript, an article
    assert!(ids_of(&hits(&s, "barquort"), Found::Call).contains(&rows.call));
    let t = hits(&s, "mboyant");
    assert_eq!(ids_of(&t, Found::Transcript), vec![rows.transcript.clone()]);
    assert_eq!(
        ids_of(&hits(&s, "perquok"), Found::Article),
        vec![rows.article.clone()]
    );

    // every kind, each in its group
    assert_eq!(ids_of(&hits(&s, "gibbon"), Found::Stakeholder).len(), 1);
    assert_eq!(ids_of(&hits(&s, "llimauf"), Found::Insight).len(), 1);
    assert_eq!(ids_of(&hits(&s, "ssellat"), Found::DealNote).len(), 1);
    let m = hits(&s, "idgetr");
    assert_eq!(ids_of(&m, Found::Message), vec![rows.message.clone()]);
    assert_eq!(
        m.hits().next().and_then(|h| h.session_id.clone()),
        Some(rows.session.clone())
    );
    assert_eq!(
        ids_of(&hits(&s, "nitec"), Found::Customer),
        vec![f.customer.clone()]
    );
    assert!(ids_of(&hits(&s, "quarterly"), Found::Meeting).len() == 1);

    // every word must be in the hit; the trigrams of a word out of order are not the word
    assert!(!hits(&s, "zanzibarquortle renewal").is_empty());
    assert!(ids_of(&hits(&s, "zanzibarquortle flamboyantly"), Found::Call).is_empty());
    assert!(hits(&s, "quortlezanzibar").is_empty());
    // too short to look up: nothing, not everything
    assert!(hits(&s, "za").is_empty());
}

#[test]
fn the_index_follows_edits_and_deletes() {
    let (_db, mut s) = common::file_store();
    let f = common::fixture(&mut s);
    let conn = common::sql(&s);
    let rows = arrange(&conn, &f);
    conn.execute(
        "UPDATE calls SET notes = 'nothing to see' WHERE id = ?1",
        [&rows.call],
    )
    .expect("edit");
    assert!(!ids_of(&hits(&s, "zanzibar"), Found::Call).contains(&rows.call));
    assert!(ids_of(&hits(&s, "nothing to see"), Found::Call).contains(&rows.call));
    conn.execute("DELETE FROM knowledge_base WHERE id = ?1", [&rows.article])
        .expect("delete");
    assert!(hits(&s, "hyperquokka").is_empty());
    // every new index agrees with its table
    for t in [
        "stakeholders_trigram",
        "calls_trigram",
        "meetings_trigram",
        "transcripts_trigram",
        "agent_messages_trigram",
        "insights_trigram",
        "deal_notes_trigram",
        "knowledge_base_trigram",
    ] {
        conn.execute(
            &format!("INSERT INTO {t}({t}, rank) VALUES ('integrity-check', 1)"),
            [],
        )
        .unwrap_or_else(|e| panic!("{t}: {e}"));
    }
}

#[test]
fn an_actor_finds_only_what_they_may_see() {
    let (_db, mut s) = common::file_store();
    let f = common::fixture(&mut s);
    let rows = arrange(&common::sql(&s), &f);
    // the file's owner sees both workspaces' calls
    let all = ids_of(&hits(&s, "zanzibarquortle"), Found::Call);
    assert!(
        all.contains(&rows.call) && all.contains(&rows.other_call),
        "{all:?}"
    );
    // Dana, admin of Acme CS only, never sees Umbrella's (Globex CS) call
    s.set_actor(Actor {
        user_id: Some(f.user.clone()),
        workspace_id: None,
        user_agent: None,
    });
    let dana = ids_of(&hits(&s, "zanzibarquortle"), Found::Call);
    assert_eq!(dana, vec![rows.call.clone()]);
    // the knowledge base is everyone's
    assert_eq!(ids_of(&hits(&s, "hyperquokka"), Found::Article).len(), 1);
}
