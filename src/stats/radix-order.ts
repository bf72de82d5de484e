/**
 * Stable ascending order of a Float64Array, by LSD radix sort on the IEEE-754 bit patterns.
 *
 * Inputs:  `keys`, finite numbers (any sign; -0 is treated as +0); optionally `codes`, 0-based
 *          Int32 group codes with `ngroups` levels.
 * Output:  a Uint32Array permutation `order` such that keys[order[i]] is non-decreasing; with
 *          `codes`, rows are ordered by code first and by key within a code (a stable counting
 *          sort on the code after the key sort), so each group is one contiguous run.
 * Method:  the bits of a double, with the sign bit flipped for positives and all bits flipped
 *          for negatives, compare as unsigned integers in the same order as the doubles. Four
 *          passes of 16-bit digits; a pass whose digit is constant over all keys is skipped
 *          (integer-valued times such as days leave the low 32 bits zero, halving the work).
 *          O(n) time, no comparator calls: on 10^6 rows this is several times faster than
 *          Array.prototype.sort with a comparator, which is what the KM benchmark needs.
 *          sortRowsByKey does the same for a subset of rows, ascending or descending.
 * Reference: Knuth, TAOCP vol. 3, 5.2.5 (radix sorting).
 */
export function radixOrder(keys: Float64Array, codes?: Int32Array | null, ngroups?: number): Uint32Array {
  const n = keys.length;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const sorted = sortRowsByKey(identity, keys, false);
  // the same indices read as unsigned (all < 2^31), without a copy
  const order = new Uint32Array(sorted.buffer, sorted.byteOffset, n);
  if (codes && ngroups !== undefined && ngroups > 1) return orderWithinGroups(order, codes, ngroups);
  return order;
}

/**
 * Stable sort of the row indices in `rows` by keys[row], ascending or descending: rows with
 * equal keys keep their order in `rows` (so `rows` in increasing order gives ties by index, as
 * R's order() and a stable counting sort on ranks do). Returns a new array; `rows` is not
 * changed.
 * Method: as radixOrder, but the transformed key halves travel with the indices through the
 * passes, so every pass reads its input sequentially (no random reads of the keys), and the
 * halves no later pass needs are dropped. Descending order sorts the complemented bits.
 */
export function sortRowsByKey(rows: Int32Array | Uint32Array, keys: Float64Array, descending: boolean): Int32Array {
  const n = rows.length;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = Int32Array.from(rows);
  // The doubles' own bytes, read as (low, high) 32-bit words (little-endian, as on every
  // platform Node runs on).
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * keys.length);
  const flip = descending ? 0xffffffff : 0;
  for (let k = 0; k < n; k++) {
    const i = rows[k]!;
    const l = words[2 * i]!;
    const h = words[2 * i + 1]!;
    let tl: number;
    let th: number;
    if (h === 0x80000000 && l === 0) {
      tl = 0;
      th = 0x80000000; // -0 sorts as +0
    } else if (h & 0x80000000) {
      tl = ~l;
      th = ~h;
    } else {
      tl = l;
      th = h | 0x80000000;
    }
    lo[k] = (tl ^ flip) >>> 0;
    hi[k] = (th ^ flip) >>> 0;
  }
  let idx2 = new Int32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  // pass p: digit of word (p < 2 ? lo : hi) at shift 16 * (p % 2); carry lo while a later pass reads it
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let k = 0; k < n; k++) count[(word[k]! >>> shift) & 0xffff]!++;
    if (n === 0 || count[(word[0]! >>> shift) & 0xffff] === n) continue; // constant digit
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    const carryLo = pass === 0;
    const carryHi = pass < 3;
    for (let k = 0; k < n; k++) {
      const dest = count[(word[k]! >>> shift) & 0xffff]!++;
      idx2[dest] = idx[k]!;
      if (carryLo) lo2[dest] = lo[k]!;
      if (carryHi) hi2[dest] = hi[k]!;
    }
    [idx, idx2] = [idx2, idx];
    if (carryLo) [lo, lo2] = [lo2, lo];
    if (carryHi) [hi, hi2] = [hi2, hi];
  }
  return idx;
}

/**
 * Stable counting sort of an existing order by 0-based group code: rows end up grouped by code
 * (0 first) and keep their relative order within a code. `out` may be supplied to reuse memory
 * (it must not be `order` itself).
 */
export function orderWithinGroups(order: Uint32Array, codes: Int32Array, ngroups: number, out?: Uint32Array): Uint32Array {
  const n = order.length;
  const dest = out ?? new Uint32Array(n);
  const start = new Uint32Array(ngroups + 1);
  for (let i = 0; i < n; i++) start[codes[order[i]] + 1]++;
  for (let g = 0; g < ngroups; g++) start[g + 1] += start[g];
  for (let i = 0; i < n; i++) {
    const r = order[i];
    dest[start[codes[r]]++] = r;
  }
  return dest;
}
