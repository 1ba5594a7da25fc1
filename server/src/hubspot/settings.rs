//! The two per-directory files, as the CLI reads them: `.hs/settings.json` and `.hsaccount`
//! (docs/hubspot-cli.md, *.hs/settings.json* and *.hsaccount*). Neither is validated by the
//! CLI; these types keep what it would see, including the shapes it crashes on, so callers
//! can say so.

use std::fmt;

use serde_json::Value;

use super::model::{parse_int_js, truthy, Account, Config};

/// `.hs/settings.json` after `JSON.parse`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `accounts` as found: the CLI expects numeric ids and compares strictly, so a string
    /// `"222"` never matches account 222. `None` when the key is absent or not a
    /// list: default resolution still works, but `isDirectoryLinked` and
    /// `getLinkedOrAllConfigAccounts` throw a TypeError (fixture 26).
    pub accounts: Option<Vec<Value>>,
    /// `localDefaultAccount` as found, falsy values included (the CLI skips those).
    pub local_default_account: Option<Value>,
}

/// `JSON.parse` failed (invalid JSON, an empty file). The CLI raises a `FileSystemError`
/// that breaks default-account resolution for the whole subtree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidSettings {
    /// The parser's own words, for a hint; the CLI only shows them in debug logs.
    pub detail: String,
}

/// A settings file without an `accounts` list, which link-aware CLI code crashes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoAccountsList;

impl Settings {
    /// The file as `JSON.parse` gives it to the CLI. `Ok(None)` for a file holding `null`,
    /// which the CLI's `if (settings && ...)` checks treat as no file at all. Any other
    /// non-object (a list, a number) has neither key.
    pub fn parse(text: &str) -> Result<Option<Settings>, InvalidSettings> {
        let value: Value = serde_json::from_str(text).map_err(|e| InvalidSettings { detail: e.to_string() })?;
        Ok(match value {
            Value::Null => None,
            Value::Object(map) => Some(Settings {
                accounts: map.get("accounts").and_then(Value::as_array).cloned(),
                local_default_account: map.get("localDefaultAccount").cloned(),
            }),
            _ => Some(Settings::default()),
        })
    }

    /// `localDefaultAccount` when the CLI honours it: only a truthy value.
    pub fn local_default(&self) -> Option<&Value> {
        self.local_default_account.as_ref().filter(|v| truthy(v))
    }

    /// The CLI's `isDirectoryLinked`: `accounts.length > 0`, whatever the entries are.
    pub fn is_linked(&self) -> Result<bool, NoAccountsList> {
        self.accounts.as_ref().map(|a| !a.is_empty()).ok_or(NoAccountsList)
    }

    /// The numeric ids in `accounts`, in file order: the only entries that can match an account.
    pub fn linked_ids(&self) -> Result<Vec<i64>, NoAccountsList> {
        let accounts = self.accounts.as_ref().ok_or(NoAccountsList)?;
        Ok(accounts.iter().filter_map(as_integer).collect())
    }

    /// `getLinkedOrAllConfigAccounts` with this file found: every account when `accounts` is
    /// empty, else those whose `accountId` is listed (`includes`, so strict equality: the raw
    /// id as written, a quoted `'123'` matching only a `"123"`).
    pub fn linked_accounts<'c>(&self, config: &'c Config) -> Result<Vec<&'c Account>, NoAccountsList> {
        let listed = self.accounts.as_ref().ok_or(NoAccountsList)?;
        if listed.is_empty() {
            return Ok(config.accounts.iter().collect());
        }
        Ok(config
            .accounts
            .iter()
            .filter(|a| a.raw_account_id.as_ref().is_some_and(|id| listed.iter().any(|l| same_value(l, id))))
            .collect())
    }
}

/// JavaScript `SameValueZero` for the scalars that can be ids: numbers by value, strings by
/// text, nothing else.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// A whole number as `JSON.parse` reads it: `456.0` and `4.56e2` are 456 too.
pub fn as_integer(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
}

/// The cause codes the CLI attaches to its `Error in <path>` for a bad `.hsaccount`.
pub const CAUSE_INVALID_ID: &str = "DEFAULT_ACCOUNT_OVERRIDE_ERROR_INVALID_ID";
pub const CAUSE_ACCOUNT_NOT_FOUND: &str = "DEFAULT_ACCOUNT_OVERRIDE_ERROR_ACCOUNT_NOT_FOUND";

/// `.hsaccount` content: an account id as `parseInt` reads it (`"  222abc\n"` is 222).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HsAccount {
    pub id: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HsAccountError {
    /// `parseInt` gives NaN: a name, garbage, an empty file.
    InvalidId,
    /// A well-formed id that no account in the config has.
    AccountNotFound { id: i64 },
}

impl HsAccountError {
    /// The `cause` the CLI attaches.
    pub fn cause(self) -> &'static str {
        match self {
            HsAccountError::InvalidId => CAUSE_INVALID_ID,
            HsAccountError::AccountNotFound { .. } => CAUSE_ACCOUNT_NOT_FOUND,
        }
    }
}

impl fmt::Display for HsAccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HsAccountError::InvalidId => {
                f.write_str("the content is not an account id (the CLI accepts no names here)")
            }
            HsAccountError::AccountNotFound { id } => write!(f, "account {id} is not in the config"),
        }
    }
}

