import GRDB
import JudgeCore

/// The key of a request and of its answer, (run, stage, row): its columns and the values that fill
/// them declared together, so a statement matches a row with `RequestKey.match` and binds it with
/// `arguments` instead of restating three positional values each time.
struct RequestKey {
    let run: String
    let stage: Stage
    let index: Int

    /// The `WHERE` condition on a request's or answer's key.
    static let match = "run_id = ? AND stage = ? AND idx = ?"

    var arguments: StatementArguments { [run, stage, index] }
}
