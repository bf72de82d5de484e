/**
 * `oncosurv dictionary`: PUF item labels, columns and code meanings, from the user's SAS import
 * script (--layout) or the built-in 2021 layout; diagnosis years from the 2021 QuickStart table.
 */
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson } from '../command.js';
import { InputError } from '../../core/errors.js';
import { loadLayout } from '../../ncdb/default-layout.js';
import { describeItem, type ItemDescription } from '../../ncdb/dictionary.js';
import { RANGE_HIGH, RANGE_LOW, type PufLayout } from '../../ncdb/layout.js';

const HELP = `oncosurv dictionary: PUF item labels and code meanings

Usage: oncosurv dictionary [ITEM] [options]

Without ITEM: every item with its columns and label. With ITEM: its label, columns, value format,
code meanings, the diagnosis years it exists (2021 PUF QuickStart), and numeric companions.

Options:
  --layout FILE   SAS import script of your PUF (default: built-in 2021 layout)
  --json          print JSON
  -h, --help      show this help

Examples:
  oncosurv dictionary RX_SUMM_IMMUNOTHERAPY
  oncosurv dictionary --layout NCDB_PUF_2022_import.sas --json
`;

const OPTIONS = {
  layout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const command: CliCommand = {
  name: 'dictionary',
  summary: 'PUF item labels and code meanings',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, true);
    const layout = await loadLayout((values.layout as string | undefined) ?? null);
    if (positionals.length > 1) throw new InputError(`dictionary: give at most one item (got ${positionals.join(' ')})`);
    const name = positionals[0];
    if (name === undefined) {
      if (values.json) printJson(itemListJson(layout));
      else process.stdout.write(itemListText(layout));
      return 0;
    }
    const d = describeItem(name, layout);
    if (d === null) {
      const near = layout.items.filter((i) => i.name.includes(name.toUpperCase())).map((i) => i.name).slice(0, 8);
      throw new InputError(`no item ${name} in the layout (${layout.source})${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`, { column: name });
    }
    if (values.json) printJson(d);
    else process.stdout.write(itemText(d));
    return 0;
  },
};

export function itemListJson(layout: PufLayout): unknown {
  return { source: layout.source, recordLength: layout.recordLength, items: layout.items.map((i) => ({ name: i.name, start: i.start, end: i.end, label: i.label, format: i.format })) };
}

export function itemListText(layout: PufLayout): string {
  const w = Math.max(...layout.items.map((i) => i.name.length));
  const lines = layout.items.map((i) => `${i.name.padEnd(w)}  ${`${i.start}-${i.end}`.padStart(9)}  ${i.label ?? ''}`);
  return `${layout.items.length} items, record length ${layout.recordLength} (${layout.source})\n\n${lines.join('\n')}\n`;
}

const bound = (b: string): string => (b === RANGE_LOW ? 'low' : b === RANGE_HIGH ? 'high' : b);

export function itemText(d: ItemDescription): string {
  const out: string[] = [];
  out.push(`${d.name}: ${d.label ?? '(no label)'}`);
  out.push(`  columns ${d.start}-${d.end} (width ${d.width})`);
  if (d.years !== null) out.push(`  diagnosis years (2021 PUF): ${d.years.years}`);
  if (d.format !== null) {
    out.push(`  format ${d.format}${d.sharedWith.length > 0 ? ` (also used by ${d.sharedWith.join(', ')})` : ''}:`);
    const w = Math.max(7, ...d.codes.map((c) => c.code.length), ...d.ranges.map((r) => bound(r.low).length + bound(r.high).length + 1));
    for (const c of d.codes) out.push(`    ${c.code.padEnd(w)}  ${c.label}`);
    for (const r of d.ranges) out.push(`    ${`${bound(r.low)}-${bound(r.high)}`.padEnd(w)}  ${r.label}`);
    if (d.other !== null) out.push(`    ${'other'.padEnd(w)}  ${d.other}`);
    out.push(`    ${'(blank)'.padEnd(w)}  not available`);
  } else {
    out.push('  no value labels in the import script');
  }
  if (d.numeric !== null) {
    const sp = d.numeric.special.map((s) => `${s.code} = ${s.meaning}${s.value !== null ? ` (kept as ${s.value})` : ''}`);
    if (d.numeric.xCodes) sp.push('X-prefixed lab codes (XXX.1 at or above limit, .7/.8/.9 not a number)');
    out.push(`  numeric (${d.numeric.unit}): ingest adds ${d.name}_num and ${d.name}_flag${sp.length > 0 ? `; special codes: ${sp.join('; ')}` : ''}`);
  }
  return out.join('\n') + '\n';
}
