use fake_hubspot::{FileSpec, FolderSpec};
use reqwest::blocking::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::*;

/// `/docs/a.txt`, `/docs/b.css`, `/docs/old.txt` (archived), `/docs/.hidden.txt` (hidden),
/// `/docs/nested/c.js`, `/root.txt`, and a hidden folder `/secret`.
fn seed(fake: &fake_hubspot::FakeHubSpot) -> Option<u64> {
    fake.add_file(HUB, FileSpec::new("/docs/a.txt", "A"));
    fake.add_file(HUB, FileSpec { content_type: Some("text/css".into()), ..FileSpec::new("docs/b.css", "B") });
    fake.add_file(HUB, FileSpec::new("/docs/old.txt", "old").archived());
    fake.add_file(HUB, FileSpec::new("/docs/hid.txt", "h").hidden());
    fake.add_file(HUB, FileSpec::new("/docs/nested/c.js", "C"));
    fake.add_file(HUB, FileSpec::new("/root.txt", "R"));
    fake.add_folder(HUB, FolderSpec { path: "/secret".into(), hidden: true });
    fake.add_folder(HUB, "/docs")
}

#[test]
fn stat_finds_files_and_folders_with_single_or_double_slash() {
    let fake = fake();
    let docs = seed(&fake).expect("docs id");
    let t = token(&fake);
    let (s, v) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/a.txt"));
    assert_eq!(s, 200);
    assert_eq!(v["folder"], Value::Null);
    let f = &v["file"];
    assert_eq!((f["name"].as_str(), f["extension"].as_str()), (Some("a"), Some("txt")));
    assert_eq!(f["folder_id"].as_u64(), Some(docs));
    assert_eq!((f["archived"].as_bool(), f["hidden"].as_bool()), (Some(false), Some(false)));
    let url = f["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/__cdn/", fake.url())) && url.ends_with("/a.txt"), "{url}");

    assert!(fake.requests().iter().any(|r| r.path == "/filemanager/api/v2/files/stat//docs/a.txt"), "recorded raw");
    let (_, v2) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat/docs/a.txt"));
    assert_eq!(v2["file"]["id"], f["id"]);
    let (_, v3) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/old.txt"));
    assert_eq!(v3["file"]["archived"], true);

    let (s, v) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs"));
    assert_eq!(s, 200);
    assert_eq!(v["file"], Value::Null);
    assert_eq!(v["folder"]["id"].as_u64(), Some(docs));
    assert_eq!(v["folder"]["name"], "docs");
    assert_eq!(v["folder"]["parent_folder_id"], Value::Null);
    let (_, v) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/nested"));
    assert_eq!(v["folder"]["parent_folder_id"].as_u64(), Some(docs));

    let (s, v) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/zzz.txt"));
    assert_eq!((s, v["category"].as_str()), (404, Some("OBJECT_NOT_FOUND")));
    assert_eq!(get(&fake, &t, "/filemanager/api/v2/files/stat/").status(), 404);
}

/// Pages through like the CLI: `offset += objects.length` until `total_count`.
fn list_all(fake: &fake_hubspot::FakeHubSpot, t: &str, folder: &str, archived: bool) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut offset = 0;
    let mut pages = 0;
    loop {
        let arch = if archived { "" } else { "&archived=0" };
        let (s, v) = json_of(get(
            fake,
            t,
            &format!("/filemanager/api/v2/files/?hidden=0&offset={offset}&folder_id={folder}{arch}"),
        ));
        assert_eq!(s, 200, "{v}");
        pages += 1;
        let objs = v["objects"].as_array().unwrap();
        assert!(objs.len() <= v["limit"].as_u64().unwrap() as usize);
        assert_eq!(v["offset"].as_u64(), Some(offset as u64));
        names.extend(
            objs.iter().map(|o| format!("{}.{}", o["name"].as_str().unwrap(), o["extension"].as_str().unwrap())),
        );
        offset += objs.len();
        if objs.is_empty() || offset >= v["total_count"].as_u64().unwrap() as usize {
            return (names, pages);
        }
    }
}

#[test]
fn file_listing_pages_and_filters() {
    let fake = fake();
    let docs = seed(&fake).unwrap().to_string();
    let t = token(&fake);
    let (names, pages) = list_all(&fake, &t, &docs, false);
    assert_eq!(names, vec!["a.txt", "b.css"]);
    assert_eq!(pages, 1);
    let (names, pages) = list_all(&fake, &t, &docs, true);
    assert_eq!(names, vec!["a.txt", "b.css", "old.txt"]);
    assert_eq!(pages, 2, "page size 2 forces paging");
    let (names, _) = list_all(&fake, &t, "None", false);
    assert_eq!(names, vec!["root.txt"]);

    fake.set_page_size(1);
    let (names, pages) = list_all(&fake, &t, &docs, true);
    assert_eq!((names.len(), pages), (3, 3));

    let (s, _) = json_of(get(&fake, &t, "/filemanager/api/v2/files/?offset=x"));
    assert_eq!(s, 400);
    assert_eq!(get(&fake, &t, "/filemanager/api/v2/files/?folder_id=abc").status(), 400);
    assert_eq!(get(&fake, &t, "/filemanager/api/v2/files/?hidden=maybe").status(), 400);
}

