//! `hubspot-ls check`: the server's analysis without an editor, for CI and terminals.

mod render;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::world::{DiskCache, Env};
use crate::analysis::{diagnostics, DocKind, Severity, SourceFile, World};
use crate::hubspot::discovery::{find_up, Disk, HSACCOUNT_FILE, LEGACY_FILES, SETTINGS_FILE};

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

pub fn run(paths: &[PathBuf], format: Format, out: &mut dyn std::io::Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let start = search_start(&cwd);
    run_in(&Inputs { cwd, start, env: Env::from_process(None) }, paths, format, out)
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
pub fn run_in(inputs: &Inputs, paths: &[PathBuf], format: Format, out: &mut dyn std::io::Write) -> i32 {
    let files = match collect(paths, inputs) {
        Ok(f) => f,
        Err(CheckError::Usage(m)) | Err(CheckError::Io(m)) => {
            eprintln!("hubspot-ls check: {m}");
            return EXIT_USAGE;
        }
    };
    let world = World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(inputs.env.clone()));
    let reports: Vec<Report> =
        files.into_iter().map(|file| Report { diagnostics: diagnostics::compute(&file, &world), file }).collect();
    if let Err(e) = render::write(&reports, format, &inputs.cwd, out) {
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
    let (cwd, configured) = (&inputs.cwd, inputs.env.config_path.as_deref());
    let targets: Vec<PathBuf> = if paths.is_empty() {
        files_in_force(&inputs.start, &inputs.env)
    } else {
        paths.iter().map(|p| if p.is_absolute() { p.clone() } else { cwd.join(p) }).collect()
    };
    let mut out = Vec::new();
    for path in targets {
        let kind = DocKind::of_path(&path, configured).ok_or_else(|| {
            CheckError::Usage(format!(
                "{}: not a HubSpot CLI file (expected .hscli/config.yml, hubspot.config.yml, .hs/settings.json or .hsaccount)",
                path.display()
            ))
        })?;
        let bytes =
            crate::hubspot::read::read_bytes(&path).map_err(|e| CheckError::Io(format!("{}: {e}", path.display())))?;
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
    if let Some(g) = env.config_file().filter(|g| g.is_file()) {
        out.push(g);
    }
    out.extend(find_up(cwd, SETTINGS_FILE, &Disk));
    out.extend(find_up(cwd, HSACCOUNT_FILE, &Disk));
    for dir in cwd.ancestors() {
        for name in LEGACY_FILES {
            let p = dir.join(name);
            if p.is_file() {
                out.push(p);
            }
        }
    }
    out
}
