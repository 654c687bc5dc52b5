//! The store's SQL text (written for SQLite) in PostgreSQL's dialect.
//!
//! What the server cannot be taught by a function of the same name (the compatibility
//! functions of the generated schema, `assets/postgres_compat.sql`) is rewritten here, token
//! by token outside string literals, identifiers and comments:
//!
//! | SQLite | PostgreSQL |
//! |---|---|
//! | `?1`, `?` | `$1`, `$n` (the next number) |
//! | `LIKE` (ASCII case-insensitive in SQLite) | `ILIKE` |
//! | `a IS b`, `a IS NOT b` (b not NULL/TRUE/FALSE) | `IS NOT DISTINCT FROM`, `IS DISTINCT FROM` |
//! | `temp.t` | `pg_temp.t` |
//! | `INSERT OR IGNORE INTO …` | `INSERT INTO … ON CONFLICT DO NOTHING` |
//! | `CAST(x AS REAL)` / `AS INTEGER` | `double precision` / `bigint` |
//! | `COLLATE NOCASE` | dropped (the comparison is case-sensitive on PostgreSQL) |
//! | `FROM (SELECT …)` without an alias | `FROM (SELECT …) AS cscx_sN` (required before 16) |
//! | `json_each(x)` | `cscx_json_each(x)` (key and value as text, as the schema defines it) |
//! | `t_fts MATCH ?1` (FTS5) | `cscx_match(t_fts.cscx_doc, $1)` (the view and function of the schema) |
//!
//! The output is cached per statement text by the connection, so rendering costs once.

/// One lexical piece of SQL text.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A word: keyword or bare identifier (letters, digits, `_`, `.` kept apart).
    Word(String),
    /// `?` with its number, if any.
    Param(Option<u32>),
    /// Anything else, kept as written (literals, quoted identifiers, comments, spaces,
    /// punctuation).
    Other(String),
    Space(String),
}

fn lex(sql: &str) -> Vec<Tok> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            '\'' | '"' | '`' => {
                i += 1;
                while i < chars.len() {
                    if chars[i] == c {
                        // a doubled quote is the quote itself
                        if chars.get(i + 1) == Some(&c) {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                out.push(Tok::Other(chars[start..i].iter().collect()));
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                out.push(Tok::Space(chars[start..i].iter().collect()));
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i = (i + 2).min(chars.len());
                out.push(Tok::Space(chars[start..i].iter().collect()));
            }
            '?' => {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[start + 1..i].iter().collect();
                out.push(Tok::Param(digits.parse().ok()));
            }
            c if c.is_whitespace() => {
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                out.push(Tok::Space(chars[start..i].iter().collect()));
            }
            c if c.is_alphanumeric() || c == '_' => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
            _ => {
                i += 1;
                out.push(Tok::Other(c.to_string()));
            }
        }
    }
    out
}

fn word_is(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
}

/// The index of the next token after `i` that is not space.
fn next_solid(toks: &[Tok], i: usize) -> Option<usize> {
    (i + 1..toks.len()).find(|&j| !matches!(toks[j], Tok::Space(_)))
}

