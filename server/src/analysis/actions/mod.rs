//! Code actions: for a document, the world and a range, the fixes and migrations on offer.
//!
//! Pure, like the rest of the analysis: an [`Action`] says what to change as edits of this
//! document, as a plan of file operations (other files), or as one of our commands; the
//! protocol layer decides how to send each to the client it has (`lsp::to_proto`).
//! Every change is computed with `hubspot::edit`, so comments, order and quoting of what is
//! not changed stay as they were. Titles never hold a credential: they name keys, account
//! names and ids only.
//!
//! One module per family of fixes; [`compute`] runs the family each diagnostic belongs to,
//! then the file-wide source actions.

mod auth;
mod defaults;
mod deprecated;
mod files;
mod hsaccount;
mod keys;
mod link;
mod names;
mod settings;
mod values;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use serde_json::Value;

use super::diagnostic::{Code, Diagnostic};
use super::document::{DocKind, SourceFile};
use super::ide::accounts::{account_source, all_accounts, AccountInfo};
use super::world::World;
use crate::hubspot::edit::json::JsonEditor;
use crate::hubspot::edit::yaml::YamlEditor;
use crate::hubspot::edit::{self, Editor, FileOp, TextEdit};
use crate::syntax::{TextRange, Tree};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Source,
    RefactorRewrite,
}

/// A command of ours (`workspace/executeCommand`) with its one argument.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: &'static str,
    pub args: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Edits of the document the action was asked for.
    Edits(Vec<TextEdit>),
    /// Changes to other files, and the command that makes the same changes on disk for
    /// clients that cannot take them as a workspace edit (no resource operations).
    Files {
        ops: Vec<FileOp>,
        or_run: Call,
    },
    Command(Call),
}

/// A diagnostic an action resolves, by code and range (what the client shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub code: Code,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub fixes: Vec<Fixed>,
    /// The one obvious fix, which editors may apply with a single key ("fix all").
    pub preferred: bool,
    pub effect: Effect,
}

impl Action {
    fn fix(title: impl Into<String>, d: &Diagnostic, effect: Effect) -> Action {
        Action {
            title: title.into(),
            kind: ActionKind::QuickFix,
            fixes: vec![Fixed { code: d.code, range: d.range }],
            preferred: false,
            effect,
        }
    }

    fn source(title: impl Into<String>, effect: Effect) -> Action {
        Action { title: title.into(), kind: ActionKind::Source, fixes: Vec::new(), preferred: false, effect }
    }

    fn preferred(mut self) -> Action {
        self.preferred = true;
        self
    }
}

/// The actions for `range` of `file`: quick fixes for the diagnostics that touch it, then
/// the file-wide source actions.
pub fn compute(file: &SourceFile, world: &World, range: TextRange) -> Vec<Action> {
    let diagnostics = super::diagnostics::compute(file, world);
    for_diagnostics(file, world, range, &diagnostics)
}

/// [`compute`] with the file's diagnostics already at hand.
pub fn for_diagnostics(file: &SourceFile, world: &World, range: TextRange, diagnostics: &[Diagnostic]) -> Vec<Action> {
    let cx = Ctx { file, world, diagnostics };
    let mut out = Vec::new();
    let in_range = diagnostics.iter().filter(|d| overlaps(d.range, range));
    for d in in_range.take(crate::hubspot::limits::MAX_FINDINGS_FIXED_PER_REQUEST) {
        match d.code {
            Code::DefaultAccountUnknown => defaults::fixes(&cx, d, &mut out),
            Code::NameWhitespace => names::fixes(&cx, d, &mut out),
            Code::Deprecated => {
                deprecated::fixes(&cx, d, &mut out);
                auth::fixes(&cx, d, &mut out);
            }
            Code::HttpTimeoutLow | Code::Type => values::fixes(&cx, d, &mut out),
            Code::LinkedAccountUnknown => {
                settings::fixes(&cx, d, &mut out);
                auth::fixes(&cx, d, &mut out);
            }
            Code::LocalDefaultNotLinked | Code::LocalDefaultUnknown | Code::DuplicateLinkedAccount => {
                settings::fixes(&cx, d, &mut out)
            }
            Code::HsaccountInvalid | Code::HsaccountDeprecated | Code::HsaccountShadowed => {
                hsaccount::fixes(&cx, d, &mut out)
            }
            Code::HsaccountUnknownAccount => {
                hsaccount::fixes(&cx, d, &mut out);
                auth::fixes(&cx, d, &mut out);
            }
            Code::ConfigPermissions | Code::ConfigInGit => files::fixes(&cx, d, &mut out),
            Code::TokenInfoMissing | Code::Required | Code::NoAccounts | Code::ExpiresAtInvalid => {
                auth::fixes(&cx, d, &mut out)
            }
            Code::UnknownKey | Code::Enum => keys::fixes(&cx, d, &mut out),
            Code::LegacyConfig | Code::LegacyConfigIgnored | Code::LegacyConfigBlocksLink | Code::HsaccountIgnored => {
                link::migrate_fixes(&cx, d, &mut out)
            }
            _ => {}
        }
    }
    hsaccount::source(&cx, &mut out);
    link::source(&cx, &mut out);
    deprecated::rewrite(&cx, &mut out);
    dedup(out)
}

