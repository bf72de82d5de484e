/**
 * HTML text with escaping by construction: the `html` tagged template escapes every interpolated
 * value unless it is already `Html` (built by `html` itself or by `raw` for trusted constants).
 *
 * Inputs:  template literals whose values are strings, numbers, Html, arrays of these, or
 *          null/undefined/false (rendered as nothing).
 * Outputs: Html — a wrapper around the finished text (`String(h)` or `h.text`).
 * Method:  the five characters that matter in text and quoted attributes (& < > " ') are
 *          replaced by entities; every attribute in our templates is double-quoted. Nothing a
 *          user typed can become markup, so there is no second escaping pass to forget.
 */

export class Html {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (constants in this folder only; never user input). */
export function raw(text: string): Html {
  return new Html(text);
}

/** `attr` when the condition holds, else nothing: html`<input${when(required, ' required')}>`. */
export function when(condition: boolean, text: string): Html {
  return new Html(condition ? text : '');
}

/** Joins pieces with a separator (both escaped as usual). */
export function join(items: HtmlValue[], separator: HtmlValue = ''): Html {
  return new Html(items.map(render).join(render(separator)));
}
