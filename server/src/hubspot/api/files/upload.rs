//! `hs filemanager upload`: one multipart request per file, sequential, the first failure
//! stops the rest.
//!
//! Better than the CLI: only regular files and folders are uploaded (a FIFO, a device or a
//! socket is refused by its metadata, never opened, so `/dev/zero` or a pipe cannot hang the
//! server or eat its memory); every file is read off the request task and at most
//! [`MAX_UPLOAD_FILE_BYTES`]; a name with a line break is refused before anything is sent.

// ApiError carries the request's context into every message; these run once per file, where
// a 160-byte error costs nothing next to the upload, so it is not boxed.
#![allow(clippy::result_large_err)]

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use reqwest::Method;
use serde_json::json;

use super::{OnProgress, Progress};
use crate::hubspot::api::client::{ApiRequest, Body, Caller, FormPart, HubSpotClient};
use crate::hubspot::api::error::ApiError;
use crate::hubspot::limits::MAX_UPLOAD_FILE_BYTES;
use crate::hubspot::upload_ignore::IgnoreRules;

/// Uploads a file or a folder tree from `src` to the File Manager path `dest`; returns the
/// remote paths written (forward slashes, no leading slash).
pub async fn upload(
    client: &HubSpotClient,
    caller: &Caller,
    src: &Path,
    dest: &str,
    progress: OnProgress<'_>,
) -> Result<Vec<String>, ApiError> {
    let (src_owned, dest_owned) = (src.to_path_buf(), dest.to_string());
    let plan = off_task(move || plan(&src_owned, &dest_owned)).await?;
    let total = plan.len();
    let mut uploaded = Vec::with_capacity(total);
    for (i, (file, remote)) in plan.iter().enumerate() {
        progress(Progress { done: i, total: Some(total), message: format!("uploading {remote}") });
        let path = file.clone();
        let bytes = off_task(move || read_source(&path)).await?;
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

/// Blocking file-system work on tokio's blocking pool, not on the request task: a slow disk
/// (or a file that blocks on open) holds up this command only.
async fn off_task<T: Send + 'static>(f: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(ApiError::Local { message: format!("Reading the files to upload failed: {e}.") }))
}

fn local(message: String) -> ApiError {
    ApiError::Local { message }
}

/// The files to send and their remote paths, every one checked before anything is sent.
fn plan(src: &Path, dest: &str) -> Result<Vec<(PathBuf, String)>, ApiError> {
    // `metadata` only looks (it follows a link to what it names); nothing is opened here.
    let meta = fs::metadata(src).map_err(|e| local(format!("Cannot upload {}: {e}.", src.display())))?;
    if !meta.is_file() && !meta.is_dir() {
        return Err(not_a_file(src, &meta));
    }
    let rules = IgnoreRules::for_upload(src);
    let whole_dest = dest;
    let dest = dest.replace('\\', "/");
    let dest = dest.trim_matches('/');
    let plan: Vec<(PathBuf, String)> = if meta.is_dir() {
        let mut files = Vec::new();
        walk(src, &rules, &mut files).map_err(|e| local(format!("Cannot read {}: {e}.", src.display())))?;
        files
            .into_iter()
            .filter_map(|f| {
                let rel = f.strip_prefix(src).ok()?.to_string_lossy().replace('\\', "/");
                Some((f, joined(whole_dest, &rel)))
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
    for (file, remote) in &plan {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.chars().chain(remote.chars()).any(char::is_control) {
            return Err(local(format!(
                "Cannot upload {:?}: its name has a line break or another control character, which an upload cannot carry; rename it. Nothing was uploaded.",
                file.display().to_string()
            )));
        }
    }
    Ok(plan)
}

/// Where the CLI uploads a folder's file: `path.join(dest, rel)` normalised (`a/../b` is `b`,
/// `./s` is `s`; `/site` stays absolute and `..` stops there), then made a Unix path
/// (`unixify`: backslashes become slashes, a leading `C:` or `./` goes).
fn joined(dest: &str, rel: &str) -> String {
    let absolute = dest.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in dest.split('/').chain(rel.split('/')) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            _ => parts.push(part),
        }
    }
    let normal = format!("{}{}", if absolute { "/" } else { "" }, parts.join("/")).replace('\\', "/");
    let mut unix = String::with_capacity(normal.len());
    for c in normal.chars() {
        if !(c == '/' && unix.ends_with('/')) {
            unix.push(c);
        }
    }
    let drive = unix.find(':').filter(|&i| i > 0 && unix[..i].chars().all(|c| c.is_ascii_alphabetic()));
    match drive {
        Some(i) => unix[i + 1..].to_string(),
        None => unix.strip_prefix("./").map(str::to_string).unwrap_or(unix),
    }
}

/// A regular file's bytes, checked again on the open handle (the path may have been replaced
/// since it was planned), and never more than the limit.
fn read_source(path: &Path) -> Result<Vec<u8>, ApiError> {
    let cannot = |e: std::io::Error| local(format!("Cannot read {}: {e}.", path.display()));
    let meta = fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_a_file(path, &meta));
    }
    let file = fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_a_file(path, &meta));
    }
    let too_big = || {
        local(format!(
            "Cannot upload {}: it is larger than {} MiB, the most hubspot-ls uploads in one file (it is held in memory while it is sent).",
            path.display(),
            MAX_UPLOAD_FILE_BYTES / (1024 * 1024)
        ))
    };
    if meta.len() > MAX_UPLOAD_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_UPLOAD_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_UPLOAD_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

