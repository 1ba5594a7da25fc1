//! The typed model of the CLI config, as the CLI holds it in memory after reading: the
//! legacy shape converted to the new one (docs/hubspot-cli.md, *Read-time normalisation*),
//! nothing validated (the CLI validates nothing on read, so neither does the model;
//! diagnostics do that on the tree).
//!
//! Every account remembers the JSON pointer of its entry in the source file, so edits
//! (token write-back, removal, renames) can go straight to the right bytes.

use serde_json::{Map, Value};

use super::secret::Secret;

/// `authType`, exactly as the CLI compares it (case-sensitive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthType {
    PersonalAccessKey,
    OAuth2,
    ApiKey,
    /// Anything else, kept so messages can name it (`PersonalAccessKey`, `oauth`).
    Other(String),
}

impl AuthType {
    pub fn parse(s: &str) -> AuthType {
        match s {
            "personalaccesskey" => AuthType::PersonalAccessKey,
            "oauth2" => AuthType::OAuth2,
            "apikey" => AuthType::ApiKey,
            other => AuthType::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            AuthType::PersonalAccessKey => "personalaccesskey",
            AuthType::OAuth2 => "oauth2",
            AuthType::ApiKey => "apikey",
            AuthType::Other(s) => s,
        }
    }
}

/// The account's environment: only a case-insensitive `qa` means QA (`getValidEnv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum HubEnv {
    #[default]
    Prod,
    Qa,
}

impl HubEnv {
    pub fn parse(s: Option<&str>) -> HubEnv {
        match s {
            Some(v) if v.eq_ignore_ascii_case("qa") => HubEnv::Qa,
            _ => HubEnv::Prod,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HubEnv::Prod => "prod",
            HubEnv::Qa => "qa",
        }
    }
}

/// `auth.tokenInfo`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenInfo {
    pub access_token: Option<Secret>,
    /// As written: ISO-8601 for PAK accounts, `moment().toString()` for OAuth2.
    pub expires_at: Option<String>,
    pub refresh_token: Option<Secret>,
}

/// `auth` (OAuth2 client data and the token cache of every auth type).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Auth {
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub scopes: Vec<String>,
    /// `None` when `auth.tokenInfo` is absent or not a mapping: the CLI's PAK code then
    /// throws a TypeError, so callers must tell this apart from an empty one.
    pub token_info: Option<TokenInfo>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    /// The entry in the source file: `/accounts/3`, or `/portals/3` in the legacy shape.
    pub pointer: String,
    /// Only a string: the CLI finds accounts by name with `===` against text.
    pub name: Option<String>,
    /// `name` as written (a number, a date), which `hs account list` shows as it is.
    pub raw_name: Option<Value>,
    /// Only a YAML integer: the CLI never finds a quoted `'123'` by id, so it is `None`
    /// here and `raw_account_id` keeps what was written.
    pub account_id: Option<i64>,
    pub raw_account_id: Option<Value>,
    pub auth_type: Option<AuthType>,
    pub env: HubEnv,
    pub account_type: Option<String>,
    pub parent_account_id: Option<i64>,
    pub default_cms_publish_mode: Option<String>,
    pub personal_access_key: Option<Secret>,
    pub api_key: Option<Secret>,
    /// `None` when the entry has no `auth` mapping.
    pub auth: Option<Auth>,
}

impl Account {
    /// `name (id)`, or whichever of the two exists: how messages name an account.
    pub fn label(&self) -> String {
        match (&self.name, self.account_id) {
            (Some(n), Some(id)) => format!("{n} ({id})"),
            (Some(n), None) => n.clone(),
            (None, Some(id)) => id.to_string(),
            (None, None) => "an unnamed account".into(),
        }
    }

    /// The id requests are made with: the integer, or a quoted id that is all digits, which
    /// the CLI sends as it is (`portalId=111`) once the account was reached by name.
    pub fn usable_id(&self) -> Option<i64> {
        self.account_id.or_else(|| match &self.raw_account_id {
            Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            _ => None,
        })
    }

    pub fn token_info(&self) -> Option<&TokenInfo> {
        self.auth.as_ref().and_then(|a| a.token_info.as_ref())
    }

    /// A PAK account that exists only in memory, holding a fresh token: for the calls made
    /// right after a key exchange, before the account is written anywhere.
    pub fn with_token(id: i64, env: HubEnv, token: Secret, expires_at: String) -> Account {
        Account {
            pointer: String::new(),
            name: None,
            raw_name: None,
            account_id: Some(id),
            raw_account_id: Some(Value::from(id)),
            auth_type: Some(AuthType::PersonalAccessKey),
            env,
            account_type: None,
            parent_account_id: None,
            default_cms_publish_mode: None,
            personal_access_key: None,
            api_key: None,
            auth: Some(Auth {
                token_info: Some(TokenInfo {
                    access_token: Some(token),
                    expires_at: Some(expires_at),
                    refresh_token: None,
                }),
                ..Auth::default()
            }),
        }
    }
}

