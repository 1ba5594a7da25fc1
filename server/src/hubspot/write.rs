//! Atomic file writes that keep the file's permissions (docs/hubspot-cli.md, *How files are
//! written*).
//!
//! The CLI writes in place with `fs.writeFileSync`, so a crash mid-write can leave a
//! truncated config holding the user's only copy of their keys. We write a temporary file in
//! the same directory, fsync it, give it the old file's permission bits and rename it over the
//! original: readers see the old file or the new one, never half of one.
//!
//! A config written through a symlink replaces the link's target (dotfile managers link their
//! configs); a download ([`Replacement`]) never writes through a link at all.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::buffers::Buffers;

/// Write `bytes` to `path` atomically.
///
/// - Existing file: its permission bits are kept (a `0600` config stays `0600`, as with the CLI).
///   A symlink is followed and its target replaced, so dotfile managers keep working.
/// - New file: created with `new_file_mode` (the global config: `0o600`, it holds keys);
///   missing parent directories are created.
/// - On any error the original file is untouched and the temporary file is removed.
/// - A file open in the editor with changes not saved is refused ([`Buffers`]).
pub fn write_atomic(buffers: &Buffers, path: &Path, bytes: &[u8], new_file_mode: u32) -> io::Result<()> {
    let target = resolve_symlink(path)?;
    let saved = buffers.check_saved(path, Some(target.as_path()).filter(|t| *t != path))?;
    let dir = parent_dir(&target);
    fs::create_dir_all(&dir)?;
    let existing = existing_permissions(&target)?;
    let mut tmp = temp_beside(&target, &dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    set_mode(tmp.as_file(), existing, new_file_mode)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    saved.wrote(bytes);
    sync_dir(&dir);
    Ok(())
}

/// A file written in pieces (a download streamed to disk) that replaces `target` in one
/// rename when complete. Unlike [`write_atomic`] it never writes through a symlink: a link at
/// `target` is refused, when the write starts and again when it is committed. Dropped
/// without [`Replacement::commit`], it leaves nothing behind.
pub struct Replacement {
    target: PathBuf,
    dir: PathBuf,
    tmp: tempfile::NamedTempFile,
    new_file_mode: u32,
}

impl Replacement {
    /// Starts the file; `target`'s folder must exist.
    pub fn begin(target: &Path, new_file_mode: u32) -> io::Result<Replacement> {
        refuse_link(target)?;
        let dir = parent_dir(target);
        let tmp = temp_beside(target, &dir)?;
        Ok(Replacement { target: target.to_path_buf(), dir, tmp, new_file_mode })
    }

    /// A handle on the temporary file, to write the content with.
    pub fn file(&self) -> io::Result<fs::File> {
        self.tmp.as_file().try_clone()
    }

    /// Puts the content in place (blocking: fsync and rename). A file open in the editor with
    /// unsaved changes is refused, as by [`write_atomic`].
    pub fn commit(self, buffers: &Buffers) -> io::Result<()> {
        refuse_link(&self.target)?;
        let saved = buffers.check_saved(&self.target, None)?;
        let existing = existing_permissions(&self.target)?;
        set_mode(self.tmp.as_file(), existing, self.new_file_mode)?;
        self.tmp.as_file().sync_all()?;
        // A rename replaces whatever has the name, a link itself included, never its target.
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        drop(saved);
        sync_dir(&self.dir);
        Ok(())
    }
}

/// Refuses a symlink at `path`.
pub fn refuse_link(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::other(
            "it is a symbolic link, and hubspot-ls never writes through one; remove the link (or choose another folder) and try again",
        )),
        _ => Ok(()),
    }
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn existing_permissions(target: &Path) -> io::Result<Option<fs::Permissions>> {
    match fs::metadata(target) {
        Ok(m) if m.is_dir() => Err(io::Error::other("is a directory, not a file; move it away and try again")),
        Ok(m) => Ok(Some(m.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Dropping a `NamedTempFile` deletes it: every early return of a writer cleans up.
fn temp_beside(target: &Path, dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(dir)
}

/// Follow a symlink chain to the file it names (bounded, for loops).
fn resolve_symlink(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..16 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = if link.is_absolute() { link } else { p.parent().unwrap_or(Path::new("")).join(link) };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

#[cfg(unix)]
fn set_mode(file: &fs::File, existing: Option<fs::Permissions>, new_file_mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = existing.map(|p| p.mode() & 0o7777).unwrap_or(new_file_mode & 0o7777);
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(file: &fs::File, existing: Option<fs::Permissions>, _new_file_mode: u32) -> io::Result<()> {
    match existing {
        Some(p) => file.set_permissions(p),
        None => Ok(()),
    }
}

/// Make the rename itself durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn new_file_gets_the_given_mode_and_parents() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".hscli/config.yml");
        write_atomic(&Buffers::default(), &p, b"accounts: []\n", 0o600).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"accounts: []\n");
        assert_eq!(mode(&p), 0o600);
        assert!(leftovers(p.parent().unwrap()).is_empty());
    }

    #[test]
    fn existing_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        for m in [0o600, 0o644, 0o640] {
            let p = dir.path().join(format!("f{m:o}"));
            fs::write(&p, "old").unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(m)).unwrap();
            write_atomic(&Buffers::default(), &p, b"new", 0o600).unwrap();
            assert_eq!(fs::read_to_string(&p).unwrap(), "new");
            assert_eq!(mode(&p), m);
        }
    }

    #[test]
    fn symlink_target_is_replaced_and_link_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yml");
        let link = dir.path().join("link.yml");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        std::os::unix::fs::symlink("real.yml", &link).unwrap();
        write_atomic(&Buffers::default(), &link, b"new", 0o644).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(mode(&real), 0o600);
    }

    #[test]
    fn a_directory_in_the_way_leaves_everything_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.yml");
        fs::create_dir(&p).unwrap();
        fs::write(p.join("inside"), "keep").unwrap();
        assert!(write_atomic(&Buffers::default(), &p, b"new", 0o600).is_err());
        assert_eq!(fs::read_to_string(p.join("inside")).unwrap(), "keep");
        assert!(leftovers(dir.path()).is_empty());
    }

    /// No temporary file can be made (as in a read-only folder, but for root too).
    #[test]
    fn a_file_as_parent_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("blocker");
        fs::write(&blocker, "x").unwrap();
        assert!(write_atomic(&Buffers::default(), &blocker.join("config.yml"), b"new", 0o600).is_err());
        assert_eq!(fs::read_to_string(&blocker).unwrap(), "x");
        assert!(leftovers(dir.path()).is_empty());
    }

    /// A write that fails after its temporary file was written (the target became a
    /// directory meanwhile) removes that file and leaves the directory as it was. Unlike a
    /// read-only folder, which root writes into anyway, this fails for every user.
    #[test]
    fn a_failure_after_the_content_is_written_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        let r = Replacement::begin(&target, 0o644).unwrap();
        r.file().unwrap().write_all(b"new").unwrap();
        assert_eq!(leftovers(dir.path()).len(), 1, "the content is in a temporary file");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), "keep").unwrap();
        assert!(r.commit(&Buffers::default()).is_err());
        assert_eq!(fs::read_to_string(target.join("inside")).unwrap(), "keep");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_replacement_never_writes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let link = dir.path().join("a.txt");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let err = Replacement::begin(&link, 0o644).err().expect("refused").to_string();
        assert!(err.contains("symbolic link"), "{err}");
        // A link that appears while the content is written is refused at the end too.
        let plain = dir.path().join("b.txt");
        let r = Replacement::begin(&plain, 0o644).unwrap();
        r.file().unwrap().write_all(b"new").unwrap();
        std::os::unix::fs::symlink(&outside, &plain).unwrap();
        assert!(r.commit(&Buffers::default()).is_err());
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        assert!(leftovers(dir.path()).is_empty());
        // And a plain file is replaced, with the mode of a new file.
        let c = dir.path().join("c.txt");
        let r = Replacement::begin(&c, 0o644).unwrap();
        r.file().unwrap().write_all(b"content").unwrap();
        r.commit(&Buffers::default()).unwrap();
        assert_eq!((fs::read_to_string(&c).unwrap().as_str(), mode(&c)), ("content", 0o644));
    }

    #[test]
    fn unwritable_location_is_an_error() {
        // /proc refuses new files even for root.
        assert!(write_atomic(&Buffers::default(), Path::new("/proc/hubspot-ls-test/config.yml"), b"x", 0o600).is_err());
    }
}
