//! Evidence files, stored by their SHA-256 and never under a name a user
//! gave: in the data directory by default, or in S3-compatible storage
//! (`s3://bucket/prefix`, credentials and endpoint from the usual AWS_*
//! environment variables) through the `object_store` crate.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;

use crate::StoreError;

/// What a sweep of the evidence files found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepReport {
    /// Files looked at.
    pub seen: usize,
    /// Kept: written within the grace period.
    pub young: usize,
    /// Kept: a record refers to them.
    pub referenced: usize,
    /// Removed: old, and no record refers to them.
    pub removed: usize,
}

#[derive(Clone)]
pub struct Blobs {
    inner: Arc<dyn ObjectStore>,
    /// For the local store: its directory, to make each file durable.
    local: Option<PathBuf>,
    label: String,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Blobs {
    /// `url` None: `blobs/` in the data directory.
    pub fn open(data_dir: &Path, url: Option<&str>) -> Result<Blobs, StoreError> {
        match url {
            None | Some("") => {
                let dir = data_dir.join("blobs");
                std::fs::create_dir_all(&dir).map_err(|source| StoreError::DataDir {
                    path: dir.display().to_string(),
                    source,
                })?;
                let fs = object_store::local::LocalFileSystem::new_with_prefix(&dir)?;
                Ok(Blobs {
                    inner: Arc::new(fs),
                    label: format!("file://{}", dir.display()),
                    local: Some(dir),
                })
            }
            Some(u) if u.starts_with("s3://") => {
                let rest = &u["s3://".len()..];
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(StoreError::Url(u.to_string()));
                }
                let s3 = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()?;
                let inner: Arc<dyn ObjectStore> = if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
                };
                Ok(Blobs {
                    inner,
                    local: None,
                    label: u.to_string(),
                })
            }
            Some(u) => Err(StoreError::Url(u.to_string())),
        }
    }

    fn path(sha256: &str) -> Result<ObjectPath, StoreError> {
        if !is_hash(sha256) {
            return Err(StoreError::NotFound);
        }
        Ok(ObjectPath::from(format!(
            "evidence/{}/{sha256}",
            &sha256[..2]
        )))
    }

    /// Stores `bytes` under their hash; on the local disk, flushed before
    /// this returns.
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<(), StoreError> {
        let path = Self::path(sha256)?;
        self.inner.put(&path, bytes.into()).await?;
        if let Some(dir) = &self.local {
            let file = dir.join(path.as_ref());
            tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                std::fs::File::open(&file)?.sync_all()?;
                if let Some(parent) = file.parent() {
                    std::fs::File::open(parent)?.sync_all()?;
                }
                Ok(())
            })
            .await
            .map_err(|e| StoreError::Backup(e.to_string()))?
            .map_err(|source| StoreError::DataDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        Ok(())
    }

    pub async fn get(&self, sha256: &str) -> Result<Bytes, StoreError> {
        let path = Self::path(sha256)?;
        match self.inner.get(&path).await {
            Ok(r) => Ok(r.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether a file with this hash is stored.
    pub async fn exists(&self, sha256: &str) -> Result<bool, StoreError> {
        match self.inner.head(&Self::path(sha256)?).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Every stored file: its hash and when it was last written (ms).
    pub async fn list(&self) -> Result<Vec<(String, i64)>, StoreError> {
        use futures::TryStreamExt;
        let prefix = ObjectPath::from("evidence");
        let metas: Vec<object_store::ObjectMeta> =
            self.inner.list(Some(&prefix)).try_collect().await?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let name = m.location.filename()?.to_string();
                is_hash(&name).then(|| (name, m.last_modified.timestamp_millis()))
            })
            .collect())
    }

    pub async fn delete(&self, sha256: &str) -> Result<(), StoreError> {
        match self.inner.delete(&Self::path(sha256)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blobs_round_trip_by_hash_and_refuse_anything_else_as_a_key() {
        let dir = std::env::temp_dir().join(format!("zige-blobs-{}", std::process::id()));
        let blobs = Blobs::open(&dir, None).unwrap();
        let data = Bytes::from_static(b"%PDF-1.4 evidence");
        let sha = zige_cases::sha256_hex(&data);
        blobs.put(&sha, data.clone()).await.unwrap();
        assert_eq!(blobs.get(&sha).await.unwrap(), data);
        assert!(dir
            .join("blobs/evidence")
            .join(&sha[..2])
            .join(&sha)
            .exists());
        assert!(matches!(
            blobs.get("../../etc/passwd").await,
            Err(StoreError::NotFound)
        ));
        blobs.delete(&sha).await.unwrap();
        assert!(matches!(blobs.get(&sha).await, Err(StoreError::NotFound)));
        assert!(matches!(
            Blobs::open(&dir, Some("ftp://x")),
            Err(StoreError::Url(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
