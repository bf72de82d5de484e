/**
 * Fixed-width PUF records, written the way NCDB writes them.
 *
 * Inputs: a PufLayout (from the SAS import script) and, per record, item values as short ASCII
 * strings or integers.
 * Outputs: bytes in a caller-owned Buffer: each record is `recordLength` bytes followed by '\n'.
 * Method: every item is character data (`$` in the script), left-justified and padded with blanks
 * to the item's width, exactly as in the real file (e.g. INSURANCE_STATUS is 2 columns wide but
 * holds the 1-character code "1", written "1 "). Blank means "not available". A record starts as
 * all spaces and values are written at fixed offsets, so no per-row string of the full record is
 * ever built (a 1,032-character concatenation per row would dominate the run time).
 *
 * Items the layout does not have are silently skipped (slot -1): an older, shorter layout simply
 * cannot carry them. A value wider than its item (a layout with a narrower item than NCDB's) is a
 * SpecificationError naming the item and value.
 */
import type { PufLayout } from '../ncdb/layout.js';
import { SpecificationError } from '../core/errors.js';

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Byte offset (0-based) and width of one item, or offset -1 when the layout lacks it. */
export interface FieldSlot {
  name: string;
  offset: number;
  width: number;
}

export class RecordWriter {
  readonly recordLength: number;
  /** recordLength + 1 (the newline). */
  readonly stride: number;
  private readonly slots = new Map<string, FieldSlot>();
  private readonly source: string;

  constructor(layout: PufLayout) {
    this.source = layout.source;
    this.recordLength = layout.recordLength;
    this.stride = layout.recordLength + 1;
    for (const item of layout.items) {
      if (item.start < 1 || item.end < item.start || item.end > layout.recordLength) {
        throw new SpecificationError(`item ${item.name} spans columns ${item.start}-${item.end}, outside the record length ${layout.recordLength}`, { file: layout.source, column: item.name });
      }
      this.slots.set(item.name, { name: item.name, offset: item.start - 1, width: item.end - item.start + 1 });
    }
  }

  /** The slot for an item; offset -1 when the layout does not have it. */
  slot(name: string): FieldSlot {
    return this.slots.get(name) ?? { name, offset: -1, width: 0 };
  }

  /** Whether the layout has this item. */
  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** Blank record (all spaces, then '\n') at byte `base` of `buf`. */
  clear(buf: Buffer, base: number): void {
    buf.fill(SPACE, base, base + this.recordLength);
    buf[base + this.recordLength] = NEWLINE;
  }

  /** Writes an ASCII string left-justified into the item (the rest stays blank). */
  text(buf: Buffer, base: number, slot: FieldSlot, value: string): void {
    if (slot.offset < 0) return;
    const n = value.length;
    if (n > slot.width) this.tooWide(slot, value);
    const at = base + slot.offset;
    for (let i = 0; i < n; i++) buf[at + i] = value.charCodeAt(i);
  }

  /**
   * Writes a non-negative integer left-justified, zero-padded to `digits` (0: no padding),
   * without making a string: AGE 65 with digits 3 is "065"; days 45 with digits 0 is "45".
   */
  int(buf: Buffer, base: number, slot: FieldSlot, value: number, digits = 0): void {
    if (slot.offset < 0) return;
    let v = Math.trunc(value);
    const negative = v < 0;
    if (negative) v = -v;
    let len = 1;
    for (let p = 10; p <= v; p *= 10) len++;
    if (len < digits) len = digits;
    const total = len + (negative ? 1 : 0);
    if (total > slot.width) this.tooWide(slot, String(value));
    let at = base + slot.offset;
    if (negative) buf[at++] = 0x2d;
    for (let i = len - 1; i >= 0; i--) {
      buf[at + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
  }

  /** Writes x with exactly `decimals` decimals (x >= 0), left-justified: 12.34 -> "12.3" for 1. */
  fixed(buf: Buffer, base: number, slot: FieldSlot, x: number, decimals: number): void {
    if (slot.offset < 0) return;
    this.text(buf, base, slot, x.toFixed(decimals));
  }

  /** A layout whose item is narrower than the PUF's values cannot hold this file. */
  private tooWide(slot: FieldSlot, value: string): never {
    throw new SpecificationError(`value "${value}" does not fit item ${slot.name} (${slot.width} columns) of the layout`, { file: this.source, column: slot.name, value });
  }

  /** Reads an item back as its trimmed string ('' when blank or absent). */
  read(buf: Buffer, base: number, slot: FieldSlot): string {
    if (slot.offset < 0) return '';
    return buf.toString('latin1', base + slot.offset, base + slot.offset + slot.width).trim();
  }
}
