//! A config file on disk as commands change it: read, parsed with spans, changed by minimal
//! edits (comments, order and quoting of everything else survive), written atomically with
//! its permissions kept. The CLI rewrites the whole file with js-yaml; we never do.
//!
//! A write refuses when the file changed on disk since it was read (another program wrote
//! it): the change would be lost otherwise. Within the server, writers of one file take
//! turns by its lock ([`Writer::lock`]), held from the read to the write.

use std::path::{Path, PathBuf};

use futures::future::BoxFuture;
use serde_json::{Map, Value};

use super::api::auth::{StoredToken, TokenStore};
use super::buffers::Buffers;
use super::edit::{self, TextEdit};
use super::model::{Account, Config};
use super::secret::Secret;
use super::write::write_atomic;
use super::writer::{Fingerprint, Writer};
use crate::syntax::{yaml, Tree};

/// A new global config is created owner-only: it holds credentials.
pub const NEW_CONFIG_MODE: u32 = 0o600;

#[derive(Debug)]
pub enum StoreError {
    Read { path: PathBuf, error: std::io::Error },
    Syntax { path: PathBuf, line: usize, message: String },
    Edit { path: PathBuf, error: edit::EditError },
    Write { path: PathBuf, error: std::io::Error },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Read { path, error } => write!(f, "Cannot read {}: {error}.", path.display()),
            StoreError::Syntax { path, line, message } => {
                write!(f, "{} does not parse (line {line}: {message}); fix it first, hubspot-ls will not rewrite a file it cannot read whole.", path.display())
            }
            StoreError::Edit { path, error } => write!(f, "Cannot change {}: {error}.", path.display()),
            StoreError::Write { path, error } => {
                write!(f, "Cannot write {}: {error}; the file was left as it was.", path.display())
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// A parsed config file and its text.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub text: String,
    pub tree: Tree,
    pub config: Config,
    /// The file did not exist: saving creates it `0600`.
    pub is_new: bool,
    /// What the disk held when this was read: a write refuses when that has changed.
    read: Fingerprint,
}

impl ConfigFile {
    pub fn load(path: &Path) -> Result<ConfigFile, StoreError> {
        let text =
            super::read::read_string(path).map_err(|error| StoreError::Read { path: path.to_path_buf(), error })?;
        let read = Fingerprint::of(Some(text.as_bytes()));
        ConfigFile::from_text(path, text, false, read)
    }

    /// The file, or an empty config that saving will create (`accounts: []`).
    pub fn load_or_new(path: &Path) -> Result<ConfigFile, StoreError> {
        match super::read::read_string(path) {
            Ok(text) => {
                let read = Fingerprint::of(Some(text.as_bytes()));
                ConfigFile::from_text(path, text, false, read)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                ConfigFile::from_text(path, String::new(), true, Fingerprint::of(None))
            }
            Err(error) => Err(StoreError::Read { path: path.to_path_buf(), error }),
        }
    }

    fn from_text(path: &Path, text: String, is_new: bool, read: Fingerprint) -> Result<ConfigFile, StoreError> {
        let tree = yaml::parse(&text);
        if let Some(err) = tree.errors.first() {
            let line = text[..(err.range.start as usize).min(text.len())].matches('\n').count() + 1;
            return Err(StoreError::Syntax { path: path.to_path_buf(), line, message: err.message.clone() });
        }
        let config = Config::from_value(&tree.value);
        Ok(ConfigFile { path: path.to_path_buf(), text, tree, config, is_new, read })
    }

    /// Applies edits computed against this text and writes the result; returns the file as
    /// it now is on disk.
    pub fn save(&self, buffers: &Buffers, edits: &[TextEdit]) -> Result<ConfigFile, StoreError> {
        let mut next = self.with_edits(edits)?;
        next.write(buffers)?;
        next.is_new = false;
        next.read = Fingerprint::of(Some(next.text.as_bytes()));
        Ok(next)
    }

    /// The file with `edits` applied, in memory (re-parsed, so further edits can be
    /// computed against it); nothing is written.
    pub fn with_edits(&self, edits: &[TextEdit]) -> Result<ConfigFile, StoreError> {
        let text = edit::apply(&self.text, edits);
        ConfigFile::from_text(&self.path, text, self.is_new, self.read)
    }

    /// Writes the current text (after `with_edits` steps), unless the file changed on disk
    /// since it was read (then nothing is written and the error says so).
    pub fn write(&self, buffers: &Buffers) -> Result<(), StoreError> {
        let error = |error| StoreError::Write { path: self.path.clone(), error };
        self.read.check(&self.path).map_err(error)?;
        write_atomic(buffers, &self.path, self.text.as_bytes(), NEW_CONFIG_MODE).map_err(error)
    }

    fn edit_err(&self, error: edit::EditError) -> StoreError {
        StoreError::Edit { path: self.path.clone(), error }
    }

    /// Edits that set `pointer` to `value`, creating keys as needed.
    pub fn set(&self, pointer: &str, value: &Value) -> Result<Vec<TextEdit>, StoreError> {
        edit::yaml::set(&self.text, &self.tree, pointer, value).map_err(|e| self.edit_err(e))
    }

