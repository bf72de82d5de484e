/**
 * The checks of a protocol that need the study's own vocabulary: covariates must be columns of
 * the analysis dataset, and surgery-day items must be PUF items the study reads. The study runs
 * them before it reads any data, and `oncosurv protocol check` runs the same function, so a
 * protocol that passes the check does not fail at the first model.
 *
 * Input: a schema-valid Protocol (protocol.ts) and the file it came from (for messages).
 * Output: nothing; the first problem is a SpecificationError naming the field and value.
 */
import { DERIVED_VARIABLES } from '../cohort/analysis-dataset.js';
import { COVARIATE_ITEMS, REQUIRED_ITEMS } from '../cohort/hcc-cohort.js';
import { SpecificationError } from '../core/errors.js';
import type { Protocol } from './protocol.js';

export function checkStudyProtocol(protocol: Protocol, source: string): void {
  const columns = new Set(DERIVED_VARIABLES.map((v) => v.name));
  for (const list of ['adjusted', 'propensity', 'predictors_of_surgery'] as const) {
    protocol.covariates[list].forEach((name, k) => {
      if (!columns.has(name)) {
        throw new SpecificationError(`"${name}" is not a column of the analysis dataset (see data-dictionary.md for the columns)`, { file: source, field: `covariates.${list}[${k}]`, value: name });
      }
    });
  }
  const items = new Set<string>([...REQUIRED_ITEMS, ...COVARIATE_ITEMS]);
  protocol.exposure.surgery_day_items.forEach((name, k) => {
    if (!items.has(name)) {
      throw new SpecificationError(`"${name}" is not a PUF item the study reads (use DX_DEFSURG_STARTED_DAYS or DX_SURG_STARTED_DAYS)`, { file: source, field: `exposure.surgery_day_items[${k}]`, value: name });
    }
  });
}
