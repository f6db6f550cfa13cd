//! A browser without JavaScript: a cookie jar, forms, the CSRF token.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use super::*;

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

    /// Registers through the form with [`APPLICANT_PASSWORD`] (the answer:
    /// "check your e-mail"), then signs in.
    pub async fn register(&mut self, email: &str) {
        let csrf = self.form_csrf("/register").await;
        let fields = [
            ("email", email),
            ("password", APPLICANT_PASSWORD),
            ("name", ""),
            ("csrf", &csrf),
        ];
        let reply = self.post("/register", &fields).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert!(reply.text().contains("/login?next="), "{}", reply.text());
        self.sign_in(email, APPLICANT_PASSWORD).await;
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
