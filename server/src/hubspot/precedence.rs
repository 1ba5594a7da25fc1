//! Which account a command run in a directory uses when no `--account` is given: LDL
//! `getConfigDefaultAccount()`, in its order and with its failures (docs/hubspot-cli.md,
//! *Account precedence*):
//!
//! 1. the nearest `.hs/settings.json` with a truthy `localDefaultAccount`, resolved by
//!    inferred identifier against the config's accounts (also in env mode);
//! 2. else, only when the config path in use is the global one and that file exists, the
//!    nearest `.hsaccount` (by numeric id only);
//! 3. else the config's `defaultAccount` (in env mode, `HUBSPOT_ACCOUNT_ID`).
//!
//! Also the linked accounts of a directory (`getLinkedOrAllConfigAccounts`,
//! `isDirectoryLinked`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::discovery::{
    file_ignoring_env_mode, find_up, ConfigKind, ConfigLocation, Env, Files, HSACCOUNT_FILE, SETTINGS_FILE,
};
use super::load::{load_config, ConfigError, LoadedConfig};
use super::model::{Account, Config};
use super::settings::{HsAccount, HsAccountError, Settings};

/// What decided the account: the `source` that `hubspot.account.resolve` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Env mode: the account `HUBSPOT_ACCOUNT_ID` (or `HUBSPOT_PORTAL_ID`) describes.
    Env,
    /// `.hs/settings.json` `localDefaultAccount`.
    Settings,
    /// `.hsaccount`.
    #[serde(rename = "hsaccount")]
    HsAccount,
    /// The config's `defaultAccount`.
    Default,
}

impl Source {
    fn describe(self) -> &'static str {
        match self {
            Source::Env => "HUBSPOT_ACCOUNT_ID",
            Source::Settings => "`localDefaultAccount`",
            Source::HsAccount => "`.hsaccount`",
            Source::Default => "`defaultAccount`",
        }
    }
}

/// The account in force for a directory, and why. Serialises as the result of
/// `hubspot.account.resolve`: `{accountId, name, source, path}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InForceAccount {
    /// As written: a quoted id reached by name stays the string the CLI uses.
    pub account_id: Value,
    pub name: Option<String>,
    pub source: Source,
    /// The file that decided: the settings file, the `.hsaccount`, or the config file;
    /// `None` in env mode.
    #[serde(serialize_with = "lossy_path")]
    pub path: Option<PathBuf>,
}

fn lossy_path<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => s.serialize_str(&p.to_string_lossy()),
        None => s.serialize_none(),
    }
}

/// The resolved account itself, for callers that go on to use it (auth, API calls).
#[derive(Clone, Debug)]
pub struct Chosen<'c> {
    pub account: &'c Account,
    pub source: Source,
    pub path: Option<PathBuf>,
}

impl Chosen<'_> {
    pub fn in_force(&self) -> InForceAccount {
        InForceAccount {
            account_id: self.account.raw_account_id.clone().unwrap_or(Value::Null),
            name: self.account.name.clone(),
            source: self.source,
            path: self.path.clone(),
        }
    }
}

/// Why no account is in force; `Display` says what the CLI would say and what to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ResolveError {
    /// The config itself cannot be read (checked first, as `getConfig()` runs first).
    Config(ConfigError),
    SettingsUnreadable {
        path: PathBuf,
    },
    /// Not JSON: a `FileSystemError` that breaks resolution for the whole subtree.
    SettingsInvalid {
        path: PathBuf,
        detail: String,
    },
    /// No `accounts` list, which only the link-aware paths crash on.
    SettingsWithoutAccounts {
        path: PathBuf,
    },
    HsAccountUnreadable {
        path: PathBuf,
    },
    /// `Error in <path>`, with the CLI's cause.
    HsAccount {
        path: PathBuf,
        error: HsAccountError,
    },
    /// Env mode, no local default, and no config file anywhere: the CLI still asks for a
    /// config path here and fails (docs/hubspot-cli.md, *Environment-variable mode*).
    EnvModeWithoutConfigFile,
    /// `NO_DEFAULT_ACCOUNT`. `path` is the config file (none in env mode).
    NoDefault {
        source: Source,
        path: Option<PathBuf>,
    },
    /// `ACCOUNT_NOT_FOUND`: the identifier that `source` (in `path`) gives names no account.
    AccountNotFound {
        identifier: Value,
        source: Source,
        path: Option<PathBuf>,
    },
}

