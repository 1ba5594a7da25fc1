//! `hubspot.files.upload|fetch`, with `$/progress` when the client takes it.

use serde::Deserialize;
use serde_json::{json, Value};

use super::context::progress_pump;
use super::{args, CommandCtx};
use crate::hubspot::api::files::{self, FetchOptions};
use crate::hubspot::ops::{OpError, OpResult};
use crate::hubspot::target;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Upload {
    src: Option<String>,
    dest: Option<String>,
    #[serde(default, deserialize_with = "super::account_ident")]
    account: Option<String>,
    directory: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fetch {
    src: Option<String>,
    dest: Option<String>,
    #[serde(default)]
    overwrite: bool,
    #[serde(default)]
    include_archived: bool,
    #[serde(default, deserialize_with = "super::account_ident")]
    account: Option<String>,
    directory: Option<String>,
}

pub async fn upload(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Upload = args("hubspot.files.upload", arg)?;
    let src = ctx.path(
        a.src
            .as_deref()
            .ok_or_else(|| OpError::invalid("hubspot.files.upload needs `src`, the local file or folder."))?,
    )?;
    let dest = a.dest.ok_or_else(|| OpError::invalid("hubspot.files.upload needs `dest`, the File Manager path."))?;
    let t = target::resolve(&ctx.env, &ctx.directory(a.directory.as_deref())?, a.account.as_deref(), &ctx.writer)?;
    let handle = ctx.begin_progress(&format!("Uploading {}", src.display())).await;
    let (on_progress, pump) = progress_pump(handle.clone());
    let result = files::upload(&ctx.api, &t.caller, &src, &dest, &on_progress).await;
    drop(on_progress);
    let _ = pump.await;
    if let Some(h) = handle {
        h.end(match &result {
            Ok(u) => format!("uploaded {} file(s)", u.len()),
            Err(_) => "upload failed".into(),
        })
        .await;
    }
    Ok(json!({ "uploaded": result? }))
}

pub async fn fetch(ctx: &CommandCtx, arg: Value) -> OpResult<Value> {
    let a: Fetch = args("hubspot.files.fetch", arg)?;
    let src = a.src.clone().ok_or_else(|| {
        OpError::invalid("hubspot.files.fetch needs `src`, the File Manager path (`/` for everything).")
    })?;
    let dest = match a.dest.as_deref() {
        Some(d) => ctx.path(d)?,
        None => ctx.directory(a.directory.as_deref())?,
    };
    let t = target::resolve(&ctx.env, &ctx.directory(a.directory.as_deref())?, a.account.as_deref(), &ctx.writer)?;
    let handle = ctx.begin_progress(&format!("Fetching {src}")).await;
    let (on_progress, pump) = progress_pump(handle.clone());
    let opts = FetchOptions {
        overwrite: a.overwrite,
        include_archived: a.include_archived,
        buffers: std::sync::Arc::clone(&ctx.writer.buffers),
    };
    let result = files::fetch(&ctx.api, &t.caller, &src, &dest, &opts, &on_progress).await;
    drop(on_progress);
    let _ = pump.await;
    if let Some(h) = handle {
        h.end(match &result {
            Ok(f) => format!("wrote {} file(s), skipped {}", f.written.len(), f.skipped.len()),
            Err(_) => "fetch failed".into(),
        })
        .await;
    }
    let f = result?;
    let paths = |v: Vec<std::path::PathBuf>| v.into_iter().map(|p| p.display().to_string()).collect::<Vec<_>>();
    Ok(json!({ "written": paths(f.written), "skipped": paths(f.skipped) }))
}
