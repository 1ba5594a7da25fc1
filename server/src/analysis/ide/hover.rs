//! Hover: the documentation of a key; for an account reference, that account (never its
//! credentials).

use chrono::{DateTime, Utc};

use crate::analysis::checks::dates::parse_date;
use crate::analysis::document::{DocKind, SourceFile};
use crate::analysis::schema::{doc_at, SchemaKind};
use crate::analysis::world::World;
use crate::hubspot::credentials::Credentials;
use crate::syntax::TextRange;

use super::accounts::{account_source, lookup, reference_at, AccountInfo};

pub struct Hover {
    /// Markdown.
    pub contents: String,
    pub range: TextRange,
}

pub fn hover(file: &SourceFile, world: &World, offset: usize, now: DateTime<Utc>) -> Option<Hover> {
    if let Some(r) = reference_at(file, offset) {
        let (src, tree) = account_source(file, world)?;
        let contents = match lookup(&src, &tree, &r.value) {
            Some(a) => account_markdown(&a, now),
            // The value may be a key pasted where an account belongs: shown redacted.
            None => {
                let credentials = file.tree.as_deref().map(Credentials::of).unwrap_or_default();
                format!("No account `{}` in {}.", credentials.scrub(&r.value.to_string()), src.path.display())
            }
        };
        return Some(Hover { contents, range: r.range });
    }
    let schema = match file.kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => SchemaKind::Config,
        DocKind::Settings => SchemaKind::Settings,
        DocKind::HsAccount => return None,
    };
    let tree = file.tree.as_deref()?;
    let (pointer, spans) =
        tree.pointers_at(offset).into_iter().find(|(_, s)| s.key.is_some_and(|k| k.touches(offset)))?;
    let doc = doc_at(schema, &pointer)?;
    let mut contents = format!("**{}**", crate::syntax::tree::last_segment(&pointer));
    if !doc.type_name.is_empty() {
        contents.push_str(&format!(" — {}", doc.type_name));
    }
    contents.push_str("\n\n");
    contents.push_str(&doc.description);
    if !doc.enum_values.is_empty() {
        contents.push_str(&format!(
            "\n\nAllowed: {}",
            doc.enum_values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if doc.deprecated {
        contents.push_str("\n\n*Deprecated.*");
    }
    Some(Hover { contents, range: spans.key.unwrap_or(spans.value) })
}

pub fn account_markdown(a: &AccountInfo, now: DateTime<Utc>) -> String {
    let mut s = format!("**{}**\n\n", a.name.clone().unwrap_or_else(|| "(no name)".into()));
    s.push_str(&format!("- id: `{}`\n", a.id.map(|i| i.to_string()).unwrap_or_else(|| "?".into())));
    s.push_str(&format!("- env: `{}`\n", a.env));
    s.push_str(&format!(
        "- account type: {}\n",
        a.account_type
            .clone()
            .map(|t| format!("`{t}`"))
            .unwrap_or_else(|| "unknown (hidden from `hs account list`)".into())
    ));
    s.push_str(&format!("- auth type: `{}`\n", a.auth_type.clone().unwrap_or_else(|| "missing".into())));
    let token = match (&a.expires_at, a.has_token) {
        (_, false) => "no cached token (one is fetched on the next command)".to_string(),
        (Some(e), true) => match parse_date(e) {
            Some(t) if t > now => format!("valid until {}", t.format("%Y-%m-%d %H:%M UTC")),
            Some(t) => format!("expired {} (refreshed on the next command)", t.format("%Y-%m-%d %H:%M UTC")),
            None => "expiry unreadable: never refreshed".to_string(),
        },
        (None, true) => "cached, no expiry (refreshed on the next command)".to_string(),
    };
    s.push_str(&format!("- token: {token}\n"));
    s.push_str(&format!("\nDefined in {}", a.path.display()));
    s
}
