/**
 * An analysis the data cannot support is recorded as { skipped: reason } and the study goes on.
 */
import { EstimationError } from '../../core/errors.js';

export interface Skipped { skipped: string }

/** Runs an analysis; a data limitation (EstimationError) becomes { skipped: reason }. */
export function orSkip<T>(f: () => T): T | Skipped {
  try {
    return f();
  } catch (err) {
    if (err instanceof EstimationError) return { skipped: err.message };
    throw err;
  }
}
