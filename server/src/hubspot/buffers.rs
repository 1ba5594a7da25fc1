//! What the editor holds: the text of each file open in it, so that nothing here writes over
//! changes the user has made there and not saved. Writing such a file would leave the editor
//! holding a version the disk no longer has: saving it would throw the write away, reloading
//! would throw the user's changes away.
//!
//! Process-wide, because every write of the core goes through [`super::write`] (and the
//! deletes and renames of [`super::edit::apply_ops`]), and a language server is one process
//! serving one editor; the document store reports opens, edits and closes. `check` opens no
//! buffer, so nothing is refused there.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::discovery::clean;

fn open() -> MutexGuard<'static, HashMap<PathBuf, Arc<String>>> {
    static OPEN: OnceLock<Mutex<HashMap<PathBuf, Arc<String>>>> = OnceLock::new();
    let m = OPEN.get_or_init(Default::default);
    // A panic elsewhere while holding it leaves the map as it was: still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `path` is open in the editor and now reads `text` (on open and after every edit).
pub fn holds(path: &Path, text: Arc<String>) {
    open().insert(clean(path), text);
}

/// The editor closed `path`.
pub fn closed(path: &Path) {
    open().remove(&clean(path));
}

/// Refuses a change to `path` (or to `resolved`, the file a symlink at `path` leads to) while
/// the editor holds text for it that is not what the disk has. A file that is not on disk
/// (deleted while open, say) has nothing there to lose and may be written.
pub fn check_saved(path: &Path, resolved: Option<&Path>) -> io::Result<()> {
    let held: Vec<Arc<String>> = {
        let open = open();
        [Some(path), resolved].into_iter().flatten().filter_map(|p| open.get(&clean(p)).cloned()).collect()
    };
    if held.is_empty() {
        return Ok(());
    }
    let disk = match std::fs::read(resolved.unwrap_or(path)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if held.iter().any(|text| text.as_bytes() != disk) {
        return Err(io::Error::other(
            "it has changes in the editor that are not saved; save or revert them there, then run this again (writing it now would lose them)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_in_the_editor_and_not_saved_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "a: 1\n").unwrap();
        assert!(check_saved(&path, None).is_ok(), "not open: nothing to lose");
        holds(&path, Arc::new("a: 1\n".into()));
        assert!(check_saved(&path, None).is_ok(), "open, as saved");
        holds(&dir.path().join("./config.yml"), Arc::new("a: 2\n".into()));
        let err = check_saved(&path, None).unwrap_err();
        assert!(err.to_string().contains("not saved"), "{err}");
        // Through a link to it, too.
        let link = dir.path().join("link.yml");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(check_saved(&link, Some(&path)).is_err());
        // Saved: the disk has the editor's text.
        std::fs::write(&path, "a: 2\n").unwrap();
        assert!(check_saved(&path, None).is_ok());
        // Open, and gone from the disk: nothing there to lose.
        let gone = dir.path().join("gone.json");
        holds(&gone, Arc::new("{}".into()));
        assert!(check_saved(&gone, None).is_ok());
        closed(&path);
        std::fs::write(&path, "a: 3\n").unwrap();
        assert!(check_saved(&path, None).is_ok(), "closed: nothing held");
    }
}
