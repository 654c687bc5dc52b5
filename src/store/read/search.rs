//! Search everything: one query over the free text of every kind of record the dashboard
//! shows (customers, stakeholders, calls, meetings, transcripts, agent messages, insights,
//! deal notes, the knowledge base), a few of the newest hits of each kind, each with the
//! text around its match.
//!
//! Every word of three characters or more is looked up in a trigram index (migration
//! `0012_search.sql`; customers' names in 0010's `customers_trigram`), so a word matches
//! inside words too (`newa` finds "renewal"). Those indexes keep no positions
//! (`detail='none'`), so a row they name holds every trigram of the word but maybe not the
//! word: each row is then checked for every word with `instr` before it counts, and the
//! query stops at the `per_kind + 1`th row that passes. Words of one or two characters only
//! narrow what longer words found: a trigram cannot look them up, and alone they would match
//! most of the book. A search with no word of three characters is no search ([`Terms::parse`]).
//!
//! Rows are the reader's only: each kind's query carries the reader's scope (through the
//! row's customer; a call without one by its own workspace and user). The knowledge base
//! belongs to no workspace and is every reader's (as `cscx export` treats it).

use crate::store::db::params_from_iter;
use rusqlite::types::Value;

use super::reader::Reader;
use crate::store::error::Result;

/// The kinds of record a search finds, in the order results are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Found {
    Customer,
    Stakeholder,
    Call,
    Meeting,
    Transcript,
    Message,
    Insight,
    DealNote,
    Article,
}

impl Found {
    /// The table a hit of the kind is a row of.
    pub fn table(self) -> &'static str {
        match self {
            Found::Customer => "customers",
            Found::Stakeholder => "stakeholders",
            Found::Call => "calls",
            Found::Meeting => "meetings",
            Found::Transcript => "transcripts",
            Found::Message => "agent_messages",
            Found::Insight => "insights",
            Found::DealNote => "deal_notes",
            Found::Article => "knowledge_base",
        }
    }

    pub const ALL: [Found; 9] = [
        Found::Customer,
        Found::Stakeholder,
        Found::Call,
        Found::Meeting,
        Found::Transcript,
        Found::Message,
        Found::Insight,
        Found::DealNote,
        Found::Article,
    ];

    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            Found::Customer => "Customers",
            Found::Stakeholder => "Stakeholders",
            Found::Call => "Calls",
            Found::Meeting => "Meetings",
            Found::Transcript => "Transcripts",
            Found::Message => "Agent messages",
            Found::Insight => "Insights",
            Found::DealNote => "Deal notes",
            Found::Article => "Knowledge base",
        }
    }
}

/// One record found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: Found,
    /// The record's id (a call's for a call, a message's for a message).
    pub id: String,
    /// What the record is: a name, a call's prospect, a meeting's title, an insight's type.
    pub title: String,
    /// The customer it belongs to (None: a call with no customer, an article).
    pub customer_id: Option<String>,
    pub customer_name: Option<String>,
    /// A message's session (its thread is where it lives).
    pub session_id: Option<String>,
    /// A call's date (`calls::WHEN`): where it sits in the call log.
    pub when: Option<String>,
    /// The text around the first match, cut into plain and matching parts (raw: the
    /// dashboard neutralises each part as it draws it).
    pub snippet: Vec<(String, bool)>,
}

/// What was found: the hits of each kind, newest first within a kind, and whether the kind
/// may have more than were read (more than a page, or a word in more than [`CANDIDATES`]
/// rows: a kind may then be here with no hits, saying that typing more may find some).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    pub groups: Vec<(Found, Vec<Hit>, bool)>,
}

impl Results {
    pub fn len(&self) -> usize {
        self.groups.iter().map(|(_, h, _)| h.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hits in the order they are shown.
    pub fn hits(&self) -> impl Iterator<Item = &Hit> {
        self.groups.iter().flat_map(|(_, h, _)| h.iter())
    }
}

/// The words of a search: what is looked up and what every hit must contain.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// Every word, lowercased (ASCII, as SQLite's `lower` does): each must be in a hit.
    pub words: Vec<String>,
}

/// The fewest characters a word needs to be looked up.
pub const MIN_CHARS: usize = 3;

impl Terms {
    /// None when no word has [`MIN_CHARS`] characters.
    pub fn parse(text: &str) -> Option<Terms> {
        let mut words: Vec<String> = Vec::new();
        for w in text.split_whitespace() {
            let w = w.to_ascii_lowercase();
            if !words.contains(&w) {
                words.push(w);
            }
        }
        words
            .iter()
            .any(|w| w.chars().count() >= MIN_CHARS)
            .then_some(Terms { words })
    }

