"""Writes N synthetic dataset rows made from the bundled IMDB top-1000: the rows repeat in order,
each copy's title marked with its copy number. Usage: synth_rows.py N OUT.csv"""
import csv
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
source = os.path.join(os.path.dirname(__file__), "..", "Sources", "JudgeCore", "Resources", "imdb_top_1000.csv")
with open(source, encoding="utf-8") as f:
    rows = [(r["Series_Title"], r["Overview"], r["Genre"]) for r in csv.DictReader(f)]
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Series_Title", "Overview", "Genre"])
    for i in range(n):
        title, overview, genre = rows[i % len(rows)]
        w.writerow([f"{title} (copy {i // len(rows)})", overview, genre])
