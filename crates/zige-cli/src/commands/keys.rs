//! `zige keys rotate`: a new key signs decisions and credentials from now
//! on; the previous ones stay published, so what they signed still
//! verifies. Every running server uses the new key at its next signature.

use clap::Subcommand;
use zige_store::Store;
use zige_web::config::Config;

use crate::failure::Out;
use crate::store::{with_store, StoreArgs};

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Retire the signing key and make a new one (audited); the retired
    /// key stays published for verifying what it signed.
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Prints the new key's id.
pub(crate) fn run(command: KeysCommand) -> Out {
    let KeysCommand::Rotate { store } = command;
    with_store(&store, async |store: &Store, _: &Config| {
        let secret: [u8; 32] = zige_web::cases::random();
        let signer = zige_cases::Signer::from_secret(&secret);
        let now = zige_web::cases::now_ms();
        store
            .rotate_signing_key(&secret, signer.public().as_bytes(), signer.id(), now)
            .await?;
        println!(
            "new signing key {}: it signs from now on; every earlier key stays published at /api/v1/keys and /.well-known/did.json",
            signer.id()
        );
        Ok(())
    })
}
