//! The analysis itself, without the protocol: parse, diagnose (schema + semantic checks, and
//! the conversion to LSP positions), complete and hover, on generated global configs of 10,
//! 2,000 and 20,000 accounts (the same shape as `tests/bench/gen.py`).
//!
//!   cargo bench -p hubspot-ls --bench analysis            # all
//!   cargo bench -p hubspot-ls --bench analysis -- parse   # a group
//!
//! `cargo test --benches` runs each benchmark once, as a smoke test.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ropey::Rope;

use hubspot_ls::analysis::ide::{completion, hover};
use hubspot_ls::analysis::schema::{self, SchemaKind};
use hubspot_ls::analysis::world::{DiskCache, Env};
use hubspot_ls::analysis::{diagnostics, DocKind, SourceFile, World};
use hubspot_ls::syntax::position::{line_col_to_offset, offset_to_line_col, LineCol};
use hubspot_ls::syntax::yaml;

const SIZES: [usize; 3] = [10, 2_000, 20_000];
const FIRST_ID: u64 = 20_000_001;

/// A config of `n` accounts with a planted error every ~200 accounts, and the byte offset
/// of the middle account's `env: ` value (for completion) and `authType` key (for hover).
fn config(n: usize) -> (String, usize, usize) {
    let mut s = String::from("defaultAccount: 20000001\ndefaultCmsPublishMode: publish\nhttpTimeout: 30000\nallowUsageTracking: false\naccounts:\n");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ n as u64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let step = (n / (n / 200).max(4)).max(1);
    let (mut complete_at, mut hover_at) = (0, 0);
    for i in 0..n {
        let planted = i % step == step / 2;
        let kind = (i / step) % 5;
        let id = FIRST_ID + i as u64;
        if planted && kind == 4 && i > 0 {
            s.push_str(&format!("  - name: PORTAL-{:05}\n", i - 1));
        } else {
            s.push_str(&format!("  - name: portal-{i:05}\n"));
        }
        if planted && kind == 1 {
            s.push_str(&format!("    accountId: \"{id}\"\n"));
        } else {
            s.push_str(&format!("    accountId: {id}\n"));
        }
        if i == n / 2 {
            complete_at = s.len() + "    env: ".len();
        }
        s.push_str(if planted && kind == 3 { "    env: production\n" } else { "    env: prod\n" });
        if i == n / 2 {
            hover_at = s.len() + "    auth".len();
        }
        s.push_str(if planted && kind == 0 {
            "    authType: PersonalAccessKey\n"
        } else {
            "    authType: personalaccesskey\n"
        });
        const TYPES: [&str; 6] =
            ["STANDARD", "STANDARD", "STANDARD", "DEVELOPMENT_SANDBOX", "DEVELOPER_TEST", "APP_DEVELOPER"];
        let ty = TYPES[i % 6];
        s.push_str(&format!("    {}: {ty}\n", if planted && kind == 2 { "acountType" } else { "accountType" }));
        if matches!(ty, "DEVELOPMENT_SANDBOX" | "DEVELOPER_TEST") {
            // Sandboxes and test accounts name the standard account they belong to.
            s.push_str(&format!("    parentAccountId: {}\n", FIRST_ID + (i - i % 6) as u64));
        }
        s.push_str(&format!(
            "    personalAccessKey: pat-na1-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}\n",
            rand() as u32,
            rand() as u16,
            rand() as u16,
            rand() as u16,
            rand() & 0xffff_ffff_ffff
        ));
        s.push_str("    auth:\n      tokenInfo:\n        accessToken: CN");
        for _ in 0..150 {
            s.push(alphabet[(rand() % 64) as usize] as char);
        }
        s.push_str(&format!("\n        expiresAt: '2026-12-{:02}T{:02}:{:02}:00.000Z'\n", 1 + i % 28, i % 24, i % 60));
    }
    (s, complete_at, hover_at)
}

fn world() -> World {
    World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(Env::default()))
}

fn path() -> PathBuf {
    // Not on disk: the file checks (permissions, git) find nothing, as for an unsaved buffer.
    PathBuf::from("/nonexistent/hubspot-ls-bench/.hscli/config.yml")
}