    fn long(&self) -> impl Iterator<Item = &String> {
        self.words.iter().filter(|w| w.chars().count() >= MIN_CHARS)
    }

    /// The FTS5 query of an index without positions: the trigrams that cover each long
    /// word (the first, every third, the last: fewer lists to intersect, and the check of
    /// the row does the rest), each quoted, all required.
    pub fn trigram_query(&self) -> String {
        let mut grams: Vec<String> = Vec::new();
        for w in self.long() {
            let chars: Vec<char> = w.chars().collect();
            let last = chars.len() - MIN_CHARS;
            let mut starts: Vec<usize> = (0..=last).step_by(MIN_CHARS).collect();
            if starts.last() != Some(&last) {
                starts.push(last);
            }
            for s in starts {
                let g: String = chars[s..s + MIN_CHARS].iter().collect();
                let q = quote(&g);
                if !grams.contains(&q) {
                    grams.push(q);
                }
            }
        }
        grams.join(" ")
    }

    /// The FTS5 query of an index with positions (`customers_trigram`): each long word as
    /// a phrase.
    pub fn phrase_query(&self) -> String {
        self.long().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
    }

    /// SQL true when every word is in one of `columns`; binds the words.
    fn check_sql(&self, columns: &[&str], params: &mut Vec<Value>) -> String {
        let mut all = Vec::new();
        for w in &self.words {
            params.push(Value::Text(w.clone()));
            let n = params.len();
            let any: Vec<String> = columns
                .iter()
                .map(|c| format!("instr(lower(ifnull({c}, '')), ?{n}) > 0"))
                .collect();
            all.push(format!("({})", any.join(" OR ")));
        }
        all.join(" AND ")
    }
}

fn quote(w: &str) -> String {
    format!("\"{}\"", w.replace('"', "\"\""))
}

/// How one kind is searched: its index, the row it indexes and how to reach the customer.
struct Plan {
    kind: Found,
    /// The FTS5 table.
    index: &'static str,
    /// The JOINs after the index's rows (`f.hit`, a rowid): the indexed row, its customer
    /// `c`. CROSS JOINs: SQLite keeps their order, so the few candidates lead and a scope's
    /// `c.workspace_id IN (...)` never makes it walk a workspace's customers instead.
    joins: &'static str,
    /// id, title, customer id, customer name, session id, when.
    head: &'static str,
    /// The text columns checked for the words (and the snippet taken from the first that
    /// holds the first word).
    texts: &'static [&'static str],
    /// The index keeps positions: its phrase match needs no check of the row.
    positional: bool,
    /// The kind's rows from a visible customer `c` (selecting their rowids as `hit`), for
    /// a reader who sees few customers; None: the kind has no customer (the articles).
    by_customer: Option<&'static str>,
    scope: Scoping,
}

#[derive(Clone, Copy)]
enum Scoping {
    /// Through the customer `c` (an inner join: every row has one).
    Customer,
    /// A call: through its customer if it has one, else its workspace and user.
    Call,
    /// Everyone's (the knowledge base).
    Shared,
}

