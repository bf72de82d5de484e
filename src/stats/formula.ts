/**
 * R model formulas: `Surv(time, status) ~ age + factor(stage) * sex + strata(site) + cluster(id)`.
 *
 * Input:  the formula text, as a user would type it to R's coxph/survfit/survdiff/glm.
 * Output: a `Formula`: the response (a `Surv(...)` call, a plain variable, or none), the
 *         model terms in R's order with R's term labels, and the survival specials
 *         (`strata(...)` variables, the `cluster(...)` variable).
 * Method: a recursive-descent parser over the operators R's `terms.formula` understands here
 *         (`+`, `:`, `*`, `^`, parentheses), then R's term algebra: every term is a set of
 *         variables; `a*b` is `a + b + a:b`; `(a+b):(c+d)` pairs every left term with every
 *         right term (left outer); repeated terms are dropped keeping the first; terms are then
 *         stably sorted by degree (main effects, then 2-way interactions ...). Inside a label the
 *         variables appear in the order they first occur in the formula, response first; that
 *         is why R labels `y ~ factor(h) + age + age:factor(h)`'s interaction `factor(h):age`.
 * Reference: R's `terms.formula` (src/library/stats/src/model.c: EncodeVars, InteractTerms,
 *         TrimRepeats, SortTerms); checked against R 4.x in formula.test.ts.
 *
 * A syntax error is a SpecificationError whose context {position, source} points at the
 * offending character, so the CLI can draw a caret under it.
 */
import { SpecificationError } from '../core/errors.js';

/** One variable inside a term: a column name, used as-is or wrapped in `factor()`. */
export interface FormulaFactor {
  /** The data column. */
  name: string;
  /** True for `factor(name)`. */
  isFactor: boolean;
  /** R's label for the variable: `age` or `factor(stage)`. */
  label: string;
}

/** A model term: main effect (one factor) or interaction (several), with R's label. */
export interface FormulaTerm {
  /** `age`, `factor(stage)`, `factor(histol):age`. */
  label: string;
  /** Variables in R's label order. */
  factors: FormulaFactor[];
}

export type FormulaResponse =
  | { kind: 'surv'; start: string | null; stop: string; event: string }
  | { kind: 'variable'; name: string }
  | null;

export interface Formula {
  /** The formula text as given. */
  source: string;
  response: FormulaResponse;
  /** Model terms (specials excluded), in R's order. */
  terms: FormulaTerm[];
  /** Variables of every `strata(...)` term, in order (empty when none). */
  strata: string[];
  /** The variable inside `cluster(...)`, or null. */
  cluster: string | null;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind = 'name' | 'number' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based position of the first character in the source. */
  pos: number;
}

