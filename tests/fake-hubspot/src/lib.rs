//! A fake HubSpot API for hubspot-ls's tests: a real HTTP server on 127.0.0.1 that keeps
//! state (accounts, tokens, secrets, a File Manager tree), records every request, and
//! misbehaves on demand (faults).
//!
//! ```no_run
//! use fake_hubspot::{AccountSpec, FakeHubSpot};
//! let fake = FakeHubSpot::start();
//! fake.add_account(AccountSpec::new(123, "pak-123"));
//! // point the code under test at fake.url() ...
//! assert!(fake.requests().is_empty());
//! ```
//!
//! The handle runs the server on its own thread with its own tokio runtime, so it works
//! from a plain `#[test]` as well as inside `#[tokio::test]`; dropping it stops the server.
//! The `fake-hubspot` binary serves the same fake plus the JSON admin API (`/__fake/...`).

// Handlers return `Result<_, Response>` so that `?` turns bad input into its 400 answer;
// the size of `Response` on that path does not matter for a test fake.
#![allow(clippy::result_large_err)]

mod admin;
mod auth;
mod faults;
mod files;
mod model;
mod record;
mod respond;
mod sandboxes;
mod secrets;
mod server;
mod state;

use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

pub use model::{AccountSpec, Fault, FaultKind, FileSpec, FolderSpec, Part, PortalState, Recorded, UploadedFile};
pub use state::DEFAULT_PAGE_SIZE;

use state::Shared;

