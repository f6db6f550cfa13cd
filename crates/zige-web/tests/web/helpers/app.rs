//! `TestApp`: the app over a database of its own, its JSON client and
//! its sign-in helpers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use zige_cases::Role;

use super::hash_pool::HashPoolShare;
use super::*;

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

    /// The same app sending mail to a real SMTP server (started here):
    /// applicants verify their address before they submit, and a sender
    /// task delivers the outbox as `zige serve` does.
    /// None (the test skips) where no SMTP server can run, see
    /// [`MailSink::available`].
    pub async fn with_mail(tag: &str, staff: &[(&str, Role)]) -> Option<(TestApp, MailSink)> {
        if !MailSink::available() {
            return None;
        }
        let sink = MailSink::start();
        let app = TestApp::mailing_to(tag, staff, &sink.url()).await;
        Some((app, sink))
    }

    /// The app sending mail to `smtp_url` (a server that may be down).
    pub async fn mailing_to(tag: &str, staff: &[(&str, Role)], smtp_url: &str) -> TestApp {
        let mut wake = None;
        let app = TestApp::tuned(tag, staff, "http://localhost:8080", |state| {
            state.settings.verify_before_submit = true;
            wake = Some(state.mail_wake.clone());
        })
        .await;
        let transport = zige_mail::SmtpSettings::parse(smtp_url, None)
            .unwrap()
            .transport()
            .unwrap();
        let words = zige_mail::Words {
            public_url: "http://localhost:8080".into(),
            zone: jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
            lapse_ms: 30 * 24 * 3600 * 1000,
        };
        let sender = zige_mail::Sender::new(
            app.store.clone(),
            Some(transport),
            zige_mail::parse_from("Zige <noreply@zige.example.org>").unwrap(),
            words,
            zige_mail::Schedule::default(),
            wake.unwrap(),
        );
        tokio::spawn(sender.run());
        app
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
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text());
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
