//! Scripted faults: the first matching one wins and is used up one request at a time.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::Response;
use serde_json::{json, Value};

use crate::model::{Fault, FaultKind};
use crate::respond;
use crate::state::correlation_id;

/// Finds the first fault matching `method` + `path`, counts one use (dropping it when used
/// up) and returns what to do.
pub fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<FaultKind> {
    let idx = faults.iter().position(|f| {
        f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method)) && path.starts_with(&f.path_prefix)
    })?;
    let kind = faults[idx].kind.clone();
    match faults[idx].times {
        0 => {}
        1 => {
            faults.remove(idx);
        }
        n => faults[idx].times = n - 1,
    }
    Some(kind)
}

/// The response for every kind except `Slow` (which only delays normal handling).
pub fn respond(kind: &FaultKind) -> Option<Response> {
    match kind {
        FaultKind::Slow { .. } => None,
        FaultKind::Status(status, body) => {
            let body = if body.is_null() { respond::default_error_for(*status) } else { body.clone() };
            Some(respond::json(*status, &body))
        }
        FaultKind::RateLimit { retry_after_secs } => {
            let body = json!({
                "status": "error",
                "message": "You have reached your secondly limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": correlation_id(),
                "policyName": "SECONDLY",
            });
            let mut resp = respond::json(429, &body);
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Some(resp)
        }
        FaultKind::BadJson => Some(respond::bytes(200, respond::JSON, &b"{\"results\": [\"trunc"[..])),
        FaultKind::Raw { status, headers, body } => {
            let mut resp = respond::bytes(*status, respond::JSON, body.clone());
            for (k, v) in headers {
                if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v)) {
                    resp.headers_mut().insert(k, v);
                }
            }
            Some(resp)
        }
        FaultKind::Endless => {
            static CHUNK: [u8; 64 * 1024] = [b' '; 64 * 1024];
            let chunks = futures_util::stream::repeat_with(|| Ok::<_, std::io::Error>(Bytes::from_static(&CHUNK)));
            Some(respond::bytes(200, respond::JSON, Body::from_stream(chunks)))
        }
    }
}

/// The admin API's JSON shape of a fault:
/// `{method?, pathPrefix, times?, kind: "status"|"rateLimit"|"slow"|"badJson"|"raw"|"endless", status?, body?, headers?, retryAfterSecs?, millis?}`
/// (`raw`: `status`, `headers` an object of strings, `body` a string).
pub fn from_json(v: &Value) -> Result<Fault, String> {
    let obj = v.as_object().ok_or("a fault is a JSON object")?;
    let path_prefix =
        obj.get("pathPrefix").and_then(Value::as_str).ok_or("pathPrefix (string) is required")?.to_string();
    let method = match obj.get("method") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("method must be a string".into()),
    };
    let times = match obj.get("times") {
        None | Some(Value::Null) => 0,
        Some(t) => t.as_u64().and_then(|t| u32::try_from(t).ok()).ok_or("times must be a non-negative integer")?,
    };
    let num = |key: &str| -> Result<u64, String> {
        obj.get(key).and_then(Value::as_u64).ok_or_else(|| format!("{key} (non-negative integer) is required"))
    };
    let kind = match obj.get("kind").and_then(Value::as_str).unwrap_or("") {
        "status" => {
            let status = num("status")?;
            if !(100..=999).contains(&status) {
                return Err("status must be 100..=999".into());
            }
            FaultKind::Status(status as u16, obj.get("body").cloned().unwrap_or(Value::Null))
        }
        "rateLimit" => FaultKind::RateLimit { retry_after_secs: num("retryAfterSecs").unwrap_or(1) },
        "slow" => FaultKind::Slow { millis: num("millis")? },
        "badJson" => FaultKind::BadJson,
        "raw" => {
            let status = num("status")?;
            if !(100..=999).contains(&status) {
                return Err("status must be 100..=999".into());
            }
            let headers = match obj.get("headers") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Object(h)) => h
                    .iter()
                    .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())).ok_or("header values are strings"))
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err("headers must be an object of strings".into()),
            };
            let body = match obj.get("body") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(b)) => b.clone(),
                Some(_) => return Err("body of a raw fault is a string".into()),
            };
            FaultKind::Raw { status: status as u16, headers, body }
        }
        "endless" => FaultKind::Endless,
        other => return Err(format!("unknown fault kind {other:?} (status, rateLimit, slow, badJson, raw, endless)")),
    };
    Ok(Fault { method, path_prefix, times, kind })
}

pub fn to_json(f: &Fault) -> Value {
    let mut v = json!({"method": f.method, "pathPrefix": f.path_prefix, "times": f.times});
    let extra = match &f.kind {
        FaultKind::Status(s, b) => json!({"kind": "status", "status": s, "body": b}),
        FaultKind::RateLimit { retry_after_secs } => json!({"kind": "rateLimit", "retryAfterSecs": retry_after_secs}),
        FaultKind::Slow { millis } => json!({"kind": "slow", "millis": millis}),
        FaultKind::BadJson => json!({"kind": "badJson"}),
        FaultKind::Raw { status, headers, body } => {
            let headers: serde_json::Map<String, Value> =
                headers.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
            json!({"kind": "raw", "status": status, "headers": headers, "body": body})
        }
        FaultKind::Endless => json!({"kind": "endless"}),
    };
    if let (Some(a), Value::Object(b)) = (v.as_object_mut(), extra) {
        a.extend(b);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_match_wins_and_times_count_down() {
        let mut faults = vec![Fault::status("/a", 500).method("post").times(2), Fault::status("/a", 404)];
        assert_eq!(take(&mut faults, "GET", "/a/x"), Some(FaultKind::Status(404, Value::Null)));
        assert_eq!(take(&mut faults, "POST", "/a"), Some(FaultKind::Status(500, Value::Null)));
        assert_eq!(faults[0].times, 1);
        assert_eq!(take(&mut faults, "POST", "/a"), Some(FaultKind::Status(500, Value::Null)));
        assert_eq!(faults.len(), 1, "used up");
        assert_eq!(take(&mut faults, "POST", "/a"), Some(FaultKind::Status(404, Value::Null)));
        assert_eq!(take(&mut faults, "POST", "/b"), None);
        assert_eq!(faults[0].times, 0, "forever stays forever");
    }

    #[test]
    fn json_round_trip() {
        let f = Fault::new("/x", FaultKind::RateLimit { retry_after_secs: 3 }).method("GET").times(2);
        assert_eq!(from_json(&to_json(&f)), Ok(f));
        let s = Fault::new("/x", FaultKind::Status(418, serde_json::json!({"a": 1})));
        assert_eq!(from_json(&to_json(&s)), Ok(s));
        for kind in
            [FaultKind::redirect(307, "http://127.0.0.1:9/x"), FaultKind::retry_after("1e20"), FaultKind::Endless]
        {
            let f = Fault::new("/x", kind);
            assert_eq!(from_json(&to_json(&f)), Ok(f));
        }
        assert!(from_json(&serde_json::json!({"pathPrefix": "/", "kind": "slow"})).is_err());
        assert!(
            from_json(&serde_json::json!({"pathPrefix": "/", "kind": "status", "status": 200, "times": -1})).is_err()
        );
        assert!(from_json(&serde_json::json!([])).is_err());
    }
}
