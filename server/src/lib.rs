//! hubspot-ls: a language server for the HubSpot CLI configuration files.
//!
//! Layers, each depending only on the ones below it:
//! - `lsp`: protocol glue (tower-lsp-server), the only place that knows LSP types.
//! - `analysis`: pure functions from documents and a world snapshot to diagnostics,
//!   completions, hovers and actions.
//! - `hubspot`: the CLI's model: config files, discovery and precedence, auth, API, edits.
//! - `syntax`: text -> spanned tree (YAML and JSON) and position conversion.

pub mod analysis;
pub mod check;
pub mod cli;
pub mod hubspot;
pub mod lsp;
pub mod syntax;
#[cfg(test)]
mod test_support;
