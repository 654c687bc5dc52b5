//! The order-to-cash process of seed 003's examples: the paths an order takes and how long
//! each step typically waits for the next. `cscx generate` writes its analyses from it and
//! `cscx bench mine` its synthetic log, so both logs have the same shape.

/// The paths an order takes; the first is the happy path. (activities, relative frequency)
pub const VARIANT_PATHS: &[(&[&str], u32)] = &[
    (
        &[
            "Create Order",
            "Approve Order",
            "Ship Goods",
            "Send Invoice",
            "Receive Payment",
        ],
        55,
    ),
    (
        &[
            "Create Order",
            "Credit Check",
            "Approve Order",
            "Ship Goods",
            "Send Invoice",
            "Receive Payment",
        ],
        15,
    ),
    (
        &[
            "Create Order",
            "Approve Order",
            "Change Order",
            "Approve Order",
            "Ship Goods",
            "Send Invoice",
            "Receive Payment",
        ],
        10,
    ),
    (
        &[
            "Create Order",
            "Approve Order",
            "Ship Goods",
            "Send Invoice",
            "Payment Reminder",
            "Receive Payment",
        ],
        12,
    ),
    (
        &[
            "Create Order",
            "Approve Order",
            "Ship Goods",
            "Return Goods",
            "Ship Goods",
            "Send Invoice",
            "Receive Payment",
        ],
        5,
    ),
    (&["Create Order", "Reject Order"], 3),
];

/// Typical hours a step waits until the next one.
pub fn typical_hours(activity: &str) -> i64 {
    match activity {
        "Create Order" => 4,
        "Credit Check" => 20,
        "Approve Order" => 12,
        "Change Order" => 30,
        "Ship Goods" => 48,
        "Return Goods" => 72,
        "Send Invoice" => 24,
        "Payment Reminder" => 240,
        _ => 1,
    }
}
