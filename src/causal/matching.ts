/**
 * Greedy nearest-neighbour matching on a distance (propensity score or its logit), as R's
 * MatchIt::matchit(method = "nearest").
 *
 * Inputs:  MatchOptions: distance (one value per unit), treated (0/1), ratio k (controls per
 *          treated unit), replace, caliper (in SDs of the distance when stdCaliper, the default),
 *          mOrder (order in which treated units choose), exact (integer codes: match only within
 *          equal codes), seed (for mOrder "random"), legacyMatchIt451 (see below).
 * Outputs: MatchResult: the matched sets (matchMatrix, one row of k control row indices per
 *          treated unit, -1 where none), MatchIt's subclass numbers and weights, counts.
 * Method:  MatchIt's nn_matchC_vec: all units are sorted by distance (stable, ascending). In
 *          round r = 1..k, each treated unit in turn (m.order: "largest" distance first by
 *          default, "smallest", "data" order, or "random") takes the nearest still-available
 *          control: the closest eligible control to its left and to its right in sorted order
 *          are found and the nearer is taken, the left one on a tie. A caliper stops the search
 *          in a direction at the first eligible control farther than the caliper. Without
 *          replacement a control is used once; with replacement (R forces m.order = "data" then)
 *          any number of times, but never twice in one treated unit's set. With `exact`, each
 *          stratum is matched separately. The caliper in SD units is multiplied by sd(distance)
 *          over ALL units, treated and control (n - 1 denominator), as MatchIt's process.caliper.
 *          Weights (MatchIt's weights_matrixC): a matched treated unit 1; a control the sum over
 *          the sets it is in of 1 / (number of controls in that set), then control weights are
 *          rescaled to sum to the number of distinct matched controls.
 *          Subclasses (without replacement only; MatchIt gives none with replacement): one per
 *          matched treated unit, numbered as R's factor() numbers the treated unit's 1-based row
 *          number written as text, i.e. in string order "1" < "10" < "100" < "11" < "2".
 * MatchIt 4.5.1 differences: as installed here, MatchIt 4.5.1's C++ compares distances with an
 *          integer abs() (MatchIt issue #163, fixed in 4.5.2): a difference below 1 counts as 0,
 *          so the caliper only acts on differences >= 1 and the LEFT neighbour always wins
 *          (105 of lalonde's 185 treated units do not get their nearest control). It also compares
 *          0-based with 1-based indices when excluding a set's own controls, so with replacement
 *          and ratio > 1 a set can contain one control twice. We implement the corrected
 *          algorithm by default; `legacyMatchIt451: true` reproduces 4.5.1's output exactly (for
 *          line-by-line comparison with that version). Both are tested against R
 *          (reference/r/matchit.R).
 * Reference: Ho, Imai, King, Stuart (2011) MatchIt, J Stat Softw 42(8); MatchIt 4.5.1 sources
 *          R/matchit2nearest.R, R/aux_functions.R (process.caliper, mm2subclass),
 *          src/nn_matchC_vec.cpp, src/weights_matrixC.cpp.
 */
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import { Rng } from '../core/random.js';

export type MatchOrder = 'largest' | 'smallest' | 'random' | 'data';

export interface MatchOptions {
  /** Controls per treated unit (MatchIt's ratio). Default 1. */
  ratio?: number;
  /** Match with replacement. Default false. */
  replace?: boolean;
  /** Caliper width; null for none. */
  caliper?: number | null;
  /** Caliper in standard deviations of the distance (default true), else in distance units. */
  stdCaliper?: boolean;
  /** Order in which treated units are matched. Default "largest" (MatchIt's default for a PS). */
  mOrder?: MatchOrder;
  /** Codes: match only within equal codes (MatchIt's exact =). */
  exact?: Int32Array | null;
  /** Matching distance, e.g. the propensity score or its logit. */
  distance: Float64Array;
  /** 1 = treated, 0 = control. */
  treated: Uint8Array;
  /** Seed for mOrder = "random" (not R's RNG: random orders do not reproduce R's). */
  seed?: number;
  /** Reproduce MatchIt 4.5.1's integer-abs and index bugs (see the module header). */
  legacyMatchIt451?: boolean;
}

export interface MatchResult {
  /** 1-based subclass (R's numbering) per unit; -1 = unmatched, or always -1 with replacement. */
  subclass: Int32Array;
  /** MatchIt's weights; 0 = unmatched. */
  weights: Float64Array;
  /** 0-based row index of each treated unit, in data order. */
  treatedRows: Int32Array;
  /** matchMatrix[t * ratio + r] = row of the r-th control matched to treated unit t, or -1. */
  matchMatrix: Int32Array;
  ratio: number;
  /** Caliper in distance units (after multiplying by the SD), or null. */
  caliperAbsolute: number | null;
  mOrder: MatchOrder;
  nMatchedTreated: number;
  nMatchedControl: number;
  nUnmatchedTreated: number;
  nUnmatchedControl: number;
  /** MatchIt's warnings ("Not all treated units will get 3 matches.") */
  warnings: string[];
}

