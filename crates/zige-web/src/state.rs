//! What every request handler shares: the catalogues with their search
//! indexes, the policy, the store and the metrics.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use zige_catalog::{Catalog, CatalogId};
use zige_rules::Policy;
use zige_search::Searcher;
use zige_store::Store;

use crate::ops::metrics::Metrics;

/// One edition with its search index and its exports, built on first use.
pub struct Edition {
    pub catalog: &'static Catalog,
    pub searcher: Searcher<'static>,
    /// Hash of the edition's data, the base of its ETags.
    pub version_tag: String,
    /// Each export's bytes and ETag, made on first request.
    pub exports: [OnceLock<Result<(axum::body::Bytes, String), String>>; 4],
    /// Each entry's JSON and ETag, in the catalogue's order, made once on
    /// the first request for any entry.
    entry_json: OnceLock<Vec<(axum::body::Bytes, String)>>,
    /// The first day it is in force, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Compiled into the binary (always there) rather than stored.
    pub builtin: bool,
}

impl Edition {
    /// An edition for the lifetime of the process: published editions never
    /// change, and there are a handful per year, so they are leaked rather
    /// than reference-counted through every handler.
    pub fn leak(catalog: Catalog, effective_from: String, builtin: bool) -> &'static Edition {
        Self::leak_ref(Box::leak(Box::new(catalog)), effective_from, builtin)
    }

    fn leak_ref(
        catalog: &'static Catalog,
        effective_from: String,
        builtin: bool,
    ) -> &'static Edition {
        use sha2::Digest;
        let json = serde_json::to_vec(catalog).unwrap_or_default();
        let hash = sha2::Sha256::digest(&json);
        Box::leak(Box::new(Edition {
            catalog,
            searcher: Searcher::new(catalog, zige_catalog::places()),
            version_tag: hash.iter().take(8).map(|b| format!("{b:02x}")).collect(),
            exports: Default::default(),
            entry_json: OnceLock::new(),
            effective_from,
            builtin,
        }))
    }
}

impl Edition {
    /// The JSON of `entry` (an entry of this edition) and its ETag.
    pub fn entry_json(&self, entry: &zige_catalog::Entry) -> Option<&(axum::body::Bytes, String)> {
        let all = self.entry_json.get_or_init(|| {
            self.catalog
                .entries
                .iter()
                .map(|e| {
                    let body = serde_json::to_vec(e).unwrap_or_default();
                    let etag = crate::catalogue::api::etag_of(&body);
                    (axum::body::Bytes::from(body), etag)
                })
                .collect()
        });
        let at = self
            .catalog
            .entries
            .iter()
            .position(|e| std::ptr::eq(e, entry))?;
        all.get(at)
    }
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    zige_cases::Timestamp(crate::cases::now_ms())
        .date()
        .to_string()
}

/// Answers by edition and a key of what was asked (a search's query
/// string, an anonymous entry page's entry and language). Editions never
/// change once loaded, so an answer stays right. The cache is bounded in
/// bytes (keys, answers and a map slot's overhead counted): when the next
/// answer would pass the bound, it is emptied and starts again.
pub struct AnswerCache {
    inner: std::sync::Mutex<CachedAnswers>,
    limit: usize,
}

#[derive(Default)]
struct CachedAnswers {
    map: std::collections::HashMap<(usize, String), axum::body::Bytes>,
    bytes: usize,
}

impl Default for AnswerCache {
    fn default() -> Self {
        AnswerCache::with_limit(Self::LIMIT_BYTES)
    }
}

impl AnswerCache {
    /// At most this many bytes of answers and keys.
    pub const LIMIT_BYTES: usize = 4 << 20;
    /// What a map slot costs beyond its key's text and its answer's bytes.
    const SLOT_BYTES: usize = 96;

    pub fn with_limit(limit: usize) -> Self {
        AnswerCache {
            inner: Default::default(),
            limit,
        }
    }

    pub fn get(&self, key: &(usize, String)) -> Option<axum::body::Bytes> {
        self.lock().map.get(key).cloned()
    }