const PLANS: &[Plan] = &[
    Plan {
        kind: Found::Customer,
        index: "customers_trigram",
        joins: "CROSS JOIN customers c ON c.rowid = f.hit",
        head: "c.id, c.name, c.id, c.name, NULL, NULL",
        texts: &["c.name"],
        positional: true,
        by_customer: Some("SELECT c.rowid AS hit FROM customers c"),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::Stakeholder,
        index: "stakeholders_trigram",
        joins: "CROSS JOIN stakeholders x ON x.rowid = f.hit
                CROSS JOIN customers c ON c.id = x.customer_id",
        head: "x.id, x.name, c.id, c.name, NULL, NULL",
        texts: &["x.name", "x.email", "x.role", "x.notes"],
        positional: false,
        by_customer: Some(
            "SELECT x.rowid AS hit FROM customers c CROSS JOIN stakeholders x ON x.customer_id = c.id",
        ),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::Call,
        index: "calls_trigram",
        joins: "CROSS JOIN calls k ON k.rowid = f.hit
                LEFT JOIN customers c ON c.id = k.customer_id",
        // the call's date as the call log has it (calls::WHEN)
        head: "k.id, k.prospect_name, c.id, c.name, NULL, coalesce(k.completed_at, k.scheduled_at, k.created_at)",
        texts: &["k.notes", "k.prospect_name"],
        positional: false,
        by_customer: Some(
            "SELECT k.rowid AS hit FROM customers c CROSS JOIN calls k ON k.customer_id = c.id",
        ),
        scope: Scoping::Call,
    },
    Plan {
        kind: Found::Meeting,
        index: "meetings_trigram",
        joins: "CROSS JOIN meetings x ON x.rowid = f.hit
                CROSS JOIN customers c ON c.id = x.customer_id",
        head: "x.id, x.title, c.id, c.name, NULL, x.scheduled_at",
        texts: &["x.description", "x.title"],
        positional: false,
        by_customer: Some(
            "SELECT x.rowid AS hit FROM customers c CROSS JOIN meetings x ON x.customer_id = c.id",
        ),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::Transcript,
        index: "transcripts_trigram",
        joins: "CROSS JOIN transcripts x ON x.rowid = f.hit
                CROSS JOIN meetings m ON m.id = x.meeting_id
                CROSS JOIN customers c ON c.id = m.customer_id",
        head: "x.id, m.title, c.id, c.name, NULL, m.scheduled_at",
        texts: &["x.content"],
        positional: false,
        by_customer: Some(
            "SELECT x.rowid AS hit FROM customers c CROSS JOIN meetings m ON m.customer_id = c.id CROSS JOIN transcripts x ON x.meeting_id = m.id",
        ),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::Message,
        index: "agent_messages_trigram",
        joins: "CROSS JOIN agent_messages x ON x.rowid = f.hit
                CROSS JOIN agent_sessions s ON s.id = x.session_id
                CROSS JOIN customers c ON c.id = s.customer_id",
        head: "x.id, x.role || ' · ' || ifnull(x.agent_id, s.active_agent), c.id, c.name, s.id, x.created_at",
        texts: &["x.content"],
        positional: false,
        by_customer: Some(
            "SELECT x.rowid AS hit FROM customers c CROSS JOIN agent_sessions s ON s.customer_id = c.id CROSS JOIN agent_messages x ON x.session_id = s.id",
        ),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::Insight,
        index: "insights_trigram",
        joins: "CROSS JOIN insights x ON x.rowid = f.hit
                CROSS JOIN customers c ON c.id = x.customer_id",
        head: "x.id, x.type, c.id, c.name, NULL, x.created_at",
        texts: &["x.content"],
        positional: false,
        by_customer: Some(
            "SELECT x.rowid AS hit FROM customers c CROSS JOIN insights x ON x.customer_id = c.id",
        ),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::DealNote,
        index: "deal_notes_trigram",
        joins: "CROSS JOIN deal_notes x ON x.rowid = f.hit
                CROSS JOIN deals d ON d.id = x.deal_id
                CROSS JOIN customers c ON c.id = d.customer_id",
        head: "x.id, ifnull(d.name, 'deal'), c.id, c.name, NULL, x.created_at",
        texts: &["x.note_txt"],
        positional: false,
        by_customer: Some(
            "SELECT x.rowid AS hit FROM customers c CROSS JOIN deals d ON d.customer_id = c.id CROSS JOIN deal_notes x ON x.deal_id = d.id",
        ),
        scope: Scoping::Customer,
    },
    Plan {
        kind: Found::Article,
        index: "knowledge_base_trigram",
        joins: "CROSS JOIN knowledge_base x ON x.rowid = f.hit",
        head: "x.id, x.title, NULL, NULL, NULL, x.updated_at",
        texts: &["x.content", "x.title"],
        positional: false,
        by_customer: None,
        scope: Scoping::Shared,
    },
];

/// Rows of a kind the index names that are checked, newest first: a search costs at most
/// this many checks per kind whatever the book's size. A word in more rows than this is
/// looked for among the newest of them; the group then says more may match.
pub const CANDIDATES: usize = 2_000;

/// Characters of text a snippet shows.
pub const SNIPPET_CHARS: usize = 160;

