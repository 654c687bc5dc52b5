//! Word lists for plausible names, and the few pure helpers that compose them.
//!
//! Every entry is plain ASCII without quotes or backslashes, so the generator can place them
//! inside JSON strings without escaping (a unit test checks this).

#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "Aisha", "Alex", "Alice", "Amara", "Ana", "Andre", "Anna", "Ben", "Bianca", "Carlos",
    "Chen", "Chloe", "Daniel", "Dana", "David", "Diego", "Elena", "Emeka", "Emily", "Erik",
    "Fatima", "Felix", "Grace", "Hannah", "Hiro", "Ines", "Isaac", "Ivan", "Jack", "James",
    "Jana", "Jin", "Jonas", "Julia", "Kai", "Karan", "Kate", "Kofi", "Lars", "Laura", "Leah",
    "Leo", "Lina", "Lucas", "Maya", "Mei", "Mia", "Miguel", "Nadia", "Nina", "Noah", "Olga",
    "Omar", "Pablo", "Priya", "Rafael", "Rana", "Ravi", "Rosa", "Ryan", "Sam", "Sara", "Sofia",
    "Sven", "Tariq", "Tom", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
];

#[rustfmt::skip]
pub const LAST_NAMES: &[&str] = &[
    "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Brown", "Castro", "Chen", "Costa",
    "Dubois", "Eriksson", "Fernandez", "Fischer", "Garcia", "Gupta", "Hansen", "Hoffmann",
    "Ibrahim", "Ito", "Jansen", "Johnson", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez",
    "Martin", "Meyer", "Moreau", "Muller", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor",
    "Olsen", "Park", "Patel", "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Singh",
    "Smith", "Sato", "Tanaka", "Taylor", "Thomas", "Vargas", "Walker", "Wang", "Weber",
    "Wilson", "Yamamoto", "Zhang",
];

/// Company names are `{head}{tail} {noun}{suffix}`: 40 x 30 x 40 x 6 = 288,000 distinct names.
#[rustfmt::skip]
const BRAND_HEADS: &[&str] = &[
    "North", "Blue", "Silver", "Bright", "Iron", "Red", "Green", "Clear", "Stone", "High",
    "Deep", "Swift", "Golden", "Wild", "Star", "Sun", "Oak", "Pine", "Cedar", "Maple", "Harbor",
    "River", "Cloud", "Sky", "Summit", "Quantum", "Nova", "Vector", "Polar", "Coral", "Amber",
    "Crystal", "Eagle", "Falcon", "Lake", "Meadow", "Orbit", "Prism", "Solar", "True",
];
#[rustfmt::skip]
const BRAND_TAILS: &[&str] = &[
    "wind", "field", "bridge", "point", "gate", "stone", "light", "path", "wave", "peak",
    "ridge", "line", "works", "forge", "crest", "haven", "brook", "view", "wood", "port",
    "spark", "vale", "shore", "mark", "star", "stream", "tree", "well", "wing", "yard",
];
#[rustfmt::skip]
const COMPANY_NOUNS: &[&str] = &[
    "Analytics", "Logistics", "Health", "Foods", "Energy", "Systems", "Labs", "Media",
    "Robotics", "Capital", "Insurance", "Retail", "Pharma", "Software", "Networks", "Motors",
    "Textiles", "Biotech", "Telecom", "Airways", "Hotels", "Foundry", "Dynamics", "Learning",
    "Security", "Payments", "Devices", "Materials", "Mining", "Outfitters", "Brewing",
    "Studios", "Freight", "Clinics", "Realty", "Farms", "Marine", "Aerospace", "Consulting",
    "Cloud",
];
#[rustfmt::skip]
const COMPANY_SUFFIXES: &[&str] = &["", " Inc", " Ltd", " GmbH", " Group", " Co"];

#[rustfmt::skip]
pub const INDUSTRIES: &[&str] = &[
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Logistics",
    "Education", "Media", "Energy", "Telecommunications", "Insurance", "Hospitality",
];

/// A sales region, its countries and its `region_dim` hierarchy.
pub struct Region {
    pub name: &'static str,
    pub geo: &'static str,
    pub countries: &'static [&'static str],
}

