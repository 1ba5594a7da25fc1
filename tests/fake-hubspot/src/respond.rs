//! Building responses, and the HubSpot-shaped error bodies every endpoint shares.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::state::correlation_id;

pub const JSON: &str = "application/json;charset=utf-8";

pub fn bytes(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    // An out-of-range status (only possible via a scripted fault) degrades to 500.
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

pub fn json(status: u16, value: &Value) -> Response {
    bytes(status, JSON, serde_json::to_vec(value).unwrap_or_default())
}

pub fn no_content() -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

/// `{status: "error", message, correlationId, category}`: the body HubSpot's public APIs
/// answer errors with (and what LDL's `HubSpotHttpError` reads `message`/`category` from).
pub fn error_body(category: &str, message: &str) -> Value {
    json!({
        "status": "error",
        "message": message,
        "correlationId": correlation_id(),
        "category": category,
    })
}

pub fn error(status: u16, category: &str, message: &str) -> Response {
    json(status, &error_body(category, message))
}

pub fn bad_request(message: &str) -> Response {
    error(400, "VALIDATION_ERROR", message)
}

pub fn not_found(message: &str) -> Response {
    error(404, "OBJECT_NOT_FOUND", message)
}

pub fn method_not_allowed(method: &str, path: &str) -> Response {
    error(405, "METHOD_NOT_ALLOWED", &format!("{method} is not supported on {path}"))
}

pub const NO_CREDENTIALS: &str = "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

pub fn unauthorized(message: &str) -> Response {
    error(401, "INVALID_AUTHENTICATION", message)
}

/// The body a scripted `Status` fault sends when the test gave none.
pub fn default_error_for(status: u16) -> Value {
    let (category, message) = match status {
        400 => ("VALIDATION_ERROR", "Invalid input"),
        401 => ("INVALID_AUTHENTICATION", NO_CREDENTIALS),
        403 => ("MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call."),
        404 => ("OBJECT_NOT_FOUND", "resource not found"),
        409 => ("CONFLICT", "Conflict"),
        429 => ("RATE_LIMITS", "You have reached your secondly limit."),
        502..=504 => ("SERVICE_UNAVAILABLE", "The service is temporarily unavailable"),
        500..=599 => ("INTERNAL_ERROR", "internal error"),
        _ => ("UNKNOWN", "error"),
    };
    error_body(category, message)
}