const NAME_START = /[A-Za-z._]/;
const NAME_CHAR = /[A-Za-z0-9._]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '`') {
      const close = source.indexOf('`', i + 1);
      if (close < 0) throw syntaxError('unclosed backtick', source, i);
      if (close === i + 1) throw syntaxError('empty backtick name', source, i);
      tokens.push({ kind: 'name', text: source.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      let j = i;
      while (j < source.length && /[0-9.]/.test(source[j]!)) j++;
      tokens.push({ kind: 'number', text: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < source.length && NAME_CHAR.test(source[j]!)) j++;
      tokens.push({ kind: 'name', text: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if ('~+:*^(),'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch, pos: i });
      i++;
      continue;
    }
    if (ch === '-') throw syntaxError('"-" (removing terms or the intercept) is not supported', source, i);
    throw syntaxError(`unexpected character "${ch}"`, source, i);
  }
  tokens.push({ kind: 'end', text: '', pos: source.length });
  return tokens;
}

function syntaxError(message: string, source: string, position: number): SpecificationError {
  return new SpecificationError(`formula: ${message}`, { position, source });
}

// ---------------------------------------------------------------------------------------------
// Parser: builds term lists directly. A term is a set of variable keys (label strings).

/** A variable as it occurs: key is its R label (`age`, `factor(stage)`, `strata(a, b)`). */
interface Variable {
  key: string;
  kind: 'plain' | 'factor' | 'strata' | 'cluster';
  /** Columns the variable reads: one, except strata(a, b). */
  columns: string[];
  pos: number;
}

type TermSet = string[]; // variable keys, unordered set semantics (kept deduplicated)

class Parser {
  private i = 0;
  /** Variables in order of first appearance (R's `variables` attribute order). */
  readonly variables = new Map<string, Variable>();
  constructor(private readonly tokens: Token[], private readonly source: string) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== text) {
      throw syntaxError(t.kind === 'end' ? `formula ended early: expected ${what}` : `expected ${what}, found "${t.text}"`, this.source, t.pos);
    }
    return this.next();
  }
  private fail(message: string, t: Token = this.peek()): never {
    throw syntaxError(message, this.source, t.pos);
  }

  private register(v: Variable): void {
    if (!this.variables.has(v.key)) this.variables.set(v.key, v);
  }

  parseFormula(): { response: FormulaResponse; terms: TermSet[]; intercept: boolean } {
    let response: FormulaResponse = null;
    if (!this.isOp('~')) {
      response = this.parseResponse();
    }
    this.expect('~', '"~"');
    if (this.peek().kind === 'end') this.fail('nothing after "~" (use "~ 1" for no covariates)');
    const terms = this.parseSum();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t.text === ')' ? 'unmatched ")"' : `unexpected "${t.text}"`, t);
    return { response, terms: terms.list, intercept: true };
  }

  private parseResponse(): FormulaResponse {
    const t = this.peek();
    if (t.kind !== 'name') this.fail(t.kind === 'end' ? 'empty formula' : `expected a response (Surv(time, status) or a variable), found "${t.text}"`, t);
    this.next();
    if (t.text === 'Surv' && this.isOp('(')) {
      this.next();
      const args: string[] = [];
      while (true) {
        const a = this.peek();
        if (a.kind !== 'name') this.fail(a.kind === 'end' ? 'formula ended inside Surv(' : 'Surv() arguments must be column names', a);
        this.next();
        if (this.isOp('(')) this.fail(`Surv() arguments must be column names, not calls such as ${a.text}()`, a);
        args.push(a.text);
        this.register({ key: a.text, kind: 'plain', columns: [a.text], pos: a.pos });
        if (this.isOp(',')) {
          this.next();
          continue;
        }
        break;
      }
      const close = this.peek();
      this.expect(')', '")" or ","');
      if (args.length < 2 || args.length > 3) {
        throw syntaxError(`Surv() takes (time, status) or (start, stop, status); got ${args.length} argument(s)`, this.source, close.pos);
      }
      // R lists the whole Surv(...) call as the first variable; the argument registrations
      // above only matter if a column is reused on the right-hand side, which R forbids.
      return args.length === 2 ? { kind: 'surv', start: null, stop: args[0]!, event: args[1]! } : { kind: 'surv', start: args[0]!, stop: args[1]!, event: args[2]! };
    }
    if (this.isOp('(')) this.fail(`unsupported response function ${t.text}()`, t);
    this.register({ key: t.text, kind: 'plain', columns: [t.text], pos: t.pos });
    return { kind: 'variable', name: t.text };
  }

  /** sum := product ('+' product)* */
  private parseSum(): { list: TermSet[] } {
    const list: TermSet[] = [];
    appendTerms(list, this.parseProduct());
    while (this.isOp('+')) {
      this.next();
      appendTerms(list, this.parseProduct());
    }
    return { list };
  }

  /** product := power (('*' | ':') power)*, left-associative with equal precedence handled R's way. */
  private parseProduct(): TermSet[] {
    // R: ':' binds tighter than '*'. product := inter ('*' inter)*
    let left = this.parseInteraction();
    while (this.isOp('*')) {
      this.next();
      const right = this.parseInteraction();
      const both: TermSet[] = [];
      appendTerms(both, left);
      appendTerms(both, right);
      appendTerms(both, interact(left, right));
      left = both;
    }
    return left;
  }

  /** inter := power (':' power)* */
  private parseInteraction(): TermSet[] {
    let left = this.parsePower();
    while (this.isOp(':')) {
      this.next();
      left = interact(left, this.parsePower());
    }
    return left;
  }

  /** power := atom ('^' integer)? — `(a+b+c)^2` is all terms up to 2-way interactions. */
  private parsePower(): TermSet[] {
    const base = this.parseAtom();
    if (!this.isOp('^')) return base;
    this.next();
    const t = this.peek();
    const k = Number(t.text);
    if (t.kind !== 'number' || !Number.isInteger(k) || k < 1) this.fail('"^" needs a positive whole number', t);
    this.next();
    let out = base;
    for (let j = 1; j < k; j++) {
      const prod = interact(out, base);
      const merged: TermSet[] = [];
      appendTerms(merged, out);
      appendTerms(merged, prod);
      out = merged;
    }
    return out;
  }

  private parseAtom(): TermSet[] {
    const t = this.peek();
    if (t.kind === 'op' && t.text === '(') {
      this.next();
      const inner = this.parseSum();
      this.expect(')', '")"');
      return inner.list;
    }
    if (t.kind === 'number') {
      if (t.text === '1') {
        this.next();
        return [[]]; // the intercept: the empty term
      }
      this.fail(`unexpected number ${t.text} (only "1" is allowed, as in "~ 1")`, t);
    }
    if (t.kind !== 'name') this.fail(t.kind === 'end' ? 'formula ended early: expected a variable' : `expected a variable, found "${t.text}"`, t);
    if (t.text === '.') this.fail('"." (all other columns) is not supported; list the variables', t);
    this.next();
    if (!this.isOp('(')) {
      this.register({ key: t.text, kind: 'plain', columns: [t.text], pos: t.pos });
      return [[t.text]];
    }
    // A call: factor(x), strata(a, b), cluster(id).
    const fn = t.text;
    if (fn !== 'factor' && fn !== 'strata' && fn !== 'cluster') {
      this.fail(`function ${fn}() is not supported in formulas (supported: factor, strata, cluster)`, t);
    }
    this.next(); // (
    const args: string[] = [];
    while (true) {
      const a = this.peek();
      if (a.kind !== 'name') this.fail(a.kind === 'end' ? `formula ended inside ${fn}(` : `${fn}() arguments must be column names`, a);
      this.next();
      if (this.isOp('(')) this.fail(`${fn}() arguments must be column names, not calls`, a);
      args.push(a.text);
      if (this.isOp(',')) {
        if (fn !== 'strata') this.fail(`${fn}() takes one column`);
        this.next();
        continue;
      }
      break;
    }
    this.expect(')', '")"');
    const key = `${fn}(${args.join(', ')})`;
    this.register({ key, kind: fn === 'factor' ? 'factor' : fn, columns: args, pos: t.pos });
    return [[key]];
  }
}

