//! Credentials for API calls (docs/hubspot-cli.md, *Token exchange*, *Token cache and
//! refresh*, *OAuth2 accounts*): the personal-access-key exchange, the cached access token
//! used while it is valid and refreshed 5 minutes before expiry, OAuth2 refresh, and the
//! write-back of fresh tokens through a [`TokenStore`].
//!
//! Better than the CLI: concurrent refreshes of one account share one exchange (a per-account
//! async lock, then a second look at the cache); an unparseable `expiresAt` counts as expired
//! instead of "valid forever"; a PAK account without `auth.tokenInfo` simply gets one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration as Span, Utc};
use futures::future::BoxFuture;
use serde::Deserialize;

use crate::hubspot::limits::MAX_TOKEN_LIFETIME;
use crate::hubspot::model::{Account, AuthType, HubEnv};
use crate::hubspot::secret::Secret;

/// Refresh this long before the server-given expiry, as the CLI does.
pub const REFRESH_MARGIN_MINUTES: i64 = 5;

/// What the PAK exchange answers (the library's `AccessTokenResponse`).
#[derive(Clone, Debug)]
pub struct AccessToken {
    pub hub_id: i64,
    pub user_id: Option<i64>,
    pub token: Secret,
    pub expires_at: DateTime<Utc>,
    pub scope_groups: Vec<String>,
    pub hub_name: Option<String>,
    pub account_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExchangeBody {
    hub_id: i64,
    #[serde(default)]
    user_id: Option<i64>,
    oauth_access_token: String,
    expires_at_millis: i64,
    #[serde(default)]
    scope_groups: Vec<String>,
    #[serde(default)]
    hub_name: Option<String>,
    #[serde(default)]
    account_type: Option<String>,
}

impl ExchangeBody {
    pub(crate) fn hub_id(&self) -> i64 {
        self.hub_id
    }

    /// `None` when `hubId` is not an account id (zero, negative, or past 2^53, where the CLI's
    /// numbers are no longer exact): nothing could be written or called for it.
    pub(crate) fn into_token(self) -> Option<AccessToken> {
        if self.hub_id <= 0 || self.hub_id > (1 << 53) {
            return None;
        }
        let now = Utc::now();
        Some(AccessToken {
            hub_id: self.hub_id,
            user_id: self.user_id,
            token: Secret::new(self.oauth_access_token),
            expires_at: capped_expiry(self.expires_at_millis, now),
            scope_groups: self.scope_groups,
            hub_name: self.hub_name,
            account_type: self.account_type,
        })
    }
}

/// `POST oauth/v1/token` answer.
#[derive(Deserialize)]
pub(crate) struct OAuthBody {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Seconds; any JSON number (`1e15` as much as `3600`), clamped where it is used.
    pub expires_in: serde_json::Number,
}

impl OAuthBody {
    /// When the token is to be refreshed: after 3/4 of its lifetime, as the CLI does, and
    /// never further than [`MAX_TOKEN_LIFETIME`] away.
    pub(crate) fn expires_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        expiry_in(now, self.expires_in.as_f64().unwrap_or(0.0) * 0.75)
    }
}

/// `now` plus `lifetime_secs`, clamped to `0..=`[`MAX_TOKEN_LIFETIME`] (NaN: 0, expired).
pub fn expiry_in(now: DateTime<Utc>, lifetime_secs: f64) -> DateTime<Utc> {
    let secs = if lifetime_secs.is_nan() { 0.0 } else { lifetime_secs.clamp(0.0, MAX_TOKEN_LIFETIME.as_secs_f64()) };
    now + Span::milliseconds((secs * 1000.0).round() as i64)
}

/// A server-given expiry (epoch milliseconds), pulled in to at most [`MAX_TOKEN_LIFETIME`]
/// from `now`, however far out (even past the last date there is).
pub fn capped_expiry(epoch_millis: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    let cap = now + Span::seconds(MAX_TOKEN_LIFETIME.as_secs() as i64);
    match DateTime::from_timestamp_millis(epoch_millis) {
        Some(t) => t.min(cap),
        None if epoch_millis > 0 => cap,
        None => now,
    }
}

