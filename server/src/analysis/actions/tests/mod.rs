//! Each family on real files in a temporary home: the actions offered, and the text after
//! applying them, byte for byte.

mod auth;
mod deprecated;
mod fixes;
mod migrations;
mod properties;

use std::path::Path;
use std::sync::Arc;

use super::{compute, Action, ActionKind, Call, Effect};
use crate::analysis::tests::Home;
use crate::analysis::world::{DiskCache, World};
use crate::analysis::{DocKind, SourceFile};
use crate::hubspot::edit::apply;
use crate::syntax::TextRange;

/// Every action for the whole of `text` at `path` (the file as the editor has it).
fn actions(home: &Home, path: &Path, text: &str) -> Vec<Action> {
    actions_in(home, path, text, TextRange::new(0, text.len()))
}

/// The actions for the range covering the first occurrence of `marker`.
fn actions_at(home: &Home, path: &Path, text: &str, marker: &str) -> Vec<Action> {
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker:?} not in the text"));
    actions_in(home, path, text, TextRange::new(start, start + marker.len()))
}

fn actions_in(home: &Home, path: &Path, text: &str, range: TextRange) -> Vec<Action> {
    let kind = DocKind::of_path(path, home.env.config_path.as_deref()).expect("a HubSpot file");
    let file = SourceFile::parse(path.to_path_buf(), kind, text);
    let world = World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(home.env.clone()));
    compute(&file, &world, range)
}

fn titles(actions: &[Action]) -> Vec<&str> {
    actions.iter().map(|a| a.title.as_str()).collect()
}

fn find<'a>(actions: &'a [Action], title: &str) -> &'a Action {
    actions.iter().find(|a| a.title == title).unwrap_or_else(|| panic!("no action {title:?} in {:?}", titles(actions)))
}

/// `text` after the edits of the action titled `title`.
fn applied(actions: &[Action], title: &str, text: &str) -> String {
    match &find(actions, title).effect {
        Effect::Edits(edits) => apply(text, edits),
        other => panic!("{title:?} is not an edit of this file: {other:?}"),
    }
}

/// The command an action runs, or that makes its plan on disk.
fn command<'a>(actions: &'a [Action], title: &str) -> &'a Call {
    match &find(actions, title).effect {
        Effect::Command(call) | Effect::Files { or_run: call, .. } => call,
        other => panic!("{title:?} is not a command: {other:?}"),
    }
}

/// The file after its own fix, checked again: the fixed code must be gone.
fn fixed_codes(home: &Home, path: &Path, text: &str) -> Vec<&'static str> {
    crate::analysis::tests::codes(&home.check_text(path, text))
}
