#!/usr/bin/env python3
"""Regenerates the captures of README.md and docs/*.md from the judgetop binary, so they cannot
drift from what it prints. Each capture sits between `<!-- capture: NAME -->` and `<!-- /capture -->`
lines, in whichever of those pages shows it.

Usage: scripts/readme_captures.py [--check] [--judgetop PATH] [--only NAME ...]
  summary    the headless demo's summary (deterministic: simulated models, seeded)
  usage      `judgetop <command> --help` usage lines
  mid-run    the dashboard mid-run, 120x34, through tmux
  finished   the dashboard after the run, filtered to disagreements
  statistics the statistics view (`a`) after the run: its charts
  example-report  docs/example-report.html, the demo's HTML report (a file, not a capture)
--check compares instead of writing, and exits 1 when a capture differs (dashboards are skipped:
their timing is the machine's).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = [os.path.join(ROOT, "README.md")] + sorted(
    os.path.join(ROOT, "docs", name) for name in os.listdir(os.path.join(ROOT, "docs")) if name.endswith(".md"))


def summary(judgetop):
    with tempfile.TemporaryDirectory() as runs:
        out = subprocess.run([judgetop, "run", "--headless", "--runs-dir", runs], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("accuracy (strict match"))
    end = next(i for i, line in enumerate(lines) if line.startswith("tokens:"))
    return "\n".join(lines[start:end + 1])


def usage(judgetop):
    """Every command with every option, from each command's own --help, wrapped at 100 columns."""
    lines = []
    for command in ["run", "resume", "open", "runs", "report", "labels export", "labels import", "cancel", "compare", "tasks", "task check", "serve-sim"]:
        text = subprocess.run([judgetop, *command.split(), "--help"], capture_output=True, text=True).stdout
        usage_line = (re.search(rf"USAGE: judgetop {command} (.*?)\n", text) or re.search(r"USAGE: judgetop .*?()\n", text)).group(1).replace("<options>", "")
        arguments = re.sub(r"\[?--[\w-]+( <[\w-]+>)?\]?", "", usage_line).split()
        parts = [f"judgetop {command}"] + arguments
        for match in re.finditer(r"^  (?:-\w, )?(--[\w-]+)( <[\w-]+>)?", (text.split("OPTIONS:") + [""])[1], re.M):
            if match.group(1) not in ("--help", "--version"):
                parts.append(f"[{match.group(1)}{' ' + match.group(2).strip().strip('<>').upper() if match.group(2) else ''}]")
        line, indent = parts[0], " " * (len(parts[0]) + 1)
        for part in parts[1:]:
            if len(line.split("\n")[-1]) + len(part) + 1 > 100:
                line += "\n" + indent + part
            else:
                line += " " + part
        lines.append(line)
    return "\n".join(lines)


def dashboard(judgetop, finished, keys="f", size=("120", "34")):
    socket = f"judgetop-capture-{os.getpid()}"
    with tempfile.TemporaryDirectory() as runs:
        def tmux(*args):
            return subprocess.run(["tmux", "-L", socket, "-u", *args], capture_output=True, text=True).stdout

        tmux("new-session", "-d", "-x", size[0], "-y", size[1], f"env TERM=tmux-256color LANG=C.UTF-8 {judgetop} run --runs-dir {runs}; sleep 60")
        try:
            deadline = time.time() + 120
            while time.time() < deadline:
                screen = tmux("capture-pane", "-p")
                if not finished and "in_progress" in screen and "% " in screen and " 0% " not in screen:
                    return screen.rstrip("\n")
                if finished and "Batches: 0 live of 2" in screen and "pending 0" in screen:
                    tmux("send-keys", keys)
                    time.sleep(1)
                    return tmux("capture-pane", "-p").rstrip("\n")
                time.sleep(0.1)
            raise SystemExit("the dashboard never reached the state to capture")
        finally:
            tmux("kill-server")


def example_report(judgetop):
    """The demo's HTML report, written where the README links it."""
    with tempfile.TemporaryDirectory() as runs:
        out = subprocess.run([judgetop, "run", "--headless", "--runs-dir", runs], capture_output=True, text=True, check=True).stdout
        run_id = out.strip().splitlines()[-1].split()[-1]
        subprocess.run([judgetop, "report", run_id, "--format", "html", "--runs-dir", runs,
                        "--output", os.path.join(ROOT, "docs", "example-report.html")], check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--judgetop", default=os.path.join(ROOT, ".build", "debug", "judgetop"))
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    makers = {"summary": lambda: summary(args.judgetop), "usage": lambda: usage(args.judgetop),
              "mid-run": lambda: dashboard(args.judgetop, False), "finished": lambda: dashboard(args.judgetop, True),
              "statistics": lambda: dashboard(args.judgetop, True, keys="a", size=("100", "30"))}
    wanted = args.only or (["summary", "usage"] if args.check else list(makers) + ["example-report"])
    if "example-report" in wanted:
        wanted.remove("example-report")
        if not args.check:
            example_report(args.judgetop)
    texts = {page: open(page, encoding="utf-8").read() for page in PAGES}
    differs = []
    for name in wanted:
        pattern = re.compile(r"(<!-- capture: " + re.escape(name) + r" -->\n```\n)(.*?)(\n```\n<!-- /capture -->)", re.S)
        pages = [page for page, text in texts.items() if pattern.search(text)]
        if not pages:
            raise SystemExit(f"no page has a capture named {name}")
        fresh = makers[name]()
        for page in pages:
            found = pattern.search(texts[page])
            if found.group(2) != fresh:
                differs.append(name)
                texts[page] = texts[page][:found.start(2)] + fresh + texts[page][found.end(2):]
    if args.check:
        for name in differs:
            print(f"capture '{name}' differs from what the binary prints; run scripts/readme_captures.py")
        sys.exit(1 if differs else 0)
    for page, text in texts.items():
        open(page, "w", encoding="utf-8").write(text)
    print("updated: " + (", ".join(differs) if differs else "nothing"))


main()
