//! Writes `sample-data/kpi-workbook-acme.xlsx`, the example KPI workbook of the sample data
//! (seed 002's upload flow; the layout is in docs/import.md).
//!
//!     cargo run --example sample_workbook
//!
//! The workbook is committed; run this again only to change it.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

const HEADER: [&str; 8] = [
    "Customer",
    "Category",
    "KPI Parameter",
    "Weight",
    "Impact Level",
    "Measurement Frequency",
    "Source Review",
    "Health Score Component",
];

/// (category, KPI, weight, impact, frequency, source, component, values Aug..Nov 2026)
type Kpi = (
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [Option<f64>; 4],
);

const KPIS: [Kpi; 5] = [
    (
        "Relationship Strength",
        "Executive sponsor engagement",
        0.2,
        "High",
        "Monthly",
        "QBR notes",
        "relationship",
        [Some(7.0), Some(8.0), Some(8.0), Some(9.0)],
    ),
    (
        "Adoption & Engagement",
        "Weekly active users",
        0.25,
        "Critical",
        "Weekly",
        "Product telemetry",
        "adoption",
        [Some(71.0), Some(74.5), Some(78.0), Some(82.0)],
    ),
    (
        "Support & Experience",
        "Support tickets per month",
        0.2,
        "Medium",
        "Monthly",
        "Zendesk",
        "support",
        [Some(9.0), Some(7.0), Some(6.0), Some(4.0)],
    ),
    (
        "Product Value",
        "Time to value",
        0.2,
        "High",
        "Quarterly",
        "Onboarding tracker",
        "value",
        [Some(40.0), None, Some(35.0), None],
    ),
    (
        "Business Outcomes",
        "Net revenue retention",
        0.15,
        "High",
        "Quarterly",
        "Finance",
        "outcomes",
        [Some(108.0), None, Some(112.0), None],
    ),
];

fn main() -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    // a fixed creation time, so that rebuilding gives the same file
    let created = ExcelDateTime::from_ymd(2026, 11, 21)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = workbook.add_worksheet().set_name("KPIs")?;
    let bold = Format::new().set_bold();
    let month = Format::new().set_bold().set_num_format("yyyy-mm");
    for (i, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    // month columns headed by real dates, as spreadsheets write them
    for m in 0..4u8 {
        let date = ExcelDateTime::from_ymd(2026, 8 + m, 1)?;
        sheet.write_datetime_with_format(0, (HEADER.len() + m as usize) as u16, &date, &month)?;
    }
    for (r, (category, kpi, weight, impact, freq, source, component, values)) in
        KPIS.iter().enumerate()
    {
        let row = (r + 1) as u32;
        sheet.write_string(row, 0, "Acme Corp")?;
        sheet.write_string(row, 1, *category)?;
        sheet.write_string(row, 2, *kpi)?;
        sheet.write_number(row, 3, *weight)?;
        sheet.write_string(row, 4, *impact)?;
        sheet.write_string(row, 5, *freq)?;
        sheet.write_string(row, 6, *source)?;
        sheet.write_string(row, 7, *component)?;
        for (m, v) in values.iter().enumerate() {
            if let Some(v) = v {
                sheet.write_number(row, (HEADER.len() + m) as u16, *v)?;
            }
        }
    }
    sheet.autofit();
    workbook.save("sample-data/kpi-workbook-acme.xlsx")
}