/// The CLI's words when no account resolves, quoted with marks that do not clash
/// with its own double quotes.
const NEEDS_ACCOUNT: &str =
    "“An account needs to be supplied either via \"--account\" or through setting a \"defaultAccount\"”";

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |p: &Option<PathBuf>| p.as_ref().map(|p| format!(" in {}", p.display())).unwrap_or_default();
        match self {
            ResolveError::Config(e) => e.fmt(f),
            ResolveError::SettingsUnreadable { path } => write!(
                f,
                "An error occurred while reading from \"{}\": it cannot be read, so every `hs` command in this folder fails to find its default account. Check its permissions.",
                path.display()
            ),
            ResolveError::SettingsInvalid { path, detail } => write!(
                f,
                "An error occurred while reading from \"{}\": it is not valid JSON ({detail}), so every `hs` command in this folder fails with {NEEDS_ACCOUNT}. Fix the JSON, or delete it and run `hs account link`.",
                path.display()
            ),
            ResolveError::SettingsWithoutAccounts { path } => write!(
                f,
                "{} has no `accounts` list: `hs account list` and the other link-aware commands crash on it (TypeError). Add \"accounts\": [<id>, ...].",
                path.display()
            ),
            ResolveError::HsAccountUnreadable { path } => write!(f, "Error in {}: it cannot be read. Check its permissions, or delete it.", path.display()),
            ResolveError::HsAccount { path, error } => {
                write!(f, "Error in {} ({}): {error}, and every `hs` command in this folder fails. ", path.display(), error.cause())?;
                f.write_str(match error {
                    HsAccountError::InvalidId => "Write the account's id instead, or delete the file (`hs account remove-override`).",
                    HsAccountError::AccountNotFound { .. } => "Authenticate that account (`hs account auth`), or fix the id.",
                })
            }
            ResolveError::EnvModeWithoutConfigFile => write!(
                f,
                "USE_ENVIRONMENT_HUBSPOT_CONFIG=true, but resolving the default account still looks for a config file and there is none: commands fail with {NEEDS_ACCOUNT}. Run them with `--use-env`, or create ~/.hscli/config.yml (`accounts: []` is enough)."
            ),
            ResolveError::NoDefault { source: Source::Env, .. } => write!(
                f,
                "HUBSPOT_ACCOUNT_ID is no account id (`parseInt` reads NaN or 0), so env mode has no default account: commands fail with {NEEDS_ACCOUNT}. Set HUBSPOT_ACCOUNT_ID to the account id."
            ),
            ResolveError::NoDefault { path, .. } => write!(
                f,
                "No default account{}: commands without `--account` fail with {NEEDS_ACCOUNT}. Choose one with `hs account use <account>`.",
                at(path)
            ),
            ResolveError::AccountNotFound { identifier, source, path } => {
                let shown = match identifier {
                    Value::String(s) => format!("\"{s}\""),
                    other => other.to_string(),
                };
                write!(f, "{} {shown}{} names no account in the config", source.describe(), at(path))?;
                if *source == Source::Settings {
                    // The CLI's message loses the id: "Default account is set to , but ...".
                    f.write_str(" (the CLI says \"Default account is set to , but no account with that id exists in config\")")?;
                }
                write!(f, ": commands without `--account` fail with {NEEDS_ACCOUNT}. ")?;
                f.write_str(match source {
                    Source::Settings => "Pick a configured account with `hs account use`, or authenticate this one.",
                    _ => "Pick a configured account with `hs account use <account>`.",
                })
            }
        }
    }
}

impl std::error::Error for ResolveError {}

impl From<ConfigError> for ResolveError {
    fn from(e: ConfigError) -> ResolveError {
        ResolveError::Config(e)
    }
}

/// The account in force in `dir`: the config read first, then the precedence above.
pub fn resolve(env: &Env, dir: &Path, files: &(impl Files + ?Sized)) -> Result<InForceAccount, ResolveError> {
    let loaded = load_config(env, dir, files)?;
    resolve_in(&loaded, env, dir, files).map(|c| c.in_force())
}