/// A token ready to be written back under `auth.tokenInfo`.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredToken {
    pub access_token: Secret,
    /// ISO-8601 with milliseconds, as the CLI writes it for PAK accounts.
    pub expires_at: String,
    /// OAuth2 only: the rotated refresh token.
    pub refresh_token: Option<Secret>,
}

/// Where refreshed tokens go: the config file (comment-preserving edit), or nowhere in
/// env-var mode (the CLI never persists refreshes there).
/// Async because a file store waits for the file's lock (other commands may be writing it).
pub trait TokenStore: Send + Sync {
    /// Writes `token` into `account`'s entry. With `replaces` not empty, only while the entry's
    /// refresh token is one of them: another one is a newer grant (authenticated again), and
    /// then there is nothing to write.
    fn save<'a>(
        &'a self,
        account: &'a Account,
        token: &'a StoredToken,
        replaces: &'a [Secret],
    ) -> BoxFuture<'a, Result<(), String>>;
}

/// Env-var mode and callers that must not write (`hubspot.account.info`): nothing to write, and
/// nothing to keep for later (a rotated refresh token stays in the client's `TokenCache`).
pub struct NoStore;

impl TokenStore for NoStore {
    fn save<'a>(&'a self, _: &'a Account, _: &'a StoredToken, _: &'a [Secret]) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }
}

/// `expiresAt` as the CLI may have written it: ISO-8601 (PAK) or `moment().toString()`
/// (`Tue Jan 07 2025 10:00:00 GMT+0000`, OAuth2). `None` when it parses as neither.
pub fn parse_expiry(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // moment's toString, possibly followed by a zone name in parentheses.
    let head = s.split(" (").next().unwrap_or(s);
    DateTime::parse_from_str(head, "%a %b %d %Y %H:%M:%S GMT%z").ok().map(|t| t.with_timezone(&Utc))
}

pub fn iso_millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Still good for at least the refresh margin.
pub fn is_fresh(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now + Span::minutes(REFRESH_MARGIN_MINUTES) < expires_at
}

/// The cached token of an account's config entry, if it is still fresh.
pub fn fresh_config_token(account: &Account, now: DateTime<Utc>) -> Option<Secret> {
    let info = account.token_info()?;
    let token = info.access_token.clone()?;
    let expires = parse_expiry(info.expires_at.as_deref()?)?;
    is_fresh(expires, now).then_some(token)
}

/// In-process token cache and per-account refresh locks, shared by every command.
#[derive(Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<CacheKey, (Secret, DateTime<Utc>)>>,
    locks: Mutex<HashMap<CacheKey, Arc<tokio::sync::Mutex<()>>>>,
    /// Per OAuth2 account, the refresh tokens HubSpot retired by rotating them and the one it
    /// gave last: a config (or a command's copy of it) holding a retired one is behind.
    rotations: Mutex<HashMap<CacheKey, Rotation>>,
    /// The last refreshed token a config could not take yet (it had unsaved changes in the
    /// editor, say), written by a later call.
    unsaved: Mutex<HashMap<CacheKey, StoredToken>>,
}

#[derive(Default)]
struct Rotation {
    retired: Vec<Secret>,
    newest: Option<Secret>,
}

/// One cache slot per account id, env and credential: a re-authenticated account (new PAK)
/// never reuses the old key's token.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    account_id: i64,
    env: HubEnv,
    credential: u64,
}

impl CacheKey {
    pub fn of(account: &Account) -> Option<CacheKey> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        match account.auth_type.as_ref()? {
            AuthType::PersonalAccessKey => account.personal_access_key.as_ref()?.expose().hash(&mut h),
            AuthType::OAuth2 => account.auth.as_ref()?.client_id.hash(&mut h),
            _ => return None,
        }
        Some(CacheKey { account_id: account.account_id?, env: account.env, credential: h.finish() })
    }
}