fn bench(c: &mut Criterion) {
    let inputs: Vec<(usize, String, usize, usize)> = SIZES
        .iter()
        .map(|&n| {
            let (t, comp, hov) = config(n);
            (n, t, comp, hov)
        })
        .collect();
    let w = world();

    let mut g = c.benchmark_group("parse");
    for (n, text, _, _) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        // Freeing the tree is not part of reading it (the server frees old trees elsewhere).
        g.bench_with_input(BenchmarkId::from_parameter(n), text, |b, t| {
            b.iter_with_large_drop(|| yaml::parse(black_box(t)))
        });
    }
    g.finish();

    // The line index of an opened document.
    let mut g = c.benchmark_group("rope");
    for (n, text, _, _) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), text, |b, t| {
            b.iter_with_large_drop(|| Rope::from_str(black_box(t)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("diagnose");
    for (n, text, _, _) in &inputs {
        let file = SourceFile::parse(path(), DocKind::GlobalConfig, text.as_str());
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &file, |b, f| {
            b.iter(|| diagnostics::compute(black_box(f), &w))
        });
    }
    g.finish();

    // A file just opened: no account's report is kept yet, so every account is checked (on
    // every core). The parse is set-up, not timed.
    let mut g = c.benchmark_group("diagnose_fresh");
    for (n, text, _, _) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), text, |b, t| {
            b.iter_batched(
                || SourceFile::parse(path(), DocKind::GlobalConfig, t.as_str()),
                |f| diagnostics::compute(&f, &w),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();

    // What a keystroke costs the server: rebuild the text, parse, diagnose, convert every
    // range to a UTF-16 position.
    let mut g = c.benchmark_group("edit_parse_diagnose_positions");
    for (n, text, _, _) in &inputs {
        let rope = Rope::from_str(text);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &rope, |b, r| {
            b.iter(|| {
                let file = SourceFile::parse(path(), DocKind::GlobalConfig, r.to_string());
                let found = diagnostics::compute(&file, &w);
                found
                    .iter()
                    .map(|d| {
                        (offset_to_line_col(r, d.range.start as usize), offset_to_line_col(r, d.range.end as usize))
                    })
                    .collect::<Vec<_>>()
            })
        });
    }
    g.finish();

    // A keystroke inside one account, as the server handles it: the whole text read and
    // checked again. Each iteration makes the account's `env` wrong and then right again.
    let mut g = c.benchmark_group("edit_one_account");
    for (n, text, at, _) in &inputs {
        let (good, bad) = (text.clone(), format!("{}prd{}", &text[..*at], &text[*at + "prod".len()..]));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let file = SourceFile::parse(path(), DocKind::GlobalConfig, bad.as_str());
                let found = diagnostics::compute(&file, &w).len();
                let file = SourceFile::parse(path(), DocKind::GlobalConfig, good.as_str());
                found + diagnostics::compute(&file, &w).len()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("complete");
    for (n, text, at, _) in &inputs {
        let file = SourceFile::parse(path(), DocKind::GlobalConfig, text.as_str());
        let opts = completion::Options { snippets: false };
        g.bench_with_input(BenchmarkId::from_parameter(n), &file, |b, f| {
            b.iter(|| {
                let items = completion::complete(black_box(f), f.tree.as_deref(), &w, *at, &opts);
                assert!(!items.is_empty());
                items
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("hover");
    for (n, text, _, at) in &inputs {
        let file = SourceFile::parse(path(), DocKind::GlobalConfig, text.as_str());
        let now = chrono::Utc::now();
        g.bench_with_input(BenchmarkId::from_parameter(n), &file, |b, f| {
            b.iter(|| {
                let h = hover::hover(black_box(f), &w, *at, now);
                assert!(h.is_some());
                h
            })
        });
    }
    g.finish();

    // What the first validation of a process pays (the validators are compiled once).
    let mut g = c.benchmark_group("schema_compile");
    for kind in [SchemaKind::Config, SchemaKind::Settings] {
        g.bench_function(format!("{kind:?}"), |b| {
            b.iter(|| jsonschema::draft202012::new(black_box(schema::schema(kind))).is_ok())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("position");
    for (n, text, _, _) in &inputs {
        let rope = Rope::from_str(text);
        let end = text.len();
        g.bench_with_input(BenchmarkId::from_parameter(n), &rope, |b, r| {
            b.iter(|| {
                let lc = offset_to_line_col(r, black_box(end / 2));
                line_col_to_offset(r, LineCol { line: lc.line, character: lc.character })
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
