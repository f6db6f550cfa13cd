//! What the catalogue-edition tests share: a modified Beijing text and the
//! overlay section its new entry needs.

#![allow(dead_code)]

use zige_catalog::import::Row;
use zige_catalog::{parse, BUILTIN};

/// Beijing `version`: Connecticut teachers (G50) dropped, CAIA added, G7 renamed.
pub fn beijing_next(version: &str) -> String {
    let mut p = parse(BUILTIN[0].text.as_bytes()).unwrap();
    p.title = format!("北京市境外职业资格认可目录（{version}版）");
    p.sections[1].rows.remove(49);
    p.sections[1].rows[6].name = "CFA特许金融分析师证书（特许资格）".into();
    p.sections[1].rows.push(Row {
        line: 0,
        seq: 0,
        name: "CAIA另类投资分析师".into(),
        issuer: "另类投资分析师协会 CAIA Association".into(),
        region: "美国".into(),
        field: "金融".into(),
        remark: "从事金融相关工作。".into(),
        cells: vec![],
    });
    p.to_text()
}

/// The overlay of the CAIA entry, after its `[entries.CODE]` header.
pub const CAIA_OVERLAY: &str = r#"
id = "caia-association-caia"
name_en = "Chartered Alternative Investment Analyst (CAIA)"
aliases = ["CAIA"]
scope_en = "Finance"
issuers = [{ zh = "另类投资分析师协会", en = "CAIA Association" }]
"#;

/// The built-in text with its declared total made unreadable.
pub fn unreadable_text() -> String {
    BUILTIN[0].text.replacen("（共计122项）", "（共计X项）", 1)
}

// ---------- a browser without JavaScript, against the app in-process ----------

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use zige_cases::Role;
use zige_web::{app, AppState};

pub const STAFF_PASSWORD: &str = "staff password 1";

/// The app over a fresh SQLite database in a temporary directory, removed
/// when dropped.
pub struct Env {
    pub router: Router,
    pub store: zige_store::Store,
    dir: PathBuf,
}

