//! One error type for every operation: a sentence that says what went wrong and what to do,
//! and, for API failures, the status and body a client may want to show.

use serde_json::{json, Value};

use crate::hubspot::api::ApiError;
use crate::hubspot::edit::EditError;
use crate::hubspot::store::StoreError;

#[derive(Debug)]
pub struct OpError {
    pub kind: OpErrorKind,
    pub message: String,
    /// `{status, body}` for HubSpot error answers (the JSON-RPC error's `data`, which
    /// `hubspot.api.request` callers read).
    pub data: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpErrorKind {
    /// The arguments are wrong or incomplete (an unknown account, a missing key).
    InvalidArgument,
    /// Something outside went wrong: HubSpot, the disk.
    Failed,
}

impl OpError {
    pub fn invalid(message: impl Into<String>) -> OpError {
        OpError { kind: OpErrorKind::InvalidArgument, message: message.into(), data: None }
    }

    pub fn failed(message: impl Into<String>) -> OpError {
        OpError { kind: OpErrorKind::Failed, message: message.into(), data: None }
    }
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OpError {}

impl From<ApiError> for OpError {
    fn from(e: ApiError) -> OpError {
        let data = e.status().map(|s| json!({"status": s, "body": e.body().cloned().unwrap_or(Value::Null)}));
        let kind = match e {
            ApiError::Local { .. } => OpErrorKind::InvalidArgument,
            _ => OpErrorKind::Failed,
        };
        OpError { kind, message: e.to_string(), data }
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> OpError {
        OpError::failed(e.to_string())
    }
}

impl From<EditError> for OpError {
    fn from(e: EditError) -> OpError {
        OpError::failed(format!("Cannot change the file: {e}."))
    }
}

pub type OpResult<T> = Result<T, OpError>;
