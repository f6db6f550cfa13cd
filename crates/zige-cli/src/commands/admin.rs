//! `zige admin`: accounts — create the first admin and reviewers, list
//! accounts.

use std::io::Read;

use clap::Subcommand;
use zige_cases::{Email, Password, Role};
use zige_store::{Store, StoreError, User};
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};
use crate::web;

#[derive(Subcommand)]
pub(crate) enum AdminCommand {
    /// Create an account (the first admin, reviewers). The password is read from standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        /// applicant, reviewer, official (reads the statistics) or admin.
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

/// Runs one `zige admin` command.
pub(crate) fn run(command: AdminCommand) -> Out {
    match command {
        AdminCommand::CreateUser {
            email,
            role,
            name,
            password_stdin: _,
            with_totp,
            store,
        } => create_user(&email, &role, name, with_totp, &store),
        AdminCommand::Users { store } => users(&store),
    }
}

/// A new account with the password read from standard input; with
/// `with_totp` its second factor is enrolled and printed too.
fn create_user(
    email: &str,
    role: &str,
    name: Option<String>,
    with_totp: bool,
    store: &StoreArgs,
) -> Out {
    let role = Role::parse(role).map_err(|e| {
        Failure::Input(format!(
            "invalid value '{}' for --role: allowed {}",
            e.value, e.allowed
        ))
    })?;
    let email = Email::parse(email).map_err(|e| {
        Failure::Input(format!(
            "invalid value '{}' for --email: allowed {}",
            e.value, e.allowed
        ))
    })?;
    let password = read_password(&email)?;
    let name = name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_string());
    with_store(store, async |store: &Store, _: &Config| {
        let hash = web::hash_password(password).await?;
        match store
            .create_user(email.as_str(), &name, role, &hash, web::now_ms(), None)
            .await
        {
            Ok(user) => {
                println!(
                    "created {} {} (id {})",
                    user.role.code(),
                    user.email,
                    user.id
                );
                if with_totp {
                    enrol_totp(store, &user).await?;
                }
                Ok(())
            }
            Err(StoreError::Duplicate(_)) => Err(Failure::Input(format!(
                "invalid value '{email}' for --email: an account with this address exists"
            ))),
            Err(e) => Err(e.into()),
        }
    })
}

/// The password on standard input, without its line end, checked against
/// the password rules.
fn read_password(email: &Email) -> Result<String, Failure> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    Password::parse(&password, email).map_err(|e| {
        Failure::Input(format!(
            "invalid password {}: allowed {}",
            e.value, e.allowed
        ))
    })?;
    Ok(password)
}

/// Enrols a fresh TOTP factor for a new account and prints what its
/// owner (or a script) needs: the secret, the otpauth:// address and the
/// recovery codes.
async fn enrol_totp(store: &Store, user: &User) -> Result<(), Failure> {
    use zige_cases::second_factor as sf;
    let now = web::now_ms();
    let factor = store
        .start_enrolment(user.id, &web::random::<{ sf::SECRET_BYTES }>(), now)
        .await?;
    let (codes, hashes) = web::recovery_codes();
    store
        .enable_second_factor(user.id, 0, &hashes, None, now)
        .await?;
    println!("totp-secret: {}", sf::base32(&factor.secret));
    println!("totp-uri: {}", sf::otpauth_uri(&user.email, &factor.secret));
    for code in codes {
        println!("recovery-code: {code}");
    }
    Ok(())
}

/// Prints one line per account: id, role, whether active, address.
fn users(store: &StoreArgs) -> Out {
    with_store(store, async |store: &Store, _: &Config| {
        for user in store.users().await? {
            println!(
                "{:>5}  {:<9} {:<8} {}",
                user.id,
                user.role.code(),
                if user.disabled { "disabled" } else { "active" },
                user.email
            );
        }
        Ok(())
    })
}
