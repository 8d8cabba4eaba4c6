/// A rectangle of the screen.
public struct Rect: Sendable, Equatable {
    public var x, y, width, height: Int
    static let zero = Rect(x: 0, y: 0, width: 0, height: 0)
}

/// Where each panel goes for a screen size. Computed in one place, so that paging in the reducer
/// and drawing in the renderer agree on the table's height.
public struct Layout: Sendable, Equatable {
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    static let sidePanelWidth = 42

    public let tooSmall: Bool
    public let header: Rect
    public let progress: Rect
    public let table: Rect
    public let side: Rect
    /// The accuracy panel under the table, on screens too narrow for a side panel.
    public let bottom: Rect
    public let footer: Rect

    /// Table rows that fit (inside the box, under the column header).
    public var tableRows: Int { max(0, table.height - 3) }

    public init(width: Int, height: Int, state: ViewState) {
        tooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        header = Rect(x: 0, y: 0, width: width, height: 1)
        footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        // Short terminals keep room for the table: two batch lines and a one-line panel under 24 rows.
        let short = height < 24
        let progressLines = state.online != nil ? 2 : min(max(state.batches.count, 1), height >= 40 ? 8 : short ? 2 : 4)
        progress = Rect(x: 0, y: 1, width: width, height: progressLines + 2)
        let bodyTop = progress.y + progress.height
        let bodyHeight = max(0, height - 1 - bodyTop)
        if width >= 110 {
            side = Rect(x: width - Self.sidePanelWidth, y: bodyTop, width: Self.sidePanelWidth, height: bodyHeight)
            table = Rect(x: 0, y: bodyTop, width: width - Self.sidePanelWidth, height: bodyHeight)
            bottom = .zero
        } else {
            let panel = short ? min(3, bodyHeight / 2) : min(7, bodyHeight / 2)
            side = .zero
            table = Rect(x: 0, y: bodyTop, width: width, height: bodyHeight - panel)
            bottom = Rect(x: 0, y: bodyTop + bodyHeight - panel, width: width, height: panel)
        }
    }
}
