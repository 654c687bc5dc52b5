//! The dashboard (DESIGN.md section 5).
