//! `config-permissions`: the file is not ours to edit as text, so a command does it.

use serde_json::json;

use super::{path_arg, Action, Call, Ctx, Effect};
use crate::analysis::Diagnostic;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let call = Call { name: "hubspot.config.fixPermissions", args: json!({ "path": path_arg(&cx.file.path) }) };
    out.push(Action::fix("Make the config readable by you only (chmod 600)", d, Effect::Command(call)).preferred());
}
