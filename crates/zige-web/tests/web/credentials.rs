//! Decisions as Verifiable Credentials: what an integrator's verifier
//! sees: the credential, the issuer's DID document and the status list.

use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};
use zige_cases::credential::{key_from_multikey, verify, CredentialError};
use zige_cases::status_list;

use crate::decisions::approved_case;
use crate::fixtures::*;
use crate::helpers::*;

/// What `url` (on the test service's public address) answers, as JSON.
async fn fetch(app: &TestApp, url: &str) -> Value {
    let path = url.strip_prefix("https://zige.example").unwrap();
    let r = app.call(Method::GET, path, None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text());
    r.json()
}

/// Checks `credential`'s proof with the keys of the issuer's DID document.
async fn verified(app: &TestApp, credential: &Value) -> Result<Value, CredentialError> {
    let did = fetch(app, "https://zige.example/.well-known/did.json").await;
    verify(credential, did["id"].as_str().unwrap(), |method| {
        did["verificationMethod"]
            .as_array()?
            .iter()
            .find(|m| m["id"] == method)
            .and_then(|m| key_from_multikey(m["publicKeyMultibase"].as_str()?))
    })
}

/// Whether the credential's revocation bit is set, from its status list.
async fn revoked(app: &TestApp, credential: &Value) -> bool {
    let status = &credential["credentialStatus"];
    let list = fetch(app, status["statusListCredential"].as_str().unwrap()).await;
    verified(app, &list)
        .await
        .expect("the status list verifies");
    let index: u64 = status["statusListIndex"].as_str().unwrap().parse().unwrap();
    status_list::is_set(
        list["credentialSubject"]["encodedList"].as_str().unwrap(),
        index,
    )
    .unwrap()
}

#[tokio::test]
async fn an_approved_decision_is_a_credential_that_verifies_until_changed_and_shows_its_revocation()
{
    let app = api_app("credential").await;
    let (_, _, decided) = approved_case(&app).await;
    let code = decided["verification_code"].as_str().unwrap();

    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/decisions/{code}/credential"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "application/vc");
    let credential = r.json();
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(credential["credentialSubject"]["name"], "Ada Lovelace");
    assert!(
        !credential.to_string().contains("CFA-123"),
        "no certificate number"
    );
    let subject = verified(&app, &credential).await.unwrap();
    assert_eq!(subject["credentialSubject"]["qualification"]["code"], "G7");

    let mut changed = credential.clone();
    changed["credentialSubject"]["name"] = json!("Mallory");
    assert_eq!(
        verified(&app, &changed).await,
        Err(CredentialError::Tampered)
    );

    assert!(!revoked(&app, &credential).await);
    let admin = app.login(ADMIN, STAFF_PASSWORD).await;
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "withdrawn"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        revoked(&app, &credential).await,
        "the same credential now reads revoked"
    );

    let unknown = app
        .call(
            Method::GET,
            "/api/v1/decisions/0000000000000000000000000A/credential",
            None,
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let beyond = app
        .call(Method::GET, "/api/v1/status-lists/0", None, None)
        .await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_contexts_a_credential_names_are_served_by_the_service_itself() {
    let app = api_app("contexts").await;
    let r = app
        .call(Method::GET, "/contexts/credentials-v2.jsonld", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "application/ld+json");
    assert!(r.json()["@context"]["VerifiableCredential"].is_object());
    let r = app
        .call(Method::GET, "/contexts/nothing.jsonld", None, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn after_a_key_rotation_new_credentials_use_the_new_key_and_old_ones_still_verify() {
    let app = api_app("rotation").await;
    let (_, _, decided) = approved_case(&app).await;
    let code = decided["verification_code"].as_str().unwrap();
    let path = format!("/api/v1/decisions/{code}/credential");
    let before = app.call(Method::GET, &path, None, None).await.json();

    let new_key = zige_cases::Signer::from_secret(&[42; 32]);
    app.store
        .rotate_signing_key(&[42; 32], new_key.public().as_bytes(), new_key.id(), 1)
        .await
        .unwrap();

    let after = app.call(Method::GET, &path, None, None).await.json();
    let method = |c: &Value| {
        c["proof"]["verificationMethod"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_ne!(method(&before), method(&after), "signed with the new key");
    assert!(method(&after).ends_with(&format!("#key-{}", new_key.id())));
    verified(&app, &before)
        .await
        .expect("the retired key still verifies");
    verified(&app, &after).await.expect("the new key verifies");
    let keys = app
        .call(Method::GET, "/api/v1/keys", None, None)
        .await
        .json();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 2);
    // Decisions signed before the rotation still verify on the public page.
    let v = app
        .call(Method::GET, &format!("/api/v1/verify/{code}"), None, None)
        .await
        .json();
    assert_eq!(v["signature_valid"], true);
}

/// The verification page's answer to `pasted`, in English.
async fn pasted(app: &TestApp, pasted: &str) -> Reply {
    Browser::new(app)
        .post("/verify/credential?lang=en", &[("credential", pasted)])
        .await
}

#[tokio::test]
async fn a_pasted_credential_is_said_valid_tampered_unknown_or_revoked_with_the_reason() {
    let app = api_app("paste").await;
    let (_, _, decided) = approved_case(&app).await;
    let code = decided["verification_code"].as_str().unwrap();
    let path = format!("/api/v1/decisions/{code}/credential");
    let credential = app.call(Method::GET, &path, None, None).await.json();

    let r = pasted(&app, &credential.to_string()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has("VALID") && r.has("Ada Lovelace"), "{}", r.text());

    let mut changed = credential.clone();
    changed["credentialSubject"]["name"] = json!("Mallory");
    let r = pasted(&app, &changed.to_string()).await;
    assert!(r.has("TAMPERED WITH"), "{}", r.text());
    assert!(
        r.textarea("credential").contains("Mallory"),
        "kept as pasted"
    );

    let mut elsewhere = credential.clone();
    elsewhere["issuer"]["id"] = json!("did:web:forger.example");
    let r = pasted(&app, &elsewhere.to_string()).await;
    assert!(
        r.has("UNKNOWN") && r.has("did:web:forger.example"),
        "{}",
        r.text()
    );

    let list = app
        .call(Method::GET, "/api/v1/status-lists/1", None, None)
        .await
        .json();
    let r = pasted(&app, &list.to_string()).await;
    assert!(r.has("not the credential of a decision"), "{}", r.text());

    let admin = app.login(ADMIN, STAFF_PASSWORD).await;
    let revoke = format!("/api/v1/decisions/{code}/revoke");
    let body = json!({"reason": "certificate withdrawn"});
    app.call(Method::POST, &revoke, Some(&admin), Some(body))
        .await;
    let r = pasted(&app, &credential.to_string()).await;
    assert!(
        r.has("REVOKED") && r.has("certificate withdrawn"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn text_that_is_not_a_credential_is_a_problem_at_the_box_and_is_kept() {
    let app = api_app("paste-bad").await;
    for (text, said) in [
        ("", "Paste the credential to check"),
        ("{\"name\": ", "it is not valid JSON"),
        ("[1, 2]", "a credential is a JSON object"),
        ("{\"name\": \"x\"}", "no proof"),
    ] {
        let r = pasted(&app, text).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{text}");
        assert!(r.has(said), "{text}: {}", r.text());
        assert!(
            r.has("href=\"#credential\""),
            "the summary links to the box"
        );
        assert_eq!(r.textarea("credential"), text);
    }
}
