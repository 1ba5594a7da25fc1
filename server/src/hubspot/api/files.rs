//! File Manager upload and fetch (spec 7.3), as `hs filemanager upload|fetch` do them:
//! one multipart request per file, sequential, the first failure stops the rest; fetch by
//! `stat`, then folders recursively with paged file lists, downloads with the API's auth.
//!
//! Better than the CLI: names from the server are never allowed to climb out of `dest`, and
//! nothing is written through a symbolic link inside it (a link where a file or folder would
//! be written is refused: `overwrite` replaces files, not what a link points to); downloads
//! are streamed to a temporary file beside their target (at most
//! [`crate::hubspot::limits::MAX_DOWNLOAD_BYTES`]), which replaces it when complete.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client::{ApiRequest, Body, Caller, FormPart, HubSpotClient};
use super::error::{ApiError, RequestContext};
use crate::hubspot::buffers::Buffers;
use crate::hubspot::ignore_rules::IgnoreRules;
use crate::hubspot::write::Replacement;

/// Progress of a long transfer: `done` of `total` (when known), and what is happening.
#[derive(Clone, Debug)]
pub struct Progress {
    pub done: usize,
    pub total: Option<usize>,
    pub message: String,
}

pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// Uploads a file or a folder tree from `src` to the File Manager path `dest`; returns the
/// remote paths written (forward slashes, no leading slash).
pub async fn upload(
    client: &HubSpotClient,
    caller: &Caller,
    src: &Path,
    dest: &str,
    progress: OnProgress<'_>,
) -> Result<Vec<String>, ApiError> {
    let local = |message: String| ApiError::Local { message };
    let meta = std::fs::metadata(src).map_err(|e| local(format!("Cannot upload {}: {e}.", src.display())))?;
    let rules = IgnoreRules::for_upload(src);
    let dest = dest.replace('\\', "/");
    let dest = dest.trim_matches('/');
    let plan: Vec<(PathBuf, String)> = if meta.is_dir() {
        let mut files = Vec::new();
        walk(src, &rules, &mut files).map_err(|e| local(format!("Cannot read {}: {e}.", src.display())))?;
        files
            .into_iter()
            .filter_map(|f| {
                let rel = f.strip_prefix(src).ok()?.to_string_lossy().replace('\\', "/");
                let remote = if dest.is_empty() { rel } else { format!("{dest}/{rel}") };
                Some((f, remote))
            })
            .collect()
    } else {
        if rules.is_ignored(src, false) {
            return Err(local(format!(
                "{} is ignored by the CLI's upload rules (dotfiles, config files, node_modules, *.log, ... and .hsignore), so it is not uploaded.",
                src.display()
            )));
        }
        let name = src.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        vec![(src.to_path_buf(), if dest.is_empty() { name } else { dest.to_string() })]
    };
    let total = plan.len();
    let mut uploaded = Vec::with_capacity(total);
    for (i, (file, remote)) in plan.iter().enumerate() {
        progress(Progress { done: i, total: Some(total), message: format!("uploading {remote}") });
        let bytes = std::fs::read(file).map_err(|e| local(format!("Cannot read {}: {e}.", file.display())))?;
        let req = upload_request(file, remote, bytes);
        // The answer (`{objects: [File]}`) is not used, but one that does not even parse is
        // no confirmation that the file arrived: reported, not counted as uploaded.
        if let Err(e) = client.call_json(caller, &req).await {
            let done = if uploaded.is_empty() {
                String::new()
            } else {
                format!(" (uploaded before the failure: {})", uploaded.join(", "))
            };
            return Err(match e {
                ApiError::Status { ctx, status, body, hint } => ApiError::Status {
                    ctx,
                    status,
                    body,
                    hint: hint.or_else(|| (!done.is_empty()).then(|| format!("Stopped there{done}."))),
                },
                other => other,
            });
        }
        uploaded.push(remote.clone());
    }
    progress(Progress { done: total, total: Some(total), message: "uploaded".into() });
    Ok(uploaded)
}

fn upload_request(file: &Path, remote: &str, bytes: Vec<u8>) -> ApiRequest {
    let (folder, name) = match remote.rsplit_once('/') {
        Some((dir, name)) if !dir.is_empty() => (dir.to_string(), name.to_string()),
        Some((_, name)) => ("/".to_string(), name.to_string()),
        None => ("/".to_string(), remote.to_string()),
    };
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let text = |name: &str, v: String| FormPart {
        name: name.into(),
        file_name: None,
        content_type: None,
        bytes: v.into_bytes(),
    };
    let parts = vec![
        FormPart { name: "file".into(), content_type: Some(content_type(file).into()), file_name, bytes },
        text("fileName", name),
        text("options", json!({"access": "PUBLIC_INDEXABLE", "overwrite": true}).to_string()),
        text("folderPath", folder),
    ];
    let mut req = ApiRequest::new(Method::POST, "filemanager/api/v3/files/upload", format!("upload \"{remote}\""));
    req.body = Body::Multipart(parts);
    req
}

/// Files below `dir` that the rules keep, sorted so uploads happen in a stable order.
fn walk(dir: &Path, rules: &IgnoreRules, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let ft = e.file_type()?;
        if ft.is_symlink() {
            continue;
        }
        if rules.is_ignored(&path, ft.is_dir()) {
            continue;
        }
        if ft.is_dir() {
            walk(&path, rules, out)?;
        } else if ft.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// The per-part content type, guessed from the extension as the CLI does.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("txt") => "text/plain",
        Some("html" | "htm") => "text/html",
        Some("css") => "text/css",
        Some("js" | "mjs") => "application/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("csv") => "text/csv",
        Some("xml") => "application/xml",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[derive(Deserialize, Debug)]
struct RemoteFile {
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
        for f in objects {
            let file: RemoteFile = serde_json::from_value(f.clone()).map_err(|e| bad(format!("file: {e}")))?;
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
    let mut req = ApiRequest::new(Method::GET, url, format!("download \"{full_name}\""));
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
    fn upload_parts_follow_the_cli() {
        let req = upload_request(Path::new("/x/hello.txt"), "docs/hello.txt", b"hi".to_vec());
        let Body::Multipart(parts) = &req.body else { panic!("multipart") };
        let names: Vec<_> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["file", "fileName", "options", "folderPath"]);
        assert_eq!(parts[0].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].bytes, b"hello.txt");
        assert_eq!(parts[3].bytes, b"docs");
        let req = upload_request(Path::new("/x/hello.txt"), "hello.txt", vec![]);
        let Body::Multipart(parts) = &req.body else { panic!("multipart") };
        assert_eq!(parts[3].bytes, b"/");
    }

    #[test]
    fn server_names_cannot_escape() {
        assert_eq!(safe_name("a.txt"), Some("a.txt"));
        assert_eq!(safe_name(".."), None);
        assert_eq!(safe_name("../etc/passwd"), None);
        assert_eq!(safe_name(""), None);
    }
}
