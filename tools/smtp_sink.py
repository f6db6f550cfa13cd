#!/usr/bin/python3
"""A real SMTP server for Zige's tests: aiosmtpd (Debian's python3-aiosmtpd).

    /usr/bin/python3 tools/smtp_sink.py PORT DIR [DELAY_SECONDS]

Listens on 127.0.0.1:PORT. Each message accepted is written whole (as
received, headers included) to DIR/NNNNNN.eml, and read back with
Python's email package into DIR/NNNNNN.json (envelope recipients, To,
From, Subject, Message-ID, Content-Language, Date, the plain text and the
HTML, decoded): each written to a temporary name, fsynced and renamed
before the 250 reply, so a test that reads the directory sees only
complete messages. With DELAY_SECONDS, it waits that
long after writing and before replying: a sender killed meanwhile has had
its message received but not confirmed. Recipients at reject.invalid are
refused with 550 (a permanent failure). Prints "ready" when it listens.
"""

import asyncio
import email
import email.policy
import itertools
import json
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, delay):
        self.directory = directory
        self.delay = delay
        existing = [int(n.split(".")[0]) for n in os.listdir(directory) if n.endswith(".json")]
        self.numbers = itertools.count(max(existing, default=0) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().endswith("@reject.invalid"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        base = os.path.join(self.directory, "%06d" % number)
        write(base + ".eml", envelope.original_content)
        write(base + ".json", json.dumps(decoded(envelope), ensure_ascii=False).encode())
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def decoded(envelope):
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)

    def part(kind):
        body = message.get_body(preferencelist=(kind,))
        return body.get_content() if body is not None else None

    return {
        "rcpt": list(envelope.rcpt_tos),
        "to": str(message["To"] or ""),
        "from": str(message["From"] or ""),
        "subject": str(message["Subject"] or ""),
        "message_id": str(message["Message-ID"] or ""),
        "content_language": str(message["Content-Language"] or ""),
        "date": str(message["Date"] or ""),
        "text": part("plain"),
        "html": part("html"),
    }


def write(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.rename(temporary, path)


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory, delay), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