/// The one deadline of every wait for a state in the tests that drive the fake (an HTTP
/// client's timeout, a wait for a request): `HUBSPOT_LS_TEST_TIMEOUT` seconds, 10 unless
/// set, the variable and default of `DEADLINE` in `tests/lsp/conftest.py`. Raise it on a
/// slow machine instead of editing a test.
pub fn deadline() -> Duration {
    const VAR: &str = "HUBSPOT_LS_TEST_TIMEOUT";
    match std::env::var(VAR) {
        Err(_) => Duration::from_secs(10),
        Ok(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .unwrap_or_else(|| panic!("{VAR}={v:?} is not a number of seconds")),
    }
}

pub struct FakeHubSpot {
    shared: Shared,
    url: String,
    port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeHubSpot {
    /// Starts on a free port of 127.0.0.1. Panics only if no socket can be bound at all
    /// (test infrastructure cannot do anything useful then); see [`FakeHubSpot::try_start`].
    pub fn start() -> FakeHubSpot {
        match FakeHubSpot::try_start(0) {
            Ok(f) => f,
            Err(e) => panic!("fake-hubspot: cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts on `127.0.0.1:port` (`0` = any free port).
    pub fn try_start(port: u16) -> std::io::Result<FakeHubSpot> {
        // Bound here, synchronously, so `url()` is valid (and connectable) on return.
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let url = format!("http://127.0.0.1:{port}");
        let shared = Shared::new(url.clone());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let served = shared.clone();
        let thread = std::thread::Builder::new().name(format!("fake-hubspot-{port}")).spawn(move || {
            rt.block_on(async move {
                tokio::select! {
                    r = server::serve(listener, served) => {
                        if let Err(e) = r {
                            eprintln!("fake-hubspot: server stopped: {e}");
                        }
                    }
                    _ = stop_rx => {}
                }
            });
            // Dropping the runtime here cancels every connection task, including ones
            // stuck in a `Slow` fault, so shutdown never waits on clients.
            drop(rt);
        })?;
        Ok(FakeHubSpot { shared, url, port, stop: Some(stop_tx), thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Adds an account; one with the same `hub_id` is replaced.
    pub fn add_account(&self, spec: AccountSpec) {
        self.shared.lock().add_account(spec);
    }

    /// Every non-admin request so far, oldest first (faulted ones included).
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }

    /// Waits (polling) until a recorded request satisfies `pred`; returns the first one that
    /// does, or `None` after `timeout`. For requests the code under test makes in the background.
    pub fn wait_for_request(&self, pred: impl Fn(&Recorded) -> bool, timeout: Duration) -> Option<Recorded> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(r) = self.shared.lock().requests.iter().find(|r| pred(r)) {
                return Some(r.clone());
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Adds a fault after the existing ones (the first match wins).
    pub fn fault(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Secret names of a hub, in insertion order.
    pub fn secrets(&self, hub_id: u64) -> Vec<String> {
        self.shared.lock().secrets.get(&hub_id).map(|l| l.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default()
    }

    pub fn secret_value(&self, hub_id: u64, name: &str) -> Option<String> {
        let st = self.shared.lock();
        st.secrets.get(&hub_id)?.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    /// Seeds (adds or replaces) a secret without going through the API.
    pub fn set_secret(&self, hub_id: u64, name: &str, value: &str) {
        admin::set_secret(&self.shared, hub_id, name.to_string(), value.to_string());
    }

    /// Lifetime of tokens issued from now on (default 1 hour; zero = already expired).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.lock().token_lifetime = lifetime;
    }

    /// Moves the fake's clock forward by `by` (it starts at the wall clock): tokens whose
    /// lifetime has passed on the moved clock are expired. Tests expire tokens this way
    /// instead of sleeping past their lifetime.
    pub fn advance_clock(&self, by: Duration) {
        let mut st = self.shared.lock();
        st.clock_ahead = st.clock_ahead.saturating_add(by);
    }

    /// Invalidates every access token issued so far (API calls with them get 401); new
    /// exchanges still work.
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// How the token exchange treats the hub (default `Active`).
    pub fn set_portal_state(&self, hub_id: u64, state: PortalState) {
        self.shared.lock().portal_states.insert(hub_id, state);
    }

    /// The refresh token `/oauth/v1/token` accepts now (it rotates on every refresh).
    pub fn oauth_refresh_token(&self, hub_id: u64) -> Option<String> {
        self.shared.lock().account(hub_id)?.oauth_refresh_token.clone()
    }

    /// Creates a folder (and its parents) in a hub's File Manager; `None` = the root.
    pub fn add_folder(&self, hub_id: u64, folder: impl Into<FolderSpec>) -> Option<u64> {
        files::seed_folder(&mut self.shared.lock(), hub_id, folder.into())
    }

    /// Stores a file (parents created); same folder and name replaces the content. Returns
    /// its id, or 0 for a path without a file name (nothing is stored then).
    pub fn add_file(&self, hub_id: u64, file: FileSpec) -> u64 {
        files::seed_file(&mut self.shared.lock(), hub_id, file).unwrap_or(0)
    }

    /// The CDN URL (`<url>/__cdn/<id>/<name>.<ext>`) of a stored file.
    pub fn file_url(&self, file_id: u64) -> Option<String> {
        files::file_url(&self.shared.lock(), file_id)
    }

    /// Every successful upload, oldest first.
    pub fn uploaded(&self) -> Vec<UploadedFile> {
        self.shared.lock().uploads.clone()
    }

    /// Page size of the file listing (default [`DEFAULT_PAGE_SIZE`]).
    pub fn set_page_size(&self, size: usize) {
        self.shared.lock().page_size = size.max(1);
    }

    /// Every sandbox (`{sandboxHubId, parentHubId, name, type, status}`), as the admin API lists them.
    pub fn sandboxes(&self) -> Vec<serde_json::Value> {
        sandboxes::list(&self.shared.lock())
    }

    /// How many standard and development sandboxes `parent` may have (default 1 and 2).
    pub fn set_sandbox_limits(&self, parent: u64, standard: u64, development: u64) {
        self.shared.lock().sandbox_limits.insert(parent, (standard, development));
    }

    /// The status sandboxes are created with (default `PENDING`).
    pub fn set_new_sandbox_status(&self, status: &str) {
        self.shared.lock().new_sandbox_status = status.to_string();
    }

    /// Forgets everything (accounts, tokens, requests, faults, secrets, files, settings).
    pub fn reset(&self) {
        self.shared.lock().reset();
    }
}

impl Drop for FakeHubSpot {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
