/**
 * Parser for NCDB's SAS import script: the only description of the PUF layout that users get.
 *
 * Input:  the script text (any line endings, tabs, odd spacing) and its file name for errors.
 * Output: a PufLayout: record length, items with 1-based inclusive columns, labels, and the value
 *         formats linked to their items.
 * Method: the text is cut into SAS statements (ending at `;` outside quotes; `*...;`, `COMMENT ...;`
 *         and block comments are comment statements), then read as a tiny subset of SAS:
 *   - the first DATA step holding an INPUT statement is the import step. Its `INFILE ... lrecl=N`
 *     gives the record length; INPUT gives the items (`NAME $ start-end`, `NAME $ start`,
 *     `@start NAME $w.`); LABEL gives `NAME = 'text'`; FORMAT gives `A B $fx.` links.
 *   - PROC FORMAT `VALUE $name 'code' = 'label' ...;` with ranges (`'001'-'089'`), lists
 *     (`'1','2'`), unquoted codes, `low`/`high`, and `other`.
 *   - NCDB links a format to items only in the COMMENT before the VALUE statement
 *     (`COMMENT PUF Data Item Name: A B;`, spelled several ways in the real script: "Item Names",
 *     "data item:", "VALUES FOR", commas, no colon). So a comment that mentions "item" or
 *     "values for" links every word in it that is the name of an INPUT item; other comments
 *     ("applicable to 2018 ...") link nothing. `*` comments never link: the real script names
 *     the CS_* items in a star banner that is not followed by their format.
 *   - Of several PROC FORMAT blocks (researchers append their own), the first whose formats link
 *     to items is used; the others, other DATA steps and other PROCs are listed in layout.notes.
 * Decisions: a script without lrecl gets the record length of its last column, with a note (SAS
 *   itself reads such a file with its default lrecl; the ingest still checks each line's length).
 *   Overlapping or out-of-order columns, duplicate names, no INPUT, and a column past lrecl are
 *   errors: a layout with any of them would silently misread every record.
 * Reference: NCDB PUF 2021 import script (NCDB_PUF_2021_import.sas); SAS 9.4 statements
 *   reference for INPUT column/formatted input, LABEL, and PROC FORMAT VALUE.
 */
import { readFile } from 'node:fs/promises';
import { SpecificationError } from '../core/errors.js';
import { RANGE_HIGH, RANGE_LOW, type PufFormat, type PufItem, type PufLayout } from './layout.js';

interface Token {
  kind: 'str' | 'word' | 'punct';
  text: string;
  line: number;
}

interface Statement {
  /** First word upper-cased, or '*' / 'COMMENT' for comment statements. */
  keyword: string;
  tokens: Token[];
  line: number;
  /** Comment text, for comment statements. */
  comment: string;
}