#[test]
fn folder_listing_by_parent() {
    let fake = fake();
    let docs = seed(&fake).unwrap();
    let t = token(&fake);
    let names = |q: &str| -> Vec<String> {
        let (s, v) = json_of(get(&fake, &t, &format!("/filemanager/api/v2/folders/?{q}")));
        assert_eq!(s, 200);
        v["objects"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names("hidden=0&parent_folder_id=None"), vec!["docs"]);
    assert_eq!(names("parent_folder_id=None"), vec!["docs", "secret"]);
    assert_eq!(names(&format!("hidden=0&parent_folder_id={docs}")), vec!["nested"]);
    let (_, v) = json_of(get(&fake, &t, &format!("/filemanager/api/v2/folders/?parent_folder_id={docs}")));
    assert_eq!(v["objects"][0]["parent_folder_id"].as_u64(), Some(docs));
    assert_eq!(v["objects"][0]["full_path"], "docs/nested");
}

#[test]
fn cdn_serves_bytes_behind_the_same_credentials() {
    let fake = fake();
    let id = fake.add_file(HUB, FileSpec::new("/docs/b.css", "body{}"));
    let bin = fake.add_file(HUB, FileSpec::new("/img/x.png", vec![0u8, 159, 146, 150]));
    let t = token(&fake);
    let url = fake.file_url(id).unwrap();
    let r = client()
        .get(format!("{url}?portalId={HUB}"))
        .bearer_auth(&t)
        .header("Accept", "application/octet-stream")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/css");
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"b.css\"");
    assert_eq!(r.text().unwrap(), "body{}");
    let r = client().get(format!("{}?portalId={HUB}", fake.file_url(bin).unwrap())).bearer_auth(&t).send().unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().unwrap().to_vec(), vec![0u8, 159, 146, 150]);

    // Names with spaces and non-ASCII letters: an encoded URL and an RFC 6266 header.
    let odd = fake.add_file(HUB, FileSpec::new("/docs/my file ü.txt", "u"));
    let odd_url = fake.file_url(odd).unwrap();
    assert!(odd_url.ends_with("/my%20file%20%C3%BC.txt"), "{odd_url}");
    let r = client().get(format!("{odd_url}?portalId={HUB}")).bearer_auth(&t).send().unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"my file _.txt\"; filename*=UTF-8''my%20file%20%C3%BC.txt"
    );
    let (s, v) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/my%20file%20%C3%BC.txt"));
    assert_eq!((s, v["file"]["id"].as_u64()), (200, Some(odd)));

    assert_eq!(client().get(format!("{url}?portalId={HUB}")).send().unwrap().status(), 401);
    assert_eq!(client().get(&url).bearer_auth(&t).send().unwrap().status(), 400, "no portalId");
    assert_eq!(get(&fake, &t, &format!("/__cdn/{id}/other.css")).status(), 404);
    assert_eq!(get(&fake, &t, "/__cdn/nope/b.css").status(), 404);
}

