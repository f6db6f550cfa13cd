#!/usr/bin/env python3
"""One summary line per role from schemathesis' JSON report:
summary.py ROLE REPORT.json LOG EXIT_CODE"""

import json
import sys

role, report, log, rc = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
try:
    with open(report) as f:
        r = json.load(f)
except (OSError, ValueError) as e:
    print(f"{role}: no report ({e}); exit {rc}, see {log}")
    sys.exit(0)
ops = r.get("operations", {})
cases = r.get("test_cases", {})
failures = sum(g.get("count", 0) for g in r.get("failures", []))
errors = sum(g.get("count", 0) for g in r.get("errors", []))
server_errors = sum(g.get("count", 0) for g in r.get("failures", []) if g.get("code") == "not_a_server_error" or "server error" in g.get("title", "").lower())
print(
    f"{role}: operations {ops.get('tested', 0)}/{ops.get('selected', 0)}, test cases {cases.get('generated', 0)}, "
    f"failures {failures} (unique {cases.get('unique_failures', 0)}, server errors {server_errors}), errors {errors}, "
    f"{r.get('running_time', 0):.0f} s, exit {rc}"
)
for g in r.get("failures", []):
    print(f"    {g.get('count')}x {g.get('title')} [{g.get('code')}] in {', '.join(g.get('operations', [])[:4])}")
for g in r.get("errors", []):
    print(f"    error {g.get('count')}x {g.get('title')}")