/// Up to `per_kind` hits of each kind for `text`, newest first (the index's rowid order:
/// the order rows were written), the reader's rows only. No search (see [`Terms::parse`]):
/// nothing.
pub fn search(r: &Reader<'_>, text: &str, per_kind: usize) -> Result<Results> {
    let Some(terms) = Terms::parse(text) else {
        return Ok(Results::default());
    };
    let few = sees_few(r)?;
    let mut results = Results::default();
    for plan in PLANS {
        let (hits, more) = match (&few, plan.by_customer) {
            (Some(few), Some(path)) => search_visible(r, plan, path, few, &terms, per_kind)?,
            _ => search_kind(r, plan, &terms, per_kind)?,
        };
        if !hits.is_empty() || more {
            results.groups.push((plan.kind, hits, more));
        }
    }
    Ok(results)
}

/// Customers a reader may see below which a search reads their rows rather than the
/// index: a CSM of a workspace with `assigned` visibility sees a few dozen of a book's
/// 100,000, whose rows (a few thousand) are checked faster than the index's candidates are
/// narrowed to theirs.
pub const FEW_CUSTOMERS: i64 = 300;

/// The rowids of the customers the reader sees (a JSON array) if they are fewer than
/// [`FEW_CUSTOMERS`]; read once per search. Only a reader who sees nothing whole can see
/// few: their own customers and those granted to them, looked up by those two indexes and
/// then held to the scope.
fn sees_few(r: &Reader<'_>) -> Result<Option<String>> {
    let scope = r.scope();
    let Some(me) = scope.user_id().filter(|_| scope.only_assigned()) else {
        return Ok(None);
    };
    let mut params = vec![Value::Text(me.to_owned())];
    let cond = scope.customers_sql("c", &mut params);
    let sql = format!(
        "SELECT json_group_array(rowid), count(*) FROM (
           SELECT c.rowid FROM customers c
           WHERE c.rowid IN (SELECT rowid FROM customers WHERE csm_id = ?1
                             UNION SELECT x.rowid FROM user_customer_access g
                                   CROSS JOIN customers x ON x.id = g.customer_id WHERE g.user_id = ?1)
             AND {cond}
           LIMIT {FEW_CUSTOMERS})"
    );
    let (ids, n): (String, i64) = r
        .conn()
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok((n < FEW_CUSTOMERS).then_some(ids))
}

/// One kind for a reader who sees few customers: every row of theirs (and, for calls, the
/// reader's own calls with no customer), each checked for every word; no index, no cap.
fn search_visible(
    r: &Reader<'_>,
    plan: &Plan,
    path: &str,
    few: &str,
    terms: &Terms,
    per_kind: usize,
) -> Result<(Vec<Hit>, bool)> {
    let scope = r.scope();
    let mut params = vec![Value::Text(few.to_owned())];
    let mut candidates =
        format!("{path} WHERE c.rowid IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))");
    if plan.kind == Found::Call
        && let Some(me) = scope.user_id()
    {
        params.push(Value::Text(me.to_owned()));
        candidates.push_str(&format!(
            " UNION ALL SELECT rowid FROM calls WHERE customer_id IS NULL AND user_id = ?{}",
            params.len()
        ));
    }
    let mut clauses = vec![terms.check_sql(plan.texts, &mut params)];
    // the row's own scope as well: what the candidates are is not what decides visibility
    match plan.scope {
        Scoping::Customer => clauses.push(scope.customers_sql("c", &mut params)),
        Scoping::Call => clauses.push(scope.row_sql(
            "k.workspace_id",
            "k.customer_id",
            Some("k.user_id"),
            &mut params,
        )),
        Scoping::Shared => {}
    }
    let sql = format!(
        "SELECT {head}, {texts}, f.hit FROM ({candidates}) f {joins}
         WHERE {clauses} ORDER BY f.hit DESC LIMIT {limit}",
        head = plan.head,
        texts = plan.texts.join(", "),
        joins = plan.joins,
        clauses = clauses.join(" AND "),
        limit = per_kind + 1,
    );
    let mut hits = read_hits(r, plan, terms, &sql, &params)?;
    let more = hits.len() > per_kind;
    hits.truncate(per_kind);
    Ok((hits, more))
}

