//! The File Manager: upload, stat, paged file listing, folder listing, and the
//! CDN that serves the bytes back (behind the same credentials, as the CLI sends them).

use axum::http::{header, HeaderValue};
use axum::response::Response;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

use crate::model::{Recorded, UploadedFile};
use crate::respond::{self, bad_request, not_found};
use crate::state::{File, FileData, Folder, Inner, Shared};

pub const UPLOAD: &str = "/filemanager/api/v3/files/upload";
pub const STAT: &str = "/filemanager/api/v2/files/stat/";
pub const FILES: &str = "/filemanager/api/v2/files";
pub const FOLDERS: &str = "/filemanager/api/v2/folders";
pub const CDN: &str = "/__cdn/";

pub fn file_json(st: &Inner, f: &File) -> Value {
    let full_name = full_name(f);
    let url = format!("{}{CDN}{}/{}", st.base_url, f.id, encode_segment(&full_name));
    let folder_path = st.folder_path(f.folder);
    json!({
        "id": f.id,
        "portal_id": f.hub_id,
        "name": f.name,
        "extension": f.extension,
        "type": file_type(&f.extension),
        "size": f.bytes.len(),
        "folder_id": f.folder,
        "archived": f.archived,
        "hidden": f.hidden,
        "deleted_at": 0,
        "created": f.created_ms,
        "updated": f.updated_ms,
        "url": url,
        "friendly_url": url,
        "default_hosting_url": url,
        "is_indexable": true,
        "full_path": format!("{folder_path}/{full_name}"),
    })
}

pub fn folder_json(st: &Inner, f: &Folder) -> Value {
    json!({
        "id": f.id,
        "portal_id": f.hub_id,
        "name": f.name,
        "parent_folder_id": f.parent,
        "full_path": st.folder_path(Some(f.id)).trim_start_matches('/'),
        "hidden": f.hidden,
        "archived": false,
        "deleted_at": 0,
        "created": f.created_ms,
        "updated": f.created_ms,
    })
}

fn full_name(f: &File) -> String {
    if f.extension.is_empty() {
        f.name.clone()
    } else {
        format!("{}.{}", f.name, f.extension)
    }
}

fn file_type(ext: &str) -> &'static str {
    match ext.to_ascii_lowercase().as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" => "IMG",
        "mp4" | "mov" | "webm" => "MOVIE",
        "mp3" | "wav" => "AUDIO",
        _ => "OTHER",
    }
}

/// Everything but RFC 5987 `attr-char`s; also safe (and readable) in a URL path segment.
const ENCODE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn encode_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, ENCODE).to_string()
}

/// `POST filemanager/api/v3/files/upload`, parts `file`, `fileName`, `options`, `folderPath`.
pub fn upload(shared: &Shared, hub_id: u64, req: &Recorded) -> Response {
    let Some(parts) = &req.multipart else {
        return bad_request("Expected a multipart/form-data body with a file part");
    };
    let Some(file) = parts.iter().find(|p| p.name == "file") else {
        return bad_request("The multipart body has no part named file");
    };
    let text =
        |name: &str| parts.iter().find(|p| p.name == name).map(|p| String::from_utf8_lossy(&p.bytes).into_owned());
    let file_name = text("fileName").or_else(|| file.filename.clone()).unwrap_or_default();
    if file_name.is_empty() || file_name.contains('/') {
        return bad_request("fileName must be a non-empty name without '/'");
    }
    let options = match text("options") {
        None => Value::Null,
        Some(s) => match serde_json::from_str::<Value>(&s) {
            Ok(v) => v,
            Err(_) => return bad_request("The options part must be JSON"),
        },
    };
    // HIDDEN_INDEXABLE / HIDDEN_NOT_INDEXABLE / HIDDEN_PRIVATE uploads are hidden files.
    let hidden = options.get("access").and_then(Value::as_str).is_some_and(|a| a.starts_with("HIDDEN"));

    let mut st = shared.lock();
    // `folderPath` (what the CLI sends, folders created implicitly) or an existing `folderId`.
    let (folder, folder_path) = match (text("folderPath"), text("folderId")) {
        (Some(p), _) => (st.ensure_folder(hub_id, &p, false), p),
        (None, Some(id)) => {
            match id.trim().parse::<u64>().ok().filter(|id| st.folder(*id).is_some_and(|f| f.hub_id == hub_id)) {
                Some(id) => (Some(id), st.folder_path(Some(id))),
                None => return not_found(&format!("No folder with id {id}")),
            }
        }
        (None, None) => return bad_request("folderPath (or folderId) is required"),
    };
    let data = FileData { bytes: file.bytes.clone(), content_type: file.content_type.clone(), archived: false, hidden };
    let file_id = st.put_file(hub_id, folder, &file_name, data);
    st.uploads.push(UploadedFile {
        hub_id,
        folder_path,
        file_name,
        options,
        bytes: file.bytes.clone(),
        content_type: file.content_type.clone(),
        filename: file.filename.clone(),
        file_id,
    });
    let Some(f) = st.files.iter().find(|f| f.id == file_id) else {
        return respond::error(500, "INTERNAL_ERROR", "the uploaded file vanished");
    };
    let mut obj = file_json(&st, f);
    // The v3 API's camelCase fields, next to the v2 ones the rest of the fake uses.
    obj["path"] = obj["full_path"].clone();
    obj["folderId"] = json!(f.folder);
    obj["access"] = options_access(&st, file_id);
    respond::json(200, &json!({ "objects": [obj] }))
}