    pub fn put(&self, key: (usize, String), body: axum::body::Bytes) {
        let size = key.1.len() + body.len() + Self::SLOT_BYTES;
        if size > self.limit {
            return;
        }
        let mut cache = self.lock();
        if cache.bytes + size > self.limit {
            // Emptied, and its memory given back, not kept for reuse.
            *cache = CachedAnswers::default();
        }
        if cache.map.insert(key, body).is_none() {
            cache.bytes += size;
        }
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CachedAnswers> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What recognition cases need beyond the database: the evidence store
/// and the public address. The signing keys are read at each use
/// ([`crate::cases::signing::keys`]), so a rotation shows in every process.
pub struct Cases {
    pub blobs: zige_store::Blobs,
    pub public_url: String,
    pub secure_cookies: bool,
}

impl Cases {
    /// Makes sure a signing key exists (creating one on first start), so
    /// every process behind a load balancer signs alike.
    pub async fn load(
        store: &Store,
        blobs: zige_store::Blobs,
        public_url: String,
        secure_cookies: bool,
    ) -> Result<Cases, zige_store::StoreError> {
        let candidate: [u8; 32] = crate::cases::random();
        let c = zige_cases::Signer::from_secret(&candidate);
        store
            .signing_key(
                &candidate,
                c.public().as_bytes(),
                c.id(),
                crate::cases::now_ms(),
            )
            .await?;
        Ok(Cases {
            blobs,
            public_url,
            secure_cookies,
        })
    }
}

pub struct AppState {
    pub cases: Option<Cases>,
    /// Published editions, built-in first, in the order they were loaded;
    /// only ever appended to, so positions are stable cache keys.
    editions: std::sync::RwLock<Vec<&'static Edition>>,
    /// Diffs between published editions, by their positions: editions never
    /// change, so each pair is compared once.
    diffs:
        std::sync::Mutex<std::collections::HashMap<(usize, usize), Arc<zige_catalog::CatalogDiff>>>,
    pub search_cache: AnswerCache,
    /// Entry pages as anyone not signed in sees them, by edition, entry and
    /// language: rendered once, not per request.
    pub entry_pages: AnswerCache,
    pub policy: &'static Policy,
    pub store: Option<Store>,
    /// Peers whose `X-Forwarded-For` is believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The issuing authority, the time zone and development mode.
    pub settings: crate::config::Settings,
    pub metrics: Metrics,
    pub started: Instant,
    /// Wakes the mail sender when a change may have queued a message.
    pub mail_wake: Arc<tokio::sync::Notify>,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// State over the built-in editions. `store` is None only in tests
    /// that need no database.
    pub fn new(store: Option<Store>) -> AppState {
        let editions = zige_catalog::builtin()
            .iter()
            .map(|c| Edition::leak_ref(c, c.published.clone(), true))
            .collect();
        AppState {
            cases: None,
            editions: std::sync::RwLock::new(editions),
            diffs: Default::default(),
            search_cache: AnswerCache::default(),
            entry_pages: AnswerCache::with_limit(2 << 20),
            policy: Policy::builtin(),
            store,
            trusted_proxies: Vec::new(),
            settings: Default::default(),
            metrics: Metrics::default(),
            started: Instant::now(),
            mail_wake: Arc::default(),
        }
    }

    pub fn store(&self) -> Result<&Store, crate::error::ApiError> {
        self.store
            .as_ref()
            .ok_or_else(crate::error::ApiError::unavailable)
    }

    pub fn cases(&self) -> Result<&Cases, crate::error::ApiError> {
        self.cases
            .as_ref()
            .ok_or_else(crate::error::ApiError::unavailable)
    }

    /// Every published edition, built-in first.
    pub fn published(&self) -> Vec<&'static Edition> {
        self.editions
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Adds a published edition (from the store); false when already known.
    pub fn add_published(&self, catalog: Catalog, effective_from: String) -> bool {
        let mut eds = self.editions.write().unwrap_or_else(|p| p.into_inner());
        if eds.iter().any(|e| e.catalog.id == catalog.id) {
            return false;
        }
        eds.push(Edition::leak(catalog, effective_from, false));
        true
    }

    /// Loads the published editions of the store this process does not
    /// know yet (published by another process, or just now).
    pub async fn refresh_editions(&self) -> Result<usize, zige_store::StoreError> {
        let Some(store) = &self.store else {
            return Ok(0);
        };
        let mut added = 0;
        for e in store.editions().await? {
            if e.status != "published"
                || self
                    .published()
                    .iter()
                    .any(|k| k.catalog.id.to_string() == e.id)
            {
                continue;
            }
            match zige_catalog::edition::rebuild(&e.text, &e.overlay) {
                Ok((catalog, _)) => {
                    if self.add_published(catalog, e.effective_from.clone().unwrap_or_default()) {
                        added += 1;
                        tracing::info!(edition = %e.id, effective = e.effective_from.as_deref().unwrap_or(""), "edition loaded");
                    }
                }
                Err(err) => {
                    tracing::error!(edition = %e.id, %err, "a stored edition does not build")
                }
            }
        }
        Ok(added)
    }

    /// The jurisdiction answered when none is named: the built-in one.
    pub fn default_jurisdiction(&self) -> String {
        zige_catalog::default_catalog().id.jurisdiction.clone()
    }

    /// The edition of `jurisdiction` in force on `on` (`YYYY-MM-DD`).
    pub fn in_force(&self, jurisdiction: &str, on: &str) -> Option<&'static Edition> {
        let eds = self.published();
        let id = zige_catalog::edition::in_force(
            eds.iter()
                .map(|e| (&e.catalog.id, e.effective_from.as_str())),
            jurisdiction,
            on,
        )?
        .clone();
        eds.into_iter().find(|e| e.catalog.id == id)
    }

    /// The edition in force today for the default jurisdiction.
    pub fn current(&self) -> &'static Edition {
        self.in_force(&self.default_jurisdiction(), &today())
            .or_else(|| self.published().into_iter().next())
            .expect("the built-in edition is always there")
    }

