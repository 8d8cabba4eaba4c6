import BatchAPI
import GRDB
import JudgeCore

// The store keeps these as their raw names; GRDB reads and binds them through these conformances,
// so an unknown name in a column is an error, not a string passed along.
extension RunStatus: DatabaseValueConvertible {}
extension RunMode: DatabaseValueConvertible {}
extension Stage: DatabaseValueConvertible {}

/// Where a submission stands: ours until the provider has its batch, then the provider's status.
/// Stored as one name in `submission.status`.
public enum SubmissionPhase: Sendable, Equatable {
    /// Its requests are chosen; nothing was sent.
    case planned
    /// Its file may have reached the provider: look the batch up there before creating it again.
    case uploading
    /// The provider has the batch; its status as last seen.
    case atProvider(BatchStatus)

    /// The provider will change nothing more about it.
    public var isTerminal: Bool {
        if case .atProvider(let status) = self { return status.isTerminal }
        return false
    }
}

extension SubmissionPhase: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        switch self {
        case .planned: "planned".databaseValue
        case .uploading: "uploading".databaseValue
        case .atProvider(let status): status.name.databaseValue
        }
    }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> SubmissionPhase? {
        switch String.fromDatabaseValue(value) {
        case "planned": .planned
        case "uploading": .uploading
        case let name?: .atProvider(BatchStatus(raw: name))
        case nil: nil
        }
    }
}
