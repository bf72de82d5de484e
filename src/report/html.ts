/**
 * The self-contained HTML report document.
 *
 * Inputs: title, flags (synthetic data, suppression on/off) and the sections, each an id, a
 * title and already-built HTML (tables from table.ts, figures from `renderFigure`).
 * Output: one HTML string with everything inline — CSS in <style>, figures as inline <svg> —
 * and nothing that loads: no <script>, no external stylesheet, font, image or link. (A
 * Content-Security-Policy <meta http-equiv> was left out on purpose: the document is meant to
 * contain no "http" string at all, which reviewers and the tests check with a plain search.) The file can be e-mailed, archived or opened offline and looks
 * the same everywhere; it prints with a warning header on every page when needed (styles.ts).
 * Text from data (titles, captions) is escaped; section HTML is trusted output of this module's
 * builders. Figures from Vega carry namespace URLs (xmlns="http://www.w3.org/2000/svg"), which
 * HTML5's parser does not need for inline SVG; they are removed so the document contains no
 * URL at all.
 * Reference: HTML Living Standard §4.8.16 (SVG in HTML).
 */

import { escapeHtml } from './escape.js';
import { REPORT_CSS, pageStampCss } from './styles.js';
import { SYNTHETIC_STAMP } from './figures/km-plot.js';
import { SOFTWARE_NAME, SOFTWARE_VERSION } from '../version.js';
import { SpecificationError } from '../core/errors.js';

export interface ReportSection {
  /** Anchor id: a letter followed by letters, digits, '-' or '_'. */
  id: string;
  title: string;
  /** Trusted HTML built by renderTable / renderFigure / paragraph(). */
  html: string;
}

export interface HtmlDocumentInput {
  title: string;
  subtitle?: string;
  /** Stamp 'SYNTHETIC DATA — not for clinical inference' on screen and on every printed page. */
  synthetic: boolean;
  /** false -> red banner 'Small-cell suppression is OFF' on screen and every printed page. */
  suppressed: boolean;
  sections: ReportSection[];
  /** Shown in the footer; omitted when absent so that builds are reproducible. */
  generatedAt?: string;
}

export const SUPPRESSION_OFF_BANNER = 'Small-cell suppression is OFF — counts below 10 are shown; do not distribute';

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Removes the XML prolog and namespace declarations (their URLs) from an SVG for inline use. */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/<!DOCTYPE[^>]*>\s*/gi, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\s+version="1\.1"/, '')
    .replace(/\sxlink:href=/g, ' href=');
}

export interface FigureInput {
  id: string;
  svg: string;
  /** Caption text (escaped). */
  caption: string;
  /** 'Figure 1' etc.; default none. */
  label?: string;
  /** Accessible description of the figure for screen readers (default: the caption). */
  alt?: string;
}

/**
 * On screen, figures are shown larger than print size: they are laid out in points (9 pt text,
 * 7 pt in single-column figures), which is small at 96 px per inch on a monitor. Both scales
 * bring figure text to about 13 px. CSS max-width keeps figures inside the column; the viewBox
 * scales them without re-layout.
 */
export const SCREEN_SCALE = 1.45;
export const SCREEN_SCALE_SINGLE_COLUMN = 1.85;

/** Screen width (px) for a figure laid out `width` points wide. */
export function screenWidth(width: number): number {
  return Math.round(width * (width < 5 * 72 ? SCREEN_SCALE_SINGLE_COLUMN : SCREEN_SCALE));
}

/** <figure> with an inline SVG and an escaped caption. */
export function renderFigure(fig: FigureInput): string {
  if (!ID.test(fig.id)) throw new SpecificationError('figure id must start with a letter and use letters, digits, - or _', { value: fig.id });
  const width = Number(/^<svg\b[^>]*?\swidth="([\d.]+)"/.exec(inlineSvg(fig.svg))?.[1] ?? NaN);
  const style = Number.isFinite(width) ? ` style="width: ${screenWidth(width)}px"` : '';
  const svg = inlineSvg(fig.svg).replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(fig.alt ?? fig.caption)}"${style}`);
  const label = fig.label ? `<span class="fig-label">${escapeHtml(fig.label)}.</span> ` : '';
  return `<figure class="report-figure" id="${fig.id}">${svg}<figcaption>${label}${escapeHtml(fig.caption)}</figcaption></figure>`;
}

/** A paragraph of escaped text. */
export function paragraph(text: string, className?: string): string {
  return `<p${className ? ` class="${escapeHtml(className)}"` : ''}>${escapeHtml(text)}</p>`;
}

/** Builds the complete document. */
export function buildHtmlDocument(input: HtmlDocumentInput): string {
  const seen = new Set<string>();
  input.sections.forEach((s, i) => {
    if (!ID.test(s.id)) throw new SpecificationError('section id must start with a letter and use letters, digits, - or _', { field: `sections[${i}].id`, value: s.id });
    if (seen.has(s.id)) throw new SpecificationError('duplicate section id', { field: `sections[${i}].id`, value: s.id });
    seen.add(s.id);
  });
  const stamps: string[] = [];
  const stampTexts: string[] = [];
  if (input.synthetic) {
    stamps.push(`<span class="stamp stamp-synthetic">${escapeHtml(SYNTHETIC_STAMP)}</span>`);
    stampTexts.push(SYNTHETIC_STAMP);
  }
  if (!input.suppressed) {
    stamps.push(`<span class="stamp stamp-suppression-off" role="alert">${escapeHtml(SUPPRESSION_OFF_BANNER)}</span>`);
    stampTexts.push('Small-cell suppression is OFF');
  }
  const toc = input.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
  const body = input.sections.map((s) => `<section class="report-section" id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.html}</section>`).join('\n');
  const footer = `Generated by ${SOFTWARE_NAME} ${SOFTWARE_VERSION}${input.generatedAt ? ` on ${escapeHtml(input.generatedAt)}` : ''}.`
    + (input.suppressed ? ' Counts from 1 to 9 are shown as &lt;10 (small-cell suppression).' : ' Small-cell suppression was turned off for this build.');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${SOFTWARE_NAME} ${SOFTWARE_VERSION}">
<title>${escapeHtml(input.title)}</title>
<style>${REPORT_CSS}${pageStampCss(stampTexts).replace(/<\//g, '<\\/')}</style>
</head>
<body${stamps.length > 0 ? ' class="has-stamp"' : ''}>
${stamps.length > 0 ? `<div class="page-stamp">${stamps.join('')}</div>` : ''}
<main>
<header><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p class="subtitle">${escapeHtml(input.subtitle)}</p>` : ''}</header>
<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${toc}</ol></nav>
${body}
<footer>${footer}</footer>
</main>
</body>
</html>
`;
}
