//! `workspace/executeCommand`: argument parsing, dispatch, and the mapping of
//! operation errors to JSON-RPC errors. The operations themselves live in `hubspot::ops`
//! and `hubspot::api`; one small module here per command family.

mod account;
mod api;
mod config;
mod context;
mod edit;
mod files;
mod link;
mod sandbox;
mod secrets;

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::ExecuteCommandParams;

use crate::hubspot::credentials::Credentials;
use crate::hubspot::ops::{OpError, OpErrorKind, OpResult};
use crate::hubspot::secret::map_strings;

use super::server::Server;
pub use context::CommandCtx;
pub use edit::APPLY_EDIT;

/// Every command the server executes (advertised in `initialize`), and whether it changes
/// files, after which every open document is checked again.
const TABLE: &[(&str, Writes)] = &[
    ("hubspot.account.auth", Writes::Files),
    ("hubspot.account.list", Writes::Nothing),
    ("hubspot.account.resolve", Writes::Nothing),
    ("hubspot.account.info", Writes::Nothing),
    ("hubspot.account.use", Writes::Files),
    ("hubspot.account.remove", Writes::Files),
    ("hubspot.account.clean", Writes::Files),
    ("hubspot.account.link", Writes::Files),
    ("hubspot.account.unlink", Writes::Files),
    ("hubspot.override.migrate", Writes::Files),
    ("hubspot.config.migrate", Writes::Files),
    ("hubspot.config.fixPermissions", Writes::Files),
    ("hubspot.config.ignoreInGit", Writes::Files),
    ("hubspot.secrets.list", Writes::Nothing),
    ("hubspot.secrets.add", Writes::Nothing),
    ("hubspot.secrets.update", Writes::Nothing),
    ("hubspot.secrets.delete", Writes::Nothing),
    ("hubspot.files.upload", Writes::Nothing),
    ("hubspot.files.fetch", Writes::Nothing),
    ("hubspot.sandbox.create", Writes::Files),
    ("hubspot.sandbox.delete", Writes::Files),
    ("hubspot.sandbox.usage", Writes::Nothing),
    ("hubspot.api.request", Writes::Nothing),
    // The client edits its own buffers, and their changes come back as didChange.
    (APPLY_EDIT, Writes::Nothing),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Writes {
    Files,
    Nothing,
}

/// The command names, for `initialize`.
pub fn names() -> Vec<String> {
    TABLE.iter().map(|(n, _)| n.to_string()).collect()
}

/// Commands that may run at once. Each holds one of the transport's slots until it answers
/// (`lsp::serve` leaves more for everything else), so one more is refused, not queued: queued,
/// it would take a slot that an edit or a hover needs while HubSpot is slow.
pub const MAX_RUNNING: usize = 8;

pub async fn execute(server: &Server, params: ExecuteCommandParams) -> Result<Option<Value>> {
    let Ok(permit) = server.running_commands.clone().try_acquire_owned() else {
        return Err(rpc_error(OpError::failed(format!(
            "hubspot-ls is already running {MAX_RUNNING} commands; run this one when one of them has finished."
        ))));
    };
    // Commands read and write files as they go: on a task of their own, so that the disk never
    // holds up the task that reads messages and answers every other request.
    let handle = server.handle();
    let task = tokio::spawn(async move {
        let out = run(&handle, params).await;
        drop(permit);
        out
    });
    // A cancelled request (`$/cancelRequest`) drops this future: the command stops at its next
    // await instead of going on unseen. (Each file write is synchronous, so it is done whole
    // or not at all.)
    let _stop_if_cancelled = AbortOnDrop(task.abort_handle());
    task.await.unwrap_or_else(|e| {
        tracing::error!("a command failed: {e}");
        Err(Error::internal_error())
    })
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run(server: &Server, params: ExecuteCommandParams) -> Result<Option<Value>> {
    let ctx = CommandCtx::snapshot(server, params.work_done_progress_params.work_done_token.clone());
    let arg = params.arguments.into_iter().next().unwrap_or(Value::Null);
    let name = params.command.as_str();
    // Never log `arg`: it may hold a personal access key or a secret value.
    tracing::debug!(command = name, "executeCommand");
    let out = match name {
        "hubspot.account.auth" => account::auth(&ctx, arg).await,
        "hubspot.account.list" => account::list(&ctx, arg),
        "hubspot.account.resolve" => account::resolve(&ctx, arg),
        "hubspot.account.info" => account::info(&ctx, arg).await,
        "hubspot.account.use" => account::use_account(&ctx, arg).await,
        "hubspot.account.remove" => account::remove(&ctx, arg).await,
        "hubspot.account.clean" => account::clean(&ctx, arg).await,
        "hubspot.account.link" => link::link(&ctx, arg).await,
        "hubspot.account.unlink" => link::unlink(&ctx, arg).await,
        "hubspot.override.migrate" => link::migrate_override(&ctx, arg).await,
        "hubspot.config.migrate" => link::migrate_config(&ctx, arg).await,
        "hubspot.config.fixPermissions" => config::fix_permissions(&ctx, arg),
        "hubspot.config.ignoreInGit" => config::ignore_in_git(&ctx, arg).await,
        "hubspot.secrets.list" => secrets::list(&ctx, arg).await,
        "hubspot.secrets.add" => secrets::add(&ctx, arg).await,
        "hubspot.secrets.update" => secrets::update(&ctx, arg).await,
        "hubspot.secrets.delete" => secrets::delete(&ctx, arg).await,
        "hubspot.files.upload" => files::upload(&ctx, arg).await,
        "hubspot.files.fetch" => files::fetch(&ctx, arg).await,
        "hubspot.sandbox.create" => sandbox::create(&ctx, arg).await,
        "hubspot.sandbox.delete" => sandbox::delete(&ctx, arg).await,
        "hubspot.sandbox.usage" => sandbox::usage(&ctx, arg).await,
        "hubspot.api.request" => api::request(&ctx, arg).await,
        APPLY_EDIT => edit::apply(&server.client, arg).await,
        other => Err(OpError::invalid(format!(
            "hubspot-ls has no command {other:?}; the commands are {}.",
            names().join(", ")
        ))),
    };
    if TABLE.iter().any(|(n, w)| *n == name && *w == Writes::Files) {
        server.session().disk.clear();
        super::publish::refresh_all(server).await;
    }
    // A key-shaped word never goes back: one given where an account belongs
    // (`{"account": "pat-…"}`), or another account's key that HubSpot echoed.
    let redact_keys = |v: &mut Value| map_strings(v, &|s| Credentials::default().scrub(s).into_owned());
    match out {
        Ok(mut v) => {
            redact_keys(&mut v);
            Ok(Some(v))
        }
        Err(mut e) => {
            if let Cow::Owned(m) = Credentials::default().scrub(&e.message) {
                e.message = m;
            }
            if let Some(d) = e.data.as_mut() {
                redact_keys(d);
            }
            tracing::info!(command = name, "command failed: {}", e.message);
            Err(rpc_error(e))
        }
    }
}

fn rpc_error(e: OpError) -> Error {
    let code = match e.kind {
        OpErrorKind::InvalidArgument => ErrorCode::InvalidParams,
        // -32001: an application error the client should show as is.
        OpErrorKind::Failed => ErrorCode::ServerError(-32001),
    };
    Error { code, message: e.message.into(), data: e.data }
}

/// `{account?, directory?}`: which account a command acts on, and where.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Where {
    #[serde(default, deserialize_with = "account_ident")]
    account: Option<String>,
    directory: Option<String>,
}

/// The command's one JSON object argument (absent = `{}`), as `T`.
fn args<T: DeserializeOwned>(command: &str, arg: Value) -> OpResult<T> {
    let arg = if arg.is_null() { Value::Object(Default::default()) } else { arg };
    serde_json::from_value(arg).map_err(|e| {
        let fix = "Send one JSON object with the fields the README's Commands table lists for it.";
        OpError::invalid(format!("{command}: bad argument: {e}. {fix}"))
    })
}

/// An `account` argument: a name, or an id as a string or a JSON number (clients naturally
/// send ids as numbers).
fn account_ident<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(_) => Err(serde::de::Error::custom("`account` is a name or an id")),
    }
}

fn to_value(v: impl serde::Serialize) -> OpResult<Value> {
    serde_json::to_value(v).map_err(|e| OpError::failed(format!("cannot encode the result: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct A {
        #[serde(default, deserialize_with = "account_ident")]
        account: Option<String>,
    }

    #[test]
    fn account_is_a_name_or_an_id_string_or_number() {
        let a = |v: Value| args::<A>("c", v).map(|a| a.account);
        assert_eq!(a(serde_json::json!({"account": 123})).unwrap().as_deref(), Some("123"));
        assert_eq!(a(serde_json::json!({"account": "prod"})).unwrap().as_deref(), Some("prod"));
        assert_eq!(a(serde_json::json!({})).unwrap(), None);
        assert_eq!(a(serde_json::json!({"account": null})).unwrap(), None);
        assert!(a(serde_json::json!({"account": [1]})).is_err());
    }
}
