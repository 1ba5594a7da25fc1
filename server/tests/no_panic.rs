//! No input makes the analysis panic: random configs, settings files and `.hsaccount` files,
//! structured (fixture texts cut, spliced and sprinkled with YAML/JSON fragments) and
//! byte-level, each checked, completed, hovered, fixed and outlined at random places, and
//! random edit sequences applied through the document store as `didChange` would.
//!
//! `HUBSPOT_LS_FUZZ_CASES` inputs per file kind (default 10,000, what the test command runs); the long run
//! is `tests/fuzz/run.sh`. A failing input is written to `target/fuzz-failure-*.txt`.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use hubspot_ls::analysis::ide::{completion, hover, navigation, symbols};
use hubspot_ls::analysis::world::{DiskCache, Env};
use hubspot_ls::analysis::{actions, diagnostics, DocKind, SourceFile, World};
use hubspot_ls::lsp::documents::{Change, DocumentStore};
use hubspot_ls::syntax::position::LineCol;
use hubspot_ls::syntax::TextRange;

#[path = "common/fixtures.rs"]
mod fixtures;

/// xorshift64*: seeded, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FRAGMENTS: &[&str] = &[
    "\n",
    "  ",
    "- ",
    ": ",
    "#",
    "\t",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "!!str ",
    "~",
    "null",
    "true",
    "1e3",
    "0x1F",
    "-0",
    "99999999999999999999",
    "2024-01-01",
    "accounts:",
    "portals:",
    "- name: x\n",
    "accountId: ",
    "portalId: ",
    "defaultAccount: ",
    "defaultPortal: ",
    "authType: personalaccesskey",
    "personalAccessKey: pat-na1-x",
    "auth:\n  tokenInfo:\n",
    "expiresAt: ",
    "parentAccountId: ",
    "env: qa",
    "accountType: ",
    "httpTimeout: ",
    "\"localDefaultAccount\": ",
    "\"accounts\": [",
    "é",
    "😀",
    "\u{feff}",
    "\r\n",
    "\r",
    "\\",
    "\u{0}",
    "%",
];

/// The fixture texts the inputs are made from, by file kind.
static SEEDS: LazyLock<Vec<(&str, String)>> = LazyLock::new(|| {
    [
        ("config", "02-global-all-auth-types.yml"),
        ("config", "03-legacy-hubspot.config.yml"),
        ("config", "21-portals-and-accounts-both.yml"),
        ("config", "10-edge-token-expiry.yml"),
        ("settings", "12-settings-linked.json"),
        ("settings", "14-settings-invalid-default.json"),
        ("hsaccount", "15-hsaccount-valid.hsaccount"),
        ("hsaccount", "16-hsaccount-invalid-name.hsaccount"),
    ]
    .into_iter()
    .map(|(kind, name)| (kind, fixtures::fixture(name)))
    .collect()
});

/// A structured or a byte-level variant of one of `seeds`.
fn input(rng: &mut Rng, seeds: &[&str]) -> String {
    let mut text = seeds[rng.below(seeds.len())].to_string();
    if rng.below(4) == 0 {
        // Byte level: random bytes spliced in, then made text (the editor sends UTF-8).
        let mut bytes = text.into_bytes();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(bytes.len() + 1);
            let junk: Vec<u8> = (0..rng.below(6)).map(|_| rng.next() as u8).collect();
            bytes.splice(at..at, junk);
        }
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    for _ in 0..1 + rng.below(6) {
        let at = floor_char(&text, rng.below(text.len() + 1));
        match rng.below(4) {
            0 => {
                let end = floor_char(&text, (at + rng.below(40)).min(text.len()));
                text.replace_range(at..end, "");
            }
            1 => {
                // A line of the text itself, elsewhere (duplicates, reordered accounts).
                let line = text.lines().nth(rng.below(text.lines().count().max(1))).unwrap_or("").to_string();
                text.insert_str(at, &format!("{line}\n"));
            }
            _ => text.insert_str(at, rng.pick(FRAGMENTS)),
        }
    }
    text
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

struct Home {
    _dir: tempfile::TempDir,
    global: PathBuf,
    settings: PathBuf,
    hsaccount: PathBuf,
    env: Env,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".hscli")).unwrap();
        let global = home.join(".hscli/config.yml");
        std::fs::write(&global, &SEEDS[0].1).unwrap();
        let env = Env { home: Some(home), ..Env::default() };
        let project = dir.path().join("proj");
        Home {
            settings: project.join(".hs/settings.json"),
            hsaccount: project.join(".hsaccount"),
            global,
            env,
            _dir: dir,
        }
    }

    fn world(&self, open: &[&SourceFile]) -> World {
        let overlay: HashMap<PathBuf, Arc<SourceFile>> =
            open.iter().map(|f| (f.path.clone(), Arc::new((*f).clone()))).collect();
        World::new(overlay, Arc::new(DiskCache::default()), Arc::new(self.env.clone()))
    }
}