fn upload_form(file_name: &str, folder_path: &str, bytes: &'static [u8], mime: &str) -> Form {
    Form::new()
        .part("file", Part::bytes(bytes).file_name(file_name.to_string()).mime_str(mime).unwrap())
        .text("fileName", file_name.to_string())
        .text("options", r#"{"access":"PUBLIC_INDEXABLE","overwrite":true}"#)
        .text("folderPath", folder_path.to_string())
}

#[test]
fn upload_records_the_parts_and_the_file_becomes_fetchable() {
    let fake = fake();
    let t = token(&fake);
    let url = format!("{}/filemanager/api/v3/files/upload?portalId={HUB}", fake.url());
    let r = client()
        .post(&url)
        .bearer_auth(&t)
        .multipart(upload_form("hello.txt", "docs", b"hello\n", "text/plain"))
        .send()
        .unwrap();
    let (s, v) = json_of(r);
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["objects"][0]["name"], "hello");
    assert_eq!(v["objects"][0]["extension"], "txt");

    let ups = fake.uploaded();
    assert_eq!(ups.len(), 1);
    let u = &ups[0];
    assert_eq!((u.folder_path.as_str(), u.file_name.as_str()), ("docs", "hello.txt"));
    assert_eq!(u.options, json!({"access": "PUBLIC_INDEXABLE", "overwrite": true}));
    assert_eq!(u.bytes, b"hello\n");
    assert_eq!(u.content_type.as_deref(), Some("text/plain"));
    assert_eq!(u.filename.as_deref(), Some("hello.txt"));
    assert_eq!(u.hub_id, HUB);

    // The recorded request has the parts in order.
    let rec = fake.requests().into_iter().find(|r| r.path == "/filemanager/api/v3/files/upload").unwrap();
    let parts = rec.multipart.as_ref().expect("parsed multipart");
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["file", "fileName", "options", "folderPath"]);
    assert_eq!(rec.part("file").unwrap().content_type.as_deref(), Some("text/plain"));
    assert_eq!(rec.part("folderPath").unwrap().text(), Some("docs"));

    // Overwrite in place, and a root upload.
    client()
        .post(&url)
        .bearer_auth(&t)
        .multipart(upload_form("hello.txt", "/docs", b"v2", "text/plain"))
        .send()
        .unwrap();
    client().post(&url).bearer_auth(&t).multipart(upload_form("top.txt", "/", b"top", "text/plain")).send().unwrap();
    client()
        .post(&url)
        .bearer_auth(&t)
        .multipart(upload_form("deep.txt", "/remote/dir/nested", b"d", "text/plain"))
        .send()
        .unwrap();
    assert_eq!(fake.uploaded().len(), 4);
    assert_eq!(fake.uploaded()[1].file_id, u.file_id, "same folder and name overwrite");

    let (_, st) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/hello.txt"));
    let file_url = st["file"]["url"].as_str().unwrap().to_string();
    let r = client().get(format!("{file_url}?portalId={HUB}")).bearer_auth(&t).send().unwrap();
    assert_eq!(r.text().unwrap(), "v2");
    let (_, st) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//top.txt"));
    assert_eq!(st["file"]["folder_id"], Value::Null);
    let (s, st) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//remote/dir"));
    assert_eq!((s, st["folder"]["name"].as_str()), (200, Some("dir")));
}

#[test]
fn malformed_uploads_are_400() {
    let fake = fake();
    let t = token(&fake);
    let url = format!("{}/filemanager/api/v3/files/upload?portalId={HUB}", fake.url());
    assert_eq!(client().post(&url).bearer_auth(&t).body("x").send().unwrap().status(), 400);
    let no_file = Form::new().text("fileName", "a.txt").text("folderPath", "/");
    assert_eq!(client().post(&url).bearer_auth(&t).multipart(no_file).send().unwrap().status(), 400);
    let no_folder = Form::new().part("file", Part::bytes(&b"x"[..]).file_name("a.txt")).text("fileName", "a.txt");
    assert_eq!(client().post(&url).bearer_auth(&t).multipart(no_folder).send().unwrap().status(), 400);
    let bad = Form::new()
        .part("file", Part::bytes(&b"x"[..]).file_name("a.txt"))
        .text("options", "{nope")
        .text("folderPath", "/");
    assert_eq!(client().post(&url).bearer_auth(&t).multipart(bad).send().unwrap().status(), 400);
    let broken = client()
        .post(&url)
        .bearer_auth(&t)
        .header("Content-Type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated")
        .send()
        .unwrap();
    assert_eq!(broken.status(), 400);
    let unknown_folder = Form::new().part("file", Part::bytes(&b"x"[..]).file_name("a.txt")).text("folderId", "999999");
    assert_eq!(client().post(&url).bearer_auth(&t).multipart(unknown_folder).send().unwrap().status(), 404);
    assert!(fake.uploaded().is_empty());
}

#[test]
fn upload_by_folder_id_and_hidden_access() {
    let fake = fake();
    let docs = fake.add_folder(HUB, "/docs").unwrap();
    let t = token(&fake);
    let url = format!("{}/filemanager/api/v3/files/upload?portalId={HUB}", fake.url());
    let form = Form::new()
        .part("file", Part::bytes(&b"x"[..]).file_name("h.txt"))
        .text("options", r#"{"access":"HIDDEN_PRIVATE"}"#)
        .text("folderId", docs.to_string());
    assert_eq!(client().post(&url).bearer_auth(&t).multipart(form).send().unwrap().status(), 200);
    assert_eq!(fake.uploaded()[0].folder_path, "/docs");
    assert_eq!(fake.uploaded()[0].file_name, "h.txt", "fileName defaults to the file part's filename");
    let (_, v) = json_of(get(&fake, &t, "/filemanager/api/v2/files/stat//docs/h.txt"));
    assert_eq!(v["file"]["hidden"], true);
    let (_, v) = json_of(get(&fake, &t, &format!("/filemanager/api/v2/files/?hidden=0&folder_id={docs}")));
    assert_eq!(v["total_count"], 0);
}
