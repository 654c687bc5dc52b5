-- SQLite's functions that cscx's store SQL uses, in PostgreSQL (docs/postgres.md, "One store,
-- two engines"): the store writes its SQL once; what PostgreSQL spells differently is taught
-- here by name, what no function can say is rewritten by the client (store::db::render).

-- round(x, n) on a double (PostgreSQL has it for numeric only); SQLite rounds half away
-- from zero, as numeric's round does
CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT round($1::numeric, $2)::double precision $$;

CREATE OR REPLACE FUNCTION ifnull(anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce($1, $2) $$;

CREATE OR REPLACE FUNCTION iif(boolean, anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN $1 THEN $2 ELSE $3 END $$;

CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos($1, $2) $$;

-- SQLite's scalar max(a, b) / min(a, b): NULL if either is NULL (GREATEST skips NULLs)
CREATE OR REPLACE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE greatest($1, $2) END $$;
CREATE OR REPLACE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE least($1, $2) END $$;

-- total(x): sum that is 0.0, not NULL, over no rows
CREATE OR REPLACE FUNCTION cscx_total_step(double precision, double precision)
  RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT $1 + coalesce($2, 0) $$;
CREATE OR REPLACE AGGREGATE total(double precision) (
  SFUNC = cscx_total_step, STYPE = double precision, INITCOND = '0');

-- booleans compared with 0/1 and summed, as SQLite's integers are
CREATE OR REPLACE FUNCTION cscx_bool_int_eq(boolean, integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 = ($2 <> 0) $$;
CREATE OR REPLACE FUNCTION cscx_bool_int_ne(boolean, integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 <> ($2 <> 0) $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '=' AND oprleft = 'boolean'::regtype
                 AND oprright = 'integer'::regtype) THEN
    CREATE OPERATOR = (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = cscx_bool_int_eq);
    CREATE OPERATOR <> (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = cscx_bool_int_ne);
  END IF;
END $$;
CREATE OR REPLACE FUNCTION cscx_bool_sum_step(bigint, boolean) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END $$;
CREATE OR REPLACE AGGREGATE sum(boolean) (
  SFUNC = cscx_bool_sum_step, STYPE = bigint, INITCOND = '0');

-- JSON aggregates: SQLite's names over PostgreSQL's jsonb ones
CREATE OR REPLACE AGGREGATE json_group_object("any", "any") (
  SFUNC = jsonb_object_agg_transfn, STYPE = internal, FINALFUNC = jsonb_object_agg_finalfn);
CREATE OR REPLACE AGGREGATE json_group_array(anyelement) (
  SFUNC = jsonb_agg_transfn, STYPE = internal, FINALFUNC = jsonb_agg_finalfn);

-- json_extract(doc, '$.a.b'): the value at a simple path, as text
CREATE OR REPLACE FUNCTION json_extract(jsonb, text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT $1 #>> string_to_array(regexp_replace($2, '^\$\.?', ''), '.') $$;

-- datetime('now' | instant, modifier…) and date(…): instants and dates, moved by SQLite's
-- '+N days' / '-N months' / 'start of month' modifiers (the ones cscx writes)
CREATE OR REPLACE FUNCTION cscx_instant(text) RETURNS timestamptz
  LANGUAGE sql STABLE AS
  $$ SELECT CASE WHEN $1 = 'now' THEN date_trunc('second', now()) ELSE $1::timestamptz END $$;
CREATE OR REPLACE FUNCTION cscx_modify(timestamptz, VARIADIC text[]) RETURNS timestamptz
  LANGUAGE plpgsql STABLE AS $$
DECLARE t timestamptz := $1; m text;
BEGIN
  FOREACH m IN ARRAY $2 LOOP
    IF m = 'start of month' THEN t := date_trunc('month', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    ELSIF m = 'start of day' THEN t := date_trunc('day', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    ELSE t := t + m::interval;
    END IF;
  END LOOP;
  RETURN t;
END $$;
CREATE OR REPLACE FUNCTION datetime(text, VARIADIC text[] DEFAULT '{}') RETURNS timestamptz
  LANGUAGE sql STABLE AS $$ SELECT cscx_modify(cscx_instant($1), VARIADIC $2) $$;
CREATE OR REPLACE FUNCTION datetime(timestamptz, VARIADIC text[] DEFAULT '{}') RETURNS timestamptz
  LANGUAGE sql STABLE AS $$ SELECT cscx_modify($1, VARIADIC $2) $$;
CREATE OR REPLACE FUNCTION julianday(timestamptz) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(epoch FROM $1)::double precision / 86400 + 2440587.5 $$;
CREATE OR REPLACE FUNCTION julianday(date) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT julianday($1::timestamp AT TIME ZONE 'UTC') $$;
CREATE OR REPLACE FUNCTION julianday(text) RETURNS double precision
  LANGUAGE sql STABLE AS $$ SELECT julianday(cscx_instant($1)) $$;
CREATE OR REPLACE FUNCTION unixepoch(timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(epoch FROM $1)::bigint $$;
-- strftime with the conversions cscx uses (%Y %m %d %H %M %S %W %j)
CREATE OR REPLACE FUNCTION strftime(text, timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(replace(replace(replace(replace($1,
    '%Y', to_char($2 AT TIME ZONE 'UTC', 'YYYY')), '%m', to_char($2 AT TIME ZONE 'UTC', 'MM')),
    '%d', to_char($2 AT TIME ZONE 'UTC', 'DD')), '%H', to_char($2 AT TIME ZONE 'UTC', 'HH24')),
    '%M', to_char($2 AT TIME ZONE 'UTC', 'MI')), '%S', to_char($2 AT TIME ZONE 'UTC', 'SS')),
    '%j', to_char($2 AT TIME ZONE 'UTC', 'DDD')), '%W', to_char($2 AT TIME ZONE 'UTC', 'IW')) $$;
CREATE OR REPLACE FUNCTION strftime(text, date) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strftime($1, $2::timestamp AT TIME ZONE 'UTC') $$;
CREATE OR REPLACE FUNCTION strftime(text, text) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT strftime($1, cscx_instant($2)) $$;

-- `SET is_primary = 0`, `VALUES (…, 1)`: the store's SQL writes booleans as SQLite's 0 and
-- 1. PostgreSQL's integer → boolean cast exists but only explicitly; allowed in assignment
-- here (pg_cast is this database's own catalog; the script runs as a superuser).
UPDATE pg_cast SET castcontext = 'a'
 WHERE castsource = 'integer'::regtype AND casttarget = 'boolean'::regtype;

-- substr() of a time, as of the store's text form of it (`2026-12-04T09:30:00Z`): the
-- store takes days and months out of timestamps by position
CREATE OR REPLACE FUNCTION cscx_text(timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
CREATE OR REPLACE FUNCTION substr(timestamptz, integer, integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT substr(cscx_text($1), $2, $3) $$;
CREATE OR REPLACE FUNCTION substr(date, integer, integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT substr(to_char($1, 'YYYY-MM-DD'), $2, $3) $$;
CREATE OR REPLACE FUNCTION substr(uuid, integer, integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT substr($1::text, $2, $3) $$;

-- printf with the conversions the store uses ('%012x' builds deterministic ids, '%d')
CREATE OR REPLACE FUNCTION printf(text, bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN $1 ~ '^%0[0-9]+x$' THEN lpad(to_hex($2), substring($1 FROM 3 FOR length($1) - 3)::int, '0')
    ELSE replace($1, '%d', $2::text) END $$;

-- text computed by the store's SQL (an id made with printf, a time from substr) written into
-- a uuid, timestamptz, date or jsonb column, as SQLite stores the text it is given
DO $$
DECLARE target regtype;
BEGIN
  FOREACH target IN ARRAY ARRAY['uuid', 'timestamptz', 'date', 'jsonb']::regtype[] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_cast WHERE castsource = 'text'::regtype AND casttarget = target) THEN
      EXECUTE format('CREATE CAST (text AS %s) WITH INOUT AS ASSIGNMENT', target);
    END IF;
  END LOOP;
END $$;

-- date(instant, modifier…): the UTC day after SQLite's modifiers ('+3 days')
CREATE OR REPLACE FUNCTION date(timestamptz, VARIADIC text[]) RETURNS date
  LANGUAGE sql STABLE AS $$ SELECT (cscx_modify($1, VARIADIC $2) AT TIME ZONE 'UTC')::date $$;
CREATE OR REPLACE FUNCTION date(text, VARIADIC text[]) RETURNS date
  LANGUAGE sql STABLE AS $$ SELECT date(cscx_instant($1), VARIADIC $2) $$;
CREATE OR REPLACE FUNCTION date(date, VARIADIC text[]) RETURNS date
  LANGUAGE sql STABLE AS $$ SELECT date($1::timestamp AT TIME ZONE 'UTC', VARIADIC $2) $$;

-- min()/max() over uuid (PostgreSQL orders uuids but has no aggregate for them)
CREATE OR REPLACE FUNCTION cscx_uuid_smaller(uuid, uuid) RETURNS uuid
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT CASE WHEN $1 <= $2 THEN $1 ELSE $2 END $$;
CREATE OR REPLACE FUNCTION cscx_uuid_larger(uuid, uuid) RETURNS uuid
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT CASE WHEN $1 >= $2 THEN $1 ELSE $2 END $$;
CREATE OR REPLACE AGGREGATE min(uuid) (SFUNC = cscx_uuid_smaller, STYPE = uuid, COMBINEFUNC = cscx_uuid_smaller, PARALLEL = SAFE);
CREATE OR REPLACE AGGREGATE max(uuid) (SFUNC = cscx_uuid_larger, STYPE = uuid, COMBINEFUNC = cscx_uuid_larger, PARALLEL = SAFE);

-- FTS5's `index MATCH query` (db::render writes it `cscx_match(index.cscx_doc, query)`), for
-- the queries cscx writes: "quoted" terms, all of which must match, `*` after one for a
-- prefix. The search views (one per FTS5 table, postgres::ddl::search_indexes) give the
-- document as a tsvector for a word index, or as text for a trigram (substring) index.
CREATE FUNCTION cscx_fts_terms(q text) RETURNS TABLE (term text, prefix boolean)
LANGUAGE sql IMMUTABLE AS $$
  SELECT replace(m[1], '""', '"'), m[2] = '*'
  FROM regexp_matches(q, '"((?:[^"]|"")*)"(\*?)', 'g') m
$$;

CREATE FUNCTION cscx_fts_query(q text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  t record;
  one tsquery;
  result tsquery;
BEGIN
  FOR t IN SELECT * FROM cscx_fts_terms(q) LOOP
    one := phraseto_tsquery('simple', t.term);
    IF t.prefix AND one::text <> '' THEN
      one := to_tsquery('simple', one::text || ':*');
    END IF;
    result := CASE WHEN result IS NULL THEN one ELSE result && one END;
  END LOOP;
  -- no term: NULL, which matches nothing
  RETURN result;
END $$;

-- one expression (inlined by the planner), so the GIN index of the tsvector is used
CREATE FUNCTION cscx_match(doc tsvector, q text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT $1 @@ cscx_fts_query($2) $$;

-- a trigram index's query: every term somewhere in the text, ignoring case. One expression
-- (inlined), whose first part, the first term as an ILIKE pattern, the pg_trgm GIN index of
-- the same document answers; the second checks the other terms on those rows.
CREATE FUNCTION cscx_like_first(q text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT '%' || replace(replace(replace(t.term, '\', '\\'), '%', '\%'), '_', '\_') || '%'
  FROM cscx_fts_terms($1) t LIMIT 1
$$;

CREATE FUNCTION cscx_all_terms(doc text, q text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(bool_and(strpos(lower($1), lower(t.term)) > 0), false)
  FROM cscx_fts_terms($2) t
$$;

CREATE FUNCTION cscx_match(doc text, q text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT $1 ILIKE cscx_like_first($2) AND cscx_all_terms($1, $2) $$;

-- SQLite's json_each of an array or object (db::render names it cscx_json_each: PostgreSQL's
-- own json_each takes json and gives json): key and value as text, as SQLite gives a string
-- element; a nested array or object as its JSON text
CREATE FUNCTION cscx_json_each(doc text) RETURNS TABLE (key text, value text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT (n - 1)::text, e FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof($1::jsonb) = 'array' THEN $1::jsonb ELSE '[]' END) WITH ORDINALITY a(e, n)
  UNION ALL
  SELECT k, v FROM jsonb_each_text(
    CASE WHEN jsonb_typeof($1::jsonb) = 'object' THEN $1::jsonb ELSE '{}' END) o(k, v)
$$;

CREATE FUNCTION json_extract(text, text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT json_extract($1::jsonb, $2) $$;
