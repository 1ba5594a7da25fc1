//! `hubspot-ls check`: the server's analysis without an editor, for CI and terminals.

mod fix;
mod github;
mod mask;
mod render;
mod sarif;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::world::{DiskCache, Env};
use crate::analysis::{diagnostics, DocKind, Severity, SourceFile};
use crate::hubspot::buffers::Buffers;
use crate::hubspot::discovery::{find_up, Disk, HSACCOUNT_FILE, LEGACY_FILES, SETTINGS_FILE};
use crate::hubspot::writer::Fingerprint;

pub use render::Format;

/// One analysed file and what was found in it.
pub struct Report {
    pub file: Arc<SourceFile>,
    pub diagnostics: Vec<crate::analysis::Diagnostic>,
}

pub enum CheckError {
    Usage(String),
    Io(String),
}

/// Exit codes: 0 no error-severity finding, 1 at least one, 2 usage or I/O failure.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// What the command line asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    /// Apply the preferred in-file quick fixes first.
    pub fix: bool,
    /// With `fix`: print the diff instead of writing (what is left goes to stderr then).
    pub diff: bool,
}

pub fn run(options: &Options, out: &mut dyn std::io::Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let start = search_start(&cwd);
    run_in(&Inputs { cwd, start, env: Env::from_process(None) }, options, out)
}

/// What `check` takes from its process: the working directory, where the upward searches
/// start, and the environment.
pub struct Inputs {
    pub cwd: PathBuf,
    pub start: PathBuf,
    pub env: Env,
}

