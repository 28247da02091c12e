//! The report's one stylesheet, inlined in the page: system fonts only (nothing to fetch),
//! a single column that fits a phone (wide tables scroll sideways inside their box rather
//! than widening the page), charts scaled to the column by their `viewBox`, and a print
//! stylesheet that drops the contents list and keeps tables and charts whole on a page.

pub const CSS: &str = r#"
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5;
  --fact: #1f6f43; --fact-bg: #e3f3e9; --assumption: #8a4b00; --assumption-bg: #fcefdc;
  --none-bg: #eceef2; --accent: #2b5797; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
main, header.top, footer { max-width: 68rem; margin: 0 auto; padding: 0 1rem; }
header.top { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
a { color: var(--accent); }
.lede { font-size: 1.05rem; }
.muted, figcaption, caption { color: var(--muted); }
nav.toc { margin: 1rem 0; padding: .6rem 1rem; background: #f6f7f9; border-radius: 6px; }
nav.toc ol { margin: 0; padding-left: 1.2rem; }
nav.toc li { display: inline-block; margin-right: 1.2rem; }
.wide { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .6rem 0 1rem; }
table { border-collapse: collapse; font-size: .92rem; min-width: 100%; }
caption { text-align: left; font-size: .88rem; padding: 0 0 .3rem; caption-side: top; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--ink); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { font-weight: 600; }
tr.agreement th, tr.agreement td { background: #f2f5fb; font-weight: 600; }
.ci { color: var(--muted); font-size: .85em; }
.tag { display: inline-block; font-size: .72rem; font-weight: 700; letter-spacing: .03em;
  text-transform: uppercase; padding: .05rem .4rem; border-radius: 3px; margin-right: .35rem; vertical-align: .08em; }
.tag.fact { color: var(--fact); background: var(--fact-bg); }
.tag.assumption { color: var(--assumption); background: var(--assumption-bg); }
.tag.none { color: var(--muted); background: var(--none-bg); }
.tag.veto { color: #fff; background: var(--ink); }
.basis { font-size: .9rem; margin: .2rem 0 .6rem; }
.cite { white-space: nowrap; }
.party { border: 1px solid var(--line); border-radius: 8px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.party h3 { margin-top: .8rem; }
dl.settings { margin: .4rem 0; }
dl.settings dt { font-weight: 600; margin-top: .7rem; }
dl.settings dd { margin: .1rem 0 0; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; width: 100%; height: auto; max-width: 60rem; }
.chart-narrow { display: none; }
thead th:first-child { white-space: normal; }
/* Parameter paths are long single words: let them break so the numbers stay in view. */
table.corr tbody th { overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .88rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f7f9; padding: .6rem .8rem; border-radius: 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.sources li { margin: .3rem 0; overflow-wrap: anywhere; }
footer { margin: 3rem auto 2rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.4rem; }
  th, td { padding: .3rem .4rem; }
  dl.facts { grid-template-columns: 1fr; gap: 0 0; }
  dl.facts dd { margin-bottom: .5rem; }
  .party { padding: .1rem .7rem .5rem; }
  .chart-wide { display: none; }
  .chart-narrow { display: block; }
  .chart-narrow svg { max-width: 30rem; }
  /* An interval under its estimate keeps the columns narrow enough for a phone. */
  td.num .ci { display: block; }
  /* A party's weights: clause, weight and share on one line, the value function under them,
     rather than four columns scrolled sideways. */
  table.weights, table.weights tbody, table.weights caption { display: block; min-width: 0; }
  table.weights thead { display: none; }
  table.weights tr { display: grid; grid-template-columns: 1fr auto auto; column-gap: .8rem;
    border-bottom: 1px solid var(--line); padding: .3rem 0; }
  table.weights th, table.weights td { border: 0; padding: 0 .2rem; }
  table.weights td.vf { grid-column: 1 / -1; color: var(--muted); font-size: .88rem; }
}
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; }
  nav.toc { display: none; }
  main, header.top, footer { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .wide { overflow: visible; }
  table, figure, .party, dl.facts { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  .tag { border: 1px solid currentColor; }
  .chart-wide { display: block; }
  .chart-narrow { display: none; }
}
"#;
