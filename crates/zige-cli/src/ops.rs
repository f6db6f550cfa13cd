//! Commands on stored data: migrate, admin, verify, audit, backup and
//! restore. They take the same `--data-dir` / `--database-url` /
//! `--config` as `zige serve`, resolved the same way.

use std::io::{BufReader, Read, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use zige_store::{Blobs, Store};
use zige_web::config::{Config, Layer};

use crate::{Failure, Out};

/// Where the data is: the same settings as `zige serve`.
#[derive(Args, Clone, Default)]
pub struct StoreArgs {
    /// Data directory for the embedded SQLite database and evidence files [env: ZIGE_DATA_DIR] [default: ./zige-data].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite, e.g. postgres://user@host/db [env: ZIGE_DATABASE_URL].
    #[arg(long)]
    pub database_url: Option<String>,
    /// Evidence in S3-compatible storage: s3://bucket/prefix [env: ZIGE_BLOB_URL].
    #[arg(long)]
    pub blob_url: Option<String>,
    /// A TOML configuration file (see `zige config --default`) [env: ZIGE_CONFIG].
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Flags over `ZIGE_…` variables over the config file over defaults.
pub fn resolve(flags: Layer, config: Option<PathBuf>) -> Result<Config, Failure> {
    let env = Layer::from_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    let file_path = config.or_else(|| std::env::var("ZIGE_CONFIG").ok().map(PathBuf::from));
    let file = match &file_path {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                Failure::Input(format!("could not read config file '{}': {e}", p.display()))
            })?;
            Layer::from_toml(p, &text).map_err(|e| Failure::Input(e.to_string()))?
        }
        None => Layer::default(),
    };
    Config::resolve(flags, env, file).map_err(|e| Failure::Input(e.to_string()))
}

impl StoreArgs {
    fn config(&self) -> Result<Config, Failure> {
        resolve(
            Layer {
                data_dir: self.data_dir.clone(),
                database_url: self.database_url.clone(),
                blob_url: self.blob_url.clone(),
                ..Layer::default()
            },
            self.config.clone(),
        )
    }
}

/// Opens and migrates the store the arguments name, and runs `f` on it.
pub(crate) fn with_store<T>(
    a: &StoreArgs,
    f: impl AsyncFnOnce(&Store, &Config) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let config = a.config()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = Store::open(&config.data_dir, config.database_url.as_deref()).await?;
        store.migrate().await?;
        let out = f(&store, &config).await;
        store.close().await;
        out
    })
}

