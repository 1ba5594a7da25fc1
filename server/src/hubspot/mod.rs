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
mod test_support;
pub mod upload_ignore;
pub mod write;
pub mod writer;

pub use discovery::{ConfigKind, ConfigLocation, Disk, Env, EnvMode, Files};
pub use model::{Account, AuthType, Config, HubEnv};
pub use precedence::{InForceAccount, ResolveError, Source};
pub use secret::Secret;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Full-line `#` comments aside, every line of a YAML or `.env` file; other files whole.
    fn data_lines(name: &std::ffi::OsStr, bytes: &[u8]) -> Vec<u8> {
        let n = name.to_string_lossy();
        if !(n.ends_with(".yml") || n.ends_with(".env")) {
            return bytes.to_vec();
        }
        let text = String::from_utf8_lossy(bytes);
        let kept: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
        kept.join("\n").into_bytes()
    }

    /// The files in `server/tests/fixtures/spec/` record what the CLI reads and writes. When
    /// the folder they were copied from is beside the repository (as in CI), their data must
    /// still be its data; their comments are our own descriptions.
    #[test]
    fn fixtures_keep_the_recorded_data() {
        let candidates = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec/fixtures"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/spec/fixtures"),
        ];
        let copies = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec"));
        let Some(shared) = candidates.iter().map(Path::new).find(|p| p.is_dir()) else { return };
        let mut compared = 0;
        for entry in std::fs::read_dir(copies).unwrap().flatten() {
            let name = entry.file_name();
            if name == "README.md" {
                continue;
            }
            let original =
                std::fs::read(shared.join(&name)).unwrap_or_else(|_| panic!("{name:?} has no recorded original"));
            let copy = std::fs::read(entry.path()).unwrap();
            assert_eq!(data_lines(&name, &copy), data_lines(&name, &original), "{name:?} changed the recorded data");
            compared += 1;
        }
        assert!(compared > 0);
    }
}
