"""Prints Benchmarks/run.sh's table: each figure's median (min–max) over its runs, the tutorial-vs-judgetop
ratios of the medians, then the notes. Usage: table.py RESULTS RATIOS NOTES (missing files are skipped)."""
import os
import statistics
import sys

results, ratios, notes = sys.argv[1:4]
figures = {}  # figure → (unit, [values] or (median, min, max))
for line in open(results, encoding="utf-8") if os.path.exists(results) else []:
    figure, unit, value = line.rstrip("\n").split("|")
    if value.startswith("="):
        figures[figure] = (unit, tuple(float(v) for v in value[1:].split()))
    else:
        figures.setdefault(figure, (unit, []))[1].append(float(value))


def summary(values):
    if isinstance(values, tuple):
        return values
    return statistics.median(values), min(values), max(values)


def number(v):
    return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}" if abs(v) < 1000 else f"{v:,.0f}"


width = max([len(f) for f in figures] + [20])
print(f"{'figure':<{width}}  {'median':>10}  {'min':>10}  {'max':>10}  unit")
for figure, (unit, values) in figures.items():
    med, low, high = summary(values)
    print(f"{figure:<{width}}  {number(med):>10}  {number(low):>10}  {number(high):>10}  {unit}")

for line in open(ratios, encoding="utf-8") if os.path.exists(ratios) else []:
    name, tutorial, judgetop = line.rstrip("\n").split("|")
    parts = []
    for measure in ("wall", "CPU", "peak RSS"):
        t, j = figures.get(f"{tutorial} {measure}"), figures.get(f"{judgetop} {measure}")
        if t and j:
            ratio = summary(t[1])[0] / summary(j[1])[0]
            parts.append(f"{ratio:.1f}× less {measure}" if ratio >= 1 else f"{1 / ratio:.1f}× more {measure}")
    print(f"{name}: judgetop takes " + ", ".join(parts) + " than the tutorial (ratio of medians)")

for line in open(notes, encoding="utf-8") if os.path.exists(notes) else []:
    print(line.rstrip("\n"))
