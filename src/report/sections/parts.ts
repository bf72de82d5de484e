/**
 * Collects the figures and tables of the study report as sections are built, numbering them in
 * document order ('Figure 3', 'Table 2') and keeping each one under a file name for the
 * figures/ and tables/ folders.
 *
 * Inputs: a Vega-Lite spec or a finished SVG, its printed width and caption; or a ReportTable.
 * Output: the HTML to place in the section; `figures` and `tables` hold everything added.
 */

import { renderFigure } from '../html.js';
import { renderTable, type ReportTable } from '../table.js';
import { renderSvg, type VegaLiteSpec } from '../vega-render.js';
import { SpecificationError } from '../../core/errors.js';

export interface ReportFigure {
  /** File stem: figures/NAME.svg and figures/NAME.png. */
  name: string;
  svg: string;
  /** Printed width (journal column) for the PNG. */
  widthInches: number;
  caption: string;
}

export interface NamedTable {
  /** File stem: tables/NAME.csv. */
  name: string;
  table: ReportTable;
}

export interface SectionHtml {
  id: string;
  title: string;
  html: string;
}

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Renames every id of an SVG (and its url(#…) / href="#…" references) to PREFIX-1, PREFIX-2, …
 * in order of appearance. Vega numbers clip paths from a process-wide counter (clip1, clip46…),
 * so without this the same results.json gives different bytes depending on what was rendered
 * before, and figures inlined in one document could share an id.
 * @example scopeSvgIds('<clipPath id="clip7"/><g clip-path="url(#clip7)"/>', 'km') // '<clipPath id="km-1"/><g clip-path="url(#km-1)"/>'
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!map.has(m[1]!)) map.set(m[1]!, `${prefix}-${map.size + 1}`);
  if (map.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_all, pre: string, id: string) => `${pre}${map.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (map.has(id) ? `url(#${map.get(id)})` : all))
    .replace(/(href=")#([^"]+)"/g, (all, pre: string, id: string) => (map.has(id) ? `${pre}#${map.get(id)}"` : all));
}

export class ReportParts {
  readonly figures: ReportFigure[] = [];
  readonly tables: NamedTable[] = [];

  private checkName(name: string): void {
    if (!NAME.test(name)) throw new SpecificationError('figure/table names are lower-case letters, digits and -', { value: name });
    if (this.figures.some((f) => f.name === name) || this.tables.some((t) => t.name === name)) throw new SpecificationError('duplicate figure/table name', { value: name });
  }

  /** Renders (when given a spec) and registers a figure; returns its <figure> HTML. */
  async figure(name: string, content: VegaLiteSpec | string, widthInches: number, caption: string): Promise<string> {
    this.checkName(name);
    const svg = scopeSvgIds(typeof content === 'string' ? content : await renderSvg(content), `${name}-svg`);
    this.figures.push({ name, svg, widthInches, caption });
    return renderFigure({ id: `fig-${name}`, label: `Figure ${this.figures.length}`, svg, caption });
  }

  /** Registers a table (its caption gets 'Table N.'); returns its HTML. */
  table(name: string, table: ReportTable): string {
    this.checkName(name);
    const numbered = { ...table, id: table.id ?? `tab-${name}`, caption: `Table ${this.tables.length + 1}. ${table.caption ?? ''}`.trim() };
    this.tables.push({ name, table: numbered });
    return renderTable(numbered);
  }
}
