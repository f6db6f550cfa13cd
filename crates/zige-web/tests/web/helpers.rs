//! The test harness: one `TestApp` (the app over a fresh SQLite database
//! in a temporary directory) with its JSON client, sign-in helpers and
//! uploads; one `Reply`; the cookie-keeping `Browser` without JavaScript;
//! and the only references to zige_web's internals.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use zige_cases::Role;
pub use zige_web::{app, AppState};

// ---------- the internals of zige_web the tests use, named once ----------

pub use zige_web::auth::{hash_password, now_ms, parse_proxy, random};
pub use zige_web::protect::CSP;
pub use zige_web::second_factor::recovery_codes;
pub use zige_web::state::Cases;

/// The password of every staff account a [`TestApp`] is made with.
pub const STAFF_PASSWORD: &str = "staff password 1";
/// The password of every applicant [`TestApp::applicant`] registers.
pub const APPLICANT_PASSWORD: &str = "correct horse";
pub const REVIEWER: &str = "rev@example.org";
pub const ADMIN: &str = "admin@example.org";

// ---------- one reply ----------

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
            .replace("&gt;", ">")
            .replace("&amp;", "&")
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

// ---------- the app over a database of its own ----------

/// A fresh directory under the system's temporary directory, unique in
/// this process (tests run in parallel threads of one process).
pub fn temp_dir(tag: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "zige-web-{tag}-{}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        now_ms()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The app over a fresh database in a temporary directory, removed when
/// dropped (unless the test owns the directory, see [`TestApp::open`]).
pub struct TestApp {
    pub router: Router,
    pub store: zige_store::Store,
    dir: Option<PathBuf>,
    _shared: HashPoolShare,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl TestApp {
    /// An app with these staff accounts, all with [`STAFF_PASSWORD`],
    /// served as plain-HTTP localhost.
    pub async fn new(tag: &str, staff: &[(&str, Role)]) -> TestApp {
        TestApp::at(tag, staff, "http://localhost:8080").await
    }

    /// The same at a public address; cookies are Secure unless it is localhost.
    pub async fn at(tag: &str, staff: &[(&str, Role)], public_url: &str) -> TestApp {
        TestApp::tuned(tag, staff, public_url, |_| {}).await
    }

    /// The same with the state adjusted by `tune` (e.g. trusted proxies).
    pub async fn tuned(
        tag: &str,
        staff: &[(&str, Role)],
        public_url: &str,
        tune: impl FnOnce(&mut AppState),
    ) -> TestApp {
        let shared = HashPoolShare::take();
        let dir = temp_dir(tag);
        let store = zige_store::Store::open(&dir, None).await.unwrap();
        store.migrate().await.unwrap();
        create_staff(&store, staff).await;
        let secure = !public_url.starts_with("http://localhost");
        let mut state = serving(&store, &dir, public_url, secure).await;
        tune(&mut state);
        TestApp::assemble(state, store, Some(dir), shared)
    }

    /// The app over the database in `dir` (made or reopened) with these
    /// limits; the directory is the test's to remove.
    pub async fn open(dir: &Path, limits: zige_store::Limits) -> TestApp {
        let shared = HashPoolShare::take();
        let store = zige_store::Store::open(dir, None)
            .await
            .unwrap()
            .with_limits(limits);
        store.migrate().await.unwrap();
        let state = serving(&store, dir, "http://localhost:8080", false).await;
        TestApp::assemble(state, store, None, shared)
    }

    /// The same app over a fresh PostgreSQL database of its own (dropped
    /// by [`drop_postgres`]), or None when no server answers at
    /// `ZIGE_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432/test).
    pub async fn on_postgres(tag: &str, staff: &[(&str, Role)]) -> Option<(TestApp, String)> {
        let admin = zige_store::Store::open(Path::new("."), Some(&postgres_admin_url()))
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
        let url = format!("{}/{name}", postgres_admin_url().rsplit_once('/')?.0);
        let shared = HashPoolShare::take();
        let dir = temp_dir(&format!("{tag}-pg"));
        let store = zige_store::Store::open(&dir, Some(&url)).await.unwrap();
        store.migrate().await.unwrap();
        create_staff(&store, staff).await;
        let state = serving(&store, &dir, "http://localhost:8080", false).await;
        Some((TestApp::assemble(state, store, Some(dir), shared), name))
    }

    fn assemble(
        state: AppState,
        store: zige_store::Store,
        dir: Option<PathBuf>,
        shared: HashPoolShare,
    ) -> TestApp {
        TestApp {
            router: app(Arc::new(state)),
            store,
            dir,
            _shared: shared,
        }
    }
}

/// The state serving the cases from `store` and the blobs in `dir`.
async fn serving(
    store: &zige_store::Store,
    dir: &Path,
    public_url: &str,
    secure: bool,
) -> AppState {
    let blobs = zige_store::Blobs::open(dir, None).unwrap();
    let mut state = AppState::new(Some(store.clone()));
    state.cases = Some(
        Cases::load(store, blobs, public_url.into(), secure)
            .await
            .unwrap(),
    );
    state
}

async fn create_staff(store: &zige_store::Store, staff: &[(&str, Role)]) {
    let hash = hash_password(STAFF_PASSWORD.into()).await.unwrap();
    for (email, role) in staff {
        store
            .create_user(email, "Staff", *role, &hash, 1, None)
            .await
            .unwrap();
    }
}

fn postgres_admin_url() -> String {
    std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Drops a database [`TestApp::on_postgres`] made.
pub async fn drop_postgres(name: &str) {
    if let Ok(admin) = zige_store::Store::open(Path::new("."), Some(&postgres_admin_url())).await {
        let _ = admin
            .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        admin.close().await;
    }
}

// ---------- the JSON client ----------

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(self.router.clone(), request).await
    }

    /// A request with a bearer token maybe and a JSON body maybe.
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let text = body.map(|v| v.to_string());
        self.send(api_request(method, uri, token, text.as_deref()))
            .await
    }

    /// The same answered as status and JSON (null when the body is not JSON).
    pub async fn json(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let reply = self.call(method, uri, token, body).await;
        (reply.status, reply.json_or_null())
    }

    /// The same with the JSON body given as text (malformed JSON, `null`).
    pub async fn json_text(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let reply = self.send(api_request(method, uri, token, body)).await;
        (reply.status, reply.json_or_null())
    }

    /// A request with any body of `content_type` (none when empty).
    pub async fn send_bytes(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if !content_type.is_empty() {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Uploads `bytes` as the evidence file `name` of application `id`.
    pub async fn upload(&self, token: &str, id: i64, name: &str, bytes: &[u8]) -> Reply {
        let (body, content_type) =
            multipart_body("zigeboundary", &[], name, "application/pdf", bytes);
        let request = Request::post(format!("/api/v1/applications/{id}/evidence"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}

// ---------- signing in ----------

impl TestApp {
    /// A token for `email`; staff give their second factor when asked.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = json!({"email": email, "password": password});
        let mut reply = self
            .call(Method::POST, "/api/v1/session", None, Some(body))
            .await;
        if matches!(reply.status.as_u16(), 401 | 403)
            && reply.error()["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("second_factor"))
        {
            let code = self.totp(email).await;
            let body = json!({"email": email, "password": password, "code": code});
            reply = self
                .call(Method::POST, "/api/v1/session", None, Some(body))
                .await;
        }
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()["token"].as_str().unwrap().to_string()
    }

    /// A token for the staff account `email`, signing in with its
    /// password and a second-factor code at once.
    pub async fn staff(&self, email: &str) -> String {
        let body =
            json!({"email": email, "password": STAFF_PASSWORD, "code": self.totp(email).await});
        let (status, reply) = self
            .json(Method::POST, "/api/v1/session", None, Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        reply["token"].as_str().unwrap().to_string()
    }

    /// A token for [`REVIEWER`].
    pub async fn reviewer(&self) -> String {
        self.staff(REVIEWER).await
    }

    /// A token for [`ADMIN`].
    pub async fn admin(&self) -> String {
        self.staff(ADMIN).await
    }

    /// Registers `email` as an applicant with [`APPLICANT_PASSWORD`]; its token.
    pub async fn applicant(&self, email: &str) -> String {
        let body = json!({"email": email, "password": APPLICANT_PASSWORD});
        let reply = self
            .call(Method::POST, "/api/v1/accounts", None, Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        self.login(email, APPLICANT_PASSWORD).await
    }

    /// A fresh second factor for `email` and its code now. Each call
    /// enrols anew, so a test may sign the same account in many times
    /// within one 30-second step (a code works only once).
    pub async fn totp(&self, email: &str) -> String {
        let (user, _) = self.store.user_by_email(email).await.unwrap().unwrap();
        let now = now_ms();
        self.store
            .remove_second_factor(user.id, user.id, false, now)
            .await
            .unwrap();
        let factor = self
            .store
            .start_enrolment(user.id, &random::<20>(), now)
            .await
            .unwrap();
        let (_, hashes) = recovery_codes();
        self.store
            .enable_second_factor(user.id, 0, &hashes, None, now)
            .await
            .unwrap();
        zige_cases::second_factor::code_at(&factor.secret, now)
    }

    /// A browser signed in as `email` with [`STAFF_PASSWORD`].
    pub async fn staff_browser(&self, email: &str) -> Browser<'_> {
        let mut browser = Browser::new(self);
        browser.sign_in(email, STAFF_PASSWORD).await;
        browser
    }
}

// ---------- a browser without JavaScript ----------

/// One person with a browser: a cookie jar of the session cookie and the
/// pre-session CSRF cookie, connecting from `peer` (none: unknown).
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    pub pre_csrf: Option<String>,
    pub peer: Option<SocketAddr>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            cookie: None,
            pre_csrf: None,
            peer: None,
        }
    }

    pub async fn send(&mut self, builder: axum::http::request::Builder, body: Body) -> Reply {
        let jar: Vec<String> = [
            ("zige_session", &self.cookie),
            ("zige_csrf", &self.pre_csrf),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect();
        let builder = if jar.is_empty() {
            builder
        } else {
            builder.header(header::COOKIE, jar.join("; "))
        };
        let builder = match self.peer {
            Some(p) => builder.extension(axum::extract::ConnectInfo(p)),
            None => builder,
        };
        let reply = self.app.send(builder.body(body).unwrap()).await;
        self.keep_cookies(&reply);
        reply
    }

    fn keep_cookies(&mut self, reply: &Reply) {
        for set in reply.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            if let Some(rest) = set.strip_prefix("zige_session=") {
                let token = rest.split(';').next().unwrap_or("");
                self.cookie = (!token.is_empty()).then(|| token.to_string());
            }
            if let Some(rest) = set.strip_prefix("zige_csrf=") {
                self.pre_csrf = rest.split(';').next().map(str::to_string);
            }
        }
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        self.send(Request::get(uri), Body::empty()).await
    }

    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let builder = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(builder, Body::from(form_body(fields))).await
    }

    /// Posts a multipart form: its fields, then `bytes` as the file `name`.
    pub async fn multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: &[u8],
    ) -> Reply {
        let (body, content_type) = multipart_body(
            "----zigeboundary7MA4YWxkTrZu0gW",
            fields,
            name,
            "application/octet-stream",
            bytes,
        );
        let builder = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, content_type);
        self.send(builder, Body::from(body)).await
    }

    /// Uploads `bytes` as the file `name` through the evidence form at `uri`.
    pub async fn upload(&mut self, uri: &str, csrf: &str, name: &str, bytes: &[u8]) -> Reply {
        self.multipart(uri, &[("csrf", csrf)], name, bytes).await
    }

    /// The hidden CSRF field of the form at `path` (the sign-in and
    /// registration forms' pre-session token, with its cookie).
    pub async fn form_csrf(&mut self, path: &str) -> String {
        self.get(path).await.hidden("csrf")
    }

    /// The CSRF token of the signed-in session, as every page carries it.
    pub async fn csrf(&mut self) -> String {
        self.get("/my").await.hidden("csrf")
    }

    /// Signs in through the form, with the second step when the account
    /// has (or, as staff, must have) a second factor; panics unless it works.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        let csrf = self.form_csrf("/login").await;
        let fields = [
            ("email", email),
            ("password", password),
            ("next", "/my"),
            ("csrf", &csrf),
        ];
        let reply = self.post("/login", &fields).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        if reply.location().starts_with("/login/second-factor") {
            let page = self.get(&reply.location()).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text());
            let csrf = page.hidden("csrf");
            let code = self.app.totp(email).await;
            let fields = [("csrf", &*csrf), ("code", &code), ("next", "/my")];
            let reply = self.post("/login/second-factor", &fields).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        }
        assert!(self.cookie.is_some());
    }

    /// Registers through the form with [`APPLICANT_PASSWORD`], which signs in too.
    pub async fn register(&mut self, email: &str) {
        let csrf = self.form_csrf("/register").await;
        let fields = [
            ("email", email),
            ("password", APPLICANT_PASSWORD),
            ("name", ""),
            ("csrf", &csrf),
        ];
        let reply = self.post("/register", &fields).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        assert_eq!(reply.location(), "/my");
    }

    /// A new draft; its id.
    pub async fn new_application(&mut self) -> i64 {
        let csrf = self.csrf().await;
        let reply = self.post("/apply", &[("csrf", &csrf)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        reply
            .location()
            .strip_prefix("/applications/")
            .unwrap()
            .parse()
            .unwrap()
    }
}

// ---------- the password-hashing pool, shared by every test ----------

/// The password-hashing pool is one per process, and this one process runs
/// every test. Tests that fill it on purpose run [`alone`]; every app holds
/// a share of the pool until it is dropped, so they wait for each other.
struct HashPoolGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    shares: usize,
    alone: bool,
    waiting_alone: usize,
}

