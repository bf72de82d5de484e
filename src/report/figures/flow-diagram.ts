/**
 * Cohort flow diagram (STROBE/CONSORT style) drawn as plain SVG.
 *
 * Inputs: `FlowDiagramInput` — the selection steps in order, each { description, remaining,
 * excluded }, and the analysis groups { name, n } the final cohort splits into.
 * Output: an SVG document string (no Vega: boxes and arrows are laid out here, which renders
 * identically in browsers and resvg).
 * Layout: a main column of boxes holding the patients remaining after each step, an arrow down
 * between consecutive boxes with a branch to the right into an exclusion box ("Excluded: …,
 * n = …"), and at the bottom one box per group joined to the last box by an elbow connector.
 * The first step's box is the source population; its `excluded` is shown only when non-zero.
 * Counts are suppressed (<10) unless `suppress` is false; count texts carry class="count" so
 * `findSmallCells` can audit them.
 * Reference: von Elm E et al. STROBE statement. Lancet 2007;370:1453-7; CONSORT 2010 flow
 * diagram (Schulz KF et al. BMJ 2010;340:c332).
 */

import { formatCount } from '../suppress.js';
import { escapeXml } from '../escape.js';
import { FONT, FONT_SIZE, figureWidthPx, textWidth } from './theme.js';
import { SpecificationError } from '../../core/errors.js';
import { WARNING_RED } from '../palette.js';
import { SYNTHETIC_STAMP } from './km-plot.js';

export interface FlowStep {
  /** What the step selects, e.g. 'Diagnosed 2015-2020 with stage III-IV NSCLC'. */
  description: string;
  remaining: number | string;
  /** Patients removed by this step (0 for the source population). */
  excluded: number | string;
  /** Why they were removed, for the exclusion box (default 'Excluded'). */
  exclusionReason?: string;
}

export interface FlowDiagramInput {
  title?: string;
  steps: FlowStep[];
  groups: { name: string; n: number | string }[];
  suppress?: boolean;
  synthetic?: boolean;
  widthInches?: number;
  /**
   * Long selections (10+ steps): a wider main column, and each exclusion box centred on its
   * branch beside the boxes instead of in a band of its own, so the diagram stays short enough
   * to print on one page at a readable size.
   */
  compact?: boolean;
}

/** Greedy word wrap to lines no wider than `maxWidth` px. */
export function wrapText(text: string, maxWidth: number, fontSize = FONT_SIZE): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(next, fontSize) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

const LINE_H = FONT_SIZE + 3;
const PAD = 5;

interface Box { x: number; y: number; w: number; h: number; lines: { text: string; count: boolean; bold: boolean }[] }

