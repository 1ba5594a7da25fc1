//! Our own file watcher, for clients that cannot watch files for us (no dynamic
//! registration of `workspace/didChangeWatchedFiles`, e.g. Neovim 0.7).
//!
//! Watches, non-recursively, the global config's folder and the folders of open documents
//! and their parents; any event on a HubSpot file name re-checks every open document.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::publish;
use super::server::Server;

const NAMES: &[&str] =
    &["config.yml", "hubspot.config.yml", "hubspot.config.yaml", "settings.json", ".hsaccount", ".hs"];

fn relevant(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| NAMES.contains(&n))
}

/// Whether an event can change what a file says or who may read it.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true, // a write just finished
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

pub fn start(server: &Server) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            // Reading a file is no change to it. Without this, our own read of the config
            // (an open/close-nowrite event) cleared the cache and re-read it, forever.
            if !changes_content(&ev.kind) {
                return;
            }
            for p in ev.paths.into_iter().filter(|p| relevant(p)) {
                let _ = tx.send(p);
            }
        }
    });
    let mut watcher: RecommendedWatcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!("cannot watch files ({e}); changes on disk are seen on the next edit");
            return;
        }
    };
    let session = server.session.clone();
    let server = server.handle();
    tokio::spawn(async move {
        let mut watched: HashSet<PathBuf> = HashSet::new();
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tokio::select! {
                Some(path) = rx.recv() => {
                    // Let a burst of events (write + rename) settle, then re-check once.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    while rx.try_recv().is_ok() {}
                    session.lock().unwrap_or_else(|p| p.into_inner()).disk.clear();
                    tracing::debug!("changed on disk: {}", path.display());
                    publish::refresh_all(&server).await;
                }
                _ = tick.tick() => {
                    let wanted = folders_to_watch(&session);
                    for dir in wanted.difference(&watched.clone()) {
                        if watcher.watch(dir, RecursiveMode::NonRecursive).is_ok() {
                            watched.insert(dir.clone());
                        }
                    }
                }
            }
        }
    });
}

fn folders_to_watch(session: &Arc<std::sync::Mutex<super::session::Session>>) -> HashSet<PathBuf> {
    let s = session.lock().unwrap_or_else(|p| p.into_inner());
    let mut dirs = HashSet::new();
    let global = s.env().config_file();
    if let Some(dir) = global.as_deref().and_then(Path::parent) {
        // The folder may not exist yet; watch its parent so its creation is seen.
        dirs.insert(if dir.exists() { dir.to_path_buf() } else { dir.parent().unwrap_or(dir).to_path_buf() });
    }
    for d in s.documents.iter() {
        let mut dir = d.file.path.parent();
        for _ in 0..3 {
            match dir {
                Some(p) if p.exists() => {
                    dirs.insert(p.to_path_buf());
                    let hs = p.join(".hs");
                    if hs.is_dir() {
                        dirs.insert(hs);
                    }
                    dir = p.parent();
                }
                _ => break,
            }
        }
    }
    dirs
}

#[cfg(test)]
mod change_tests {
    use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind};

    #[test]
    fn reads_are_not_changes() {
        assert!(!super::changes_content(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!super::changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(!super::changes_content(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))));
        assert!(super::changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(super::changes_content(&EventKind::Modify(ModifyKind::Any)));
        assert!(super::changes_content(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions))));
        assert!(super::changes_content(&EventKind::Create(CreateKind::File)));
    }
}
