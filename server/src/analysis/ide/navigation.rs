//! Go to definition (reference -> the account's entry) and find references (entry -> the
//! settings.json and .hsaccount files that name it).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::analysis::checks::accounts::entries;
use crate::analysis::document::{DocKind, SourceFile};
use crate::analysis::world::World;
use crate::syntax::TextRange;

use super::accounts::{account_source, lookup, reference_at, references};

/// A range in some file.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub path: PathBuf,
    pub range: TextRange,
    /// The file's text, so the caller can convert the range to lines.
    pub text: std::sync::Arc<String>,
}

pub fn definition(file: &SourceFile, world: &World, offset: usize) -> Option<Location> {
    let r = reference_at(file, offset)?;
    let (src, tree) = account_source(file, world)?;
    let a = lookup(&src, &tree, &r.value)?;
    Some(Location { path: a.path, range: a.name_range.unwrap_or(a.entry), text: src.text.clone() })
}

/// From an account entry in a config (cursor anywhere in it), every reference to it: in
/// this config, in open documents, and in settings/.hsaccount files under `roots`.
pub fn references_to(file: &SourceFile, world: &World, offset: usize, roots: &[PathBuf]) -> Vec<Location> {
    if !file.kind.is_config() {
        return Vec::new();
    }
    let Some(tree) = file.tree.as_deref() else { return Vec::new() };
    let Some(target) = entries(tree)
        .into_iter()
        .filter(|e| tree.spans(&e.pointer).is_some_and(|s| s.entry.touches(offset)))
        .find_map(|e| e.id().and_then(Value::as_i64))
    else {
        return Vec::new();
    };
    let mut files: Vec<std::sync::Arc<SourceFile>> = vec![std::sync::Arc::new(file.clone())];
    files.extend(world.overlay.values().filter(|f| f.path != file.path).cloned());
    for root in roots {
        for p in hubspot_files_under(root) {
            if files.iter().all(|f| f.path != p) {
                if let Some(kind) = DocKind::of_path(&p, None) {
                    files.extend(world.source(&p, kind));
                }
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let Some((src, t)) = account_source(&f, world) else { continue };
        if src.path != file.path {
            continue; // that file resolves against another config
        }
        for r in references(&f) {
            if lookup(&src, &t, &r.value).and_then(|a| a.id) == Some(target) {
                out.push(Location { path: f.path.clone(), range: r.range, text: f.text.clone() });
            }
        }
    }
    out
}

/// `.hs/settings.json` and `.hsaccount` files in a folder tree, skipping what git ignores
/// and bounded so a huge workspace cannot stall a request.
fn hubspot_files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root).hidden(false).max_depth(Some(8)).build();
    for entry in walker.flatten().take(20_000) {
        let p = entry.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_settings = name == "settings.json" && p.parent().and_then(|d| d.file_name()).is_some_and(|d| d == ".hs");
        if name == ".hsaccount" || is_settings {
            out.push(p.to_path_buf());
        }
    }
    out
}
