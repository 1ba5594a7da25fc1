//! Where the CLI looks: the process inputs that matter ([`Env`]), which config file it reads
//! for a directory ([`locate`]), and the upward searches for the legacy config and the
//! per-directory files. See docs/hubspot-cli.md, *Where the config is*.
//!
//! Nothing here touches the disk directly: every probe goes through [`Files`], so the
//! language server can answer from open buffers and tests can answer from a list.

use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};

use super::env_config::{self, EnvConfigError};
use super::model::Config;

/// `~/.hscli`, the global config folder.
pub const GLOBAL_DIR: &str = ".hscli";
/// `~/.hscli/config.yml`. Only `.yml`: the CLI does not recognise a `config.yaml` there.
pub const GLOBAL_FILE: &str = "config.yml";
/// The legacy names, in the order the CLI tries them in each directory.
pub const LEGACY_FILES: [&str; 2] = ["hubspot.config.yml", "hubspot.config.yaml"];
/// The linked-directory settings, relative to the directory they speak for (the nearest
/// one walking up applies).
pub const SETTINGS_FILE: &str = ".hs/settings.json";
/// The per-directory default account override (the nearest one walking up applies).
pub const HSACCOUNT_FILE: &str = ".hsaccount";

/// What discovery needs to know about files. `exists` is the CLI's test (`fs.existsSync`:
/// any entry, links followed), so a directory or FIFO at a config path is found and then
/// fails to read, as it does for the CLI. `read` is `None` for a missing or unreadable file.
pub trait Files {
    fn exists(&self, path: &Path) -> bool;
    fn read(&self, path: &Path) -> Option<String>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl Files for Disk {
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn read(&self, path: &Path) -> Option<String> {
        // The CLI reads as UTF-8 and never fails on bad bytes; neither do we.
        super::read::read_bytes(path).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

/// The process inputs that decide where the CLI looks and what it reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Env {
    /// `HOME`, made absolute. `None` when unset or empty.
    pub home: Option<PathBuf>,
    /// `HUBSPOT_CONFIG_PATH`, or `initializationOptions.configPath` (which wins), made
    /// absolute the way the CLI's `--config` is (joined onto the current directory).
    pub config_path: Option<PathBuf>,
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG`.
    pub mode: EnvMode,
    /// `config_path` as written is exactly the CLI's spelling of the global path
    /// (`path.join(HOME, ".hscli", "config.yml")`): the CLI compares the strings, so
    /// `~/.hscli/./config.yml` is a custom config to it, and `.hsaccount` is ignored.
    pub config_path_names_global: bool,
}

/// `USE_ENVIRONMENT_HUBSPOT_CONFIG`, which the CLI reads two ways: config reading wants
/// exactly `"true"`, token write-back any non-empty value (see docs/hubspot-cli.md,
/// *Environment-variable mode*).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum EnvMode {
    /// Unset or empty.
    #[default]
    Off,
    /// Set to anything but `true` (`1`, `TRUE`, `yes`): files are read as usual, but
    /// refreshed tokens are never written back to them.
    WritesSuppressed,
    /// Exactly `true`: no file is read; the config is `buildConfigFromEnvironment()`.
    On(Result<Config, EnvConfigError>),
}

impl Env {
    /// From a variable lookup, so tests need no process environment. `cwd` is what relative
    /// paths are joined onto; `config_path_override` is `initializationOptions.configPath`.
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>, cwd: &Path, config_path_override: Option<PathBuf>) -> Env {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let absolute = |p: PathBuf| if p.is_absolute() { p } else { cwd.join(p) };
        let mode = match set("USE_ENVIRONMENT_HUBSPOT_CONFIG") {
            None => EnvMode::Off,
            Some(v) if v == OsStr::new("true") => {
                EnvMode::On(env_config::build(|k| var(k).and_then(|v| v.into_string().ok())))
            }
            Some(_) => EnvMode::WritesSuppressed,
        };
        let written = config_path_override
            .filter(|p| !p.as_os_str().is_empty())
            .or_else(|| set("HUBSPOT_CONFIG_PATH").map(PathBuf::from));
        let home = set("HOME").map(PathBuf::from);
        let config_path_names_global = match (&written, &home) {
            (Some(p), Some(h)) => {
                p.to_str().is_some_and(|p| Some(p) == node_join(h.to_str().unwrap_or_default()).as_deref())
            }
            _ => false,
        };
        Env { home: home.map(absolute), config_path: written.map(absolute), mode, config_path_names_global }
    }

    pub fn from_process(config_path_override: Option<PathBuf>) -> Env {
        let cwd = std::env::current_dir().unwrap_or_default();
        Env::from_vars(|k| std::env::var_os(k), &cwd, config_path_override)
    }

    /// `<home>/.hscli/config.yml`.
    pub fn global_path(&self) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join(GLOBAL_DIR).join(GLOBAL_FILE))
    }

    /// The file in the global config's place: the explicit path, else `~/.hscli/config.yml`
    /// (what the `hs` CLI reads too). What the server serves and watches as the global config.
    pub fn config_file(&self) -> Option<PathBuf> {
        self.config_path.clone().or_else(|| self.global_path())
    }

    pub fn is_global_path(&self, path: &Path) -> bool {
        self.global_path().is_some_and(|g| same_path(&g, path))
    }

    /// Env-var config mode: `USE_ENVIRONMENT_HUBSPOT_CONFIG=true`.
    pub fn use_env(&self) -> bool {
        matches!(self.mode, EnvMode::On(_))
    }

    /// Whether refreshed tokens may be written back to the config file: never while
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG` has any value.
    pub fn persists_tokens(&self) -> bool {
        self.mode == EnvMode::Off
    }
}

/// Node's `path.join(home, ".hscli", "config.yml")`: `.` and empty segments dropped, `..`
/// applied, one `/` between segments. `None` for a relative home (never equal to a path the
/// CLI would compare it with in practice, and not worth guessing).
fn node_join(home: &str) -> Option<String> {
    if !home.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in home.split('/').chain([GLOBAL_DIR, GLOBAL_FILE]) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Which kind of config file is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigKind {
    /// `~/.hscli/config.yml`, found or named by `HUBSPOT_CONFIG_PATH`.
    Global,
    /// `HUBSPOT_CONFIG_PATH`/`configPath` pointing elsewhere than the global path: read like
    /// the global config, but the CLI writes it in the legacy shape and ignores `.hsaccount`.
    Custom,
    /// A `hubspot.config.yml`/`.yaml` found walking up.
    Legacy,
}

/// Which config the CLI reads for one directory (docs/hubspot-cli.md, *Where the config is*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigLocation {
    /// `USE_ENVIRONMENT_HUBSPOT_CONFIG=true`: one account from environment variables.
    Environment,
    /// The file the CLI reads.
    File { kind: ConfigKind, path: PathBuf },
    /// `HUBSPOT_CONFIG_PATH` names a file that does not exist. The CLI does not check when it
    /// picks the path; reading then fails with `No config file found at <path>.`.
    Missing { path: PathBuf },
    /// No config anywhere ("Attempted to get config file path, but no config file was found.").
    None,
    /// Both `USE_ENVIRONMENT_HUBSPOT_CONFIG=true` and `HUBSPOT_CONFIG_PATH`: every command fails.
    Conflict,
}

impl ConfigLocation {
    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigLocation::File { path, .. } | ConfigLocation::Missing { path } => Some(path),
            _ => None,
        }
    }

