//! `.gitignore` upkeep when a directory is linked: LDL `lib/gitignore.js`
//! `checkAndAddHsFolderToGitignore`, reproduced exactly (docs/hubspot-cli.md, *.gitignore*),
//! returned as a plan step instead of written.

use std::io;
use std::path::{Path, PathBuf};

use ignore::gitignore::GitignoreBuilder;

use super::edit::{text, FileOp};

/// The block the CLI appends (after trimming the file).
pub const HS_FOLDER_BLOCK: &str = "\n\n# HubSpot link folder\n.hs\n";

/// What `checkAndAddHsFolderToGitignore(settings_path)` would write, run from `cwd` (the CLI
/// finds `.git` from the process's working directory, not from the settings file):
///
/// - not in git (no `.git` found walking up from `cwd`, or the project directory, the parent
///   of `.hs`, is not under the directory holding it): nothing;
/// - any `.gitignore` from the project directory up to the git root ignores `.hs` (as a file
///   path relative to it, `ignore` package semantics): nothing;
/// - the target is the nearest of those `.gitignore` files, else `<project>/.gitignore`; if
///   its text contains `.hs` anywhere (`.hsaccount`, `.hs/`): nothing;
/// - else the target becomes `<its text trimmed>\n\n# HubSpot link folder\n.hs\n`.
///
/// Paths are compared case-insensitively, as LDL lowercases them. An existing `.gitignore` is
/// changed by an `Edit` (its other bytes are kept), a new one created by a `Write`.
pub fn check_and_add_hs_folder_to_gitignore(settings_path: &Path, cwd: &Path) -> io::Result<Option<FileOp>> {
    let settings_path = absolute(settings_path, cwd);
    let Some(hs_dir) = settings_path.parent() else { return Ok(None) };
    let Some(project_dir) = hs_dir.parent() else { return Ok(None) };
    let Some(git_root) = find_up(cwd, ".git").and_then(|g| g.parent().map(Path::to_path_buf)) else { return Ok(None) };
    let git_cmp = comparison_dir(&git_root);
    if !comparison_dir(project_dir).starts_with(&git_cmp) {
        return Ok(None);
    }
    let gitignores = gitignore_files(project_dir, &git_cmp);
    for gi in &gitignores {
        if ignores(gi, hs_dir)? {
            return Ok(None);
        }
    }
    match gitignores.first() {
        Some(target) => {
            let old = super::read::read_string(target)?;
            if old.contains(".hs") {
                return Ok(None);
            }
            let new = format!("{}{HS_FOLDER_BLOCK}", js_trim(&old));
            Ok(Some(FileOp::Edit { path: target.clone(), edits: text::diff(&old, &new) }))
        }
        None => Ok(Some(FileOp::Write {
            path: project_dir.join(".gitignore"),
            text: HS_FOLDER_BLOCK.to_string(),
            mode: None,
        })),
    }
}

/// The header of the block for a config file (LDL `checkAndAddConfigToGitignore`).
pub const CONFIG_BLOCK_HEADER: &str = "# HubSpot config file";

/// A config file holding credentials, kept out of git the way `checkAndAddConfigToGitignore`
/// keeps a new legacy config out, for any config file: in a git work tree (found
/// from the file's own folder) and not ignored by a `.gitignore` from there up to the root,
/// the nearest of those `.gitignore` files (else a new one beside the file) becomes
/// `<its text trimmed>\n\n# HubSpot config file\n<pattern>\n`. The pattern is the file's path
/// relative to that `.gitignore`: a bare name (`hubspot.config.yml`, matched at any depth, as
/// the CLI writes it) or a path (`.hscli/config.yml`). Returns the step and the pattern.
pub fn ignore_config_file(config_path: &Path) -> io::Result<Option<(FileOp, String)>> {
    let Some(dir) = config_path.parent() else { return Ok(None) };
    let Some(git_root) = find_up(dir, ".git").and_then(|g| g.parent().map(Path::to_path_buf)) else { return Ok(None) };
    let gitignores = gitignore_files(dir, &comparison_dir(&git_root));
    for gi in &gitignores {
        if ignores(gi, config_path)? {
            return Ok(None);
        }
    }
    let target = gitignores.first().cloned().unwrap_or_else(|| dir.join(".gitignore"));
    let base = target.parent().unwrap_or(dir);
    let Ok(rel) = config_path.strip_prefix(base) else { return Ok(None) };
    let rel: Vec<String> = rel.components().map(|c| escape_pattern(&c.as_os_str().to_string_lossy())).collect();
    let pattern = rel.join("/");
    let block = format!("\n\n{CONFIG_BLOCK_HEADER}\n{pattern}\n");
    let op = if target.is_file() {
        let old = super::read::read_string(&target)?;
        FileOp::Edit { edits: text::diff(&old, &format!("{}{block}", js_trim(&old))), path: target }
    } else {
        FileOp::Write { path: target, text: block, mode: None }
    };
    Ok(Some((op, pattern)))
}