fn not_a_file(path: &Path, meta: &fs::Metadata) -> ApiError {
    local(format!(
        "Cannot upload {}: it is {}, not a regular file or a folder; only files and folders can be uploaded.",
        path.display(),
        kind(meta)
    ))
}

#[cfg(unix)]
fn kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind(_meta: &fs::Metadata) -> &'static str {
    "a special file"
}

pub(super) fn upload_request(file: &Path, remote: &str, bytes: Vec<u8>) -> ApiRequest {
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

/// Files below `dir` that the rules keep, sorted so uploads happen in a stable order. Links
/// and special files are skipped.
fn walk(dir: &Path, rules: &IgnoreRules, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.filter_map(Result::ok).collect();
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
    fn a_folders_files_land_where_the_clis_path_join_puts_them() {
        for (dest, remote) in [
            ("a/../b", "b/f.txt"),
            ("./s", "s/f.txt"),
            ("a//b", "a/b/f.txt"),
            ("a/./b", "a/b/f.txt"),
            (".", "f.txt"),
            ("", "f.txt"),
        ] {
            assert_eq!(joined(dest, "f.txt"), remote, "{dest}");
        }
        assert_eq!(joined("../x", "d/f.txt"), "../x/d/f.txt");
        for (dest, remote) in [
            ("/site", "/site/f.txt"),
            ("/assets/", "/assets/f.txt"),
            ("/..", "/f.txt"),
            ("//..//x", "/x/f.txt"),
            ("/a/../..", "/f.txt"),
            ("a\\..\\b", "a/../b/f.txt"),
            ("C:\\x", "/x/f.txt"),
        ] {
            assert_eq!(joined(dest, "f.txt"), remote, "{dest}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_and_folders_are_planned() {
        for special in ["/dev/zero", "/dev/null"] {
            let err = plan(Path::new(special), "x").unwrap_err().to_string();
            assert!(err.contains("a character device") && err.contains("only files and folders"), "{err}");
        }
        let dir = tempfile::tempdir().unwrap();
        let name = dir.path().join("line\nbreak.txt");
        std::fs::write(&name, "x").unwrap();
        let err = plan(&name, "").unwrap_err().to_string();
        assert!(err.contains("line break") && err.contains("Nothing was uploaded"), "{err}");
        // Inside a folder too, before anything is sent.
        assert!(plan(dir.path(), "site").is_err());
        assert!(read_source(Path::new("/dev/zero")).is_err(), "checked again when read");
    }
}
