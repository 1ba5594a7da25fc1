//! The admin API under `/__fake/`: the same controls as the Rust handle, as JSON, for the
//! Python protocol tests that run the binary.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::response::Response;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::model::{AccountSpec, FileSpec, FolderSpec, PortalState};
use crate::respond::{self, bad_request, method_not_allowed, not_found};
use crate::state::Shared;
use crate::{faults, files, record, sandboxes};

fn ok() -> Response {
    respond::json(200, &json!({"ok": true}))
}

pub fn handle(shared: &Shared, parts: &Parts, body: &Bytes) -> Response {
    let method = parts.method.as_str();
    let path = parts.uri.path().trim_end_matches('/');
    let rest = path.strip_prefix("/__fake").unwrap_or("");
    let json_body = || -> Result<Value, Response> {
        if body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(body).map_err(|e| bad_request(&format!("The body must be JSON: {e}")))
    };
    let result = (|| -> Result<Response, Response> {
        Ok(match (method, rest) {
            ("GET", "/health") => ok(),
            ("POST", "/reset") => {
                shared.lock().reset();
                ok()
            }
            ("POST", "/accounts") => {
                // One account or a list of them.
                let v = json_body()?;
                let items = match &v {
                    Value::Array(a) => a.iter().collect::<Vec<_>>(),
                    other => vec![other],
                };
                if items.iter().any(|i| i.get("hubId").and_then(Value::as_u64).is_none()) {
                    return Err(bad_request("every account needs a numeric hubId"));
                }
                let specs: Vec<AccountSpec> = match v {
                    Value::Array(_) => serde_json::from_value(v),
                    _ => serde_json::from_value(v).map(|s| vec![s]),
                }
                .map_err(|e| bad_request(&format!("Not an AccountSpec: {e}")))?;
                let mut st = shared.lock();
                for s in specs {
                    st.add_account(s);
                }
                ok()
            }
            ("GET", "/accounts") => {
                let st = shared.lock();
                let list: Vec<Value> = st
                    .accounts
                    .iter()
                    .map(|a| {
                        json!({
                            "hubId": a.spec.hub_id,
                            "hubName": a.spec.hub_name,
                            "accountType": a.spec.account_type,
                            "portalState": st.portal_state(a.spec.hub_id),
                            "oauthRefreshToken": a.oauth_refresh_token,
                        })
                    })
                    .collect();
                respond::json(200, &json!({ "accounts": list }))
            }
            ("GET", "/requests") => {
                let st = shared.lock();
                let list: Vec<Value> = st.requests.iter().map(record::to_json).collect();
                respond::json(200, &json!({ "requests": list }))
            }
            ("DELETE", "/requests") => {
                shared.lock().requests.clear();
                ok()
            }
            ("POST", "/faults") => {
                let v = json_body()?;
                let list = match &v {
                    Value::Array(a) => a.clone(),
                    _ => vec![v],
                };
                let mut parsed = Vec::new();
                for f in &list {
                    parsed.push(faults::from_json(f).map_err(|e| bad_request(&e))?);
                }
                shared.lock().faults.extend(parsed);
                ok()
            }
            ("GET", "/faults") => {
                let st = shared.lock();
                let list: Vec<Value> = st.faults.iter().map(faults::to_json).collect();
                respond::json(200, &json!({ "faults": list }))
            }
            ("DELETE", "/faults") => {
                shared.lock().faults.clear();
                ok()
            }
            ("POST", "/token-lifetime") => {
                let v = json_body()?;
                let secs = seconds_field(&v)?;
                shared.lock().token_lifetime = Duration::from_secs_f64(secs);
                ok()
            }
            ("POST", "/advance-clock") => {
                let v = json_body()?;
                let secs = seconds_field(&v)?;
                let mut st = shared.lock();
                st.clock_ahead = st.clock_ahead.saturating_add(Duration::from_secs_f64(secs));
                ok()
            }
            ("POST", "/revoke") => {
                shared.lock().tokens.clear();
                ok()
            }
            ("POST", "/portal-state") => {
                let v = json_body()?;
                let hub = hub_field(&v)?;
                let state = v
                    .get("state")
                    .and_then(Value::as_str)
                    .and_then(|s| match s.to_ascii_lowercase().as_str() {
                        "active" => Some(PortalState::Active),
                        "inactive" => Some(PortalState::Inactive),
                        "missing" => Some(PortalState::Missing),
                        _ => None,
                    })
                    .ok_or_else(|| bad_request("state must be active, inactive or missing"))?;
                shared.lock().portal_states.insert(hub, state);
                ok()
            }
            ("GET", "/sandboxes") => respond::json(200, &json!({ "sandboxes": sandboxes::list(&shared.lock()) })),
            ("POST", "/sandbox-limits") => {
                let v = json_body()?;
                let hub = hub_field(&v)?;
                let count = |k: &str| match v.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(n) => n.as_u64().map(Some).ok_or_else(|| bad_request(&format!("{k} is a count"))),
                };
                let (standard, development) = (count("standard")?, count("development")?);
                let mut st = shared.lock();
                let limits = st.sandbox_limits.entry(hub).or_insert(sandboxes::DEFAULT_LIMITS);
                limits.0 = standard.unwrap_or(limits.0);
                limits.1 = development.unwrap_or(limits.1);
                ok()
            }
            ("POST", "/sandbox-status") => {
                // `{status}`: the status new sandboxes get; with `sandboxHubId`, that sandbox's.
                let v = json_body()?;
                let status = str_field(&v, "status")?;
                let mut st = shared.lock();
                match v.get("sandboxHubId").and_then(Value::as_u64) {
                    Some(id) => _ = st.sandbox_status.insert(id, status),
                    None => st.new_sandbox_status = status,
                }
                ok()
            }
            ("POST", "/page-size") => {
                let v = json_body()?;
                let size = v
                    .get("size")
                    .and_then(Value::as_u64)
                    .filter(|s| *s >= 1)
                    .ok_or_else(|| bad_request("size (a positive integer) is required"))?;
                shared.lock().page_size = size as usize;
                ok()
            }
            ("POST", "/files") => {
                let v = json_body()?;
                let hub = hub_field(&v)?;
                let path = str_field(&v, "path")?;
                let bytes = match (v.get("content"), v.get("contentBase64")) {
                    (_, Some(Value::String(b))) => base64::engine::general_purpose::STANDARD
                        .decode(b)
                        .map_err(|_| bad_request("contentBase64 is not valid base64"))?,
                    (Some(Value::String(s)), _) => s.clone().into_bytes(),
                    (None, None) => Vec::new(),
                    _ => return Err(bad_request("content / contentBase64 must be strings")),
                };
                let spec = FileSpec {
                    path,
                    bytes,
                    content_type: v.get("contentType").and_then(Value::as_str).map(str::to_string),
                    archived: v.get("archived").and_then(Value::as_bool).unwrap_or(false),
                    hidden: v.get("hidden").and_then(Value::as_bool).unwrap_or(false),
                };
                let mut st = shared.lock();
                let id = files::seed_file(&mut st, hub, spec).map_err(|e| bad_request(&e))?;
                respond::json(200, &json!({"id": id, "url": files::file_url(&st, id)}))
            }
            ("POST", "/folders") => {
                let v = json_body()?;
                let hub = hub_field(&v)?;
                let spec = FolderSpec {
                    path: str_field(&v, "path")?,
                    hidden: v.get("hidden").and_then(Value::as_bool).unwrap_or(false),
                };
                let id = files::seed_folder(&mut shared.lock(), hub, spec);
                respond::json(200, &json!({ "id": id.map_or(json!("None"), |i| json!(i)) }))
            }
            ("GET", "/uploads") => {
                let st = shared.lock();
                let list: Vec<Value> = st
                    .uploads
                    .iter()
                    .map(|u| {
                        let mut m = Map::new();
                        m.insert("hubId".into(), json!(u.hub_id));
                        m.insert("folderPath".into(), json!(u.folder_path));
                        m.insert("fileName".into(), json!(u.file_name));
                        m.insert("options".into(), u.options.clone());
                        m.insert("contentType".into(), json!(u.content_type));
                        m.insert("filename".into(), json!(u.filename));
                        m.insert("fileId".into(), json!(u.file_id));
                        record::encode_body(&u.bytes, &mut m);
                        Value::Object(m)
                    })
                    .collect();
                respond::json(200, &json!({ "uploads": list }))
            }
            (m, r) if r.starts_with("/secrets/") => {
                let hub: u64 =
                    r["/secrets/".len()..].parse().map_err(|_| bad_request("usage: /__fake/secrets/<hubId>"))?;
                match m {
                    "GET" => {
                        let mut st = shared.lock();
                        let list = st.secrets_of(hub);
                        let names: Vec<&String> = list.iter().map(|(k, _)| k).collect();
                        let values: Map<String, Value> =
                            list.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
                        respond::json(200, &json!({"names": names, "values": values}))
                    }
                    "POST" => {
                        let v = json_body()?;
                        let key = str_field(&v, "key")?;
                        let secret = str_field(&v, "secret")?;
                        set_secret(shared, hub, key, secret);
                        ok()
                    }
                    m => method_not_allowed(m, path),
                }
            }
            _ => not_found(&format!("No admin endpoint {method} {path}")),
        })
    })();
    result.unwrap_or_else(|e| e)
}

/// Adds or replaces a secret (seeding bypasses the API's add/update rules).
pub fn set_secret(shared: &Shared, hub: u64, key: String, secret: String) {
    let mut st = shared.lock();
    let list = st.secrets_of(hub);
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some(e) => e.1 = secret,
        None => list.push((key, secret)),
    }
}

fn hub_field(v: &Value) -> Result<u64, Response> {
    v.get("hubId").and_then(Value::as_u64).ok_or_else(|| bad_request("hubId (a number) is required"))
}

/// `seconds`: a non-negative, finite number of seconds that a `Duration` can hold.
fn seconds_field(v: &Value) -> Result<f64, Response> {
    v.get("seconds")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e12)
        .ok_or_else(|| bad_request("seconds (a non-negative number) is required"))
}

fn str_field(v: &Value, key: &str) -> Result<String, Response> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| bad_request(&format!("{key} (a string) is required")))
}
