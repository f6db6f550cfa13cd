//! The sign-in throttle: attempts are counted under every key before the
//! password is checked, blocked keys wait twice as long each time, and a
//! success gives its attempt back.

use zige_store::Store;

use crate::helpers::NOW;
/// Sign-in attempts are counted before they are evaluated: after two
/// free failures under a key, the next waits 2 s, then 4 s; other keys
/// are not held up, and a success gives the attempt back.
pub async fn sign_in_attempts_are_counted_before_they_are_evaluated(store: &Store) {
    a_key_waits_twice_as_long_after_each_failure(store).await;
    a_blocked_address_holds_up_others_and_a_success_gives_back(store).await;
}

/// After two free failures under a key, the next waits 2 s, then 4 s.
async fn a_key_waits_twice_as_long_after_each_failure(store: &Store) {
    let keys = [("a:ada|10.0.0.1", 2), ("n:10.0.0.1", 3)];
    let forget = NOW - 3_600_000;
    for _ in 0..2 {
        assert_eq!(
            store
                .reserve_login_attempt(&keys, NOW, forget, 900_000)
                .await
                .unwrap(),
            Ok(())
        );
    }
    assert_eq!(
        store
            .reserve_login_attempt(&keys, NOW, forget, 900_000)
            .await
            .unwrap(),
        Err(NOW + 2000)
    );
    assert_eq!(
        store
            .reserve_login_attempt(&keys, NOW + 2000, forget, 900_000)
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        store
            .reserve_login_attempt(&keys, NOW + 2000, forget, 900_000)
            .await
            .unwrap(),
        Err(NOW + 6000)
    );
}

/// The address key holds up other accounts from that address, a blocked
/// attempt counts nothing, and a success gives the attempt back.
async fn a_blocked_address_holds_up_others_and_a_success_gives_back(store: &Store) {
    let forget = NOW - 3_600_000;
    // The address key counted 3 (its free allowance): blocked for others too, for 2 s.
    let other = [("a:bob|10.0.0.1", 2), ("n:10.0.0.1", 3)];
    assert_eq!(
        store
            .reserve_login_attempt(&other, NOW + 2000, forget, 900_000)
            .await
            .unwrap(),
        Err(NOW + 4000)
    );
    // A blocked attempt counted nothing under the other key: bob is still free.
    let bob_elsewhere = [("a:bob|10.0.0.1", 2), ("n:10.0.0.9", 3)];
    assert_eq!(
        store
            .reserve_login_attempt(&bob_elsewhere, NOW + 2000, forget, 900_000)
            .await
            .unwrap(),
        Ok(())
    );
    store
        .release_login_attempt(
            &[("n:10.0.0.9", 3)],
            &["a:bob|10.0.0.1"],
            NOW + 2000,
            forget,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .reserve_login_attempt(&other, NOW + 4000, forget, 900_000)
            .await
            .unwrap(),
        Ok(())
    );
}
