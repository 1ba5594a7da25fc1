//! Plans of file operations ([`FileOp`]) and their application on disk ([`apply_ops`]).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::{apply, TextEdit};
use crate::hubspot::buffers::Buffers;
use crate::hubspot::write::write_atomic;
use crate::hubspot::writer::Snapshot;

/// One step of a multi-file change. Paths are absolute.
#[derive(Clone, PartialEq, Eq)]
pub enum FileOp {
    /// Create or replace the whole file. `mode` is for a new file (Unix permission bits);
    /// an existing file keeps its own. `None`: `0o644`, what the CLI creates.
    Write {
        path: PathBuf,
        text: String,
        mode: Option<u32>,
    },
    /// Minimal edits of an existing file, against the text the plan was computed from.
    Edit {
        path: PathBuf,
        edits: Vec<TextEdit>,
    },
    Delete {
        path: PathBuf,
    },
    /// Rename, replacing `to` if it exists (the CLI's archive step of `hs config migrate` does).
    Rename {
        from: PathBuf,
        to: PathBuf,
    },
}

impl FileOp {
    /// The file this step creates or changes (the target of a rename).
    pub fn path(&self) -> &Path {
        match self {
            FileOp::Write { path, .. } | FileOp::Edit { path, .. } | FileOp::Delete { path } => path,
            FileOp::Rename { to, .. } => to,
        }
    }
}

impl fmt::Debug for FileOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileOp::Write { path, text, mode } => f
                .debug_struct("Write")
                .field("path", path)
                .field("text_len", &text.len())
                .field("mode", &mode.map(|m| format!("{m:o}")))
                .finish(),
            FileOp::Edit { path, edits } => f.debug_struct("Edit").field("path", path).field("edits", edits).finish(),
            FileOp::Delete { path } => f.debug_struct("Delete").field("path", path).finish(),
            FileOp::Rename { from, to } => f.debug_struct("Rename").field("from", from).field("to", to).finish(),
        }
    }
}

/// Mode of files we create when the plan does not say: what the CLI gets under the usual umask.
pub const DEFAULT_NEW_FILE_MODE: u32 = 0o644;

/// Perform a plan on disk, in order, each write atomic (see [`write_atomic`]).
///
/// Everything that can be checked first is: every `Edit` target is read and edited in memory
/// and every `Rename` source must exist before anything is written, so a plan that cannot run
/// changes nothing, and so is a plan touching a file that has changes in the editor not
/// saved ([`Buffers`]) or that changed on disk since `read` was taken ([`Snapshot`]; checked
/// again right before each step). Past that, it stops at the first failure; the error names the
/// file. Edits apply to the file as it is on disk, so the plan must be computed from its
/// current content: callers hold the files' locks from before the plan reads them until this
/// returns ([`crate::hubspot::writer`]).
pub fn apply_ops(buffers: &Buffers, ops: &[FileOp], read: &Snapshot) -> io::Result<()> {
    let at = |p: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", p.display()));
    let named = |op: &FileOp, e: io::Error| at(op.path(), e);
    let mut edited = Vec::with_capacity(ops.len());
    for op in ops {
        // Nothing is written while any file of the plan has unsaved changes in the editor.
        for p in touched(op) {
            read.check(p).map_err(|e| at(p, e))?;
            // (Checked again, and noted as written, by each write.)
            drop(buffers.check_saved(p, None).map_err(|e| at(p, e))?);
        }
        edited.push(match op {
            FileOp::Edit { path, edits } => {
                Some(apply(&crate::hubspot::read::read_string(path).map_err(|e| named(op, e))?, edits))
            }
            FileOp::Rename { from, .. } if !from.exists() && !ops.iter().any(|o| o.path() == from) => {
                return Err(named(
                    op,
                    io::Error::new(io::ErrorKind::NotFound, format!("{} does not exist", from.display())),
                ));
            }
            _ => None,
        });
    }
    let mut done: Vec<&Path> = Vec::new();
    for (op, new_text) in ops.iter().zip(edited) {
        // A file an earlier step wrote is expected to differ from the snapshot.
        for p in touched(op).into_iter().filter(|p| !done.contains(p)) {
            read.check(p).map_err(|e| at(p, e))?;
        }
        apply_op(buffers, op, new_text).map_err(|e| named(op, e))?;
        done.extend(touched(op));
    }
    Ok(())
}

