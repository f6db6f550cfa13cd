//! Evidence through object_store's S3 client against moto's S3 server
//! (`ZIGE_MOTO`); skipped with a note without it.

use zige_store::{Blobs, StoreError};

use crate::evidence_files::{
    deleting_a_draft_races_an_upload_of_its_file, the_sweep_removes_only_old_orphans,
};
use crate::helpers::{pdf, sqlite, temp_dir};

/// A moto S3 server on a free port, stopped when dropped.
struct Moto(std::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One plain HTTP request to moto (it takes unsigned requests): creates a bucket.
fn create_bucket(port: u16, bucket: &str) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Evidence through object_store's S3 client against a real S3-compatible
/// server (moto's server mode): round trip, the delete race and the sweep.
/// `ZIGE_MOTO` names the moto_server program; without it this skips with a
/// note (and fails when `ZIGE_REQUIRE_S3` is set).
#[tokio::test]
async fn s3_evidence_round_trip_delete_race_and_sweep() {
    let Ok(moto) = std::env::var("ZIGE_MOTO") else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_S3").is_none(),
            "ZIGE_REQUIRE_S3 is set but ZIGE_MOTO (the moto_server program) is not"
        );
        eprintln!("note: S3 test skipped; set ZIGE_MOTO=/path/to/moto_server to run it");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _moto = Moto(
        std::process::Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts"),
    );
    let mut up = false;
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "moto_server answers on port {port}");
    create_bucket(port, "zige-evidence");
    // The same variables a deployment sets (see blobs.rs).
    for (k, v) in [
        ("AWS_ENDPOINT", format!("http://127.0.0.1:{port}")),
        ("AWS_ALLOW_HTTP", "true".into()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
    ] {
        std::env::set_var(k, v);
    }
    let dir = temp_dir("s3");
    let store = sqlite(&dir).await;
    let blobs = Blobs::open(&dir, Some("s3://zige-evidence/beijing")).unwrap();
    let x = pdf(77);
    let sha = zige_cases::sha256_hex(&x);
    blobs.put(&sha, x.clone()).await.unwrap();
    assert_eq!(blobs.get(&sha).await.unwrap(), x);
    assert!(blobs.list().await.unwrap().iter().any(|(h, _)| h == &sha));
    assert!(
        !dir.join("blobs/evidence").exists(),
        "nothing on the local disk"
    );
    blobs.delete(&sha).await.unwrap();
    assert!(matches!(blobs.get(&sha).await, Err(StoreError::NotFound)));
    deleting_a_draft_races_an_upload_of_its_file(&store, &blobs).await;
    the_sweep_removes_only_old_orphans(&store, &blobs).await;
    store.verify_audit().await.unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
