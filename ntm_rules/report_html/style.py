"""The report's stylesheet: readable on a laptop and a phone, printed on A4."""

STYLE = """
:root { --met: #1a7f37; --not: #c0392b; --missing: #9a9a9a; --ink: #1b1b1b; --soft: #f4f6f8; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 1em 1.2em 3em; max-width: 1200px; font-size: 15px; line-height: 1.45; }
h1 { font-size: 1.6em; margin: .2em 0 .4em; }
h2 { font-size: 1.3em; margin: 1.6em 0 .5em; border-bottom: 2px solid #d0d7de;
  padding-bottom: .2em; }
h2 small { font-weight: normal; color: #57606a; font-size: .65em; }
h3 { font-size: 1.08em; margin: 1.4em 0 .4em; }
dl.facts { display: flex; flex-wrap: wrap; gap: .3em 1.6em; margin: 0; }
dl.facts div { display: flex; gap: .4em; }
dt { color: #57606a; } dd { margin: 0; font-weight: 600; }
dt::after { content: ":"; }
nav ol { margin: .2em 0; padding-left: 1.4em; }
.cards { display: flex; flex-wrap: wrap; gap: .6em; margin: .8em 0; }
.card { background: var(--soft); border-radius: 8px; padding: .5em .9em; min-width: 9em;
  flex: 1 1 9em;
  display: flex; flex-direction: column; border-left: 4px solid #0b4f9c; }
.card .number { font-size: 1.6em; font-weight: 700; }
.card .what { color: #444; font-size: .9em; }
.charts { display: grid; gap: 1em;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); }
figure.chart { margin: 0; padding: .7em .9em; border: 1px solid #d0d7de; border-radius: 8px;
  break-inside: avoid; background: #fff; }
figcaption { font-weight: 600; margin-bottom: .5em; }
svg { width: 100%; max-width: 640px; height: auto; display: block; font-size: 12.5px; }
svg text { fill: var(--ink); }
svg .label { font-size: 12.5px; } svg .value { font-weight: 700; }
svg .target { stroke: #111; stroke-width: 2; stroke-dasharray: 3 2; }
svg .legend { font-size: 12px; }
.bar { fill: #3b6ea8; } .bar.met { fill: var(--met); } .bar.not_met { fill: var(--not); }
.bar.missing { fill: var(--missing); } .bar.target_bar { fill: #3ea055; }
.band0 { fill: #0b4f9c; } .band1 { fill: #3b7dc4; } .band2 { fill: #7fb0e0; }
.band3 { fill: #b9d3ee; } .band4 { fill: #e1ecf8; stroke: #7fb0e0; }
.part0 { fill: #e6e6e6; stroke: #999; } .part1 { fill: #9fd4a8; } .part2 { fill: #3ea055; }
.part3 { fill: #1a5e2b; } .part4 { fill: #0c3617; }
svg text.inside { fill: #000; font-size: 11px; }
svg text.inside.part2, svg text.inside.part3, svg text.inside.part4 { fill: #fff; }
p.targets-head { font-weight: 600; margin: .6em 0 .2em; }
ul.targets { margin: 0; padding-left: 1.1em; list-style: none; }
ul.targets li { margin: .15em 0; } li.ok { color: var(--met); } li.short { color: var(--not); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .3em 0 1em; min-width: 50%; }
th, td { border-bottom: 1px solid #d8dee4; padding: .3em .55em; text-align: left;
  vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #8c959f; position: sticky; top: 0; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.group th { font-weight: 600; color: #57606a; padding-top: .7em; }
table.summary tbody th[scope="row"] { font-weight: normal; padding-left: 1.2em; }
table.units td:first-child { white-space: nowrap; }
tr.total th, tr.total td, table.summary tr.total th { font-weight: 700;
  border-top: 2px solid #8c959f; }
table.units { width: 100%; }
.status { font-weight: 600; white-space: nowrap; } .status.met { color: var(--met); }
.status.not_met { color: var(--not); } .status.missing { color: #7a5c00; }
.status.recognised { color: #0b6e99; }
details summary { cursor: pointer; color: #0b4f9c; }
details[open] summary { font-weight: 600; }
pre.explanation { white-space: pre-wrap; font-family: inherit; font-size: .88em;
  background: var(--soft);
  padding: .6em; border-radius: 6px; max-width: 70em; }
.note { color: #57606a; font-size: .9em; }
@media (max-width: 600px) {
  body { padding: .6em; font-size: 14px; }
  .charts { grid-template-columns: 1fr; }
  svg .label, svg .value, svg .legend { font-size: 14px; }
  svg text.inside { font-size: 13px; }
  table.units thead { display: none; }
  table.units tr { display: block; border-bottom: 1px solid #8c959f; padding: .4em 0; }
  table.units td { display: block; border: none; padding: .1em .2em; text-align: left; }
  table.units td[data-label]::before { content: attr(data-label) ": "; color: #57606a; }
}
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  nav, .note { display: none; }
  .charts { grid-template-columns: 1fr 1fr; }
  svg .label, svg .value, svg .legend { font-size: 14px; }
  figure.chart, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  section.ladder + section.ladder { break-before: page; }
  thead { display: table-header-group; }
  thead th { position: static; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details summary { color: inherit; }
}
"""
