"""Recomputes a judgetop report's statistics with standard libraries (statsmodels, scipy, ppi_py)
from the run's items CSV, and compares them with its report.json.

Usage: statistics_crosscheck.py REPORT.json ITEMS.csv
Prints one line per figure checked; exits 1 if any differs by more than 1e-6 (deterministic
figures; bootstrap intervals are left to the Swift tests, being seeded by judgetop's own generator).
"""
import csv
import json
import math
import sys

import numpy as np
from ppi_py import ppi_mean_ci, ppi_mean_pointestimate
from scipy.stats import norm
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

report = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
TOLERANCE = 1e-6
failures = []
checked = 0
Z = norm.ppf(0.975)
LABELS = ["Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Drama", "Family", "Fantasy", "Film-Noir",
          "History", "Horror", "Music", "Musical", "Mystery", "Romance", "Sci-Fi", "Sport", "Thriller", "War", "Western"]
FOLDED = {g.lower(): g for g in LABELS}
FOLDED.update({"scifi": "Sci-Fi", "science fiction": "Sci-Fi", "sciencefiction": "Sci-Fi", "film noir": "Film-Noir",
               "noir": "Film-Noir", "biopic": "Biography"})


def check(name, mine, theirs):
    global checked
    checked += 1
    if mine is None or theirs is None or not math.isfinite(theirs) or abs(mine - theirs) > TOLERANCE:
        failures.append(f"{name}: judgetop {mine}, standard libraries {theirs}")
    print(f"{name}: judgetop {mine} vs {theirs}")


def lenient(text):
    return FOLDED.get(text.strip(" \t\n\r\"'`.,;:!?*").lower())


truth = [[g.strip() for g in r["true_genres"].split(",") if g.strip()] for r in rows]
answered = [r for r in rows if r["base_answer"] != "" or r["base_correct_strict"] != ""]

# Accuracies with their Wilson intervals, recounted from the items.
base = [(r["base_correct_strict"] == "true") for r, t in zip(rows, truth) if t and r["base_correct_strict"] != ""]
lenient_base = [(r["base_correct_lenient"] == "true") for r, t in zip(rows, truth) if t and r["base_correct_lenient"] != ""]
genre_counts = {}
for t in truth:
    for g in set(t):
        genre_counts[g] = genre_counts.get(g, 0) + 1
majority = max(genre_counts.values())
verdicts = [r["judge_verdict"] for r in rows if r["judge_verdict"] in ("correct", "incorrect")]
judge_genre = [r["judge_genre_correct"] == "true" for r in rows if r["judge_genre_correct"] != ""]
for key, successes, total in [("base_vs_truth", sum(base), len(base)),
                              ("judge_determined", verdicts.count("correct"), len(verdicts)),
                              ("judge_vs_truth", sum(judge_genre), len(judge_genre)),
                              ("base_vs_truth_lenient", sum(lenient_base), len(lenient_base)),
                              ("majority_baseline", majority, sum(1 for t in truth if t))]:
    check(f"accuracy.{key}", report["accuracy"][key], successes / total)
    check(f"denominators.{key}", report["denominators"][key], total)
    low, high = proportion_confint(successes, total, alpha=0.05, method="wilson")
    check(f"intervals.{key}.low", report["intervals"][key][0], low)
    check(f"intervals.{key}.high", report["intervals"][key][1], high)

# The judge's verdicts against the truth.
population = [r for r in rows if r["in_labelled_subset"] != ""]
y = np.array([r["base_correct_strict"] == "true" for r in population], dtype=float)
j = np.array([r["judge_verdict"] == "correct" for r in population], dtype=float)
tp, fn = int(((y == 1) & (j == 1)).sum()), int(((y == 1) & (j == 0)).sum())
fp, tn = int(((y == 0) & (j == 1)).sum()), int(((y == 0) & (j == 0)).sum())
agreement = report["judge_vs_truth_agreement"]
for key, value in [("tp", tp), ("fp", fp), ("fn", fn), ("tn", tn)]:
    check(f"judge_vs_truth_agreement.{key}", agreement[key], value)
