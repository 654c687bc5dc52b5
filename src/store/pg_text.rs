//! PostgreSQL's text forms of the seed types that SQLite has no type for: arrays (`TEXT[]`,
//! `UUID[]`, written `{a,"b c",NULL}`) and pgvector's `VECTOR` (written `[0.1,0.2]`). `psql
//! \copy ... CSV` and Supabase's CSV export write these; the store keeps arrays as JSON arrays
//! and vectors as little-endian `f32` blobs (docs/schema.md), so both directions live here.

use serde_json::Value as Json;

/// A PostgreSQL array literal as a JSON array: elements are strings (the seeds' arrays are
/// of text and UUIDs), unquoted `NULL` is null, nested braces are nested arrays.
pub fn array_to_json(literal: &str) -> Result<Json, String> {
    let chars: Vec<char> = literal.trim().chars().collect();
    let mut at = 0;
    let value = parse_array(&chars, &mut at)?;
    if at != chars.len() {
        return Err(format!(
            "unexpected text after the closing brace at character {}",
            at + 1
        ));
    }
    Ok(value)
}

fn parse_array(chars: &[char], at: &mut usize) -> Result<Json, String> {
    if chars.get(*at) != Some(&'{') {
        return Err("an array starts with {".to_owned());
    }
    *at += 1;
    let mut items = Vec::new();
    skip_spaces(chars, at);
    if chars.get(*at) == Some(&'}') {
        *at += 1;
        return Ok(Json::Array(items));
    }
    loop {
        skip_spaces(chars, at);
        let item = match chars.get(*at) {
            Some('{') => parse_array(chars, at)?,
            Some('"') => Json::String(quoted(chars, at)?),
            Some(_) => unquoted(chars, at)?,
            None => return Err("the array is not closed (missing })".to_owned()),
        };
        items.push(item);
        skip_spaces(chars, at);
        match chars.get(*at) {
            Some(',') => *at += 1,
            Some('}') => {
                *at += 1;
                return Ok(Json::Array(items));
            }
            Some(c) => {
                return Err(format!(
                    "expected , or }} at character {}, found {c:?}",
                    *at + 1
                ));
            }
            None => return Err("the array is not closed (missing })".to_owned()),
        }
    }
}

fn skip_spaces(chars: &[char], at: &mut usize) {
    while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
        *at += 1;
    }
}

fn quoted(chars: &[char], at: &mut usize) -> Result<String, String> {
    *at += 1;
    let mut out = String::new();
    loop {
        match chars.get(*at) {
            Some('\\') => {
                let c = chars.get(*at + 1).ok_or("a quoted element is not closed")?;
                out.push(*c);
                *at += 2;
            }
            Some('"') => {
                *at += 1;
                return Ok(out);
            }
            Some(c) => {
                out.push(*c);
                *at += 1;
            }
            None => return Err("a quoted element is not closed".to_owned()),
        }
    }
}

fn unquoted(chars: &[char], at: &mut usize) -> Result<Json, String> {
    let mut out = String::new();
    while let Some(&c) = chars.get(*at) {
        match c {
            ',' | '}' => break,
            '{' | '"' => return Err(format!("unexpected {c:?} at character {}", *at + 1)),
            '\\' => {
                out.push(*chars.get(*at + 1).ok_or("a backslash ends the array")?);
                *at += 2;
            }
            c => {
                out.push(c);
                *at += 1;
            }
        }
    }
    let out = out.trim_end().to_owned();
    if out.is_empty() {
        return Err(format!("an empty element at character {}", *at + 1));
    }
    Ok(if out.eq_ignore_ascii_case("null") {
        Json::Null
    } else {
        Json::String(out)
    })
}

/// A JSON array as PostgreSQL's array literal (what `psql` writes), for exports to a seed's
/// own table. Strings are quoted when PostgreSQL would quote them.
pub fn json_to_array(value: &Json) -> Option<String> {
    let Json::Array(items) = value else {
        return None;
    };
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        parts.push(match item {
            Json::Null => "NULL".to_owned(),
            Json::Array(_) => json_to_array(item)?,
            Json::String(s) => quote_element(s),
            other => quote_element(&other.to_string()),
        });
    }
    Some(format!("{{{}}}", parts.join(",")))
}

