/// How many items may use their truth for the corrected estimates: a seeded uniform random subset.
public struct LabelPlan: Sendable, Hashable, Codable {
    public var count: Int?
    public var fraction: Double?
    public var seed: UInt64

    public static let defaultFraction = 0.10
    public static let defaultSeed: UInt64 = 20_240_601

    public init(count: Int? = nil, fraction: Double? = nil, seed: UInt64 = defaultSeed) {
        self.count = count
        self.fraction = fraction
        self.seed = seed
    }

    /// The labelled subset size for a population (default 10%), never more than the population.
    public func size(of population: Int) -> Int {
        if let count { return min(max(0, count), population) }
        return min(population, Int((Double(population) * (fraction ?? Self.defaultFraction)).rounded()))
    }

    /// Which positions of the population are labelled: a seeded shuffle, so the same run always
    /// draws the same subset.
    public func labelledPositions(population: Int) -> Set<Int> { Set(drawOrder(population: population)) }

    /// The same subset in the order the seed drew it: any prefix of it is a uniform sample too, so
    /// a person who labels the first k of it has labelled a random sample of k.
    public func drawOrder(population: Int) -> [Int] {
        // The first steps of the standard library's Fisher–Yates shuffle, the same draws in the same
        // order, stopped once the sample is drawn: its prefix is the same as the whole shuffle's
        // (a test holds them equal), at a tenth of the work for a 10% sample.
        let wanted = size(of: population)
        var positions = Array(0..<population)
        var generator = SeededGenerator(seed: seed)
        var remaining = population
        for current in 0..<min(wanted, max(0, population - 1)) {
            let offset = Int.random(in: 0..<remaining, using: &generator)
            remaining -= 1
            positions.swapAt(current, current + offset)
        }
        return Array(positions.prefix(wanted))
    }
}
