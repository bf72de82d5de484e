/* global process, console */
// Generates the built-in 2021 layout from NCDB's own documents (run after `npx tsc -p .`):
//   node scripts/build-default-layout.mjs <NCDB_PUF_2021_import.sas> <PUF_2021_QuickStart_Data_Structure.txt>
// writes src/ncdb/layout-2021.json (parseSasLayout's result) and src/ncdb/item-years-2021.json
// (diagnosis years per item, from the QuickStart layout table). Both outputs are committed, so
// oncosurv works without the script; the documents themselves are not kept in the project.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSasLayout } from '../dist/src/ncdb/sas-script.js';
import { layoutToJson } from '../dist/src/ncdb/layout.js';

const [sasPath, quickPath] = process.argv.slice(2);
if (!sasPath || !quickPath) {
  console.error('usage: node scripts/build-default-layout.mjs SCRIPT.sas QUICKSTART.txt');
  process.exit(2);
}
const layout = parseSasLayout(readFileSync(sasPath, 'utf8'), 'built-in 2021');
const json = layoutToJson(layout);
writeFileSync('src/ncdb/layout-2021.json', JSON.stringify(json, null, 1) + '\n');
console.log(`layout: ${layout.items.length} items, lrecl ${layout.recordLength}, ${layout.formats.size} formats, notes:`, layout.notes);

// QuickStart rows end with: ITEM_NAME  YEARS  LENGTH  START  END, where YEARS is "All",
// "2004-2017", "2018+" or "2018" (possibly with footnote marks).
const years = {};
const row = /\b([A-Z][A-Z0-9_]*_?[A-Z0-9_]*)\s+(All|\*\*\*|\d{4}\s*(?:-\s*\d{4}|\+)?)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/;
for (const line of readFileSync(quickPath, 'utf8').split(/\r?\n/)) {
  const m = row.exec(line);
  if (!m) continue;
  const [, name, yearsText, len, start, end] = m;
  const y = yearsText.replace(/\s+/g, '');
  let first = 2004;
  let last = 2021;
  if (y === '***') {
    // QuickStart footnote: "Availability differs by site and factor" (CS site-specific factors).
    years[name] = { years: 'differs by site and factor', first: null, last: null, length: Number(len), start: Number(start), end: Number(end) };
    continue;
  } else if (y !== 'All') {
    const r = /^(\d{4})(?:-(\d{4})|(\+))?$/.exec(y);
    first = Number(r[1]);
    last = r[2] ? Number(r[2]) : r[3] ? 2021 : first;
  }
  years[name] = { years: y, first, last, length: Number(len), start: Number(start), end: Number(end) };
}
const missing = layout.items.filter((i) => !(i.name in years)).map((i) => i.name);
const mismatched = layout.items.filter((i) => years[i.name] && (years[i.name].start !== i.start || years[i.name].end !== i.end)).map((i) => i.name);
writeFileSync('src/ncdb/item-years-2021.json', JSON.stringify({ puf: 2021, diagnosisYears: [2004, 2021], items: years }, null, 1) + '\n');
console.log(`item years: ${Object.keys(years).length} items; in layout but not in QuickStart: ${missing.join(' ') || 'none'}; columns differ: ${mismatched.join(' ') || 'none'}`);
