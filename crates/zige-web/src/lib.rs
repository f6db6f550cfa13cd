//! Zige's web adapter: server-rendered bilingual pages and the JSON API,
//! on axum. Everything it serves is embedded in the binary; the database
//! lives in the data directory (or PostgreSQL).
//!
//! Invariant: this is the only crate that knows HTTP.

pub mod api;
pub mod auth;
pub mod cases;
pub mod cases_api;
pub mod config;
mod editions_pages;
pub mod editions_web;
pub mod error;
pub mod extract;
mod i18n;
mod layout;
pub mod metrics;
mod pages;
pub mod protect;
pub mod schemas;
pub mod second_factor;
pub mod state;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
use error::ApiError;
pub use state::{AppState, Shared};
use zige_export::Format;

/// Request ids: a process-unique counter with a random-ish start.
#[derive(Clone)]
struct Ids(Arc<AtomicU64>);

impl MakeRequestId for Ids {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{n:016x}"))
            .ok()
            .map(RequestId::new)
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: pages, API, operations endpoints and middleware.
pub fn app(state: Shared) -> Router {
    let api = Router::new()
        .route("/entries", get(api::entries))
        .route("/entries/{id}", get(api::entry))
        .route("/search", get(api::search))
        .route("/check", post(api::check))
        .route("/catalogs", get(api::catalogs))
        .route("/catalogs/{*rest}", get(api::catalog_path))
        .route(
            "/export.csv",
            get(|s, h, q| api::export(s, h, Format::Csv, q)),
        )
        .route(
            "/export.xlsx",
            get(|s, h, q| api::export(s, h, Format::Xlsx, q)),
        )
        .route(
            "/export.json",
            get(|s, h, q| api::export(s, h, Format::Json, q)),
        )
        .route(
            "/export.jsonld",
            get(|s, h, q| api::export(s, h, Format::JsonLd, q)),
        )
        .merge(cases::api_routes())
        .route("/entries/{id}/history", get(editions_web::entry_history))
        .route(
            "/admin/editions",
            get(editions_web::list)
                .post(editions_web::create)
                .layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}",
            get(editions_web::show),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}/overlay",
            axum::routing::put(editions_web::put_overlay)
                .layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}/publish",
            post(editions_web::post_publish),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}/discard",
            post(editions_web::post_discard),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
                .allow_headers(Any),
        )
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn(protect::api_errors));
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
        << 16;
    Router::new()
        .merge(pages::routes())
        .merge(cases::page_routes())
        .merge(editions_pages::routes())
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(api::openapi))
        .route("/changes.atom", get(editions_web::changes_feed))
        .route("/healthz", get(api::healthz))
        .route("/readyz", get(api::readyz))
        .route("/metrics", get(api::metrics))
        .fallback(pages::unknown)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), record_metrics))
        .layer(middleware::from_fn(protect::no_store))
        .layer(middleware::from_fn_with_state(state.clone(), protect::security_headers))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
            tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
        })
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Micros)))
        .layer(SetRequestIdLayer::new(REQUEST_ID, Ids(Arc::new(AtomicU64::new(seed)))))
        .with_state(state)
}

async fn record_metrics(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    s.metrics
        .record(&route, &method, resp.status().as_u16(), start.elapsed());
    resp
}

async fn api_not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no API endpoint at {}", uri.path()),
        format!("没有这个接口：{}", uri.path()),
    )
}

async fn method_not_allowed(OriginalUri(uri): OriginalUri, req: Request) -> Response {
    let mut e = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}", req.method(), uri.path()),
        format!("{} 不能用于 {}", req.method(), uri.path()),
    );
    e.field = Some("method".into());
    e.value = Some(req.method().to_string());
    e.into_response()
}

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] zige_store::StoreError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens and migrates the database, builds the state, and serves until
/// SIGTERM or ctrl-c, then finishes the requests under way.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let started = Instant::now();
    let store = zige_store::Store::open(&config.data_dir, config.database_url.as_deref())
        .await?
        .with_limits(config.limits);
    store.migrate().await?;
    let blobs = zige_store::Blobs::open(&config.data_dir, config.blob_url.as_deref())?;
    let mut state = AppState::new(Some(store.clone()));
    state.trusted_proxies = config.trusted_proxies.clone();
    state.cases = Some(
        state::Cases::load(
            &store,
            blobs,
            config.public_url.clone(),
            config.secure_cookies(),
        )
        .await?,
    );
    let state = Arc::new(state);
    state.refresh_editions().await?;
    // Editions published by another process (or by `zige catalog publish`)
    // are picked up within a quarter of a minute; effective dates are
    // checked on every request.
    let refresher = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
            loop {
                tick.tick().await;
                if let Err(e) = state.refresh_editions().await {
                    tracing::warn!(error = %e, "could not refresh editions");
                }
            }
        })
    };
    // Evidence files no record refers to (deleted drafts') go once older
    // than the grace period; a quarter of it between sweeps (10 s to 15 min).
    let sweeper = {
        let state = state.clone();
        let grace_ms = (config.blob_grace_secs as i64).saturating_mul(1000);
        let every = std::time::Duration::from_secs((config.blob_grace_secs / 4).clamp(10, 900));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let (Some(store), Some(cases)) = (&state.store, &state.cases) else {
                    return;
                };
                match store
                    .sweep_blobs(&cases.blobs, grace_ms, auth::now_ms())
                    .await
                {
                    Ok(r) if r.removed > 0 => tracing::info!(
                        removed = r.removed,
                        kept = r.referenced + r.young,
                        "evidence sweep"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "evidence sweep failed"),
                }
            }
        })
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr.to_string(),
            source,
        })?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, backend = store.backend(), ready_ms = started.elapsed().as_millis() as u64, "zige is ready: http://{local}/");
    // The peer's address reaches handlers (ConnectInfo) for throttling.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    refresher.abort();
    sweeper.abort();
    store.close().await;
    tracing::info!("zige stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Sets up request logging: text for people, JSON for collectors.
pub fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZIGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
