//! Runs every case of the shared development set in-process and judges it
//! exactly as `shared/eval/check_eval.py` does: the CLI-style arguments are
//! turned into a profile with the crate's parse helpers; a rejected input
//! (an `InputError`) stands for exit status 2.

use serde_json::Value;
use std::collections::BTreeSet;
use zige_rules::{
    decide, parse_age, parse_bool, parse_education, parse_experience_years, parse_nationality,
    parse_project, InputError, Policy, Profile,
};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval/check-dev.jsonl"
);

/// The `zige check` flags, as the CLI will read them.
fn profile_from_args(args: &[String]) -> Result<Profile, InputError> {
    let mut p = Profile::new("");
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag == "--high-end-industry" {
            p.high_end_industry = true;
            i += 1;
            continue;
        }
        let v = args
            .get(i + 1)
            .ok_or_else(|| InputError::new(flag.trim_start_matches('-'), "", "a value"))?;
        match flag {
            "--entry" => p.entry = v.clone(),
            "--level" => p.level = Some(v.clone()),
            "--experience-years" => p.experience_years = Some(parse_experience_years(v)?),
            "--age" => p.age = Some(parse_age(v)?),
            "--nationality" => p.nationality = Some(parse_nationality(v)?),
            "--education" => p.education = Some(parse_education(v)?),
            "--beijing-employer" => p.beijing_employer = Some(parse_bool("beijing_employer", v)?),
            "--project" => p.project = Some(parse_project(v)?),
            other => panic!("the case uses a flag this test does not know: {other}"),
        }
        i += 2;
    }
    Ok(p)
}

/// Exit status and JSON output of `zige check --json ARGS`.
fn run(args: &[String]) -> (i32, Value) {
    let decided = profile_from_args(args)
        .and_then(|p| decide(zige_catalog::default_catalog(), Policy::builtin(), &p));
    match decided {
        Ok(d) => (0, serde_json::to_value(&d).unwrap()),
        Err(e) => {
            assert!(
                !e.to_string().contains('\n'),
                "an input error is one line: {e}"
            );
            (2, Value::Null)
        }
    }
}

fn codes(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            i.get("code")
                .and_then(Value::as_str)
                .or(i.as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// A port of `judge` in check_eval.py.
fn judge(exp: &Value, code: i32, d: &Value) -> Option<String> {
    let want_exit = exp.get("exit").and_then(Value::as_i64).unwrap_or(0) as i32;
    if code != want_exit {
        return Some(format!("exit {code}, want {want_exit}"));
    }
    if want_exit != 0 {
        return None;
    }
    let mut bad = Vec::new();
    if let Some(r) = exp.get("recognized") {
        if d.get("recognized").unwrap_or(&Value::Null) != r {
            bad.push(format!("recognized {}", d["recognized"]));
        }
    }
    if let Some(u) = exp.get("unmet") {
        let want: BTreeSet<String> = strs(Some(u)).into_iter().collect();
        if codes(&d["unmet"]) != want {
            bad.push(format!("unmet {:?}", codes(&d["unmet"])));
        }
    }
    let title = d.get("title").filter(|t| !t.is_null());
    let title_get = |k: &str| title.and_then(|t| t.get(k)).cloned().unwrap_or(Value::Null);
    if let Some(l) = exp.get("title_level") {
        if &title_get("level") != l {
            bad.push(format!("title.level {}", title_get("level")));
        }
    }
    if let Some(m) = exp.get("title_met") {
        if &title_get("basic_conditions_met") != m {
            bad.push(format!(
                "title.basic_conditions_met {}",
                title_get("basic_conditions_met")
            ));
        }
    }
    let granted = codes(&d["benefits"]);
    for c in strs(exp.get("benefits_include")) {
        if !granted.contains(&c) {
            bad.push(format!("benefit {c} missing"));
        }
    }
    for c in strs(exp.get("benefits_exclude")) {
        if granted.contains(&c) {
            bad.push(format!("benefit {c} granted"));
        }
    }
    let obligations = codes(&d["obligations"]);
    for c in strs(exp.get("obligations_include")) {
        if !obligations.contains(&c) {
            bad.push(format!("obligation {c} missing"));
        }
    }
    let held: BTreeSet<(String, String)> = d["withheld"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["code"].as_str().unwrap_or_default().to_string(),
                w["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for pair in exp
        .get("withheld_include")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let p = strs(Some(pair));
        if !held.contains(&(p[0].clone(), p[1].clone())) {
            bad.push(format!("withheld ({}, {}) missing", p[0], p[1]));
        }
    }
    (!bad.is_empty()).then(|| bad.join("; "))
}

#[test]
fn every_dev_case_passes() {
    let Ok(text) = std::fs::read_to_string(CASES) else {
        println!("notice: {CASES} is absent; the development set was not run");
        return;
    };
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let case: Value = serde_json::from_str(line).expect("a case is JSON");
        let args: Vec<String> = strs(case.get("args"));
        let (code, decision) = run(&args);
        n += 1;
        if let Some(why) = judge(&case["expect"], code, &decision) {
            failures.push(format!(
                "FAIL {}: {why}",
                case["name"].as_str().unwrap_or("?")
            ));
        }
    }
    println!("passed {} of {n}", n - failures.len());
    assert!(n > 0, "the development set is empty");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_judge_itself_can_fail() {
    let d = serde_json::json!({"recognized": true, "unmet": [], "title": null, "benefits": [{"code": "port_visa"}], "withheld": [], "obligations": []});
    assert!(judge(&serde_json::json!({"recognized": false}), 0, &d).is_some());
    assert!(judge(
        &serde_json::json!({"benefits_exclude": ["port_visa"]}),
        0,
        &d
    )
    .is_some());
    assert!(judge(
        &serde_json::json!({"withheld_include": [["port_visa", "age_over_limit"]]}),
        0,
        &d
    )
    .is_some());
    assert!(judge(&serde_json::json!({"exit": 2}), 0, &d).is_some());
    assert!(judge(
        &serde_json::json!({"recognized": true, "title_level": null}),
        0,
        &d
    )
    .is_none());
}
