//! Requests and replies: the one `Reply`, the request builders, and the
//! public catalogue app without a database.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use super::{app, AppState};

/// What the app answered.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON; panics (showing the body) when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as JSON, or null when it is not JSON.
    pub fn json_or_null(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The first error of the error envelope.
    pub fn error(&self) -> Value {
        self.json()["errors"][0].clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn has(&self, text: &str) -> bool {
        self.text().contains(text)
    }

    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    pub fn location(&self) -> String {
        self.header(header::LOCATION)
    }

    /// The value of the first hidden input `name`.
    pub fn hidden(&self, name: &str) -> String {
        let html = self.text();
        let needle = format!("name=\"{name}\" value=\"");
        let start = html
            .find(&needle)
            .unwrap_or_else(|| panic!("no {name} field in:\n{html}"))
            + needle.len();
        html[start..].split('"').next().unwrap().to_string()
    }

    /// The text of the textarea `id`, unescaped.
    pub fn textarea(&self, id: &str) -> String {
        let html = self.text();
        let start = html.find(&format!("id=\"{id}\"")).expect("textarea");
        let open = start + html[start..].find('>').unwrap() + 1;
        let close = open + html[open..].find("</textarea>").unwrap();
        html[open..close]
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&#60;", "<")
            .replace("&gt;", ">")
            .replace("&#62;", ">")
            .replace("&amp;", "&")
            .replace("&#38;", "&")
    }
}

/// Runs one request through `router` and reads the whole answer.
pub async fn send_to(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// A request of `method` to `uri`, with a bearer token maybe, and a JSON
/// body (given as text, so that malformed JSON can be sent too) maybe.
pub fn api_request(
    method: Method,
    uri: &str,
    token: Option<&str>,
    json_body: Option<&str>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    match json_body {
        Some(text) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(text.to_string()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

/// A multipart body of `fields`, then `bytes` as the file `name` of
/// `content_type`; the body and its Content-Type header.
pub fn multipart_body(
    boundary: &str,
    fields: &[(&str, &str)],
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> (Vec<u8>, String) {
    let mut body = Vec::new();
    for (key, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A client address on port 40000.
pub fn peer(ip: &str) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), 40000)
}

// ---------- the app without a database ----------

/// The public catalogue alone (no database), shared by the tests that
/// need nothing else.
pub mod public {
    use super::*;

    fn router() -> Router {
        static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
        app(STATE.get_or_init(|| Arc::new(AppState::new(None))).clone())
    }

    pub async fn send(request: Request<Body>) -> Reply {
        send_to(router(), request).await
    }

    pub async fn get(uri: &str) -> Reply {
        send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(uri: &str, body: &str) -> Reply {
        send(api_request(Method::POST, uri, None, Some(body))).await
    }
}