/// `run` with the process inputs given, so the same check can run for many setups in one
/// process (the differential test does).
pub fn run_in(inputs: &Inputs, options: &Options, out: &mut dyn std::io::Write) -> i32 {
    let (cwd, start) = (&inputs.cwd, &inputs.start);
    let mut files = match collect(&options.paths, inputs) {
        Ok(f) => f,
        Err(CheckError::Usage(m)) | Err(CheckError::Io(m)) => {
            eprintln!("hubspot-ls check: {m}");
            return EXIT_USAGE;
        }
    };
    if files.is_empty() {
        eprintln!("{}", nothing_found(start, &inputs.env));
    }
    let disk = Arc::new(DiskCache::default());
    let env = Arc::new(inputs.env.clone());
    let changes = if options.fix { fix::apply(&mut files, &disk, &env) } else { Vec::new() };
    if options.diff {
        for change in &changes {
            let kind = files.iter().find(|f| f.path == change.path).map(|f| f.kind);
            if let Some(kind) = kind {
                if let Err(e) = write!(out, "{}", fix::diff(change, kind, &render::shown(&change.path, cwd))) {
                    eprintln!("hubspot-ls check: cannot write output: {e}");
                    return EXIT_USAGE;
                }
            }
        }
    } else {
        for change in &changes {
            if let Err(m) = write_fixed(change) {
                eprintln!("hubspot-ls check: {m}");
                return EXIT_USAGE;
            }
            eprintln!("fixed {}: {}", render::shown(&change.path, cwd), change.titles.join("; "));
        }
    }
    let world = fix::world(&files, &disk, &env);
    let reports: Vec<Report> =
        files.into_iter().map(|file| Report { diagnostics: diagnostics::compute(&file, &world), file }).collect();
    // With --diff, stdout is the patch alone (for `git apply`); what would be left goes beside it.
    let written = if options.diff {
        render::write(&reports, options.format, cwd, &mut std::io::stderr().lock())
    } else {
        render::write(&reports, options.format, cwd, out)
    };
    if let Err(e) = written {
        eprintln!("hubspot-ls check: cannot write output: {e}");
        return EXIT_USAGE;
    }
    let errors = reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity == Severity::Error);
    if errors {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Writes a fixed file in place of the one read, unless it changed on disk since.
fn write_fixed(change: &fix::Change) -> Result<(), String> {
    let path = change.path.display();
    // The same refusal as every other write: the file must still hold what was read.
    Fingerprint::of(Some(change.before.as_bytes())).check(&change.path).map_err(|e| format!("{path}: {e}"))?;
    crate::hubspot::write::write_atomic(&Buffers::default(), &change.path, change.after.as_bytes(), 0o600)
        .map_err(|e| format!("{path}: cannot write the fixes: {e}"))
}

/// What to tell someone whose folder has no HubSpot CLI file: where we looked, what to do.
fn nothing_found(start: &Path, env: &Env) -> String {
    let global = env.config_file().map_or_else(
        || "none (USE_ENVIRONMENT_HUBSPOT_CONFIG=true)".to_string(),
        |p| format!("{} (not found)", p.display()),
    );
    format!(
        "hubspot-ls check: no HubSpot CLI file to check.\n  \
         global config: {global}\n  \
         searched {} and every folder above it for .hs/settings.json, .hsaccount and hubspot.config.yml/.yaml\n\
         Create the global config with `hs account auth`, or name the files to check: hubspot-ls check PATH...",
        start.display()
    )
}

/// Where the CLI's upward searches start: `INIT_CWD` when set (npm sets it to where `npm run`
/// was typed, and the CLI's `getCwd()` prefers it), else the current directory.
/// So `check` in a package script finds the files `hs` in that script would read.
fn search_start(cwd: &Path) -> PathBuf {
    match std::env::var_os("INIT_CWD").filter(|v| !v.is_empty()).map(PathBuf::from) {
        Some(dir) => cwd.join(dir),
        None => cwd.to_path_buf(),
    }
}

/// The files to check: `paths` (relative to `cwd`), or with none the files in force from
/// `start` (see [`search_start`]).
fn collect(paths: &[PathBuf], inputs: &Inputs) -> Result<Vec<Arc<SourceFile>>, CheckError> {
    let (cwd, configured) = (&inputs.cwd, inputs.env.config_path.clone());
    let targets: Vec<PathBuf> = if paths.is_empty() {
        if let Some(missing) = configured.as_deref().filter(|p| !p.exists()) {
            return Err(CheckError::Usage(format!(
                "HUBSPOT_CONFIG_PATH names {}, which does not exist; point it at your config, or unset it to use ~/.hscli/config.yml",
                missing.display()
            )));
        }
        files_in_force(&inputs.start, &inputs.env)
    } else {
        paths.iter().map(|p| if p.is_absolute() { p.clone() } else { cwd.join(p) }).collect()
    };
    let mut out = Vec::new();
    for path in targets {
        let kind = DocKind::of_path(&path, configured.as_deref()).ok_or_else(|| {
            CheckError::Usage(format!(
                "{}: not a HubSpot CLI file (expected .hscli/config.yml, hubspot.config.yml, .hs/settings.json or .hsaccount)",
                path.display()
            ))
        })?;
        let bytes = crate::hubspot::read::read_bytes(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => CheckError::Io(format!("{}: no such file", path.display())),
            _ => CheckError::Io(format!("{}: {e}", path.display())),
        })?;
        let text =
            String::from_utf8(bytes).map_err(|_| CheckError::Io(format!("{}: not UTF-8 text", path.display())))?;
        out.push(Arc::new(SourceFile::parse(path, kind, text)));
    }
    Ok(out)
}

/// With no PATH: the global config, the nearest `.hs/settings.json` and `.hsaccount`, and
/// every `hubspot.config.yml`/`.yaml` up the tree.
fn files_in_force(cwd: &Path, env: &Env) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(g) = env.config_file().filter(|g| g.exists()) {
        out.push(g);
    }
    out.extend(find_up(cwd, SETTINGS_FILE, &Disk));
    out.extend(find_up(cwd, HSACCOUNT_FILE, &Disk));
    for dir in cwd.ancestors() {
        for name in LEGACY_FILES {
            let p = dir.join(name);
            if p.exists() {
                out.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_is_not_written_over_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hubspot.config.yml");
        std::fs::write(&path, "defaultMode: draft\n").unwrap();
        let change = |before: &str| fix::Change {
            path: path.clone(),
            before: before.into(),
            after: "defaultCmsPublishMode: draft\n".into(),
            titles: Vec::new(),
        };
        let refused = write_fixed(&change("defaultMode: publish\n")).unwrap_err();
        assert!(refused.contains("changed on disk"), "{refused}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "defaultMode: draft\n");
        write_fixed(&change("defaultMode: draft\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "defaultCmsPublishMode: draft\n");
    }
}
