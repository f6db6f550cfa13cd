//! Throw-away PostgreSQL databases on the server the tests are given
//! (`ZIGE_TEST_POSTGRES`, default postgres://postgres@127.0.0.1:5432/test).

use std::path::Path;

/// Runs `work` to its end on a fresh single-threaded runtime.
pub fn block_on<T>(work: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(work)
}

fn admin_url() -> String {
    std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh PostgreSQL database's URL, or None when no server answers.
pub fn fresh_database(tag: &str) -> Option<String> {
    let admin = admin_url();
    let name = format!("zige_proc_{tag}_{}", std::process::id());
    block_on(async {
        let store = zige_store::Store::open(Path::new("."), Some(&admin))
            .await
            .ok()?;
        store
            .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok()?;
        store
            .execute_admin(&format!("CREATE DATABASE {name}"))
            .await
            .ok()?;
        store.close().await;
        Some(format!("{}/{name}", admin.rsplit_once('/').unwrap().0))
    })
}

/// A fresh database, or None when no server answers and the run does not
/// require one (`ZIGE_REQUIRE_POSTGRES` unset): the test then skips.
pub fn database_or_skip(tag: &str) -> Option<String> {
    let url = fresh_database(tag);
    if url.is_none() {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
    }
    url
}

/// Drops the database `url` names.
pub fn drop_database(url: &str) {
    let admin = admin_url();
    let name = url.rsplit_once('/').unwrap().1.to_string();
    block_on(async {
        if let Ok(store) = zige_store::Store::open(Path::new("."), Some(&admin)).await {
            let _ = store
                .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            store.close().await;
        }
    });
}