thread_local! {
    /// Shares this thread holds, and whether it runs alone (then it needs none).
    static HELD: std::cell::Cell<(usize, bool)> = const { std::cell::Cell::new((0, false)) };
}

fn gate() -> &'static HashPoolGate {
    static GATE: OnceLock<HashPoolGate> = OnceLock::new();
    GATE.get_or_init(|| HashPoolGate {
        state: Mutex::new(GateState::default()),
        changed: Condvar::new(),
    })
}

/// A share of the hashing pool, held by each [`TestApp`].
struct HashPoolShare {
    counted: bool,
}

impl HashPoolShare {
    fn take() -> HashPoolShare {
        let (held, alone) = HELD.get();
        if alone {
            return HashPoolShare { counted: false };
        }
        let gate = gate();
        let mut state = gate.state.lock().unwrap();
        // A thread that holds a share already takes another at once (it
        // would wait for itself); others let a waiting `alone` go first.
        while state.alone || (held == 0 && state.waiting_alone > 0) {
            state = gate.changed.wait(state).unwrap();
        }
        state.shares += 1;
        HELD.set((held + 1, false));
        HashPoolShare { counted: true }
    }
}

impl Drop for HashPoolShare {
    fn drop(&mut self) {
        if !self.counted {
            return;
        }
        let gate = gate();
        let mut state = gate.state.lock().unwrap_or_else(|p| p.into_inner());
        state.shares -= 1;
        let (held, alone) = HELD.get();
        HELD.set((held.saturating_sub(1), alone));
        gate.changed.notify_all();
    }
}

/// The hashing pool to this test alone until the guard is dropped: for
/// the tests that fill it on purpose (they ran in a process of their own
/// when each file was a test binary).
pub struct Alone;

pub fn alone() -> Alone {
    let gate = gate();
    let mut state = gate.state.lock().unwrap();
    state.waiting_alone += 1;
    while state.alone || state.shares > 0 {
        state = gate.changed.wait(state).unwrap();
    }
    state.waiting_alone -= 1;
    state.alone = true;
    HELD.set((0, true));
    Alone
}

impl Drop for Alone {
    fn drop(&mut self) {
        let gate = gate();
        let mut state = gate.state.lock().unwrap_or_else(|p| p.into_inner());
        state.alone = false;
        HELD.set((0, false));
        gate.changed.notify_all();
    }
}
