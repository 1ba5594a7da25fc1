//! Reading the config in force the way `getConfig()` does: locate it, read it, `js-yaml`
//! load, normalise, or build it from the environment (docs/hubspot-cli.md, *Reading the
//! config* and *Read-time normalisation*).
//! The failures are the ones the CLI reports as `No config file found at <path>.` whatever
//! the real cause, so each carries the real cause for a better message.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::discovery::{locate, ConfigLocation, Env, EnvMode, Files};
use super::env_config::EnvConfigError;
use super::model::{truthy, Config};

/// A config the CLI can read, and where it came from: [`ConfigLocation::File`] or
/// [`ConfigLocation::Environment`], never any other variant.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedConfig {
    pub location: ConfigLocation,
    pub config: Config,
}

/// Why a file's text is no config to the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unparsable {
    /// `js-yaml` rejects it; the parser's first message.
    Syntax(String),
    /// Empty, only comments, or `null`: `normalizeParsedConfig` throws a TypeError.
    Empty,
    /// A scalar document, or a `portals` the normalisation cannot walk: a TypeError too.
    Shape(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG=true` together with `HUBSPOT_CONFIG_PATH`.
    Conflict,
    /// No global config and no `hubspot.config.yml` up the tree.
    NotFound,
    /// `HUBSPOT_CONFIG_PATH` names a file that does not exist.
    Missing {
        path: PathBuf,
    },
    /// The file exists but cannot be read.
    Unreadable {
        path: PathBuf,
    },
    Unparsable {
        path: PathBuf,
        why: Unparsable,
    },
    /// Env mode, and the variables do not make a config.
    Environment(EnvConfigError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Conflict => f.write_str(
                "USE_ENVIRONMENT_HUBSPOT_CONFIG and HUBSPOT_CONFIG_PATH cannot both be set simultaneously (the CLI refuses every command). Unset one of them.",
            ),
            ConfigError::NotFound => f.write_str(
                "No HubSpot config file: the CLI says \"Config file not found, run hs account auth to configure your account\". Run `hs account auth` to create ~/.hscli/config.yml.",
            ),
            ConfigError::Missing { path } => write!(
                f,
                "No config file found at {}. (HUBSPOT_CONFIG_PATH or configPath names it.) Create it with `hs account auth`, or fix the path.",
                path.display()
            ),
            ConfigError::Unreadable { path } => write!(
                f,
                "No config file found at {}: it exists but cannot be read as a file (a folder, a FIFO, or a file you may not read), and every `hs` command fails on it. Move it aside, or fix its permissions.",
                path.display()
            ),
            ConfigError::Unparsable { path, why } => {
                write!(f, "An error occurred while reading your HubSpot config file: No config file found at {}. ", path.display())?;
                match why {
                    Unparsable::Syntax(m) => write!(f, "The real cause: it is not valid YAML ({m})."),
                    Unparsable::Empty => f.write_str("The real cause: the file is empty. Write `accounts: []` at least, or run `hs account auth`."),
                    Unparsable::Shape(what) => write!(f, "The real cause: {what}."),
                }
            }
            ConfigError::Environment(e) => write!(f, "{e} (USE_ENVIRONMENT_HUBSPOT_CONFIG=true builds the config from environment variables)."),
        }
    }
}

impl std::error::Error for ConfigError {}

/// `getConfig()` for a directory.
pub fn load_config(env: &Env, dir: &Path, files: &(impl Files + ?Sized)) -> Result<LoadedConfig, ConfigError> {
    let location = locate(env, dir, files);
    let config = match &location {
        ConfigLocation::Conflict => return Err(ConfigError::Conflict),
        ConfigLocation::None => return Err(ConfigError::NotFound),
        ConfigLocation::Missing { path } => return Err(ConfigError::Missing { path: path.clone() }),
        ConfigLocation::Environment => match &env.mode {
            EnvMode::On(built) => built.clone().map_err(ConfigError::Environment)?,
            // `locate` answers `Environment` only in this mode.
            EnvMode::Off | EnvMode::WritesSuppressed => return Err(ConfigError::NotFound),
        },
        ConfigLocation::File { path, .. } => {
            let text = files.read(path).ok_or_else(|| ConfigError::Unreadable { path: path.clone() })?;
            parse_config(&text).map_err(|why| ConfigError::Unparsable { path: path.clone(), why })?
        }
    };
    Ok(LoadedConfig { location, config })
}

/// `parseConfig`: `js-yaml` load, then `normalizeParsedConfig`, failing
/// where they throw.
pub fn parse_config(text: &str) -> Result<Config, Unparsable> {
    let tree = crate::syntax::yaml::parse(text);
    if let Some(e) = tree.errors.first() {
        return Err(Unparsable::Syntax(e.message.clone()));
    }
    match &tree.value {
        Value::Null => Err(Unparsable::Empty),
        // Setting `accounts` on a primitive throws in the library's strict-mode code; on a
        // list it works, and the list's items are ignored.
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            Err(Unparsable::Shape("the file holds a single value, not a mapping"))
        }
        Value::Array(_) => Ok(Config::empty()),
        Value::Object(map) => {
            // `portals.map(...)` then sets `accountType` on each entry.
            match map.get("portals").filter(|p| truthy(p)) {
                Some(Value::Array(items)) if items.iter().any(|i| !i.is_object()) => {
                    return Err(Unparsable::Shape("an entry of `portals` is not a mapping"));
                }
                Some(Value::Array(_)) | None => {}
                Some(_) => return Err(Unparsable::Shape("`portals` is not a list")),
            }
            Ok(Config::from_value(&tree.value))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hubspot::discovery::ConfigKind;
    use crate::hubspot::test_support::{env_of, fixture, MemFiles};

    fn env(vars: &[(&str, &str)]) -> Env {
        env_of(vars, "/")
    }

    #[test]
    fn reads_the_file_in_force() {
        let fs = MemFiles::default().with("/h/.hscli/config.yml", &fixture("01-global-after-first-auth.yml"));
        let loaded = load_config(&env(&[("HOME", "/h")]), Path::new("/p"), &fs).unwrap();
        assert_eq!(
            loaded.location,
            ConfigLocation::File { kind: ConfigKind::Global, path: PathBuf::from("/h/.hscli/config.yml") }
        );
        assert_eq!(loaded.config.default().and_then(|a| a.name.as_deref()), Some("my-company-inc"));
    }

    #[test]
    fn failures_say_where_and_why() {
        let fs = MemFiles::default().unreadable("/bad.yml").with("/p/hubspot.config.yml", "accounts: [\n");
        assert_eq!(load_config(&env(&[]), Path::new("/q"), &fs), Err(ConfigError::NotFound));
        assert_eq!(
            load_config(&env(&[("HUBSPOT_CONFIG_PATH", "/x.yml")]), Path::new("/q"), &fs),
            Err(ConfigError::Missing { path: "/x.yml".into() })
        );
        assert_eq!(
            load_config(&env(&[("HUBSPOT_CONFIG_PATH", "/bad.yml")]), Path::new("/q"), &fs),
            Err(ConfigError::Unreadable { path: "/bad.yml".into() })
        );
        let unreadable = ConfigError::Unreadable { path: "/bad.yml".into() }.to_string();
        assert!(unreadable.contains("/bad.yml: it exists but cannot be read as a file (a folder"), "{unreadable}");
        let conflict = env(&[("HUBSPOT_CONFIG_PATH", "/bad.yml"), ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true")]);
        assert_eq!(load_config(&conflict, Path::new("/q"), &fs), Err(ConfigError::Conflict));
        let broken = load_config(&env(&[]), Path::new("/p"), &fs).unwrap_err();
        assert!(matches!(&broken, ConfigError::Unparsable { why: Unparsable::Syntax(_), .. }), "{broken:?}");
        assert!(broken.to_string().starts_with(
            "An error occurred while reading your HubSpot config file: No config file found at /p/hubspot.config.yml. "
        ));
    }

    #[test]
    fn env_mode_reads_no_file() {
        let fs = MemFiles::default();
        let e = env(&[
            ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
            ("HUBSPOT_ACCOUNT_ID", "4242"),
            ("HUBSPOT_API_KEY", "k"),
        ]);
        let loaded = load_config(&e, Path::new("/q"), &fs).unwrap();
        assert_eq!((loaded.location, loaded.config.accounts[0].account_id), (ConfigLocation::Environment, Some(4242)));
        let e = env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true")]);
        assert_eq!(
            load_config(&e, Path::new("/q"), &fs),
            Err(ConfigError::Environment(EnvConfigError::MissingAccountId))
        );
    }

    #[test]
    fn what_normalisation_survives() {
        assert_eq!(parse_config(""), Err(Unparsable::Empty));
        assert_eq!(parse_config("# only a comment\n"), Err(Unparsable::Empty));
        assert_eq!(parse_config("null\n"), Err(Unparsable::Empty));
        assert!(matches!(parse_config("just text\n"), Err(Unparsable::Shape(_))));
        assert!(matches!(parse_config("portals:\n  - \n"), Err(Unparsable::Shape(_))));
        assert!(matches!(parse_config("portals: {a: 1}\n"), Err(Unparsable::Shape(_))));
        assert_eq!(parse_config("{}\n").map(|c| c.accounts.len()), Ok(0));
        assert_eq!(parse_config("accounts:\n").map(|c| c.accounts.len()), Ok(0));
        assert_eq!(parse_config("- a\n- b\n").map(|c| c.accounts.len()), Ok(0));
        // `portals: []` is falsy-safe: an empty list is truthy in JavaScript and maps to nothing.
        assert_eq!(parse_config("portals: []\naccounts:\n  - {accountId: 1}\n").map(|c| c.accounts.len()), Ok(0));
    }
}
