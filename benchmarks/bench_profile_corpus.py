"""Run `workbench validate` on every malformed profile of tests/profiles_corpus/ and count clear errors.

A clear error: exit code 2, no traceback, the message names the file and contains the fragment
`cases.yaml` expects, and no line is longer than 400 characters. Also a 5 MB profile generated
here (too big to commit). Prints one line per case (exit code, characters on stderr, seconds in
process and for the whole command with interpreter start-up), then the totals and the slowest.

    .venv/bin/python benchmarks/bench_profile_corpus.py [--subprocess]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from workbench.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "profiles_corpus"
MAX_LINE = 400


def validate_in_process(path: Path) -> tuple[int, str, float]:
    stderr = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", str(path)])
    return code, stderr.getvalue(), time.perf_counter() - started


def validate_command(path: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workbench", "validate", str(path)], capture_output=True, check=False)
    return time.perf_counter() - started


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subprocess", action="store_true", help="also time each case as a separate command")
    args = parser.parse_args()
    cases = {name: case["expect"] for name, case in
             yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8")).items()}
    paths = {name: CORPUS / f"{name}.yaml" for name in cases}
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "five-megabytes.yaml"
        big.write_text("id: five-megabytes\nname: " + "S" * 5_000_000 + "\n", encoding="utf-8")
        cases["five-megabytes"], paths["five-megabytes"] = "larger than 64 kB", big
        validate_in_process(paths["empty"])  # imports and the snapshot load once, not in the first case
        clear, timings = 0, {}
        for name, path in paths.items():
            code, message, seconds = validate_in_process(path)
            command = validate_command(path) if args.subprocess else float("nan")
            ok = (code == 2 and "Traceback" not in message and str(path) in message and cases[name] in message
                  and all(len(line) <= MAX_LINE for line in message.splitlines()))
            clear += ok
            timings[name] = seconds
            print(f"{'clear  ' if ok else 'UNCLEAR'} {name:32} exit {code}  {len(message):6,} chars  "
                  f"{seconds * 1000:7.1f} ms  command {command:5.2f} s")
    slowest = max(timings, key=timings.get)
    print(f"{clear} of {len(paths)} malformed profiles give a clear exit-2 error; slowest in process: "
          f"{slowest} {timings[slowest] * 1000:.1f} ms")


if __name__ == "__main__":
    main_()
