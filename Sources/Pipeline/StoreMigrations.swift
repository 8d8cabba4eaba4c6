import Foundation
import GRDB

/// The store's schema, one migration a change; an existing store is brought forward when opened.
extension RunStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL, created_at REAL NOT NULL, status TEXT NOT NULL,
                    config TEXT NOT NULL, message TEXT, finished_at REAL, summary TEXT);
                CREATE TABLE item (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                    title TEXT NOT NULL, overview TEXT NOT NULL, genres TEXT NOT NULL, PRIMARY KEY (run_id, idx));
                CREATE TABLE request (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, custom_id TEXT NOT NULL,
                    stage TEXT NOT NULL, idx INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                    live_submission INTEGER, last_error TEXT, PRIMARY KEY (run_id, custom_id));
                CREATE TABLE submission (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    stage TEXT NOT NULL, round INTEGER NOT NULL, requests INTEGER NOT NULL,
                    batch_id TEXT, input_file_id TEXT, status TEXT NOT NULL DEFAULT 'planned',
                    completed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
                    output_file_id TEXT, error_file_id TEXT, consumed INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL);
                CREATE TABLE answer (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, custom_id TEXT NOT NULL,
                    stage TEXT NOT NULL, idx INTEGER NOT NULL, content TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL, batch_id TEXT, received_at REAL NOT NULL,
                    PRIMARY KEY (run_id, custom_id));
                CREATE INDEX answer_by_stage ON answer(run_id, stage, idx);
                CREATE INDEX run_by_created ON run(created_at);
                CREATE INDEX request_by_stage ON request(run_id, stage, live_submission);
                CREATE INDEX submission_by_run ON submission(run_id, consumed);
                CREATE UNIQUE INDEX submission_by_batch ON submission(run_id, batch_id);
                """)
        }
        migrator.registerMigration("v2-history") { db in
            // Answers replaced by a rerun or re-judge (and duplicates) are kept here, never deleted.
            try db.execute(sql: """
                CREATE TABLE answer_history (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, custom_id TEXT NOT NULL, stage TEXT NOT NULL,
                    idx INTEGER NOT NULL, content TEXT NOT NULL, model TEXT NOT NULL, reason TEXT NOT NULL, replaced_at REAL NOT NULL);
                CREATE INDEX history_by_row ON answer_history(run_id, idx);
                """)
        }
        migrator.registerMigration("v3-answered") { db in
            // Planning a batch asks which requests still need an answer, and every stored batch reports
            // the tokens so far. Asking the answer table each time scanned the whole run: quadratic
            // over a million-row run's hundreds of batches. The request table keeps an answered flag
            // and the judge request a base answer makes, and a usage table the token totals: the
            // code that inserts answers keeps them (`recordAnswers`), a trigger undoes them when an
            // answer is removed.
            try db.execute(sql: """
                ALTER TABLE request ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
                UPDATE request SET answered = EXISTS (SELECT 1 FROM answer a WHERE a.run_id = request.run_id AND a.custom_id = request.custom_id);
                INSERT OR IGNORE INTO request (run_id, custom_id, stage, idx, answered)
                    SELECT run_id, 'judge-' || idx, 'judge', idx, 0 FROM answer WHERE stage = 'base';
                UPDATE request SET answered = 1 WHERE stage = 'judge'
                    AND EXISTS (SELECT 1 FROM answer a WHERE a.run_id = request.run_id AND a.custom_id = request.custom_id);
                DROP INDEX request_by_stage;
                CREATE INDEX request_by_stage ON request(run_id, stage, live_submission, answered);
                CREATE TABLE usage (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, PRIMARY KEY (run_id, stage));
                INSERT INTO usage SELECT run_id, stage, SUM(prompt_tokens), SUM(completion_tokens) FROM answer GROUP BY run_id, stage;
                CREATE TRIGGER answer_removed AFTER DELETE ON answer BEGIN
                    UPDATE request SET answered = 0 WHERE run_id = OLD.run_id AND custom_id = OLD.custom_id;
                    UPDATE usage SET prompt_tokens = prompt_tokens - OLD.prompt_tokens, completion_tokens = completion_tokens - OLD.completion_tokens
                        WHERE run_id = OLD.run_id AND stage = OLD.stage;
                END;
                """)
        }
        migrator.registerMigration("v4-keys") { db in
            // Requests and answers keyed by (run, stage, row) in the table itself (WITHOUT ROWID):
            // the custom_id key made every insert and update touch a rowid table and two indexes. The
            // stage index covers what planning asks (else SQLite scans every request of the stage,
            // at each of a million-row run's hundreds of plans).
            try db.execute(sql: """
                DROP TRIGGER answer_removed;
                CREATE TABLE item_v4 (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                    title TEXT NOT NULL, overview TEXT NOT NULL, genres TEXT NOT NULL, PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
                INSERT INTO item_v4 SELECT run_id, idx, title, overview, genres FROM item;
                DROP TABLE item;
                ALTER TABLE item_v4 RENAME TO item;
                CREATE TABLE request_v4 (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL, idx INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, live_submission INTEGER, last_error TEXT,
                    answered INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (run_id, stage, idx)) WITHOUT ROWID;
                INSERT INTO request_v4 SELECT run_id, stage, idx, attempts, live_submission, last_error, answered FROM request;
                DROP TABLE request;
                ALTER TABLE request_v4 RENAME TO request;
                CREATE INDEX request_by_stage ON request(run_id, stage, live_submission, answered, attempts);
                CREATE TABLE answer_v4 (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL, idx INTEGER NOT NULL,
                    content TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
                    batch_id TEXT, received_at REAL NOT NULL, PRIMARY KEY (run_id, stage, idx)) WITHOUT ROWID;
                INSERT INTO answer_v4 SELECT run_id, stage, idx, content, prompt_tokens, completion_tokens, batch_id, received_at FROM answer;
                DROP TABLE answer;
                ALTER TABLE answer_v4 RENAME TO answer;
                CREATE TRIGGER answer_removed AFTER DELETE ON answer BEGIN
                    UPDATE request SET answered = 0 WHERE run_id = OLD.run_id AND stage = OLD.stage AND idx = OLD.idx;
                    UPDATE usage SET prompt_tokens = prompt_tokens - OLD.prompt_tokens, completion_tokens = completion_tokens - OLD.completion_tokens
                        WHERE run_id = OLD.run_id AND stage = OLD.stage;
                END;
                """)
        }
        migrator.registerMigration("v5-pending-index") { db in
            // The stage index held every request and moved each one's entry twice (planned, then
            // answered): a third of what storing a batch cost. Planning asks only for requests that are
            // unanswered and in no batch, so only those are indexed; a batch's own requests are found
            // by the span of rows it covers.
            try db.execute(sql: """
                DROP INDEX request_by_stage;
                CREATE INDEX request_pending ON request(run_id, stage, attempts, idx) WHERE answered = 0 AND live_submission IS NULL;
                """)
        }
        migrator.registerMigration("v6-row-count") { db in
            // Counting a run's rows read every row's text: a million-row run read its 250 MB of rows
            // at each start, and `judgetop runs` did it for every run.
            try db.execute(sql: """
                ALTER TABLE run ADD COLUMN row_count INTEGER NOT NULL DEFAULT 0;
                UPDATE run SET row_count = (SELECT COUNT(*) FROM item WHERE item.run_id = run.id);
                """)
        }
        migrator.registerMigration("v7-ownership") { db in
            // One owner a run (`lease`), a cancel any process can ask for and the owner obeys
            // (`cancel_requested`; a cancelled rerun of a finished run returns to `status_before_rework`), work asked again without dropping the answer shown until the new
            // one arrives (`redo`), the model each answer came from, and what the provider charged per
            // stage and model, every answer counted once and never subtracted (`charge`, replacing
            // `usage`, which a trigger lowered whenever an answer was replaced).
            try db.execute(sql: """
                CREATE TABLE lease (
                    run_id TEXT PRIMARY KEY NOT NULL REFERENCES run(id) ON DELETE CASCADE, token TEXT NOT NULL,
                    pid INTEGER NOT NULL, host TEXT NOT NULL, heartbeat REAL NOT NULL);
                ALTER TABLE run ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE run ADD COLUMN status_before_rework TEXT;
                ALTER TABLE request ADD COLUMN redo INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE answer ADD COLUMN model TEXT;
                CREATE TABLE charge (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL, model TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, answers INTEGER NOT NULL,
                    PRIMARY KEY (run_id, stage, model));
                INSERT INTO charge
                    SELECT u.run_id, u.stage,
                           COALESCE(CASE WHEN json_valid(r.config) THEN json_extract(r.config, CASE u.stage WHEN 'base' THEN '$.baseModel' ELSE '$.judgeModel' END) END, ''),
                           u.prompt_tokens, u.completion_tokens,
                           (SELECT COUNT(*) FROM answer a WHERE a.run_id = u.run_id AND a.stage = u.stage)
                    FROM usage u JOIN run r ON r.id = u.run_id;
                DROP TRIGGER answer_removed;
                DROP TABLE usage;
                """)
        }
        migrator.registerMigration("v8-labelled-subset") { db in
            // The rows of the corrected estimates' labelled subset, as the finished run drew them:
            // the record that lets anyone audit PPI++ and Rogan–Gladen.
            try db.execute(sql: """
                CREATE TABLE labelled_item (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                    PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v9-task-items") { db in
            // Items of any task: the prompt fields a task reads (one field as its text, several as a
            // JSON array, `fields_packed`) and the truth, one label a line. Stores from before kept
            // the tutorial's overview and its genres joined by ", "; the one is the tutorial's only
            // field, the other is re-joined.
            try db.execute(sql: """
                ALTER TABLE item RENAME COLUMN overview TO fields;
                ALTER TABLE item RENAME COLUMN genres TO truth;
                ALTER TABLE item ADD COLUMN fields_packed INTEGER NOT NULL DEFAULT 0;
                UPDATE item SET truth = replace(truth, ', ', char(10)) WHERE instr(truth, ', ') > 0;
                """)
        }
        migrator.registerMigration("v10-labels") { db in
            // People's labels (correct 1/0, or NULL for a skip), appended in the order given so that
            // the latest of an item counts and a person's last label can be undone, with where each
            // came from (the dashboard, or an imported file); and the verdicts
            // people marked wrong while browsing, one mark an item.
            try db.execute(sql: """
                CREATE TABLE label (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    idx INTEGER NOT NULL, correct INTEGER, labeller TEXT NOT NULL, labelled_at REAL NOT NULL, origin TEXT NOT NULL);
                CREATE INDEX label_by_run ON label(run_id, id);
                CREATE TABLE judge_mark (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                    note TEXT NOT NULL, marker TEXT NOT NULL, marked_at REAL NOT NULL, PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