/// A file name as a gitignore pattern matching only itself: wildcards and a leading `#` or
/// `!` escaped.
fn escape_pattern(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') || (i == 0 && matches!(c, '#' | '!')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The nearest `name` at or above `start` (file or directory, like `findup-sync`).
pub fn find_up(start: &Path, name: &str) -> Option<PathBuf> {
    start.ancestors().map(|d| d.join(name)).find(|p| p.exists())
}

/// `makeComparisonDir` applied to a directory: lowercased, ending in a separator, so that
/// `/repo-other` does not count as inside `/repo`.
fn comparison_dir(dir: &Path) -> String {
    let mut s = dir.to_string_lossy().to_lowercase();
    if !s.ends_with(std::path::MAIN_SEPARATOR) {
        s.push(std::path::MAIN_SEPARATOR);
    }
    s
}

/// `getGitignoreFiles`: `.gitignore` files from `project_dir` upward while they lie under the
/// git root, nearest first.
fn gitignore_files(project_dir: &Path, git_cmp: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut cwd = Some(project_dir.to_path_buf());
    while let Some(dir) = cwd {
        match find_up(&dir, ".gitignore") {
            Some(file) if file.parent().is_some_and(|p| comparison_dir(p).starts_with(git_cmp)) => {
                cwd = file.parent().and_then(Path::parent).map(Path::to_path_buf);
                out.push(file);
            }
            _ => cwd = None,
        }
    }
    out
}

/// Whether `gitignore` ignores `path` (as a file, like the `ignore` npm package's `ignores()`,
/// parents included).
fn ignores(gitignore: &Path, path: &Path) -> io::Result<bool> {
    let root = gitignore.parent().unwrap_or(Path::new("/"));
    let mut b = GitignoreBuilder::new(root);
    for line in super::read::read_string(gitignore)?.lines() {
        // A bad pattern is skipped, as `ignore` skips what it cannot read.
        let _ = b.add_line(None, line);
    }
    let Ok(gi) = b.build() else { return Ok(false) };
    let Ok(rel) = path.strip_prefix(root) else { return Ok(false) };
    Ok(gi.matched_path_or_any_parents(rel, false).is_ignore())
}

/// JavaScript's `String.prototype.trim` (white space, line terminators and the BOM).
fn js_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn absolute(p: &Path, cwd: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::hubspot::edit::apply_ops;

    struct Repo {
        dir: tempfile::TempDir,
    }

    impl Repo {
        fn new() -> Repo {
            let dir = tempfile::tempdir().unwrap();
            fs::create_dir(dir.path().join(".git")).unwrap();
            Repo { dir }
        }
        fn p(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }
        fn write(&self, rel: &str, text: &str) {
            let p = self.p(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        fn run(&self, project: &str) -> Option<FileOp> {
            let project = self.p(project);
            fs::create_dir_all(&project).unwrap();
            let op = check_and_add_hs_folder_to_gitignore(&project.join(".hs/settings.json"), &project).unwrap();
            if let Some(op) = &op {
                apply_ops(&Default::default(), std::slice::from_ref(op), &Default::default()).unwrap();
            }
            op
        }
    }

    #[test]
    fn fixture_29_root_gitignore_gets_the_block() {
        let repo = Repo::new();
        repo.write(".gitignore", "node_modules\n");
        assert!(repo.run("sub").is_some());
        let want = crate::hubspot::test_support::fixture("29-gitignore-after-link.txt");
        assert_eq!(fs::read_to_string(repo.p(".gitignore")).unwrap(), want);
    }

    #[test]
    fn no_gitignore_creates_one_in_the_project_dir() {
        let repo = Repo::new();
        let op = repo.run("app").unwrap();
        assert!(matches!(op, FileOp::Write { .. }));
        assert_eq!(fs::read_to_string(repo.p("app/.gitignore")).unwrap(), "\n\n# HubSpot link folder\n.hs\n");
    }

    #[test]
    fn nearest_gitignore_is_the_target() {
        let repo = Repo::new();
        repo.write(".gitignore", "dist\n");
        repo.write("a/.gitignore", "\n  tmp  \n\n");
        repo.run("a/b");
        assert_eq!(fs::read_to_string(repo.p("a/.gitignore")).unwrap(), "tmp\n\n# HubSpot link folder\n.hs\n");
        assert_eq!(fs::read_to_string(repo.p(".gitignore")).unwrap(), "dist\n");
    }

    #[test]
    fn already_ignored_or_mentioned_means_nothing() {
        for (text, why) in [
            (".hs\n", "pattern"),
            ("**/.hs\n", "glob"),
            ("sub/\n", "parent dir"),
            (".hsaccount\n", "substring"),
            (".hs/\n", "substring of a dir pattern"),
        ] {
            let repo = Repo::new();
            repo.write(".gitignore", text);
            assert!(repo.run("sub").is_none(), "{why}");
            assert_eq!(fs::read_to_string(repo.p(".gitignore")).unwrap(), text);
        }
        // Ignored by an outer file: the inner one is left alone.
        let repo = Repo::new();
        repo.write(".gitignore", "sub/.hs\n");
        repo.write("sub/.gitignore", "x\n");
        assert!(repo.run("sub").is_none());
    }

    #[test]
    fn a_negated_pattern_does_not_count_as_ignored_but_the_substring_does() {
        let repo = Repo::new();
        repo.write(".gitignore", ".hs\n!.hs\n");
        assert!(repo.run("sub").is_none());
    }

    #[test]
    fn outside_git_nothing_happens() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        fs::create_dir_all(&project).unwrap();
        assert!(check_and_add_hs_folder_to_gitignore(&project.join(".hs/settings.json"), &project).unwrap().is_none());
    }

    #[test]
    fn gitignore_above_the_git_root_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".gitignore"), "other\n").unwrap();
        fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        let project = dir.path().join("repo");
        let op = check_and_add_hs_folder_to_gitignore(&project.join(".hs/settings.json"), &project).unwrap().unwrap();
        assert_eq!(op.path(), project.join(".gitignore"));
    }

    #[test]
    fn a_config_file_gets_its_own_entry() {
        let repo = Repo::new();
        repo.write(".gitignore", "node_modules\n\n");
        repo.write("proj/hubspot.config.yml", "accounts: []\n");
        let (op, pattern) = ignore_config_file(&repo.p("proj/hubspot.config.yml")).unwrap().unwrap();
        assert_eq!(pattern, "proj/hubspot.config.yml");
        apply_ops(&Default::default(), &[op], &Default::default()).unwrap();
        assert_eq!(
            fs::read_to_string(repo.p(".gitignore")).unwrap(),
            "node_modules\n\n# HubSpot config file\nproj/hubspot.config.yml\n"
        );
        // Now ignored: nothing more to do.
        assert!(ignore_config_file(&repo.p("proj/hubspot.config.yml")).unwrap().is_none());
        // Without a .gitignore: a new one beside the file, the bare name.
        let repo = Repo::new();
        repo.write("[odd]*.yml", "");
        let (op, pattern) = ignore_config_file(&repo.p("[odd]*.yml")).unwrap().unwrap();
        assert_eq!(pattern, "\\[odd\\]\\*.yml");
        assert_eq!(
            op,
            FileOp::Write {
                path: repo.p(".gitignore"),
                text: "\n\n# HubSpot config file\n\\[odd\\]\\*.yml\n".into(),
                mode: None
            }
        );
        apply_ops(&Default::default(), &[op], &Default::default()).unwrap();
        assert!(ignore_config_file(&repo.p("[odd]*.yml")).unwrap().is_none());
    }

    #[test]
    fn outside_git_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("hubspot.config.yml"), "").unwrap();
        assert!(ignore_config_file(&dir.path().join("hubspot.config.yml")).unwrap().is_none());
    }
}