/// The paths a step reads or changes.
pub(crate) fn touched(op: &FileOp) -> Vec<&Path> {
    match op {
        FileOp::Rename { from, to } => vec![from.as_path(), to.as_path()],
        _ => vec![op.path()],
    }
}

fn apply_op(buffers: &Buffers, op: &FileOp, edited: Option<String>) -> io::Result<()> {
    match op {
        FileOp::Write { path, text, mode } => {
            write_atomic(buffers, path, text.as_bytes(), mode.unwrap_or(DEFAULT_NEW_FILE_MODE))
        }
        FileOp::Edit { path, edits } => {
            let new = match edited {
                Some(t) => t,
                None => apply(&crate::hubspot::read::read_string(path)?, edits),
            };
            write_atomic(buffers, path, new.as_bytes(), DEFAULT_NEW_FILE_MODE)
        }
        FileOp::Delete { path } => match std::fs::remove_file(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            r => r,
        },
        FileOp::Rename { from, to } => std::fs::rename(from, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::TextRange;

    fn r(s: usize, e: usize) -> TextRange {
        TextRange::new(s, e)
    }

    #[cfg(unix)]
    #[test]
    fn apply_ops_runs_a_plan() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("sub/a.yml");
        let b = dir.path().join("b.yml");
        let c = dir.path().join("c.yml");
        std::fs::write(&b, "x: 1\n").unwrap();
        std::fs::write(&c, "gone").unwrap();
        let ops = vec![
            FileOp::Write { path: a.clone(), text: "new\n".into(), mode: Some(0o600) },
            FileOp::Edit { path: b.clone(), edits: vec![TextEdit::replace(r(3, 4), "2")] },
            FileOp::Rename { from: b.clone(), to: dir.path().join("b2.yml") },
            FileOp::Delete { path: c.clone() },
            FileOp::Delete { path: dir.path().join("never-existed") },
        ];
        apply_ops(&Buffers::default(), &ops, &Snapshot::default()).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new\n");
        assert_eq!(std::fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(dir.path().join("b2.yml")).unwrap(), "x: 2\n");
        assert!(!b.exists() && !c.exists());
    }

    #[test]
    fn a_plan_that_cannot_run_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let written = dir.path().join("new.yml");
        let ops = vec![
            FileOp::Write { path: written.clone(), text: "x".into(), mode: None },
            FileOp::Rename { from: dir.path().join("missing"), to: dir.path().join("to") },
        ];
        let err = apply_ops(&Buffers::default(), &ops, &Snapshot::default()).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(!written.exists());
    }

    #[test]
    fn apply_ops_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.yml");
        let err = apply_ops(
            &Buffers::default(),
            &[FileOp::Edit { path: missing.clone(), edits: vec![] }],
            &Snapshot::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("missing.yml"), "{err}");
        // A rename refused for its source names the source, not where it was going.
        let from = dir.path().join("hubspot.config.yml");
        std::fs::write(&from, "a: 1\n").unwrap();
        let buffers = Buffers::default();
        buffers.holds(&from, std::sync::Arc::new("a: 2\n".into()));
        let to = dir.path().join("archived.hubspot.config.yml");
        let err = apply_ops(&buffers, &[FileOp::Rename { from, to }], &Snapshot::default()).unwrap_err().to_string();
        assert!(err.contains("/hubspot.config.yml: ") && !err.contains("archived"), "{err}");
    }

    #[test]
    fn a_plan_whose_file_changed_since_it_was_read_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join("settings.json");
        let readme = dir.path().join("README.txt");
        let read = Snapshot::take([&readme, &settings]).unwrap();
        // Someone else creates the settings file after the plan decided to create it.
        std::fs::write(&settings, "{\"accounts\": [1]}").unwrap();
        let ops = vec![
            FileOp::Write { path: readme.clone(), text: "x".into(), mode: None },
            FileOp::Write { path: settings.clone(), text: "{\"accounts\": [2]}".into(), mode: None },
        ];
        let err = apply_ops(&Buffers::default(), &ops, &read).unwrap_err().to_string();
        assert!(err.contains("settings.json") && err.contains("changed on disk"), "{err}");
        assert!(!readme.exists(), "nothing written");
        assert_eq!(std::fs::read_to_string(&settings).unwrap(), "{\"accounts\": [1]}");
    }
}
