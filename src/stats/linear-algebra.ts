/**
 * The project's dense linear solves, in one place (each matching the R routine its caller
 * reproduces, so they are not interchangeable: each drops or refuses singular pivots the way
 * that routine does, and each keeps that routine's order of operations):
 *   cholesky2 / chsolve2 / chinv2   survival's generalized Cholesky (coxph, Wald tests);
 *   gaussianSolve                   Gaussian elimination with partial pivoting (R's solve(),
 *                                   used by survdiff and cox.zph);
 *   choleskySolveAliased            LL' Cholesky that drops aliased columns in column order
 *                                   (the pooled logistic's normal equations, as glm's dqrdc2);
 *   chol2inv                        (R'R)^-1 from a triangular QR factor (R's chol2inv, glm).
 *
 * cholesky2 / chsolve2 / chinv2: generalized Cholesky (LDL') decomposition, solve and inverse
 * for symmetric p x p matrices, with the same pivot-dropping rule as R survival's cholesky2.c /
 * chsolve2.c / chinv2.c.
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

/**
 * Solves A x = b (A p x p row-major; A and b are overwritten) by Gaussian elimination with
 * partial pivoting. Returns null when a pivot is not larger than `relativeTolerance` times the
 * largest |A_ij| (0: only an exactly zero pivot), so the caller can refuse a singular system
 * as R's solve() does.
 */
export function gaussianSolve(a: Float64Array, b: Float64Array, p: number, relativeTolerance: number): Float64Array | null {
  let scale = 0;
  for (let i = 0; i < p * p; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let col = 0; col < p; col++) {
    let piv = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r * p + col]) > Math.abs(a[piv * p + col])) piv = r;
    if (!(Math.abs(a[piv * p + col]) > scale * relativeTolerance)) return null;
    if (piv !== col) {
      for (let c = 0; c < p; c++) {
        const t = a[col * p + c];
        a[col * p + c] = a[piv * p + c];
        a[piv * p + c] = t;
      }
      const t = b[col];
      b[col] = b[piv];
      b[piv] = t;
    }
    for (let r = col + 1; r < p; r++) {
      const f = a[r * p + col] / a[col * p + col];
      if (f === 0) continue;
      for (let c = col; c < p; c++) a[r * p + c] -= f * a[col * p + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < p; c++) s -= a[r * p + c] * x[c];
    x[r] = s / a[r * p + r];
  }
  return x;
}

/**
 * Solves the symmetric positive semi-definite system A x = b by Cholesky, in column order; a
 * column whose pivot falls below aliasTolerance times its diagonal is aliased (x = 0), as dqrdc2's
 * limited pivoting moves it to the end. `aliased` is overwritten.
 */
export function choleskySolveAliased(A: Float64Array, b: Float64Array, q: number, aliased: Uint8Array, aliasTolerance: number): Float64Array {
  const L = new Float64Array(q * q);
  aliased.fill(0);
  for (let j = 0; j < q; j++) {
    let d = A[j * q + j];
    const diag = d;
    for (let k = 0; k < j; k++) if (!aliased[k]) d -= L[j * q + k] * L[j * q + k];
    if (!(diag > 0) || d <= aliasTolerance * diag) { aliased[j] = 1; continue; }
    const ljj = Math.sqrt(d);
    L[j * q + j] = ljj;
    for (let i = j + 1; i < q; i++) {
      let s = A[i * q + j];
      for (let k = 0; k < j; k++) if (!aliased[k]) s -= L[i * q + k] * L[j * q + k];
      L[i * q + j] = s / ljj;
    }
  }
  const y = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    if (aliased[i]) continue;
    let s = b[i];
    for (let k = 0; k < i; k++) if (!aliased[k]) s -= L[i * q + k] * y[k];
    y[i] = s / L[i * q + i];
  }
  const x = new Float64Array(q);
  for (let i = q - 1; i >= 0; i--) {
    if (aliased[i]) continue;
    let s = y[i];
    for (let k = i + 1; k < q; k++) if (!aliased[k]) s -= L[k * q + i] * x[k];
    x[i] = s / L[i * q + i];
  }
  return x;
}

/** (R'R)^-1 for an upper-triangular R (rank x rank, column-major): R^-1 R^-T, as chol2inv. */
export function chol2inv(r: Float64Array, m: number): Float64Array {
  const inv = new Float64Array(m * m); // R^-1, upper triangular
  for (let j = 0; j < m; j++) {
    inv[j * m + j] = 1 / r[j * m + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[k * m + i]! * inv[j * m + k]!;
      inv[j * m + i] = -s / r[i * m + i]!;
    }
  }
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = j; k < m; k++) s += inv[k * m + i]! * inv[k * m + j]!;
      out[j * m + i] = s;
      out[i * m + j] = s;
    }
  }
  return out;
}