pub const REGIONS: &[Region] = &[
    Region {
        name: "North America",
        geo: "AMER",
        countries: &["United States", "Canada"],
    },
    Region {
        name: "LATAM",
        geo: "AMER",
        countries: &["Brazil", "Mexico", "Chile", "Colombia"],
    },
    Region {
        name: "UK&I",
        geo: "EMEA",
        countries: &["United Kingdom", "Ireland"],
    },
    Region {
        name: "DACH",
        geo: "EMEA",
        countries: &["Germany", "Austria", "Switzerland"],
    },
    Region {
        name: "Southern Europe",
        geo: "EMEA",
        countries: &["France", "Spain", "Italy", "Portugal"],
    },
    Region {
        name: "Nordics",
        geo: "EMEA",
        countries: &["Sweden", "Norway", "Denmark", "Finland"],
    },
    Region {
        name: "APAC",
        geo: "APAC",
        countries: &["Japan", "Singapore", "India", "South Korea"],
    },
    Region {
        name: "ANZ",
        geo: "APAC",
        countries: &["Australia", "New Zealand"],
    },
];

/// How often each region appears among customers (same order as `REGIONS`).
pub const REGION_WEIGHTS: &[(usize, u32)] = &[
    (0, 40),
    (1, 6),
    (2, 14),
    (3, 12),
    (4, 10),
    (5, 6),
    (6, 8),
    (7, 4),
];

#[rustfmt::skip]
pub const STAKEHOLDER_ROLES: &[&str] = &[
    "VP Operations", "Head of IT", "CFO", "Director of Customer Experience", "Product Manager",
    "IT Administrator", "Procurement Lead", "CTO", "Data Analyst", "Team Lead",
    "Chief Revenue Officer", "Operations Manager",
];

/// `first.last` of a person, lowercase, into `out`.
pub fn email_local(first: &str, last: &str, out: &mut String) {
    out.clear();
    out.extend(first.chars().map(|c| c.to_ascii_lowercase()));
    out.push('.');
    out.extend(last.chars().map(|c| c.to_ascii_lowercase()));
}

/// A domain-like slug of a company name (`Northwind Analytics Inc` → `northwindanalytics`):
/// letters and digits of the name without its legal suffix.
pub fn slug(name: &str, out: &mut String) {
    out.clear();
    let trimmed = COMPANY_SUFFIXES
        .iter()
        .filter(|s| !s.is_empty())
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    out.extend(
        trimmed
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
    );
}

/// How many distinct company names `company_name` can make.
pub fn company_name_space() -> u64 {
    (BRAND_HEADS.len() * BRAND_TAILS.len() * COMPANY_NOUNS.len() * COMPANY_SUFFIXES.len()) as u64
}

/// The company name of customer `index`. Indexes are spread over the name space by a
/// seed-dependent permutation (multiplication by a number coprime with its size), so the
/// first 288,000 customers all have different names and neighbours do not look alike.
pub fn company_name(index: u64, seed: u64, out: &mut String) {
    let space = company_name_space();
    // 1,000,003 is prime and larger than the space, hence coprime with it
    let k = (index
        .wrapping_mul(1_000_003)
        .wrapping_add(seed.wrapping_mul(7919)))
        % space;
    let mut rest = k as usize;
    let suffix = rest % COMPANY_SUFFIXES.len();
    rest /= COMPANY_SUFFIXES.len();
    let noun = rest % COMPANY_NOUNS.len();
    rest /= COMPANY_NOUNS.len();
    let tail = rest % BRAND_TAILS.len();
    rest /= BRAND_TAILS.len();
    let head = rest % BRAND_HEADS.len();
    out.clear();
    out.push_str(BRAND_HEADS[head]);
    out.push_str(BRAND_TAILS[tail]);
    out.push(' ');
    out.push_str(COMPANY_NOUNS[noun]);
    out.push_str(COMPANY_SUFFIXES[suffix]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn word_lists_are_safe_inside_json_strings() {
        let lists: &[&[&str]] = &[
            FIRST_NAMES,
            LAST_NAMES,
            BRAND_HEADS,
            BRAND_TAILS,
            COMPANY_NOUNS,
            COMPANY_SUFFIXES,
            INDUSTRIES,
            STAKEHOLDER_ROLES,
        ];
        for word in lists.iter().flat_map(|l| l.iter()) {
            assert!(
                word.chars().all(|c| c.is_ascii() && c != '"' && c != '\\'),
                "{word}"
            );
        }
    }

    #[test]
    fn company_names_do_not_repeat_within_the_space() {
        let mut seen = HashSet::new();
        let mut name = String::new();
        for i in 0..50_000 {
            company_name(i, 1, &mut name);
            assert!(seen.insert(name.clone()), "repeated: {name} at {i}");
        }
        assert_eq!(company_name_space(), 288_000);
    }

    #[test]
    fn slugs_and_emails_are_lowercase_ascii() {
        let mut out = String::new();
        slug("Northwind Analytics Inc", &mut out);
        assert_eq!(out, "northwindanalytics");
        slug("Bluepeak Foods", &mut out);
        assert_eq!(out, "bluepeakfoods");
        email_local("Ana", "Silva", &mut out);
        assert_eq!(out, "ana.silva");
    }
}
