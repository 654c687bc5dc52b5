//! "Change since last month": one definition for the customer list's trend arrow, the
//! account 360's "since" and the portfolio's biggest movers. They used to differ (Hooli was
//! `32 ▼` against October in the list, `+0 since 2026-11` in the 360, and missing from the
//! movers): each compared other months.
//!
//! The change is a customer's score now (`customers.health_score`, as stored and shown)
//! against its overall score of *last month*: the month before the book's latest month of
//! health trends ("this month", `portfolio::latest_month`). Both are whole numbers rounded
//! half up, as shown, so the change is the difference of the two numbers on screen. No
//! score last month (or none now): no change, shown as a blank trend mark.

use super::reader::Reader;
use std::collections::HashMap;

use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::portfolio::latest_month;
use crate::health::overall::whole;
use crate::store::error::Result;

/// A month as `(year, month)`.
pub type Month = (i32, u32);

/// The month before `m`.
pub fn before((year, month): Month) -> Month {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

/// `2026-10`
pub fn label((year, month): Month) -> String {
    format!("{year:04}-{month:02}")
}

/// The book's "this month" and "last month" (of the customers `scope` sees); None while no
/// such customer has a health trend.
pub fn months(r: &Reader<'_>) -> Result<Option<(Month, Month)>> {
    Ok(latest_month(r)?.map(|this| (this, before(this))))
}

/// The overall score of `customer_id` in `month`, if it has one (None for a customer the
/// reader may not see).
pub fn score_in(r: &Reader<'_>, customer_id: &str, (year, month): Month) -> Result<Option<f64>> {
    let mut params = vec![
        Value::Text(customer_id.to_owned()),
        Value::Integer(year.into()),
        Value::Integer(month.into()),
    ];
    let visible = r.scope().customers_sql("c", &mut params);
    Ok(r.conn()
        .prepare_cached(&format!(
            "SELECT t.overall_health_score FROM health_trends t
             JOIN customers c ON c.id = t.customer_id
             WHERE t.customer_id = ?1 AND t.year = ?2 AND t.month = ?3 AND {visible}"
        ))?
        .query_row(crate::store::db::params_from_iter(params.iter()), |row| {
            row.get::<_, Option<f64>>(0)
        })
        .optional()?
        .flatten())
}

/// The change from `last` (last month's score) to `now` (the score shown), in whole points.
pub fn change(now: Option<i64>, last: Option<f64>) -> Option<i64> {
    Some(now? - whole(last?))
}

/// ▲ ▼ or · for a change; blank for none (no score last month).
pub fn arrow(change: Option<i64>) -> &'static str {
    match change {
        Some(1..) => "▲",
        Some(..=-1) => "▼",
        Some(0) => "·",
        None => " ",
    }
}

/// The overall score of each of `ids` in each of the `n` months up to `this` (oldest first),
/// one slot per calendar month: a month without a score is None in its own slot, so a
/// sparkline draws it as a gap and later months stay in their columns. A customer the reader
/// may not see gets no scores.
pub fn monthly(
    r: &Reader<'_>,
    ids: &[String],
    this: Month,
    n: usize,
) -> Result<HashMap<String, Vec<Option<f64>>>> {
    let index = |(y, m): Month| i64::from(y) * 12 + i64::from(m) - 1;
    let last = index(this);
    let first = last - n as i64 + 1;
    // ?1 is each id in turn; the scope's values follow the window's bounds
    let mut params = vec![Value::Null, Value::Integer(first), Value::Integer(last)];
    let visible = r.scope().customers_sql("c", &mut params);
    let mut stmt = r.conn().prepare_cached(&format!(
        "SELECT t.year, t.month, t.overall_health_score FROM health_trends t
         JOIN customers c ON c.id = t.customer_id
         WHERE t.customer_id = ?1 AND t.year * 12 + t.month - 1 BETWEEN ?2 AND ?3 AND {visible}"
    ))?;
    let mut out = HashMap::with_capacity(ids.len());
    for id in ids {
        let mut values = vec![None; n];
        params[0] = Value::Text(id.clone());
        let rows = stmt.query_map(crate::store::db::params_from_iter(params.iter()), |row| {
            Ok((
                row.get::<_, i32>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, Option<f64>>(2)?,
            ))
        })?;
        for row in rows {
            let (y, m, v) = row?;
            if let Some(slot) = usize::try_from(index((y, m)) - first)
                .ok()
                .and_then(|i| values.get_mut(i))
            {
                *slot = v;
            }
        }
        out.insert(id.clone(), values);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_is_the_difference_of_the_numbers_shown() {
        assert_eq!(change(Some(27), Some(74.4)), Some(-47));
        assert_eq!(change(Some(17), Some(16.5)), Some(0), "16.5 shows as 17");
        assert_eq!(change(Some(40), None), None);
        assert_eq!(change(None, Some(40.0)), None);
        assert_eq!(arrow(Some(-47)), "▼");
        assert_eq!(arrow(Some(3)), "▲");
        assert_eq!(arrow(Some(0)), "·");
        assert_eq!(arrow(None), " ");
        assert_eq!(before((2026, 1)), (2025, 12));
        assert_eq!(label((2026, 3)), "2026-03");
    }
}
