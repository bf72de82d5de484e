/**
 * Test support: a small strict XML 1.0 parser for the ODM round trip (no dependency). It accepts the
 * subset a well-formed document of ours uses (an XML declaration, elements, double- or single-quoted
 * attributes, text, the five predefined entities and numeric character references) and throws, naming
 * the offset, on anything not well-formed: mismatched or unclosed tags, a duplicate attribute, a bare
 * '<' or '&' in text or attributes, text or a second element outside the root.
 */
export interface XmlElement { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string }

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;]*);|&|</g, (m, body: string | undefined) => {
    if (m === '<') throw new SyntaxError(`"<" inside text or an attribute at offset ${at}`);
    if (body === undefined) throw new SyntaxError(`a bare "&" at offset ${at}`);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const e = ENTITIES[body];
    if (e === undefined) throw new SyntaxError(`unknown entity &${body}; at offset ${at}`);
    return e;
  });
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => { throw new SyntaxError(`${msg} at offset ${i}`); };
  const skipSpace = (): void => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length === 0) {
      if (chunk.trim() !== '') fail('text outside the root element');
    } else {
      stack[stack.length - 1]!.text += decode(chunk, i);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('</', i)) {
      i += 2;
      const m = NAME.exec(text.slice(i));
      if (m === null) fail('bad closing tag');
      const open = stack.pop();
      if (open === undefined || open.name !== m![0]) fail(`closing tag </${m![0]}> does not match <${open?.name ?? '(none)'}>`);
      i += m![0].length;
      skipSpace();
      if (text[i] !== '>') fail('closing tag not ended by ">"');
      i++;
      continue;
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    i++;
    const m = NAME.exec(text.slice(i));
    if (m === null) fail('bad element name');
    const el: XmlElement = { name: m![0], attributes: {}, children: [], text: '' };
    i += m![0].length;
    for (;;) {
      const before = i;
      skipSpace();
      if (text.startsWith('/>', i) || text[i] === '>') break;
      if (i === before) fail('attributes must be separated by white space');
      const a = NAME.exec(text.slice(i));
      if (a === null) fail('bad attribute name');
      i += a![0].length;
      skipSpace();
      if (text[i] !== '=') fail(`attribute ${a![0]} without "="`);
      i++;
      skipSpace();
      const q = text[i];
      if (q !== '"' && q !== "'") fail(`attribute ${a![0]} is not quoted`);
      const end = text.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (Object.hasOwn(el.attributes, a![0])) fail(`duplicate attribute ${a![0]}`);
      el.attributes[a![0]] = decode(text.slice(i + 1, end), i);
      i = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(el);
    else if (root !== undefined) fail('a second root element');
    else root = el;
    if (text.startsWith('/>', i)) i += 2;
    else { i++; stack.push(el); }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (root === undefined) fail('no root element');
  return root!;
}

/** Every descendant element named `name`, in document order. */
export function elements(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => { for (const c of e.children) { if (c.name === name) out.push(c); walk(c); } };
  walk(root);
  return out;
}