check("kappa", agreement["kappa"], cohens_kappa(np.array([[tp, fn], [fp, tn]])).kappa)
check("balanced_accuracy", agreement["balanced_accuracy"], (tp / (tp + fn) + tn / (tn + fp)) / 2)
trust = report["judge_trust"]
for key, successes, total in [("tpr", tp, tp + fn), ("tnr", tn, tn + fp), ("agreement", tp + tn, len(population)),
                              ("precision_of_incorrect_flag", tn, tn + fn)]:
    check(f"judge_trust.{key}", trust[key]["value"], successes / total)
    low, high = proportion_confint(successes, total, alpha=0.05, method="wilson")
    check(f"judge_trust.{key}.interval", trust[key]["interval"][0] + trust[key]["interval"][1], low + high)
    check(f"judge_trust.{key}.method", 1.0 if trust[key]["interval_method"] == "wilson_score" else 0.0, 1.0)

# Genre kappa: the judge's genre against any of the true genres, chance counted the same way.
pairs = [(lenient(r["judge_genre"]), t) for r, t in zip(rows, truth) if t and r["judge_verdict"] in ("correct", "incorrect")]
n = len(pairs)
observed = sum(1 for g, t in pairs if g in t) / n
chance = sum((sum(1 for g, _ in pairs if g == label) / n) * (sum(1 for _, t in pairs if label in t) / n) for label in LABELS)
check("genre_kappa", trust["genre_kappa"]["value"], (observed - chance) / (1 - chance))

# Accuracy without ground truth: the labelled subset is the CSV's column.
labelled = np.array([r["in_labelled_subset"] == "true" for r in population])
Y, Yhat, Yhat_unlabelled = y[labelled], j[labelled], j[~labelled]
methods = report["corrected_accuracy"]["methods"]
check("corrected.labelled", report["corrected_accuracy"]["labelled"], int(labelled.sum()))
check("corrected.labels_only", methods["labels_only"]["value"], Y.mean())
for method, lam in [("ppi", 1.0), ("ppi_plus_plus", None)]:
    estimate = ppi_mean_pointestimate(Y, Yhat, Yhat_unlabelled, lam=lam)
    low, high = ppi_mean_ci(Y, Yhat, Yhat_unlabelled, alpha=0.05, lam=lam)
    check(f"corrected.{method}", methods[method]["value"], float(np.ravel(estimate)[0]))
    check(f"corrected.{method}.low", methods[method]["interval"][0], max(0.0, float(np.ravel(low)[0])))
    check(f"corrected.{method}.high", methods[method]["interval"][1], min(1.0, float(np.ravel(high)[0])))

# Rogan–Gladen with its delta-method interval, from the formula (Rogan & Gladen 1978).
m1, m0 = Y.sum(), (1 - Y).sum()
se, sp = (Yhat * Y).sum() / m1, ((1 - Yhat) * (1 - Y)).sum() / m0
p, big = Yhat_unlabelled.mean(), len(Yhat_unlabelled)
youden = se + sp - 1
if youden > 0:
    theta = min(1, max(0, (p + sp - 1) / youden))
    sd = math.sqrt(p * (1 - p) / big + theta ** 2 * se * (1 - se) / m1 + (1 - theta) ** 2 * sp * (1 - sp) / m0) / youden
    check("corrected.rogan_gladen", methods["rogan_gladen"]["value"], theta)
    check("corrected.rogan_gladen.low", methods["rogan_gladen"]["interval"][0], max(0, theta - Z * sd))
    # Lee et al.'s adjusted interval, from LLM-judge-reporting's calibration.py formulas.
    z2 = Z * Z
    p1, sp1, se1 = (big * p + z2 / 2) / (big + z2), (m0 * sp + 1) / (m0 + 2), (m1 * se + 1) / (m1 + 2)
    n1, m01, m11 = big + z2, m0 + 2, m1 + 2
    t1 = (p1 + sp1 - 1) / (sp1 + se1 - 1)
    shift = 2 * z2 * (-(1 - t1) * sp1 * (1 - sp1) / m01 + t1 * se1 * (1 - se1) / m11)
    sd1 = math.sqrt(p1 * (1 - p1) / n1 + (1 - t1) ** 2 * sp1 * (1 - sp1) / m01 + t1 ** 2 * se1 * (1 - se1) / m11) / (sp1 + se1 - 1)
    check("corrected.rogan_gladen_lee.low", methods["rogan_gladen_lee"]["interval"][0], max(0, t1 + shift - Z * sd1))
    check("corrected.rogan_gladen_lee.high", methods["rogan_gladen_lee"]["interval"][1], min(1, t1 + shift + Z * sd1))
else:
    check("corrected.rogan_gladen undefined", 1.0 if methods["rogan_gladen"]["value"] is None else 0.0, 1.0)

print(f"{checked} figures checked, {len(failures)} differ")
for failure in failures:
    print("DIFFERS", failure)
sys.exit(1 if failures else 0)
