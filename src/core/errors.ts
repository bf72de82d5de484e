/**
 * Typed errors for everything a user can get wrong.
 *
 * Every error a user can cause carries the context needed to find the problem (file, row,
 * column, value, or a position in a formula). The CLI turns an OncosurvError into one line and
 * a non-zero exit, never a stack trace. Anything else that escapes is a bug in oncosurv.
 */

export interface ErrorContext {
  /** Input file the problem is in. */
  file?: string;
  /** 1-based data row (not counting a header line) or line number. */
  row?: number;
  /** Column or item name. */
  column?: string;
  /** The offending value, as read. */
  value?: string;
  /** 0-based character position, for formula and script parse errors. */
  position?: number;
  /** The text the position refers to (a formula). */
  source?: string;
  /** A protocol/config field path such as "landmark.months[1]". */
  field?: string;
}

export class OncosurvError extends Error {
  readonly context: ErrorContext;
  constructor(message: string, context: ErrorContext = {}) {
    super(message);
    this.name = new.target.name;
    this.context = context;
  }
}

/** Malformed or impossible input data (negative time, unknown code, non-numeric value ...). */
export class InputError extends OncosurvError {}
/** A formula, option or protocol that cannot be used as given. */
export class SpecificationError extends OncosurvError {}
/** The data cannot support the requested model (no events, no patients in a group ...). */
export class EstimationError extends OncosurvError {}

/** One line: `where: message`, e.g. `lung.csv, row 12, column "time", value "-3": time must be >= 0`. */
export function describeError(err: OncosurvError): string {
  const c = err.context;
  const where: string[] = [];
  if (c.file !== undefined) where.push(c.file);
  if (c.row !== undefined) where.push(`row ${c.row}`);
  if (c.column !== undefined) where.push(`column "${c.column}"`);
  if (c.field !== undefined) where.push(`field "${c.field}"`);
  if (c.value !== undefined) where.push(`value "${c.value}"`);
  let line = where.length > 0 ? `${where.join(', ')}: ${err.message}` : err.message;
  if (c.position !== undefined && c.source !== undefined) {
    line += `\n  ${c.source}\n  ${' '.repeat(c.position)}^`;
  } else if (c.position !== undefined) {
    line += ` (at position ${c.position + 1})`;
  }
  return line;
}
