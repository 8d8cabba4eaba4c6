#!/usr/bin/env python3
"""Would keeping each answer in its request's row, or keying runs by an integer, store a batch faster? A replica of the store's
tables (v6: WITHOUT ROWID, 16 KB pages, WAL, synchronous=NORMAL, the pending-request index) in
Python's sqlite3, the same SQLite library judgetop links. Times storing 100,000 base answers, then
100,000 judge answers, a transaction per 10,000 as a run does it, two ways:

  today     INSERT the answers a hundred to a statement, then release the batch's requests as
            answered with one UPDATE over the span of rows (plus the judge requests of base answers)
  in-row    write each answer into its request row, a hundred to a statement, by UPDATE … FROM
            (VALUES …) or by INSERT … ON CONFLICT DO UPDATE
and today's way again with the run keyed by an integer instead of its 20-character id.

Python's own overhead is in every figure alike (the same statements and values are bound). Prints the
median of RUNS runs (default 3). Not part of the test suite.
"""
import os
import sqlite3
import statistics
import sys
import tempfile
import time

ROWS, BATCH = 100_000, 10_000
RUN = "20261129-143801-abcd"
OVERVIEW = "A young boy discovers a hidden world beneath the city streets, where forgotten creatures plot. " * 3


def create(path, in_row, run_type="TEXT"):
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                     "PRAGMA cache_size=-16384; PRAGMA secure_delete=OFF;")
    answer_columns = ", content TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, batch_id TEXT, received_at REAL" if in_row else ""
    db.executescript(f"""
        CREATE TABLE item (run_id {run_type} NOT NULL, idx INTEGER NOT NULL, title TEXT NOT NULL, overview TEXT NOT NULL,
            genres TEXT NOT NULL, PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
        CREATE TABLE request (run_id {run_type} NOT NULL, stage TEXT NOT NULL, idx INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            live_submission INTEGER, last_error TEXT, answered INTEGER NOT NULL DEFAULT 0 {answer_columns},
            PRIMARY KEY (run_id, stage, idx)) WITHOUT ROWID;
        CREATE INDEX request_pending ON request(run_id, stage, attempts, idx) WHERE answered = 0 AND live_submission IS NULL;
        CREATE TABLE answer (run_id {run_type} NOT NULL, stage TEXT NOT NULL, idx INTEGER NOT NULL, content TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, batch_id TEXT, received_at REAL NOT NULL,
            PRIMARY KEY (run_id, stage, idx)) WITHOUT ROWID;
    """)
    db.execute("BEGIN")
    for start in range(0, ROWS, 100):
        db.execute("INSERT INTO item VALUES " + ",".join(["(?,?,?,?,?)"] * 100),
                   [v for i in range(start, start + 100) for v in (RUN, i, f"Title {i}", OVERVIEW, "Drama, Comedy")])
    for start in range(0, ROWS, BATCH):
        db.execute("INSERT INTO request (run_id, stage, idx, attempts, live_submission) "
                   "SELECT run_id, 'base', idx, 1, ? FROM item WHERE run_id = ? AND idx BETWEEN ? AND ?",
                   (start // BATCH + 1, RUN, start, start + BATCH - 1))
    db.execute("COMMIT")
    return db


def store_today(db, stage, first_submission, start, rows):
    for k in range(0, len(rows), 100):
        chunk = rows[k:k + 100]
        db.execute("INSERT INTO answer VALUES " + ",".join(["(?,?,?,?,?,?,?,?)"] * len(chunk)),
                   [v for i, text in chunk for v in (RUN, stage, i, text, 136, 1, "batch_x", 1.0)])
    db.execute("UPDATE request SET live_submission = NULL, answered = 1 "
               "WHERE run_id = ? AND stage = ? AND idx BETWEEN ? AND ? AND live_submission = ?",
               (RUN, stage, start, start + BATCH - 1, first_submission + start // BATCH + 1))


def store_in_row_update(db, stage, first_submission, start, rows):
    for k in range(0, len(rows), 100):
        chunk = rows[k:k + 100]
        db.execute("UPDATE request AS r SET content = v.column2, prompt_tokens = v.column3, completion_tokens = v.column4, "
                   "batch_id = ?, received_at = ?, live_submission = NULL, answered = 1 FROM (VALUES "
                   + ",".join(["(?,?,?,?)"] * len(chunk)) + ") AS v WHERE r.run_id = ? AND r.stage = ? AND r.idx = v.column1",
                   ["batch_x", 1.0] + [v for i, text in chunk for v in (i, text, 136, 1)] + [RUN, stage])


def store_in_row_upsert(db, stage, first_submission, start, rows):
    for k in range(0, len(rows), 100):
        chunk = rows[k:k + 100]
        db.execute("INSERT INTO request (run_id, stage, idx, attempts, content, prompt_tokens, completion_tokens, batch_id, "
                   "received_at, answered) VALUES " + ",".join(["(?,?,?,1,?,?,?,?,?,1)"] * len(chunk))
                   + " ON CONFLICT DO UPDATE SET content = excluded.content, prompt_tokens = excluded.prompt_tokens, "
                   "completion_tokens = excluded.completion_tokens, batch_id = excluded.batch_id, "
                   "received_at = excluded.received_at, live_submission = NULL, answered = 1",
                   [v for i, text in chunk for v in (RUN, stage, i, text, 136, 1, "batch_x", 1.0)])


def stage_seconds(db, store, stage):
    """CPU seconds to store every answer of a stage, batch by batch (and plan the judge's requests)."""
    total = 0.0
    for start in range(0, ROWS, BATCH):
        rows = [(i, "Drama" if stage == "base" else "Drama,Correct") for i in range(start, start + BATCH)]
        began = time.process_time()
        db.execute("BEGIN")
        store(db, stage, 0 if stage == "base" else 100, start, rows)
        if stage == "base":
            for k in range(0, BATCH, 100):
                db.execute("INSERT INTO request (run_id, stage, idx, attempts, live_submission) VALUES "
                           + ",".join(["(?,'judge',?,1,?)"] * 100),
                           [v for i in range(start + k, start + k + 100) for v in (RUN, i, 101 + start // BATCH)])
        db.execute("COMMIT")
        total += time.process_time() - began
    return total


def main():
    runs = int(os.environ.get("RUNS", "3"))
    global RUN
    text_key = RUN
    layouts = [("today", False, store_today, "TEXT", text_key),
               ("in-row, UPDATE FROM", True, store_in_row_update, "TEXT", text_key),
               ("in-row, upsert", True, store_in_row_upsert, "TEXT", text_key),
               ("today, integer run key", False, store_today, "INTEGER", 1)]
    times = {name: ([], []) for name, *_ in layouts}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            for name, in_row, store, run_type, RUN in layouts:
                path = os.path.join(folder, name.replace(" ", "_").replace(",", "") + ".sqlite")
                db = create(path, in_row, run_type)
                times[name][0].append(stage_seconds(db, store, "base"))
                times[name][1].append(stage_seconds(db, store, "judge"))
                db.close()
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(path + suffix):
                        os.remove(path + suffix)
    print(f"storing {ROWS:,} answers a stage, a transaction per {BATCH:,}; SQLite {sqlite3.sqlite_version}; "
          f"median of {runs} runs (CPU ms)")
    for name, (base, judge) in times.items():
        print(f"  {name:22s} base {statistics.median(base) * 1000:6.0f}   judge {statistics.median(judge) * 1000:6.0f}")


if __name__ == "__main__":
    sys.exit(main())
