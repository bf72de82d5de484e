/**
 * The report's stylesheet, inlined into the document (no external CSS, fonts or images).
 *
 * Screen: a readable single column, figures scaled to the column. Print (@media print): A4/Letter
 * pages, figures and tables never split across pages (break-inside: avoid), section titles kept
 * with what follows, the table of contents on its own, and the warning header (synthetic data,
 * suppression off) repeated at the top of every printed page in the page's top margin box
 * (CSS Paged Media @top-center, supported by Chromium since version 131). A position: fixed
 * element was tried first: Chromium repeats it, but inside the page area, where it covers the
 * first lines of every page. Browsers without margin boxes still print the stamp that every
 * synthetic figure carries under its title.
 * Fonts: SVG text asks for 'sans-serif'; the rule below maps it to Arial-metric faces, the
 * metrics the figure layout was computed with (text-metrics.ts), falling back to the system's.
 */

export const REPORT_CSS = `
:root { --ink: #111; --muted: #555; --rule: #ccc; --warn: #B00020; --warn-bg: #fde8ec; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; font-family: Arial, "Liberation Sans", Helvetica, sans-serif; line-height: 1.45; }
main { max-width: 820px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.4rem; }
p { margin: 0.4rem 0 0.8rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.page-stamp { position: sticky; top: 0; z-index: 10; }
.stamp { display: block; text-align: center; font-weight: bold; padding: 0.35rem 0.5rem; letter-spacing: 0.02em; }
.stamp-synthetic { background: var(--warn-bg); color: var(--warn); border-bottom: 1px solid var(--warn); }
.stamp-suppression-off { background: var(--warn); color: #fff; }
nav.toc { border: 1px solid var(--rule); padding: 0.6rem 1rem; margin: 1rem 0 1.5rem; background: #fafafa; }
nav.toc h2 { border: 0; margin: 0 0 0.3rem; font-size: 1rem; }
nav.toc ol { margin: 0; padding-left: 1.4rem; }
nav.toc a { color: #0050a0; text-decoration: none; }
figure.report-figure { margin: 1rem 0 1.5rem; }
figure.report-figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure.report-figure svg text { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.4rem; }
figcaption .fig-label, caption .tab-label { font-weight: bold; color: var(--ink); }
table.report-table { border-collapse: collapse; margin: 1rem 0 1.5rem; font-size: 0.9rem; width: auto; min-width: 50%; }
table.report-table caption { caption-side: top; text-align: left; font-size: 0.9rem; padding-bottom: 0.35rem; }
table.report-table th, table.report-table td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
table.report-table thead th { border-top: 2px solid var(--ink); border-bottom: 1px solid var(--ink); font-weight: bold; }
table.report-table tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
table.report-table td.footnote { border: 0; color: var(--muted); font-size: 0.8rem; padding-top: 0.4rem; }
.align-right { text-align: right; font-variant-numeric: tabular-nums; }
td.align-right { white-space: nowrap; }
/* Table 1 has seven numeric columns: smaller type keeps it inside the text column. */
table.report-table#tab-table1 { font-size: 0.78rem; }
table.report-table#tab-table1 td:first-child { min-width: 11rem; }
.align-center { text-align: center; }
.align-left { text-align: left; }
.empty { color: #999; }
.note { border-left: 3px solid var(--rule); padding: 0.2rem 0.75rem; color: var(--muted); }
dl.title-block { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0 1rem; }
dl.title-block dt { font-weight: bold; }
dl.title-block dd { margin: 0; overflow-wrap: anywhere; }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; font-size: 0.85rem; }
ol.key-results li { margin-bottom: 0.35rem; }
.not-estimable { border-left: 3px solid var(--warn); padding: 0.2rem 0.75rem; color: var(--ink); background: #fff6f7; }
blockquote.ncdb-ack { margin: 0.5rem 0 1rem; padding: 0.2rem 1rem; border-left: 3px solid var(--rule); font-style: italic; }
footer { margin-top: 3rem; font-size: 0.8rem; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 0.5rem; }

@page { size: auto; margin: 20mm 14mm 16mm; }
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  /* Printed pages carry the stamp in the page margin (pageStampCss), not in the flow. */
  .page-stamp { display: none; }
  nav.toc { break-after: page; background: none; }
  nav.toc a { color: var(--ink); }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure.report-figure, table.report-table, .keep-together { break-inside: avoid; page-break-inside: avoid; }
  /* A figure taller than a page (the cohort flow diagram, a Love plot with many covariates)
     would be split or pushed to its own page after an orphaned heading: scale it to fit a page
     (Letter/A4 printable height is about 24 cm; 21.5 cm leaves room for the caption). */
  figure.report-figure svg { width: auto !important; max-width: 100%; max-height: 21.5cm; }
  table.report-table thead { display: table-header-group; }
  section.report-section { break-before: auto; }
  a { color: inherit; text-decoration: none; }
}
`;

/** CSS string literal: quotes and backslashes escaped, line breaks removed. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

/**
 * @page rule printing `stamps` (joined) at the top centre of every page, bold and red.
 * Empty string when there is nothing to stamp.
 */
export function pageStampCss(stamps: readonly string[]): string {
  if (stamps.length === 0) return '';
  return `
@page {
  @top-center {
    content: ${cssString(stamps.join('  ·  '))};
    color: #B00020; font-weight: bold; font-size: 9pt;
    font-family: Arial, "Liberation Sans", Helvetica, sans-serif;
    border-bottom: 0.3mm solid #B00020; vertical-align: bottom; padding-bottom: 1.5mm;
  }
}
`;
}