    /// `.hsaccount` is only honoured when the config in force is the global path and the
    /// file exists. Env mode has its own rule, see `precedence`.
    pub fn honours_hsaccount(&self) -> bool {
        matches!(self, ConfigLocation::File { kind: ConfigKind::Global, .. })
    }
}

/// Which config the CLI reads when run in `dir`: env mode, `HUBSPOT_CONFIG_PATH`, the global
/// file, then the nearest legacy file.
pub fn locate(env: &Env, dir: &Path, files: &(impl Files + ?Sized)) -> ConfigLocation {
    match (env.use_env(), &env.config_path) {
        (true, Some(_)) => ConfigLocation::Conflict,
        (true, None) => ConfigLocation::Environment,
        (false, Some(path)) => {
            if !files.exists(path) {
                return ConfigLocation::Missing { path: path.clone() };
            }
            let kind = if env.config_path_names_global { ConfigKind::Global } else { ConfigKind::Custom };
            ConfigLocation::File { kind, path: path.clone() }
        }
        (false, None) => file_ignoring_env_mode(env, dir, files)
            .map_or(ConfigLocation::None, |(kind, path)| ConfigLocation::File { kind, path }),
    }
}

/// The file steps of [`locate`] alone: the global file if it exists, else the nearest legacy
/// file. This is also what `getConfigFilePath()` answers in env mode, where the CLI still asks
/// for a path when it resolves the default account (docs/hubspot-cli.md,
/// *Environment-variable mode*).
pub fn file_ignoring_env_mode(env: &Env, dir: &Path, files: &(impl Files + ?Sized)) -> Option<(ConfigKind, PathBuf)> {
    if let Some(global) = env.global_path().filter(|g| files.exists(g)) {
        return Some((ConfigKind::Global, global));
    }
    legacy_above(dir, files).map(|p| (ConfigKind::Legacy, p))
}

