//! The HubSpot CLI's world, with no LSP types: the typed config model, where the CLI looks
//! and which file or account wins, credentials, comment-preserving file edits ([`edit`]) and
//! atomic writes ([`write`]), and the multi-file changes of `hs account link`/`unlink`
//! ([`link`], [`gitignore`]) and `hs config migrate` ([`migrate`]) as plans of [`edit::FileOp`]s.

pub mod edit;
pub mod gitignore;
pub mod link;
pub mod migrate;
pub mod model;
pub mod secret;
pub mod write;

pub use model::{Account, AuthType, Config, HubEnv};
pub use secret::Secret;
