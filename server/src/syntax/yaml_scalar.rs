//! Scalars resolved as js-yaml 4's default schema resolves them (null, bool, int, float,
//! timestamp, in that order), since the CLI reads its config with js-yaml: `1e3` and `0b11`
//! are numbers, `1_000` and `0X1F` are text, `2024-01-01` is a Date. See docs/hubspot-cli.md,
//! *Reading the config*.
//!
//! JSON has neither dates nor NaN: a date is `{"$date": "<text>"}` (a value no lookup
//! matches, as no name or id equals a JavaScript Date), NaN is null (falsy, as NaN is), and
//! an infinity keeps its text.

use std::borrow::Cow;

use saphyr::ScalarStyle;
use serde_json::{json, Number, Value};

/// The marker of a date in a tree: `{"$date": "2024-01-01"}`.
pub const DATE_KEY: &str = "$date";

/// Turns each date (`{"$date": "2024-01-01"}`, see `yaml_scalar`) back into its text.
pub fn dates_as_text(v: &mut Value) {
    match v {
        Value::Object(m) if m.len() == 1 && m.get(DATE_KEY).is_some_and(Value::is_string) => {
            *v = m.remove(DATE_KEY).unwrap_or_default();
        }
        Value::Object(m) => m.values_mut().for_each(dates_as_text),
        Value::Array(a) => a.iter_mut().for_each(dates_as_text),
        _ => {}
    }
}

/// A plain scalar without a tag, or one with a core tag (`!!int '5'` is the number 5), when
/// it is not the text itself.
fn typed(raw: &str, plain: bool, core_tag: Option<&str>) -> Option<Value> {
    let kind = match core_tag {
        Some(tag) => tag,
        None if !plain => return None,
        None => "",
    };
    let try_null = matches!(kind, "" | "null");
    let try_bool = matches!(kind, "" | "bool");
    let try_int = matches!(kind, "" | "int");
    let try_float = matches!(kind, "" | "float");
    let try_date = matches!(kind, "" | "timestamp");
    if try_null && (matches!(raw, "~" | "null" | "Null" | "NULL") || (plain && raw.is_empty())) {
        return Some(Value::Null);
    }
    if try_bool {
        match raw {
            "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
            "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
            _ => {}
        }
    }
    if try_int {
        if let Some(n) = int(raw) {
            return Some(number(n));
        }
    }
    if try_float {
        if let Some(f) = float(raw) {
            return match f {
                f if f.is_nan() => Some(Value::Null),
                f if f.is_infinite() => None,
                f => Some(number(f)),
            };
        }
    }
    if try_date && is_timestamp(raw) {
        return Some(json!({ DATE_KEY: raw }));
    }
    None
}