const PUNCT = new Set(['=', '-', ',', '(', ')']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Cuts the script into statements. Throws on an unterminated quote or block comment. */
function splitStatements(text: string, source: string): Statement[] {
  const s = text.replace(/\r\n?/g, '\n');
  const out: Statement[] = [];
  let i = 0;
  let line = 1;
  const n = s.length;
  const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\v';
  const skipBlockComment = (): void => {
    const startLine = line;
    const close = s.indexOf('*/', i + 2);
    if (close < 0) throw new SpecificationError('unterminated /* comment', { file: source, row: startLine });
    for (let k = i; k < close; k++) if (s[k] === '\n') line++;
    i = close + 2;
  };
  while (i < n) {
    // Skip blanks and block comments between statements.
    const c = s[i]!;
    if (isSpace(c)) { if (c === '\n') line++; i++; continue; }
    if (c === '/' && s[i + 1] === '*') { skipBlockComment(); continue; }
    if (c === ';') { i++; continue; } // empty statement
    const startLine = line;
    const commentWord = /^comment(?=[\s;])/i.exec(s.slice(i, i + 8));
    if (c === '*' || commentWord !== null) {
      // Comment statements end at the first semicolon; SAS does not honour quotes inside them.
      const end = s.indexOf(';', i);
      const stop = end < 0 ? n : end;
      const body = s.slice(i + (c === '*' ? 1 : 7), stop);
      for (let k = i; k < stop; k++) if (s[k] === '\n') line++;
      out.push({ keyword: c === '*' ? '*' : 'COMMENT', tokens: [], line: startLine, comment: body });
      i = stop + 1;
      continue;
    }
    const tokens: Token[] = [];
    while (i < n && s[i] !== ';') {
      const ch = s[i]!;
      if (isSpace(ch)) { if (ch === '\n') line++; i++; continue; }
      if (ch === '/' && s[i + 1] === '*') { skipBlockComment(); continue; }
      if (ch === "'" || ch === '"') {
        const tokLine = line;
        let j = i + 1;
        let value = '';
        for (;;) {
          if (j >= n) throw new SpecificationError(`unterminated ${ch === "'" ? 'single' : 'double'}-quoted string`, { file: source, row: tokLine });
          const d = s[j]!;
          if (d === ch) {
            if (s[j + 1] === ch) { value += ch; j += 2; continue; } // SAS doubles a quote to escape it
            break;
          }
          if (d === '\n') line++;
          value += d;
          j++;
        }
        tokens.push({ kind: 'str', text: value, line: tokLine });
        i = j + 1;
        continue;
      }
      if (PUNCT.has(ch)) { tokens.push({ kind: 'punct', text: ch, line }); i++; continue; }
      let j = i;
      while (j < n) {
        const d = s[j]!;
        if (isSpace(d) || d === ';' || d === "'" || d === '"' || PUNCT.has(d) || (d === '/' && s[j + 1] === '*')) break;
        j++;
      }
      tokens.push({ kind: 'word', text: s.slice(i, j), line });
      i = j;
    }
    i++; // the ';' (or end of text: a last statement without ';' is tolerated)
    if (tokens.length > 0) out.push({ keyword: tokens[0]!.text.toUpperCase(), tokens, line: startLine, comment: '' });
  }
  return out;
}

interface RawValueStatement {
  format: PufFormat;
  line: number;
  /** Words from the linking comments before this VALUE statement. */
  commentWords: string[];
}

interface FormatBlock {
  line: number;
  values: RawValueStatement[];
}

const fail = (message: string, source: string, line: number, value?: string): never => {
  throw new SpecificationError(message, value === undefined ? { file: source, row: line } : { file: source, row: line, value });
};

/** `NAME $ 1-37`, `NAME $ 48`, `@50 AGE $3.`, `NAME $1-37`, `NAME 1-4` (numeric input is read as text too). */
function parseInput(st: Statement, source: string): { items: PufItem[]; lines: number[] } {
  const t = st.tokens;
  const items: PufItem[] = [];
  const lines: number[] = [];
  let pointer = 1;
  let k = 1;
  const isInt = (x: string | undefined): boolean => x !== undefined && /^\d+$/.test(x);
  while (k < t.length) {
    let tok = t[k]!;
    if (tok.kind === 'word' && tok.text.startsWith('@')) {
      let num = tok.text.slice(1);
      if (num === '' && isInt(t[k + 1]?.text)) { num = t[k + 1]!.text; k++; }
      if (!isInt(num)) fail(`INPUT: cannot read column pointer "${tok.text}"`, source, tok.line, tok.text);
      pointer = Number(num);
      k++;
      continue;
    }
    if (tok.kind !== 'word' || !IDENT.test(tok.text)) fail(`INPUT: expected an item name, found "${tok.text}"`, source, tok.line, tok.text);
    const name = tok.text;
    const line = tok.line;
    k++;
    let width: number | null = null;
    let start: number | null = null;
    let end: number | null = null;
    tok = t[k]!;
    // `$`, `$1` (dollar glued to the start column), `$8.` / `$char8.` / `8.` informats.
    if (tok !== undefined && tok.kind === 'word' && tok.text.startsWith('$')) {
      const rest = tok.text.slice(1);
      const informat = /^(?:char|upcase)?(\d+)\.$/i.exec(rest);
      if (informat) width = Number(informat[1]);
      else if (isInt(rest)) start = Number(rest);
      else if (rest !== '') fail(`INPUT: cannot read "${tok.text}" after ${name}`, source, tok.line, tok.text);
      k++;
    } else if (tok !== undefined && tok.kind === 'word' && /^\d+\.\d*$/.test(tok.text)) {
      width = Number(tok.text.split('.')[0]);
      k++;
    }
    if (start === null && width === null && isInt(t[k]?.text) && t[k]!.kind === 'word') {
      start = Number(t[k]!.text);
      k++;
    }
    if (start !== null) {
      if (t[k]?.kind === 'punct' && t[k]!.text === '-') {
        const e = t[k + 1];
        if (e === undefined || !isInt(e.text)) fail(`INPUT: ${name} has a column range without an end`, source, line);
        end = Number(e!.text);
        k += 2;
      } else {
        end = start;
      }
    } else if (width !== null) {
      start = pointer;
      end = pointer + width - 1;
    } else {
      fail(`INPUT: no columns for item ${name} (expected "${name} $ start-end")`, source, line, name);
    }
    if (start! < 1 || end! < start!) fail(`INPUT: ${name} has an impossible column range ${start}-${end}`, source, line, `${start}-${end}`);
    const prev = items[items.length - 1];
    if (prev !== undefined) {
      if (start! < prev.start) fail(`INPUT: ${name} (columns ${start}-${end}) comes after ${prev.name} (columns ${prev.start}-${prev.end}) but starts before it: columns out of order`, source, line, name);
      if (start! <= prev.end) fail(`INPUT: ${name} (columns ${start}-${end}) overlaps ${prev.name} (columns ${prev.start}-${prev.end})`, source, line, name);
    }
    if (items.some((it) => it.name.toUpperCase() === name.toUpperCase())) fail(`INPUT: item ${name} appears twice`, source, line, name);
    items.push({ name, start: start!, end: end!, label: null, format: null });
    lines.push(line);
    pointer = end! + 1;
  }
  return { items, lines };
}

/** LABEL NAME = 'text' ... ; */
function parseLabels(st: Statement, source: string, into: Map<string, { label: string; line: number }>): void {
  const t = st.tokens;
  let k = 1;
  while (k < t.length) {
    const name = t[k]!;
    const eq = t[k + 1];
    const text = t[k + 2];
    if (name.kind !== 'word' || !IDENT.test(name.text) || eq?.text !== '=' || text === undefined || text.kind === 'punct') {
      fail(`LABEL: expected NAME = 'text', found "${name.text}"`, source, name.line, name.text);
    }
    into.set(name.text.toUpperCase(), { label: text!.text, line: name.line });
    k += 3;
  }
}

/** FORMAT A B $fx. C $fy.; -> links. */
function parseFormatStatement(st: Statement, into: Map<string, string>): void {
  let pending: string[] = [];
  for (const tok of st.tokens.slice(1)) {
    if (tok.kind !== 'word') continue;
    if (tok.text.endsWith('.')) {
      const fname = tok.text.slice(0, -1);
      for (const p of pending) into.set(p.toUpperCase(), fname);
      pending = [];
    } else {
      pending.push(tok.text);
    }
  }
}

/** VALUE $name (options) code = 'label' ... ; */
function parseValue(st: Statement, source: string): PufFormat {
  const t = st.tokens;
  const nameTok = t[1];
  if (nameTok === undefined || nameTok.kind !== 'word') fail('VALUE: missing format name', source, st.line);
  const format: PufFormat = { name: nameTok!.text, values: new Map(), ranges: [], other: null, items: [] };
  let k = 2;
  if (t[k]?.text === '(') {
    while (k < t.length && t[k]!.text !== ')') k++;
    k++;
  }
  const code = (tok: Token | undefined, bound: 'low' | 'high' | null): string => {
    if (tok === undefined || tok.kind === 'punct') fail(`VALUE ${format.name}: expected a code, found "${tok?.text ?? 'end of statement'}"`, source, tok?.line ?? st.line);
    if (tok!.kind === 'word') {
      const u = tok!.text.toUpperCase();
      if (bound !== null && u === 'LOW') return RANGE_LOW;
      if (bound !== null && u === 'HIGH') return RANGE_HIGH;
    }
    // SAS compares character values ignoring trailing blanks.
    return tok!.text.replace(/\s+$/, '');
  };
  while (k < t.length) {
    const specs: { low: string; high: string | null; other: boolean }[] = [];
    for (;;) {
      const first = t[k];
      if (first?.kind === 'word' && first.text.toUpperCase() === 'OTHER') {
        specs.push({ low: '', high: null, other: true });
        k++;
      } else {
        const low = code(first, t[k + 1]?.text === '-' ? 'low' : null);
        k++;
        if (t[k]?.kind === 'punct' && t[k]!.text === '-') {
          const high = code(t[k + 1], 'high');
          specs.push({ low, high, other: false });
          k += 2;
        } else {
          specs.push({ low, high: null, other: false });
        }
      }
      if (t[k]?.kind === 'punct' && t[k]!.text === ',') { k++; continue; }
      break;
    }
    const eq = t[k];
    if (eq?.text !== '=' || eq.kind !== 'punct') fail(`VALUE ${format.name}: expected "=" after a code, found "${eq?.text ?? 'end of statement'}"`, source, eq?.line ?? st.line, eq?.text);
    const labelTok = t[k + 1];
    if (labelTok === undefined || labelTok.kind === 'punct') fail(`VALUE ${format.name}: missing label after "="`, source, eq!.line);
    const label = labelTok!.text.trim();
    k += 2;
    for (const sp of specs) {
      if (sp.other) format.other = label;
      else if (sp.high === null) format.values.set(sp.low, label);
      else format.ranges.push({ low: sp.low, high: sp.high, label });
    }
  }
  return format;
}

/** Words of a linking comment that could be item names. */
function linkingWords(comment: string): string[] {
  if (!/item|values\s+for/i.test(comment)) return [];
  return comment.split(/[^A-Za-z0-9_]+/).filter((w) => IDENT.test(w));
}

/**
 * Parses a SAS import script into a PufLayout.
 * Throws SpecificationError({file: source, row: line}) when the script cannot be a layout.
 * @example parseSasLayout("data x; infile 'a.dat' lrecl=3; input A $ 1-2 B $ 3; run;", 'x.sas').items[1].start === 3
 */
export function parseSasLayout(text: string, source: string): PufLayout {
  const statements = splitStatements(text, source);
  const notes: string[] = [];
  let step: 'none' | 'data' | 'proc' = 'none';
  let procName = '';
  let dataIndex = -1;
  let mainData = -1;
  let dataStart = 0;
  let recordLength: number | null = null;
  let lreclLine = 0;
  let filenameLrecl: number | null = null;
  let input: { items: PufItem[]; lines: number[] } | null = null;
  let inputLine = 0;
  const labels = new Map<string, { label: string; line: number }>();
  const formatLinks = new Map<string, string>();
  const blocks: FormatBlock[] = [];
  let commentWords: string[] = [];
  const skippedData: number[] = [];

  const lreclOf = (st: Statement): number | null => {
    const t = st.tokens;
    for (let k = 0; k < t.length; k++) {
      if (t[k]!.kind === 'word' && t[k]!.text.toUpperCase() === 'LRECL') {
        const v = t[k + 1]?.text === '=' ? t[k + 2] : undefined;
        if (v === undefined || !/^\d+$/.test(v.text)) fail(`${st.keyword}: cannot read lrecl value "${v?.text ?? ''}"`, source, t[k]!.line, v?.text);
        return Number(v!.text);
      }
    }
    return null;
  };
  const endDataStep = (): void => {
    if (step === 'data' && dataIndex !== mainData) skippedData.push(dataStart);
  };

  for (const st of statements) {
    const kw = st.keyword;
    if (kw === 'DATA') {
      endDataStep();
      step = 'data';
      dataIndex++;
      dataStart = st.line;
      continue;
    }
    if (kw === 'PROC') {
      endDataStep();
      step = 'proc';
      procName = (st.tokens[1]?.text ?? '').toUpperCase();
      if (procName === 'FORMAT') {
        blocks.push({ line: st.line, values: [] });
        commentWords = [];
      } else {
        notes.push(`skipped PROC ${procName} at line ${st.line}`);
      }
      continue;
    }
    if (kw === 'RUN' || kw === 'QUIT') {
      endDataStep();
      step = 'none';
      continue;
    }
    if (kw === 'FILENAME') { filenameLrecl ??= lreclOf(st); continue; }
    if (step === 'data') {
      const isMain = mainData === -1 || mainData === dataIndex;
      if (!isMain) continue;
      if (kw === 'INFILE') {
        const l = lreclOf(st);
        if (l !== null) { recordLength = l; lreclLine = st.line; }
      } else if (kw === 'INPUT') {
        if (input === null) {
          input = parseInput(st, source);
          inputLine = st.line;
          mainData = dataIndex;
        }
      } else if (kw === 'LABEL') {
        parseLabels(st, source, labels);
      } else if (kw === 'FORMAT') {
        parseFormatStatement(st, formatLinks);
      }
      continue;
    }
    if (step === 'proc' && procName === 'FORMAT') {
      const block = blocks[blocks.length - 1]!;
      if (kw === 'COMMENT') commentWords.push(...linkingWords(st.comment));
      else if (kw === 'VALUE') {
        block.values.push({ format: parseValue(st, source), line: st.line, commentWords });
        commentWords = [];
      } else if (kw !== '*') {
        notes.push(`ignored PROC FORMAT statement ${kw} at line ${st.line}`);
      }
      continue;
    }
    // Global statements (LIBNAME, OPTIONS, TITLE, %LET ...) do not affect the layout.
  }
  endDataStep();

  const lastLine = text.replace(/\r\n?/g, '\n').split('\n').length;
  if (input === null) fail('no INPUT statement in a DATA step: this script has no record layout', source, lastLine);
  const items = input!.items;
  if (items.length === 0) fail('the INPUT statement lists no items', source, inputLine);
  if (recordLength === null && filenameLrecl !== null) recordLength = filenameLrecl;
  const lastEnd = items[items.length - 1]!.end;
  if (recordLength === null) {
    recordLength = lastEnd;
    notes.push(`no lrecl= in the INFILE statement: record length taken as ${lastEnd}, the end of the last item (${items[items.length - 1]!.name})`);
  } else {
    for (let k = 0; k < items.length; k++) {
      const it = items[k]!;
      if (it.end > recordLength) fail(`INPUT: ${it.name} ends at column ${it.end}, beyond lrecl=${recordLength} (line ${lreclLine})`, source, input!.lines[k]!, it.name);
    }
    if (lastEnd < recordLength) notes.push(`columns ${lastEnd + 1}-${recordLength} of the ${recordLength}-byte record belong to no item`);
  }
  for (const line of skippedData) notes.push(`skipped DATA step at line ${line}`);

  const byName = new Map(items.map((it) => [it.name.toUpperCase(), it]));
  for (const [name, { label, line }] of labels) {
    const it = byName.get(name);
    if (it === undefined) notes.push(`LABEL for ${name} (line ${line}) names no INPUT item; ignored`);
    else it.label = label;
  }

  // Choose the official PROC FORMAT block: the first whose comments link formats to items.
  const links = (b: FormatBlock): number => b.values.reduce((acc, v) => acc + v.commentWords.filter((w) => byName.has(w.toUpperCase())).length, 0);
  let chosen = blocks.findIndex((b) => links(b) > 0);
  if (chosen < 0) chosen = blocks.findIndex((b) => b.values.length > 0);
  const formats = new Map<string, PufFormat>();
  blocks.forEach((b, bi) => {
    if (bi === chosen) return;
    const names = b.values.map((v) => v.format.name).join(' ');
    notes.push(`skipped PROC FORMAT block at line ${b.line}${names ? ` (VALUE ${names})` : ''}: only the first block that labels PUF items is used`);
  });
  const formatByUpper = new Map<string, PufFormat>();
  if (chosen >= 0) {
    for (const v of blocks[chosen]!.values) {
      if (formats.has(v.format.name)) notes.push(`VALUE ${v.format.name} defined twice (line ${v.line}); the later definition is used`);
      formats.set(v.format.name, v.format);
      formatByUpper.set(v.format.name.toUpperCase(), v.format);
      // NCDB's script has typos such as "RX_SUMM_TREATMENT STATUS": two adjacent words that join
      // into an item name (with "_") link to it.
      const words = v.commentWords;
      const joined = words.map((w, k) => (k + 1 < words.length ? `${w}_${words[k + 1]}` : ''));
      const candidates = words.flatMap((w, k) => (byName.has(joined[k]!.toUpperCase()) && !byName.has(w.toUpperCase()) ? [joined[k]!] : [w]));
      for (const w of candidates) {
        const it = byName.get(w.toUpperCase());
        if (it === undefined) {
          // Only report words that look like item names (upper case with an underscore).
          if (/^[A-Z0-9]+_[A-Z0-9_]+$/.test(w) && !v.format.items.includes(w)) notes.push(`comment before VALUE ${v.format.name} (line ${v.line}) names ${w}, which is not an INPUT item`);
          continue;
        }
        if (it.format !== null && it.format !== v.format.name) {
          notes.push(`${it.name} is linked to ${it.format} and again to ${v.format.name} (line ${v.line}); the first link is kept`);
          continue;
        }
        if (it.format === null) {
          it.format = v.format.name;
          v.format.items.push(it.name);
        }
      }
    }
  }
  for (const [name, fname] of formatLinks) {
    const it = byName.get(name);
    const f = formatByUpper.get(fname.toUpperCase());
    if (it === undefined || f === undefined) {
      notes.push(`FORMAT statement links ${name} to ${fname}, but ${it === undefined ? 'the item' : 'the format'} is not defined; ignored`);
      continue;
    }
    if (it.format !== null && it.format !== f.name) {
      const old = formats.get(it.format);
      if (old) old.items = old.items.filter((x) => x !== it.name);
    }
    if (it.format !== f.name) {
      it.format = f.name;
      f.items.push(it.name);
    }
  }
  return { recordLength, items, formats, notes, source };
}

/** Reads and parses a SAS import script from disk. */
export async function readSasLayout(path: string): Promise<PufLayout> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new SpecificationError(`cannot read the SAS layout script: ${(err as Error).message}`, { file: path });
  }
  // Scripts are ASCII in practice; an edited one may be UTF-8 or Windows-1252 (read as latin1).
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return parseSasLayout(text.replace(/^\uFEFF/, ''), path);
}
