/**
 * Section 1 of the study report: the title block — protocol, data file (name, SHA-256,
 * layout), software, run date and seed — as a definition list (not a table: none of these
 * values is a patient count, and the small-cell audit scans table cells).
 */

import { escapeHtml } from '../escape.js';
import type { ReportContext } from '../report-context.js';

export function titleBlockHtml(ctx: ReportContext): string {
  const r = ctx.results;
  const items: [string, string][] = [
    ['Protocol', `${r.protocol.title} (${r.protocol.name})`],
    ['Data file', `${r.input.file} (${Number(r.input.rows).toLocaleString('en-US')} records)`],
    ['SHA-256', r.input.sha256],
    ['Layout', r.input.layout],
    ['Software', `${r.software.name} ${r.software.version}`],
    ['Analysis date', String(r.created ?? '').slice(0, 10)],
    ['Random seed', String(r.seed)],
  ];
  const dl = items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd${k === 'SHA-256' ? ' class="mono"' : ''}>${escapeHtml(v)}</dd>`).join('');
  return `<dl class="title-block">${dl}</dl>`;
}
