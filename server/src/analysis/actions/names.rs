//! `name-whitespace`: the name with each whitespace run replaced by `-`, and the references
//! to it in the same file that name it by name.

use serde_json::Value;

use super::{Action, Ctx};
use crate::analysis::checks::accounts::entries;
use crate::analysis::checks::config::dashed;
use crate::analysis::Diagnostic;
use crate::hubspot::edit::Editor;
use crate::syntax::tree::parent_pointer;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let (Some(tree), Some(pointer)) = (cx.tree(), cx.pointer_of(d.range)) else { return };
    let Some(old) = tree.get(&pointer).and_then(Value::as_str) else { return };
    let new = dashed(old);
    let entry = parent_pointer(&pointer);
    // Names are unique ignoring case (duplicate-account-name): never create a clash.
    let clashes =
        entries(tree).iter().any(|e| e.pointer != entry && e.name().is_some_and(|n| n.eq_ignore_ascii_case(&new)));
    if clashes {
        return;
    }
    let effect = cx.yaml(|ed| {
        ed.set(&pointer, &Value::from(new.as_str()))?;
        for key in ["/defaultAccount", "/defaultPortal"] {
            if ed.value().pointer(key).and_then(Value::as_str) == Some(old) {
                ed.set(key, &Value::from(new.as_str()))?;
            }
        }
        Ok(())
    });
    if let Some(effect) = effect {
        out.push(Action::fix(format!("Rename to \"{new}\""), d, effect).preferred());
    }
}
