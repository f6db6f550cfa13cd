#!/usr/bin/env python3
"""Signs in the fuzzer's roles against a running Zige server and prints
one line per role, `ROLE TOKEN`, for run.sh. Standard library only.

  roles.py BASE_URL STAFF_FILE

STAFF_FILE has one line per staff account: `ROLE EMAIL PASSWORD [TOTP_SECRET]`.
The applicant is registered through the API here, with a draft
application holding one evidence file, so that the fuzzer meets real
resources.
"""

import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.error
import urllib.request


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits."""
    secret_b32 = secret_b32.strip().replace(" ", "").upper()
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def call(base, method, path, body=None, token=None, content_type="application/json"):
    data = None
    headers = {}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def sign_in(base, email, password, secret=None):
    body = {"email": email, "password": password}
    if secret:
        # A code is good for its 30-second step: avoid the last seconds of one.
        if 30 - time.time() % 30 < 3:
            time.sleep(3)
        body["code"] = totp(secret)
    status, answer = call(base, "POST", "/api/v1/session", body)
    if status != 201:
        sys.exit(f"sign-in of {email} failed: {status} {answer}")
    return answer["token"]


# The smallest PDF the server's content check takes.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def applicant(base):
    email, password = "fuzz.applicant@example.org", "applicant password 1"
    status, answer = call(base, "POST", "/api/v1/accounts", {"email": email, "password": password, "name": "Fuzz Applicant"})
    if status != 202:
        sys.exit(f"registration failed: {status} {answer}")
    token = sign_in(base, email, password)
    form = {
        "holder_name": "Fuzz Applicant",
        "profile": {"entry": "G1", "age": 40, "nationality": "foreign"},
        "certificate": {"number": "F-1", "issuer": "Fuzz Board", "issued_on": "2020-01-01"},
    }
    status, app = call(base, "POST", "/api/v1/applications", form, token)
    if status != 201:
        sys.exit(f"draft failed: {status} {app}")
    boundary = "zigefuzzboundary"
    upload = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"certificate.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
    status, ev = call(base, "POST", f"/api/v1/applications/{app['id']}/evidence", upload, token, f"multipart/form-data; boundary={boundary}")
    if status != 201:
        sys.exit(f"upload failed: {status} {ev}")
    return token


def main():
    base, staff_file = sys.argv[1].rstrip("/"), sys.argv[2]
    print("applicant", applicant(base))
    with open(staff_file) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            role, email, password = parts[0], parts[1], parts[2]
            secret = parts[3] if len(parts) > 3 else None
            print(role, sign_in(base, email, password, secret))


if __name__ == "__main__":
    main()
