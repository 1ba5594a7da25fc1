//! What the editor holds: the text of each file open in it, so that nothing here writes over
//! changes the user has made there and not saved. Writing such a file would leave the editor
//! holding a version the disk no longer has: saving it would throw the write away, reloading
//! would throw the user's changes away.
//!
//! One [`Buffers`] per language-server session, kept up to date by its document store (opens,
//! edits, closes) and handed to everything that writes files ([`super::write`], the deletes and
//! renames of [`super::edit::apply_ops`]). `check` opens no buffer: it passes an empty one, so
//! nothing is refused there.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::discovery::clean;

/// One open file.
struct Held {
    /// What the editor shows.
    text: Arc<String>,
    /// A digest of what we last wrote to the file while the editor showed `text` as saved:
    /// the editor has not reloaded it yet, and the user has nothing there to lose. Cleared by
    /// the editor's next word on the file (the reload, or an edit).
    written: Option<u64>,
}

/// The files open in one editor, by path.
#[derive(Default)]
pub struct Buffers {
    open: Mutex<HashMap<PathBuf, Held>>,
}

/// Names the files only: their text is a config's (keys and tokens).
impl std::fmt::Debug for Buffers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.open().keys()).finish()
    }
}

fn digest(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl Buffers {
    fn open(&self) -> MutexGuard<'_, HashMap<PathBuf, Held>> {
        // A panic elsewhere while holding it leaves the map as it was: still usable.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `path` is open in the editor and now reads `text` (on open and after every edit).
    pub fn holds(&self, path: &Path, text: Arc<String>) {
        self.open().insert(clean(path), Held { text, written: None });
    }

    /// The editor closed `path`.
    pub fn closed(&self, path: &Path) {
        self.open().remove(&clean(path));
    }

    /// Refuses a change to `path` (or to `resolved`, the file a symlink at `path` leads to)
    /// while the editor holds text for it that is not what the disk has (unless the disk has
    /// what we wrote over the saved text the editor still shows). A file that is not on disk
    /// (deleted while open, say) has nothing there to lose and may be written.
    pub fn check_saved(&self, path: &Path, resolved: Option<&Path>) -> io::Result<Saved<'_>> {
        let all: Vec<(PathBuf, Arc<String>, Option<u64>)> =
            self.open().iter().map(|(k, h)| (k.clone(), h.text.clone(), h.written)).collect();
        let named: Vec<PathBuf> = [Some(path), resolved].into_iter().flatten().map(clean).collect();
        // The editor may have the file open under another path (through a linked directory).
        let target = std::fs::canonicalize(resolved.unwrap_or(path)).ok();
        let same_file = |k: &Path| target.is_some() && std::fs::canonicalize(k).ok() == target;
        let held: Vec<_> = all.into_iter().filter(|(k, ..)| named.contains(k) || same_file(k)).collect();
        let none = Saved { buffers: self, texts: Vec::new() };
        if held.is_empty() {
            return Ok(none);
        }
        let disk = match super::read::read_bytes(resolved.unwrap_or(path)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(none),
            Err(e) => return Err(e),
        };
        let on_disk = digest(&disk);
        // Editors show a file without its byte order mark.
        let unmarked = |b: &[u8]| b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b).to_vec();
        let disk_text = unmarked(&disk);
        if held.iter().any(|(_, text, written)| unmarked(text.as_bytes()) != disk_text && *written != Some(on_disk)) {
            return Err(io::Error::other(
                "it has changes in the editor that are not saved; save or revert them there, then run this again (writing it now would lose them)",
            ));
        }
        Ok(Saved { buffers: self, texts: held.into_iter().map(|(k, text, _)| (k, text)).collect() })
    }
}

/// What [`Buffers::check_saved`] let through: the editor's texts it found saved, so that
/// [`Saved::wrote`] can tell which of them are still what the editor shows.
#[must_use]
pub struct Saved<'a> {
    buffers: &'a Buffers,
    texts: Vec<(PathBuf, Arc<String>)>,
}

/// Names the files only: their text is a config's (keys and tokens).
impl std::fmt::Debug for Saved<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Saved").field(&self.texts.iter().map(|(p, _)| p).collect::<Vec<_>>()).finish()
    }
}