impl TokenCache {
    /// A cached token that is fresh and is not the one the server just rejected.
    pub fn get(&self, key: &CacheKey, rejected: Option<&Secret>, now: DateTime<Utc>) -> Option<Secret> {
        let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let (token, expires) = tokens.get(key)?;
        (is_fresh(*expires, now) && Some(token) != rejected).then(|| token.clone())
    }

    /// The cached token, fresh or not.
    pub fn held(&self, key: &CacheKey) -> Option<Secret> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).get(key).map(|(t, _)| t.clone())
    }

    pub fn put(&self, key: CacheKey, token: Secret, expires: DateTime<Utc>) {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).insert(key, (token, expires));
    }

    pub fn forget(&self, key: &CacheKey) {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }

    /// The refresh token to send for the one a config holds: the newest, if HubSpot retired it.
    pub fn refresh_token(&self, key: &CacheKey, in_config: Secret) -> Secret {
        let rotations = self.rotations.lock().unwrap_or_else(|p| p.into_inner());
        match rotations.get(key) {
            Some(Rotation { retired, newest: Some(newest) }) if retired.contains(&in_config) => newest.clone(),
            _ => in_config,
        }
    }

    /// A refresh sent `used` and got `new` (the same token when HubSpot did not rotate it).
    pub fn rotated(&self, key: &CacheKey, used: &Secret, new: &Secret) {
        let mut rotations = self.rotations.lock().unwrap_or_else(|p| p.into_inner());
        let r = rotations.entry(key.clone()).or_default();
        if used != new && !r.retired.contains(used) {
            r.retired.push(used.clone());
        }
        r.newest = Some(new.clone());
    }

    /// The refresh tokens a write-back may replace: every one this account has had here (none
    /// for a personal access key account, whose write-back is unconditional).
    pub fn replaceable(&self, key: &CacheKey) -> Vec<Secret> {
        let rotations = self.rotations.lock().unwrap_or_else(|p| p.into_inner());
        rotations.get(key).map(|r| r.retired.iter().chain(&r.newest).cloned().collect()).unwrap_or_default()
    }

    /// The newest refresh token, for what must not be shown.
    pub fn newest_refresh_token(&self, key: &CacheKey) -> Option<Secret> {
        self.rotations.lock().unwrap_or_else(|p| p.into_inner()).get(key).and_then(|r| r.newest.clone())
    }

    pub fn keep_unsaved(&self, key: CacheKey, token: StoredToken) {
        self.unsaved.lock().unwrap_or_else(|p| p.into_inner()).insert(key, token);
    }

    pub fn unsaved(&self, key: &CacheKey) -> Option<StoredToken> {
        self.unsaved.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    /// A write-back landed (or was no longer needed): an older kept token must not follow it.
    pub fn saved(&self, key: &CacheKey) {
        self.unsaved.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }

    /// The lock that serialises refreshes of one account.
    pub fn lock_for(&self, key: &CacheKey) -> Arc<tokio::sync::Mutex<()>> {
        self.locks.lock().unwrap_or_else(|p| p.into_inner()).entry(key.clone()).or_default().clone()
    }
}

