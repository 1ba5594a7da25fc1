//! Sandboxes: `sandbox-hubs/v1` (usage, delete) and `v2` (create, personal access key), each
//! called as the parent (production) account, as `hs sandbox create|delete` do.

use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::client::{ApiRequest, Caller, HubSpotClient};
use super::error::ApiError;
use crate::hubspot::secret::Secret;

/// The CLI's timeout for creating and deleting sandboxes, which HubSpot takes a while over.
const SANDBOX_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SandboxType {
    Standard,
    Development,
}

impl SandboxType {
    /// The API's word: `STANDARD` / `DEVELOPER`.
    pub fn api_name(self) -> &'static str {
        match self {
            SandboxType::Standard => "STANDARD",
            SandboxType::Development => "DEVELOPER",
        }
    }

    /// The config's `accountType`.
    pub fn account_type(self) -> &'static str {
        match self {
            SandboxType::Standard => "STANDARD_SANDBOX",
            SandboxType::Development => "DEVELOPMENT_SANDBOX",
        }
    }

    /// As messages and the CLI's prompts say it.
    pub fn label(self) -> &'static str {
        match self {
            SandboxType::Standard => "standard",
            SandboxType::Development => "development",
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slots {
    pub used: u64,
    pub available: u64,
    pub limit: u64,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub standard: Slots,
    pub development: Slots,
}

impl Usage {
    pub fn of(&self, kind: SandboxType) -> Slots {
        match kind {
            SandboxType::Standard => self.standard,
            SandboxType::Development => self.development,
        }
    }
}

/// What `POST sandbox-hubs/v2/sandboxes` answers that we use.
#[derive(Debug, Clone)]
pub struct Created {
    pub sandbox_hub_id: i64,
    /// `PENDING` while HubSpot builds it, `READY`, `FAILED`; as HubSpot reported it.
    pub status: Option<String>,
}

fn bad(caller: &Caller, what: &str, detail: &str) -> ApiError {
    ApiError::BadResponse { ctx: caller.ctx(what), detail: detail.into() }
}

fn with_timeout(caller: &Caller) -> Caller {
    Caller { timeout: caller.timeout.max(SANDBOX_TIMEOUT), ..caller.clone() }
}

/// `GET sandbox-hubs/v1/parent/{id}/usage`.
pub async fn usage(client: &HubSpotClient, parent: &Caller, parent_id: i64) -> Result<Usage, ApiError> {
    const WHAT: &str = "read sandbox usage limits";
    let req = ApiRequest::new(Method::GET, format!("sandbox-hubs/v1/parent/{parent_id}/usage"), WHAT);
    let body = client.call_json(parent, &req).await?;
    let slots = |key: &str| serde_json::from_value::<Slots>(body["usage"][key].clone()).ok();
    match (slots("STANDARD"), slots("DEVELOPER")) {
        (Some(standard), Some(development)) => Ok(Usage { standard, development }),
        _ => Err(bad(parent, WHAT, "no `usage.STANDARD` and `usage.DEVELOPER` with used, available and limit")),
    }
}

/// `POST sandbox-hubs/v2/sandboxes`: HubSpot gets the name as typed.
pub async fn create(
    client: &HubSpotClient,
    parent: &Caller,
    name: &str,
    kind: SandboxType,
    sync_object_records: bool,
) -> Result<Created, ApiError> {
    let what = format!("create {} sandbox \"{name}\"", kind.label());
    let req = ApiRequest::new(Method::POST, "sandbox-hubs/v2/sandboxes", what.clone())
        .json(json!({"name": name, "type": kind.api_name(), "syncObjectRecords": sync_object_records}));
    let body = client.call_json(&with_timeout(parent), &req).await?;
    let id = body.get("sandboxHubId").and_then(Value::as_i64).filter(|id| *id > 0);
    let id = id.ok_or_else(|| bad(parent, &what, "no numeric `sandboxHubId`"))?;
    Ok(Created { sandbox_hub_id: id, status: body.get("status").and_then(Value::as_str).map(String::from) })
}

/// `POST sandbox-hubs/v2/sandboxes/{id}/personal-access-key`: the sandbox's new key.
pub async fn personal_access_key(client: &HubSpotClient, parent: &Caller, sandbox_id: i64) -> Result<Secret, ApiError> {
    const WHAT: &str = "issue the sandbox's personal access key";
    let mut req =
        ApiRequest::new(Method::POST, format!("sandbox-hubs/v2/sandboxes/{sandbox_id}/personal-access-key"), WHAT);
    // The CLI sends no body but says it is JSON; so do we.
    req.body = super::Body::EmptyJson;
    let body = client.call_json(&with_timeout(parent), &req).await?;
    body.pointer("/personalAccessKey/encodedOAuthRefreshToken")
        .and_then(Value::as_str)
        .filter(|k| !k.trim().is_empty())
        .map(Secret::new)
        .ok_or_else(|| bad(parent, WHAT, "no `personalAccessKey.encodedOAuthRefreshToken`"))
}

/// `DELETE sandbox-hubs/v1/{id}`. `Ok(false)`: HubSpot no longer has it (404
/// `SANDBOX_NOT_FOUND`), which the CLI treats as deleted.
pub async fn delete(client: &HubSpotClient, parent: &Caller, sandbox_id: i64) -> Result<bool, ApiError> {
    let req = ApiRequest::new(Method::DELETE, format!("sandbox-hubs/v1/{sandbox_id}"), "delete the sandbox");
    match client.call(&with_timeout(parent), &req).await {
        Ok(_) => Ok(true),
        Err(e) if e.status() == Some(404) && e.category() == Some("OBJECT_NOT_FOUND") => Ok(false),
        Err(e) => Err(e),
    }
}

/// The scopes a 403 `MISSING_SCOPES` names (`errors[].context.requiredScopes`), if any.
pub fn missing_scopes(e: &ApiError) -> Option<Vec<String>> {
    if e.status() != Some(403) || e.category() != Some("MISSING_SCOPES") {
        return None;
    }
    let mut scopes: Vec<String> = Vec::new();
    for err in e.body().and_then(|b| b.get("errors")).and_then(Value::as_array).into_iter().flatten() {
        for key in ["requiredScopes", "requiredGranularScopes"] {
            let listed = err.pointer(&format!("/context/{key}")).and_then(Value::as_array);
            scopes.extend(listed.into_iter().flatten().filter_map(Value::as_str).map(String::from));
        }
    }
    scopes.dedup();
    Some(scopes)
}
