//! `--format sarif`: one SARIF 2.1.0 log (code scanning services, IDE viewers): one run, a rule
//! per diagnostic code, a result per finding with 1-based lines and columns.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use crate::analysis::{Code, Severity};

use super::render::{each, Spot};
use super::Report;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub(super) fn write(reports: &[Report], cwd: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<Value> =
        Code::ALL.iter().map(|c| json!({"id": c.as_str(), "shortDescription": {"text": summary(*c)}})).collect();
    let mut results = Vec::new();
    for (r, rope) in each(reports) {
        let uri = uri(&r.file.path, cwd);
        for d in &r.diagnostics {
            let spot = Spot::of(&rope, d);
            let mut artifact = json!({"uri": uri.0});
            if uri.1 {
                artifact["uriBaseId"] = json!("%SRCROOT%");
            }
            results.push(json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code),
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Information | Severity::Hint => "note",
                },
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": spot.line + 1,
                        "startColumn": spot.column + 1,
                        "endLine": spot.end_line + 1,
                        "endColumn": spot.end_column + 1,
                    },
                }}],
            }));
        }
    }
    let mut run = json!({
        "tool": {"driver": {
            "name": "hubspot-ls",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        // Columns as people count them (and as the human output prints them), not UTF-16.
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Ok(base) = url::Url::from_directory_path(cwd) {
        run["originalUriBaseIds"] = json!({"%SRCROOT%": {"uri": base.as_str()}});
    }
    let log = json!({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]});
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The file as a URI reference: relative to `cwd` when inside it (with `true`: it needs the
/// base), else an absolute `file:` URI.
fn uri(path: &Path, cwd: &Path) -> (String, bool) {
    if let Ok(rel) = path.strip_prefix(cwd) {
        let text = rel.to_string_lossy();
        let mut out = String::with_capacity(text.len());
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        return (out, true);
    }
    match url::Url::from_file_path(path) {
        Ok(u) => (u.to_string(), false),
        Err(()) => (path.display().to_string(), false),
    }
}

/// One line per code, for the rule list that code scanning shows.
fn summary(code: Code) -> &'static str {
    match code {
        Code::Syntax => "The file does not parse",
        Code::UnknownKey => "A key the HubSpot CLI does not read",
        Code::Type => "A value of the wrong type",
        Code::Enum => "A value outside its allowed set",
        Code::Required => "A required field is missing",
        Code::NoAccounts => "The config has no accounts",
        Code::DuplicateAccountId => "Two accounts with the same accountId",
        Code::DuplicateAccountName => "Two accounts with the same name, ignoring case",
        Code::NameWhitespace => "An account name with whitespace",
        Code::DefaultAccountUnknown => "defaultAccount names no configured account",
        Code::HttpTimeoutLow => "httpTimeout below 3000 ms",
        Code::Deprecated => "A deprecated key or value",
        Code::LegacyConfig => "A legacy hubspot.config.yml in force: migrate it to the global config",
        Code::LegacyConfigIgnored => "A legacy hubspot.config.yml the CLI ignores (a global config exists)",
        Code::TokenInfoMissing => "A personal access key account without auth.tokenInfo",
        Code::ExpiresAtInvalid => "A cached token's expiresAt is not a date",
        Code::ParentAccountUnknown => "parentAccountId names no configured account",
        Code::ConfigPermissions => "The global config is readable by group or others",
        Code::ConfigInGit => "A config holding credentials inside a git work tree and not ignored",
        Code::LinkedAccountUnknown => "A linked account the global config does not have",
        Code::LocalDefaultUnknown => "localDefaultAccount names no configured account",
        Code::LocalDefaultNotLinked => "localDefaultAccount is not among the linked accounts",
        Code::DuplicateLinkedAccount => "An account linked twice",
        Code::LegacyConfigBlocksLink => "A hubspot.config.yml up the tree makes `hs account link` refuse",
        Code::HsaccountInvalid => ".hsaccount does not hold an account id",
        Code::HsaccountUnknownAccount => ".hsaccount names an account the global config does not have",
        Code::HsaccountIgnored => ".hsaccount is ignored: no global config is in force",
        Code::HsaccountShadowed => ".hsaccount is overridden by .hs/settings.json",
        Code::HsaccountDeprecated => ".hsaccount is superseded by .hs/settings.json",
        Code::PortalsReplaceAccounts => "Both portals and accounts: the CLI drops accounts",
        Code::ConfigConflict => "HUBSPOT_CONFIG_PATH and USE_ENVIRONMENT_HUBSPOT_CONFIG are both set",
    }
}
