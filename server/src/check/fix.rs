//! `check --fix`: the editor's quick fixes, applied without an editor.
//!
//! Only what the editor marks preferred (the one obvious fix) and whose effect is an edit of
//! the checked file itself: nothing that writes other files, runs a command, calls HubSpot or
//! asks which account. Fixes are applied one at a time, each computed on the text the last one
//! left, with the other checked files as they will be, until none applies.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::actions::{self, ActionKind, Effect};
use crate::analysis::world::{DiskCache, Env};
use crate::analysis::{diagnostics, SourceFile, World};
use crate::hubspot::edit;
use crate::syntax::TextRange;

use super::mask::Mask;

/// A bound on the fixes applied to one file, against fixes that undo each other.
const MAX_FIXES_PER_FILE: usize = 200;
/// A fix in one file can make one in another apply (a renamed account, a linked id).
const MAX_ROUNDS: usize = 5;

/// One file that the fixes changed.
pub struct Change {
    pub path: PathBuf,
    pub before: String,
    pub after: String,
    /// What was done, by the actions' titles (they name keys and accounts, never a credential).
    pub titles: Vec<String>,
}

/// The world the checked files are analysed in: the files as `files` holds them (fixed or
/// not), everything else from disk.
pub fn world(files: &[Arc<SourceFile>], disk: &Arc<DiskCache>, env: &Arc<Env>) -> World {
    let overlay: HashMap<PathBuf, Arc<SourceFile>> = files.iter().map(|f| (f.path.clone(), f.clone())).collect();
    World::new(overlay, disk.clone(), env.clone())
}

/// Applies the fixes to `files` in memory; returns the files that changed.
pub fn apply(files: &mut [Arc<SourceFile>], disk: &Arc<DiskCache>, env: &Arc<Env>) -> Vec<Change> {
    let originals: Vec<String> = files.iter().map(|f| f.text.to_string()).collect();
    let mut titles: Vec<Vec<String>> = vec![Vec::new(); files.len()];
    // Every text a file has had: a fix leading back to one would loop.
    let mut seen: Vec<HashSet<String>> = originals.iter().map(|t| HashSet::from([t.clone()])).collect();
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for i in 0..files.len() {
            while titles[i].len() < MAX_FIXES_PER_FILE {
                let Some((title, text)) = next_fix(files, i, disk, env, &seen[i]) else { break };
                seen[i].insert(text.clone());
                let f = &files[i];
                files[i] = Arc::new(SourceFile::parse(f.path.clone(), f.kind, text));
                titles[i].push(title);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    files
        .iter()
        .zip(originals)
        .zip(titles)
        .filter(|((f, before), _)| *f.text != *before)
        .map(|((f, before), titles)| Change { path: f.path.clone(), before, after: f.text.to_string(), titles })
        .collect()
}

/// The first preferred in-file quick fix for `files[i]` that makes a text not seen before.
fn next_fix(
    files: &[Arc<SourceFile>],
    i: usize,
    disk: &Arc<DiskCache>,
    env: &Arc<Env>,
    seen: &HashSet<String>,
) -> Option<(String, String)> {
    let file = &files[i];
    let world = world(files, disk, env);
    let found = diagnostics::compute(file, &world);
    let everywhere = TextRange::new(0, file.text.len());
    actions::for_diagnostics(file, &world, everywhere, &found)
        .into_iter()
        .filter(|a| a.preferred && a.kind == ActionKind::QuickFix)
        .find_map(|a| match a.effect {
            Effect::Edits(edits) => {
                let text = edit::apply(&file.text, &edits);
                (!seen.contains(&text)).then_some((a.title, text))
            }
            Effect::Files { .. } | Effect::Command(_) => None,
        })
}

/// A unified diff of one change, `a/`/`b/` prefixed when `shown` is relative (as git prints
/// them, so `git apply` takes it). Credential values are masked on both sides, in place.
pub fn diff(change: &Change, kind: crate::analysis::DocKind, shown: &str) -> String {
    let masked = |text: &str| {
        let file = SourceFile::parse(change.path.clone(), kind, text);
        let mask = Mask::new(&file);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push_str(&mask.line(body, at));
            out.push_str(&line[body.len()..]);
            at += line.len();
        }
        out
    };
    let (old, new) = (masked(&change.before), masked(&change.after));
    let (a, b) = if std::path::Path::new(shown).is_absolute() {
        (shown.to_string(), shown.to_string())
    } else {
        (format!("a/{shown}"), format!("b/{shown}"))
    };
    similar::TextDiff::from_lines(&old, &new).unified_diff().context_radius(3).header(&a, &b).to_string()
}
