//! The HTTP side: one catch-all handler that records the request, applies faults, checks
//! credentials and dispatches by path.
//!
//! Routing is by hand rather than with axum's router because HubSpot paths are matched
//! loosely (trailing slashes, `stat//a/b`), every failure must have a HubSpot-shaped JSON
//! body, and faults must apply before any route-specific parsing.

use std::time::Duration;

use axum::body::{to_bytes, Bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::model::{FaultKind, Recorded};
use crate::respond::{self, bad_request, method_not_allowed, not_found};
use crate::state::Shared;
use crate::{admin, auth, faults, files, record, sandboxes, secrets};

/// Uploads in tests are small; this only guards against runaway clients.
const MAX_BODY: usize = 64 * 1024 * 1024;

pub fn router(shared: Shared) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// Serves until the listener fails (the caller decides when to stop by dropping the future).
pub async fn serve(listener: std::net::TcpListener, shared: Shared) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, router(shared)).await
}

async fn handle(State(shared): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body: Bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return bad_request("The request body could not be read (or is larger than 64 MiB)"),
    };
    let path = parts.uri.path();
    if path == "/__fake" || path.starts_with("/__fake/") {
        // The admin API is neither recorded nor subject to faults: tests must always be
        // able to inspect and reset the fake.
        return admin::handle(&shared, &parts, &body);
    }
    let rec = record::build(&parts, &body).await;
    let fault = {
        let mut st = shared.lock();
        st.requests.push(rec.clone());
        faults::take(&mut st.faults, &rec.method, &rec.path)
    };
    if let Some(kind) = fault {
        if let FaultKind::Slow { millis } = kind {
            tokio::time::sleep(Duration::from_millis(millis)).await;
        } else if let Some(resp) = faults::respond(&kind) {
            return resp;
        }
    }
    route(&shared, &rec)
}

fn route(shared: &Shared, req: &Recorded) -> Response {
    let path = req.path.as_str();
    let method = req.method.as_str();
    // Unauthenticated endpoints.
    match path {
        "/localdevauth/v1/auth/refresh" => {
            return if method == "POST" { auth::exchange(shared, req) } else { method_not_allowed(method, path) };
        }
        "/oauth/v1/token" => {
            return if method == "POST" { auth::oauth_token(shared, req) } else { method_not_allowed(method, path) };
        }
        // The CLI sends usage tracking without credentials; accept and drop it.
        "/local/dev/tools/proxy/v1/usage" => return respond::json(200, &json!({})),
        _ => {}
    }

    let hub_id = match auth::authenticate(shared, req) {
        Ok(h) => h,
        Err(resp) => return resp,
    };
    let get_only = |f: fn(&Shared, u64, &Recorded) -> Response| {
        if method == "GET" {
            f(shared, hub_id, req)
        } else {
            method_not_allowed(method, path)
        }
    };
    match path.trim_end_matches('/') {
        "/sandbox-hubs/v1/self" => get_only(sandbox_self),
        "/integrators/test-portals/v2/self" => get_only(test_portal_self),
        p if p == secrets::BASE || p.starts_with(&format!("{}/", secrets::BASE)) => {
            secrets::handle(shared, hub_id, req)
        }
        files::UPLOAD => {
            if method == "POST" {
                files::upload(shared, hub_id, req)
            } else {
                method_not_allowed(method, path)
            }
        }
        _ if path.starts_with(files::STAT) => get_only(files::stat),
        files::FILES => get_only(files::list_files),
        files::FOLDERS => get_only(files::list_folders),
        _ if path.starts_with(files::CDN) => get_only(files::cdn),
        _ => sandboxes::handle(shared, hub_id, req).unwrap_or_else(|| echo(req)),
    }
}

fn sandbox_self(shared: &Shared, hub_id: u64, _req: &Recorded) -> Response {
    let st = shared.lock();
    let Some(a) = st.account(hub_id) else { return not_found("Hub not found") };
    let Some(parent) = a.spec.parent_hub_id else {
        return respond::error(404, "OBJECT_NOT_FOUND", &format!("Hub {hub_id} is not a sandbox"));
    };
    let kind = if a.spec.account_type == "STANDARD_SANDBOX" { "STANDARD" } else { "DEVELOPER" };
    let status = st.sandbox_status.get(&hub_id).map_or("READY", String::as_str);
    respond::json(
        200,
        &json!({
            "sandboxHubId": hub_id,
            "parentHubId": parent,
            "name": a.spec.hub_name,
            "type": kind,
            "status": status,
            "createdAt": "2024-01-01T00:00:00Z",
        }),
    )
}

fn test_portal_self(shared: &Shared, hub_id: u64, _req: &Recorded) -> Response {
    let st = shared.lock();
    let Some(a) = st.account(hub_id) else { return not_found("Portal not found") };
    let Some(parent) = a.spec.parent_hub_id else {
        return respond::error(404, "OBJECT_NOT_FOUND", &format!("Portal {hub_id} is not a test account"));
    };
    respond::json(
        200,
        &json!({
            "id": hub_id,
            "parentPortalId": parent,
            "accountName": a.spec.hub_name,
            "testPortalType": "DEVELOPER_TEST",
        }),
    )
}

/// Any other authenticated call: 200 with what was asked, so `hs api`-style requests can
/// be asserted end to end.
fn echo(req: &Recorded) -> Response {
    let mut query = Map::new();
    for (k, v) in &req.query {
        query.entry(k.clone()).or_insert_with(|| Value::String(v.clone()));
    }
    let body = if req.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&req.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&req.body).into_owned()))
    };
    respond::json(
        200,
        &json!({"method": req.method, "path": req.path, "query": query, "rawQuery": req.raw_query, "body": body}),
    )
}
