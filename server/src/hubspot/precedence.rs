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
mod tests {
    use serde_json::json;

    use super::*;
    use crate::hubspot::settings::CAUSE_INVALID_ID;
    use crate::hubspot::test_support::{env_of, MemFiles};

    const GLOBAL: &str = "/h/.hscli/config.yml";
    const ACCOUNTS: &str = "defaultAccount: 123\naccounts:\n  - {name: first, accountId: 123, authType: personalaccesskey, personalAccessKey: pak-1}\n  - {name: second, accountId: 456, authType: personalaccesskey}\n  - {name: third, accountId: 12345678, authType: personalaccesskey}\n  - {name: quoted, accountId: '789'}\n";

    fn env(vars: &[(&str, &str)]) -> Env {
        let mut all = vec![("HOME", "/h")];
        all.extend_from_slice(vars);
        env_of(&all, "/")
    }

    fn at(fs: &MemFiles, dir: &str) -> Result<InForceAccount, ResolveError> {
        resolve(&env(&[]), Path::new(dir), fs)
    }

    fn chose(r: Result<InForceAccount, ResolveError>) -> (i64, Source, Option<String>) {
        let a = r.unwrap_or_else(|e| panic!("{e}"));
        (a.account_id.as_i64().unwrap(), a.source, a.path.map(|p| p.display().to_string()))
    }

    fn some(p: &str) -> Option<String> {
        Some(p.to_string())
    }

    #[test]
    fn settings_beat_hsaccount_beat_default() {
        let fs = MemFiles::default()
            .with(GLOBAL, ACCOUNTS)
            .with("/p/.hs/settings.json", include_str!("../../tests/fixtures/spec/12-settings-linked.json"))
            .with("/p/.hsaccount", include_str!("../../tests/fixtures/spec/15-hsaccount-valid.hsaccount"))
            .with("/q/.hsaccount", include_str!("../../tests/fixtures/spec/15-hsaccount-valid.hsaccount"))
            .with("/r/.hs/settings.json", include_str!("../../tests/fixtures/spec/13-settings-after-unlink-all.json"));
        assert_eq!(chose(at(&fs, "/p/sub")), (456, Source::Settings, some("/p/.hs/settings.json")));
        assert_eq!(chose(at(&fs, "/q")), (12345678, Source::HsAccount, some("/q/.hsaccount")));
        // A settings file without a local default does not constrain the default.
        assert_eq!(chose(at(&fs, "/r")), (123, Source::Default, some(GLOBAL)));
        assert_eq!(chose(at(&fs, "/elsewhere")), (123, Source::Default, some(GLOBAL)));
    }

    #[test]
    fn local_default_by_name_and_missing_accounts_list() {
        let fs = MemFiles::default()
            .with(GLOBAL, ACCOUNTS)
            .with("/n/.hs/settings.json", "{\"accounts\": [123], \"localDefaultAccount\": \"third\"}")
            .with("/m/.hs/settings.json", "{\"localDefaultAccount\": 456}")
            .with("/z/.hs/settings.json", "{\"accounts\": [123], \"localDefaultAccount\": 0}")
            .with("/z/.hsaccount", "456");
        assert_eq!(chose(at(&fs, "/n")).0, 12345678);
        // Fixture 26's shape: resolution works, the link-aware paths crash.
        assert_eq!(chose(at(&fs, "/m")).0, 456);
        assert_eq!(
            is_directory_linked(Path::new("/m"), &fs),
            Err(ResolveError::SettingsWithoutAccounts { path: "/m/.hs/settings.json".into() })
        );
        // A falsy local default falls through to `.hsaccount`.
        assert_eq!(chose(at(&fs, "/z")), (456, Source::HsAccount, some("/z/.hsaccount")));
    }

