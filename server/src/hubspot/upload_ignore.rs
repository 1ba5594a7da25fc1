//! The CLI's upload ignore rules (LDL `lib/ignoreRules.js`; docs/hubspot-cli.md, *Upload
//! ignore rules*): built-in patterns plus the nearest `.hsignore` walking up. Config files,
//! `.hs/`, `.hsaccount` and every other dotfile are never uploaded.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

const BUILT_IN: &[&str] = &[
    "fields.output.json",
    "hubspot.config.yml",
    "hubspot.config.yaml",
    "node_modules",
    ".*",
    "*.log",
    "*.swp",
    "*~",
    "Thumbs.db",
    "Desktop.ini",
    "__MACOSX",
    "@eaDir",
    "package-lock.json",
];

pub struct IgnoreRules {
    built_in: Gitignore,
    /// The nearest `.hsignore`, rooted at its own directory.
    hsignore: Option<Gitignore>,
    pub hsignore_path: Option<PathBuf>,
}

impl IgnoreRules {
    /// Rules for uploading from `start` (a file or folder).
    pub fn for_upload(start: &Path) -> IgnoreRules {
        let root = if start.is_dir() { start } else { start.parent().unwrap_or(start) };
        let mut b = GitignoreBuilder::new(root);
        for p in BUILT_IN {
            let _ = b.add_line(None, p);
        }
        let built_in = b.build().unwrap_or_else(|_| Gitignore::empty());
        let hsignore_path = root.ancestors().map(|d| d.join(".hsignore")).find(|p| p.is_file());
        let hsignore = hsignore_path.as_ref().and_then(|p| {
            let mut b = GitignoreBuilder::new(p.parent()?);
            b.add(p);
            b.build().ok()
        });
        IgnoreRules { built_in, hsignore, hsignore_path }
    }

    /// Whether `path` (under the upload root) is ignored, by itself or through a parent.
    /// (`matched_path_or_any_parents` panics on a path outside its root, hence the guards.)
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        (path.starts_with(self.built_in.path()) && self.built_in.matched_path_or_any_parents(path, is_dir).is_ignore())
            || self
                .hsignore
                .as_ref()
                .is_some_and(|g| path.starts_with(g.path()) && g.matched_path_or_any_parents(path, is_dir).is_ignore())
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
}
