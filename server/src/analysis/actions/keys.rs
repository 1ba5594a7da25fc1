//! `unknown-key` with a close known key, and `enum` values in the wrong case: the spelling
//! the CLI reads.

use serde_json::Value;

use super::{Action, Ctx, Effect};
use crate::analysis::schema::{closest, keys_at, validate, FindingKind, SchemaKind};
use crate::analysis::{Code, Diagnostic, DocKind};
use crate::hubspot::edit::TextEdit;
use crate::syntax::tree::{last_segment, parent_pointer};

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let (Some(tree), Some(pointer), Some(kind)) = (cx.tree(), cx.pointer_of(d.range), schema_kind(cx.file.kind)) else {
        return;
    };
    match d.code {
        Code::UnknownKey => {
            let key = last_segment(&pointer);
            let parent = parent_pointer(&pointer);
            let known: Vec<String> = keys_at(kind, parent).into_iter().map(|(k, _)| k).collect();
            let Some(new) = closest(&key, &known) else { return };
            if tree.get(&crate::syntax::tree::child_pointer(parent, &new)).is_some() {
                return; // the right key is there already: this one is a leftover
            }
            let Some(key_range) = tree.spans(&pointer).and_then(|s| s.key) else { return };
            // Only the key's bytes change, in the quotes it was written with; the value,
            // the entry's place and its comments stay.
            let written = key_range.slice(cx.text());
            let quoted = match written.as_bytes().first() {
                Some(q @ (b'"' | b'\'')) => format!("{}{new}{}", *q as char, *q as char),
                _ => new.clone(),
            };
            out.push(
                Action::fix(
                    format!("Rename the key to {new}"),
                    d,
                    Effect::Edits(vec![TextEdit::replace(key_range, quoted)]),
                )
                .preferred(),
            );
        }
        Code::Enum => {
            let Some(given) = tree.get(&pointer).and_then(Value::as_str) else { return };
            let allowed = validate(kind, &tree.value).into_iter().find_map(|f| match f.kind {
                FindingKind::Enum { allowed } if f.pointer == pointer => Some(allowed),
                _ => None,
            });
            // Values are case-sensitive to the CLI: `PersonalAccessKey` is not `personalaccesskey`.
            let Some(exact) = allowed.into_iter().flatten().find(|a| a.eq_ignore_ascii_case(given)) else { return };
            if let Some(effect) = cx.set(&pointer, &Value::from(exact.as_str())) {
                out.push(Action::fix(format!("Change to {exact}"), d, effect).preferred());
            }
        }
        _ => {}
    }
}

fn schema_kind(kind: DocKind) -> Option<SchemaKind> {
    match kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => Some(SchemaKind::Config),
        DocKind::Settings => Some(SchemaKind::Settings),
        DocKind::HsAccount => None,
    }
}
