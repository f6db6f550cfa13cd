//! An HTTP client of a server's JSON API that keeps a session token.

use std::time::Duration;

use serde_json::{json, Value};

/// The password the tests' applicant accounts use.
pub const PASSWORD: &str = "correct horse";

pub struct Client {
    pub agent: ureq::Agent,
    pub base: String,
    /// The bearer token of the signed-in session, if any.
    pub token: Option<String>,
}

impl Client {
    /// A client without a session, giving up on a request after `timeout`.
    pub fn new(base: &str, timeout: Duration) -> Client {
        Client {
            agent: ureq::AgentBuilder::new().timeout(timeout).build(),
            base: base.to_string(),
            token: None,
        }
    }

    /// The same session, talking to another server.
    pub fn on(&self, base: &str) -> Client {
        Client {
            agent: self.agent.clone(),
            base: base.to_string(),
            token: self.token.clone(),
        }
    }

    /// A request to `path`, with the session token when there is one.
    pub fn req(&self, method: &str, path: &str) -> ureq::Request {
        let r = self.agent.request(method, &format!("{}{path}", self.base));
        match &self.token {
            Some(t) => r.set("authorization", &format!("Bearer {t}")),
            None => r,
        }
    }

    /// Status and JSON body, errors included; status 0 when no answer came.
    pub fn answer(res: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
        match res {
            Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
            Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap_or(Value::Null)),
            Err(e) => (0, json!(e.to_string())),
        }
    }

    /// Status and JSON body (errors included).
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let r = self.req(method, path);
        Self::answer(match body {
            Some(b) => r.send_json(b),
            None => r.call(),
        })
    }

    /// Uploads `bytes` as a PDF of evidence to application `id`.
    pub fn upload(&self, id: i64, bytes: &[u8]) -> (u16, Value) {
        let boundary = "zigeboundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cert.pdf\"\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Self::answer(
            self.req("POST", &format!("/api/v1/applications/{id}/evidence"))
                .set(
                    "content-type",
                    &format!("multipart/form-data; boundary={boundary}"),
                )
                .send_bytes(&body),
        )
    }

    /// Registers an applicant account with [`PASSWORD`].
    pub fn register(&self, email: &str) -> (u16, Value) {
        self.call(
            "POST",
            "/api/v1/accounts",
            Some(json!({"email": email, "password": PASSWORD})),
        )
    }

    /// Signs in with `body`; on 201 the client keeps the session's token.
    pub fn sign_in(&mut self, body: Value) -> (u16, Value) {
        let (s, b) = self.call("POST", "/api/v1/session", Some(body));
        if s == 201 {
            self.token = b["token"].as_str().map(str::to_string);
        }
        (s, b)
    }

    /// Signs an applicant in with [`PASSWORD`]; answers the status.
    pub fn login(&mut self, email: &str) -> u16 {
        self.sign_in(json!({"email": email, "password": PASSWORD}))
            .0
    }
}
