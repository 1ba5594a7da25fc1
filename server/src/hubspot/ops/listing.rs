//! `hubspot.account.list`: every account of the config as `hs account list` shows it, with what
//! a directory links, for the editors' account views.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::hubspot::model::{Account, Config};

#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    /// As written, like `hs account list` shows them: a quoted or non-integer id, a
    /// numeric name, are shown, not hidden.
    pub name: Option<Value>,
    pub account_id: Option<Value>,
    pub auth_type: Option<String>,
    pub env: &'static str,
    pub account_type: Option<String>,
    pub is_default: bool,
    pub parent_account_id: Option<i64>,
    /// `auth.tokenInfo.expiresAt` as written (the cached token's expiry), never the token.
    pub token_expires_at: Option<String>,
    /// Among the accounts linked to the directory.
    pub is_linked: bool,
    /// The directory's `localDefaultAccount`.
    pub is_local_default: bool,
}

#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountList {
    pub accounts: Vec<AccountSummary>,
    pub default_account: Option<i64>,
    pub linked: Vec<i64>,
    pub local_default_account: Option<i64>,
    /// The config file listed; `None` when the accounts come from environment variables.
    pub config_path: Option<String>,
}

/// What a directory's `.hs/settings.json` links: its account ids and its local default.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Links {
    pub linked: Vec<i64>,
    pub local_default: Option<i64>,
}

/// `hubspot.account.list`: every account, which one is the config's default, and what the
/// directory links.
pub fn list(config: &Config, links: Links, config_path: Option<&Path>) -> AccountList {
    let default = config.default();
    let id_of = |a: &Account| a.usable_id();
    AccountList {
        accounts: config
            .accounts
            .iter()
            .map(|a| AccountSummary {
                name: a.raw_name.clone(),
                account_id: a.raw_account_id.clone(),
                auth_type: a.auth_type.as_ref().map(|t| t.as_str().to_string()),
                env: a.env.as_str(),
                account_type: a.account_type.clone(),
                is_default: default.is_some_and(|d| std::ptr::eq(d, a)),
                parent_account_id: a.parent_account_id,
                token_expires_at: a
                    .auth
                    .as_ref()
                    .and_then(|x| x.token_info.as_ref())
                    .and_then(|t| t.expires_at.clone()),
                is_linked: id_of(a).is_some_and(|id| links.linked.contains(&id)),
                is_local_default: id_of(a).is_some() && id_of(a) == links.local_default,
            })
            .collect(),
        default_account: default.and_then(|a| a.usable_id()),
        linked: links.linked,
        local_default_account: links.local_default,
        config_path: config_path.map(|p| p.display().to_string()),
    }
}
