//! Credentials as a type of their own, so that printing one by mistake shows only its
//! redacted form (at most `pat-na1-…a1b2`; docs/hubspot-cli.md, *Credentials in output*).

use std::fmt;

/// A personal access key, access or refresh token, client secret, API key or secret value.
/// `Debug` and `Display` redact; the only way to the text is [`Secret::expose`], which the
/// HTTP layer calls when it puts the value on the wire.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

/// From a JSON string (command arguments). A value of another type is refused without
/// quoting it, unlike serde's usual "invalid type: integer `1234`" message.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Secret(s)),
            _ => Err(serde::de::Error::custom("a credential must be a string")),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// `pat-na1-0123…a1b2` style: a recognisable prefix (up to the second dash, at most 8
/// characters) and the last four characters; short values show nothing at all.
pub fn redact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 16 {
        return "…".into();
    }
    let prefix_len = s.match_indices('-').nth(1).map(|(i, _)| s[..=i].chars().count()).filter(|n| *n <= 8).unwrap_or(0);
    let prefix: String = chars[..prefix_len].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

/// Shorter secrets are not searched for inside longer text (too likely to be words there);
/// a string that *is* a secret is redacted whatever its length.
const MIN_SCRUBBED_SUBSTRING: usize = 8;

/// Replaces every occurrence of one of `secrets` inside the strings (keys included) of
/// `value` by its redacted form, as [`scrub_str`] does. For answers that may reflect a request
/// back (`hs api` on an `apikey` account whose URL carries `hapikey=`, an error body echoing
/// a secret's value): no credential may reach a command result, an error or a log.
pub fn scrub_json(value: &mut serde_json::Value, secrets: &[Secret]) {
    let secrets: Vec<&Secret> = secrets.iter().filter(|s| !s.is_empty()).collect();
    if secrets.is_empty() {
        return;
    }
    map_strings(value, &|s| scrub_str(s, &secrets));
}

/// Every string of `value`, keys included, through `f`.
pub fn map_strings(value: &mut serde_json::Value, f: &impl Fn(&str) -> String) {
    use serde_json::Value;
    match value {
        Value::String(s) => *s = f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| map_strings(i, f)),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (k, mut item) in entries {
                map_strings(&mut item, f);
                map.insert(f(&k), item);
            }
        }
        _ => {}
    }
}

/// `text` with each of `secrets` redacted: the whole text when it is one of them, else every
/// occurrence of those at least 8 characters long.
pub fn scrub_str(text: &str, secrets: &[&Secret]) -> String {
    if let Some(s) = secrets.iter().find(|s| !s.0.is_empty() && s.0 == text) {
        return s.redacted();
    }
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.0.chars().count() >= MIN_SCRUBBED_SUBSTRING) {
        if out.contains(s.0.as_str()) {
            out = out.replace(s.0.as_str(), &s.redacted());
        }
    }
    out
}

/// A value a user may have pasted where an account belongs (`.hsaccount`,
/// `localDefaultAccount`), as a message may quote it: itself when short (a name, an id, a
/// typo), else only its redacted form, since a long token-like value there is most likely a
/// personal access key in the wrong place.
pub fn quotable(value: &str) -> String {
    let looks_like_key = value.len() >= 16 || value.to_ascii_lowercase().starts_with("pat-");
    if looks_like_key {
        redact(value)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_redacts_credentials_anywhere_in_json() {
        let key = Secret::new("hapi-333-very-secret-api-key");
        let mut v = serde_json::json!({"rawQuery": "portalId=333&hapikey=hapi-333-very-secret-api-key", "n": 1,
            "list": ["x hapi-333-very-secret-api-key y"], "hapi-333-very-secret-api-key": true, "short": "abc"});
        scrub_json(&mut v, &[key.clone(), Secret::new("abc")]);
        let text = v.to_string();
        assert!(!text.contains("very-secret"), "{text}");
        assert!(text.contains("hapikey=…-key"), "{text}");
        // A short secret is only found as a whole value, never inside other text.
        assert!(text.contains("\"short\":\"…\""), "{text}");
        let mut v = serde_json::json!({"message": "abc is a word here"});
        scrub_json(&mut v, &[Secret::new("abc")]);
        assert_eq!(v["message"], "abc is a word here");
    }

    #[test]
    fn a_pasted_key_is_quoted_redacted_a_name_as_it_is() {
        assert_eq!(quotable("pat-na1-11111111-2222-3333-4444-55555555a1b2"), "pat-na1-…a1b2");
        assert_eq!(quotable("prod"), "prod");
        assert_eq!(quotable("my-sandbox"), "my-sandbox");
        assert_eq!(quotable("pat-na1-short"), "…");
    }

    #[test]
    fn redaction_keeps_prefix_and_tail_only() {
        let key = "pat-na1-11111111-2222-3333-4444-55555555a1b2";
        assert_eq!(redact(key), "pat-na1-…a1b2");
        assert_eq!(redact("CiQ2ZjA0YzQ0Ni1hYjFiLTQ5ZDAtOGFhZC1lNzQ2"), "…NzQ2");
        assert_eq!(redact("short"), "…");
        let s = Secret::new(key);
        assert!(!format!("{s:?} {s}").contains("11111111"));
        assert_eq!(s.expose(), key);
    }
}
