import Foundation
import JudgeCore

/// How an item's prompt fields are kept in the store's one `fields` column: a task reading one
/// column (most do, the tutorial among them) stores its text as it is; several are a JSON array.
enum StoredFields {
    static func isPacked(_ fields: [String]) -> Bool { fields.count != 1 }

    static func text(_ fields: [String]) -> String {
        guard isPacked(fields) else { return fields[0] }
        return String(decoding: (try? JSONEncoder().encode(fields)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func fields(_ text: String, packed: Bool) -> [String] {
        guard packed else { return [text] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
