/**
 * Cause-specific Cox model: the Cox model for one cause with failures from the other causes
 * treated as censored, R's coxph(Surv(time, status == k) ~ x).
 *
 * Inputs:  a DesignMatrix, a CompetingRisksOutcome, the cause code (1..k) and CoxOptions.
 * Outputs: the CoxFit of cox.ts (coefficients are log cause-specific hazard ratios).
 * Method:  the event indicator is cause == k; everything else is coxph's.
 * Reference: Prentice et al. (1978), Biometrics 34:541-554; Putter, Fiocco & Geskus (2007),
 *          Stat Med 26:2389-2430; R survival coxph().
 */
import { coxph, type CoxFit, type CoxOptions } from './cox.js';
import { SpecificationError } from '../core/errors.js';
import type { CompetingRisksOutcome } from './competing-risks-frame.js';
import type { DesignMatrix } from './types.js';

export function causeSpecificCox(x: DesignMatrix, y: CompetingRisksOutcome, causeCode: number, options: CoxOptions = {}): CoxFit {
  if (!(causeCode >= 1 && causeCode <= y.causes.length)) throw new SpecificationError(`cause code ${causeCode} is not one of 1..${y.causes.length}`);
  const event = Uint8Array.from(y.cause, (c) => (c === causeCode ? 1 : 0));
  return coxph(x, { n: y.n, start: null, stop: y.time, event }, options);
}
