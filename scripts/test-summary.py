#!/usr/bin/env python3
"""The one-line summary ./run-tests ends with: tests run, failed and skipped per module, from the surefire and
failsafe XML reports written since a start marker, with the reason of every skip.

Usage: test-summary.py ROOT MARKER. Exit status 1 when a test failed, or when CI=true and a test was skipped for
any reason other than the two honest ones (dev.roster.testing.Requires: "needs root: …", "needs kernel feature: …").
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

ALLOWED_SKIPS = ("needs root: ", "needs kernel feature: ")


def main(root, marker):
    since = os.path.getmtime(marker)
    modules = {}  # module -> [run, failed, skipped]
    skips = []  # (module, test, reason)
    reports = glob.glob(os.path.join(root, "*", "target", "surefire-reports", "TEST-*.xml")) + \
        glob.glob(os.path.join(root, "*", "target", "failsafe-reports", "TEST-*.xml"))
    for path in sorted(reports):
        if os.path.getmtime(path) < since:
            continue  # left over from an earlier build
        module = os.path.relpath(path, root).split(os.sep)[0]
        counts = modules.setdefault(module, [0, 0, 0])
        for case in ET.parse(path).getroot().iter("testcase"):
            counts[0] += 1
            if case.find("failure") is not None or case.find("error") is not None:
                counts[1] += 1
            skipped = case.find("skipped")
            if skipped is not None:
                counts[2] += 1
                test = case.get("classname", "").rsplit(".", 1)[-1] + "." + case.get("name", "")
                skips.append((module, test, " ".join((skipped.get("message") or "no reason given").split())))
    ci = os.environ.get("CI", "").lower() == "true"
    refused = [s for s in skips if not s[2].startswith(ALLOWED_SKIPS)] if ci else []
    for module, test, reason in refused:
        print(f"run-tests: CI=true: {module} {test} skipped for a reason that is not root or a kernel feature: {reason}",
              file=sys.stderr)
    total = [sum(c[i] for c in modules.values()) for i in range(3)]
    per_module = ", ".join(f"{m} {c[0]}/{c[1]}/{c[2]}" for m, c in modules.items())
    line = f"tests (run/failed/skipped): {per_module}; total {total[0]}/{total[1]}/{total[2]}"
    if skips:
        line += "; skipped: " + "; ".join(f"{m} {t} ({r})" for m, t, r in skips)
    if refused:
        line += f"; CI=true: {len(refused)} skip(s) not allowed"
    if not modules:
        line += " (no test reports were written)"
    print(line)
    return 1 if total[1] or refused or not modules else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