/// Which shape the file was written in. The CLI reads both in any config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `accounts` / `accountId` / `defaultAccount`.
    Current,
    /// `portals` / `portalId` / `defaultPortal`.
    Legacy,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub shape: Shape,
    pub accounts: Vec<Account>,
    /// `defaultAccount` after normalisation: an id, or (as read) a name; resolve it with
    /// [`Config::find`]. A `defaultPortal` that names no account is dropped, as the CLI does.
    pub default_account: Option<Value>,
    pub default_cms_publish_mode: Option<String>,
    /// Milliseconds; `None` when absent, zero or not a number (the CLI then uses 15000).
    pub http_timeout: Option<u64>,
    pub http_use_localhost: bool,
    pub allow_usage_tracking: Option<bool>,
    pub env: Option<String>,
}

/// The CLI's default HTTP timeout, used when `httpTimeout` is absent or 0.
pub const DEFAULT_HTTP_TIMEOUT_MS: u64 = 15_000;

impl Config {
    /// An empty config (`accounts: []`), as `createEmptyConfigFile` writes it.
    pub fn empty() -> Config {
        Config {
            shape: Shape::Current,
            accounts: Vec::new(),
            default_account: None,
            default_cms_publish_mode: None,
            http_timeout: None,
            http_use_localhost: false,
            allow_usage_tracking: None,
            env: None,
        }
    }

    /// `normalizeParsedConfig` over a parsed file. Never fails: a value that is not
    /// a mapping is an empty config, entries that are not mappings are skipped.
    pub fn from_value(root: &Value) -> Config {
        let Some(map) = root.as_object() else { return Config::empty() };
        // Only a truthy `portals` replaces `accounts` (`if (parsedConfig.portals)`).
        let legacy = map.get("portals").is_some_and(truthy);
        let (shape, list_key) = if legacy { (Shape::Legacy, "portals") } else { (Shape::Current, "accounts") };
        let accounts: Vec<Account> = match map.get(list_key) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some(account(&format!("/{list_key}/{i}"), v.as_object()?, shape)))
                .collect(),
            _ => Vec::new(),
        };
        let mut cfg = Config {
            shape,
            accounts,
            default_account: map.get("defaultAccount").filter(|v| truthy(v)).cloned(),
            default_cms_publish_mode: str_of(map, "defaultCmsPublishMode"),
            http_timeout: map.get("httpTimeout").and_then(Value::as_f64).filter(|t| *t > 0.0).map(|t| t as u64),
            http_use_localhost: map.get("httpUseLocalhost").and_then(Value::as_bool).unwrap_or(false),
            allow_usage_tracking: map.get("allowUsageTracking").and_then(Value::as_bool),
            env: str_of(map, "env"),
        };
        // defaultPortal (a name, or an id) becomes the id of the account it finds, or vanishes.
        if let Some(portal) = map.get("defaultPortal").filter(|v| truthy(v)) {
            if let Some(id) = cfg.find(portal).and_then(|a| a.account_id) {
                cfg.default_account = Some(Value::from(id));
            }
        }
        // Top-level defaultMode overwrites defaultCmsPublishMode.
        if let Some(mode) = map.get("defaultMode").filter(|v| truthy(v)).and_then(Value::as_str) {
            cfg.default_cms_publish_mode = Some(mode.to_string());
        }
        cfg
    }

    /// The CLI's "inferred identifier" lookup (see [`find_by_identifier`]).
    pub fn find(&self, ident: &Value) -> Option<&Account> {
        find_by_identifier(&self.accounts, ident, |a| a.account_id, |a| a.name.as_deref())
    }

    /// `find` for text typed by a user (a command's `account` argument).
    pub fn find_str(&self, ident: &str) -> Option<&Account> {
        self.find(&Value::String(ident.to_string()))
    }

    pub fn by_id(&self, id: i64) -> Option<&Account> {
        self.accounts.iter().find(|a| a.account_id == Some(id))
    }

    /// The account `defaultAccount` resolves to.
    pub fn default(&self) -> Option<&Account> {
        self.default_account.as_ref().and_then(|d| self.find(d))
    }

    pub fn timeout_ms(&self) -> u64 {
        self.http_timeout.unwrap_or(DEFAULT_HTTP_TIMEOUT_MS)
    }
}

