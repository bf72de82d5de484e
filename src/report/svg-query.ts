/**
 * Minimal queries over the SVG text that Vega and flow-diagram.ts emit, for structural tests
 * and final checks without a DOM: find the mark groups by the class Vega derives from a mark's
 * name (`<name>_marks`), and read their items. Works on Vega's output shape (mark items are
 * direct children of their group); not a general SVG parser.
 */

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Inner markup of every `<g>` whose class list contains `className`. */
export function markGroups(svg: string, className: string): string[] {
  const out: string[] = [];
  const open = new RegExp(`<g\\b[^>]*class="[^"]*\\b${className.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b[^"]*"[^>]*>`, 'g');
  for (let m = open.exec(svg); m !== null; m = open.exec(svg)) {
    // Walk to the matching </g>, counting nested groups.
    let depth = 1;
    const tag = /<g\b[^>]*?(\/?)>|<\/g>/g;
    tag.lastIndex = m.index + m[0].length;
    let end = svg.length;
    for (let t = tag.exec(svg); t !== null; t = tag.exec(svg)) {
      if (t[0] === '</g>') depth--;
      else if (t[1] !== '/') depth++;
      if (depth === 0) { end = t.index; break; }
    }
    out.push(svg.slice(m.index + m[0].length, end));
  }
  return out;
}

/** Texts of the <text> elements in the groups of `className`, in document order. */
export function markTexts(svg: string, className: string): string[] {
  const out: string[] = [];
  for (const g of markGroups(svg, className)) {
    const re = /<text\b[^>]*>([\s\S]*?)<\/text>/g;
    for (let m = re.exec(g); m !== null; m = re.exec(g)) out.push(decode(m[1].replace(/<[^>]*>/g, '')).trim());
  }
  return out;
}

/** Number of `<tag ` items (path, text, rect …) in the groups of `className`. */
export function markItemCount(svg: string, className: string, tag: string): number {
  let n = 0;
  for (const g of markGroups(svg, className)) n += (g.match(new RegExp(`<${tag}\\b(?![^>]*class="(background|foreground)")`, 'g')) ?? []).length;
  return n;
}

/** Accessible labels Vega writes on axes, legends and titles. */
export function ariaLabels(svg: string): string[] {
  return [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => decode(m[1]));
}
