import Dashboard
import Foundation
import JudgeCore

// Dashboard render benchmark: time to build one 140×45 frame with N rows loaded (only the visible
// rows are drawn, so it should not grow with N), and the one-off cost of loading the rows.
//   judgetop-bench [ROWS ...]     default: 1000 1000000
let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let counts = sizes.isEmpty ? [1_000, 1_000_000] : sizes
let movies = try Dataset.bundled().rows
let theme = Theme.fallback

func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; frame 140×45; median (min–max) of 200 frames")
print("rows       load rows    frame ms")
for count in counts {
    let rows = (0..<count).map { i -> RowView in
        let movie = movies[i % movies.count]
        let row = MovieRow(index: i, title: movie.title, overview: movie.overview, genres: movie.genres)
        return RowView(outcome: RowOutcome(row: row, baseAnswer: movie.genres.first, judgeAnswer: "Drama,\(i % 3 == 0 ? "Incorrect" : "Correct")"))
    }
    var state = ViewState()
    _ = reduce(&state, .resize(width: 140, height: 45))
    let clock = ContinuousClock()
    let load = clock.measure { _ = reduce(&state, .rows(rows, nil)) }
    var frames: [Double] = []
    for i in 0..<200 {
        _ = reduce(&state, .key(i % 20 == 0 ? .pageDown : .down))
        let elapsed = clock.measure { _ = Renderer.render(state, theme: theme) }
        frames.append(milliseconds(elapsed))
    }
    frames.sort()
    print(String(format: "%-10d %8.0f ms   %.3f (%.3f–%.3f)", count, milliseconds(load), frames[frames.count / 2], frames[0], frames[frames.count - 1]))
}