    #[test]
    fn settings_errors() {
        let fs = MemFiles::default()
            .with(GLOBAL, ACCOUNTS)
            .with("/i/.hs/settings.json", include_str!("../../tests/fixtures/spec/14-settings-invalid-default.json"))
            .with("/j/.hs/settings.json", "{\"accounts\": [123],")
            .with("/k/.hs/settings.json", "null");
        let e = at(&fs, "/i").unwrap_err();
        assert_eq!(
            e,
            ResolveError::AccountNotFound {
                identifier: json!(999),
                source: Source::Settings,
                path: Some("/i/.hs/settings.json".into())
            }
        );
        assert!(
            e.to_string().contains("Default account is set to , but no account with that id exists in config"),
            "{e}"
        );
        let e = at(&fs, "/j").unwrap_err();
        assert!(matches!(&e, ResolveError::SettingsInvalid { .. }), "{e:?}");
        assert!(e.to_string().starts_with("An error occurred while reading from \"/j/.hs/settings.json\""), "{e}");
        // `null` is no settings file at all.
        assert_eq!(chose(at(&fs, "/k")).1, Source::Default);
        assert_eq!(is_directory_linked(Path::new("/k"), &fs), Ok(false));
        let unreadable = MemFiles::default().with(GLOBAL, ACCOUNTS).unreadable("/u/.hs/settings.json");
        assert_eq!(
            at(&unreadable, "/u"),
            Err(ResolveError::SettingsUnreadable { path: "/u/.hs/settings.json".into() })
        );
    }

    #[test]
    fn hsaccount_errors_break_resolution() {
        let fs = MemFiles::default()
            .with(GLOBAL, ACCOUNTS)
            .with("/a/.hsaccount", include_str!("../../tests/fixtures/spec/16-hsaccount-invalid-name.hsaccount"))
            .with("/b/.hsaccount", "999")
            .with("/c/.hsaccount", "789");
        let e = at(&fs, "/a/deeper").unwrap_err();
        assert_eq!(e, ResolveError::HsAccount { path: "/a/.hsaccount".into(), error: HsAccountError::InvalidId });
        assert!(e.to_string().starts_with("Error in /a/.hsaccount (DEFAULT_ACCOUNT_OVERRIDE_ERROR_INVALID_ID)"), "{e}");
        assert!(e.to_string().contains(CAUSE_INVALID_ID));
        assert_eq!(
            at(&fs, "/b"),
            Err(ResolveError::HsAccount {
                path: "/b/.hsaccount".into(),
                error: HsAccountError::AccountNotFound { id: 999 }
            })
        );
        // A quoted id in the config is never found by `.hsaccount`.
        assert_eq!(
            at(&fs, "/c"),
            Err(ResolveError::HsAccount {
                path: "/c/.hsaccount".into(),
                error: HsAccountError::AccountNotFound { id: 789 }
            })
        );
    }

    #[test]
    fn hsaccount_only_with_the_global_config() {
        let legacy =
            "defaultPortal: second\nportals:\n  - {name: first, portalId: 123}\n  - {name: second, portalId: 456}\n";
        let fs = MemFiles::default()
            .with("/p/hubspot.config.yml", legacy)
            .with("/p/.hsaccount", "123")
            .with("/custom.yml", ACCOUNTS)
            .with(GLOBAL, ACCOUNTS);
        let no_global = MemFiles::default().with("/p/hubspot.config.yml", legacy).with("/p/.hsaccount", "123");
        assert_eq!(chose(at(&no_global, "/p")), (456, Source::Default, some("/p/hubspot.config.yml")));
        let custom = env(&[("HUBSPOT_CONFIG_PATH", "/custom.yml")]);
        assert_eq!(chose(resolve(&custom, Path::new("/p"), &fs)), (123, Source::Default, some("/custom.yml")));
        let global_by_name = env(&[("HUBSPOT_CONFIG_PATH", GLOBAL)]);
        assert_eq!(
            chose(resolve(&global_by_name, Path::new("/p"), &fs)),
            (123, Source::HsAccount, some("/p/.hsaccount"))
        );
    }

