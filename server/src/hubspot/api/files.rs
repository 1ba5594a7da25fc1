//! File Manager upload and fetch, as `hs filemanager upload|fetch` do them (docs/hubspot-cli.md,
//! *File Manager upload* and *File Manager fetch*): uploads in [`upload`]; fetch by `stat`,
//! then folders recursively with paged file lists, downloads with the API's auth.
//!
//! Better than the CLI: names from the server are never allowed to climb out of `dest`, and
//! nothing is written through a symbolic link inside it (a link where a file or folder would
//! be written is refused: `overwrite` replaces files, not what a link points to); downloads
//! are streamed to a temporary file beside their target (at most
//! [`crate::hubspot::limits::MAX_DOWNLOAD_BYTES`]), which replaces it when complete.

mod upload;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::client::{ApiRequest, Caller, HubSpotClient};
use super::error::{ApiError, RequestContext};
use crate::hubspot::buffers::Buffers;
use crate::hubspot::write::Replacement;
pub use upload::{content_type, upload};

/// Progress of a long transfer: `done` of `total` (when known), and what is happening.
#[derive(Clone, Debug)]
pub struct Progress {
    pub done: usize,
    pub total: Option<usize>,
    pub message: String,
}

pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Send + Sync);

#[derive(Deserialize, Debug)]
struct RemoteFile {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    name: String,
    #[serde(default)]
    extension: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    hidden: bool,
}

#[derive(Deserialize, Debug)]
struct RemoteFolder {
    id: Value,
    #[serde(default)]
    name: String,
}

#[derive(Default)]
pub struct Fetched {
    pub written: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
}

pub struct FetchOptions {
    pub overwrite: bool,
    pub include_archived: bool,
    /// The editor's buffers: a fetched file open there with unsaved changes is not replaced.
    pub buffers: Arc<Buffers>,
}

/// Downloads the File Manager file or folder `src` into `dest` (a folder lands in
/// `<dest>/<folder name>/…`, the root `/` straight in `dest`).
// The error of `create_dest`: see `enter_dir`.
#[allow(clippy::result_large_err)]
pub async fn fetch(
    client: &HubSpotClient,
    caller: &Caller,
    src: &str,
    dest: &Path,
    opts: &FetchOptions,
    progress: OnProgress<'_>,
) -> Result<Fetched, ApiError> {
    let mut out = Fetched::default();
    // `dest` itself is the user's choice, link or not; below it nothing is written through one.
    let create_dest = || {
        std::fs::create_dir_all(dest)
            .map_err(|e| ApiError::Local { message: format!("Cannot create {}: {e}.", dest.display()) })
    };
    let ctx = |what: &str| RequestContext {
        what: what.into(),
        account: caller.account.label(),
        account_id: caller.account.account_id,
    };
    if src.trim_matches('/').is_empty() {
        create_dest()?;
        fetch_folder(client, caller, &Value::String("None".into()), dest, opts, &mut out, progress, 0).await?;
        return Ok(out);
    }
    let what = format!("find \"{src}\" in the File Manager");
    let stat = ApiRequest::new(
        Method::GET,
        format!("filemanager/api/v2/files/stat/{}", src.trim_start_matches('/')),
        what.clone(),
    );
    let body = client.call_json(caller, &stat).await?;
    let bad = |detail: String| ApiError::BadResponse { ctx: ctx(&what), detail };
    if let Some(f) = body.get("file").filter(|f| !f.is_null()) {
        let file: RemoteFile = serde_json::from_value(f.clone()).map_err(|e| bad(format!("file: {e}")))?;
        if file.archived && !opts.include_archived {
            return Err(ApiError::Local {
                message: format!("\"{src}\" is archived: fetch it with includeArchived: true."),
            });
        }
        if file.hidden {
            return Err(ApiError::Local { message: format!("\"{src}\" is a hidden file and cannot be fetched.") });
        }
        create_dest()?;
        download(client, caller, &file, dest, opts, &mut out).await?;
        progress(Progress { done: out.written.len() + out.skipped.len(), total: Some(1), message: "fetched".into() });
        return Ok(out);
    }
    if let Some(f) = body.get("folder").filter(|f| !f.is_null()) {
        let folder: RemoteFolder = serde_json::from_value(f.clone()).map_err(|e| bad(format!("folder: {e}")))?;
        let root =
            dest.join(safe_name(&folder.name).ok_or_else(|| bad(format!("unsafe folder name {:?}", folder.name)))?);
        create_dest()?;
        enter_dir(&root)?;
        fetch_folder(client, caller, &folder.id, &root, opts, &mut out, progress, 0).await?;
        return Ok(out);
    }
    Err(ApiError::Local {
        message: format!(
            "\"{src}\" is neither a file nor a folder in the File Manager of account {}.",
            caller.account.label()
        ),
    })
}

/// Folders nest at most this deep: a server that answers in a cycle cannot hang us.
const MAX_DEPTH: usize = 64;

