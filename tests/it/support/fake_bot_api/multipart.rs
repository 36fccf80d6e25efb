//! Just enough `multipart/form-data` parsing for what reqwest sends on teloxide's behalf.

use serde_json::{Map, Value};

use super::UploadedFile;

/// Text fields as params (see [`field_value`]), file parts as uploads. teloxide names a file
/// part by a random id and puts `attach://<id>` in the field it belongs to; the upload is
/// recorded under that field's name.
pub fn parse(
    content_type: &str,
    body: &[u8],
) -> Result<(Map<String, Value>, Vec<UploadedFile>), String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .ok_or("no boundary")?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut params = Map::new();
    let mut files = Vec::new();
    let mut rest = body;
    let start = find(rest, &delimiter).ok_or("no first boundary")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("no CRLF after a boundary")?;
        let end = find(rest, &delimiter).ok_or("unterminated part")?;
        let part = rest[..end]
            .strip_suffix(b"\r\n")
            .ok_or("no CRLF before a boundary")?;
        rest = &rest[end + delimiter.len()..];

        let split = find(part, b"\r\n\r\n").ok_or("part without headers")?;
        let headers = std::str::from_utf8(&part[..split]).map_err(|e| e.to_string())?;
        let content = &part[split + 4..];
        let (mut name, mut file_name) = (None, None);
        for line in headers.split("\r\n") {
            let (header, value) = line.split_once(':').ok_or("bad header")?;
            if header.trim().eq_ignore_ascii_case("content-disposition") {
                name = quoted_param(value, "name");
                file_name = quoted_param(value, "filename");
            }
        }
        let name = name.ok_or("part without a name")?;
        match file_name {
            Some(file_name) => files.push(UploadedFile {
                field: name,
                file_name: Some(file_name).filter(|n| !n.is_empty()),
                bytes: content.to_vec(),
            }),
            None => {
                let text = String::from_utf8(content.to_vec()).map_err(|e| e.to_string())?;
                params.insert(name, field_value(&text));
            }
        }
    }
    for file in &mut files {
        let reference = Value::String(format!("attach://{}", file.field));
        if let Some((field, _)) = params.iter().find(|(_, v)| **v == reference) {
            file.field = field.clone();
        }
    }
    Ok((params, files))
}

/// teloxide sends structured fields (keyboards) as JSON and scalars as plain text; numbers and
/// booleans come back as JSON numbers and booleans (so a caption "42" would too).
fn field_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Object(_) | Value::Array(_) | Value::Number(_) | Value::Bool(_))) => v,
        _ => Value::String(text.to_owned()),
    }
}

/// `name="value"` in a Content-Disposition header, unescaping `\"` and `\\` as reqwest escapes.
fn quoted_param(header: &str, param: &str) -> Option<String> {
    let needle = format!("{param}=\"");
    let mut search = header;
    let start = loop {
        let at = search.find(&needle)?;
        let before = search[..at].chars().next_back();
        if matches!(before, None | Some(' ' | ';')) {
            break header.len() - search.len() + at + needle.len();
        }
        search = &search[at + needle.len()..];
    };
    let mut out = String::new();
    let mut chars = header[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
