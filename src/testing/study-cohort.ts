/** Test support: the hcc-conversion cohort of an input file, built with the built-in protocol. */
import { buildHccCohort, COVARIATE_ITEMS, REQUIRED_ITEMS, type HccCohort } from '../cohort/hcc-cohort.js';
import { openStudyInput } from '../study/input.js';
import { HCC_CONVERSION } from '../study/protocol.js';

export async function cohortOf(path: string): Promise<HccCohort> {
  const input = await openStudyInput(path, null, [...REQUIRED_ITEMS, ...COVARIATE_ITEMS]);
  try {
    return await buildHccCohort(input.connection, input.relation, HCC_CONVERSION, path);
  } finally {
    await input.close();
  }
}