    #[test]
    fn env_mode() {
        let vars = [
            ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
            ("HUBSPOT_PORTAL_ID", "4343"),
            ("HUBSPOT_PERSONAL_ACCESS_KEY", "k"),
        ];
        let e = env(&vars);
        // With a global file: the env account, not the file's default.
        let fs = MemFiles::default().with(GLOBAL, ACCOUNTS);
        assert_eq!(
            resolve(&e, Path::new("/p"), &fs),
            Ok(InForceAccount { account_id: json!(4343), name: Some("4343".into()), source: Source::Env, path: None })
        );
        // No config file anywhere: the CLI fails without `--use-env`.
        assert_eq!(resolve(&e, Path::new("/p"), &MemFiles::default()), Err(ResolveError::EnvModeWithoutConfigFile));
        // A legacy file is enough, and `.hsaccount` is then not consulted.
        let legacy = MemFiles::default().with("/p/hubspot.config.yml", "accounts: []\n").with("/p/.hsaccount", "1");
        assert_eq!(resolve(&e, Path::new("/p"), &legacy).map(|a| a.source), Ok(Source::Env));
        // With the global file, `.hsaccount` is consulted against the env account, and fails.
        let fs = MemFiles::default().with(GLOBAL, ACCOUNTS).with("/p/.hsaccount", "123");
        assert!(matches!(
            resolve(&e, Path::new("/p"), &fs),
            Err(ResolveError::HsAccount { error: HsAccountError::AccountNotFound { id: 123 }, .. })
        ));
        let fs = MemFiles::default().with(GLOBAL, ACCOUNTS).with("/p/.hsaccount", "4343");
        assert_eq!(resolve(&e, Path::new("/p"), &fs).map(|a| a.source), Ok(Source::HsAccount));
        // Settings are checked even in env mode.
        let fs =
            MemFiles::default().with("/p/.hs/settings.json", "{\"accounts\": [4343], \"localDefaultAccount\": 4343}");
        assert_eq!(resolve(&e, Path::new("/p"), &fs).map(|a| a.source), Ok(Source::Settings));
        let nan = env(&[vars[0], ("HUBSPOT_ACCOUNT_ID", "abc"), vars[2]]);
        let fs = MemFiles::default().with(GLOBAL, ACCOUNTS);
        assert_eq!(
            resolve(&nan, Path::new("/p"), &fs),
            Err(ResolveError::NoDefault { source: Source::Env, path: None })
        );
        let broken = env(&[vars[0]]);
        assert!(matches!(
            resolve(&broken, Path::new("/p"), &fs),
            Err(ResolveError::Config(ConfigError::Environment(_)))
        ));
    }

    #[test]
    fn default_account_by_name_and_unusable_ones() {
        let fs = MemFiles::default()
            .with(GLOBAL, include_str!("../../tests/fixtures/spec/08-edge-string-account-id-and-default-by-name.yml"));
        assert_eq!(chose(at(&fs, "/p")), (456, Source::Default, some(GLOBAL)));
        let fs =
            MemFiles::default().with(GLOBAL, "defaultAccount: first\naccounts:\n  - {name: first, accountId: '123'}\n");
        // The CLI goes on with the quoted id (its requests send it as it is): so do we.
        let a = at(&fs, "/p").unwrap();
        assert_eq!((a.account_id, a.name.as_deref()), (json!("123"), Some("first")));
        let fs = MemFiles::default().with(GLOBAL, "accounts:\n  - {name: first, accountId: 1}\n");
        assert_eq!(at(&fs, "/p"), Err(ResolveError::NoDefault { source: Source::Default, path: Some(GLOBAL.into()) }));
        let fs =
            MemFiles::default().with(GLOBAL, "defaultAccount: nobody\naccounts:\n  - {name: first, accountId: 1}\n");
        let e = at(&fs, "/p").unwrap_err();
        assert!(
            e.to_string().starts_with("`defaultAccount` \"nobody\" in /h/.hscli/config.yml names no account"),
            "{e}"
        );
        assert!(e.to_string().contains("fail with “An account needs to be supplied either via \"--account\" or through setting a \"defaultAccount\"”."), "{e}");
        assert!(matches!(at(&MemFiles::default(), "/p"), Err(ResolveError::Config(ConfigError::NotFound))));
    }

