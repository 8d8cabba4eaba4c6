/// The report page's only style sheet, inline: light and dark schemes, and print.
enum HTMLStyle {
    static let css = """
    :root { --fg: #1d2330; --muted: #5b6475; --bg: #ffffff; --panel: #f3f5f9; --line: #d5dae3; --accent: #2f6fd0;
            --ok: #2e8b57; --warn: #b7791f; --bad: #c0392b; --cell: #2f6fd0; }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #e4e8ef; --muted: #9aa4b5; --bg: #14171d; --panel: #1d222b; --line: #343b48; --accent: #6ea8ff;
              --ok: #5cc98b; --warn: #e0b050; --bad: #ff7b6b; --cell: #6ea8ff; }
    }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1000px; padding: 24px; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
    h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.2em; margin: 32px 0 8px; border-bottom: 1px solid var(--line); }
    p.lede, .muted, figcaption { color: var(--muted); }
    .simulated { border: 2px solid var(--warn); background: var(--panel); padding: 8px 12px; font-weight: 600; }
    table { border-collapse: collapse; width: 100%; margin: 8px 0; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: var(--panel); font-weight: 600; }
    td.num { text-align: right; white-space: nowrap; }
    figure { margin: 12px 0; } svg.chart { width: 100%; height: auto; display: block; }
    svg .label, svg .figure, svg .column, svg .count { fill: var(--fg); font-size: 12px; }
    svg .tick, svg .note, svg .axis-title, svg .reference-label { fill: var(--muted); font-size: 11px; }
    svg .grid { stroke: var(--line); stroke-width: 1; }
    svg .interval, svg .whisker { stroke: var(--fg); stroke-width: 2; }
    svg .point { fill: var(--accent); }
    svg .truth { fill: var(--ok); } svg text.truth { font-weight: 600; }
    svg .bar { fill: var(--accent); fill-opacity: 0.55; }
    svg .reference { stroke: var(--warn); stroke-width: 2; stroke-dasharray: 5 3; }
    svg .cell { fill: var(--cell); } svg .count.strong { fill: #ffffff; font-weight: 600; }
    .verdict-correct { color: var(--ok); } .verdict-incorrect { color: var(--bad); }
    footer { margin-top: 40px; color: var(--muted); font-size: 0.9em; }
    @media print {
      :root { --fg: #000; --muted: #444; --bg: #fff; --panel: #eee; --line: #bbb; }
      body { max-width: none; padding: 0; font-size: 11pt; }
      section, figure, tr { break-inside: avoid; }
    }
    """
}