fn blobs(config: &Config) -> Result<Blobs, Failure> {
    Ok(Blobs::open(&config.data_dir, config.blob_url.as_deref())?)
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an account (the first admin, reviewers). The password is read from standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        /// applicant, reviewer or admin.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Enrol a fresh second factor (TOTP) and print its secret
        /// (`totp-secret: BASE32`), its otpauth:// address and ten
        /// recovery codes. Without it, a reviewer or admin sets one up at
        /// their first sign-in in the browser.
        #[arg(long)]
        with_totp: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List accounts.
    Users {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
pub enum BlobsCommand {
    /// Remove evidence files no record refers to (deleted drafts') that are
    /// older than the grace period; prints what it found as JSON.
    Sweep {
        /// Seconds a file must be old to go [default: the configured blob_grace_secs, 3600].
        #[arg(long)]
        grace_secs: Option<u64>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn blobs_cmd(cmd: BlobsCommand) -> Out {
    let BlobsCommand::Sweep { grace_secs, store } = cmd;
    with_store(&store, async |s: &Store, c: &Config| {
        let grace = grace_secs.unwrap_or(c.blob_grace_secs);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let report = s
            .sweep_blobs(&blobs(c)?, (grace as i64).saturating_mul(1000), now)
            .await?;
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| Failure::Other(e.into()))?
        );
        Ok(())
    })
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain from the first record to the last.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn migrate(a: StoreArgs) -> Out {
    with_store(&a, async |s: &Store, _: &Config| {
        println!(
            "migrated {} database to schema version {}",
            s.backend(),
            s.schema_version().await?
        );
        Ok(())
    })
}

pub fn admin(cmd: AdminCommand) -> Out {
    match cmd {
        AdminCommand::CreateUser {
            email,
            role,
            name,
            password_stdin: _,
            with_totp,
            store,
        } => {
            let role = zige_cases::Role::parse(&role).map_err(|e| {
                Failure::Input(format!(
                    "invalid value '{}' for --role: allowed {}",
                    e.value, e.allowed
                ))
            })?;
            let email = zige_cases::Email::parse(&email).map_err(|e| {
                Failure::Input(format!(
                    "invalid value '{}' for --email: allowed {}",
                    e.value, e.allowed
                ))
            })?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            zige_cases::Password::parse(&password, &email).map_err(|e| {
                Failure::Input(format!(
                    "invalid password {}: allowed {}",
                    e.value, e.allowed
                ))
            })?;
            let name =
                name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_string());
            with_store(&store, async |s: &Store, _: &Config| {
                let hash = zige_web::auth::hash_password(password)
                    .await
                    .map_err(|e| anyhow::anyhow!(e.detail))?;
                match s
                    .create_user(
                        email.as_str(),
                        &name,
                        role,
                        &hash,
                        zige_web::auth::now_ms(),
                        None,
                    )
                    .await
                {
                    Ok(u) => {
                        println!("created {} {} (id {})", u.role.code(), u.email, u.id);
                        if with_totp {
                            enrol_totp(s, &u).await?;
                        }
                        Ok(())
                    }
                    Err(zige_store::StoreError::Duplicate(_)) => Err(Failure::Input(format!(
                        "invalid value '{email}' for --email: an account with this address exists"
                    ))),
                    Err(e) => Err(e.into()),
                }
            })
        }
        AdminCommand::Users { store } => with_store(&store, async |s: &Store, _: &Config| {
            for u in s.users().await? {
                println!(
                    "{:>5}  {:<9} {:<8} {}",
                    u.id,
                    u.role.code(),
                    if u.disabled { "disabled" } else { "active" },
                    u.email
                );
            }
            Ok(())
        }),
    }
}

/// Enrols a fresh TOTP factor for a new account and prints what its
/// owner (or a script) needs: the secret, the otpauth:// address and the
/// recovery codes.
async fn enrol_totp(s: &Store, u: &zige_store::User) -> Result<(), Failure> {
    use zige_cases::second_factor as sf;
    let now = zige_web::auth::now_ms();
    let f = s
        .start_enrolment(u.id, &zige_web::auth::random::<{ sf::SECRET_BYTES }>(), now)
        .await?;
    let (codes, hashes) = zige_web::second_factor::recovery_codes();
    s.enable_second_factor(u.id, 0, &hashes, None, now).await?;
    println!("totp-secret: {}", sf::base32(&f.secret));
    println!("totp-uri: {}", sf::otpauth_uri(&u.email, &f.secret));
    for c in codes {
        println!("recovery-code: {c}");
    }
    Ok(())
}

pub fn audit(cmd: AuditCommand) -> Out {
    let AuditCommand::Verify { store } = cmd;
    with_store(&store, async |s: &Store, _: &Config| {
        match s.verify_audit().await {
            Ok(n) => {
                println!("audit log intact: {n} records, each chained to the one before");
                Ok(())
            }
            Err(zige_store::StoreError::Chain(e)) => {
                Err(anyhow::anyhow!("audit log broken: {e}").into())
            }
            Err(e) => Err(e.into()),
        }
    })
}

pub fn backup(out: PathBuf, a: StoreArgs) -> Out {
    with_store(&a, async |s: &Store, c: &Config| {
        // Written beside the target and renamed into place: a failed backup
        // never leaves a truncated file under the name asked for.
        let tmp = out.with_extension("partial");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(|e| {
            Failure::Input(format!("invalid value '{}' for --out: {e}", out.display()))
        })?);
        let summary = s.backup(&blobs(c)?, &mut file).await?;
        file.flush()?;
        file.into_inner()
            .map_err(|e| anyhow::anyhow!(e.to_string()))?
            .sync_all()?;
        std::fs::rename(&tmp, &out)?;
        println!(
            "backed up {} rows and {} evidence files to {}",
            summary.rows,
            summary.files,
            out.display()
        );
        Ok(())
    })
}

pub fn restore(file: PathBuf, a: StoreArgs) -> Out {
    let f = std::fs::File::open(&file)
        .map_err(|e| Failure::Input(format!("invalid value '{}' for FILE: {e}", file.display())))?;
    with_store(&a, async |s: &Store, c: &Config| {
        match s.restore(&blobs(c)?, BufReader::new(f)).await {
            Ok(summary) => {
                println!(
                    "restored {} rows and {} evidence files into the {} database",
                    summary.rows,
                    summary.files,
                    s.backend()
                );
                Ok(())
            }
            Err(zige_store::StoreError::Backup(m)) => {
                Err(Failure::Input(format!("{}: {m}", file.display())))
            }
            Err(e) => Err(e.into()),
        }
    })
}

/// Checks a downloaded decision against public keys: `--keys FILE` (the
/// JSON of /api/v1/keys), else the keys in the local database.
pub fn verify(file: PathBuf, keys: Option<PathBuf>, a: StoreArgs) -> Out {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::Input(format!("invalid value '{}' for FILE: {e}", file.display())))?;
    let signed = zige_cases::SignedDecision::from_json(&text)
        .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))?;
    let keys: Vec<ed25519_dalek::VerifyingKey> = match keys {
        Some(k) => {
            let t = std::fs::read_to_string(&k).map_err(|e| {
                Failure::Input(format!("invalid value '{}' for --keys: {e}", k.display()))
            })?;
            #[derive(serde::Deserialize)]
            struct Keys {
                keys: Vec<zige_cases::PublicKey>,
            }
            let parsed: Keys = serde_json::from_str(&t).map_err(|e| {
                Failure::Input(format!(
                    "invalid value '{}' for --keys: {e}; allowed the JSON of /api/v1/keys",
                    k.display()
                ))
            })?;
            parsed
                .keys
                .iter()
                .map(|k| k.parse())
                .collect::<Result<_, _>>()
                .map_err(|e| Failure::Input(format!("--keys: {e}")))?
        }
        None => with_store(&a, async |s: &Store, _: &Config| {
            Ok(s.public_keys().await?)
        })?
        .into_iter()
        .filter_map(|k| <[u8; 32]>::try_from(k).ok())
        .filter_map(|k| ed25519_dalek::VerifyingKey::from_bytes(&k).ok())
        .collect(),
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