/// `toKebabCase`: the CLI's default account name from a hub name,
/// `My Company, Inc.` -> `my-company-inc`. Mirrors its word regex
/// `[A-Z]{2,}(?=[A-Z][a-z]+[0-9]*|\b)|[A-Z]?[a-z]+[0-9]*|[A-Z]|[0-9]+` (ASCII, like JS).
pub fn kebab_case(s: &str) -> String {
    let b: Vec<char> = s.chars().filter(|c| !".,/#!$%^&*;:{}=-_'\"`~()".contains(*c)).collect();
    let n = b.len();
    let (up, low, dig) =
        (|c: char| c.is_ascii_uppercase(), |c: char| c.is_ascii_lowercase(), |c: char| c.is_ascii_digit());
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let run = |mut j: usize, f: &dyn Fn(char) -> bool| {
        while j < n && f(b[j]) {
            j += 1;
        }
        j
    };
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < n {
        let c = b[i];
        if up(c) {
            let j = run(i, &up);
            let lookahead = |end: usize| (end + 1 < n && up(b[end]) && low(b[end + 1])) || end == n || !word(b[end]);
            if let Some(end) = (i + 2..=j).rev().find(|&e| lookahead(e)) {
                words.push(b[i..end].iter().collect());
                i = end;
                continue;
            }
        }
        let k = if up(c) { i + 1 } else { i };
        let j = run(k, &low);
        if j > k {
            let j = run(j, &dig);
            words.push(b[i..j].iter().collect());
            i = j;
        } else if up(c) {
            words.push(c.to_string());
            i += 1;
        } else if dig(c) {
            let j = run(i, &dig);
            words.push(b[i..j].iter().collect());
            i = j;
        } else {
            i += 1;
        }
    }
    words.join("-").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_formats_the_cli_writes() {
        let iso = parse_expiry("2030-01-01T12:00:00.000Z").unwrap();
        assert_eq!(iso_millis(iso), "2030-01-01T12:00:00.000Z");
        let moment = parse_expiry("Tue Jan 07 2025 10:00:00 GMT+0000").unwrap();
        assert_eq!(iso_millis(moment), "2025-01-07T10:00:00.000Z");
        assert!(parse_expiry("Tue Jan 07 2025 10:00:00 GMT+0100 (Central European Standard Time)").is_some());
        assert!(parse_expiry("garbage").is_none());
        assert!(parse_expiry("").is_none());
    }

    #[test]
    fn fresh_means_more_than_five_minutes_left() {
        let now = Utc::now();
        assert!(is_fresh(now + Span::minutes(6), now));
        assert!(!is_fresh(now + Span::minutes(4), now));
        assert!(!is_fresh(now - Span::minutes(1), now));
    }

    #[test]
    fn token_lifetimes_are_clamped_whatever_the_server_says() {
        let now = Utc::now();
        let cap = now + Span::seconds(MAX_TOKEN_LIFETIME.as_secs() as i64);
        for absurd in [1e15, i64::MAX as f64, f64::INFINITY, 1.7e308] {
            assert_eq!(expiry_in(now, absurd), cap, "{absurd}");
        }
        assert_eq!(expiry_in(now, -5.0), now);
        assert_eq!(expiry_in(now, f64::NAN), now);
        assert_eq!(expiry_in(now, 1800.0), now + Span::seconds(1800));
        assert_eq!(capped_expiry(i64::MAX, now), cap);
        assert_eq!(capped_expiry(8_000_000_000_000_000, now), cap);
        assert_eq!(capped_expiry(i64::MIN, now), now);
        let soon = DateTime::from_timestamp_millis(now.timestamp_millis() + 60_000).unwrap();
        assert_eq!(capped_expiry(soon.timestamp_millis(), now), soon);
        let body: OAuthBody =
            serde_json::from_str(r#"{"access_token": "t", "expires_in": 9223372036854775807}"#).unwrap();
        assert_eq!(body.expires_at(now), cap);
    }

    #[test]
    fn cache_skips_the_rejected_token() {
        let cache = TokenCache::default();
        let key = CacheKey { account_id: 1, env: HubEnv::Prod, credential: 7 };
        let now = Utc::now();
        cache.put(key.clone(), Secret::new("t1"), now + Span::hours(1));
        assert_eq!(cache.get(&key, None, now), Some(Secret::new("t1")));
        assert_eq!(cache.get(&key, Some(&Secret::new("t1")), now), None);
        assert_eq!(cache.get(&key, Some(&Secret::new("t0")), now), Some(Secret::new("t1")));
    }

    #[test]
    fn kebab_case_like_the_cli() {
        assert_eq!(kebab_case("My Company, Inc."), "my-company-inc");
        assert_eq!(kebab_case("My Test Hub, Inc."), "my-test-hub-inc");
        assert_eq!(kebab_case("devSandbox 2"), "dev-sandbox-2");
        assert_eq!(kebab_case("HTMLParser abc123"), "html-parser-abc123");
        assert_eq!(kebab_case("ACME"), "acme");
    }
}
