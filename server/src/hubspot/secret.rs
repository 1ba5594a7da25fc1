//! Credentials as a type of their own, so that printing one by mistake shows only its
//! redacted form (CONTRACT §1: at most `pat-na1-…a1b2`).

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
    let prefix_len = s
        .match_indices('-')
        .nth(1)
        .map(|(i, _)| s[..=i].chars().count())
        .filter(|n| *n <= 8)
        .unwrap_or(0);
    let prefix: String = chars[..prefix_len].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
