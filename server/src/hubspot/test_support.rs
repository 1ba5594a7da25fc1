//! Test doubles shared by the `hubspot` unit tests: a file system in memory and an [`Env`]
//! from a list of variables, so no test touches the process environment.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::discovery::{clean, Env, Files};

#[path = "../../tests/common/fixtures.rs"]
mod fixtures;

pub use fixtures::{fixture, SPEC_FIXTURES};

/// Files by path; `None` content is a file that exists but cannot be read. Paths are
/// compared after [`clean`], as on a disk without symlinks.
#[derive(Default)]
pub struct MemFiles(HashMap<PathBuf, Option<String>>);

impl MemFiles {
    /// Empty files at `paths`, for tests that only ask what exists.
    pub fn listed(paths: &[&str]) -> MemFiles {
        paths.iter().fold(MemFiles::default(), |fs, p| fs.with(p, ""))
    }

    pub fn with(mut self, path: &str, text: &str) -> MemFiles {
        self.0.insert(clean(Path::new(path)), Some(text.to_string()));
        self
    }

    pub fn unreadable(mut self, path: &str) -> MemFiles {
        self.0.insert(clean(Path::new(path)), None);
        self
    }
}

impl Files for MemFiles {
    fn exists(&self, path: &Path) -> bool {
        self.0.contains_key(&clean(path))
    }

    fn read(&self, path: &Path) -> Option<String> {
        self.0.get(&clean(path)).cloned().flatten()
    }
}

/// An [`Env`] from `KEY=value` pairs (a later pair wins), relative paths joined onto `cwd`.
pub fn env_of(vars: &[(&str, &str)], cwd: &str) -> Env {
    Env::from_vars(|k| vars.iter().rev().find(|(n, _)| *n == k).map(|(_, v)| OsString::from(v)), Path::new(cwd), None)
}
