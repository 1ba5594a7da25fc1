//! `default-account-unknown`: point `defaultAccount` (or `defaultPortal`) at a configured
//! account, one action per account.

use serde_json::Value;

use super::{Action, Ctx};
use crate::analysis::Diagnostic;
use crate::syntax::tree::last_segment;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let Some(pointer) = cx.pointer_of(d.range) else { return };
    let key = last_segment(&pointer);
    for account in cx.accounts() {
        let Some(id) = account.id else { continue };
        // `defaultAccount` holds the id, as every CLI write stores it; the legacy
        // `defaultPortal` holds a name, so it keeps holding one when there is one.
        let value = match (key.as_str(), &account.name) {
            ("defaultPortal", Some(name)) => Value::from(name.clone()),
            _ => Value::from(id),
        };
        if let Some(effect) = cx.set(&pointer, &value) {
            out.push(Action::fix(format!("Set {key} to {}", account.label()), d, effect));
        }
    }
}
