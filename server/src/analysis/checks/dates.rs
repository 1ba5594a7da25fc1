//! Does a string parse as a date the way moment.js (which the CLI uses) would accept it?
//! ISO 8601 (what PAK refreshes write) and JavaScript's `Date.toString()` / RFC 2822 forms
//! (what OAuth2 refreshes write).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub fn parses_as_date(s: &str) -> bool {
    parse_date(s).is_some()
}

/// The instant a date string names (naive forms are taken as UTC).
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s).or_else(|_| DateTime::parse_from_rfc2822(s)) {
        return Some(d.with_timezone(&Utc));
    }
    const NAIVE: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"];
    if let Some(d) = NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok()) {
        return Some(d.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    }
    // `Tue Jan 07 2025 10:00:00 GMT+0000` optionally followed by ` (Coordinated Universal Time)`.
    let js = s.split(" (").next().unwrap_or(s);
    DateTime::parse_from_str(js, "%a %b %d %Y %H:%M:%S GMT%z").ok().map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::parses_as_date;

    #[test]
    fn formats_the_cli_writes_parse() {
        assert!(parses_as_date("2025-01-01T12:00:00.000Z"));
        assert!(parses_as_date("Tue Jan 07 2025 10:00:00 GMT+0000"));
        assert!(parses_as_date("Tue Nov 24 2026 17:37:01 GMT+0000 (Coordinated Universal Time)"));
        assert!(parses_as_date("2030-01-01"));
    }

    #[test]
    fn garbage_does_not() {
        for s in ["garbage", "", "2025-13-45", "tomorrow"] {
            assert!(!parses_as_date(s), "{s}");
        }
    }
}
