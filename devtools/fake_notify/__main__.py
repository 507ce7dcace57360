"""Run the fake Notify: python -m devtools.fake_notify [--port 8002]. Sent emails: http://127.0.0.1:8002/"""

import argparse
import logging
import os
import signal
import sys
import threading

from devtools.fake_notify.server import FakeNotify

# The same not-secret local key as schooltech.settings.NOTIFY_LOCAL_API_KEY.
LOCAL_API_KEY = "schooltech_local-5b9d6c1e-0d3a-4f7e-9a61-3c2f8b7e4d10-0f4c2a9e-7b1d-4e8a-b6c3-9d5e1f2a3b4c"
LOCAL_CALLBACK_TOKEN = "local-notify-callback-token-0123456789"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devtools.fake_notify", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--api-key", action="append", help="an API key the fake accepts (repeatable)")
    parser.add_argument("--rate-limit-per-minute", type=int, default=3000)
    parser.add_argument("--callback-url", default="http://127.0.0.1:8000/notifications/notify-callback")
    parser.add_argument(
        "--callback-token", default=os.environ.get("NOTIFY_CALLBACK_BEARER_TOKEN", LOCAL_CALLBACK_TOKEN)
    )
    parser.add_argument("--receipt-delay", type=float, default=1.0, help="seconds before a receipt is posted")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        print("The fake Notify only listens on loopback", file=sys.stderr)
        return 2
    fake = FakeNotify(
        api_keys=args.api_key or [os.environ.get("NOTIFY_API_KEY") or LOCAL_API_KEY],
        host=args.host,
        port=args.port,
        rate_limit_per_minute=args.rate_limit_per_minute,
        callback_url=args.callback_url or None,
        callback_token=args.callback_token,
        receipt_delay=args.receipt_delay,
    ).start()
    print(f"Fake GOV.UK Notify on {fake.url} (sent emails at {fake.url}/)", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
