//! `to_proto::code_action`: each effect in the form the client's capabilities allow.

use std::path::{Path, PathBuf};

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types as lsp;

use super::capabilities::ClientCaps;
use super::to_proto::{code_action, ActionTarget, FileText};
use crate::analysis::actions::{Action, ActionKind, Call, Effect};
use crate::hubspot::edit::{FileOp, TextEdit};
use crate::syntax::TextRange;

fn vscode() -> ClientCaps {
    ClientCaps {
        code_action_literals: true,
        code_action_preferred: true,
        document_changes: true,
        resource_operations: true,
        apply_edit: true,
        ..Default::default()
    }
}

/// Neovim 0.7: literals, resource operations listed, but no `documentChanges`.
fn neovim() -> ClientCaps {
    ClientCaps { code_action_literals: true, resource_operations: true, apply_edit: true, ..Default::default() }
}

fn action(effect: Effect) -> Action {
    Action { title: "Do it".into(), kind: ActionKind::QuickFix, fixes: Vec::new(), preferred: true, effect }
}

fn migrate_call() -> Call {
    Call { name: "hubspot.override.migrate", args: json!({ "path": "/p/.hsaccount" }) }
}

fn convert(a: &Action, caps: &ClientCaps, file_text: FileText<'_>) -> Option<lsp::CodeActionOrCommand> {
    let uri = lsp::Uri::from_file_path("/p/hubspot.config.yml").unwrap();
    let rope = Rope::from_str("a: 1\nb: 2\n");
    code_action(&ActionTarget { uri: &uri, version: 7, rope: &rope }, a, Vec::new(), caps, file_text)
}

fn literal(r: Option<lsp::CodeActionOrCommand>) -> lsp::CodeAction {
    match r {
        Some(lsp::CodeActionOrCommand::CodeAction(a)) => a,
        other => panic!("not a code action: {other:?}"),
    }
}

fn on_disk(_: &Path) -> Option<(Rope, Option<i32>)> {
    Some((Rope::from_str("x\n"), None))
}

fn plan() -> Vec<FileOp> {
    vec![
        FileOp::Write { path: PathBuf::from("/p/.hs/settings.json"), text: "{}".into(), mode: None },
        FileOp::Edit { path: PathBuf::from("/p/.gitignore"), edits: vec![TextEdit::insert(2, ".hs\n")] },
        FileOp::Delete { path: PathBuf::from("/p/.hsaccount") },
        FileOp::Rename { from: PathBuf::from("/p/a"), to: PathBuf::from("/p/b") },
    ]
}

#[test]
fn document_edits_carry_the_version_only_with_document_changes() {
    let a = action(Effect::Edits(vec![TextEdit::replace(TextRange::new(8, 9), "3")]));
    let edit = literal(convert(&a, &vscode(), &on_disk)).edit.unwrap();
    let Some(lsp::DocumentChanges::Edits(docs)) = edit.document_changes else { panic!("{edit:?}") };
    assert_eq!(docs[0].text_document.version, Some(7));
    let lsp::OneOf::Left(e) = &docs[0].edits[0] else { panic!() };
    assert_eq!((e.range.start.line, e.range.start.character, e.new_text.as_str()), (1, 3, "3"));

    let converted = literal(convert(&a, &neovim(), &on_disk));
    assert!(converted.edit.unwrap().changes.is_some());
    assert_eq!(converted.is_preferred, None, "not advertised");
}

#[test]
fn plans_become_resource_operations_in_order() {
    let a = action(Effect::Files { ops: plan(), or_run: migrate_call() });
    let converted = literal(convert(&a, &vscode(), &on_disk));
    assert!(converted.command.is_none());
    assert_eq!(converted.is_preferred, Some(true));
    let Some(lsp::DocumentChanges::Operations(ops)) = converted.edit.unwrap().document_changes else { panic!() };
    let kinds: Vec<&str> = ops
        .iter()
        .map(|o| match o {
            lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(_)) => "create",
            lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Delete(_)) => "delete",
            lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Rename(_)) => "rename",
            lsp::DocumentChangeOperation::Edit(_) => "edit",
        })
        .collect();
    assert_eq!(kinds, ["create", "edit", "edit", "delete", "rename"]);
}

#[test]
fn plans_go_by_command_when_the_edit_cannot_say_it() {
    let command_of = |r: Option<lsp::CodeActionOrCommand>| {
        let a = literal(r);
        assert!(a.edit.is_none());
        a.command.unwrap()
    };
    let a = action(Effect::Files { ops: plan(), or_run: migrate_call() });
    // No documentChanges (Neovim 0.7).
    assert_eq!(command_of(convert(&a, &neovim(), &on_disk)).command, "hubspot.override.migrate");
    // Another file open with unsaved changes.
    assert_eq!(command_of(convert(&a, &vscode(), &|_| None)).arguments, Some(vec![json!({ "path": "/p/.hsaccount" })]));
    // A file that must be created 0600.
    let secret = action(Effect::Files {
        ops: vec![FileOp::Write {
            path: PathBuf::from("/h/.hscli/config.yml"),
            text: "accounts: []\n".into(),
            mode: Some(0o600),
        }],
        or_run: migrate_call(),
    });
    command_of(convert(&secret, &vscode(), &on_disk));
}

#[test]
fn without_literals_only_commands() {
    let caps = ClientCaps { apply_edit: true, ..Default::default() };
    let edits = action(Effect::Edits(vec![TextEdit::insert(0, "#\n")]));
    let Some(lsp::CodeActionOrCommand::Command(c)) = convert(&edits, &caps, &on_disk) else { panic!() };
    assert_eq!(c.command, super::commands::APPLY_EDIT);
    assert!(c.arguments.unwrap()[0].get("changes").is_some());
    // Nothing to offer for an edit when the client cannot apply one either.
    assert!(convert(&edits, &ClientCaps::default(), &on_disk).is_none());
    let files = action(Effect::Files { ops: plan(), or_run: migrate_call() });
    let Some(lsp::CodeActionOrCommand::Command(c)) = convert(&files, &ClientCaps::default(), &on_disk) else {
        panic!()
    };
    assert_eq!((c.title.as_str(), c.command.as_str()), ("Do it", "hubspot.override.migrate"));
}