fn options_access(st: &Inner, file_id: u64) -> Value {
    st.uploads
        .iter()
        .rev()
        .find(|u| u.file_id == file_id)
        .and_then(|u| u.options.get("access").cloned())
        .unwrap_or(json!("PUBLIC_INDEXABLE"))
}

/// `GET filemanager/api/v2/files/stat/<path>`; the CLI sends `stat//a/b.txt` for `/a/b.txt`.
pub fn stat(shared: &Shared, hub_id: u64, req: &Recorded) -> Response {
    let raw = &req.path[STAT.len()..];
    let path = percent_decode_str(raw).decode_utf8_lossy().into_owned();
    let path = path.trim_matches('/');
    if path.is_empty() {
        return not_found("No file or folder at the given path");
    }
    let st = shared.lock();
    let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
    let parent = st.lookup_folder(hub_id, dir);
    let file = parent
        .and_then(|parent| st.files.iter().find(|f| f.hub_id == hub_id && f.folder == parent && full_name(f) == base));
    let folder = st.lookup_folder(hub_id, path).flatten().and_then(|id| st.folder(id));
    if file.is_none() && folder.is_none() {
        return not_found(&format!("No file or folder at {path}"));
    }
    respond::json(
        200,
        &json!({
            "file": file.map(|f| file_json(&st, f)),
            "folder": folder.map(|f| folder_json(&st, f)),
        }),
    )
}

/// `folder_id` / `parent_folder_id`: a number or `None` (the root). Absent = no filter.
fn folder_filter(req: &Recorded, key: &str) -> Result<Option<Option<u64>>, Response> {
    match req.query_value(key) {
        None => Ok(None),
        Some("None") | Some("none") => Ok(Some(None)),
        Some(v) => v
            .parse::<u64>()
            .map(|id| Some(Some(id)))
            .map_err(|_| bad_request(&format!("{key} must be a folder id or None, got {v:?}"))),
    }
}

/// `hidden=0|1`, `archived=0|1` (also `true`/`false`); absent = no filter.
fn flag_filter(req: &Recorded, key: &str) -> Result<Option<bool>, Response> {
    match req.query_value(key) {
        None => Ok(None),
        Some("0") | Some("false") => Ok(Some(false)),
        Some("1") | Some("true") => Ok(Some(true)),
        Some(v) => Err(bad_request(&format!("{key} must be 0 or 1, got {v:?}"))),
    }
}

fn number(req: &Recorded, key: &str) -> Result<Option<usize>, Response> {
    match req.query_value(key) {
        None => Ok(None),
        Some(v) => v.parse::<usize>().map(Some).map_err(|_| bad_request(&format!("{key} must be a number, got {v:?}"))),
    }
}

/// `GET filemanager/api/v2/files/?hidden=0&offset=N&folder_id=ID[&archived=0]`, paged by
/// the fake's page size (a smaller `limit` is honoured).
pub fn list_files(shared: &Shared, hub_id: u64, req: &Recorded) -> Response {
    let parsed = (|| {
        Ok::<_, Response>((
            folder_filter(req, "folder_id")?,
            flag_filter(req, "hidden")?,
            flag_filter(req, "archived")?,
            number(req, "offset")?.unwrap_or(0),
            number(req, "limit")?,
        ))
    })();
    let (folder, hidden, archived, offset, limit) = match parsed {
        Ok(p) => p,
        Err(r) => return r,
    };
    let st = shared.lock();
    let limit = limit.map_or(st.page_size, |l| l.clamp(1, st.page_size.max(1)));
    let all: Vec<&File> = st
        .files
        .iter()
        .filter(|f| f.hub_id == hub_id)
        .filter(|f| folder.is_none_or(|id| f.folder == id))
        .filter(|f| hidden.is_none_or(|h| f.hidden == h))
        .filter(|f| archived.is_none_or(|a| f.archived == a))
        .collect();
    let objects: Vec<Value> = all.iter().skip(offset).take(limit).map(|f| file_json(&st, f)).collect();
    respond::json(
        200,
        &json!({"limit": limit, "offset": offset, "total_count": all.len(), "total": all.len(), "objects": objects}),
    )
}