/// The nearest `hubspot.config.yml`, then `.yaml`, walking up from `dir` (`.yml` first in
/// each directory; the nearest directory wins).
pub fn legacy_above(dir: &Path, files: &(impl Files + ?Sized)) -> Option<PathBuf> {
    dir.ancestors().find_map(|d| LEGACY_FILES.iter().map(|n| d.join(n)).find(|p| files.exists(p)))
}

/// The nearest `rel` (e.g. [`SETTINGS_FILE`], [`HSACCOUNT_FILE`]) walking up from `dir`
/// (the CLI's `findup`: the nearest one wins).
pub fn find_up(dir: &Path, rel: &str, files: &(impl Files + ?Sized)) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(rel)).find(|p| files.exists(p))
}

/// Paths compare after making them lexically clean. Symlinks are not resolved, because
/// the CLI compares plain strings; `--config` paths go through `path.resolve`,
/// which removes `.` and `..` as `clean` does.
pub fn same_path(a: &Path, b: &Path) -> bool {
    clean(a) == clean(b)
}

/// `.` segments dropped and `..` applied, without touching the file system.
pub fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hubspot::test_support::{env_of, MemFiles};

    fn env(vars: &[(&str, &str)]) -> Env {
        env_of(vars, "/work")
    }

    fn file(kind: ConfigKind, path: &str) -> ConfigLocation {
        ConfigLocation::File { kind, path: PathBuf::from(path) }
    }

    #[test]
    fn env_is_read_from_variables() {
        let e =
            env(&[("HOME", "home"), ("HUBSPOT_CONFIG_PATH", "cfg/hs.yml"), ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "1")]);
        assert_eq!(e.home.as_deref(), Some(Path::new("/work/home")));
        assert_eq!(e.config_path.as_deref(), Some(Path::new("/work/cfg/hs.yml")));
        assert_eq!(e.global_path().as_deref(), Some(Path::new("/work/home/.hscli/config.yml")));
        assert_eq!(e.config_file(), e.config_path);
        // `1` is not `true`: files are read, but token writes are suppressed.
        assert_eq!(e.mode, EnvMode::WritesSuppressed);
        assert!(!e.use_env());
        assert!(!e.persists_tokens());

        let e = env(&[("HOME", ""), ("HUBSPOT_CONFIG_PATH", ""), ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "TRUE")]);
        assert_eq!(e.config_file(), None);
        assert_eq!((e.home, e.config_path, e.mode), (None, None, EnvMode::WritesSuppressed));

        let e = env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_ACCOUNT_ID", "7")]);
        assert!(e.use_env());
        assert_eq!(e.mode, EnvMode::On(Err(EnvConfigError::InvalidAuthType)));
        let e = env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "")]);
        assert_eq!(e.mode, EnvMode::Off);
        assert!(e.persists_tokens());
    }

    #[test]
    fn config_path_override_wins_over_the_variable() {
        let vars = |k: &str| (k == "HUBSPOT_CONFIG_PATH").then(|| OsString::from("/from/env.yml"));
        let e = Env::from_vars(vars, Path::new("/w"), Some(PathBuf::from("rel.yml")));
        assert_eq!(e.config_path.as_deref(), Some(Path::new("/w/rel.yml")));
        let e = Env::from_vars(vars, Path::new("/w"), None);
        assert_eq!(e.config_path.as_deref(), Some(Path::new("/from/env.yml")));
    }

    #[test]
    fn where_the_config_is_in_the_clis_order() {
        let dir = Path::new("/p/a/b");
        let home = [("HOME", "/h")];
        let global = "/h/.hscli/config.yml";
        let fs = MemFiles::listed(&[global, "/p/hubspot.config.yml", "/p/a/hubspot.config.yaml", "/x.yml"]);

        // 1, 2: env mode, and its conflict with an explicit path.
        assert_eq!(
            locate(&env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_CONFIG_PATH", "/x.yml")]), dir, &fs),
            ConfigLocation::Conflict
        );
        assert_eq!(locate(&env(&[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true")]), dir, &fs), ConfigLocation::Environment);
        // 3: an explicit path, existing or not; the global path spelled differently is still global.
        assert_eq!(
            locate(&env(&[("HOME", "/h"), ("HUBSPOT_CONFIG_PATH", "/x.yml")]), dir, &fs),
            file(ConfigKind::Custom, "/x.yml")
        );
        assert_eq!(
            locate(&env(&[("HOME", "/h"), ("HUBSPOT_CONFIG_PATH", "/nonexist.yml")]), dir, &fs),
            ConfigLocation::Missing { path: PathBuf::from("/nonexist.yml") }
        );
        // The global path spelled otherwise is a custom config: the CLI compares the strings
        // (`.hsaccount` is then ignored); spelled as the CLI spells it, it is the global one.
        let spelled = env(&[("HOME", "/h"), ("HUBSPOT_CONFIG_PATH", "/h/./.hscli/../.hscli/config.yml")]);
        assert!(!locate(&spelled, dir, &fs).honours_hsaccount());
        let exact = env(&[("HOME", "/h/"), ("HUBSPOT_CONFIG_PATH", "/h/.hscli/config.yml")]);
        assert!(locate(&exact, dir, &fs).honours_hsaccount());
        // 4: the global file beats any legacy file.
        assert_eq!(locate(&env(&home), dir, &fs), file(ConfigKind::Global, global));
        // 5: otherwise the nearest legacy file; `.yml` before `.yaml` in the same directory.
        let no_global =
            MemFiles::listed(&["/p/hubspot.config.yml", "/p/a/hubspot.config.yaml", "/p/a/hubspot.config.yml"]);
        assert_eq!(locate(&env(&home), dir, &no_global), file(ConfigKind::Legacy, "/p/a/hubspot.config.yml"));
        assert_eq!(
            locate(&env(&home), Path::new("/p/other"), &no_global),
            file(ConfigKind::Legacy, "/p/hubspot.config.yml")
        );
        // 6: nothing.
        assert_eq!(locate(&env(&home), Path::new("/q"), &no_global), ConfigLocation::None);
        assert_eq!(locate(&env(&[]), Path::new("/q"), &fs), ConfigLocation::None);
    }

    #[test]
    fn only_config_yml_is_global() {
        let fs = MemFiles::listed(&["/h/.hscli/config.yaml"]);
        assert_eq!(locate(&env(&[("HOME", "/h")]), Path::new("/p"), &fs), ConfigLocation::None);
    }

    #[test]
    fn upward_searches_take_the_nearest() {
        let fs = MemFiles::listed(&["/p/.hs/settings.json", "/p/a/.hs/settings.json", "/.hsaccount"]);
        assert_eq!(
            find_up(Path::new("/p/a/b"), SETTINGS_FILE, &fs).as_deref(),
            Some(Path::new("/p/a/.hs/settings.json"))
        );
        assert_eq!(find_up(Path::new("/p/c"), SETTINGS_FILE, &fs).as_deref(), Some(Path::new("/p/.hs/settings.json")));
        assert_eq!(find_up(Path::new("/p/a"), HSACCOUNT_FILE, &fs).as_deref(), Some(Path::new("/.hsaccount")));
        assert_eq!(find_up(Path::new("/q"), SETTINGS_FILE, &fs), None);
        // Callers may hold their file system as a trait object.
        let dynamic: &dyn Files = &fs;
        assert_eq!(
            find_up(Path::new("/p/a/b"), SETTINGS_FILE, dynamic),
            find_up(Path::new("/p/a/b"), SETTINGS_FILE, &fs)
        );
        assert_eq!(legacy_above(Path::new("/p"), &fs), None);
    }

    #[test]
    fn real_disk() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join("hubspot.config.yaml"), "accounts: []\n").unwrap();
        let found = legacy_above(&sub, &Disk).unwrap();
        assert_eq!(found, dir.path().join("hubspot.config.yaml"));
        assert_eq!(Disk.read(&found).as_deref(), Some("accounts: []\n"));
        assert_eq!(Disk.read(&sub), None);
    }

    #[test]
    fn a_directory_at_a_config_path_is_found_as_the_cli_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let global = dir.path().join(".hscli/config.yml");
        std::fs::create_dir_all(&global).unwrap();
        std::fs::create_dir_all(dir.path().join("p/hubspot.config.yml")).unwrap();
        let env = Env { home: Some(dir.path().to_path_buf()), ..Env::default() };
        let found = locate(&env, &dir.path().join("p"), &Disk);
        assert_eq!(found, ConfigLocation::File { kind: ConfigKind::Global, path: global.clone() });
        assert_eq!(Disk.read(&global), None);
        assert_eq!(legacy_above(&dir.path().join("p"), &Disk), Some(dir.path().join("p/hubspot.config.yml")));
    }

    #[test]
    fn paths_compare_lexically() {
        assert!(same_path(Path::new("/a/./b/../c"), Path::new("/a/c")));
        assert!(!same_path(Path::new("/a/c"), Path::new("/a/C")));
        assert_eq!(clean(Path::new("/../x")), PathBuf::from("/x"));
    }
}
