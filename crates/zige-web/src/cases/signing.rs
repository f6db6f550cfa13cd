//! The keys decisions and credentials are signed with: read from the
//! database at each use, so a rotation (`zige keys rotate`, in any
//! process) takes effect in every server at once, and every key ever used
//! stays published for what it signed.

use ed25519_dalek::VerifyingKey;
use zige_cases::Signer;

use crate::cases::Res;
use crate::error::ApiError;
use crate::state::Shared;

/// The key that signs now and every published key.
pub struct Keys {
    pub signer: Signer,
    pub published: Vec<VerifyingKey>,
}

/// The keys as the database holds them now.
pub async fn keys(state: &Shared) -> Res<Keys> {
    let stored = state
        .store()?
        .signing_keys()
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::internal("no signing key is stored"))?;
    let secret: [u8; 32] = stored
        .current
        .try_into()
        .map_err(|_| ApiError::internal("the stored signing key is not 32 bytes"))?;
    let published = stored
        .published
        .into_iter()
        .filter_map(|k| <[u8; 32]>::try_from(k).ok())
        .filter_map(|k| VerifyingKey::from_bytes(&k).ok())
        .collect();
    Ok(Keys {
        signer: Signer::from_secret(&secret),
        published,
    })
}
