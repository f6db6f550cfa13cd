//! `zige verify`: check a downloaded decision's signature offline, against
//! `--keys FILE` (the JSON of /api/v1/keys) or the keys in the local
//! database.

use std::path::{Path, PathBuf};

use clap::Args;
use ed25519_dalek::VerifyingKey;
use zige_cases::SignedDecision;
use zige_store::Store;
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};

#[derive(Args)]
pub(crate) struct VerifyArgs {
    file: PathBuf,
    /// The public keys (the JSON of /api/v1/keys); default: those in the local database.
    #[arg(long)]
    keys: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

/// Prints what a valid decision says, in English and Chinese; an invalid
/// signature fails.
pub(crate) fn run(args: VerifyArgs) -> Out {
    let signed = read_decision(&args.file)?;
    let keys = match &args.keys {
        Some(path) => keys_from_file(path)?,
        None => keys_from_store(&args.store)?,
    };
    match signed.verify(&keys) {
        Ok(doc) => {
            println!(
                "valid signature (key {}): decision {} for {}, {} {} under {}, issued {}",
                signed.signature.key_id,
                doc.number,
                doc.holder_name,
                doc.entry["code"].as_str().unwrap_or(""),
                doc.entry["name"]["en"].as_str().unwrap_or(""),
                doc.catalog,
                doc.issued_at
            );
            println!(
                "签名有效：决定 {}，持有人 {}，{} {}",
                doc.number,
                doc.holder_name,
                doc.entry["code"].as_str().unwrap_or(""),
                doc.entry["name"]["zh"].as_str().unwrap_or("")
            );
            println!("note: a valid signature shows the decision is genuine; whether it was revoked since is answered online at /verify/{}", doc.verification_code);
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!("NOT VALID: {e}").into()),
    }
}

fn read_decision(file: &Path) -> Result<SignedDecision, Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::Input(format!("invalid value '{}' for FILE: {e}", file.display())))?;
    SignedDecision::from_json(&text).map_err(|e| Failure::Input(format!("{}: {e}", file.display())))
}

/// The keys of a file holding the JSON of /api/v1/keys.
fn keys_from_file(path: &Path) -> Result<Vec<VerifyingKey>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::Input(format!(
            "invalid value '{}' for --keys: {e}",
            path.display()
        ))
    })?;
    #[derive(serde::Deserialize)]
    struct Keys {
        keys: Vec<zige_cases::PublicKey>,
    }
    let parsed: Keys = serde_json::from_str(&text).map_err(|e| {
        Failure::Input(format!(
            "invalid value '{}' for --keys: {e}; allowed the JSON of /api/v1/keys",
            path.display()
        ))
    })?;
    parsed
        .keys
        .iter()
        .map(|k| k.parse())
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Input(format!("--keys: {e}")))
}

/// The public keys in the local database; those that do not parse are left out.
fn keys_from_store(store: &StoreArgs) -> Result<Vec<VerifyingKey>, Failure> {
    Ok(with_store(store, async |store: &Store, _: &Config| {
        Ok(store.public_keys().await?)
    })?
    .into_iter()
    .filter_map(|k| <[u8; 32]>::try_from(k).ok())
    .filter_map(|k| VerifyingKey::from_bytes(&k).ok())
    .collect())
}
