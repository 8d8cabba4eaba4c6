import JudgeCore
import Synchronization

/// The prompt fields of the run this process has just stored, kept for its batch files: every base
/// and judge file is made of them, and reading them back from the store took 3% of a 20,000-row
/// run's instructions. A stored row never changes, so what is kept is never stale. It is bounded: a
/// run's first rows up to `budget` bytes (all of a 20,000-row run, the first 50,000 or so of a
/// larger one; at 32 MB, a million-row run's peak grew by 40 MB); a file with any other row reads
/// its rows back, as a resumed run does.
final class PromptFieldMemo: Sendable {
    private struct Kept {
        var run = ""
        /// By row index, from 0: rows are stored in index order, and keeping stops at the first gap.
        var fields: [[String]] = []
        var bytes = 0
        var full = false
    }

    private let budget: Int
    private let kept = Mutex(Kept())

    init(budget: Int = 16 << 20) {
        self.budget = budget
    }

    /// Keeps the prompt fields of rows just stored for `run`, forgetting any other run's.
    func keep(_ rows: [Item], run: String) {
        kept.withLock { kept in
            if kept.run != run { kept = Kept(run: run) }
            for row in rows {
                let size = row.fields.reduce(16) { $0 + $1.utf8.count + 16 }  // and the array's and strings' headers
                guard !kept.full, row.index == kept.fields.count, kept.bytes + size <= budget else {
                    kept.full = true
                    return
                }
                kept.fields.append(row.fields)
                kept.bytes += size
            }
        }
    }

    /// The rows at these indices as a prompt reads them (their fields; no title or truth), or nil
    /// unless every one of them is kept.
    func promptRows(run: String, indices: [Int]) -> [Item]? {
        kept.withLock { kept in
            guard kept.run == run, indices.allSatisfy({ $0 >= 0 && $0 < kept.fields.count }) else { return nil }
            return indices.map { Item(index: $0, title: "", fields: kept.fields[$0], truth: []) }
        }
    }

    /// Forgets a run's fields (its rows were not stored after all).
    func forget(run: String) {
        kept.withLock { kept in if kept.run == run { kept = Kept() } }
    }
}
