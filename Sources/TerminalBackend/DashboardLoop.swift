import Dashboard
import Foundation

/// The dashboard's owner thread: draws frames from the view state and turns keys into actions.
/// Everything else reaches it through the inbox; it never blocks on the engine.
public enum DashboardLoop {
    /// Runs until the person quits or a signal arrives; returns the final state and the signal, if any.
    /// `onCommand` receives what the engine should do (called on this thread; keep it short).
    public static func run(initial: ViewState, theme initialTheme: Theme, inbox: DashboardInbox,
                           loadTheme: (String) -> Theme?, onCommand: (DashboardCommand) -> Void) -> (ViewState, Int32?) {
        let terminal = Terminal()
        defer { terminal.shutdown() }
        var state = initial
        let glyphs: Glyphs = terminal.isUTF8 ? .unicode : .ascii
        let adapt = { (theme: Theme) in terminal.colors >= 256 ? theme : theme.downgradedTo8Colors() }
        var theme = adapt(initialTheme)
        var themeName = state.themeName
        var size = terminal.size
        var mouse = state.mouse
        terminal.mouse(mouse)
        _ = reduce(&state, .resize(width: size.width, height: size.height))
        var lastFrame = Date.distantPast
        var dirty = true
        while true {
            for action in inbox.drain() {
                handle(reduce(&state, action))
                dirty = true
            }
            let now = Date()
            // Idle, a frame a second keeps the clocks moving; anything new draws at once.
            if dirty || now.timeIntervalSince(lastFrame) >= 1 {
                _ = reduce(&state, .tick(now))
                terminal.present(Renderer.render(state, theme: theme, glyphs: glyphs))
                lastFrame = now
                dirty = false
            }
            if let signal = terminal.signalReceived { return (state, signal) }
            if state.quit { return (state, nil) }
            guard let key = terminal.readKey(timeoutMs: 100) else { continue }
            dirty = true
            if key == .resize {
                size = terminal.size
                _ = reduce(&state, .resize(width: size.width, height: size.height))
                continue
            }
            handle(reduce(&state, .key(key)))
            if state.quit { return (state, nil) }
        }

        /// Sends the commands on, and loads the theme the state names when it changed.
        func handle(_ commands: [DashboardCommand]) {
            commands.forEach(onCommand)
            if state.mouse != mouse {
                mouse = state.mouse
                terminal.mouse(mouse)
            }
            guard state.themeName != themeName else { return }
            if let loaded = loadTheme(state.themeName) {
                theme = adapt(loaded)
            } else {
                _ = reduce(&state, .themeUnavailable(keeping: themeName))
            }
            themeName = state.themeName
        }
    }
}
