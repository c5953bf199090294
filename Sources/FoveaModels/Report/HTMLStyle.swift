extension HTMLReport {
    /// The page's style sheet: system fonts only, figures kept whole when printed.
    static let style = """
        :root { --ink: #1d2430; --muted: #5d6675; --line: #d5dae1; --blue: #1f5fa8; --orange: #c8620a; \
        --green: #2f8a3b; --red: #b3261e; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); \
        max-width: 1060px; margin: 0 auto; padding: 24px 28px 40px; line-height: 1.4; font-size: 14px; background: #fff; }
        h1 { font-size: 22px; margin: 0 0 6px; }
        h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 3px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 14px; margin: 14px 0 4px; }
        p { margin: 6px 0; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
        .convention, figcaption, .note { color: var(--muted); font-size: 12.5px; }
        figure { margin: 10px 0 14px; break-inside: avoid; page-break-inside: avoid; }
        figcaption { margin-top: 4px; max-width: 980px; }
        .figures { display: flex; flex-wrap: wrap; gap: 22px; align-items: flex-start; }
        .figures figure { margin: 0; }
        .figures figcaption { max-width: 480px; }
        svg { display: block; overflow: visible; }
        svg text { font-family: system-ui, "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 11px; fill: var(--ink); }
        svg .small { font-size: 9.5px; fill: var(--muted); }
        svg .label { font-size: 11px; font-weight: 600; }
        table { border-collapse: collapse; font-size: 12.5px; }
        th, td { padding: 2px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { background: #f2f4f7; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.summary td.name { max-width: 260px; }
        .role { color: var(--muted); font-size: 11.5px; }
        ul.legend { list-style: none; margin: 0 0 6px; padding: 0; color: var(--ink); }
        ul.legend li { margin: 2px 0; }
        .swatch { display: inline-block; width: 14px; height: 10px; border: 2px solid; margin-right: 6px; \
        vertical-align: -1px; }
        ul.flags { margin: 8px 0; padding-left: 20px; }
        ul.flags li[data-flag="misaligned"] { color: var(--red); font-weight: 600; }
        ul.flags li[data-flag="aligned"] { color: var(--green); }
        table.layers tr.stage td { border-top: 2px solid #9aa5b4; }
        table.layers tr.selected td { background: #eaf1fb; }
        tr.misaligned td { color: var(--red); }
        table.merges td.description { font-size: 11.5px; }
        pre { font-size: 11.5px; background: #f6f7f9; padding: 8px; overflow-x: auto; white-space: pre-wrap; }
        footer { margin-top: 28px; color: var(--muted); font-size: 11.5px; }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          h2 { break-after: avoid; page-break-after: avoid; }
          section#layers-section { break-before: page; page-break-before: always; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; page-break-inside: avoid; }
        }
        """
}
