/**
 * Generalized Cholesky (LDL') decomposition, solve and inverse for symmetric p x p matrices,
 * with the same pivot-dropping rule as R survival's cholesky2.c / chsolve2.c / chinv2.c.
 *
 * Inputs: a p*p row-major Float64Array `m`. Only the upper triangle (row <= column) is read
 *   by `cholesky2`; it is copied to the lower triangle first (survival accumulates the
 *   information matrix in one triangle only).
 * Outputs: `cholesky2` overwrites the lower triangle with L (unit diagonal implied) and the
 *   diagonal with D; a pivot below toler * max(diag) is declared singular and its D set to 0.
 *   It returns the rank, negated if a pivot was clearly negative (not positive semi-definite).
 *   `chsolve2` solves (LDL') b = y in place, giving 0 for singular rows (a generalized
 *   inverse); `chinv2` turns the decomposition into the inverse, with zero rows and columns
 *   for the singular pivots, written to the upper triangle and then symmetrized.
 * Method: R survival's routines, re-derived: the decomposition works column by column without
 *   pivoting, so the column that is dropped for collinearity is the later one, exactly as R
 *   reports NA for the later of two collinear variables.
 * Reference: Therneau, survival package, src/cholesky2.c, chsolve2.c, chinv2.c.
 */

/** In-place LDL' decomposition of the symmetric matrix whose upper triangle is in `m`. */
export function cholesky2(m: Float64Array, p: number, toler: number): number {
  let eps = 0;
  for (let i = 0; i < p; i++) {
    const d = m[i * p + i]!;
    if (d > eps) eps = d;
    for (let j = i + 1; j < p; j++) m[j * p + i] = m[i * p + j]!;
  }
  eps = eps === 0 ? toler : eps * toler;
  let rank = 0;
  let nonneg = 1;
  for (let i = 0; i < p; i++) {
    const pivot = m[i * p + i]!;
    if (!Number.isFinite(pivot) || pivot < eps) {
      m[i * p + i] = 0;
      if (pivot < -8 * eps) nonneg = -1;
      continue;
    }
    rank++;
    for (let j = i + 1; j < p; j++) {
      const t = m[j * p + i]! / pivot;
      m[j * p + i] = t;
      m[j * p + j] = m[j * p + j]! - t * t * pivot;
      for (let k = j + 1; k < p; k++) m[k * p + j] = m[k * p + j]! - t * m[k * p + i]!;
    }
  }
  return rank * nonneg;
}

/** Solves (LDL') b = y in place after `cholesky2`; singular rows give b = 0. */
export function chsolve2(m: Float64Array, p: number, y: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let t = y[i]!;
    for (let j = 0; j < i; j++) t -= y[j]! * m[i * p + j]!;
    y[i] = t;
  }
  for (let i = p - 1; i >= 0; i--) {
    const d = m[i * p + i]!;
    if (d === 0) {
      y[i] = 0;
      continue;
    }
    let t = y[i]! / d;
    for (let j = i + 1; j < p; j++) t -= y[j]! * m[j * p + i]!;
    y[i] = t;
  }
}

/**
 * Inverse from the `cholesky2` decomposition, in place; the result is made symmetric.
 * Called on a matrix that was not decomposed (as R does after running out of iterations),
 * it reads the zeros of the untouched lower triangle and so returns diag(1 / m_ii).
 */
export function chinv2(m: Float64Array, p: number): void {
  for (let i = 0; i < p; i++) {
    if (m[i * p + i]! > 0) {
      m[i * p + i] = 1 / m[i * p + i]!;
      for (let j = i + 1; j < p; j++) {
        m[j * p + i] = -m[j * p + i]!;
        for (let k = 0; k < i; k++) m[j * p + k] = m[j * p + k]! + m[j * p + i]! * m[i * p + k]!;
      }
    }
  }
  for (let i = 0; i < p; i++) {
    if (m[i * p + i] === 0) {
      for (let j = 0; j < i; j++) m[j * p + i] = 0;
      for (let j = i; j < p; j++) m[i * p + j] = 0;
    } else {
      for (let j = i + 1; j < p; j++) {
        const t = m[j * p + i]! * m[j * p + j]!;
        m[i * p + j] = t;
        for (let k = i; k < j; k++) m[i * p + k] = m[i * p + k]! + t * m[j * p + k]!;
      }
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) m[i * p + j] = m[j * p + i]!;
}

/**
 * R's coxph.wtest: the quadratic form b' V^- b with V^- the generalized inverse from
 * `cholesky2` (toler as R's toler.chol); df is the number of non-singular pivots.
 */
export function waldQuadratic(v: Float64Array, b: Float64Array, toler: number): { statistic: number; df: number } {
  const p = b.length;
  if (p === 0) return { statistic: 0, df: 0 };
  const m = Float64Array.from(v);
  cholesky2(m, p, toler);
  let df = 0;
  for (let i = 0; i < p; i++) if (m[i * p + i]! > 0) df++;
  const s = Float64Array.from(b);
  chsolve2(m, p, s);
  let stat = 0;
  for (let i = 0; i < p; i++) stat += b[i]! * s[i]!;
  return { statistic: stat, df };
}