    pub fn remove(&self, pointer: &str) -> Result<Vec<TextEdit>, StoreError> {
        edit::yaml::remove(&self.text, &self.tree, pointer).map_err(|e| self.edit_err(e))
    }

    pub fn append(&self, pointer: &str, value: &Value) -> Result<Vec<TextEdit>, StoreError> {
        edit::yaml::append(&self.text, &self.tree, pointer, value).map_err(|e| self.edit_err(e))
    }

    /// The key that holds the accounts: `portals` in a legacy-shape file.
    pub fn list_key(&self) -> &'static str {
        match self.config.shape {
            super::model::Shape::Legacy => "portals",
            super::model::Shape::Current => "accounts",
        }
    }
}

/// Writes refreshed tokens into a config file: re-reads it (the CLI or the user may have
/// changed it since), finds the account by id, and sets only `auth.tokenInfo`'s token keys,
/// keeping everything else under `auth` (the CLI replaces the whole `auth` object). Holds the
/// file's lock meanwhile, like every command that writes it.
pub struct FileTokenStore {
    pub path: PathBuf,
    writer: Writer,
}

impl FileTokenStore {
    pub fn new(path: PathBuf, writer: Writer) -> FileTokenStore {
        FileTokenStore { path, writer }
    }
}

impl TokenStore for FileTokenStore {
    fn save<'a>(
        &'a self,
        account: &'a Account,
        token: &'a StoredToken,
        replaces: &'a [Secret],
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let _locked = self.writer.lock([&self.path]).await;
            self.save_locked(account, token, replaces)
        })
    }
}

impl FileTokenStore {
    fn save_locked(&self, account: &Account, token: &StoredToken, replaces: &[Secret]) -> Result<(), String> {
        let file = ConfigFile::load(&self.path).map_err(|e| e.to_string())?;
        let id = account.account_id.ok_or("the account has no numeric accountId")?;
        let Some(current) = file.config.by_id(id) else {
            return Err(format!("account {id} is no longer in {}", self.path.display()));
        };
        let held = current.token_info().and_then(|t| t.refresh_token.as_ref());
        if !replaces.is_empty() && !held.is_some_and(|r| replaces.contains(r)) {
            tracing::debug!(account = id, "the config holds a newer grant: the refreshed token is not written");
            return Ok(());
        }
        let pointer = format!("{}/auth/tokenInfo", current.pointer);
        let mut fields = vec![
            ("accessToken", Value::String(token.access_token.expose().to_string())),
            ("expiresAt", Value::String(token.expires_at.clone())),
        ];
        if let Some(r) = &token.refresh_token {
            fields.push(("refreshToken", Value::String(r.expose().to_string())));
        }
        let existing = file.tree.get(&pointer).and_then(Value::as_object);
        let edits = match existing {
            // Every key already there: replace just the values, the most minimal edit.
            Some(map) if fields.iter().all(|(k, _)| map.contains_key(*k)) => {
                let mut edits = Vec::new();
                for (k, v) in &fields {
                    edits.extend(file.set(&format!("{pointer}/{k}"), v).map_err(|e| e.to_string())?);
                }
                edits
            }
            _ => {
                let mut info: Map<String, Value> = existing.cloned().unwrap_or_default();
                for (k, v) in fields {
                    info.insert(k.into(), v);
                }
                file.set(&pointer, &Value::Object(info)).map_err(|e| e.to_string())?
            }
        };
        file.save(&self.writer.buffers, &edits).map_err(|e| e.to_string())?;
        tracing::debug!(account = id, path = %self.path.display(), "wrote the refreshed token back");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_changed_on_disk_since_it_was_read_is_not_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "defaultAccount: 1\naccounts: []\n").unwrap();
        let file = ConfigFile::load(&path).unwrap();
        // The CLI (or the user) writes the file meanwhile.
        std::fs::write(&path, "defaultAccount: 2\naccounts: []\n").unwrap();
        let edits = file.set("/defaultAccount", &Value::from(3)).unwrap();
        let err = file.save(&Buffers::default(), &edits).unwrap_err().to_string();
        assert!(err.contains("changed on disk") && err.contains("left as it was"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "defaultAccount: 2\naccounts: []\n");
        // A new file that someone else created meanwhile is not replaced either.
        let new = dir.path().join("new.yml");
        let file = ConfigFile::load_or_new(&new).unwrap();
        std::fs::write(&new, "accounts: []\n").unwrap();
        assert!(file.save(&Buffers::default(), &file.set("/defaultAccount", &Value::from(1)).unwrap()).is_err());
        // Read, changed by us in steps, written: fine, and again from what was written.
        let file = ConfigFile::load(&path).unwrap();
        let next = file.save(&Buffers::default(), &file.set("/defaultAccount", &Value::from(3)).unwrap()).unwrap();
        next.save(&Buffers::default(), &next.set("/defaultAccount", &Value::from(4)).unwrap()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "defaultAccount: 4\naccounts: []\n");
    }
}
