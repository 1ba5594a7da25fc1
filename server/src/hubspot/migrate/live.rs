//! The one file `hs config migrate` must never take as its legacy file: the config in force
//! (`~/.hscli/config.yml`, or the file `HUBSPOT_CONFIG_PATH`/`configPath` names). "Migrating"
//! it would merge it into itself and rename the live config to `archived.hubspot.config.yml`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::hubspot::discovery::Env;
use crate::hubspot::writer::same_file;

/// `legacy` is the live config, under whatever spelling (`./`, `..`, a symlink to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveConfig {
    pub given: PathBuf,
    pub config: PathBuf,
}

impl fmt::Display for LiveConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is the global config itself ({}), not a legacy hubspot.config.yml; there is nothing to migrate, and migrating it would archive the config in use. Pass the path of a hubspot.config.yml",
            self.given.display(),
            self.config.display()
        )
    }
}

impl std::error::Error for LiveConfig {}

/// Refuses `legacy` when it is the global config or the file `HUBSPOT_CONFIG_PATH` names.
pub fn refuse_live_config(legacy: &Path, env: &Env) -> Result<(), LiveConfig> {
    let live = [env.global_path(), env.config_path.clone()];
    match live.into_iter().flatten().find(|c| same_file(legacy, c)) {
        Some(config) => Err(LiveConfig { given: legacy.to_path_buf(), config }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hubspot::test_support::env_of;

    #[test]
    fn the_live_config_is_refused_however_it_is_spelt() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        std::fs::create_dir_all(h.join(".hscli")).unwrap();
        std::fs::write(h.join(".hscli/config.yml"), "accounts: []\n").unwrap();
        std::fs::create_dir_all(h.join("proj")).unwrap();
        std::fs::write(h.join("proj/custom.yml"), "accounts: []\n").unwrap();
        std::os::unix::fs::symlink(h.join(".hscli/config.yml"), h.join("proj/hubspot.config.yml")).unwrap();
        let home_dir = h.display().to_string();
        let custom = h.join("proj/custom.yml").display().to_string();
        let env = env_of(&[("HOME", &home_dir), ("HUBSPOT_CONFIG_PATH", &custom)], h.to_str().unwrap());
        for given in [
            ".hscli/config.yml",
            ".hscli/./config.yml",
            "proj/../.hscli/config.yml",
            ".hscli//config.yml",
            "proj/hubspot.config.yml",
            "proj/custom.yml",
            "proj/./custom.yml",
        ] {
            let err = refuse_live_config(&h.join(given), &env).expect_err(given).to_string();
            assert!(err.contains("the global config itself") && err.contains("nothing to migrate"), "{err}");
        }
        std::fs::write(h.join("proj/legacy.yml"), "portals: []\n").unwrap();
        assert!(refuse_live_config(&h.join("proj/legacy.yml"), &env).is_ok());
    }
}
