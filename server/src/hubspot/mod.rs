//! The HubSpot CLI's world, with no LSP types: the typed config model, where the CLI looks
//! and which file or account wins, credentials, auth and the API client ([`api`]) and what
//! the commands do with it ([`ops`], [`target`]), comment-preserving file edits ([`edit`]) and
//! atomic writes ([`write`]) that refuse files with unsaved changes in the editor
//! ([`buffers`]) and take turns per file ([`writer`]), the bounds on what a server can make
//! it do ([`limits`]), and the multi-file changes of `hs account link`/`unlink`
//! ([`link`], [`gitignore`]) and `hs config migrate` ([`migrate`]) as plans of [`edit::FileOp`]s.
//!
//! Layering: `lsp -> analysis -> hubspot -> syntax`. Nothing here depends on `analysis`;
//! file access goes through [`discovery::Files`], which `analysis::World` implements over
//! open buffers and the disk.

pub mod api;
pub mod buffers;
pub mod credentials;
pub mod discovery;
pub mod edit;
pub mod env_config;
pub mod gitignore;
pub mod limits;
pub mod link;
pub mod load;
pub mod migrate;
pub mod model;
pub mod ops;
pub mod precedence;
pub mod read;
pub mod secret;
pub mod settings;
pub mod store;
pub mod target;
#[cfg(test)]
pub(crate) mod test_support;
pub mod upload_ignore;
pub mod write;
pub mod writer;

pub use discovery::{ConfigKind, ConfigLocation, Disk, Env, EnvMode, Files};
pub use model::{Account, AuthType, Config, HubEnv};
pub use precedence::{InForceAccount, ResolveError, Source};
pub use secret::Secret;
