//! The harness every store test shares: a migrated SQLite store in a temp
//! directory of its own, a PostgreSQL database of its own (dropped at the
//! end), the people and drafts the tests work with, and evidence bodies.
//!
//! PostgreSQL: `ZIGE_TEST_POSTGRES` (default
//! postgres://postgres@127.0.0.1:5432/test). Without a server the
//! PostgreSQL tests skip with a note, unless `ZIGE_REQUIRE_POSTGRES` is set:
//! then they fail.

use std::path::{Path, PathBuf};

use zige_cases::{Role, State};
use zige_store::{Change, Store, User};

/// The instant every story happens at (milliseconds since the epoch).
pub const NOW: i64 = 1_795_000_000_000;

/// An empty temp directory named after the test and this process.
pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zige-store-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A migrated SQLite store in `dir` (created when missing).
pub async fn sqlite(dir: &Path) -> Store {
    let store = Store::open(dir, None).await.unwrap();
    store.migrate().await.unwrap();
    store
}

fn postgres_admin_url() -> String {
    std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A PostgreSQL database created for one test, with its migrated store.
pub struct PostgresDatabase {
    pub store: Store,
    name: String,
}

impl PostgresDatabase {
    /// The database's address, for a second store on it.
    pub fn url(&self) -> String {
        let admin = postgres_admin_url();
        let (base, _) = admin.rsplit_once('/').unwrap();
        format!("{base}/{}", self.name)
    }

    /// Closes the store and drops its database.
    pub async fn drop_database(self) {
        self.store.close().await;
        let admin = Store::open(Path::new("."), Some(&postgres_admin_url()))
            .await
            .unwrap();
        admin
            .execute_admin(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await
            .unwrap();
        admin.close().await;
    }
}

/// A fresh, migrated PostgreSQL database named after `tag`; None (with a
/// note) when no server answers, which fails under `ZIGE_REQUIRE_POSTGRES`.
pub async fn postgres(tag: &str) -> Option<PostgresDatabase> {
    let admin_url = postgres_admin_url();
    let Ok(admin) = Store::open(Path::new("."), Some(&admin_url)).await else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
        return None;
    };
    let name = format!("zige_store_{tag}_{}", std::process::id());
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_admin(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let store = Store::open(Path::new("."), Some(&format!("{base}/{name}")))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    Some(PostgresDatabase { store, name })
}

/// A new account `{tag}@example.org` named `name`, password hash `h`.
pub async fn person(store: &Store, tag: &str, name: &str, role: Role) -> User {
    store
        .create_user(&format!("{tag}@example.org"), name, role, "h", NOW, None)
        .await
        .unwrap()
}

/// A new applicant named `tag`; its id.
pub async fn applicant(store: &Store, tag: &str) -> i64 {
    person(store, tag, tag, Role::Applicant).await.id
}

/// A new empty draft of `applicant`; its id.
pub async fn draft(store: &Store, applicant: i64) -> i64 {
    store
        .create_application(applicant, "beijing/3.1", "{}", (None, None), NOW)
        .await
        .unwrap()
        .id
}

/// A state change by `actor`, ten milliseconds after [`NOW`], at any version.
pub fn change(
    id: i64,
    from: State,
    to: State,
    action: &'static str,
    actor: i64,
) -> Change<'static> {
    Change {
        id,
        from,
        to,
        version: None,
        action,
        actor: Some(actor),
        reason: "",
        now: NOW + 10,
        catalog: None,
    }
}

/// A small PDF, different for every `n`.
pub fn pdf(n: usize) -> bytes::Bytes {
    bytes::Bytes::from(format!("%PDF-1.4\n% evidence {n}\n%%EOF\n").into_bytes())
}

/// The wall clock in milliseconds (files are dated by it).
pub fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The actions of the audit log, oldest first.
pub async fn audit_actions(store: &Store) -> Vec<String> {
    store
        .audit(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect()
}

/// Ada's certificate: the story's one evidence file.
pub const CERTIFICATE: &[u8] = b"%PDF-1.4\n% certificate\n%%EOF\n";
