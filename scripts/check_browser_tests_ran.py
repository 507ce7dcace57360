"""Fail unless the browser tests in a JUnit report ran: at least one, and none skipped."""

import sys
import xml.etree.ElementTree as ET


def main(report_path: str) -> int:
    cases = [
        case for case in ET.parse(report_path).iter("testcase") if case.get("classname", "").startswith("tests.e2e")
    ]
    skipped = [case for case in cases if case.find("skipped") is not None]
    if not cases:
        print(f"{report_path}: no browser tests ran", file=sys.stderr)
        return 1
    if skipped:
        names = ", ".join(case.get("name", "?") for case in skipped[:10])
        print(f"{report_path}: {len(skipped)} browser tests were skipped: {names}", file=sys.stderr)
        return 1
    print(f"{report_path}: {len(cases)} browser tests ran, none skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