fn search_kind(
    r: &Reader<'_>,
    plan: &Plan,
    terms: &Terms,
    per_kind: usize,
) -> Result<(Vec<Hit>, bool)> {
    let scope = r.scope();
    let mut params = Vec::new();
    let query = if plan.positional {
        terms.phrase_query()
    } else {
        terms.trigram_query()
    };
    params.push(Value::Text(query));
    let mut clauses = Vec::new();
    if !plan.positional || terms.words.len() > terms.long().count() {
        clauses.push(terms.check_sql(plan.texts, &mut params));
    }
    match plan.scope {
        Scoping::Customer if !scope.is_everything() => {
            clauses.push(scope.customers_sql("c", &mut params))
        }
        Scoping::Call if !scope.is_everything() => clauses.push(scope.row_sql(
            "k.workspace_id",
            "k.customer_id",
            Some("k.user_id"),
            &mut params,
        )),
        _ => {}
    }
    let texts = plan.texts.join(", ");
    // the newest CANDIDATES rows the index names, then those that hold every word and that
    // the reader may see: a word whose trigrams are in most rows (a long transcript holds
    // nearly every common one) costs at most CANDIDATES checks, not one per row of the book
    let sql = format!(
        "SELECT {head}, {texts}, f.hit
         FROM (SELECT rowid AS hit FROM {index} WHERE {index} MATCH ?1
               ORDER BY rowid DESC LIMIT {CANDIDATES}) f
         {joins} WHERE {clauses} LIMIT {limit}",
        head = plan.head,
        index = plan.index,
        joins = plan.joins,
        clauses = if clauses.is_empty() {
            "1".to_owned()
        } else {
            clauses.join(" AND ")
        },
        limit = per_kind + 1,
    );
    let mut hits = read_hits(r, plan, terms, &sql, &params)?;
    let mut more = hits.len() > per_kind;
    hits.truncate(per_kind);
    if !more {
        // fewer than a page: were there candidates beyond those checked?
        let n: i64 = r
            .conn()
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH ?1 LIMIT {CANDIDATES}) c",
                index = plan.index
            ))?
            .query_row([&params[0]], |row| row.get(0))?;
        more = n >= CANDIDATES as i64;
    }
    Ok((hits, more))
}

