//! Everything the fake remembers, behind one mutex.
//!
//! Handlers lock it briefly and never across an `.await`, so a `Slow` fault on one request
//! never stalls the others, and the sync test API can lock it from any thread.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::model::{AccountSpec, Fault, PortalState, Recorded, UploadedFile};

/// Default page size of `GET /filemanager/api/v2/files/`: small so that clients must page.
pub const DEFAULT_PAGE_SIZE: usize = 2;

#[derive(Clone, Default)]
pub struct Shared(Arc<Mutex<Inner>>);

impl Shared {
    pub fn new(base_url: String) -> Self {
        Shared(Arc::new(Mutex::new(Inner::new(base_url))))
    }

    /// A panic in one handler must not make every later call panic on a poisoned lock.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Account {
    pub spec: AccountSpec,
    /// The refresh token currently accepted by `/oauth/v1/token` (rotated on every use).
    pub oauth_refresh_token: Option<String>,
}

pub struct Token {
    pub hub_id: u64,
    pub expires_at_ms: u64,
}

pub struct Folder {
    pub id: u64,
    pub hub_id: u64,
    pub name: String,
    /// `None` = directly under the root (whose id the API spells `None`).
    pub parent: Option<u64>,
    pub hidden: bool,
    pub created_ms: u64,
}

pub struct File {
    pub id: u64,
    pub hub_id: u64,
    pub folder: Option<u64>,
    /// Without the extension, as HubSpot stores it.
    pub name: String,
    pub extension: String,
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub archived: bool,
    pub hidden: bool,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// The content and flags of a file being stored (its place is given separately).
pub struct FileData {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub archived: bool,
    pub hidden: bool,
}

pub struct Inner {
    /// `http://127.0.0.1:PORT`, used to build CDN URLs that point back at the fake.
    pub base_url: String,
    pub accounts: Vec<Account>,
    pub portal_states: HashMap<u64, PortalState>,
    pub tokens: HashMap<String, Token>,
    pub token_lifetime: Duration,
    /// How far the fake's clock runs ahead of the wall clock ([`Inner::now_ms`]): tests move
    /// time forward to expire tokens instead of sleeping until they expire.
    pub clock_ahead: Duration,
    pub counter: u64,
    pub requests: Vec<Recorded>,
    pub faults: Vec<Fault>,
    /// Per hub, in insertion order (the list endpoint returns them in that order).
    pub secrets: HashMap<u64, Vec<(String, String)>>,
    pub folders: Vec<Folder>,
    pub files: Vec<File>,
    pub uploads: Vec<UploadedFile>,
    pub page_size: usize,
    /// Per parent: how many (standard, development) sandboxes it may have.
    pub sandbox_limits: HashMap<u64, (u64, u64)>,
    /// Per sandbox: the status HubSpot reports (`PENDING` while it builds, then `READY`).
    pub sandbox_status: HashMap<u64, String>,
    /// The status a sandbox is created with.
    pub new_sandbox_status: String,
}

impl Default for Inner {
    fn default() -> Self {
        Inner::new(String::new())
    }
}

impl Inner {
    pub fn new(base_url: String) -> Self {
        Inner {
            base_url,
            accounts: Vec::new(),
            portal_states: HashMap::new(),
            tokens: HashMap::new(),
            token_lifetime: Duration::from_secs(3600),
            clock_ahead: Duration::ZERO,
            counter: 0,
            requests: Vec::new(),
            faults: Vec::new(),
            secrets: HashMap::new(),
            folders: Vec::new(),
            files: Vec::new(),
            uploads: Vec::new(),
            page_size: DEFAULT_PAGE_SIZE,
            sandbox_limits: HashMap::new(),
            sandbox_status: HashMap::new(),
            new_sandbox_status: "PENDING".into(),
        }
    }

    /// Back to a fresh fake, keeping only the address.
    pub fn reset(&mut self) {
        *self = Inner::new(std::mem::take(&mut self.base_url));
    }

    /// The fake's time in Unix milliseconds: the wall clock plus [`Inner::clock_ahead`].
    pub fn now_ms(&self) -> u64 {
        now_ms().saturating_add(self.clock_ahead.as_millis() as u64)
    }