/// A JavaScript number as JSON: an integer when it is one and exact, else a float.
fn number(f: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_992.0; // 2^53
    if f.fract() == 0.0 && f.abs() < SAFE {
        Value::from(f as i64)
    } else {
        Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// js-yaml's int: `[-+]?` then `0`, `0b[01]+`, `0x[0-9a-fA-F]+`, `0o[0-7]+`, or decimal digits
/// (a leading zero is still decimal: `017` is 17). No underscores, no `0X`.
fn int(raw: &str) -> Option<f64> {
    let (sign, body) = match raw.as_bytes().first()? {
        b'-' => (-1.0, &raw[1..]),
        b'+' => (1.0, &raw[1..]),
        _ => (1.0, raw),
    };
    let (radix, digits) = match body.get(..2) {
        Some("0b") => (2, &body[2..]),
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // As parseInt does: exact below 2^53, rounded above (never an overflow).
    let value = digits.chars().fold(0.0f64, |acc, c| acc * radix as f64 + c.to_digit(radix).unwrap_or(0) as f64);
    let value = if radix == 10 { digits.parse::<f64>().unwrap_or(value) } else { value };
    value.is_finite().then_some(sign * value)
}

/// js-yaml's float: `[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?`, `\.[0-9]+([eE]...)?`,
/// `[-+]?\.inf` and `\.nan` (in three spellings each).
fn float(raw: &str) -> Option<f64> {
    let lower = raw.to_ascii_lowercase();
    let unsigned = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    let negative = lower.starts_with('-');
    if matches!(raw.strip_prefix(['-', '+']).unwrap_or(raw), ".inf" | ".Inf" | ".INF") {
        return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if matches!(raw, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let b = raw.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let had_int = i > int_start;
    if b.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        // `.5` needs digits after the dot and no sign; `5.` is fine.
        if !had_int && (i == frac_start || int_start > 0) {
            return None;
        }
    } else if !had_int {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = unsigned.parse().ok().or_else(|| format!("0{unsigned}").parse().ok())?;
    f.is_finite().then_some(if negative { -f } else { f })
}

/// js-yaml's timestamp: `YYYY-MM-DD`, or `YYYY-M-D` followed by a time (`T` or blanks,
/// `H:MM:SS`, a fraction, a zone).
pub fn is_timestamp(raw: &str) -> bool {
    let b = raw.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if b.len() == 10 && digits(&b[..4]) && b[4] == b'-' && digits(&b[5..7]) && b[7] == b'-' && digits(&b[8..]) {
        return true;
    }
    // Year, then month and day of one or two digits, then the time.
    let Some(rest) = raw.get(4..).filter(|_| b.len() > 4 && digits(&b[..4])) else { return false };
    let Some(rest) = rest.strip_prefix('-') else { return false };
    let take_1_2 = |s: &str| -> Option<usize> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (1..=2).contains(&n).then_some(n)
    };
    let Some(n) = take_1_2(rest) else { return false };
    let Some(rest) = rest[n..].strip_prefix('-') else { return false };
    let Some(n) = take_1_2(rest) else { return false };
    let rest = &rest[n..];
    let rest = match rest.strip_prefix(['T', 't']) {
        Some(r) => r,
        None if rest.starts_with([' ', '\t']) => rest.trim_start_matches([' ', '\t']),
        None => return false,
    };
    let Some(n) = take_1_2(rest) else { return false };
    let rest = &rest[n..];
    let two = |s: &str| s.len() >= 3 && s.as_bytes()[0] == b':' && digits(&s.as_bytes()[1..3]);
    if !two(rest) || !two(&rest[3..]) {
        return false;
    }
    let mut rest = &rest[6..];
    if let Some(r) = rest.strip_prefix('.') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    if rest.is_empty() || rest == "Z" {
        return true;
    }
    let Some(zone) = rest.strip_prefix(['-', '+']) else { return false };
    let Some(n) = take_1_2(zone) else { return false };
    let zone = &zone[n..];
    zone.is_empty() || (zone.len() == 3 && two(zone))
}

/// js-yaml turns every key into a string.
pub fn key_string(value: Value, source: &str) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => "null".into(),
        Value::Object(_) | Value::Array(_) => source.to_string(),
        other => other.to_string(),
    }
}

/// The kinds of node a tag may sit on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Scalar,
    Sequence,
    Mapping,
}

/// The type js-yaml's default schema gives a node tagged `tag` (`str`, `int`, `map`, ...), or
/// the reason it refuses the file: a tag it does not know for that kind of node, a local tag
/// (`!secret`) among them.
pub fn core_tag(tag: &saphyr::Tag, kind: NodeKind) -> Result<String, String> {
    let full = format!("{}{}", tag.handle, tag.suffix);
    if full == "!" {
        // The non-specific tag: a scalar stays text, a collection is what it is.
        return Ok(match kind {
            NodeKind::Scalar => "str",
            NodeKind::Sequence => "seq",
            NodeKind::Mapping => "map",
        }
        .into());
    }
    let known: &[&str] = match kind {
        NodeKind::Scalar => &["str", "null", "bool", "int", "float", "timestamp", "merge", "binary"],
        NodeKind::Sequence => &["seq", "omap", "pairs"],
        NodeKind::Mapping => &["map", "set"],
    };
    match full.strip_prefix("tag:yaml.org,2002:") {
        Some(name) if known.contains(&name) => Ok(name.to_string()),
        _ => Err(format!("unknown tag !<{full}>")),
    }
}

/// The value of a scalar as js-yaml reads it, and the reason it refuses the file when it does
/// (the value is then the text). `raw` becomes the value's string without a copy.
pub fn scalar_value(
    raw: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, saphyr::Tag>>,
) -> (Value, Option<String>) {
    let core = match tag.map(|t| core_tag(t, NodeKind::Scalar)).transpose() {
        Ok(core) => core,
        Err(reason) => return (Value::String(raw.into_owned()), Some(reason)),
    };
    if let Some(value) = typed(&raw, style == ScalarStyle::Plain, core.as_deref()) {
        return (value, None);
    }
    // A core type that does not take the text (`!!int x`) is an error, not a string.
    let refused = match core.as_deref() {
        Some(name @ ("null" | "bool" | "int" | "float" | "timestamp")) => {
            Some(format!("cannot resolve a node with !<tag:yaml.org,2002:{name}> explicit tag"))
        }
        _ => None,
    };
    (Value::String(raw.into_owned()), refused)
}

/// Whether `text` has a byte that may start a character [`unprintable`] looks for (a control
/// character, DEL, the lead byte of a C1 control or of U+FFFE/U+FFFF): a text without any is
/// not searched, as nearly none has one. Blocks without an early exit, so the compiler can
/// test many bytes at once (a byte-by-byte scan cost 1% of tests/bench's change rows).
pub fn may_be_unprintable(text: &str) -> bool {
    let flag =
        |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7f) | (b == 0xc2) | (b == 0xef);
    text.as_bytes().chunks(64).any(|block| block.iter().fold(false, |seen, &b| seen | flag(b)))
}

