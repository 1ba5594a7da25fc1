//! Sandboxes, `sandbox-hubs/v1` and `v2`, as `hs sandbox create|delete` use them. A created
//! sandbox becomes an account of the fake, so its new personal access key exchanges like any
//! other; usage counts the sandbox accounts under a parent, against per-parent limits.

use axum::response::Response;
use serde_json::{json, Value};

use crate::model::{AccountSpec, Recorded};
use crate::respond::{self, bad_request, error, method_not_allowed};
use crate::state::{now_ms, Inner, Shared};

pub const V1: &str = "/sandbox-hubs/v1";
pub const V2_SANDBOXES: &str = "/sandbox-hubs/v2/sandboxes";
/// The scope group a parent's key needs for every sandbox call.
pub const SCOPE: &str = "sandboxes.write";
/// Sandboxes a parent may have when a test sets no limit: (standard, development).
pub const DEFAULT_LIMITS: (u64, u64) = (1, 2);
/// Where the ids of created sandboxes start, far from the ids tests pick.
const FIRST_SANDBOX_ID: u64 = 70_000_000;

/// `STANDARD` / `DEVELOPER` (the API's words) for an account type, if it is a sandbox.
fn api_type(account_type: &str) -> Option<&'static str> {
    match account_type {
        "STANDARD_SANDBOX" => Some("STANDARD"),
        "DEVELOPMENT_SANDBOX" => Some("DEVELOPER"),
        _ => None,
    }
}

/// Every sandbox of the fake as the admin API and `GET .../self` describe it.
pub fn list(st: &Inner) -> Vec<Value> {
    st.accounts
        .iter()
        .filter_map(|a| {
            let kind = api_type(&a.spec.account_type)?;
            let parent = a.spec.parent_hub_id?;
            Some(json!({
                "sandboxHubId": a.spec.hub_id,
                "parentHubId": parent,
                "name": a.spec.hub_name,
                "type": kind,
                "status": st.sandbox_status.get(&a.spec.hub_id).map_or("READY", String::as_str),
            }))
        })
        .collect()
}

pub fn handle(shared: &Shared, hub_id: u64, req: &Recorded) -> Option<Response> {
    let path = req.path.trim_end_matches('/');
    let method = req.method.as_str();
    if path == V2_SANDBOXES {
        return Some(if method == "POST" { create(shared, hub_id, req) } else { method_not_allowed(method, path) });
    }
    if let Some(rest) = path.strip_prefix(V2_SANDBOXES).and_then(|r| r.strip_prefix('/')) {
        let id = rest.strip_suffix("/personal-access-key")?.parse().ok()?;
        return Some(if method == "POST" { issue_key(shared, hub_id, id) } else { method_not_allowed(method, path) });
    }
    let rest = path.strip_prefix(V1)?.strip_prefix('/')?;
    if let Some(parent) = rest.strip_prefix("parent/").and_then(|r| r.strip_suffix("/usage")) {
        let parent = parent.parse().ok()?;
        return Some(if method == "GET" { usage(shared, hub_id, parent) } else { method_not_allowed(method, path) });
    }
    let id = rest.parse().ok()?;
    Some(if method == "DELETE" { delete(shared, hub_id, id) } else { method_not_allowed(method, path) })
}

/// 403 `MISSING_SCOPES` naming the scope, in the shape HubSpot answers it.
fn missing_scope() -> Response {
    let mut body = respond::error_body(
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    );
    body["errors"] = json!([{
        "message": "One or more of the following scopes are required.",
        "context": {"requiredScopes": [SCOPE]},
    }]);
    respond::json(403, &body)
}

/// The caller must be the production account `parent` itself, with the sandbox scope.
fn check_parent(st: &Inner, caller: u64, parent: u64) -> Result<(), Response> {
    let Some(a) = st.account(caller) else { return Err(respond::not_found("Hub not found")) };
    if caller != parent {
        return Err(error(403, "BANNED", "You do not have access to this parent account"));
    }
    if !a.spec.scope_groups.iter().any(|s| s == SCOPE) {
        return Err(missing_scope());
    }
    if a.spec.account_type != "STANDARD" {
        return Err(bad_request("Only a standard (production) account can have sandboxes"));
    }
    Ok(())
}

