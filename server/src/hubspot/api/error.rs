//! API failures turned into sentences a user can act on (in the CLI's manner:
//! which request, which account, what HubSpot said, and, unlike the CLI, what to do).
//! Nothing here ever holds a credential: request descriptions are built by us, URLs are
//! stripped from transport errors (an `apikey` account's URL carries `hapikey=`), and what came
//! from HubSpot (a body that may echo the key or a secret's value) is scrubbed by the client
//! before an error leaves it ([`ApiError::scrub`]).

use std::fmt;

use serde_json::Value;

use crate::hubspot::secret::{scrub_json, scrub_str, Secret};

/// What a request was for and on whose behalf, for messages: `list secrets`, `prod (123)`.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// A short verb phrase: `list secrets`, `upload "docs/a.txt"`, `GET crm/v3/objects`.
    pub what: String,
    /// The account label, `name (id)`.
    pub account: String,
    pub account_id: Option<i64>,
}

#[derive(Debug)]
pub enum ApiError {
    /// HubSpot answered with an error status.
    Status { ctx: RequestContext, status: u16, body: Value, hint: Option<String> },
    /// No usable answer: refused connection, timeout, broken transfer.
    Transport { ctx: RequestContext, detail: String, timed_out: bool },
    /// A success status with a body that is not what the endpoint returns.
    BadResponse { ctx: RequestContext, detail: String },
    /// A redirect hubspot-ls did not follow (to another origin): `to` is that origin.
    Redirected { ctx: RequestContext, status: u16, to: Option<String> },
    /// The account cannot make authenticated calls as configured.
    Auth { account: String, message: String },
    /// A local problem around the request (a file to upload cannot be read, ...).
    Local { message: String },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The error with every text that came from the server cleared of `secrets` (the
    /// account's key and tokens, a secret's value), each replaced by its redacted form.
    pub fn scrub(self, secrets: &[Secret]) -> ApiError {
        let refs: Vec<&Secret> = secrets.iter().collect();
        let text = |s: String| scrub_str(&s, &refs);
        match self {
            ApiError::Status { ctx, status, mut body, hint } => {
                scrub_json(&mut body, secrets);
                ApiError::Status { ctx, status, body, hint: hint.map(text) }
            }
            ApiError::Transport { ctx, detail, timed_out } => {
                ApiError::Transport { ctx, detail: text(detail), timed_out }
            }
            ApiError::BadResponse { ctx, detail } => ApiError::BadResponse { ctx, detail: text(detail) },
            ApiError::Auth { account, message } => ApiError::Auth { account, message: text(message) },
            ApiError::Local { message } => ApiError::Local { message: text(message) },
            e @ ApiError::Redirected { .. } => e,
        }
    }

    pub fn body(&self) -> Option<&Value> {
        match self {
            ApiError::Status { body, .. } => Some(body),
            _ => None,
        }
    }

    /// `category` / `subCategory` of a HubSpot error body.
    pub fn sub_category(&self) -> Option<&str> {
        self.body().and_then(|b| b.get("subCategory")).and_then(Value::as_str)
    }

    pub fn category(&self) -> Option<&str> {
        self.body().and_then(|b| b.get("category")).and_then(Value::as_str)
    }

    /// The token exchange says the account is gone for good: the two answers `hs account
    /// clean` removes an account on.
    pub fn is_inactive_account(&self) -> bool {
        let sub = self.sub_category();
        match self.status() {
            Some(401) => {
                self.category() == Some("INVALID_AUTHENTICATION")
                    && sub == Some("LocalDevAuthErrorType.PORTAL_NOT_ACTIVE")
            }
            Some(404) => {
                self.category() == Some("INVALID_AUTHENTICATION")
                    && sub == Some("LocalDevAuthErrorType.INVALID_PORTAL_ID")
            }
            _ => false,
        }
    }

    /// HubSpot's own words: `message`, plus the messages of `errors[]`.
    fn hubspot_says(body: &Value) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(m) = body.get("message").and_then(Value::as_str).filter(|m| !m.trim().is_empty()) {
            parts.push(m.trim().to_string());
        }
        if let Some(errs) = body.get("errors").and_then(Value::as_array) {
            parts.extend(errs.iter().filter_map(|e| e.get("message").and_then(Value::as_str)).map(String::from));
        }
        let says = if parts.is_empty() {
            body.as_str().map(|s| s.trim()).filter(|s| !s.is_empty() && s.len() < 300).map(String::from)
        } else {
            Some(parts.join(" "))
        };
        // A message is shown in a notification and logged: HubSpot's words are cut short there
        // (the whole body stays in the error's data).
        says.map(|s| match s.char_indices().nth(MAX_QUOTED_CHARS) {
            Some((at, _)) => format!("{}…", &s[..at]),
            None => s,
        })
    }

    fn what_to_do(&self) -> Option<String> {
        let ApiError::Status { ctx, status, hint, .. } = self else { return None };
        if let Some(h) = hint {
            return Some(h.clone());
        }
        if self.is_inactive_account() {
            return Some("The account is no longer active: remove it (hubspot.account.remove, or hubspot.account.clean for every inactive account).".into());
        }
        let pak_page =
            crate::hubspot::api::origin::Origins::pak_page(crate::hubspot::model::HubEnv::Prod, ctx.account_id);
        Some(match status {
            401 => format!("Authenticate the account again with a current personal access key (hubspot.account.auth); keys are at {pak_page}."),
            403 => format!("The key lacks the scope this needs: add it to the personal access key at {pak_page}, then authenticate again."),
            404 => "Check the name or path; it does not exist in this account.".into(),
            429 => "HubSpot's rate limit held after retrying; wait a minute and try again.".into(),
            s if *s >= 500 => "HubSpot had a problem on its side; try again in a moment.".into(),
            _ => return None,
        })
    }
}

