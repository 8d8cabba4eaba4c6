import CNcursesw
import CTermSupport
import Dashboard
import Foundation
import Synchronization

/// SIGINT/SIGTERM/SIGHUP seen while the screen is up; the owner thread checks it every tick.
private let pendingSignal = Atomic<Int32>(0)

/// The ncurses screen. Not Sendable: one thread creates it, uses it and shuts it down.
public final class Terminal {
    public let colors: Int
    public let isUTF8: Bool
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    private var closed = false

    private struct PairKey: Hashable { let fg: Int32; let bg: Int32 }

    public init() {
        // Our handlers go in before initscr, or ncurses installs its own, which _exit without our cleanup.
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number) { received in pendingSignal.store(received, ordering: .relaxed) }
        }
        setlocale(LC_ALL, "")
        isUTF8 = jt_is_utf8() != 0
        _ = initscr()
        jt_install_crash_restore()
        jt_install_exit_restore()
        raw()
        noecho()
        nonl()
        keypad(jt_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        colors = has_colors() ? Int(jt_colors()) : 0
        maxPairs = has_colors() ? jt_color_pairs() : 0
    }

    /// The signal that asked us to stop, if any.
    public var signalReceived: Int32? {
        let value = pendingSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0, cols: Int32 = 0
        jt_size(&rows, &cols)
        return (Int(cols), Int(rows))
    }

    /// Mouse events on or off (off: the terminal selects text as usual).
    public func mouse(_ on: Bool) { jt_mouse(on ? 1 : 0) }

    /// Waits up to `timeoutMs` for a key; nil on timeout.
    public func readKey(timeoutMs: Int32) -> Key? {
        wtimeout(jt_stdscr(), timeoutMs)
        var code: wint_t = 0
        let result = wget_wch(jt_stdscr(), &code)
        if result == KEY_CODE_YES {
            switch Int32(code) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_NPAGE: return .pageDown
            case KEY_PPAGE: return .pageUp
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_RESIZE: return .resize
            case jt_key_mouse():
                var x: Int32 = 0, y: Int32 = 0
                switch jt_read_mouse(&x, &y) {
                case 1: return .mouse(.wheelUp)
                case 2: return .mouse(.wheelDown)
                case 3: return .mouse(.click(x: Int(x), y: Int(y)))
                default: return nil
                }
            default: return nil
            }
        }
        guard result == OK else { return nil }
        switch code {
        case 27: return .escape
        case 13, 10: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// Copies a frame to the screen; ncurses sends only what changed.
    public func present(_ buffer: ScreenBuffer) {
        werase(jt_stdscr())
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                var wide = Array(cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }) + [0]
                _ = jt_put(Int32(y), Int32(x), &wide, attributes(cell.style), pair(cell.style))
            }
        }
        wnoutrefresh(jt_stdscr())
        doupdate()
    }

    public func shutdown() {
        guard !closed else { return }
        closed = true
        endwin()
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
    }

    private func attributes(_ style: Style) -> attr_t {
        var a = jt_a_normal()
        if style.bold { a |= jt_a_bold() }
        if style.dim { a |= jt_a_dim() }
        if style.reverse { a |= jt_a_reverse() }
        if style.underline { a |= jt_a_underline() }
        return a
    }

    /// Colour pairs are made as styles appear, up to what the terminal has.
    private func pair(_ style: Style) -> Int32 {
        guard colors > 0 else { return 0 }
        func number(_ c: TerminalColor) -> Int32 {
            if case .index(let i) = c { return Int32(colors >= 256 ? i : i % 8) }
            return -1
        }
        let key = PairKey(fg: number(style.foreground), bg: number(style.background))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let existing = pairs[key] { return existing }
        guard nextPair < maxPairs else { return 0 }
        let p = nextPair
        nextPair += 1
        init_extended_pair(p, key.fg, key.bg)
        pairs[key] = p
        return p
    }
}
