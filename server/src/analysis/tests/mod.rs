//! Tests of every diagnostic code, on real files in a temporary home.

mod config;
mod cross_file;
pub mod robustness;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::world::{DiskCache, Env, World};
use super::{diagnostics, Code, Diagnostic, DocKind, Severity, SourceFile};

/// A temporary home with `.hscli/`, and a project folder beside it.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub env: Env,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let env = Env { home: Some(dir.path().join("home")), ..Env::default() };
        std::fs::create_dir_all(dir.path().join("home/.hscli")).unwrap();
        Home { dir, env }
    }

    pub fn global(&self) -> PathBuf {
        self.dir.path().join("home/.hscli/config.yml")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn write_global(&self, text: &str) -> PathBuf {
        let p = self.global();
        std::fs::write(&p, text).unwrap();
        set_mode(&p, 0o600);
        p
    }

    pub fn check(&self, path: &Path) -> Vec<Diagnostic> {
        let text = std::fs::read_to_string(path).unwrap();
        self.check_text(path, &text)
    }

    pub fn check_text(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let kind = DocKind::of_path(path, self.env.config_path.as_deref()).expect("a HubSpot file");
        let file = SourceFile::parse(path.to_path_buf(), kind, text);
        let world = World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(self.env.clone()));
        diagnostics::compute(&file, &world)
    }
}

pub fn set_mode(p: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// The diagnostics with `code`, as (severity, covered text).
pub fn found<'t>(ds: &[Diagnostic], code: Code, text: &'t str) -> Vec<(Severity, &'t str)> {
    ds.iter().filter(|d| d.code == code).map(|d| (d.severity, d.range.slice(text))).collect()
}

pub fn codes(ds: &[Diagnostic]) -> Vec<&'static str> {
    ds.iter().map(|d| d.code.as_str()).collect()
}

pub const VALID: &str = "defaultAccount: 123\naccounts:\n  - name: prod\n    accountId: 123\n    env: prod\n    authType: personalaccesskey\n    accountType: STANDARD\n    personalAccessKey: pak-123\n    auth:\n      tokenInfo: {}\n  - name: sandbox\n    accountId: 456\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n    auth:\n      tokenInfo: {}\n    parentAccountId: 123\n";
