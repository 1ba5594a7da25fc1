//! Serverless-function secrets, `cms/v3/functions/secrets`. Values are stored
//! but never returned by the API (only by the test API), as HubSpot does.

use axum::response::Response;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

use crate::model::Recorded;
use crate::respond::{self, bad_request, error, method_not_allowed, no_content, not_found};
use crate::state::Shared;

pub const BASE: &str = "/cms/v3/functions/secrets";

pub fn handle(shared: &Shared, hub_id: u64, req: &Recorded) -> Response {
    let rest = req.path[BASE.len()..].trim_start_matches('/');
    if rest.is_empty() {
        return match req.method.as_str() {
            "GET" => {
                let mut st = shared.lock();
                let names: Vec<&String> = st.secrets_of(hub_id).iter().map(|(k, _)| k).collect();
                respond::json(200, &json!({ "results": names }))
            }
            "POST" => upsert(shared, hub_id, req, false),
            "PUT" => upsert(shared, hub_id, req, true),
            m => method_not_allowed(m, &req.path),
        };
    }
    // LDL appends the name raw; axios percent-encodes what `new URL` must (a space -> %20).
    let name = percent_decode_str(rest).decode_utf8_lossy().into_owned();
    match req.method.as_str() {
        "DELETE" => {
            let mut st = shared.lock();
            let list = st.secrets_of(hub_id);
            match list.iter().position(|(k, _)| *k == name) {
                Some(i) => {
                    list.remove(i);
                    no_content()
                }
                None => not_found(&format!("Secret {name} not found")),
            }
        }
        m => method_not_allowed(m, &req.path),
    }
}

/// POST adds (an existing key is a 409), PUT replaces (a missing key is a 404).
fn upsert(shared: &Shared, hub_id: u64, req: &Recorded, update: bool) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return bad_request("Invalid input JSON: expected {\"key\": \"...\", \"secret\": \"...\"}");
    };
    let (Some(key), Some(secret)) =
        (body.get("key").and_then(Value::as_str), body.get("secret").and_then(Value::as_str))
    else {
        return bad_request("Invalid input JSON: key and secret (strings) are required");
    };
    if key.is_empty() {
        return bad_request("The secret key must not be empty");
    }
    let mut st = shared.lock();
    let list = st.secrets_of(hub_id);
    let existing = list.iter().position(|(k, _)| k == key);
    match (existing, update) {
        (Some(_), false) => error(409, "CONFLICT", &format!("A secret with the key {key} already exists")),
        (None, true) => not_found(&format!("Secret {key} not found")),
        (Some(i), true) => {
            list[i].1 = secret.to_string();
            no_content()
        }
        (None, false) => {
            list.push((key.to_string(), secret.to_string()));
            no_content()
        }
    }
}