#[allow(clippy::too_many_arguments)]
async fn fetch_folder(
    client: &HubSpotClient,
    caller: &Caller,
    id: &Value,
    local: &Path,
    opts: &FetchOptions,
    out: &mut Fetched,
    progress: OnProgress<'_>,
    depth: usize,
) -> Result<(), ApiError> {
    if depth > MAX_DEPTH {
        return Err(ApiError::Local {
            message: format!("Folders nest deeper than {MAX_DEPTH} levels at {}; stopping.", local.display()),
        });
    }
    let id_text = match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let what = format!("list the File Manager folder {id_text}");
    let bad = |detail: String| ApiError::BadResponse {
        ctx: RequestContext {
            what: what.clone(),
            account: caller.account.label(),
            account_id: caller.account.account_id,
        },
        detail,
    };
    // The first level is `dest` itself, or a folder the caller entered.
    if depth > 0 {
        enter_dir(local)?;
    }
    let mut offset = 0usize;
    // A page of files all listed before is HubSpot repeating itself (a `total_count` never
    // reached), which would otherwise never end. (Pages may overlap when files are added
    // meanwhile; a live and an archived file may share a name.)
    let mut seen = std::collections::HashSet::new();
    loop {
        let mut req = ApiRequest::new(Method::GET, "filemanager/api/v2/files/", what.clone())
            .query("hidden", "0")
            .query("offset", offset.to_string())
            .query("folder_id", id_text.clone());
        if !opts.include_archived {
            req = req.query("archived", "0");
        }
        let page = client.call_json(caller, &req).await?;
        let objects = page.get("objects").and_then(Value::as_array).ok_or_else(|| bad("no `objects` list".into()))?;
        let total = page.get("total_count").and_then(Value::as_u64).unwrap_or(0) as usize;
        let files: Vec<RemoteFile> = objects
            .iter()
            .map(|f| serde_json::from_value(f.clone()))
            .collect::<Result<_, _>>()
            .map_err(|e| bad(format!("file: {e}")))?;
        let before = seen.len();
        seen.extend(files.iter().map(|f| (f.id.to_string(), f.name.clone(), f.extension.clone(), f.url.clone())));
        if !files.is_empty() && seen.len() == before {
            return Err(bad(format!("the files at offset {offset} were listed before; stopping")));
        }
        for file in files {
            download(client, caller, &file, local, opts, out).await?;
            progress(Progress {
                done: out.written.len() + out.skipped.len(),
                total: None,
                message: format!("fetched {}", file.name),
            });
        }
        offset += objects.len();
        if objects.is_empty() || offset >= total {
            break;
        }
    }
    let req = ApiRequest::new(Method::GET, "filemanager/api/v2/folders/", what.clone())
        .query("hidden", "0")
        .query("parent_folder_id", id_text.clone());
    let folders = client.call_json(caller, &req).await?;
    let folders = folders.get("objects").and_then(Value::as_array).cloned().unwrap_or_default();
    for f in folders {
        let folder: RemoteFolder = serde_json::from_value(f).map_err(|e| bad(format!("folder: {e}")))?;
        let name = safe_name(&folder.name).ok_or_else(|| bad(format!("unsafe folder name {:?}", folder.name)))?;
        Box::pin(fetch_folder(client, caller, &folder.id, &local.join(name), opts, out, progress, depth + 1)).await?;
    }
    Ok(())
}

async fn download(
    client: &HubSpotClient,
    caller: &Caller,
    file: &RemoteFile,
    dir: &Path,
    opts: &FetchOptions,
    out: &mut Fetched,
) -> Result<(), ApiError> {
    let full_name = match file.extension.as_deref().filter(|e| !e.is_empty()) {
        Some(ext) => format!("{}.{ext}", file.name),
        None => file.name.clone(),
    };
    let bad = |detail: String| ApiError::BadResponse {
        ctx: RequestContext {
            what: format!("download \"{full_name}\""),
            account: caller.account.label(),
            account_id: caller.account.account_id,
        },
        detail,
    };
    let name = safe_name(&full_name).ok_or_else(|| bad(format!("unsafe file name {full_name:?}")))?;
    let target = dir.join(name);
    // A dangling link exists too: never "absent", so never written through.
    if std::fs::symlink_metadata(&target).is_ok() && !opts.overwrite {
        out.skipped.push(target);
        return Ok(());
    }
    let url = file.url.clone().ok_or_else(|| bad("the file has no download URL".into()))?;
    let mut req = ApiRequest::of_url(Method::GET, url, format!("download \"{full_name}\""));
    req.binary = true;
    let cannot_write =
        |e: std::io::Error| ApiError::Local { message: format!("Cannot write {}: {e}.", target.display()) };
    let replacement = Replacement::begin(&target, 0o644).map_err(cannot_write)?;
    let mut content = tokio::fs::File::from_std(replacement.file().map_err(cannot_write)?);
    client.download(caller, &req, &mut content).await?;
    drop(content);
    let buffers = Arc::clone(&opts.buffers);
    tokio::task::spawn_blocking(move || replacement.commit(&buffers))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())))
        .map_err(cannot_write)?;
    out.written.push(target);
    Ok(())
}

/// A folder below `dest` to write into: created when absent; a symbolic link (to anywhere)
/// or a file in its place is refused.
// ApiError carries the request's context into every message; these run once per folder, where
// a 160-byte error costs nothing next to the request, so it is not boxed.
#[allow(clippy::result_large_err)]
fn enter_dir(dir: &Path) -> Result<(), ApiError> {
    let refuse = |why: &str| Err(ApiError::Local { message: format!("Cannot write into {}: {why}.", dir.display()) });
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => refuse(
            "it is a symbolic link, and hubspot-ls never writes through one; remove the link, or fetch into another folder",
        ),
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => refuse("a file has that name"),
        Err(_) => std::fs::create_dir_all(dir)
            .map_err(|e| ApiError::Local { message: format!("Cannot create {}: {e}.", dir.display()) }),
    }
}

/// A single path component from the server, or `None` when it would leave its folder.
fn safe_name(name: &str) -> Option<&str> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains('/')
        && !name.contains('\\')
        && !name.contains('\0');
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_cannot_escape() {
        assert_eq!(safe_name("a.txt"), Some("a.txt"));
        assert_eq!(safe_name(".."), None);
        assert_eq!(safe_name("../etc/passwd"), None);
        assert_eq!(safe_name(""), None);
    }
}