function boxSvg(b: Box, cls: string): string {
  const parts = [`<g class="${cls}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="white" stroke="#000" stroke-width="0.8"/>`];
  b.lines.forEach((l, i) => {
    const y = b.y + PAD + LINE_H * (i + 1) - 3;
    const attrs = `x="${b.x + b.w / 2}" y="${y.toFixed(1)}" text-anchor="middle" font-family="${FONT}" font-size="${FONT_SIZE}"${l.bold ? ' font-weight="bold"' : ''}${l.count ? ' class="count"' : ''}`;
    parts.push(`<text ${attrs}>${escapeXml(l.text)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

function countText(n: number | string, suppress: boolean): string {
  const shown = formatCount(n, 10, suppress);
  return shown.startsWith('<') ? `n < ${shown.slice(1)}` : `n = ${shown}`;
}

function arrow(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#000" stroke-width="0.8" marker-end="url(#flow-arrow)"/>`;
}

/** Builds the flow diagram SVG. */
export function flowDiagramSvg(input: FlowDiagramInput): string {
  if (input.steps.length === 0) throw new SpecificationError('flow diagram needs at least one step', { field: 'steps' });
  const suppress = input.suppress ?? true;
  const W = figureWidthPx(input.widthInches ?? 7);
  const margin = 6;
  const compact = input.compact === true;
  const mainW = Math.round(W * (compact ? 0.6 : 0.5));
  const sideW = Math.round(W * (compact ? 0.32 : 0.36));
  const mainX = margin;
  const sideX = W - margin - sideW;
  const gap = 16; // vertical room for an arrow with its branch
  const parts: string[] = [];
  const connectors: string[] = [];
  let y = margin;
  if (input.title) {
    parts.push(`<text x="${margin}" y="${y + 11}" font-family="${FONT}" font-size="11" font-weight="bold">${escapeXml(input.title)}</text>`);
    y += 16;
  }
  if (input.synthetic) {
    parts.push(`<text x="${margin}" y="${y + 9}" font-family="${FONT}" font-size="${FONT_SIZE}" font-weight="bold" fill="${WARNING_RED}">${escapeXml(SYNTHETIC_STAMP)}</text>`);
    y += 14;
  }
  y += 4;

  let prev: Box | null = null;
  input.steps.forEach((step) => {
    const excluded = typeof step.excluded === 'number' ? step.excluded > 0 : step.excluded !== '' && step.excluded !== '0';
    if (prev !== null) {
      let exclBox: Box | null = null;
      if (excluded) {
        const reason = wrapText(step.exclusionReason ?? 'Excluded', sideW - 2 * PAD).map((text) => ({ text, count: false, bold: false }));
        const lines = [...reason, { text: countText(step.excluded, suppress), count: true, bold: false }];
        exclBox = { x: sideX, y: y + gap / 2, w: sideW, h: 2 * PAD + LINE_H * lines.length, lines };
      }
      // Compact: the exclusion box may reach beside the boxes above and below its arrow.
      const segH = compact ? 1.5 * gap : exclBox ? exclBox.h + gap : 2 * gap;
      if (compact && exclBox) exclBox.y = y + segH / 2 - exclBox.h / 2;
      const midX = mainX + mainW / 2;
      connectors.push(arrow(midX, prev.y + prev.h, midX, y + segH - 1));
      if (exclBox) {
        const branchY = exclBox.y + exclBox.h / 2;
        connectors.push(arrow(midX, branchY, sideX - 1, branchY));
        parts.push(boxSvg(exclBox, 'flow-excluded'));
      }
      y += segH;
    }
    const desc = wrapText(step.description, mainW - 2 * PAD).map((text) => ({ text, count: false, bold: false }));
    const lines = [...desc, { text: countText(step.remaining, suppress), count: true, bold: true }];
    const box: Box = { x: mainX, y, w: mainW, h: 2 * PAD + LINE_H * lines.length, lines };
    parts.push(boxSvg(box, 'flow-step'));
    y += box.h;
    prev = box;
  });

  if (input.groups.length > 0 && prev !== null) {
    const last: Box = prev;
    const k = input.groups.length;
    const colGap = 10;
    const gw = Math.min(mainW, (W - 2 * margin - colGap * (k - 1)) / k);
    const rowW = k * gw + (k - 1) * colGap;
    const startX = Math.max(margin, mainX + mainW / 2 - rowW / 2);
    const wrapped = input.groups.map((g) => [...wrapText(g.name, gw - 2 * PAD).map((text) => ({ text, count: false, bold: true })), { text: countText(g.n, suppress), count: true, bold: false }]);
    const gh = 2 * PAD + LINE_H * Math.max(...wrapped.map((l) => l.length));
    const busY = y + gap;
    const midX = last.x + last.w / 2;
    connectors.push(`<line x1="${midX}" y1="${y}" x2="${midX}" y2="${busY}" stroke="#000" stroke-width="0.8"/>`);
    const centres = wrapped.map((_, j) => startX + j * (gw + colGap) + gw / 2);
    if (k > 1) connectors.push(`<line x1="${centres[0]}" y1="${busY}" x2="${centres[k - 1]}" y2="${busY}" stroke="#000" stroke-width="0.8"/>`);
    const gy = busY + gap;
    wrapped.forEach((lines, j) => {
      connectors.push(arrow(centres[j], busY, centres[j], gy - 1));
      parts.push(boxSvg({ x: centres[j] - gw / 2, y: gy, w: gw, h: gh, lines }, 'flow-group'));
    });
    y = gy + gh;
  }
  const H = Math.ceil(y + margin);
  const defs = '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#000"/></marker></defs>';
  return `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="flow-diagram" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="${W}" height="${H}" fill="white"/>${defs}${parts.join('')}${connectors.join('')}</svg>`;
}
