#!/usr/bin/env python3
"""Times the officials' workbench over HTTP against a running Zige server:
the public statistics page and API, the officials' report API, and a
batch check of 10,000 people (CSV). Prints median, p90 and worst of each
beside its target. Standard library only.

  workbench.py BASE_URL OFFICIAL_EMAIL PASSWORD TOTP_SECRET [RUNS]
"""

import os
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api-fuzz"))
from roles import sign_in  # noqa: E402

TARGET_MS = {"statistics": 300, "batch": 2000}


def timed(base, path, token=None, body=None, content_type=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(base + path, data=body, headers=headers, method="POST" if body else "GET")
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()
        status = r.status
    ms = (time.perf_counter() - start) * 1000
    if status != 200:
        sys.exit(f"{path}: {status}")
    return ms


def people(n):
    entries = ["G7", "U1", "G39", "G60", "G80", "G12"]
    rows = ["person,entry,experience_years,age,nationality,education,beijing_employer"]
    for i in range(n):
        rows.append(f"P{i},{entries[i % len(entries)]},{i % 20},{22 + i % 50},foreign,master,true")
    return ("\n".join(rows) + "\n").encode()


def report(name, times, target):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    median = statistics.median(times)
    verdict = "ok" if p90 < target else "OVER"
    print(f"{name:<36} median {median:8.1f} ms  p90 {p90:8.1f} ms  worst {times[-1]:8.1f} ms  target {target} ms  {verdict}")


def main():
    base, email, password, secret = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    token = sign_in(base, email, password, secret)
    checks = [
        ("GET /statistics (page)", "/statistics", None),
        ("GET /api/v1/statistics", "/api/v1/statistics", None),
        ("GET /api/v1/reports/statistics", "/api/v1/reports/statistics", token),
        ("GET /api/v1/reports/statistics?from", "/api/v1/reports/statistics?from=2026-01&list=general", token),
    ]
    for name, path, auth in checks:
        timed(base, path, auth)  # warm
        report(name, [timed(base, path, auth) for _ in range(runs)], TARGET_MS["statistics"])
    file = people(10_000)
    batch = [timed(base, "/api/v1/check/batch?lang=en", body=file, content_type="text/csv") for _ in range(max(3, runs // 4))]
    report("POST /api/v1/check/batch (10,000)", batch, TARGET_MS["batch"])


if __name__ == "__main__":
    main()