/// The most of HubSpot's own words an error message quotes.
const MAX_QUOTED_CHARS: usize = 500;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Status { ctx, status, body, .. } => {
                let verdict = match status {
                    400 => "was bad".to_string(),
                    401 => "was unauthorized".to_string(),
                    403 => "was forbidden".to_string(),
                    404 => "was not found".to_string(),
                    429 => "surpassed the rate limit".to_string(),
                    s if *s >= 500 => format!("failed due to a server error ({s})"),
                    s => format!("failed with status {s}"),
                };
                write!(f, "The request to {} in account {} {verdict}.", ctx.what, ctx.account)?;
                if let Some(says) = ApiError::hubspot_says(body) {
                    write!(f, " HubSpot said: {says}")?;
                    if !says.ends_with('.') {
                        f.write_str(".")?;
                    }
                }
                if let Some(todo) = self.what_to_do() {
                    write!(f, " {todo}")?;
                }
                Ok(())
            }
            ApiError::Transport { ctx, detail, timed_out } => {
                if *timed_out {
                    write!(f, "The request to {} in account {} timed out ({detail}). Check the connection, or raise httpTimeout in the config.", ctx.what, ctx.account)
                } else {
                    write!(
                        f,
                        "The request to {} in account {} could not reach HubSpot: {detail}.",
                        ctx.what, ctx.account
                    )
                }
            }
            ApiError::BadResponse { ctx, detail } => {
                write!(f, "The request to {} in account {} got an answer hubspot-ls cannot read ({detail}). Try again; if it persists, HubSpot may have changed this API.", ctx.what, ctx.account)
            }
            ApiError::Redirected { ctx, status, to } => write!(
                f,
                "The request to {} in account {} was redirected ({status}) to {}, another origin; hubspot-ls does not follow such redirects, which would carry the account's credentials or the request's data there. If HUBSPOT_LS_API_URL or apiUrl is set, check it; otherwise try again later.",
                ctx.what,
                ctx.account,
                to.as_deref().unwrap_or("an address it did not give")
            ),
            ApiError::Auth { account, message } => write!(f, "Account {account} cannot authenticate: {message}"),
            ApiError::Local { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> RequestContext {
        RequestContext { what: "list secrets".into(), account: "prod (123)".into(), account_id: Some(123) }
    }

    #[test]
    fn status_messages_say_request_account_hubspot_and_remedy() {
        let e = ApiError::Status {
            ctx: ctx(),
            status: 401,
            body: json!({"message": "Authentication credentials not found", "category": "INVALID_AUTHENTICATION"}),
            hint: None,
        };
        let m = e.to_string();
        assert!(m.starts_with("The request to list secrets in account prod (123) was unauthorized. HubSpot said: Authentication credentials not found."), "{m}");
        assert!(m.contains("hubspot.account.auth") && m.contains("personal-access-key/123"), "{m}");
        let e = ApiError::Status { ctx: ctx(), status: 503, body: json!("upstream"), hint: None };
        assert!(e.to_string().contains("server error (503). HubSpot said: upstream."));
    }

    #[test]
    fn a_long_message_from_hubspot_is_cut_short() {
        let long = "é".repeat(5_000_000);
        let e = ApiError::Status { ctx: ctx(), status: 500, body: json!({"message": long}), hint: None };
        let m = e.to_string();
        assert!(m.len() < 2_000 && m.contains(&format!("{}….", "é".repeat(MAX_QUOTED_CHARS))), "{}", m.len());
    }

    #[test]
    fn a_body_echoing_a_credential_is_scrubbed_everywhere() {
        let key = Secret::new("pat-na1-11111111-2222-3333-4444-55555555a1b2");
        let e = ApiError::Status {
            ctx: ctx(),
            status: 400,
            body: json!({"message": format!("bad key {}", key.expose()), "echo": {"key": key.expose()}}),
            hint: None,
        }
        .scrub(std::slice::from_ref(&key));
        let (m, body) = (e.to_string(), e.body().unwrap().to_string());
        assert!(!m.contains(key.expose()) && !body.contains(key.expose()), "{m} {body}");
        assert!(m.contains("bad key pat-na1-…a1b2"), "{m}");
        let e = ApiError::BadResponse { ctx: ctx(), detail: format!("invalid type: string \"{}\"", key.expose()) };
        assert!(!e.scrub(std::slice::from_ref(&key)).to_string().contains(key.expose()));
    }

    #[test]
    fn inactive_accounts_are_recognised() {
        let inactive = |status, sub: &str| ApiError::Status {
            ctx: ctx(),
            status,
            body: json!({"category": "INVALID_AUTHENTICATION", "subCategory": sub}),
            hint: None,
        };
        assert!(inactive(401, "LocalDevAuthErrorType.PORTAL_NOT_ACTIVE").is_inactive_account());
        assert!(inactive(404, "LocalDevAuthErrorType.INVALID_PORTAL_ID").is_inactive_account());
        assert!(!inactive(401, "LocalDevAuthErrorType.FAILED_TO_SIGN_REFRESH_TOKEN_DECODE").is_inactive_account());
        assert!(inactive(401, "LocalDevAuthErrorType.PORTAL_NOT_ACTIVE").to_string().contains("hubspot.account.clean"));
    }
}