impl Env {
    /// A fresh second factor for `email` and its code now. Each call
    /// enrols anew, so a test may sign the same account in many times
    /// within one 30-second step (a code works only once).
    pub async fn totp(&self, email: &str) -> String {
        let (user, _) = self.store.user_by_email(email).await.unwrap().unwrap();
        let now = zige_web::auth::now_ms();
        self.store
            .remove_second_factor(user.id, user.id, false, now)
            .await
            .unwrap();
        let f = self
            .store
            .start_enrolment(user.id, &zige_web::auth::random::<20>(), now)
            .await
            .unwrap();
        let (_, hashes) = zige_web::second_factor::recovery_codes();
        self.store
            .enable_second_factor(user.id, 0, &hashes, None, now)
            .await
            .unwrap();
        zige_cases::second_factor::code_at(&f.secret, now)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An app with these staff accounts, all with [`STAFF_PASSWORD`], served
/// as plain-HTTP localhost.
pub async fn env(tag: &str, staff: &[(&str, Role)]) -> Env {
    env_at(tag, staff, "http://localhost:8080").await
}

/// The same at a public address; cookies are Secure unless it is localhost.
pub async fn env_at(tag: &str, staff: &[(&str, Role)], public_url: &str) -> Env {
    env_tuned(tag, staff, public_url, |_| {}).await
}

/// The same with the state adjusted by `tune` (e.g. trusted proxies).
pub async fn env_tuned(
    tag: &str,
    staff: &[(&str, Role)],
    public_url: &str,
    tune: impl FnOnce(&mut AppState),
) -> Env {
    let dir = std::env::temp_dir().join(format!(
        "zige-pages-{tag}-{}-{}",
        std::process::id(),
        zige_web::auth::now_ms()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let store = zige_store::Store::open(&dir, None).await.unwrap();
    store.migrate().await.unwrap();
    let blobs = zige_store::Blobs::open(&dir, None).unwrap();
    let hash = zige_web::auth::hash_password(STAFF_PASSWORD.into())
        .await
        .unwrap();
    for (email, role) in staff {
        store
            .create_user(email, "Staff", *role, &hash, 1, None)
            .await
            .unwrap();
    }
    let mut state = AppState::new(Some(store.clone()));
    state.cases = Some(
        zige_web::state::Cases::load(
            &store,
            blobs,
            public_url.into(),
            !public_url.starts_with("http://localhost"),
        )
        .await
        .unwrap(),
    );
    tune(&mut state);
    Env {
        router: app(Arc::new(state)),
        store,
        dir,
    }
}

/// The same app over a fresh PostgreSQL database of its own (dropped by
/// [`drop_postgres`]), or None when no server answers at
/// `ZIGE_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432/test).
pub async fn env_pg(tag: &str, staff: &[(&str, Role)]) -> Option<(Env, String)> {
    let admin_url = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = zige_store::Store::open(std::path::Path::new("."), Some(&admin_url))
        .await
        .ok()?;
    let name = format!("zige_web_{tag}_{}", std::process::id());
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .ok()?;
    admin
        .execute_admin(&format!("CREATE DATABASE {name}"))
        .await
        .ok()?;
    admin.close().await;
    let url = format!("{}/{name}", admin_url.rsplit_once('/')?.0);
    let dir = std::env::temp_dir().join(format!(
        "zige-pages-{tag}-pg-{}-{}",
        std::process::id(),
        zige_web::auth::now_ms()
    ));
    let store = zige_store::Store::open(&dir, Some(&url)).await.unwrap();
    store.migrate().await.unwrap();
    let blobs = zige_store::Blobs::open(&dir, None).unwrap();
    let hash = zige_web::auth::hash_password(STAFF_PASSWORD.into())
        .await
        .unwrap();
    for (email, role) in staff {
        store
            .create_user(email, "Staff", *role, &hash, 1, None)
            .await
            .unwrap();
    }
    let mut state = AppState::new(Some(store.clone()));
    state.cases = Some(
        zige_web::state::Cases::load(&store, blobs, "http://localhost:8080".into(), false)
            .await
            .unwrap(),
    );
    Some((
        Env {
            router: app(Arc::new(state)),
            store,
            dir,
        },
        name,
    ))
}

/// Drops a database [`env_pg`] made.
pub async fn drop_postgres(name: &str) {
    let admin_url = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    if let Ok(admin) = zige_store::Store::open(std::path::Path::new("."), Some(&admin_url)).await {
        let _ = admin
            .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        admin.close().await;
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
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
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// One person with a browser: a cookie jar of the session cookie and the
/// pre-session CSRF cookie, connecting from `peer` (none: unknown).
pub struct Browser<'a> {
    pub env: &'a Env,
    pub cookie: Option<String>,
    pub pre_csrf: Option<String>,
    pub peer: Option<std::net::SocketAddr>,
}

impl<'a> Browser<'a> {
    pub fn new(env: &'a Env) -> Browser<'a> {
        Browser {
            env,
            cookie: None,
            pre_csrf: None,
            peer: None,
        }
    }

    pub async fn send(&mut self, b: axum::http::request::Builder, body: Body) -> Reply {
        let jar: Vec<String> = [
            ("zige_session", &self.cookie),
            ("zige_csrf", &self.pre_csrf),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect();
        let b = if jar.is_empty() {
            b
        } else {
            b.header(header::COOKIE, jar.join("; "))
        };
        let b = match self.peer {
            Some(p) => b.extension(axum::extract::ConnectInfo(p)),
            None => b,
        };
        let resp = self
            .env
            .router
            .clone()
            .oneshot(b.body(body).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        let r = Reply {
            status,
            headers,
            body,
        };
        for set in r.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            if let Some(rest) = set.strip_prefix("zige_session=") {
                let token = rest.split(';').next().unwrap_or("");
                self.cookie = (!token.is_empty()).then(|| token.to_string());
            }
            if let Some(rest) = set.strip_prefix("zige_csrf=") {
                self.pre_csrf = rest.split(';').next().map(str::to_string);
            }
        }
        r
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        self.send(Request::get(uri), Body::empty()).await
    }

    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let b = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(b, Body::from(form_body(fields))).await
    }

    /// Posts a multipart form: its fields, then `bytes` as the file `name`.
    pub async fn multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: &[u8],
    ) -> Reply {
        let boundary = "----zigeboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let b = Request::builder().method(Method::POST).uri(uri).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        self.send(b, Body::from(body)).await
    }

    /// The hidden CSRF field of the form at `path` (the sign-in and
    /// registration forms' pre-session token, with its cookie).
    pub async fn form_csrf(&mut self, path: &str) -> String {
        self.get(path).await.hidden("csrf")
    }

    /// Signs in through the form, with the second step when the account
    /// has (or, as staff, must have) a second factor; panics unless it works.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        let csrf = self.form_csrf("/login").await;
        let r = self
            .post(
                "/login",
                &[
                    ("email", email),
                    ("password", password),
                    ("next", "/my"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        if r.location().starts_with("/login/second-factor") {
            let page = self.get(&r.location()).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text());
            let csrf = page.hidden("csrf");
            let code = self.env.totp(email).await;
            let r = self
                .post(
                    "/login/second-factor",
                    &[("csrf", &csrf), ("code", &code), ("next", "/my")],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        }
        assert!(self.cookie.is_some());
    }
}