    #[test]
    fn linked_accounts_of_a_directory() {
        let fs = MemFiles::default()
            .with(GLOBAL, ACCOUNTS)
            .with("/p/.hs/settings.json", include_str!("../../tests/fixtures/spec/12-settings-linked.json"))
            .with("/r/.hs/settings.json", include_str!("../../tests/fixtures/spec/13-settings-after-unlink-all.json"));
        let config = load_config(&env(&[]), Path::new("/p"), &fs).unwrap().config;
        let ids = |dir: &str| {
            linked_or_all_accounts(&config, Path::new(dir), &fs)
                .map(|v| v.iter().filter_map(|a| a.account_id).collect::<Vec<_>>())
        };
        assert_eq!(ids("/p/a"), Ok(vec![123, 456]));
        assert_eq!(ids("/r"), Ok(vec![123, 456, 12345678]));
        assert_eq!(ids("/"), Ok(vec![123, 456, 12345678]));
        assert_eq!(is_directory_linked(Path::new("/p/a"), &fs), Ok(true));
        assert_eq!(is_directory_linked(Path::new("/r"), &fs), Ok(false));
        assert_eq!(is_directory_linked(Path::new("/"), &fs), Ok(false));
    }

    #[test]
    fn serialises_as_the_resolve_command_answers() {
        let a = InForceAccount {
            account_id: json!(456),
            name: Some("second".into()),
            source: Source::HsAccount,
            path: Some("/p/.hsaccount".into()),
        };
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"accountId": 456, "name": "second", "source": "hsaccount", "path": "/p/.hsaccount"})
        );
        let e = InForceAccount { account_id: json!(1), name: None, source: Source::Env, path: None };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"accountId": 1, "name": null, "source": "env", "path": null})
        );
        for (s, text) in [(Source::Settings, "settings"), (Source::Default, "default")] {
            assert_eq!(serde_json::to_value(s).unwrap(), json!(text));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        /// Any content in any of the three files, in or out of env mode: an answer, never a panic.
        #[test]
        fn any_files_resolve_without_panic(config in "\\PC{0,120}", settings in "\\PC{0,60}", hsaccount in "\\PC{0,12}", env_mode: bool, pick in 0usize..4) {
            let seeds = [ACCOUNTS, "{\"accounts\": [123], \"localDefaultAccount\": \"first\"}", "0x7b", "portals:\n  - {portalId: 1}\n"];
            let fs = MemFiles::default().with(GLOBAL, if pick == 0 { seeds[0] } else { &config }).with("/p/.hs/settings.json", if pick == 1 { seeds[1] } else { &settings }).with("/p/.hsaccount", if pick == 2 { seeds[2] } else { &hsaccount }).with("/p/hubspot.config.yml", seeds[3]);
            let e = if env_mode { env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_ACCOUNT_ID", &hsaccount), ("HUBSPOT_API_KEY", "k")]) } else { env(&[]) };
            let r = resolve(&e, Path::new("/p/q"), &fs);
            let _ = r.as_ref().map_err(ToString::to_string);
            let _ = is_directory_linked(Path::new("/p"), &fs);
            if let Ok(loaded) = load_config(&e, Path::new("/p"), &fs) {
                let _ = linked_or_all_accounts(&loaded.config, Path::new("/p"), &fs);
            }
        }
    }

    #[test]
    fn nothing_secret_in_errors_or_results() {
        let fs = MemFiles::default().with(GLOBAL, ACCOUNTS).with("/p/.hsaccount", "pak-1");
        let e = at(&fs, "/p").unwrap_err();
        let chosen = at(&MemFiles::default().with(GLOBAL, ACCOUNTS), "/p").unwrap();
        for text in [e.to_string(), format!("{e:?}"), format!("{chosen:?}"), serde_json::to_string(&chosen).unwrap()] {
            assert!(!text.contains("pak-1"), "{text}");
        }
    }
}