impl Saved<'_> {
    /// We wrote `bytes` to the file: an editor that still shows the text that was saved
    /// (it has not reloaded yet) is not holding changes of its own, and a second command
    /// before the reload may write the file again. Not when the editor's text changed since
    /// the check (the user typed meanwhile).
    pub fn wrote(self, bytes: &[u8]) {
        let d = digest(bytes);
        let mut open = self.buffers.open();
        for (path, text) in self.texts {
            if let Some(held) = open.get_mut(&path).filter(|h| Arc::ptr_eq(&h.text, &text)) {
                held.written = Some(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_in_the_editor_and_not_saved_is_refused() {
        let b = Buffers::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "a: 1\n").unwrap();
        assert!(b.check_saved(&path, None).is_ok(), "not open: nothing to lose");
        b.holds(&path, Arc::new("a: 1\n".into()));
        assert!(b.check_saved(&path, None).is_ok(), "open, as saved");
        b.holds(&dir.path().join("./config.yml"), Arc::new("a: 2\n".into()));
        let err = b.check_saved(&path, None).unwrap_err();
        assert!(err.to_string().contains("not saved"), "{err}");
        // Through a link to it, too.
        let link = dir.path().join("link.yml");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(b.check_saved(&link, Some(&path)).is_err());
        // Saved: the disk has the editor's text.
        std::fs::write(&path, "a: 2\n").unwrap();
        assert!(b.check_saved(&path, None).is_ok());
        // Open, and gone from the disk: nothing there to lose.
        let gone = dir.path().join("gone.json");
        b.holds(&gone, Arc::new("{}".into()));
        assert!(b.check_saved(&gone, None).is_ok());
        b.closed(&path);
        std::fs::write(&path, "a: 3\n").unwrap();
        assert!(b.check_saved(&path, None).is_ok(), "closed: nothing held");
    }

    #[test]
    fn a_saved_file_we_wrote_may_be_written_again_before_the_editor_reloads_it() {
        let b = Buffers::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "a: 1\n").unwrap();
        b.holds(&path, Arc::new("a: 1\n".into()));
        let saved = b.check_saved(&path, None).unwrap();
        std::fs::write(&path, "a: 2\n").unwrap();
        saved.wrote(b"a: 2\n");
        // The editor still shows "a: 1" (saved, not reloaded): nothing of the user's to lose.
        let again = b.check_saved(&path, None).expect("our own write, not the user's change");
        std::fs::write(&path, "a: 3\n").unwrap();
        again.wrote(b"a: 3\n");
        assert!(b.check_saved(&path, None).is_ok(), "and again");
        // Someone else changes the disk: the editor's text is no longer known to be saved.
        std::fs::write(&path, "a: 4\n").unwrap();
        assert!(b.check_saved(&path, None).is_err());
        // The editor reloads, then the user types: theirs.
        b.holds(&path, Arc::new("a: 4\n".into()));
        let saved = b.check_saved(&path, None).unwrap();
        b.holds(&path, Arc::new("a: 4 # typed while the command ran\n".into()));
        std::fs::write(&path, "a: 5\n").unwrap();
        saved.wrote(b"a: 5\n");
        assert!(b.check_saved(&path, None).is_err(), "the user's edit came after the check");
        b.closed(&path);
    }

    #[test]
    fn a_file_open_through_a_linked_directory_is_the_same_file() {
        // `~/.hscli` linked to a dotfiles folder (GNU stow), the editor on the real path.
        let b = Buffers::default();
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/.hscli");
        std::fs::create_dir_all(&real).unwrap();
        std::fs::write(real.join("config.yml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join(".hscli")).unwrap();
        b.holds(&real.join("config.yml"), Arc::new("a: 2 # typed\n".into()));
        assert!(b.check_saved(&dir.path().join(".hscli/config.yml"), None).is_err());
    }

    #[test]
    fn a_byte_order_mark_the_editor_does_not_show_is_no_change() {
        let b = Buffers::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "\u{feff}a: 1\n").unwrap();
        b.holds(&path, Arc::new("a: 1\n".into()));
        assert!(b.check_saved(&path, None).is_ok());
        b.holds(&path, Arc::new("a: 2\n".into()));
        assert!(b.check_saved(&path, None).is_err());
    }

    #[test]
    fn each_session_has_its_own_buffers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "a: 1\n").unwrap();
        let (editor, other) = (Buffers::default(), Buffers::default());
        editor.holds(&path, Arc::new("a: 2 # typed, not saved\n".into()));
        assert!(editor.check_saved(&path, None).is_err());
        assert!(other.check_saved(&path, None).is_ok(), "another session has nothing open");
    }
}
