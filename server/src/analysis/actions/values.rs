//! Values of the right kind: `httpTimeout` at the CLI's minimum, ids written as numbers,
//! names written as text.

use serde_json::Value;

use super::{Action, Ctx};
use crate::analysis::{Code, Diagnostic, DocKind};
use crate::syntax::tree::{last_segment, parent_pointer};

/// `hs config set --http-timeout` refuses values below 3000; reads take anything.
const MIN_HTTP_TIMEOUT: u32 = 3000;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let (Some(tree), Some(pointer)) = (cx.tree(), cx.pointer_of(d.range)) else { return };
    let Some(value) = tree.get(&pointer) else { return };
    let key = last_segment(&pointer);
    match d.code {
        Code::HttpTimeoutLow => {
            if let Some(effect) = cx.set(&pointer, &Value::from(MIN_HTTP_TIMEOUT)) {
                out.push(Action::fix(format!("Set httpTimeout to {MIN_HTTP_TIMEOUT}"), d, effect).preferred());
            }
        }
        Code::Type if is_id_position(cx.file.kind, &pointer, &key) => {
            // A quoted id is never found by id: the same digits as a number are.
            let Some(id) = value.as_str().and_then(|s| s.trim().parse::<i64>().ok()) else { return };
            if let Some(effect) = cx.set(&pointer, &Value::from(id)) {
                out.push(Action::fix("Write the id as a number", d, effect).preferred());
            }
        }
        Code::Type if key == "name" && cx.file.kind.is_config() => {
            // An unquoted number as a name crashes `validateConfig`.
            let Value::Number(n) = value else { return };
            // As written (`0x1F`, `1e3`, `12.50`), not the number js-yaml made of it.
            let written = tree
                .value_range(&pointer)
                .map(|r| r.slice(&cx.file.text).trim())
                .filter(|t| !t.is_empty() && !t.starts_with(['!', '&', '*', '"', '\'']) && !t.contains(['\n', '#']));
            let name = written.map_or_else(|| n.to_string(), str::to_string);
            if let Some(effect) = cx.set(&pointer, &Value::from(name)) {
                out.push(Action::fix("Write the name as text", d, effect).preferred());
            }
        }
        _ => {}
    }
}

/// Where an account id must be a number: an account's `accountId`/`portalId`/`parentAccountId`,
/// and the linked `accounts` of settings.json.
fn is_id_position(kind: DocKind, pointer: &str, key: &str) -> bool {
    match kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => matches!(key, "accountId" | "portalId" | "parentAccountId"),
        DocKind::Settings => parent_pointer(pointer) == "/accounts",
        DocKind::HsAccount => false,
    }
}