/** Sample SD with n - 1 denominator (R's sd). */
function sampleSd(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

/** Stable argsort of `idx` by key (ascending, or descending keeping ties in original order). */
function stableOrder(idx: number[], key: Float64Array, decreasing: boolean): number[] {
  return idx
    .map((row, pos) => ({ row, pos }))
    .sort((a, b) => {
      const d = decreasing ? key[b.row]! - key[a.row]! : key[a.row]! - key[b.row]!;
      return d !== 0 ? d : a.pos - b.pos;
    })
    .map((e) => e.row);
}

/**
 * Nearest-neighbour propensity-score matching, MatchIt's method = "nearest".
 *
 * @example
 *   const m = nearestNeighborMatch({ distance: logitPs, treated, ratio: 1, caliper: 0.2 });
 *   m.weights; m.subclass; m.nMatchedTreated
 */
export function nearestNeighborMatch(options: MatchOptions): MatchResult {
  const { distance, treated } = options;
  const n = treated.length;
  const ratio = options.ratio ?? 1;
  const replace = options.replace ?? false;
  const legacy = options.legacyMatchIt451 ?? false;
  if (!Number.isInteger(ratio) || ratio < 1) throw new SpecificationError(`ratio must be a positive whole number, not ${ratio}`, { value: String(ratio) });
  if (distance.length !== n) throw new InputError(`distance has ${distance.length} values but there are ${n} units`);
  if (options.exact && options.exact.length !== n) throw new InputError(`exact codes have ${options.exact.length} values but there are ${n} units`);
  for (let i = 0; i < n; i++) {
    if (treated[i]! > 1) throw new InputError('treatment must be 0 or 1', { row: i + 1, column: 'treatment', value: String(treated[i]) });
    if (!Number.isFinite(distance[i]!)) throw new InputError('distance must be finite', { row: i + 1, column: 'distance', value: String(distance[i]) });
  }
  const treatedRows: number[] = [];
  for (let i = 0; i < n; i++) if (treated[i] === 1) treatedRows.push(i);
  const n1 = treatedRows.length;
  const n0 = n - n1;
  if (n1 === 0) throw new EstimationError('no treated units to match');
  if (n0 === 0) throw new EstimationError('no control units to match');

  let caliperAbsolute: number | null = null;
  if (options.caliper !== null && options.caliper !== undefined) {
    if (!Number.isFinite(options.caliper)) throw new SpecificationError(`caliper must be a number, not ${options.caliper}`);
    caliperAbsolute = Math.abs(options.caliper) * ((options.stdCaliper ?? true) ? sampleSd(distance) : 1);
  }
  // MatchIt: with unlimited reuse the order cannot matter, so it uses data order.
  const mOrder: MatchOrder = replace ? 'data' : (options.mOrder ?? 'largest');
  // The project's seeded generator (xoshiro128**): R's random order can't be reproduced anyway.
  const rng = new Rng(options.seed ?? 1);
  const absDiff = legacy ? (v: number) => Math.trunc(Math.abs(v)) : Math.abs;

  const warnings: string[] = [];
  const matchMatrix = new Int32Array(n1 * ratio).fill(-1);
  const treatedIndex = new Int32Array(n).fill(-1);
  treatedRows.forEach((row, t) => { treatedIndex[row] = t; });

  // Strata: one per exact code (or a single one).
  const strata = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const code = options.exact ? options.exact[i]! : 0;
    let s = strata.get(code);
    if (s === undefined) strata.set(code, (s = []));
    s.push(i);
  }
  if (!replace) {
    let fewer = false, notAll = false;
    for (const units of strata.values()) {
      let s1 = 0;
      for (const i of units) s1 += treated[i]!;
      const ratioHere = (units.length - s1) / s1;
      if (s1 > 0 && ratioHere < 1) fewer = true;
      if (s1 > 0 && ratio > 1 && ratioHere < ratio) notAll = true;
    }
    if (fewer) warnings.push(options.exact ? "Fewer control units than treated units in some 'exact' strata; not all treated units will get a match." : 'Fewer control units than treated units; not all treated units will get a match.');
    if (notAll && (options.exact || !fewer)) warnings.push(`Not all treated units will get ${ratio} matches.`);
  }

  for (const units of strata.values()) {
    const sorted = stableOrder(units, distance, false);
    const m = sorted.length;
    const tr = units.filter((i) => treated[i] === 1);
    if (tr.length === 0) continue;
    let order: number[];
    if (mOrder === 'largest') order = stableOrder(tr, distance, true);
    else if (mOrder === 'smallest') order = stableOrder(tr, distance, false);
    else if (mOrder === 'random') {
      order = tr.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    } else order = tr;
    const position = new Map<number, number>();
    sorted.forEach((row, pos) => position.set(row, pos));
    // Union-find "nearest available control at or left/right of position p": a used control or
    // a treated unit points past itself, so each search is near O(1) instead of a scan.
    const left = new Int32Array(m);
    const right = new Int32Array(m);
    let available = 0;
    for (let p = 0; p < m; p++) {
      const isControl = treated[sorted[p]!] === 0;
      left[p] = isControl ? p : p - 1;
      right[p] = isControl ? p : p + 1;
      if (isControl) available++;
    }
    const findLeft = (p: number): number => {
      let r = p;
      while (r >= 0 && left[r] !== r) r = left[r]!;
      while (p >= 0 && left[p] !== p) { const nx = left[p]!; left[p] = r; p = nx; }
      return r;
    };
    const findRight = (p: number): number => {
      let r = p;
      while (r < m && right[r] !== r) r = right[r]!;
      while (p < m && right[p] !== p) { const nx = right[p]!; right[p] = r; p = nx; }
      return r;
    };
    const inSet = (t: number, row: number): boolean => {
      for (let r = 0; r < ratio; r++) {
        const c = matchMatrix[t * ratio + r]!;
        // MatchIt 4.5.1 compared the candidate's 0-based row with stored 1-based rows.
        if (c >= 0 && (legacy ? c + 1 === row : c === row)) return true;
      }
      return false;
    };
    outer: for (let r = 0; r < ratio; r++) {
      for (const i of order) {
        if (available === 0) break outer;
        const t = treatedIndex[i]!;
        const pi = position.get(i)!;
        const di = distance[i]!;
        let kl = findLeft(pi - 1);
        while (kl >= 0 && inSet(t, sorted[kl]!)) kl = findLeft(kl - 1);
        if (kl >= 0 && caliperAbsolute !== null && absDiff(di - distance[sorted[kl]!]!) > caliperAbsolute) kl = -1;
        let kr = pi + 1 < m ? findRight(pi + 1) : m;
        while (kr < m && inSet(t, sorted[kr]!)) kr = findRight(kr + 1);
        if (kr >= m || (caliperAbsolute !== null && absDiff(di - distance[sorted[kr]!]!) > caliperAbsolute)) kr = -1;
        let k: number;
        if (kl >= 0 && kr >= 0) k = absDiff(distance[sorted[kl]!]! - di) <= absDiff(distance[sorted[kr]!]! - di) ? kl : kr;
        else if (kl >= 0) k = kl;
        else if (kr >= 0) k = kr;
        else continue;
        matchMatrix[t * ratio + r] = sorted[k]!;
        if (!replace) {
          left[k] = k - 1;
          right[k] = k + 1;
          available--;
        }
      }
    }
  }

  // Weights, as MatchIt's weights_matrixC.
  const weights = new Float64Array(n);
  let nMatchedTreated = 0;
  for (let t = 0; t < n1; t++) {
    let count = 0;
    for (let r = 0; r < ratio; r++) if (matchMatrix[t * ratio + r]! >= 0) count++;
    if (count === 0) continue;
    nMatchedTreated++;
    weights[treatedRows[t]!] = 1;
    for (let r = 0; r < ratio; r++) {
      const c = matchMatrix[t * ratio + r]!;
      if (c >= 0) weights[c] = weights[c]! + 1 / count;
    }
  }
  if (nMatchedTreated === 0) {
    const cal = options.caliper;
    if (cal !== null && cal !== undefined) {
      throw new EstimationError(`caliper ${cal}${(options.stdCaliper ?? true) ? ' SD' : ''} leaves no treated unit with a match`, { value: String(cal) });
    }
    throw new EstimationError('no treated unit could be matched');
  }
  let sumControl = 0, nMatchedControl = 0;
  for (let i = 0; i < n; i++) {
    if (treated[i] === 0 && weights[i]! > 0) {
      sumControl += weights[i]!;
      nMatchedControl++;
    }
  }
  for (let i = 0; i < n; i++) if (treated[i] === 0) weights[i] = (weights[i]! * nMatchedControl) / sumControl;

  // Subclasses: R's factor levels of the treated rows' 1-based numbers as strings.
  const subclass = new Int32Array(n).fill(-1);
  if (!replace) {
    const labelled = [] as { t: number; label: string }[];
    for (let t = 0; t < n1; t++) if (weights[treatedRows[t]!]! > 0) labelled.push({ t, label: String(treatedRows[t]! + 1) });
    labelled.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    labelled.forEach(({ t }, s) => {
      subclass[treatedRows[t]!] = s + 1;
      for (let r = 0; r < ratio; r++) {
        const c = matchMatrix[t * ratio + r]!;
        if (c >= 0) subclass[c] = s + 1;
      }
    });
  }

  return {
    subclass,
    weights,
    treatedRows: Int32Array.from(treatedRows),
    matchMatrix,
    ratio,
    caliperAbsolute,
    mOrder,
    nMatchedTreated,
    nMatchedControl,
    nUnmatchedTreated: n1 - nMatchedTreated,
    nUnmatchedControl: n0 - nMatchedControl,
    warnings,
  };
}
