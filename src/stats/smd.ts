/**
 * Standardized mean differences for Table 1 (two groups), as R's tableone::ExtractSmd computes
 * them.
 *
 * Continuous: (mean1 - mean0) / sqrt((var1 + var0) / 2), with sample variances (n - 1).
 * Categorical with k levels: Yang & Dalton's multivariate SMD, sqrt(d' S^-1 d), where d holds the
 * differences in the proportions of levels 2..k and S = (S1 + S0) / 2 with
 * S_jj = p_j (1 - p_j) and S_jl = -p_j p_l. For two levels this is the usual
 * |p1 - p0| / sqrt((p1(1-p1) + p0(1-p0)) / 2).
 * Reference: Yang D, Dalton JE. A unified approach to measuring the effect size between two
 * groups using SAS. SAS Global Forum 2012, paper 335.
 */

function meanVar(x: number[]): [number, number] {
  const n = x.length;
  const m = x.reduce((a, b) => a + b, 0) / n;
  const v = x.reduce((a, b) => a + (b - m) * (b - m), 0) / (n - 1);
  return [m, v];
}

/** SMD of a continuous variable between two groups (NaN values ignored). Absolute value. */
export function smdContinuous(group1: number[], group0: number[]): number {
  const a = group1.filter((v) => !Number.isNaN(v));
  const b = group0.filter((v) => !Number.isNaN(v));
  if (a.length < 2 || b.length < 2) return NaN;
  const [m1, v1] = meanVar(a);
  const [m0, v0] = meanVar(b);
  const denom = Math.sqrt((v1 + v0) / 2);
  return denom === 0 ? (m1 === m0 ? 0 : Infinity) : Math.abs(m1 - m0) / denom;
}

/** SMD of a categorical variable, from level counts in each group (same level order). */
export function smdCategorical(counts1: number[], counts0: number[]): number {
  const n1 = counts1.reduce((a, b) => a + b, 0);
  const n0 = counts0.reduce((a, b) => a + b, 0);
  if (n1 === 0 || n0 === 0) return NaN;
  const p1 = counts1.map((c) => c / n1);
  const p0 = counts0.map((c) => c / n0);
  const k = p1.length - 1; // drop the first level
  if (k < 1) return 0;
  const d = Array.from({ length: k }, (_, j) => p1[j + 1]! - p0[j + 1]!);
  const s = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < k; l++) {
      const a1 = p1[j + 1]!, b1 = p1[l + 1]!, a0 = p0[j + 1]!, b0 = p0[l + 1]!;
      s[j * k + l] = j === l ? (a1 * (1 - a1) + a0 * (1 - a0)) / 2 : (-a1 * b1 - a0 * b0) / 2;
    }
  }
  // Solve S x = d by Gaussian elimination with partial pivoting; singular S (a level absent
  // from both groups) -> use the generalized inverse by dropping zero-variance levels.
  const keep = Array.from({ length: k }, (_, j) => j).filter((j) => s[j * k + j]! > 1e-14);
  if (keep.length === 0) return 0;
  const m = keep.length;
  const a = keep.map((j) => keep.map((l) => s[j * k + l]!).concat(d[j]!));
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    const pv = a[col]![col]!;
    if (Math.abs(pv) < 1e-14) return NaN;
    for (let r = col + 1; r < m; r++) {
      const f = a[r]![col]! / pv;
      for (let c = col; c <= m; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let sum = a[r]![m]!;
    for (let c = r + 1; c < m; c++) sum -= a[r]![c]! * x[c]!;
    x[r] = sum / a[r]![r]!;
  }
  let q = 0;
  for (let j = 0; j < m; j++) q += d[keep[j]!]! * x[j]!;
  return Math.sqrt(Math.max(0, q));
}
