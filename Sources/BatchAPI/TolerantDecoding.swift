import Foundation

/// Decoding helpers for providers that disagree on types: timestamps as numbers or strings,
/// fields missing or null, empty strings meaning "absent".
extension KeyedDecodingContainer {
    /// An integer sent as a number, a numeric string, or a double (truncated); nil when absent or null.
    func flexibleInt(_ key: Key) -> Int? {
        if let v = try? decodeIfPresent(Int.self, forKey: key) { return v }
        if let v = try? decodeIfPresent(Double.self, forKey: key), v.isFinite, abs(v) < 9.2e18 { return Int(v) }
        if let s = try? decodeIfPresent(String.self, forKey: key) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if let v = Int(t) { return v }
            if let v = Double(t), v.isFinite, abs(v) < 9.2e18 { return Int(v) }
        }
        return nil
    }

    /// A string, treating "" as absent (a clean batch once came back with `error_file_id: ""`).
    func nonEmptyString(_ key: Key) -> String? {
        guard let s = try? decodeIfPresent(String.self, forKey: key), !s.isEmpty else { return nil }
        return s
    }

    func string(_ key: Key, default fallback: String = "") -> String {
        (try? decodeIfPresent(String.self, forKey: key)) ?? fallback
    }
}

/// Coding keys for any JSON object, for decoders that read unknown or optional shapes.
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