fn quote_element(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.eq_ignore_ascii_case("null")
        && !s
            .chars()
            .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_whitespace());
    if plain {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A vector as pgvector writes it (`[0.1,0.2]`) or a JSON array of numbers, as the store's
/// blob of little-endian `f32`s.
pub fn vector_to_blob(text: &str) -> Result<Vec<u8>, String> {
    let parsed: Json = serde_json::from_str(text.trim())
        .map_err(|_| "is not a vector ([0.1,0.2,...])".to_owned())?;
    vector_json_to_blob(&parsed)
}

/// A JSON array of numbers as the store's blob of little-endian `f32`s.
pub fn vector_json_to_blob(value: &Json) -> Result<Vec<u8>, String> {
    let Json::Array(items) = value else {
        return Err("is not a vector ([0.1,0.2,...])".to_owned());
    };
    let mut out = Vec::with_capacity(items.len() * 4);
    for (i, item) in items.iter().enumerate() {
        let x = item
            .as_f64()
            .ok_or_else(|| format!("element {} of the vector is not a number", i + 1))?;
        let f = x as f32;
        if !f.is_finite() {
            return Err(format!(
                "element {} of the vector is not a finite f32",
                i + 1
            ));
        }
        out.extend_from_slice(&f.to_le_bytes());
    }
    Ok(out)
}

/// The store's blob of little-endian `f32`s in pgvector's text form; None if its length is
/// not a whole number of floats.
pub fn blob_to_vector(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let items: Vec<String> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]).to_string())
        .collect();
    Some(format!("[{}]", items.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn array_literals_as_postgresql_writes_them() {
        assert_eq!(array_to_json("{}"), Ok(json!([])));
        assert_eq!(
            array_to_json("{billing,faq}"),
            Ok(json!(["billing", "faq"]))
        );
        assert_eq!(
            array_to_json("{7f1c1a5e-0000-4000-8000-000000000001}"),
            Ok(json!(["7f1c1a5e-0000-4000-8000-000000000001"]))
        );
        assert_eq!(
            array_to_json(r#"{"a b","say \"hi\"",NULL,"NULL", x\,y }"#),
            Ok(json!(["a b", "say \"hi\"", null, "NULL", "x,y"]))
        );
        assert_eq!(array_to_json("{{1,2},{3}}"), Ok(json!([["1", "2"], ["3"]])));
        for bad in ["{a", "{a,}", "{\"a\"b}", "{a} x", "[1]", "{a\"b}"] {
            assert!(array_to_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arrays_go_back_to_the_literal_they_came_from() {
        for literal in [
            "{}",
            "{billing,faq}",
            r#"{"a b","say \"hi\"",NULL,"NULL","",x}"#,
        ] {
            let json = array_to_json(literal).unwrap();
            assert_eq!(json_to_array(&json).as_deref(), Some(literal));
        }
        assert_eq!(json_to_array(&json!({"a": 1})), None);
    }

    #[test]
    fn vectors_from_pgvector_text_and_json_arrays() {
        let blob = vector_to_blob("[0.5,-1,2.25]").unwrap();
        assert_eq!(blob.len(), 12);
        assert_eq!(&blob[..4], &0.5f32.to_le_bytes());
        assert_eq!(blob_to_vector(&blob).as_deref(), Some("[0.5,-1,2.25]"));
        let many: Vec<f64> = (0..1536).map(|i| f64::from(i) / 1536.0).collect();
        let blob = vector_json_to_blob(&json!(many)).unwrap();
        assert_eq!(blob.len(), 1536 * 4);
        assert!(
            vector_to_blob("[0.1,\"x\"]")
                .unwrap_err()
                .contains("element 2")
        );
        assert!(vector_to_blob("[1e300]").is_err(), "beyond f32");
        assert!(vector_to_blob("hello").is_err());
        assert_eq!(blob_to_vector(&[1, 2, 3]), None);
    }
}
