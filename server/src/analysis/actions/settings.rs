//! `.hs/settings.json`: linked ids the global config lacks or lists twice, and a local
//! default that is not linked or names nothing .

use serde_json::Value;

use super::{Action, Ctx};
use crate::analysis::{Code, Diagnostic};
use crate::hubspot::edit::Editor;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let (Some(tree), Some(pointer)) = (cx.tree(), cx.pointer_of(d.range)) else { return };
    let Some(value) = tree.get(&pointer) else { return };
    match d.code {
        Code::LinkedAccountUnknown => {
            if let Some(effect) = cx.json(|ed| ed.remove(&pointer)) {
                out.push(Action::fix(format!("Remove {value} from accounts"), d, effect));
            }
        }
        Code::DuplicateLinkedAccount => {
            if let Some(effect) = cx.json(|ed| ed.remove(&pointer)) {
                out.push(Action::fix(format!("Remove the duplicate {value}"), d, effect).preferred());
            }
        }
        Code::LocalDefaultNotLinked => {
            // A name resolves too; `accounts` holds ids only.
            let Some(id) = cx.lookup(value).and_then(|a| a.id) else { return };
            if let Some(effect) = cx.json(|ed| ed.append("/accounts", &Value::from(id))) {
                out.push(Action::fix(format!("Add {id} to accounts"), d, effect).preferred());
            }
        }
        Code::LocalDefaultUnknown => {
            let linked: Vec<i64> = tree
                .get("/accounts")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            for account in cx.accounts().into_iter().filter(|a| a.id.is_some_and(|id| linked.contains(&id))) {
                let Some(id) = account.id else { continue };
                if let Some(effect) = cx.json(|ed| ed.set(&pointer, &Value::from(id))) {
                    out.push(Action::fix(format!("Set localDefaultAccount to {}", account.label()), d, effect));
                }
            }
        }
        _ => {}
    }
}