/** Appends terms not already present (as sets), keeping first occurrences: R's TrimRepeats. */
function appendTerms(list: TermSet[], add: TermSet[]): void {
  for (const term of add) {
    if (!list.some((t) => sameSet(t, term))) list.push(term);
  }
}

function sameSet(a: TermSet, b: TermSet): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** `left:right` — every left term with every right term, left terms in the outer loop (R's InteractTerms). */
function interact(left: TermSet[], right: TermSet[]): TermSet[] {
  const out: TermSet[] = [];
  for (const l of left) {
    for (const r of right) {
      const merged = [...l];
      for (const v of r) if (!merged.includes(v)) merged.push(v);
      appendTerms(out, [merged]);
    }
  }
  return out;
}

/**
 * Parses an R model formula.
 *
 * @example
 * parseFormula('Surv(time, status) ~ age*sex + strata(inst)').terms.map((t) => t.label)
 * // ['age', 'sex', 'age:sex']
 */
export function parseFormula(source: string): Formula {
  const tokens = tokenize(source);
  const parser = new Parser(tokens, source);
  const parsed = parser.parseFormula();
  const order = [...parser.variables.keys()];
  const strata: string[] = [];
  let cluster: string | null = null;
  const modelTerms: TermSet[] = [];
  for (const term of parsed.terms) {
    if (term.length === 0) continue; // the intercept
    const specials = term.map((k) => parser.variables.get(k)!).filter((v) => v.kind === 'strata' || v.kind === 'cluster');
    if (specials.length > 0) {
      if (term.length > 1) {
        throw syntaxError(`${specials[0]!.kind}() cannot be part of an interaction`, source, specials[0]!.pos);
      }
      const v = specials[0]!;
      if (v.kind === 'strata') {
        for (const c of v.columns) if (!strata.includes(c)) strata.push(c);
      } else {
        if (cluster !== null && cluster !== v.columns[0]) throw syntaxError('only one cluster() term is allowed', source, v.pos);
        cluster = v.columns[0]!;
      }
      continue;
    }
    modelTerms.push(term);
  }
  // R's SortTerms: a stable sort by degree.
  const sorted = modelTerms.map((t, i) => ({ t, i })).sort((a, b) => a.t.length - b.t.length || a.i - b.i).map((x) => x.t);
  const terms: FormulaTerm[] = sorted.map((term) => {
    const keys = [...term].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const factors = keys.map((k) => {
      const v = parser.variables.get(k)!;
      return { name: v.columns[0]!, isFactor: v.kind === 'factor', label: k };
    });
    return { label: keys.join(':'), factors };
  });
  if (parsed.response?.kind === 'surv' || parsed.response?.kind === 'variable') {
    const used = parsed.response.kind === 'surv' ? [parsed.response.start, parsed.response.stop, parsed.response.event] : [parsed.response.name];
    for (const term of terms) {
      for (const f of term.factors) {
        if (used.includes(f.name)) {
          const v = [...parser.variables.values()].find((x) => x.key === f.label);
          throw syntaxError(`"${f.name}" is used both in the response and as a covariate`, source, v ? v.pos : 0);
        }
      }
    }
  }
  return { source, response: parsed.response, terms, strata, cluster };
}

/** Every data column a formula reads (response, terms, strata, cluster), each once, in order. */
export function formulaColumns(f: Formula): string[] {
  const out: string[] = [];
  const add = (c: string | null): void => {
    if (c !== null && !out.includes(c)) out.push(c);
  };
  if (f.response?.kind === 'surv') [f.response.start, f.response.stop, f.response.event].forEach(add);
  else if (f.response?.kind === 'variable') add(f.response.name);
  for (const t of f.terms) for (const x of t.factors) add(x.name);
  f.strata.forEach(add);
  add(f.cluster);
  return out;
}
