//! Findings about a config file as a file: who can read it, and whether git would commit it.

use std::path::{Path, PathBuf};

use ignore::gitignore::GitignoreBuilder;
use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic};
use crate::analysis::world::World;
use crate::syntax::{TextRange, Tree};

use super::accounts::list_items;

/// The first line: where file-level findings go.
pub fn first_line(text: &str) -> TextRange {
    TextRange::new(0, text.find(['\n', '\r']).unwrap_or(text.len()))
}

/// `config-conflict`: with `USE_ENVIRONMENT_HUBSPOT_CONFIG=true` and `HUBSPOT_CONFIG_PATH`
/// both set the CLI refuses every command before reading any file (docs/hubspot-cli.md,
/// *Where the config is*), so every HubSpot file the editor shows says so, once.
pub fn env_conflict(world: &World, text: &str, out: &mut Vec<Diagnostic>) {
    if world.env.use_env() && world.env.config_path.is_some() {
        out.push(Diagnostic::error(
            Code::ConfigConflict,
            first_line(text),
            "USE_ENVIRONMENT_HUBSPOT_CONFIG=true and HUBSPOT_CONFIG_PATH are both set: the CLI refuses every command (\"cannot both be set simultaneously\"). Unset one of them.",
        ));
    }
}

/// `config-permissions`: the global config holds credentials; the CLI creates it 0644.
pub fn permissions(path: &Path, text: &str, out: &mut Vec<Diagnostic>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else { return };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o044 != 0 {
            out.push(Diagnostic::warning(
                Code::ConfigPermissions,
                first_line(text),
                format!(
                    "This file holds your HubSpot credentials and is readable by {} (mode {:o}). Restrict it: `chmod 600 {}`.",
                    if mode & 0o004 != 0 { "every user on this machine" } else { "your group" },
                    mode,
                    path.display()
                ),
            ));
        }
    }
}

/// Does the config hold any credential value?
pub fn holds_credentials(tree: &Tree) -> bool {
    let non_empty = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    list_items(tree).iter().any(|e| {
        let auth = e.get("auth");
        let token = auth.and_then(|a| a.get("tokenInfo"));
        non_empty(e.get("personalAccessKey"))
            || non_empty(e.get("apiKey"))
            || non_empty(auth.and_then(|a| a.get("clientSecret")))
            || non_empty(token.and_then(|t| t.get("accessToken")))
            || non_empty(token.and_then(|t| t.get("refreshToken")))
    })
}

/// `config-in-git`: a config with credentials inside a git work tree, not ignored.
pub fn in_git(path: &Path, text: &str, tree: &Tree, out: &mut Vec<Diagnostic>) {
    if !holds_credentials(tree) {
        return;
    }
    let Some(root) = git_root(path) else { return };
    if is_ignored(&root, path) {
        return;
    }
    out.push(Diagnostic::warning(
        Code::ConfigInGit,
        first_line(text),
        format!(
            "This file holds HubSpot credentials and sits in the git work tree at {} without being ignored: a `git add .` would commit your keys. Add `{}` to .gitignore.",
            root.display(),
            path.file_name().and_then(|n| n.to_str()).unwrap_or("it")
        ),
    ));
}

/// The work tree holding `path`: the nearest ancestor with a `.git` directory or file.
pub fn git_root(path: &Path) -> Option<PathBuf> {
    path.parent()?.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// gitignore semantics: every `.gitignore` from the root down to the file's folder, plus
/// `.git/info/exclude`, deeper files winning.
pub fn is_ignored(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut dirs: Vec<PathBuf> = vec![root.to_path_buf()];
    let mut cur = root.to_path_buf();
    if let Some(parent) = rel.parent() {
        for c in parent.components() {
            cur.push(c);
            dirs.push(cur.clone());
        }
    }
    let mut verdict = false;
    let exclude = root.join(".git/info/exclude");
    let mut files: Vec<(PathBuf, PathBuf)> = vec![(root.to_path_buf(), exclude)];
    files.extend(dirs.iter().map(|d| (d.clone(), d.join(".gitignore"))));
    for (base, file) in files {
        if !file.is_file() {
            continue;
        }
        let mut b = GitignoreBuilder::new(&base);
        if b.add(&file).is_some() {
            continue;
        }
        let Ok(gi) = b.build() else { continue };
        let m = gi.matched_path_or_any_parents(path, false);
        if m.is_ignore() {
            verdict = true;
        } else if m.is_whitelist() {
            verdict = false;
        }
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_rules_apply_from_root_and_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git/info")).unwrap();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        let file = root.join("sub/hubspot.config.yml");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(git_root(&file).as_deref(), Some(root));
        assert!(!is_ignored(root, &file));
        std::fs::write(root.join(".gitignore"), "hubspot.config.yml\n").unwrap();
        assert!(is_ignored(root, &file));
        std::fs::write(root.join("sub/.gitignore"), "!hubspot.config.yml\n").unwrap();
        assert!(!is_ignored(root, &file));
    }
}