/// A diagnostic is "in" the requested range when they overlap or touch: a cursor at either
/// end of a finding (where it usually is, after typing) counts.
fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// One action per title and kind: a whole-file fix is produced for each of its
/// diagnostics, so their `fixes` are united.
fn dedup(actions: Vec<Action>) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::with_capacity(actions.len());
    for a in actions {
        match out.iter_mut().find(|b| b.title == a.title && b.kind == a.kind) {
            Some(b) => {
                for f in a.fixes {
                    if !b.fixes.contains(&f) {
                        b.fixes.push(f);
                    }
                }
                b.preferred |= a.preferred;
            }
            None => out.push(a),
        }
    }
    out
}

/// What every family reads: the document, the world, and the document's diagnostics.
struct Ctx<'a> {
    file: &'a SourceFile,
    world: &'a World,
    diagnostics: &'a [Diagnostic],
}

impl Ctx<'_> {
    fn text(&self) -> &str {
        &self.file.text
    }

    /// The document's tree, only when it parsed whole: no edits on a broken file.
    fn tree(&self) -> Option<&Tree> {
        self.file.tree.as_deref().filter(|t| t.complete)
    }

    /// The accounts this document can name: its own for a config, else the config in force.
    fn accounts(&self) -> Vec<AccountInfo> {
        account_source(self.file, self.world).map(|(src, tree)| all_accounts(&src, &tree)).unwrap_or_default()
    }

    /// The account a value names, by the CLI's lookup (an integer id, else a name).
    fn lookup(&self, ident: &Value) -> Option<AccountInfo> {
        let (src, tree) = account_source(self.file, self.world)?;
        super::ide::accounts::lookup(&src, &tree, ident)
    }

    /// The pointer whose key or value a diagnostic covers, deepest first.
    fn pointer_of(&self, range: TextRange) -> Option<String> {
        let tree = self.tree()?;
        tree.pointers_at(range.start as usize)
            .into_iter()
            .find(|(_, s)| s.value == range || s.key == Some(range))
            .map(|(p, _)| p.to_string())
    }

    /// Edits of this YAML document made by `f` on an editor; `None` when the change cannot
    /// be made by small edits (the action is then not offered) or changes nothing.
    fn yaml(&self, f: impl FnOnce(&mut YamlEditor) -> edit::Result<()>) -> Option<Effect> {
        let ed = YamlEditor::with_tree(self.text(), self.tree()?.clone()).ok()?;
        edited(ed, f, YamlEditor::edits)
    }

    /// [`Ctx::yaml`] for settings.json.
    fn json(&self, f: impl FnOnce(&mut JsonEditor) -> edit::Result<()>) -> Option<Effect> {
        let ed = JsonEditor::with_tree(self.text(), self.tree()?.clone()).ok()?;
        edited(ed, f, JsonEditor::edits)
    }

    /// `set` in whichever format this document is.
    fn set(&self, pointer: &str, value: &Value) -> Option<Effect> {
        match self.file.kind {
            DocKind::Settings => self.json(|ed| ed.set(pointer, value)),
            DocKind::GlobalConfig | DocKind::LegacyConfig => self.yaml(|ed| ed.set(pointer, value)),
            DocKind::HsAccount => None,
        }
    }

    /// The config in force for this document's folder, as the CLI holds it in memory.
    fn config_in_force(&self) -> Option<(Arc<SourceFile>, crate::hubspot::model::Config)> {
        let file = self.world.config_in_force(&self.file.directory()).file()?.clone();
        let config = crate::hubspot::model::Config::from_value(&file.tree.as_ref()?.value);
        Some((file, config))
    }
}

fn edited<E>(mut ed: E, f: impl FnOnce(&mut E) -> edit::Result<()>, edits: fn(&E) -> Vec<TextEdit>) -> Option<Effect> {
    if let Err(e) = f(&mut ed) {
        tracing::debug!("code action not offered: {e}");
        return None;
    }
    non_empty(edits(&ed))
}

fn non_empty(edits: Vec<TextEdit>) -> Option<Effect> {
    (!edits.is_empty()).then_some(Effect::Edits(edits))
}

fn path_arg(p: &std::path::Path) -> Value {
    Value::from(p.display().to_string())
}
