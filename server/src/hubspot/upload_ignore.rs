//! The CLI's upload ignore rules (LDL `lib/ignoreRules.js`; docs/hubspot-cli.md, *Upload
//! ignore rules*): built-in patterns plus the nearest `.hsignore` walking up. Config files,
//! `.hs/`, `.hsaccount` and every other dotfile are never uploaded.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The library's list as it is written, `Icon\\r` included: to the `ignore` package that is a
/// file named `Iconr`, not `Icon` and a carriage return.
const BUILT_IN: &[&str] = &[
    "fields.output.json",
    "hubspot.config.yml",
    "hubspot.config.yaml",
    "node_modules",
    ".*",
    "*.log",
    "*.swp",
    ".env",
    "Icon\\r",
    "__MACOSX",
    "~",
    "*~",
    "Thumbs.db",
    "ehthumbs.db",
    "Desktop.ini",
    "@eaDir",
    "package-lock.json",
];

/// The built-in patterns and the `.hsignore` lines in one rule set, as the CLI adds them to
/// one `ignore()` instance: a later `!pattern` re-includes what a built-in excluded. Case is
/// ignored, as `ignore()` does by default (`HubSpot.config.yml` is not uploaded either).
pub struct IgnoreRules {
    rules: Gitignore,
    /// The nearest `.hsignore`; its directory is where patterns are matched from.
    pub hsignore_path: Option<PathBuf>,
}

impl IgnoreRules {
    /// Rules for uploading from `start` (a file or folder).
    pub fn for_upload(start: &Path) -> IgnoreRules {
        let root = if start.is_dir() { start } else { start.parent().unwrap_or(start) };
        let hsignore_path = root.ancestors().map(|d| d.join(".hsignore")).find(|p| p.is_file());
        let base = hsignore_path.as_ref().and_then(|p| p.parent()).unwrap_or(root);
        let mut b = GitignoreBuilder::new(base);
        let _ = b.case_insensitive(true);
        for p in BUILT_IN {
            let _ = b.add_line(None, p);
        }
        if let Some(p) = &hsignore_path {
            b.add(p);
        }
        let rules = b.build().unwrap_or_else(|_| Gitignore::empty());
        IgnoreRules { rules, hsignore_path }
    }

    /// Whether `path` (under the upload root) is ignored, by itself or through a parent.
    /// (`matched_path_or_any_parents` panics on a path outside its root, hence the guard.)
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        path.starts_with(self.rules.path()) && self.rules.matched_path_or_any_parents(path, is_dir).is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_and_hsignore_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        std::fs::create_dir_all(root.join("css")).unwrap();
        std::fs::write(dir.path().join(".hsignore"), "*.draft\nsecret/\n").unwrap();
        let r = IgnoreRules::for_upload(&root);
        let ig = |rel: &str, is_dir: bool| r.is_ignored(&root.join(rel), is_dir);
        assert!(ig("node_modules/x/a.js", false));
        assert!(ig(".hsaccount", false));
        assert!(ig(".hs/settings.json", false));
        assert!(ig("css/.DS_Store", false));
        assert!(ig("hubspot.config.yml", false));
        assert!(ig("debug.log", false));
        assert!(ig("a.txt~", false));
        assert!(ig("page.draft", false));
        assert!(ig("secret", true));
        assert!(!ig("css/main.css", false));
        assert!(!ig("index.html", false));
        assert_eq!(r.hsignore_path.as_deref(), Some(dir.path().join(".hsignore").as_path()));
    }

    #[test]
    fn case_is_ignored_and_hsignore_can_re_include_what_a_built_in_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join(".hsignore"), "SECRET.TXT\n!.well-known\n!keep.log\n").unwrap();
        let r = IgnoreRules::for_upload(&root);
        let ig = |rel: &str, is_dir: bool| r.is_ignored(&root.join(rel), is_dir);
        for ignored in
            ["HubSpot.config.yml", "Node_Modules/x.js", "Thumbs.DB", "README.LOG", "secret.txt", "ehthumbs.db"]
        {
            assert!(ig(ignored, false), "{ignored}");
        }
        assert!(!ig(".well-known/a.txt", false));
        assert!(!ig("keep.log", false));
        assert!(ig("other.log", false));
    }
}
