//! Column widths worked out here, not by ratatui's constraint solver.
//!
//! Given `Length`/`Min` constraints that add up to more than the table's width, the solver
//! picks one of many equally good answers, and which one can change from run to run (a
//! snapshot of the KPI table at 80 columns came out two ways). Tables therefore get exact
//! widths that always fit: each column says what it wants and the least it can live with;
//! a narrow screen takes from every column in proportion to what it can give, a wide one
//! gives the spare room to the columns that fill. Cells are then cut to their column's
//! width with an ellipsis (`text::truncate`) instead of being clipped mid-word.

use ratatui::layout::Constraint;

/// One column's wishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The width it shows best at.
    pub want: u16,
    /// The least it is still readable at (0: it may disappear on a narrow screen).
    pub min: u16,
    /// Takes a share of any spare room.
    pub fill: bool,
}

impl Column {
    pub const fn fixed(want: u16, min: u16) -> Column {
        Column {
            want,
            min,
            fill: false,
        }
    }

    pub const fn fill(want: u16, min: u16) -> Column {
        Column {
            want,
            min,
            fill: true,
        }
    }
}

/// The width of each column in `width` cells, with one cell between columns. The widths
/// and gaps never add up to more than `width`; the result depends on nothing else.
pub fn fit(columns: &[Column], width: u16) -> Vec<u16> {
    let gaps = columns.len().saturating_sub(1) as u32;
    let room = u32::from(width).saturating_sub(gaps);
    let want: u32 = columns.iter().map(|c| u32::from(c.want)).sum();
    let mut out: Vec<u32> = columns.iter().map(|c| u32::from(c.want)).collect();
    if want <= room {
        // spare room to the filling columns, evenly, the first ones taking the remainder
        let fills: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].fill).collect();
        if let Some(n) = u32::try_from(fills.len()).ok().filter(|n| *n > 0) {
            let spare = room - want;
            for (k, &i) in fills.iter().enumerate() {
                out[i] += spare / n + u32::from((k as u32) < spare % n);
            }
        }
    } else {
        shrink(columns, &mut out, want - room);
        drop_slivers(columns, &mut out);
    }
    out.into_iter()
        .map(|w| u16::try_from(w).unwrap_or(u16::MAX))
        .collect()
}

/// Takes `deficit` cells from the columns, each giving in proportion to how far it is above
/// its minimum; when the minimums do not fit either, the last columns give up the rest.
fn shrink(columns: &[Column], out: &mut [u32], mut deficit: u32) {
    let slack: Vec<u32> = columns
        .iter()
        .map(|c| u32::from(c.want.saturating_sub(c.min)))
        .collect();
    let total: u32 = slack.iter().sum();
    if total > 0 {
        let take = deficit.min(total);
        let mut taken = 0;
        for (i, s) in slack.iter().enumerate() {
            let t = u32::try_from(u64::from(take) * u64::from(*s) / u64::from(total)).unwrap_or(0);
            out[i] -= t;
            taken += t;
        }
        // what rounding left over, one cell at a time from the left
        let mut left = take - taken;
        while left > 0 {
            let mut moved = false;
            for (i, c) in columns.iter().enumerate() {
                if left > 0 && out[i] > u32::from(c.min) {
                    out[i] -= 1;
                    left -= 1;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        deficit -= take - left;
    }
    for w in out.iter_mut().rev() {
        let t = deficit.min(*w);
        *w -= t;
        deficit -= t;
    }
}

/// Narrower than this, a column that may disappear shows only an ellipsis: it is left out.
const SLIVER: u32 = 4;

/// Leaves out the columns that may disappear and were squeezed to a sliver, giving their
/// cells to the nearest column before them that can use more.
fn drop_slivers(columns: &[Column], out: &mut [u32]) {
    for i in 0..columns.len() {
        if columns[i].min == 0 && out[i] > 0 && out[i] < SLIVER {
            let freed = std::mem::take(&mut out[i]);
            if let Some(j) = (0..i).rev().find(|&j| out[j] < u32::from(columns[j].want)) {
                out[j] += freed;
            }
        }
    }
}

/// The widths as constraints for ratatui's `Table` (exact lengths that fit: no guessing).
pub fn constraints(widths: &[u16]) -> Vec<Constraint> {
    widths.iter().map(|w| Constraint::Length(*w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(w: &[u16]) -> u16 {
        w.iter().sum::<u16>() + w.len().saturating_sub(1) as u16
    }

    #[test]
    fn spare_room_goes_to_the_filling_columns() {
        let cols = [
            Column::fill(10, 5),
            Column::fixed(8, 8),
            Column::fill(10, 5),
        ];
        assert_eq!(fit(&cols, 41), vec![16, 8, 15]);
        assert_eq!(total(&fit(&cols, 41)), 41);
        // nothing fills: the table is as wide as its columns want
        let cols = [Column::fixed(10, 5), Column::fixed(8, 8)];
        assert_eq!(fit(&cols, 40), vec![10, 8]);
    }

    #[test]
    fn a_narrow_table_takes_from_each_column_by_what_it_can_give() {
        let cols = [
            Column::fill(20, 10),
            Column::fixed(8, 8),
            Column::fixed(12, 2),
        ];
        let w = fit(&cols, 32);
        assert_eq!(total(&w), 32);
        assert_eq!(w[1], 8, "a column at its minimum gives nothing");
        assert!(w[0] >= 10 && w[2] >= 2, "{w:?}");
        assert_eq!(fit(&cols, 32), w, "the same answer every time");
    }

    #[test]
    fn a_column_that_may_go_is_left_out_rather_than_shown_as_a_sliver() {
        let cols = [Column::fixed(10, 5), Column::fill(10, 0)];
        assert_eq!(
            fit(&cols, 9),
            vec![8, 0],
            "the freed cells go to the column before"
        );
        assert_eq!(fit(&cols, 14), vec![7, 6]);
        assert_eq!(fit(&cols, 21), vec![10, 10]);
    }

    #[test]
    fn below_the_minimums_the_last_columns_give_way() {
        let cols = [
            Column::fixed(10, 10),
            Column::fixed(10, 10),
            Column::fixed(10, 10),
        ];
        assert_eq!(fit(&cols, 25), vec![10, 10, 3]);
        assert_eq!(fit(&cols, 0), vec![0, 0, 0]);
    }
}