/// The first character js-yaml refuses in a scalar's text, with the reason it gives: control
/// characters anywhere (tab and line breaks aside), and in plain and block scalars also DEL,
/// most C1 controls and U+FFFE/U+FFFF. Escapes (`"\x1b"`) and comments are not checked.
pub fn unprintable(text: &str, quoted: bool) -> Option<(usize, char, &'static str)> {
    text.char_indices().find_map(|(i, c)| {
        let control = c < ' ' && !matches!(c, '\t' | '\n' | '\r');
        let refused = if quoted {
            control
        } else {
            control || matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
        };
        let reason =
            if quoted { "expected valid JSON character" } else { "the stream contains non-printable characters" };
        refused.then_some((i, c, reason))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolve(raw: &str, plain: bool, core_tag: Option<&str>) -> Value {
        typed(raw, plain, core_tag).unwrap_or_else(|| Value::String(raw.to_string()))
    }

    fn plain(raw: &str) -> Value {
        resolve(raw, true, None)
    }

    #[test]
    fn numbers_as_js_yaml_reads_them() {
        for (raw, want) in [
            ("1e3", json!(1000)),
            ("0b11", json!(3)),
            ("0o17", json!(15)),
            ("017", json!(17)),
            ("0x1F", json!(31)),
            ("+12", json!(12)),
            ("12.0", json!(12)),
            ("123.", json!(123)),
            (".5", json!(0.5)),
            ("-0", json!(0)),
            ("1.5e3", json!(1500)),
            ("99999999999999999999", json!(1e20)),
            ("1_000", json!("1_000")),
            ("0X1F", json!("0X1F")),
            ("0x", json!("0x")),
            ("+.5", json!("+.5")),
            ("1e", json!("1e")),
            (".inf", json!(".inf")),
            ("12:30", json!("12:30")),
        ] {
            assert_eq!(plain(raw), want, "{raw}");
        }
    }

    #[test]
    fn null_bool_tags_and_quotes() {
        assert_eq!(plain("NULL"), Value::Null);
        assert_eq!(plain(""), Value::Null);
        assert_eq!(plain("TRUE"), json!(true));
        assert_eq!(plain("yes"), json!("yes"));
        assert_eq!(resolve("5", false, None), json!("5"));
        assert_eq!(resolve("5", false, Some("int")), json!(5));
        assert_eq!(resolve("5", true, Some("str")), json!("5"));
        assert_eq!(plain(".nan"), Value::Null);
    }

    #[test]
    fn timestamps() {
        for yes in [
            "2024-01-01",
            "2024-1-1 10:00:00",
            "2024-01-01T10:00:00Z",
            "2024-01-01t1:00:00.5 +02:00",
            "2001-12-14 21:59:43.10 -5",
        ] {
            assert!(is_timestamp(yes), "{yes}");
            assert_eq!(plain(yes), json!({ "$date": yes }), "{yes}");
        }
        for no in ["2024-1-1", "2024-01-01x", "24-01-01", "2024-01-01 10:00", "2024-01-01T10:00:00+5:0"] {
            assert!(!is_timestamp(no), "{no}");
        }
    }
}