/// The precedence above, against a config already loaded for `dir`.
pub fn resolve_in<'c>(
    loaded: &'c LoadedConfig,
    env: &Env,
    dir: &Path,
    files: &(impl Files + ?Sized),
) -> Result<Chosen<'c>, ResolveError> {
    let config = &loaded.config;
    let local = read_settings(dir, files)?.and_then(|(path, s)| s.local_default().cloned().map(|v| (path, v)));
    let (identifier, source, path) = match local {
        Some((path, v)) => (v, Source::Settings, Some(path)),
        None => match hsaccount_override(loaded, env, dir, files)? {
            Some((path, id)) => (Value::from(id), Source::HsAccount, Some(path)),
            None => {
                let (source, path) = match &loaded.location {
                    ConfigLocation::Environment => (Source::Env, None),
                    other => (Source::Default, other.path().map(Path::to_path_buf)),
                };
                match &config.default_account {
                    Some(d) => (d.clone(), source, path),
                    None => return Err(ResolveError::NoDefault { source, path }),
                }
            }
        },
    };
    let Some(account) = config.find(&identifier) else {
        return Err(ResolveError::AccountNotFound { identifier, source, path });
    };
    Ok(Chosen { account, source, path })
}

/// `getHsSettingsFileIfExists()`: the nearest settings file, parsed. A file holding `null`
/// counts as none, as it does for every check the CLI makes.
pub fn read_settings(dir: &Path, files: &(impl Files + ?Sized)) -> Result<Option<(PathBuf, Settings)>, ResolveError> {
    let Some(path) = find_up(dir, SETTINGS_FILE, files) else { return Ok(None) };
    let Some(text) = files.read(&path) else { return Err(ResolveError::SettingsUnreadable { path }) };
    match Settings::parse(&text) {
        Ok(settings) => Ok(settings.map(|s| (path, s))),
        Err(e) => Err(ResolveError::SettingsInvalid { path, detail: e.detail }),
    }
}

/// `getDefaultAccountOverrideAccountId`, when the CLI consults it at all: the config path in
/// use is the global one and exists. In env mode that path is what `getConfigFilePath()`
/// finds ignoring the environment, and finding nothing is an error.
fn hsaccount_override(
    loaded: &LoadedConfig,
    env: &Env,
    dir: &Path,
    files: &(impl Files + ?Sized),
) -> Result<Option<(PathBuf, i64)>, ResolveError> {
    let global_in_use = match &loaded.location {
        ConfigLocation::Environment => match file_ignoring_env_mode(env, dir, files) {
            Some((kind, _)) => kind == ConfigKind::Global,
            None => return Err(ResolveError::EnvModeWithoutConfigFile),
        },
        other => other.honours_hsaccount(),
    };
    if !global_in_use {
        return Ok(None);
    }
    let Some(path) = find_up(dir, HSACCOUNT_FILE, files) else { return Ok(None) };
    let Some(text) = files.read(&path) else { return Err(ResolveError::HsAccountUnreadable { path }) };
    match HsAccount::parse(&text).and_then(|h| h.account(&loaded.config)) {
        // `overrideId || defaultAccount`: an account numbered 0 falls through.
        Ok(account) => Ok(account.account_id.filter(|id| *id != 0).map(|id| (path, id))),
        Err(error) => Err(ResolveError::HsAccount { path, error }),
    }
}

/// The CLI's `isDirectoryLinked`: a settings file up the tree whose `accounts` is non-empty.
pub fn is_directory_linked(dir: &Path, files: &(impl Files + ?Sized)) -> Result<bool, ResolveError> {
    match read_settings(dir, files)? {
        None => Ok(false),
        Some((path, s)) => s.is_linked().map_err(|_| ResolveError::SettingsWithoutAccounts { path }),
    }
}

/// `getLinkedOrAllConfigAccounts()`: the accounts a linked directory may use, or all of them.
pub fn linked_or_all_accounts<'c>(
    config: &'c Config,
    dir: &Path,
    files: &(impl Files + ?Sized),
) -> Result<Vec<&'c Account>, ResolveError> {
    match read_settings(dir, files)? {
        None => Ok(config.accounts.iter().collect()),
        Some((path, s)) => s.linked_accounts(config).map_err(|_| ResolveError::SettingsWithoutAccounts { path }),
    }
}

#[cfg(test)]
#[path = "precedence_tests.rs"]
mod tests;
