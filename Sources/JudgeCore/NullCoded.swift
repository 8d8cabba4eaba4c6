/// An optional member written as null when absent (Codable's synthesis leaves it out), and read
/// back from null or a missing key alike: report.json and the OpenAI shapes both promise every key.
@propertyWrapper
public struct NullCoded<Value: Sendable>: Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
}

extension NullCoded: Equatable where Value: Equatable {}

extension NullCoded: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension NullCoded: Decodable where Value: Decodable {
    /// A value of another type reads as nil: providers put odd things where a string belongs.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try? container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// A missing key reads as nil rather than failing (the synthesized decoder asks for it).
    public func decode<Value: Decodable>(_ type: NullCoded<Value>.Type, forKey key: Key) throws -> NullCoded<Value> {
        try decodeIfPresent(type, forKey: key) ?? NullCoded(wrappedValue: nil)
    }
}