/// `GET filemanager/api/v2/folders/?hidden=0&parent_folder_id=ID`: all matching folders in
/// one page (the CLI only reads the first page of folders).
pub fn list_folders(shared: &Shared, hub_id: u64, req: &Recorded) -> Response {
    let parsed = (|| Ok::<_, Response>((folder_filter(req, "parent_folder_id")?, flag_filter(req, "hidden")?)))();
    let (parent, hidden) = match parsed {
        Ok(p) => p,
        Err(r) => return r,
    };
    let st = shared.lock();
    let objects: Vec<Value> = st
        .folders
        .iter()
        .filter(|f| f.hub_id == hub_id)
        .filter(|f| parent.is_none_or(|p| f.parent == p))
        .filter(|f| hidden.is_none_or(|h| f.hidden == h))
        .map(|f| folder_json(&st, f))
        .collect();
    respond::json(
        200,
        &json!({"limit": objects.len(), "offset": 0, "total_count": objects.len(), "total": objects.len(), "objects": objects}),
    )
}

/// `GET /__cdn/<id>/<name>.<ext>`: the bytes, with `Content-Type` and `Content-Disposition`.
pub fn cdn(shared: &Shared, hub_id: u64, req: &Recorded) -> Response {
    let rest = &req.path[CDN.len()..];
    let (id, name) = rest.split_once('/').unwrap_or((rest, ""));
    let name = percent_decode_str(name).decode_utf8_lossy().into_owned();
    let st = shared.lock();
    let Some(f) = id
        .parse::<u64>()
        .ok()
        .and_then(|id| st.files.iter().find(|f| f.id == id && f.hub_id == hub_id))
        .filter(|f| full_name(f) == name)
    else {
        return not_found("file not found");
    };
    let mut resp = respond::bytes(200, &f.content_type, f.bytes.clone());
    let disposition = content_disposition(&full_name(f));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// Seeds a file (test API and `POST /__fake/files`); returns its id.
pub fn seed_file(st: &mut Inner, hub_id: u64, spec: crate::model::FileSpec) -> Result<u64, String> {
    let path = spec.path.trim_start_matches('/');
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if name.is_empty() || name == "." || name == ".." {
        return Err(format!("file path {:?} has no file name", spec.path));
    }
    let folder = st.ensure_folder(hub_id, dir, false);
    let data =
        FileData { bytes: spec.bytes, content_type: spec.content_type, archived: spec.archived, hidden: spec.hidden };
    Ok(st.put_file(hub_id, folder, name, data))
}

/// Seeds a folder and its parents; returns its id (`None` for the root).
pub fn seed_folder(st: &mut Inner, hub_id: u64, spec: crate::model::FolderSpec) -> Option<u64> {
    let path = spec.path.trim_matches('/');
    let (dir, _) = path.rsplit_once('/').unwrap_or(("", path));
    // Only the last segment takes the hidden flag; its parents are ordinary folders.
    let parent = st.ensure_folder(hub_id, dir, false);
    let id = st.ensure_folder(hub_id, path, spec.hidden);
    if let Some(id) = id {
        if let Some(f) = st.folders.iter_mut().find(|f| f.id == id && f.parent == parent) {
            f.hidden = spec.hidden;
        }
    }
    id
}

/// The CDN URL of a stored file.
pub fn file_url(st: &Inner, id: u64) -> Option<String> {
    let f = st.files.iter().find(|f| f.id == id)?;
    file_json(st, f).get("url").and_then(Value::as_str).map(str::to_string)
}

/// `attachment; filename="a.txt"`, plus the RFC 6266 `filename*` form when the name is not
/// plain ASCII (a header value cannot carry it raw).
fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let ascii = ascii.replace(['"', '\\'], "_");
    if ascii == name {
        format!("attachment; filename=\"{ascii}\"")
    } else {
        let enc = encode_segment(name);
        format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{enc}")
    }
}
