//! The built web app (`frontend/dist`, see scripts/build-frontend.sh). Its content-hashed files
//! (`kehu_frontend-<hash>.js`, `…_bg-<hash>.wasm`) never change under their name and are cached
//! for a year; `index.html`, which every deep link also gets, is revalidated on each load. The
//! build writes brotli and gzip copies beside each file (`x.wasm.br`, `x.wasm.gz`), served to
//! clients that accept them.

use actix_web::http::header::{self, AcceptEncoding, ContentEncoding, Encoding, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use std::path::Path;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The file of the app `path` names: one plain name, as the build writes no directories (which
/// also keeps `..` and hidden files out). The compressed copies are not files of their own.
fn file_name(path: &str) -> Option<&str> {
    let name = path.strip_prefix('/')?;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    (plain && !name.ends_with(".br") && !name.ends_with(".gz")).then_some(name)
}

/// Whether `name` carries a content hash: `<stem>-<16 hex digits>.<ext>`.
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The encoding to send `file` in: the best copy the client accepts. A range request gets the
/// file itself, as a range of a compressed copy would not be the range asked for.
fn choose_encoding(req: &HttpRequest, file: &Path) -> (ContentEncoding, &'static str) {
    let copies = [
        (ContentEncoding::Brotli, "br"),
        (ContentEncoding::Gzip, "gz"),
    ];
    let accept = req.get_header::<AcceptEncoding>();
    let (Some(accept), false) = (accept, req.headers().contains_key(header::RANGE)) else {
        return (ContentEncoding::Identity, "");
    };
    let mut offered = vec![Encoding::identity()];
    for (encoding, ext) in copies {
        if with_extension(file, ext).is_file() {
            offered.push(Encoding::Known(encoding));
        }
    }
    let chosen = accept.negotiate(offered.iter());
    copies
        .into_iter()
        .find(|(encoding, _)| chosen == Some(Encoding::Known(*encoding)))
        .unwrap_or((ContentEncoding::Identity, ""))
}

fn with_extension(file: &Path, ext: &str) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    name.into()
}

/// The response to a GET or HEAD of `path`: the file it names, `None` for a missing file
/// (a name with an extension), and `index.html` for every other path (the app's own routes).
pub async fn respond(req: &HttpRequest, dir: &Path) -> std::io::Result<Option<HttpResponse>> {
    let last_segment = req.path().rsplit('/').next().unwrap_or("");
    let name = match file_name(req.path()) {
        Some(name) if dir.join(name).is_file() => name,
        // A file that is not there (an old build's) is not the app's page either.
        _ if last_segment.contains('.') => return Ok(None),
        _ => "index.html",
    };
    let file = dir.join(name);
    if !file.is_file() {
        return Ok(None);
    }
    let (encoding, ext) = choose_encoding(req, &file);
    let sent = if ext.is_empty() {
        file.clone()
    } else {
        with_extension(&file, ext)
    };
    let content_type = actix_files::file_extension_to_mime(
        file.extension().and_then(|e| e.to_str()).unwrap_or(""),
    );
    let mut named = actix_files::NamedFile::open_async(&sent)
        .await?
        .set_content_type(content_type)
        .prefer_utf8(true)
        .disable_content_disposition();
    if encoding != ContentEncoding::Identity {
        named = named.set_content_encoding(encoding);
    }
    let mut res = named.into_response(req);
    let headers = res.headers_mut();
    let cache = if is_hashed(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(Some(res))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_of_the_app_directory_are_files() {
        assert_eq!(file_name("/kehu_frontend.js"), Some("kehu_frontend.js"));
        assert_eq!(file_name("/"), None);
        assert_eq!(file_name("/../secret"), None);
        assert_eq!(file_name("/.hidden"), None);
        assert_eq!(file_name("/accounts/123"), None);
        assert_eq!(file_name("/x.wasm.br"), None);
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("kehu_frontend-0123456789abcdef.js"));
        assert!(is_hashed("kehu_frontend_bg-0123456789abcdef.wasm"));
        assert!(!is_hashed("kehu_frontend.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("kehu-0123456789ABCDEF.css"));
        assert!(!is_hashed("kehu-0123456789abcde.css"));
    }
}
