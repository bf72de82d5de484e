/**
 * Escaping of text placed into HTML or SVG markup. Every string that reaches the report from
 * data (variable names, labels, captions) goes through here, so a label such as
 * `<10 & "Stage IV"` shows literally and can never inject markup.
 */

/** Escapes &, <, >, " and ' for element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Same rule for SVG/XML text. */
export const escapeXml = escapeHtml;
