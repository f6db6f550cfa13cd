//! What every request handler shares: the catalogues with their search
//! indexes, the policy, the store and the metrics.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use zige_catalog::{Catalog, CatalogId};
use zige_rules::Policy;
use zige_search::Searcher;
use zige_store::Store;

use crate::metrics::Metrics;

/// One edition with its search index and its exports, built on first use.
pub struct Edition {
    pub catalog: &'static Catalog,
    pub searcher: Searcher<'static>,
    /// Hash of the edition's data, the base of its ETags.
    pub version_tag: String,
    /// Each export's bytes and ETag, made on first request.
    pub exports: [OnceLock<Result<(axum::body::Bytes, String), String>>; 4],
}

/// Search answers by edition and query string. Editions never change once
/// loaded, so an answer stays right; the map is emptied when it is full.
#[derive(Default)]
pub struct SearchCache {
    map: std::sync::Mutex<std::collections::HashMap<(usize, String), axum::body::Bytes>>,
}

impl SearchCache {
    pub const CAPACITY: usize = 8192;

    pub fn get(&self, key: &(usize, String)) -> Option<axum::body::Bytes> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    pub fn put(&self, key: (usize, String), body: axum::body::Bytes) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::CAPACITY {
            map.clear();
        }
        map.insert(key, body);
    }
}

/// What recognition cases need beyond the database: the evidence store,
/// the decision signing key and the published keys, and the public address.
pub struct Cases {
    pub blobs: zige_store::Blobs,
    pub signer: zige_cases::Signer,
    pub keys: Vec<ed25519_dalek::VerifyingKey>,
    pub public_url: String,
    pub secure_cookies: bool,
}

impl Cases {
    /// Loads (or, on first start, creates) the signing key from the
    /// database, so every process behind a load balancer signs alike.
    pub async fn load(
        store: &Store,
        blobs: zige_store::Blobs,
        public_url: String,
        secure_cookies: bool,
    ) -> Result<Cases, zige_store::StoreError> {
        let candidate: [u8; 32] = crate::auth::random();
        let c = zige_cases::Signer::from_secret(&candidate);
        let secret = store
            .signing_key(
                &candidate,
                c.public().as_bytes(),
                c.id(),
                crate::auth::now_ms(),
            )
            .await?;
        let secret: [u8; 32] = secret.try_into().map_err(|_| {
            zige_store::StoreError::Backup("stored signing key is not 32 bytes".into())
        })?;
        let signer = zige_cases::Signer::from_secret(&secret);
        let keys = store
            .public_keys()
            .await?
            .into_iter()
            .filter_map(|k| <[u8; 32]>::try_from(k).ok())
            .filter_map(|k| ed25519_dalek::VerifyingKey::from_bytes(&k).ok())
            .collect();
        Ok(Cases {
            blobs,
            signer,
            keys,
            public_url,
            secure_cookies,
        })
    }
}

pub struct AppState {
    pub cases: Option<Cases>,
    pub editions: Vec<Edition>,
    pub search_cache: SearchCache,
    pub policy: &'static Policy,
    pub store: Option<Store>,
    pub metrics: Metrics,
    pub started: Instant,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// State over the built-in editions. `store` is None only in tests
    /// that need no database.
    pub fn new(store: Option<Store>) -> AppState {
        let editions = zige_catalog::builtin()
            .iter()
            .map(|catalog| {
                use sha2::Digest;
                let json = serde_json::to_vec(catalog).unwrap_or_default();
                let hash = sha2::Sha256::digest(&json);
                Edition {
                    catalog,
                    searcher: Searcher::new(catalog, zige_catalog::places()),
                    version_tag: hash.iter().take(8).map(|b| format!("{b:02x}")).collect(),
                    exports: Default::default(),
                }
            })
            .collect();
        AppState {
            cases: None,
            editions,
            search_cache: SearchCache::default(),
            policy: Policy::builtin(),
            store,
            metrics: Metrics::default(),
            started: Instant::now(),
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

    /// The edition in force: the newest.
    pub fn current(&self) -> &Edition {
        self.editions.last().expect("at least one edition")
    }

    /// The position of an edition in `editions`.
    pub fn index_of(&self, ed: &Edition) -> usize {
        self.editions
            .iter()
            .position(|e| std::ptr::eq(e, ed))
            .unwrap_or(0)
    }

    /// An edition by its id (`beijing/3.0`), or the current one when absent.
    pub fn edition(&self, id: Option<&str>) -> Result<&Edition, crate::error::ApiError> {
        match id {
            None | Some("") => Ok(self.current()),
            Some(s) => {
                let parsed = CatalogId::parse(s).map_err(|_| {
                    crate::error::ApiError::invalid("catalog", s, &self.catalog_ids().join(", "))
                })?;
                self.editions
                    .iter()
                    .find(|e| e.catalog.id == parsed)
                    .ok_or_else(|| {
                        crate::error::ApiError::not_found("catalog", s, self.catalog_ids())
                    })
            }
        }
    }

    pub fn catalog_ids(&self) -> Vec<String> {
        self.editions
            .iter()
            .map(|e| e.catalog.id.to_string())
            .collect()
    }
}