/// Whether the join at `i` has an `ON` of its own (before the clause that ends it).
fn has_on(toks: &[Tok], i: usize) -> bool {
    let mut depth = 0i32;
    // past the JOIN of `CROSS JOIN`
    let from = next_solid(toks, i).map_or(toks.len(), |j| j + 1);
    for t in &toks[from..] {
        match t {
            Tok::Other(p) if p == "(" => depth += 1,
            Tok::Other(p) if p == ")" => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            Tok::Word(w) if depth == 0 => {
                let w = w.to_ascii_lowercase();
                if w == "on" {
                    return true;
                }
                if ["join", "where", "group", "order", "limit", "union"].contains(&w.as_str()) {
                    return false;
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether the token after a subquery's `)` is its alias (PostgreSQL 15 requires one).
fn aliased(next: Option<&Tok>) -> bool {
    const CLAUSES: [&str; 20] = [
        "where",
        "limit",
        "order",
        "group",
        "join",
        "left",
        "inner",
        "cross",
        "union",
        "on",
        "having",
        "natural",
        "full",
        "right",
        "except",
        "intersect",
        "window",
        "offset",
        "and",
        "or",
    ];
    match next {
        Some(Tok::Word(w)) => !CLAUSES.iter().any(|k| w.eq_ignore_ascii_case(k)),
        Some(Tok::Other(q)) => q.starts_with('"'),
        _ => false,
    }
}

/// `sql` in PostgreSQL's dialect (see the module's table).
pub fn render(sql: &str) -> String {
    let toks = lex(sql);
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next_param = 0u32;
    let mut on_conflict_nothing = false;
    // the parentheses open now, each true when it holds a subquery in FROM
    let mut parens: Vec<bool> = Vec::new();
    let mut derived = 0;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Other(p) if p == "(" => {
                let solid_before =
                    |k: usize| (0..k).rev().find(|&j| !matches!(toks[j], Tok::Space(_)));
                let from = solid_before(i).filter(|&j| word_is(toks.get(j), "from"));
                // `IS DISTINCT FROM (SELECT …)` compares with a value, not a table
                let of_table =
                    from.is_some_and(|f| !word_is(solid_before(f).map(|j| &toks[j]), "distinct"));
                parens.push(of_table && word_is(next_solid(&toks, i).map(|j| &toks[j]), "select"));
                out.push('(');
            }
            Tok::Other(p) if p == ")" => {
                out.push(')');
                if parens.pop() == Some(true) && !aliased(next_solid(&toks, i).map(|j| &toks[j])) {
                    derived += 1;
                    out.push_str(&format!(" AS cscx_s{derived}"));
                }
            }
            Tok::Param(n) => {
                let n = n.unwrap_or(next_param + 1);
                next_param = next_param.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("like") => out.push_str("ILIKE"),
            // PostgreSQL has its own json_each (of json, values as json): the schema's
            // SQLite-like one has a name of its own
            Tok::Word(w)
                if w.eq_ignore_ascii_case("json_each")
                    && matches!(toks.get(i + 1), Some(Tok::Other(p)) if p == "(") =>
            {
                out.push_str("cscx_json_each");
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("is") => {
                let j = next_solid(&toks, i);
                let negated = word_is(j.map(|j| &toks[j]), "not");
                let operand = if negated {
                    j.and_then(|j| next_solid(&toks, j))
                } else {
                    j
                };
                let keeps = ["null", "true", "false", "distinct"]
                    .iter()
                    .any(|k| word_is(operand.map(|o| &toks[o]), k));
                if keeps {
                    out.push_str(w);
                } else if negated {
                    out.push_str("IS DISTINCT FROM");
                    // skip the NOT
                    i = j.unwrap_or(i);
                } else {
                    out.push_str("IS NOT DISTINCT FROM");
                }
            }
            // SQLite's `CROSS JOIN … ON` (an inner join whose order the planner keeps)
            Tok::Word(w)
                if w.eq_ignore_ascii_case("cross")
                    && word_is(next_solid(&toks, i).map(|j| &toks[j]), "join")
                    && has_on(&toks, i) =>
            {
                out.push_str("INNER");
            }
            // SQLite's schema name of the file: PostgreSQL's tables are in the search path
            Tok::Word(w)
                if w.eq_ignore_ascii_case("main")
                    && matches!(toks.get(i + 1), Some(Tok::Other(d)) if d == ".") =>
            {
                i += 1;
            }
            Tok::Word(w)
                if w.eq_ignore_ascii_case("temp")
                    && matches!(toks.get(i + 1), Some(Tok::Other(d)) if d == ".") =>
            {
                out.push_str("pg_temp");
            }
            Tok::Word(w)
                if w.eq_ignore_ascii_case("insert")
                    && word_is(next_solid(&toks, i).map(|j| &toks[j]), "or") =>
            {
                // INSERT OR IGNORE → INSERT … ON CONFLICT DO NOTHING
                let or = next_solid(&toks, i).unwrap_or(i);
                let what = next_solid(&toks, or).unwrap_or(or);
                if word_is(toks.get(what), "ignore") {
                    on_conflict_nothing = true;
                    out.push_str("INSERT");
                    i = what;
                } else {
                    out.push_str(w);
                }
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("collate") => {
                let j = next_solid(&toks, i);
                if word_is(j.map(|j| &toks[j]), "nocase") {
                    let kept = out.trim_end().len();
                    out.truncate(kept);
                    i = j.unwrap_or(i);
                } else {
                    out.push_str(w);
                }
            }
            Tok::Word(w)
                if w.eq_ignore_ascii_case("as")
                    && (word_is(next_solid(&toks, i).map(|j| &toks[j]), "real")
                        || word_is(next_solid(&toks, i).map(|j| &toks[j]), "integer")) =>
            {
                let j = next_solid(&toks, i).unwrap_or(i);
                out.push_str("AS ");
                out.push_str(if word_is(toks.get(j), "real") {
                    "double precision"
                } else {
                    "bigint"
                });
                i = j;
            }
            // FTS5's `index MATCH ?N`: the schema's view of that name carries the document
            // (`cscx_doc`: a tsvector, or the text a trigram index searches) and
            // `cscx_match` reads FTS5's query syntax as cscx writes it
            Tok::Word(w)
                if word_is(next_solid(&toks, i).map(|j| &toks[j]), "match")
                    && next_solid(&toks, i)
                        .and_then(|m| next_solid(&toks, m))
                        .is_some_and(|o| matches!(toks[o], Tok::Param(_))) =>
            {
                let operand = next_solid(&toks, i)
                    .and_then(|m| next_solid(&toks, m))
                    .unwrap_or(i);
                if let Tok::Param(n) = &toks[operand] {
                    let n = n.unwrap_or(next_param + 1);
                    next_param = next_param.max(n);
                    out.push_str(&format!("cscx_match({w}.cscx_doc, ${n})"));
                }
                i = operand;
            }
            Tok::Word(w) if on_conflict_nothing && w.eq_ignore_ascii_case("returning") => {
                out.push_str("ON CONFLICT DO NOTHING RETURNING");
                on_conflict_nothing = false;
            }
            // SQLite's unary `+column` (keeps the planner off that column's index): a
            // no-op on numbers, an error on text in PostgreSQL, whose planner needs no hint
            Tok::Other(w)
                if w == "+"
                    && matches!(toks.get(i + 1), Some(Tok::Word(_)))
                    && (0..i)
                        .rev()
                        .find(|&j| !matches!(toks[j], Tok::Space(_)))
                        .is_some_and(|j| match &toks[j] {
                            Tok::Word(k) => ["and", "or", "where", "on", "not", "by"]
                                .iter()
                                .any(|x| k.eq_ignore_ascii_case(x)),
                            Tok::Other(p) => p == "(" || p == ",",
                            _ => false,
                        }) => {}
            Tok::Word(w) | Tok::Other(w) | Tok::Space(w) => {
                if on_conflict_nothing && w == ";" {
                    out.push_str(" ON CONFLICT DO NOTHING");
                    on_conflict_nothing = false;
                }
                out.push_str(w);
            }
        }
        i += 1;
    }
    if on_conflict_nothing {
        out.push_str(" ON CONFLICT DO NOTHING");
    }
    out
}

/// Rewrites each `$N IS NULL` / `$N IS NOT NULL` of rendered text: to `TRUE` where
/// `cast(N)` is None (a probe that leaves the parameter's type to its other uses), else to
/// `CAST($N AS type) IS [NOT] NULL`.
pub fn null_tests(rendered: &str, cast: impl Fn(usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(rendered.len());
    let mut rest = rendered;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let tail = &after[digits..];
        let test = [" IS NOT NULL", " IS NULL"]
            .into_iter()
            .find(|t| tail.len() >= t.len() && tail[..t.len()].eq_ignore_ascii_case(t));
        match (after[..digits].parse::<usize>(), test) {
            (Ok(n), Some(test)) => {
                match cast(n) {
                    Some(ty) => out.push_str(&format!("CAST(${n} AS {ty}){test}")),
                    None => out.push_str("TRUE"),
                }
                rest = &tail[test.len()..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{null_tests, render};

    #[test]
    fn optional_filters_get_their_parameter_typed() {
        let sql = "WHERE ($2 IS NULL OR ws = $2) AND $3 IS NOT NULL AND $1 = a";
        assert_eq!(
            null_tests(sql, |_| None),
            "WHERE (TRUE OR ws = $2) AND TRUE AND $1 = a"
        );
        assert_eq!(
            null_tests(sql, |n| Some(if n == 2 {
                "uuid".into()
            } else {
                "text".into()
            })),
            "WHERE (CAST($2 AS uuid) IS NULL OR ws = $2) AND CAST($3 AS text) IS NOT NULL AND $1 = a"
        );
    }

    #[test]
    fn numbered_and_bare_parameters_become_dollars() {
        assert_eq!(
            render("SELECT a FROM t WHERE b = ?1 AND c = ?2 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1"
        );
        assert_eq!(render("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    }

    #[test]
    fn subqueries_in_from_get_an_alias_where_they_have_none() {
        assert_eq!(
            render("SELECT count(*) FROM (SELECT 1 FROM t LIMIT 5)"),
            "SELECT count(*) FROM (SELECT 1 FROM t LIMIT 5) AS cscx_s1"
        );
        assert_eq!(
            render("SELECT * FROM (SELECT a FROM (SELECT 1 AS a)) WHERE a = 1"),
            "SELECT * FROM (SELECT a FROM (SELECT 1 AS a) AS cscx_s1) AS cscx_s2 WHERE a = 1"
        );
        // aliased ones, and parentheses that are not subqueries in FROM, are left alone
        for kept in [
            "SELECT * FROM (SELECT 1) f WHERE x",
            "SELECT * FROM (SELECT 1) AS f",
            "SELECT (SELECT 1) FROM t",
            "SELECT * FROM t WHERE a IN (SELECT b FROM u)",
            "WHERE a IS DISTINCT FROM (SELECT min(b) FROM u)",
        ] {
            assert_eq!(render(kept), kept);
        }
    }

    #[test]
    fn json_each_is_the_schemas() {
        assert_eq!(
            render("SELECT value FROM json_each(?1)"),
            "SELECT value FROM cscx_json_each($1)"
        );
        assert_eq!(render("SELECT json_each FROM t"), "SELECT json_each FROM t");
    }

    #[test]
    fn fts5_match_becomes_the_schemas_match_function() {
        assert_eq!(
            render("SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?2 AND x = ?"),
            "SELECT rowid FROM customers_fts WHERE cscx_match(customers_fts.cscx_doc, $2) AND x = $3"
        );
        // a column or value named match is not FTS5's operator
        assert_eq!(render("SELECT match FROM t"), "SELECT match FROM t");
        assert_eq!(render("WHERE a MATCH 'x'"), "WHERE a MATCH 'x'");
    }

    #[test]
    fn literals_identifiers_and_comments_are_left_alone() {
        assert_eq!(
            render("SELECT '?1 like', \"is\" -- ? like\nFROM t"),
            "SELECT '?1 like', \"is\" -- ? like\nFROM t"
        );
        assert_eq!(render("SELECT 'it''s ?'"), "SELECT 'it''s ?'");
    }

    #[test]
    fn like_is_case_insensitive_as_in_sqlite() {
        assert_eq!(
            render("name LIKE ?1 ESCAPE '\\'"),
            "name ILIKE $1 ESCAPE '\\'"
        );
        assert_eq!(render("name NOT LIKE ?1"), "name NOT ILIKE $1");
    }

    #[test]
    fn is_compares_values_null_safely() {
        assert_eq!(render("a IS NULL"), "a IS NULL");
        assert_eq!(render("a IS NOT NULL"), "a IS NOT NULL");
        assert_eq!(render("a IS ?1"), "a IS NOT DISTINCT FROM $1");
        assert_eq!(render("a IS NOT b.x"), "a IS DISTINCT FROM b.x");
        assert_eq!(
            render("a IS NOT DISTINCT FROM b"),
            "a IS NOT DISTINCT FROM b"
        );
    }

    #[test]
    fn insert_or_ignore_does_nothing_on_conflict() {
        assert_eq!(
            render("INSERT OR IGNORE INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            render("INSERT OR IGNORE INTO t (a) VALUES (?1) RETURNING a"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING a"
        );
        assert_eq!(
            render("INSERT OR IGNORE INTO t VALUES (1); SELECT 1"),
            "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING; SELECT 1"
        );
    }

    #[test]
    fn unary_plus_hints_go_sums_stay() {
        assert_eq!(
            render("WHERE a = ?1 AND +status = 'done' ORDER BY +rowid"),
            "WHERE a = $1 AND status = 'done' ORDER BY rowid"
        );
        assert_eq!(render("SELECT a + b, 1 +c"), "SELECT a + b, 1 +c");
    }

    #[test]
    fn a_cross_join_with_on_is_an_inner_join() {
        assert_eq!(
            render("FROM kpis k CROSS JOIN kpi_time_series ts ON ts.kpi_id = k.id"),
            "FROM kpis k INNER JOIN kpi_time_series ts ON ts.kpi_id = k.id"
        );
        assert_eq!(
            render("FROM s CROSS JOIN a WHERE a.s = s.id"),
            "FROM s CROSS JOIN a WHERE a.s = s.id"
        );
    }

    #[test]
    fn temp_casts_and_nocase() {
        assert_eq!(
            render("SELECT x FROM temp.pending JOIN main.calls"),
            "SELECT x FROM pg_temp.pending JOIN calls"
        );
        assert_eq!(
            render("CAST(a AS REAL) + CAST(b AS INTEGER) + CAST(c AS TEXT)"),
            "CAST(a AS double precision) + CAST(b AS bigint) + CAST(c AS TEXT)"
        );
        assert_eq!(
            render("ORDER BY name COLLATE NOCASE, id"),
            "ORDER BY name, id"
        );
    }
}
