/**
 * Report section "Data quality": the values of the items the cohort uses that are not codes the
 * NCDB dictionary defines (results.data_quality.invalid_values), counted per item and kept apart
 * from the clinical exclusions, and how many cohort patients have a suppressed facility type.
 *
 * Inputs: ReportContext (results.data_quality; absent in results written before it existed).
 * Output: HTML. Counts go through ctx.count (small-cell suppression); case ids are not shown in
 * the report (they are listed in results.json for the analyst to look up).
 */
import { escapeHtml } from '../escape.js';
import { paragraph } from '../html.js';
import type { ReportContext } from '../report-context.js';

export function dataQualityHtml(ctx: ReportContext): string {
  const dq = ctx.results.data_quality;
  if (dq === undefined) return paragraph('This results.json was written before data-quality checks were recorded.');
  const out: string[] = [];
  const items = dq.invalid_values;
  if (items.length === 0) {
    out.push(paragraph('Every value of the items the cohort uses is a code the NCDB data dictionary defines.'));
  } else {
    out.push(paragraph('Values that are not codes the NCDB data dictionary defines. They are listed here, apart from the clinical exclusions: a row whose inclusion item was invalid was excluded at that step (and the flow diagram says how many); a patient with an invalid covariate stayed in the cohort with that covariate missing (Unknown). The first case ids of each item are listed in results.json (data_quality).'));
    const rows = items.map((e) => {
      const outcome = Object.entries(e.outcome).sort().map(([k, v]) => `${k === 'kept' ? 'kept, value missing' : `excluded at ${k}`}: ${ctx.count(v)}`).join('; ');
      return `<tr><td><code>${escapeHtml(e.item)}</code></td><td>${escapeHtml(e.rule)}</td><td class="num">${escapeHtml(ctx.count(e.count))}</td><td>${escapeHtml(outcome)}</td></tr>`;
    });
    out.push(`<table class="data-quality"><thead><tr><th>item</th><th>allowed values</th><th>invalid values</th><th>what happened to the rows</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  out.push(paragraph(`Facility type (FACILITY_TYPE_CD) is suppressed by NCDB for patients aged 0–39: ${ctx.count(dq.facility_type_suppressed)} cohort patients have it blank; their facility type is Unknown and the academic indicator is missing (an explicit Unknown level in the models), never "not academic".`));
  return out.join('');
}
