/**
 * Propensity scores: P(treated | covariates) from a logistic regression, as MatchIt's
 * distance = "glm" (link "logit" gives the score, "linear.logit" its logit).
 *
 * Inputs:  a model matrix with intercept and the 0/1 treatment (propensityScores), or a formula
 *          `treat ~ x1 + factor(x2)` and a DataTable (fitPropensityModel).
 * Outputs: ps (fitted probabilities), linearPredictor (logit ps), the LogisticFit, and for the
 *          formula form the model frame (kept rows) and treatment vector.
 * Method:  glm(treat ~ ..., family = binomial) via logisticRegression; rows with a missing value
 *          in any model variable are dropped (na.omit), as matchit() would refuse them.
 * Reference: MatchIt::distance2glm; Rosenbaum & Rubin (1983) Biometrika 70:41.
 */
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import { logisticRegression, type LogisticFit } from '../stats/logistic.js';
import { buildModelFrame, type ModelFrame } from '../stats/model-frame.js';
import { parseFormula } from '../stats/formula.js';
import type { DesignMatrix } from '../stats/types.js';
import type { DataTable } from '../core/types.js';

export interface PropensityScores {
  ps: Float64Array;
  linearPredictor: Float64Array;
  fit: LogisticFit;
}

export interface PropensityModel extends PropensityScores {
  frame: ModelFrame;
  /** 0/1 treatment for the kept rows. */
  treated: Uint8Array;
  /** The treatment column's name (the formula's response). */
  treatment: string;
}

/** Checks a 0/1 treatment and that both groups are present. rows maps to 1-based data rows. */
export function treatmentIndicator(values: Float64Array, column = 'treatment', rows?: Int32Array, file?: string): Uint8Array {
  const t = new Uint8Array(values.length);
  let n1 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1) throw new InputError('treatment must be 0 or 1', { file, row: (rows ? rows[i]! : i) + 1, column, value: String(v) });
    t[i] = v;
    n1 += v;
  }
  if (n1 === 0) throw new EstimationError(`no treated units (${column} = 1)`, { column, file });
  if (n1 === values.length) throw new EstimationError(`no control units (${column} = 0)`, { column, file });
  return t;
}

/**
 * Propensity scores from a model matrix (with intercept).
 *
 * @example
 *   const { ps, linearPredictor } = propensityScores(design, treated);
 */
export function propensityScores(x: DesignMatrix, treated: Uint8Array, options: { weights?: Float64Array | null } = {}): PropensityScores {
  const y = Float64Array.from(treated);
  treatmentIndicator(y);
  const fit = logisticRegression(x, y, { weights: options.weights ?? null });
  return { ps: fit.fitted, linearPredictor: fit.linearPredictor, fit };
}

/** Propensity model from a formula `treat ~ covariates` over a table. */
export function fitPropensityModel(formula: string, table: DataTable): PropensityModel {
  const f = parseFormula(formula);
  if (f.response?.kind !== 'variable') throw new SpecificationError('the formula needs a treatment on the left: treat ~ x1 + x2', { position: 0, source: formula });
  if (f.terms.length === 0) throw new SpecificationError('the formula needs at least one covariate on the right', { position: formula.length - 1, source: formula });
  const frame = buildModelFrame(f, table, { intercept: true, dropUnusedLevels: true });
  if (frame.response === null) throw new SpecificationError('the formula needs a treatment on the left', { source: formula, position: 0 });
  const treatment = f.response.name;
  const treated = treatmentIndicator(frame.response, treatment, frame.rows, table.source);
  const fit = logisticRegression(frame.design, frame.response);
  return { ps: fit.fitted, linearPredictor: fit.linearPredictor, fit, frame, treated, treatment };
}
