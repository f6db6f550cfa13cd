//! Zige's web adapter: server-rendered bilingual pages and the JSON API,
//! on axum. Everything it serves is embedded in the binary; the database
//! lives in the data directory (or PostgreSQL).
//!
//! Invariant: this is the only crate that knows HTTP.

mod assets;
pub mod batch;
pub mod cases;
pub mod catalogue;
pub mod config;
pub mod editions;
pub mod error;
pub mod extract;
mod i18n;
mod line_breaks;
pub mod local_time;
mod middleware;
mod multipart;
pub mod ops;
mod privacy;
pub mod protect;
mod render;
mod router;
pub mod schemas;
pub mod state;
pub mod statistics;
mod work_queue;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;

pub use config::Config;
pub use state::{AppState, Shared};

/// The whole application: pages, API, operations endpoints and middleware
/// (the route table is [`router`]).
pub fn app(state: Shared) -> Router {
    router::app(state)
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
    #[error("mail: {0}")]
    Mail(String),
}

/// The task that delivers the outbox (or, without a mail server, only
/// queues reminders and digests).
fn mail_sender(
    config: &Config,
    state: &Shared,
    store: &zige_store::Store,
) -> Result<zige_mail::Sender, ServeError> {
    let transport = match &config.mail.smtp {
        Some(smtp) => {
            tracing::info!(host = %smtp.host, port = smtp.port, tls = ?smtp.tls, "mail goes to this SMTP server");
            Some(
                smtp.transport()
                    .map_err(|e| ServeError::Mail(e.to_string()))?,
            )
        }
        None => {
            tracing::warn!("no mail server configured (--smtp-url): messages wait in the outbox");
            None
        }
    };
    let words = zige_mail::Words {
        public_url: config.public_url.clone(),
        zone: config.settings.clock.zone(),
        lapse_ms: config.mail.lapse_days as i64 * 24 * 3600 * 1000,
    };
    Ok(zige_mail::Sender::new(
        store.clone(),
        transport,
        config.mail.from.clone(),
        words,
        zige_mail::Schedule::default(),
        state.mail_wake.clone(),
    ))
}

/// Opens and migrates the database, builds the state, and serves until
/// SIGTERM or ctrl-c, then finishes the requests under way.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let started = Instant::now();
    let (state, store) = open_state(&config).await?;
    let refresher = refresh_editions_regularly(state.clone());
    let sweeper = sweep_evidence_regularly(state.clone(), config.blob_grace_secs);
    let mailer = tokio::spawn(mail_sender(&config, &state, &store)?.run());
    // Requests return after their own commit; their audit records are
    // sealed into the chain in batches as they come.
    let sealer = store.seal_in_background();
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
    mailer.abort();
    sealer.abort();
    if let Err(e) = store.seal_audit().await {
        tracing::warn!(error = %e, "audit records left pending; the next start seals them");
    }
    store.close().await;
    tracing::info!("zige stopped");
    Ok(())
}

/// Opens and migrates the database and the evidence files, and builds the
/// state with the editions published so far.
async fn open_state(config: &Config) -> Result<(Shared, zige_store::Store), ServeError> {
    let store = zige_store::Store::open(&config.data_dir, config.database_url.as_deref())
        .await?
        .with_limits(config.limits)
        .with_zone(config.settings.clock.zone());
    store.migrate().await?;
    let blobs = zige_store::Blobs::open(&config.data_dir, config.blob_url.as_deref())?;
    let mut state = AppState::new(Some(store.clone()));
    state.trusted_proxies = config.trusted_proxies.clone();
    state.settings = config.settings.clone();
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
    Ok((state, store))
}

/// Editions published by another process (or by `zige catalog publish`)
/// are picked up within a quarter of a minute; effective dates are
/// checked on every request.
fn refresh_editions_regularly(state: Shared) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
        loop {
            tick.tick().await;
            if let Err(e) = state.refresh_editions().await {
                tracing::warn!(error = %e, "could not refresh editions");
            }
        }
    })
}

/// Evidence files no record refers to (deleted drafts') go once older
/// than the grace period; a quarter of it between sweeps (10 s to 15 min).
fn sweep_evidence_regularly(state: Shared, grace_secs: u64) -> tokio::task::JoinHandle<()> {
    let grace_ms = (grace_secs as i64).saturating_mul(1000);
    let every = std::time::Duration::from_secs((grace_secs / 4).clamp(10, 900));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let (Some(store), Some(cases)) = (&state.store, &state.cases) else {
                return;
            };
            match store
                .sweep_blobs(&cases.blobs, grace_ms, cases::now_ms())
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
}

/// Resolves on SIGTERM or ctrl-c.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
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