/// `getConfigAccountByInferredIdentifier` (docs/hubspot-cli.md, *Account lookup*), over any
/// list of accounts (the model's, or entries of a syntax tree): a number, or a string
/// `parseInt` reads as one, matches a
/// numeric `accountId` (`===`, so a quoted `'123'` never does); otherwise, and as a
/// fallback, the exact name, compared with `String(identifier)` so digit names work.
/// First match in file order wins. Identifiers other than numbers and strings match nothing.
pub fn find_by_identifier<'a, T>(
    items: &'a [T],
    ident: &Value,
    id: impl Fn(&T) -> Option<i64>,
    name: impl Fn(&T) -> Option<&str>,
) -> Option<&'a T> {
    let (as_id, text) = match ident {
        Value::Number(n) => {
            match n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64)) {
                // `String(123.0)` is "123".
                Some(i) => (Some(i), i.to_string()),
                None => (None, n.to_string()),
            }
        }
        Value::String(s) => (parse_int_js(s), s.clone()),
        // `parseInt(x)` and `String(x)` of anything else: `[111]` is 111, `true` is "true".
        Value::Bool(_) | Value::Array(_) => {
            let text = js_string(ident);
            (parse_int_js(&text), text)
        }
        _ => return None,
    };
    if let Some(wanted) = as_id {
        if let Some(found) = items.iter().find(|a| id(a) == Some(wanted)) {
            return Some(found);
        }
    }
    items.iter().find(|a| name(a) == Some(text.as_str()))
}

/// JavaScript's `parseInt(s)` without a radix, as the CLI calls it: leading whitespace (the
/// JavaScript set, BOM included), a sign, then decimal digits up to the first non-digit
/// (`"123abc"` is 123), or hexadecimal after `0x` (`"0x1A"` is 26). `None` is NaN.
pub fn parse_int_js(s: &str) -> Option<i64> {
    let t = s.trim_start_matches(is_js_whitespace);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, rest) = match rest.get(..2) {
        Some("0x" | "0X") => (16, &rest[2..]),
        _ => (10, rest),
    };
    let digits = &rest[..rest.bytes().take_while(|b| (*b as char).is_digit(radix)).count()];
    let n = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -n } else { n })
}

/// `StrWhiteSpaceChar`: Unicode spaces and line terminators plus the BOM, but not U+0085,
/// which Rust counts as whitespace and JavaScript does not.
pub fn is_js_whitespace(c: char) -> bool {
    c == '\u{feff}' || (c.is_whitespace() && c != '\u{85}')
}

/// `String(v)` for a parsed value: lists joined with commas, null and undefined as nothing.
/// A mapping (or a date) has no text that could name an account.
fn js_string(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(js_string).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".into(),
        other => other.to_string(),
    }
}

/// JavaScript truthiness of a parsed value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn str_of(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(String::from)
}

fn secret_of(map: &Map<String, Value>, key: &str) -> Option<Secret> {
    map.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(Secret::new)
}

/// An integer JavaScript holds exactly (below 2^53); a larger number is no id, never clamped.
fn int_of(v: Option<&Value>) -> Option<i64> {
    v.and_then(|v| v.as_i64().or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64)))
}

fn account(pointer: &str, m: &Map<String, Value>, shape: Shape) -> Account {
    // Legacy entries: a truthy portalId becomes accountId.
    let raw_id = match shape {
        Shape::Legacy => m.get("portalId").filter(|v| truthy(v)).or_else(|| m.get("accountId")),
        Shape::Current => m.get("accountId"),
    };
    let mut account_type = str_of(m, "accountType");
    if shape == Shape::Legacy && account_type.is_none() {
        let sandbox = m.get("sandboxAccountType").and_then(Value::as_str).map(str::to_uppercase);
        account_type = Some(
            match sandbox.as_deref() {
                Some("DEVELOPER") => "DEVELOPMENT_SANDBOX",
                Some("STANDARD") => "STANDARD_SANDBOX",
                _ => "STANDARD",
            }
            .to_string(),
        );
    }
    Account {
        pointer: pointer.to_string(),
        name: str_of(m, "name"),
        raw_name: m.get("name").cloned(),
        account_id: raw_id.filter(|v| v.is_number()).and_then(|v| int_of(Some(v))),
        raw_account_id: raw_id.cloned(),
        auth_type: m.get("authType").and_then(Value::as_str).map(AuthType::parse),
        env: HubEnv::parse(m.get("env").and_then(Value::as_str)),
        account_type,
        parent_account_id: int_of(m.get("parentAccountId")),
        default_cms_publish_mode: str_of(m, "defaultCmsPublishMode"),
        personal_access_key: secret_of(m, "personalAccessKey"),
        api_key: secret_of(m, "apiKey"),
        auth: m.get("auth").and_then(Value::as_object).map(auth),
    }
}

fn auth(m: &Map<String, Value>) -> Auth {
    Auth {
        client_id: str_of(m, "clientId"),
        client_secret: secret_of(m, "clientSecret"),
        scopes: m
            .get("scopes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
            .unwrap_or_default(),
        token_info: m.get("tokenInfo").and_then(Value::as_object).map(|t| TokenInfo {
            access_token: secret_of(t, "accessToken"),
            expires_at: str_of(t, "expiresAt"),
            refresh_token: secret_of(t, "refreshToken"),
        }),
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
