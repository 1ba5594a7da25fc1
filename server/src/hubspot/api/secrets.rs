//! Serverless-function secrets: `cms/v3/functions/secrets`. HubSpot only ever
//! returns names; values go one way, in request bodies, and never into a message.

use reqwest::Method;
use serde_json::{json, Value};

use super::client::{ApiRequest, Caller, HubSpotClient};
use super::error::ApiError;
use crate::hubspot::secret::Secret;

const BASE: &str = "cms/v3/functions/secrets";

pub async fn list(client: &HubSpotClient, caller: &Caller) -> Result<Vec<String>, ApiError> {
    let req = ApiRequest::new(Method::GET, BASE, "list secrets");
    let body = client.call_json(caller, &req).await?;
    match body.get("results").and_then(Value::as_array) {
        Some(items) => Ok(items.iter().filter_map(Value::as_str).map(String::from).collect()),
        None => Err(ApiError::BadResponse {
            ctx: super::error::RequestContext {
                what: req.what,
                account: caller.account.label(),
                account_id: caller.account.account_id,
            },
            detail: "no `results` list".into(),
        }),
    }
}

/// Adds a secret; like `hs secret add`, refuses a name that already exists.
pub async fn add(client: &HubSpotClient, caller: &Caller, name: &str, value: &Secret) -> Result<(), ApiError> {
    check_name(name)?;
    if list(client, caller).await?.iter().any(|n| n == name) {
        return Err(ApiError::Local {
            message: format!(
                "The secret \"{name}\" already exists in account {}: use hubspot.secrets.update to change its value.",
                caller.account.label()
            ),
        });
    }
    let mut req = ApiRequest::new(Method::POST, BASE, format!("add secret \"{name}\""))
        .json(json!({"key": name, "secret": value.expose()}));
    req.sensitive.push(value.clone());
    client.call(caller, &req).await.map(drop)
}

/// Updates a secret; a name that does not exist is an error, as in `hs secret update`.
pub async fn update(client: &HubSpotClient, caller: &Caller, name: &str, value: &Secret) -> Result<(), ApiError> {
    require_existing(client, caller, name, "update").await?;
    let mut req = ApiRequest::new(Method::PUT, BASE, format!("update secret \"{name}\""))
        .json(json!({"key": name, "secret": value.expose()}));
    req.sensitive.push(value.clone());
    client.call(caller, &req).await.map(drop)
}

/// Deletes a secret; a name that does not exist is an error.
pub async fn delete(client: &HubSpotClient, caller: &Caller, name: &str) -> Result<(), ApiError> {
    require_existing(client, caller, name, "delete").await?;
    // The CLI appends the name raw (a `/` or `?` then changes the URL); we encode it.
    let path = format!(
        "{BASE}/{}",
        url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20")
    );
    let req = ApiRequest::new(Method::DELETE, path, format!("delete secret \"{name}\""));
    client.call(caller, &req).await.map(drop)
}

async fn require_existing(client: &HubSpotClient, caller: &Caller, name: &str, verb: &str) -> Result<(), ApiError> {
    check_name(name)?;
    let names = list(client, caller).await?;
    if names.iter().any(|n| n == name) {
        return Ok(());
    }
    let known = if names.is_empty() {
        "it has no secrets".to_string()
    } else {
        format!("its secrets are {}", names.join(", "))
    };
    Err(ApiError::Local {
        message: format!(
            "Unable to {verb} secret with name \"{name}\": it does not exist in account {} ({known}).",
            caller.account.label()
        ),
    })
}

// ApiError carries the request's context into every message; these run once per call, where
// a 160-byte error costs nothing next to the request, so it is not boxed.
#[allow(clippy::result_large_err)]
fn check_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        return Err(ApiError::Local { message: "A secret needs a name.".into() });
    }
    Ok(())
}
