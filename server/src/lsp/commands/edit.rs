//! `hubspot.edit.apply {WorkspaceEdit}`: how a code action that edits the document reaches a
//! client without code action literals, which only takes commands. The server hands the edit
//! back with `workspace/applyEdit` (offered only to clients that advertise it); the client
//! applies it to its buffers like any other edit, so nothing is written behind its back.

use serde_json::{json, Value};
use tower_lsp_server::ls_types::WorkspaceEdit;
use tower_lsp_server::Client;

use crate::hubspot::ops::{OpError, OpResult};

pub const APPLY_EDIT: &str = "hubspot.edit.apply";

pub async fn apply(client: &Client, arg: Value) -> OpResult<Value> {
    let takes = |why: String| OpError::invalid(format!("{APPLY_EDIT} takes a WorkspaceEdit as its argument: {why}."));
    // WorkspaceEdit's fields are all optional: an object of anything else would pass as an
    // empty edit and reach the editor.
    const FIELDS: [&str; 3] = ["changes", "documentChanges", "changeAnnotations"];
    match arg.as_object() {
        Some(o)
            if o.keys().all(|k| FIELDS.contains(&k.as_str()))
                && o.contains_key("changes") != o.contains_key("documentChanges") => {}
        _ => return Err(takes("an object with `changes` or `documentChanges` (one of them) and nothing else".into())),
    }
    let edit: WorkspaceEdit = serde_json::from_value(arg).map_err(|e| takes(e.to_string()))?;
    let answer = client
        .apply_edit(edit)
        .await
        .map_err(|e| OpError::failed(format!("The editor did not apply the edit ({e}); apply the fix by hand.")))?;
    if !answer.applied {
        let why = answer.failure_reason.map(|r| format!(": {r}")).unwrap_or_default();
        return Err(OpError::failed(format!(
            "The editor refused the edit{why}; the document may have changed: ask for the fix again."
        )));
    }
    Ok(json!({ "applied": true }))
}