    pub fn next_id(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Adding an account with a hub id that exists replaces it (re-seeding in a test).
    pub fn add_account(&mut self, spec: AccountSpec) {
        self.accounts.retain(|a| a.spec.hub_id != spec.hub_id);
        let rt = spec.oauth_refresh_token.clone();
        self.accounts.push(Account { spec, oauth_refresh_token: rt });
    }

    pub fn account(&self, hub_id: u64) -> Option<&Account> {
        self.accounts.iter().find(|a| a.spec.hub_id == hub_id)
    }

    pub fn portal_state(&self, hub_id: u64) -> PortalState {
        self.portal_states.get(&hub_id).copied().unwrap_or(PortalState::Active)
    }

    /// Issues a fresh, unique access token for `hub_id`; returns it and its expiry.
    pub fn issue_token(&mut self, hub_id: u64) -> (String, u64) {
        let n = self.next_id();
        let token = format!("fake-at-{hub_id}-{n}-{:016x}", fastrand::u64(..));
        let expires = self.now_ms().saturating_add(self.token_lifetime.as_millis() as u64);
        self.tokens.insert(token.clone(), Token { hub_id, expires_at_ms: expires });
        (token, expires)
    }

    pub fn secrets_of(&mut self, hub_id: u64) -> &mut Vec<(String, String)> {
        self.secrets.entry(hub_id).or_default()
    }

    pub fn folder(&self, id: u64) -> Option<&Folder> {
        self.folders.iter().find(|f| f.id == id)
    }

    /// `/a/b` for a folder, `""` for the root.
    pub fn folder_path(&self, id: Option<u64>) -> String {
        let mut names = Vec::new();
        let mut cur = id;
        // Bounded walk: parents always have smaller ids, but never trust that blindly.
        for _ in 0..=self.folders.len() {
            let Some(fid) = cur else { break };
            let Some(f) = self.folder(fid) else { break };
            names.push(f.name.clone());
            cur = f.parent;
        }
        names.reverse();
        names.iter().map(|n| format!("/{n}")).collect()
    }

    pub fn find_folder(&self, hub_id: u64, parent: Option<u64>, name: &str) -> Option<u64> {
        self.folders.iter().find(|f| f.hub_id == hub_id && f.parent == parent && f.name == name).map(|f| f.id)
    }

    /// Walks `path` (segments split on `/`), creating missing folders; `None` = root.
    pub fn ensure_folder(&mut self, hub_id: u64, path: &str, hidden: bool) -> Option<u64> {
        let mut cur = None;
        for seg in segments(path) {
            cur = Some(match self.find_folder(hub_id, cur, seg) {
                Some(id) => id,
                None => {
                    let id = self.next_id();
                    self.folders.push(Folder {
                        id,
                        hub_id,
                        name: seg.to_string(),
                        parent: cur,
                        hidden,
                        created_ms: now_ms(),
                    });
                    id
                }
            });
        }
        cur
    }

    /// Resolves an existing folder path without creating anything; `Some(None)` = root.
    pub fn lookup_folder(&self, hub_id: u64, path: &str) -> Option<Option<u64>> {
        let mut cur = None;
        for seg in segments(path) {
            cur = Some(self.find_folder(hub_id, cur, seg)?);
        }
        Some(cur)
    }

    /// Stores (or, same folder and name, overwrites) a file; returns its id.
    pub fn put_file(&mut self, hub_id: u64, folder: Option<u64>, file_name: &str, data: FileData) -> u64 {
        let FileData { bytes, content_type, archived, hidden } = data;
        let (name, extension) = split_name(file_name);
        let content_type =
            content_type.filter(|c| !c.is_empty()).unwrap_or_else(|| guess_content_type(&extension).to_string());
        let now = now_ms();
        if let Some(f) = self
            .files
            .iter_mut()
            .find(|f| f.hub_id == hub_id && f.folder == folder && f.name == name && f.extension == extension)
        {
            f.bytes = bytes;
            f.content_type = content_type;
            f.archived = archived;
            f.hidden = hidden;
            f.updated_ms = now;
            return f.id;
        }
        let id = self.next_id();
        self.files.push(File {
            id,
            hub_id,
            folder,
            name,
            extension,
            bytes,
            content_type,
            archived,
            hidden,
            created_ms: now,
            updated_ms: now,
        });
        id
    }
}

/// Non-empty path segments; `.` is dropped so `folderPath=.` means the root too.
pub fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty() && *s != ".")
}

/// HubSpot keeps `name` and `extension` apart: `a.tar.gz` = (`a.tar`, `gz`), `Makefile` = (`Makefile`, ``).
pub fn split_name(file_name: &str) -> (String, String) {
    match file_name.rsplit_once('.') {
        Some((n, e)) if !n.is_empty() => (n.to_string(), e.to_string()),
        _ => (file_name.to_string(), String::new()),
    }
}

pub fn guess_content_type(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// A HubSpot-style correlation id (a random UUID v4 shape).
pub fn correlation_id() -> String {
    let a = fastrand::u128(..);
    let h = format!("{a:032x}");
    format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_like_hubspot() {
        assert_eq!(split_name("a.txt"), ("a".into(), "txt".into()));
        assert_eq!(split_name("a.tar.gz"), ("a.tar".into(), "gz".into()));
        assert_eq!(split_name("Makefile"), ("Makefile".into(), "".into()));
        assert_eq!(split_name(".env"), (".env".into(), "".into()));
    }

    #[test]
    fn folder_paths_are_normalised() {
        let mut st = Inner::default();
        let a = st.ensure_folder(1, "docs/sub", false);
        assert_eq!(st.ensure_folder(1, "/docs//sub/", false), a);
        assert_eq!(st.ensure_folder(1, "/", false), None);
        assert_eq!(st.ensure_folder(1, ".", false), None);
        assert_eq!(st.folder_path(a), "/docs/sub");
        assert_eq!(st.lookup_folder(1, "docs/sub"), Some(a));
        assert_eq!(st.lookup_folder(2, "docs/sub"), None, "per hub");
        assert_eq!(st.lookup_folder(1, ""), Some(None));
    }

    #[test]
    fn correlation_ids_look_like_uuids() {
        let c = correlation_id();
        assert_eq!(c.len(), 36);
        assert_eq!(c.matches('-').count(), 4);
    }
}
