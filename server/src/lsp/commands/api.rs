//! `hubspot.api.request`: `hs api` from the editor.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{args, CommandCtx};
use crate::hubspot::api::client::account_credentials;
use crate::hubspot::api::{ApiRequest, Body};
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::secret::{scrub_json, scrub_str, Secret};
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Request {
    path: Option<String>,
    method: Option<String>,
    data: Option<Value>,
    #[serde(default, deserialize_with = "super::account_ident")]
    account: Option<String>,
    directory: Option<String>,
}

pub async fn request(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Request = args("hubspot.api.request", arg)?;
    let path = a.path.filter(|p| !p.trim().is_empty()).ok_or_else(|| {
        OpError::invalid("hubspot.api.request needs `path`, e.g. \"/crm/v3/objects/contacts?limit=5\".")
    })?;
    // As `hs api`: POST when there is a body, else GET; the method is case-insensitive.
    let method = match a.method.as_deref().map(str::to_ascii_uppercase) {
        None => {
            if a.data.is_some() {
                Method::POST
            } else {
                Method::GET
            }
        }
        Some(m) => match m.as_str() {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            other => {
                return Err(OpError::invalid(format!("method {other:?} is not one of GET, POST, PUT, PATCH, DELETE.")))
            }
        },
    };
    if path.trim().starts_with("http://") || path.trim().starts_with("https://") {
        return Err(OpError::invalid(
            "`path` is a path on the account's API origin (e.g. /crm/v3/objects/contacts), not a URL.",
        ));
    }
    let t = target::resolve(&ctx.env, &ctx.directory(a.directory.as_deref())?, a.account.as_deref(), &ctx.writer)?;
    let clean = path.trim().strip_prefix('/').unwrap_or(path.trim()).to_string();
    let mut req = ApiRequest::new(method.clone(), clean.clone(), format!("{method} {clean}"));
    if let Some(d) = a.data {
        req.body = Body::Json(d);
    }
    // HubSpot may reflect the request (an `apikey` account's URL carries `hapikey=`): no
    // credential of the account goes back to the client, in the result or in an error.
    let known = account_credentials(&t.caller.account);
    match ctx.api.call(&t.caller, &req).await {
        Ok(resp) => {
            let mut out = json!({ "status": resp.status, "body": resp.body_value() });
            let known = [known, ctx.api.held_credentials(&t.caller.account)].concat();
            scrub_json(&mut out, &known);
            Ok(out)
        }
        Err(e) => {
            let mut e = OpError::from(e);
            let refs: Vec<&Secret> = known.iter().collect();
            e.message = scrub_str(&e.message, &refs);
            if let Some(d) = e.data.as_mut() {
                scrub_json(d, &known);
            }
            Err(e)
        }
    }
}
