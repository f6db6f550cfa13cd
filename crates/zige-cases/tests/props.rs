//! No input makes the cases core panic, and what it accepts round-trips.

use proptest::prelude::*;
use zige_cases::{normalise_code, ApplicationForm, Date, Email, MediaType, SignedDecision};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn parsers_never_panic_on_any_text(s in "\\PC{0,80}") {
        let _ = Email::parse(&s);
        let _ = Date::parse("d", &s);
        let _ = normalise_code(&s);
        let _ = SignedDecision::from_json(&s);
        let _ = zige_cases::evidence::display_name(&s);
        let _ = zige_cases::State::parse(&s);
    }

    #[test]
    fn sniffing_never_panics_on_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = MediaType::sniff(&b);
    }

    #[test]
    fn accepted_emails_parse_back_to_themselves(local in "[a-z0-9._%+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
        let e = Email::parse(&format!("{local}@{domain}")).unwrap();
        prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
    }

    #[test]
    fn any_form_of_strings_is_checked_without_panicking(name in "\\PC{0,300}", entry in "\\PC{0,20}", age in any::<i64>(), date in "\\PC{0,12}") {
        let v = serde_json::json!({"holder_name": name, "profile": {"entry": entry, "age": age}, "certificate": {"issued_on": date, "expires_on": date}});
        if let Ok(form) = serde_json::from_value::<ApplicationForm>(v) {
            let _ = form.check_draft();
            let _ = form.complete(zige_catalog::default_catalog(), Date::parse("today", "2026-11-27").unwrap());
        }
    }
}
