//! Findings about a config as a file: who can read it (a command: permissions are not text)
//! and whether git would commit it (a `.gitignore` entry).

use serde_json::json;

use super::{path_arg, Action, Call, Ctx, Effect};
use crate::analysis::{Code, Diagnostic};
use crate::hubspot::gitignore::ignore_config_file;

pub(super) fn fixes(cx: &Ctx, d: &Diagnostic, out: &mut Vec<Action>) {
    let path = json!({ "path": path_arg(&cx.file.path) });
    match d.code {
        Code::ConfigPermissions => {
            let call = Call { name: "hubspot.config.fixPermissions", args: path };
            out.push(
                Action::fix("Make the config readable by you only (chmod 600)", d, Effect::Command(call)).preferred(),
            );
        }
        Code::ConfigInGit => {
            let Ok(Some((op, pattern))) = ignore_config_file(&cx.file.path) else { return };
            let or_run = Call { name: "hubspot.config.ignoreInGit", args: path };
            out.push(
                Action::fix(format!("Add {pattern} to .gitignore"), d, Effect::Files { ops: vec![op], or_run })
                    .preferred(),
            );
        }
        _ => {}
    }
}
