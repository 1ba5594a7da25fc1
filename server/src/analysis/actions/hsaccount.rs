//! `.hsaccount`: a name written where the id belongs, and the migration to
//! `.hs/settings.json` that `hs account link` performs (see docs/hubspot-cli.md, *Link and unlink*).

use serde_json::{json, Value};

use super::{path_arg, Action, Call, Ctx, Effect};
use crate::analysis::{Code, Diagnostic, DocKind};
use crate::hubspot::edit::TextEdit;
use crate::hubspot::link::migrate_override;
use crate::syntax::TextRange;

const MIGRATE: &str = "Migrate to .hs/settings.json";

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    match d.code {
        Code::HsaccountInvalid => {
            // `hs account create-override <name>` resolves the name and writes the id.
            let word = d.range.slice(cx.text());
            if let Some(id) = (!word.is_empty()).then(|| cx.lookup(&Value::from(word))).flatten().and_then(|a| a.id) {
                let edit = TextEdit::replace(d.range, id.to_string());
                out.push(
                    Action::fix(format!("Replace \"{word}\" with its id {id}"), d, Effect::Edits(vec![edit]))
                        .preferred(),
                );
                return;
            }
            set_to_each_account(cx, d, out);
        }
        Code::HsaccountUnknownAccount => set_to_each_account(cx, d, out),
        Code::HsaccountDeprecated | Code::HsaccountShadowed => {
            if let Some(effect) = migration(cx) {
                out.push(Action::fix(MIGRATE, d, effect).preferred());
            }
        }
        _ => {}
    }
}

/// Any configured account instead, written as the CLI writes the file (the id alone, no
/// line break), so garbage around the content goes too.
fn set_to_each_account(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let all = TextRange::new(0, cx.text().len());
    for account in cx.accounts() {
        let Some(id) = account.id else { continue };
        let edit = TextEdit::replace(all, id.to_string());
        out.push(Action::fix(format!("Set to {}", account.label()), d, Effect::Edits(vec![edit])));
    }
}

/// The same migration from anywhere in the file.
pub(super) fn source(cx: &Ctx, out: &mut Vec<Action>) {
    if let Some(effect) = migration(cx) {
        out.push(Action::source(MIGRATE, effect));
    }
}

/// Offered only when the plan can be made: the id is a configured account and no legacy
/// config up the tree makes linking refuse (its own diagnostics say so).
fn migration(cx: &Ctx) -> Option<Effect> {
    if cx.file.kind != DocKind::HsAccount {
        return None;
    }
    let (_, config) = cx.config_in_force()?;
    let plan =
        migrate_override(&config, &cx.file.path).map_err(|e| tracing::debug!("no .hsaccount migration: {e}")).ok()?;
    let or_run = Call { name: "hubspot.override.migrate", args: json!({ "path": path_arg(&cx.file.path) }) };
    Some(Effect::Files { ops: plan.ops, or_run })
}