/// Everything an editor asks of one file, at random places.
fn exercise(rng: &mut Rng, file: &SourceFile, world: &World) {
    let found = diagnostics::compute(file, world);
    let len = file.text.len();
    let at = floor_char(&file.text, rng.below(len + 1));
    let end = floor_char(&file.text, (at + rng.below(200)).min(len));
    // Every fix of the file now and then (each is checked by a re-read: the costly part),
    // the fixes in a random range otherwise.
    let range = if rng.below(16) == 0 { TextRange::new(0, len) } else { TextRange::new(at, end) };
    let _ = actions::for_diagnostics(file, world, range, &found);
    let _ = completion::complete(file, None, world, at, &completion::Options { snippets: rng.below(2) == 0 });
    let _ = hover::hover(file, world, at, chrono::Utc::now());
    let _ = navigation::definition(file, world, at);
    let _ = navigation::references_to(file, world, at, &[]);
    let _ = symbols::document_symbols(file);
    let _ = symbols::folding_ranges(file);
    let _ = symbols::inlay_hints(file, world);
    let _ = diagnostics::cli_refusal(file);
}

/// A document opened and edited as `didChange` does it, positions anywhere (past the end too).
fn edit_sequence(rng: &mut Rng, home: &Home, path: &Path, kind: DocKind, text: String) {
    let mut store = DocumentStore::default();
    let uri: tower_lsp_server::ls_types::Uri = format!("file://{}", path.display()).parse().unwrap();
    store.open(uri.clone(), path.to_path_buf(), kind, 1, text);
    for version in 2..2 + rng.below(6) as i32 {
        let pos = |rng: &mut Rng| LineCol { line: rng.below(60) as u32, character: rng.below(120) as u32 };
        let (start, end) = (pos(rng), pos(rng));
        let (start, end) =
            if (start.line, start.character) <= (end.line, end.character) { (start, end) } else { (end, start) };
        let change = match rng.below(8) {
            0 => {
                let seed = SEEDS[rng.below(SEEDS.len())].1.as_str();
                Change::Full(input(rng, &[seed]))
            }
            _ => Change::Range { start, end, text: rng.pick(FRAGMENTS).to_string() },
        };
        store.change(&uri, version, vec![change]).expect("an open document");
        let file = store.get(&uri).expect("an open document").file.clone();
        exercise(rng, &file, &home.world(&[&file]));
    }
}

fn cases() -> u64 {
    std::env::var("HUBSPOT_LS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

fn run_kind(kind: &str) {
    let home = Home::new();
    let seeds: Vec<&str> = SEEDS.iter().filter(|(k, _)| *k == kind).map(|(_, t)| t.as_str()).collect();
    let (path, doc_kind) = match kind {
        "config" => (home.global.clone(), DocKind::GlobalConfig),
        "legacy" => (home.global.with_file_name("hubspot.config.yml"), DocKind::LegacyConfig),
        "settings" => (home.settings.clone(), DocKind::Settings),
        _ => (home.hsaccount.clone(), DocKind::HsAccount),
    };
    let seeds = if seeds.is_empty() {
        SEEDS.iter().filter(|(k, _)| *k == "config").map(|(_, t)| t.as_str()).collect()
    } else {
        seeds
    };
    let seed = std::env::var("HUBSPOT_LS_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed);
    let mut rng = Rng(seed ^ kind.len() as u64 ^ 0x9e37_79b9_7f4a_7c15);
    let global = SourceFile::parse(home.global.clone(), DocKind::GlobalConfig, &SEEDS[0].1);
    let n = cases();
    for case in 0..n {
        let text = input(&mut rng, &seeds);
        let state = rng.0;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut rng = Rng(state);
            let file = SourceFile::parse(path.clone(), doc_kind, text.as_str());
            exercise(&mut rng, &file, &home.world(&[&file]));
            // Beside an open global config, and as what a settings file or .hsaccount reads.
            if case % 4 == 0 {
                exercise(&mut rng, &file, &home.world(&[&file, &global]));
            }
            if case % 16 == 0 {
                edit_sequence(&mut rng, &home, &path, doc_kind, text.clone());
            }
        }));
        // The long run reports as it goes, so a run cut short still says how far it got.
        if case > 0 && case % 500_000 == 0 {
            println!("{kind}: {case} inputs so far, no panic");
        }
        if outcome.is_err() {
            let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../target/fuzz-failure-{kind}.txt"));
            let _ = std::fs::write(&out, &text);
            panic!("{kind} case {case} panicked; the input is in {}", out.display());
        }
    }
    println!("{kind}: {n} inputs, no panic");
}

#[test]
fn random_configs_never_panic() {
    run_kind("config");
}

#[test]
fn random_legacy_configs_never_panic() {
    run_kind("legacy");
}

#[test]
fn random_settings_never_panic() {
    run_kind("settings");
}

#[test]
fn random_hsaccount_files_never_panic() {
    run_kind("hsaccount");
}