fn counts(st: &Inner, parent: u64) -> Value {
    let (std_limit, dev_limit) = st.sandbox_limits.get(&parent).copied().unwrap_or(DEFAULT_LIMITS);
    let used = |kind: &str| {
        st.accounts
            .iter()
            .filter(|a| a.spec.parent_hub_id == Some(parent) && api_type(&a.spec.account_type) == Some(kind))
            .count() as u64
    };
    let entry = |used: u64, limit: u64| json!({"used": used, "available": limit.saturating_sub(used), "limit": limit});
    json!({"STANDARD": entry(used("STANDARD"), std_limit), "DEVELOPER": entry(used("DEVELOPER"), dev_limit)})
}

fn usage(shared: &Shared, caller: u64, parent: u64) -> Response {
    let st = shared.lock();
    if let Err(resp) = check_parent(&st, caller, parent) {
        return resp;
    }
    respond::json(200, &json!({ "usage": counts(&st, parent) }))
}

fn create(shared: &Shared, caller: u64, req: &Recorded) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return bad_request("The body must be JSON {name, type, syncObjectRecords}");
    };
    let Some(name) = body.get("name").and_then(Value::as_str).filter(|n| !n.trim().is_empty()) else {
        return bad_request("name is required");
    };
    let (kind, account_type) = match body.get("type").and_then(Value::as_str) {
        Some("STANDARD") => ("STANDARD", "STANDARD_SANDBOX"),
        Some("DEVELOPER") => ("DEVELOPER", "DEVELOPMENT_SANDBOX"),
        _ => return bad_request("type must be STANDARD or DEVELOPER"),
    };
    let mut st = shared.lock();
    if let Err(resp) = check_parent(&st, caller, caller) {
        return resp;
    }
    if counts(&st, caller)[kind]["available"] == json!(0) {
        let sub = if kind == "STANDARD" {
            "SandboxErrors.NUM_STANDARD_SANDBOXES_LIMIT_EXCEEDED_ERROR"
        } else {
            "SandboxErrors.NUM_DEVELOPMENT_SANDBOXES_LIMIT_EXCEEDED_ERROR"
        };
        let mut b = respond::error_body("VALIDATION_ERROR", "The sandbox limit for this account has been reached");
        b["subCategory"] = json!(sub);
        return respond::json(400, &b);
    }
    let id = FIRST_SANDBOX_ID + st.next_id();
    let pak = format!("pak-sandbox-{id}-{:016x}", fastrand::u64(..));
    let spec = AccountSpec {
        hub_name: name.to_string(),
        account_type: account_type.into(),
        parent_hub_id: Some(caller),
        ..AccountSpec::new(id, pak)
    };
    st.add_account(spec);
    let status = st.new_sandbox_status.clone();
    st.sandbox_status.insert(id, status);
    let now = now_ms();
    respond::json(
        200,
        &json!({
            "sandboxHubId": id,
            "parentHubId": caller,
            "name": name,
            "type": kind,
            "status": st.new_sandbox_status,
            "archived": false,
            "createdAt": now,
            "updatedAt": now,
        }),
    )
}

fn issue_key(shared: &Shared, caller: u64, id: u64) -> Response {
    let mut st = shared.lock();
    let Some(sandbox) = st.account(id).filter(|a| a.spec.parent_hub_id == Some(caller)) else {
        return sandbox_not_found(id);
    };
    let pak = sandbox.spec.personal_access_key.clone();
    let (token, _) = st.issue_token(id);
    respond::json(200, &json!({"personalAccessKey": {"encodedOAuthRefreshToken": pak, "oauthAccessToken": token}}))
}

fn delete(shared: &Shared, caller: u64, id: u64) -> Response {
    let mut st = shared.lock();
    if let Err(resp) = check_parent(&st, caller, caller) {
        return resp;
    }
    let known = st
        .account(id)
        .is_some_and(|a| a.spec.parent_hub_id == Some(caller) && api_type(&a.spec.account_type).is_some());
    if !known {
        return sandbox_not_found(id);
    }
    st.accounts.retain(|a| a.spec.hub_id != id);
    st.sandbox_status.remove(&id);
    respond::no_content()
}

fn sandbox_not_found(id: u64) -> Response {
    let mut b = respond::error_body("OBJECT_NOT_FOUND", &format!("Sandbox {id} not found"));
    b["subCategory"] = json!("SandboxErrors.SANDBOX_NOT_FOUND");
    respond::json(404, &b)
}