/// The hits of a kind's query (`head`, the texts, then the rowid), newest first, each with
/// its snippet.
fn read_hits(
    r: &Reader<'_>,
    plan: &Plan,
    terms: &Terms,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Hit>> {
    let mut stmt = r.conn().prepare_cached(sql)?;
    let n_texts = plan.texts.len();
    let mut hits: Vec<(i64, Hit)> = stmt
        .query_map(params_from_iter(params.iter()), |row| {
            let mut texts: Vec<Option<String>> = Vec::with_capacity(n_texts);
            for i in 0..n_texts {
                texts.push(row.get(6 + i)?);
            }
            let rowid: i64 = row.get(6 + n_texts)?;
            Ok((
                rowid,
                Hit {
                    kind: plan.kind,
                    id: row.get(0)?,
                    title: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    customer_id: row.get(2)?,
                    customer_name: row.get(3)?,
                    session_id: row.get(4)?,
                    when: row.get(5)?,
                    snippet: Vec::new(),
                },
                texts,
            ))
        })?
        .map(|row| {
            row.map(|(rowid, mut hit, texts)| {
                // the text that holds a word first (a note before the name it is filed under)
                let text = texts
                    .iter()
                    .flatten()
                    .find(|t| {
                        let lower = t.to_ascii_lowercase();
                        terms.words.iter().any(|w| lower.contains(w.as_str()))
                    })
                    .or_else(|| texts.iter().flatten().next())
                    .map(String::as_str)
                    .unwrap_or("");
                hit.snippet = snippet(text, &terms.words, SNIPPET_CHARS);
                (rowid, hit)
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // newest first (the order the candidates were read in, made sure of)
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    Ok(hits.into_iter().map(|(_, h)| h).collect())
}

/// The text around the first match of any of `words` in `text`, at most `width`
/// characters, as plain and matching parts in order. Line breaks and tabs become spaces;
/// a cut is marked `…`. Matches are found ignoring ASCII case (as the search does). Other
/// characters are left as they are: whoever draws the parts neutralises them.
pub fn snippet(text: &str, words: &[String], width: usize) -> Vec<(String, bool)> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut marked = vec![false; chars.len()];
    for w in words {
        let w: Vec<char> = w.chars().map(|c| c.to_ascii_lowercase()).collect();
        if w.is_empty() || w.len() > lower.len() {
            continue;
        }
        let mut i = 0;
        while i + w.len() <= lower.len() {
            if lower[i..i + w.len()] == w[..] {
                marked[i..i + w.len()].iter_mut().for_each(|m| *m = true);
                i += w.len();
            } else {
                i += 1;
            }
        }
    }
    let width = width.max(8);
    let first = marked.iter().position(|m| *m).unwrap_or(0);
    // some context before the match, starting at a word where one starts nearby
    let mut start = first.saturating_sub(width / 4);
    if start > 0
        && let Some(sp) = chars[start..first].iter().position(|c| *c == ' ')
    {
        start += sp + 1;
    }
    let mut end = (start + width).min(chars.len());
    if end == chars.len() && end - start < width {
        // room left at the end: show more of what comes before
        start = end.saturating_sub(width).min(start);
        end = (start + width).min(chars.len());
    }
    let mut parts: Vec<(String, bool)> = Vec::new();
    if start > 0 {
        parts.push(("…".to_owned(), false));
    }
    for i in start..end {
        match parts.last_mut() {
            Some((s, m)) if *m == marked[i] && !(i == start && start > 0) => s.push(chars[i]),
            _ => parts.push((chars[i].to_string(), marked[i])),
        }
    }
    if end < chars.len() {
        match parts.last_mut() {
            Some((s, false)) => s.push('…'),
            _ => parts.push(("…".to_owned(), false)),
        }
    }
    parts
}

/// A knowledge base article in full: title, category, content (every reader's).
pub fn article(r: &Reader<'_>, id: &str) -> Result<Option<(String, Option<String>, String)>> {
    use rusqlite::OptionalExtension;
    Ok(r.conn()
        .prepare_cached("SELECT title, category, content FROM knowledge_base WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_search_needs_a_word_of_three_characters() {
        assert_eq!(Terms::parse("  "), None);
        assert_eq!(Terms::parse("ab c"), None);
        let t = Terms::parse("Q3 Renewal q3").unwrap();
        assert_eq!(t.words, words(&["q3", "renewal"]));
    }

    #[test]
    fn long_words_become_covering_trigrams_and_nothing_typed_is_syntax() {
        let t = Terms::parse("renewal").unwrap();
        // ren, ewa, wal (first, every third, the last): every character is covered
        assert_eq!(t.trigram_query(), "\"ren\" \"ewa\" \"wal\"");
        assert_eq!(Terms::parse("abc").unwrap().trigram_query(), "\"abc\"");
        let hostile = Terms::parse("a\"b OR NEAR(").unwrap();
        assert_eq!(hostile.trigram_query(), "\"a\"\"b\" \"nea\" \"ar(\"");
        assert_eq!(hostile.phrase_query(), "\"a\"\"b\" \"near(\"");
    }

    #[test]
    fn the_snippet_marks_every_match_ignoring_case() {
        let parts = snippet(
            "Renewal at risk: the RENEWAL slipped",
            &words(&["renewal"]),
            80,
        );
        assert_eq!(
            parts,
            vec![
                ("Renewal".to_owned(), true),
                (" at risk: the ".to_owned(), false),
                ("RENEWAL".to_owned(), true),
                (" slipped".to_owned(), false),
            ]
        );
        // inside a word
        let parts = snippet("prerenewals", &words(&["newa"]), 80);
        assert_eq!(
            parts,
            vec![
                ("prere".to_owned(), false),
                ("newa".to_owned(), true),
                ("ls".to_owned(), false)
            ]
        );
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = format!(
            "{} budget freeze {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let parts = snippet(&text, &words(&["freeze"]), 40);
        let shown: String = parts.iter().map(|(s, _)| s.as_str()).collect();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= 42, "{shown}");
        assert!(parts.contains(&("freeze".to_owned(), true)), "{parts:?}");
        // lines become one line
        let parts = snippet("a\nb\tc", &words(&["zzz"]), 40);
        assert_eq!(parts, vec![("a b c".to_owned(), false)]);
    }

    #[test]
    fn the_snippet_keeps_what_it_is_given_for_the_screen_to_neutralise() {
        let parts = snippet("x\u{1b}[2Jnewal", &words(&["newal"]), 40);
        assert_eq!(parts[0], ("x\u{1b}[2J".to_owned(), false));
        assert_eq!(parts[1], ("newal".to_owned(), true));
    }
}
