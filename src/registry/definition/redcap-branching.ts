/**
 * REDCap branching logic ("Show field only if...") read into a `show_if` condition.
 *
 * Inputs:  the logic text of one data-dictionary row, and the fields of its form by REDCap variable
 *          name (id and type), so that values are read as the field's codes.
 * Outputs: the ShowIf condition, or a SpecificationError naming the file, row, column and text for
 *          anything outside the subset below (never a silently dropped or loosened condition).
 * Method:  a recursive-descent parser over REDCap's syntax (REDCap Help & FAQ, "Branching Logic"):
 *            expr   := term ( "or" term )*
 *            term   := factor ( "and" factor )*
 *            factor := "(" expr ")" | [var] "=" value | [var(code)] "=" "1" | [var] ("<>" | "!=") ""
 *          with values quoted ('...' or "...") or bare numbers, and/or case-insensitive. For a yes/no
 *          field REDCap stores 1 / 0, read as the codes yes / no; a checkbox option [var(code)] = '1'
 *          means the option is ticked; [var] <> '' means "has a value". An `or` of equalities on one
 *          field becomes `in`. Not supported (refused): other comparisons (<, >, <=, >=, = ''), field
 *          references to other forms or events ([event][var]), functions, smart variables, and
 *          [var(code)] = '0'.
 */
import { SpecificationError } from '../../core/errors.js';
import type { FieldDefinition, ShowIf } from './schema.js';

export interface BranchingField { id: string; type: FieldDefinition['type'] }

type Token = { kind: 'ref'; name: string; option?: string } | { kind: 'op'; text: string } | { kind: 'value'; text: string } | { kind: 'word'; text: string } | { kind: 'paren'; text: '(' | ')' };

export const BRANCHING_COLUMN = 'Branching Logic (Show field only if...)';

export function parseRedcapBranching(logic: string, fields: ReadonlyMap<string, BranchingField>, where: { file: string; row: number }): ShowIf {
  const fail = (why: string): never => {
    throw new SpecificationError(`branching logic ${why}`, { ...where, column: BRANCHING_COLUMN, value: logic });
  };
  const tokens = tokenize(logic, fail);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;

  const comparison = (): ShowIf => {
    const ref = tokens[pos++];
    if (ref === undefined || ref.kind !== 'ref') return fail('expects a [field] here');
    const op = tokens[pos++];
    const value = tokens[pos++];
    if (op === undefined || op.kind !== 'op' || value === undefined || value.kind !== 'value') return fail(`has an incomplete comparison on [${ref.name}]`);
    const field = fields.get(ref.name);
    if (field === undefined) return fail(`refers to [${ref.name}], which is not a field of this form`);
    if (op.text === '<>' || op.text === '!=') {
      if (value.text !== '' || ref.option !== undefined) return fail(`uses ${op.text} with a value other than '' (only "[field] <> ''" is supported)`);
      return { field: field.id, filled: true };
    }
    if (op.text !== '=') return fail(`uses the comparison ${op.text} (only =, and <> '' are supported)`);
    if (ref.option !== undefined) {
      if (field.type !== 'multichoice') return fail(`uses [${ref.name}(${ref.option})] but ${ref.name} is not a checkbox field`);
      if (value.text !== '1') return fail(`tests [${ref.name}(${ref.option})] = '${value.text}' (only = '1', "ticked", is supported)`);
      return { field: field.id, equals: ref.option };
    }
    if (value.text === '') return fail(`tests [${ref.name}] = '' (an empty value is not a condition oncosurv supports)`);
    if (field.type === 'yesno') {
      if (value.text !== '1' && value.text !== '0') return fail(`tests the yes/no field [${ref.name}] against '${value.text}' (REDCap stores 1 or 0)`);
      return { field: field.id, equals: value.text === '1' ? 'yes' : 'no' };
    }
    return { field: field.id, equals: value.text };
  };
  const factor = (): ShowIf => {
    const t = peek();
    if (t?.kind === 'paren' && t.text === '(') {
      pos++;
      const inner = expr();
      const close = tokens[pos++];
      if (close?.kind !== 'paren' || close.text !== ')') return fail('has an unclosed parenthesis');
      return inner;
    }
    return comparison();
  };
  const term = (): ShowIf => {
    const parts = [factor()];
    while (isWord(peek(), 'and')) { pos++; parts.push(factor()); }
    return parts.length === 1 ? parts[0]! : { all: parts };
  };
  const expr = (): ShowIf => {
    const parts = [term()];
    while (isWord(peek(), 'or')) { pos++; parts.push(term()); }
    if (parts.length === 1) return parts[0]!;
    const sameField = parts.every((p): p is { field: string; equals: string } => 'equals' in p && p.field === (parts[0] as { field?: string }).field);
    return sameField ? { field: (parts[0] as { field: string }).field, in: parts.map((p) => (p as { equals: string }).equals) } : { any: parts };
  };
  if (tokens.length === 0) return fail('is empty');
  const result = expr();
  if (pos !== tokens.length) fail(`has unexpected text after position ${pos} of its tokens`);
  return result;
}

function tokenize(text: string, fail: (why: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) fail('has an unclosed [');
      const inside = text.slice(i + 1, end);
      if (text[end + 1] === '[') fail(`refers to [${inside}][...]: fields of other events or forms are not supported`);
      const m = /^([a-z][a-z0-9_]*)(?:\(([^()]+)\))?$/.exec(inside);
      if (m === null) fail(`has [${inside}], which is not a field name (smart variables and functions are not supported)`);
      tokens.push(m![2] === undefined ? { kind: 'ref', name: m![1]! } : { kind: 'ref', name: m![1]!, option: m![2]! });
      i = end + 1;
    } else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) fail('has an unclosed quote');
      tokens.push({ kind: 'value', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: 'paren', text: ch });
      i++;
    } else if (text.startsWith('<>', i) || text.startsWith('!=', i) || text.startsWith('<=', i) || text.startsWith('>=', i)) {
      tokens.push({ kind: 'op', text: text.slice(i, i + 2) });
      i += 2;
    } else if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch });
      i++;
    } else {
      const m = /^(-?\d+(?:\.\d+)?|[A-Za-z_]+)/.exec(text.slice(i));
      if (m === null) fail(`has an unexpected character "${ch}"`);
      const word = m![1]!;
      tokens.push(/^-?\d/.test(word) ? { kind: 'value', text: word } : { kind: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}