    /// What changed from published edition `older` to `newer`, computed once
    /// per pair.
    pub fn diff(&self, older: &Edition, newer: &Edition) -> Arc<zige_catalog::CatalogDiff> {
        let key = (self.index_of(older), self.index_of(newer));
        if let Some(diff) = self
            .diffs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&key)
        {
            return diff.clone();
        }
        let diff = Arc::new(zige_catalog::diff(older.catalog, newer.catalog));
        self.diffs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(key, diff.clone());
        diff
    }

    /// The position of an edition in the registry (a stable cache key).
    /// Where the edition in force stands among the editions known, and how
    /// many there are: what an entry page's history and edition note show.
    pub fn editions_now(&self) -> (usize, usize) {
        let current = self.current();
        let editions = self.editions.read().unwrap_or_else(|p| p.into_inner());
        let at = editions.iter().position(|e| std::ptr::eq(*e, current));
        (at.unwrap_or(0), editions.len())
    }

    pub fn index_of(&self, ed: &Edition) -> usize {
        self.published()
            .iter()
            .position(|e| std::ptr::eq(*e, ed))
            .unwrap_or(0)
    }

    /// An edition by its id (`beijing/3.0`), or the one in force when absent.
    pub fn edition(&self, id: Option<&str>) -> Result<&'static Edition, crate::error::ApiError> {
        match id {
            None | Some("") => Ok(self.current()),
            Some(s) => {
                let parsed = CatalogId::parse(s).map_err(|_| {
                    crate::error::ApiError::invalid("catalog", s, &self.catalog_ids().join(", "))
                })?;
                self.published()
                    .into_iter()
                    .find(|e| e.catalog.id == parsed)
                    .ok_or_else(|| {
                        crate::error::ApiError::not_found("catalog", s, self.catalog_ids())
                    })
            }
        }
    }

    pub fn catalog_ids(&self) -> Vec<String> {
        self.published()
            .iter()
            .map(|e| e.catalog.id.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::AnswerCache;

    #[test]
    fn the_answer_cache_never_holds_more_bytes_than_its_bound() {
        let cache = AnswerCache::with_limit(10_000);
        for i in 0..1_000 {
            let answer = axum::body::Bytes::from(vec![b'x'; 100 + i % 50]);
            cache.put((0, format!("q=query-{i}")), answer);
            assert!(cache.bytes() <= 10_000, "{} bytes", cache.bytes());
        }
        assert!(cache.get(&(0, "q=query-999".into())).is_some());
        cache.put((0, "too big".into()), vec![0u8; 20_000].into());
        assert!(cache.get(&(0, "too big".into())).is_none());
    }
}
