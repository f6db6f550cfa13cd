//! What wraps every request: its id (`X-Request-Id`, made here unless the
//! client sent one, and returned), its log span, and its metrics. The
//! response hardening (security headers, `no-store`, the API's error
//! envelope) is in [`crate::protect`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnRequest, DefaultOnResponse, TraceLayer};
use tracing::Span;

use crate::state::Shared;

/// The header that carries a request's id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a process-unique counter with a random-ish start.
#[derive(Clone)]
pub struct RequestIds(Arc<AtomicU64>);

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let next = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{next:016x}"))
            .ok()
            .map(RequestId::new)
    }
}

/// Gives each request an id, starting from the clock's microseconds.
pub fn set_request_ids() -> SetRequestIdLayer<RequestIds> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
        << 16;
    SetRequestIdLayer::new(REQUEST_ID, RequestIds(Arc::new(AtomicU64::new(seed))))
}

/// Returns the request's id in the response.
pub fn propagate_request_ids() -> PropagateRequestIdLayer {
    PropagateRequestIdLayer::new(REQUEST_ID)
}

/// The log span of one request: method, address and id.
fn request_span(req: &Request<Body>) -> Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
}

/// The type of [`trace_requests`]' layer.
pub type RequestTrace = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    fn(&Request<Body>) -> Span,
    DefaultOnRequest,
    DefaultOnResponse,
>;

/// Logs every request in its span, with its status and latency.
pub fn trace_requests() -> RequestTrace {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request<Body>) -> Span)
        .on_response(
            DefaultOnResponse::new()
                .level(tracing::Level::INFO)
                .latency_unit(tower_http::LatencyUnit::Micros),
        )
}

/// Counts the request and its latency under its route's pattern, and
/// wakes the mail sender after a change.
pub async fn record_metrics(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let changes = !req.method().is_safe();
    let response = next.run(req).await;
    state
        .metrics
        .record(&route, &method, response.status().as_u16(), start.elapsed());
    // A change that went through may have queued mail: the sender need
    // not wait for its next look at the outbox.
    if changes && response.status().as_u16() < 400 {
        state.mail_wake.notify_one();
    }
    response
}
