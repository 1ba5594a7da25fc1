//! Scalars rendered the way the CLI's `js-yaml` `dump()` renders them, so a value we write
//! reads back, in js-yaml and in our parser, as exactly what was meant.
//!
//! js-yaml writes a string plain unless plain would misread: it would resolve to another type
//! (`123`, `true`, `null`, `2030-01-01T00:00:00.000Z`, `1_000`, `.inf`), it is a YAML 1.1
//! boolean or base-60 number kept quoted for old readers (`y`, `on`, `no`, `1:20`), it starts
//! with an indicator or a space, ends with a space or `:`, or holds `: ` or ` #`. Those get
//! single quotes (`'` doubled). Strings with line breaks or control characters get double
//! quotes with escapes (js-yaml would choose a block scalar; the data is the same).

use serde_json::Value;

/// A scalar value as YAML text; `None` for mappings and sequences. `in_flow`: the scalar sits
/// inside `{}`/`[]`, where `,[]{}` also end a plain scalar.
pub fn yaml_scalar(value: &Value, in_flow: bool) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s, in_flow),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

/// A string (value or mapping key) as YAML text.
pub fn yaml_string(s: &str, in_flow: bool) -> String {
    if s.chars().any(needs_double_quotes) {
        return double_quoted(s);
    }
    if plain_is_safe(s, in_flow) && !is_ambiguous(s) && reads_back_as_string(s, in_flow) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

fn needs_double_quotes(c: char) -> bool {
    // Not printable in js-yaml's sense (and the BOM): single quotes cannot escape them.
    matches!(c, '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
        || c == '\u{2028}'
        || c == '\u{2029}'
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_double_quotes(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// js-yaml's `isPlainSafeFirst` / `isPlainSafe` / `isPlainSafeLast`.
fn plain_is_safe(s: &str, in_flow: bool) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return false };
    if first.is_whitespace() || "-?:,[]{}#&*!|=>'\"%@`".contains(first) {
        return false;
    }
    let last = s.chars().next_back().unwrap_or(first);
    if last == ' ' || last == '\t' || last == ':' {
        return false;
    }
    let mut prev = first;
    for c in chars {
        let ws = c == ' ' || c == '\t';
        if in_flow && ",[]{}".contains(c) {
            return false;
        }
        // `: ` starts a value, ` #` a comment; `a:b` and `a#b` are fine.
        if prev == ':' && ws {
            return false;
        }
        if c == '#' && (prev == ' ' || prev == '\t') {
            return false;
        }
        prev = c;
    }
    true
}

/// Would js-yaml (default schema, compat mode) read the plain text as something else?
fn is_ambiguous(s: &str) -> bool {
    const OLD_BOOLEANS: &[&str] =
        &["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"];
    const NULLS: &[&str] = &["~", "null", "Null", "NULL"];
    const BOOLS: &[&str] = &["true", "True", "TRUE", "false", "False", "FALSE"];
    OLD_BOOLEANS.contains(&s)
        || NULLS.contains(&s)
        || BOOLS.contains(&s)
        || s == "<<"
        || is_base60(s)
        || is_int(s)
        || is_float(s)
        || is_timestamp(s)
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

/// `[-+]?[0-9_]+(:[0-9_]+)+(\.[0-9_]*)?`
fn is_base60(s: &str) -> bool {
    let body = strip_sign(s);
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let parts: Vec<&str> = main.split(':').collect();
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
        && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
}

/// js-yaml 4 `int`: decimal with `_`, `0b`, `0o`, `0x`, each optionally signed.
fn is_int(s: &str) -> bool {
    let body = strip_sign(s);
    let digits =
        |t: &str, ok: fn(u8) -> bool| !t.is_empty() && t.bytes().all(|b| ok(b) || b == b'_') && t.bytes().any(ok);
    if let Some(t) = body.strip_prefix("0b") {
        return digits(t, |b| b == b'0' || b == b'1');
    }
    if let Some(t) = body.strip_prefix("0o") {
        return digits(t, |b| (b'0'..=b'7').contains(&b));
    }
    if let Some(t) = body.strip_prefix("0x") {
        return digits(t, |b| b.is_ascii_hexdigit());
    }
    digits(body, |b| b.is_ascii_digit())
}

/// js-yaml 4 `float`, including `.inf`/`.nan` spellings.
fn is_float(s: &str) -> bool {
    let body = strip_sign(s);
    if [".inf", ".Inf", ".INF"].contains(&body) || [".nan", ".NaN", ".NAN"].contains(&s) {
        return true;
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(e) = exp {
        let e = strip_sign(e);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let num = |t: &str| t.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    match mantissa.split_once('.') {
        // `1.`, `1.5`, `1_0.5_`
        Some((int, frac)) if !int.is_empty() => int.as_bytes()[0].is_ascii_digit() && num(int) && num(frac),
        // `.5`
        Some((_, frac)) => !frac.is_empty() && frac.as_bytes()[0].is_ascii_digit() && num(frac),
        // `1e5` (a plain `123` is an int, already caught)
        None => exp.is_some() && !mantissa.is_empty() && mantissa.as_bytes()[0].is_ascii_digit() && num(mantissa),
    }
}

/// js-yaml's `timestamp`: `YYYY-MM-DD`, or `YYYY-M-D` + `T`/`t`/blanks + `H:MM:SS` and
/// whatever fraction and zone follow (quoting a little too much is harmless).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, min: usize, max: usize| {
        let n = b[*i..].iter().take(max).take_while(|c| c.is_ascii_digit()).count();
        *i += n;
        n >= min
    };
    let lit = |i: &mut usize, c: u8| {
        let ok = b.get(*i) == Some(&c);
        *i += ok as usize;
        ok
    };
    if !(digits(&mut i, 4, 4) && lit(&mut i, b'-')) {
        return false;
    }
    let month_start = i;
    if !(digits(&mut i, 1, 2) && lit(&mut i, b'-')) {
        return false;
    }
    let two_digit_month = i - month_start == 3;
    let day_start = i;
    if !digits(&mut i, 1, 2) {
        return false;
    }
    if i == b.len() {
        return two_digit_month && i - day_start == 2;
    }
    match b[i] {
        b'T' | b't' => i += 1,
        b' ' | b'\t' => {
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
        }
        _ => return false,
    }
    digits(&mut i, 1, 2) && lit(&mut i, b':') && digits(&mut i, 2, 2) && lit(&mut i, b':') && digits(&mut i, 2, 2)
}

/// Last line of defence: our own parser must read the plain form back as the same string
/// (it follows the YAML 1.2 core schema, which resolves a few things js-yaml does not).
fn reads_back_as_string(s: &str, in_flow: bool) -> bool {
    let doc = if in_flow { format!("[{s}]") } else { format!("k: {s}") };
    let tree = crate::syntax::yaml::parse(&doc);
    if !tree.errors.is_empty() {
        return false;
    }
    let got = if in_flow { tree.value.get(0) } else { tree.value.get("k") };
    got.and_then(Value::as_str) == Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(s: &str) -> String {
        yaml_string(s, false)
    }

    #[test]
    fn plain_when_safe() {
        for s in [
            "my-company-inc",
            "pak-na1-abc",
            "personalaccesskey",
            "a:b",
            "a#b",
            "Tue Jan 07 2025 10:00:00 GMT+0000",
            "hello world",
            "123abc",
            "STANDARD",
            "00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(y(s), s, "{s}");
        }
    }

    #[test]
    fn quoted_when_it_would_read_as_another_type() {
        for s in [
            "123",
            "-5",
            "1_000",
            "0x1F",
            "0o17",
            "1.5",
            ".5",
            "1e5",
            ".inf",
            "-.INF",
            ".NaN",
            "true",
            "False",
            "null",
            "~",
            "NULL",
            "y",
            "on",
            "No",
            "OFF",
            "yes",
            "<<",
            "1:20",
            "2030-01-01T00:00:00.000Z",
            "2030-01-01",
            "2001-12-14 21:59:43.10 -5",
        ] {
            assert_eq!(y(s), format!("'{s}'"), "{s}");
        }
    }

    #[test]
    fn quoted_for_indicators_spaces_and_comments() {
        for s in [
            "", " lead", "trail ", "a: b", "a #b", "-x", "?x", ":x", "#x", "&a", "*a", "!t", "|x", ">x", "%x", "@x",
            "`x", "[x", "{x", "=x", "x:",
        ] {
            assert!(y(s).starts_with('\''), "{s} -> {}", y(s));
        }
        assert_eq!(y("it's: here"), "'it''s: here'");
        assert_eq!(y("'quoted'"), "'''quoted'''");
    }

    #[test]
    fn flow_context_quotes_flow_indicators() {
        assert_eq!(yaml_string("a,b", false), "a,b");
        assert_eq!(yaml_string("a,b", true), "'a,b'");
        assert_eq!(yaml_string("x]", true), "'x]'");
    }

    #[test]
    fn control_characters_get_double_quotes() {
        assert_eq!(y("a\nb"), "\"a\\nb\"");
        assert_eq!(y("tab\there"), "tab\there", "a tab is printable");
        assert_eq!(y("cr\r"), "\"cr\\r\"");
        assert_eq!(y("q\"\u{1}"), "\"q\\\"\\x01\"");
    }

    #[test]
    fn other_scalars() {
        assert_eq!(yaml_scalar(&json!(null), false).unwrap(), "null");
        assert_eq!(yaml_scalar(&json!(true), false).unwrap(), "true");
        assert_eq!(yaml_scalar(&json!(30000), false).unwrap(), "30000");
        assert_eq!(yaml_scalar(&json!(-1.5), false).unwrap(), "-1.5");
        assert!(yaml_scalar(&json!({}), false).is_none());
    }

    #[test]
    fn every_rendering_reads_back() {
        let samples =
            ["123", "a: b", "y", "", "it's", "2030-01-01T00:00:00.000Z", "x\ny", "- a", "#", "null", "é😀", "a ,b"];
        for s in samples {
            for flow in [false, true] {
                let text = yaml_string(s, flow);
                let doc = if flow { format!("[{text}]") } else { format!("k: {text}") };
                let t = crate::syntax::yaml::parse(&doc);
                let got = if flow { t.value.get(0).cloned() } else { t.value.get("k").cloned() };
                assert_eq!(got, Some(json!(s)), "{s:?} as {text}");
            }
        }
    }
}