impl HsAccount {
    /// `parseInt(content)`: leading whitespace skipped, trailing garbage ignored
    /// (`"  222abc\n"` is 222).
    pub fn parse(text: &str) -> Result<HsAccount, HsAccountError> {
        parse_int_js(text).map(|id| HsAccount { id }).ok_or(HsAccountError::InvalidId)
    }

    /// The account it names: `accounts.find(a => a.accountId === id)`, by numeric id only.
    pub fn account(self, config: &Config) -> Result<&Account, HsAccountError> {
        config.by_id(self.id).ok_or(HsAccountError::AccountNotFound { id: self.id })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::hubspot::test_support::fixture;

    fn settings(text: &str) -> Settings {
        Settings::parse(text).unwrap().unwrap()
    }

    fn config(yaml: &str) -> Config {
        Config::from_value(&crate::syntax::yaml::parse(yaml).value)
    }

    fn ids(accounts: &[&Account]) -> Vec<i64> {
        accounts.iter().filter_map(|a| a.account_id).collect()
    }

    #[test]
    fn fixtures_12_13_14_26() {
        let linked = settings(&fixture("12-settings-linked.json"));
        assert_eq!(linked.linked_ids(), Ok(vec![123, 456]));
        assert_eq!(linked.local_default(), Some(&json!(456)));
        assert_eq!(linked.is_linked(), Ok(true));

        let unlinked = settings(&fixture("13-settings-after-unlink-all.json"));
        assert_eq!((unlinked.is_linked(), unlinked.local_default()), (Ok(false), None));

        let invalid = settings(&fixture("14-settings-invalid-default.json"));
        assert_eq!(invalid.local_default(), Some(&json!(999)));

        let missing = settings(&fixture("26-settings-missing-accounts.json"));
        assert_eq!(missing.local_default(), Some(&json!(222)));
        assert_eq!(missing.is_linked(), Err(NoAccountsList));
        assert_eq!(missing.linked_accounts(&Config::empty()).map(|a| a.len()), Err(NoAccountsList));
    }

    #[test]
    fn what_json_parse_accepts() {
        assert!(Settings::parse("").is_err());
        assert!(Settings::parse("{\"accounts\": [1,],}").is_err());
        assert_eq!(Settings::parse("null"), Ok(None));
        assert_eq!(Settings::parse("[123]"), Ok(Some(Settings::default())));
        let s = settings("{\"accounts\": {\"0\": 1}, \"localDefaultAccount\": 0}");
        assert_eq!((s.accounts.clone(), s.local_default()), (None, None));
        assert_eq!(settings("{\"localDefaultAccount\": \"\"}").local_default(), None);
        assert_eq!(settings("{\"localDefaultAccount\": \"prod\"}").local_default(), Some(&json!("prod")));
    }

    #[test]
    fn linked_accounts_compare_ids_strictly() {
        let c = config("accounts:\n  - {name: a, accountId: 111}\n  - {name: b, accountId: 222}\n  - {name: q, accountId: '333'}\n");
        assert_eq!(ids(&settings("{\"accounts\": [222, 999]}").linked_accounts(&c).unwrap()), vec![222]);
        // The CLI never matches a string id with a numeric one: the linked list is empty.
        assert!(settings("{\"accounts\": [\"222\"]}").linked_accounts(&c).unwrap().is_empty());
        // An empty list means "not linked": every account.
        assert_eq!(settings("{\"accounts\": []}").linked_accounts(&c).unwrap().len(), 3);
        let quoted = settings("{\"accounts\": [\"333\", 333]}");
        assert_eq!(
            quoted.linked_accounts(&c).unwrap().iter().map(|a| a.name.as_deref()).collect::<Vec<_>>(),
            [Some("q")]
        );
        assert_eq!(quoted.linked_ids(), Ok(vec![333]));
    }

    #[test]
    fn hsaccount_fixtures_and_parse_int() {
        assert_eq!(HsAccount::parse(&fixture("15-hsaccount-valid.hsaccount")), Ok(HsAccount { id: 12345678 }));
        assert_eq!(HsAccount::parse(&fixture("16-hsaccount-invalid-name.hsaccount")), Err(HsAccountError::InvalidId));
        assert_eq!(HsAccount::parse("  222abc\n"), Ok(HsAccount { id: 222 }));
        assert_eq!(HsAccount::parse(" 333\n"), Ok(HsAccount { id: 333 }));
        assert_eq!(HsAccount::parse(""), Err(HsAccountError::InvalidId));
        assert_eq!(HsAccountError::InvalidId.cause(), "DEFAULT_ACCOUNT_OVERRIDE_ERROR_INVALID_ID");
    }

    #[test]
    fn hsaccount_finds_by_numeric_id_only() {
        let c = config("accounts:\n  - {name: '222', accountId: 111}\n  - {name: q, accountId: '333'}\n  - {name: b, accountId: 444}\n");
        assert_eq!(HsAccount { id: 444 }.account(&c).map(|a| a.name.as_deref()), Ok(Some("b")));
        // Not by name, even a name made of digits, and not a quoted id.
        assert_eq!(HsAccount { id: 222 }.account(&c).map(|_| ()), Err(HsAccountError::AccountNotFound { id: 222 }));
        assert_eq!(HsAccount { id: 333 }.account(&c).map(|_| ()), Err(HsAccountError::AccountNotFound { id: 333 }));
        assert_eq!(HsAccountError::AccountNotFound { id: 1 }.cause(), CAUSE_ACCOUNT_NOT_FOUND);
    }
}
