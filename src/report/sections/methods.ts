/**
 * Section 10 of the study report: Methods, written from the protocol the run actually used
 * (results.protocol) and the run's own record (attrition, years, seed, software) — never from
 * defaults — so the text matches the numbers above it even for an edited protocol.
 *
 * Inputs: ReportContext. Output: paragraphs of HTML (escaped text; the inclusion rules as an
 * ordered list). Covariates are named with their Table 1 labels.
 */

import { escapeHtml } from '../escape.js';
import { paragraph } from '../html.js';
import type { ReportContext } from '../report-context.js';
import { isSkipped } from '../study-results.js';

/** 1 -> '1st', 99 -> '99th', 2.5 -> '2.5th'. */
export function ordinal(x: number): string {
  if (!Number.isInteger(x)) return `${x}th`;
  const teen = x % 100 >= 11 && x % 100 <= 13;
  return `${x}${teen ? 'th' : ['th', 'st', 'nd', 'rd'][x % 10] ?? 'th'}`;
}

/** The clone–censor–weight truncation clause ('' when the weights were not truncated). */
function ccwTruncation(ctx: ReportContext): string {
  // Results written before truncation existed have no field: no truncation.
  const tp = ctx.results.protocol.analyses.clone_censor_weight.truncate_percentiles ?? null;
  if (tp === null) return '';
  const ccw = ctx.results.analyses.clone_censor_weight;
  const t = isSkipped(ccw) ? null : (ccw.weight_truncation ?? null);
  const fmt = (x: number): string => x.toPrecision(3);
  const detail = t ? ` (${t.truncated_rows} of ${t.clone_rows} rows changed; largest weight ${fmt(t.before.max)} before, ${fmt(t.after.max)} after)` : '';
  return `, and the weights were truncated (winsorized) at the ${tp.map((q) => ordinal(+(q * 100).toFixed(2))).join(' and ')} percentiles of the weights of all clone person-intervals${detail}`;
}

const list = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** The coding rules the run used for the covariates (protocol choices named), as one paragraph. */
export function codingText(ctx: ReportContext): string {
  const p = ctx.results.protocol;
  const other = ctx.results.other_surgery_excluded ?? {};
  const otherN = Object.values(other).reduce((x, y) => x + y, 0);
  const borderline = (p.covariates.afp_borderline ?? 'normal') === 'normal'
    ? 'borderline results were pooled with normal (protocol choice: AFP counts as elevated only when the record says so)'
    : 'borderline results were kept as their own level (protocol choice)';
  const sentences = [
    `Primary-site surgery coded outside the resection, transplant and ablation lists (such as 65, bile-duct excision, and 66, intrahepatic bile-duct excision plus partial hepatectomy) is surgery of the primary site, so it was neither counted as curative surgery nor as immunotherapy alone: those patients were excluded at the last inclusion step (protocol choice; ${ctx.count(otherN)} patients).`,
    `Pretreatment AFP came from AFP_PRE_INTERP for diagnoses from 2018 (NAACCR site-specific data item 3809: 0 negative/normal, 1 positive/elevated, 2 borderline, 7–9 unknown) and from Collaborative Stage site-specific factor 1 for 2010–2017 (CS v02.05 liver schema: 010 elevated, 020 normal, 030 borderline); ${borderline}. Fibrosis came from FIBROSIS_SCORE (2018+; 7, a clinical statement of cirrhosis, counted as advanced) or CS SSF2 (2010–2017), the AFP level from AFP_PRE_VALUE or the CS SSF3 ranges, and MELD (UNOS formula, each value below 1 set to 1, creatinine capped at 4 mg/dl) from bilirubin, INR and creatinine (SSDIs from 2018 with unit codes 1 mg/dl or 2 µmol/l only; CS SSF4–SSF8 for 2010–2017).`,
    'Facility type is suppressed by NCDB for patients aged 0–39; for them it is an explicit Unknown level, never "not academic". Non-Hispanic White and Black required Spanish/Hispanic origin 0 (origin 9, unknown, was "other or unknown"). Radiation was "yes" when a radiation start day was recorded or RAD_LOCATION_OF_RX said radiation was given (1–4, 8). Tumour size 989 means 989 mm or larger; before 2016 the CS size bands 991–995 are under 5 cm. Days from diagnosis may be negative (treatment before the diagnosis date).',
    'Values that are not codes of the NCDB data dictionary were counted and listed separately from the clinical exclusions (Data quality).',
  ];
  return sentences.join(' ');
}

export function methodsHtml(ctx: ReportContext): string {
  const r = ctx.results;
  const p = r.protocol;
  const a = p.analyses;
  const labels = (xs: readonly string[]): string => list(xs.map((x) => ctx.termLabel(x)));
  const out: string[] = [];
  const y = r.diagnosis_years;
  out.push('<h3>Data source</h3>');
  out.push(paragraph(`We used the National Cancer Database (NCDB) Participant User File ${r.input.file} (${r.input.layout} layout; SHA-256 ${r.input.sha256}). Patients diagnosed ${y.from}–${y.to} were eligible${y.finalYearDropped ? `; ${y.finalYear}, the file's final diagnosis year, was not used because its follow-up (vital status) is not released` : ''}.${r.synthetic ? ' This run used synthetic data generated to the PUF layout; its numbers carry no clinical meaning.' : ''}`));
  out.push('<h3>Cohort</h3>');
  out.push(paragraph('Patients were selected in this order (the flow diagram gives the numbers):'));
  out.push(`<ol class="inclusion-rules">${r.attrition.map((s) => `<li>${escapeHtml(s.description)}</li>`).join('')}</ol>`);
  out.push('<h3>Definitions</h3>');
  out.push(paragraph(`Exposure: curative surgery after the start of immunotherapy, coded in RX_SUMM_SURG_PRIM_SITE as resection (${p.exposure.resection_codes.join(', ')}) or liver transplant (${p.exposure.transplant_codes.join(', ')}); ablation (${p.exposure.ablation_codes.join(', ') || 'none'}) was not counted as surgery. Immunotherapy: RX_SUMM_IMMUNOTHERAPY ${p.cohort.immunotherapy_codes.join('/')}.`));
  out.push(paragraph(codingText(ctx)));
  out.push(paragraph(`Time zero is the start of immunotherapy (DX_IMMUNO_STARTED_DAYS). Overall survival, in months, is DX_LASTCONTACT_DEATH_MONTHS − DX_IMMUNO_STARTED_DAYS / ${p.time.days_per_month}, with death from PUF_VITAL_STATUS. The day of surgery is taken from ${list(p.exposure.surgery_day_items)} (the first one present, in that order) and converted to months since immunotherapy start with ${p.time.days_per_month} days per month.`));
  out.push('<h3>Statistical analysis</h3>');
  out.push(paragraph(`Table 1 compares groups with the chi-square test (Fisher's exact test for sparse 2 × 2 tables) and the Kruskal–Wallis test, and reports standardized mean differences between any surgery and immunotherapy alone. Predictors of surgery were estimated by multivariable logistic regression on ${labels(p.covariates.predictors_of_surgery)}.`));
  out.push(paragraph(`Survival was estimated by Kaplan–Meier with log-transformed 95% confidence intervals and compared by the log-rank test. Cox models used ${a.cox_ties === 'efron' ? "Efron's" : "Breslow's"} method for ties; adjusted models included ${labels(p.covariates.adjusted)}. A naive Cox model that classifies patients by eventual surgery is reported only to show the size of immortal-time bias.`));
  out.push(paragraph(`Immortal time was handled three ways. (1) MAIN analysis: surgery as a time-dependent exposure, with each patient's follow-up split at the day of surgery (counting-process data) and robust standard errors clustered on the patient; Simon–Makuch curves show survival by current exposure. (2) Landmark analyses at ${list(a.landmark.months.map(String))} months: patients alive at the landmark, classified by surgery before it, followed from the landmark (main landmark ${a.landmark.main} months). (3) Target-trial emulation by clone–censor–weight: every patient was cloned into "surgery within ${a.clone_censor_weight.grace_months} months" and "no surgery", clones were censored when they deviated from their strategy, and censoring was corrected by inverse-probability weights from a ${a.clone_censor_weight.censoring_model === 'cox' ? 'Cox' : 'pooled logistic'} model on the adjustment covariates in ${a.clone_censor_weight.interval_months}-month intervals${ccwTruncation(ctx)}; survival was compared at ${list(a.clone_censor_weight.survival_times_months.map((t) => `${t}`))} months.`));
  out.push(paragraph(`Propensity scores for surgery by the ${a.landmark.main}-month landmark were estimated by logistic regression on ${labels(p.covariates.propensity)}. Matching: nearest neighbour 1:${a.psm.ratio} on the logit of the score, ${a.psm.replace ? 'with' : 'without'} replacement, ${a.psm.caliper_sd === null ? 'no caliper' : `caliper ${a.psm.caliper_sd} standard deviations of the logit`}, matching order "${a.psm.m_order}" (as MatchIt); Cox standard errors were clustered on the matched set. Weighting: inverse-probability-of-treatment weights for the ${list(a.iptw.estimands)}${a.iptw.stabilize ? ', stabilized' : ''}${a.iptw.truncate_percentiles ? `, truncated at the ${a.iptw.truncate_percentiles.map((q) => ordinal(+(q * 100).toFixed(2))).join(' and ')} percentiles` : ''}, with robust standard errors. Balance was judged by standardized mean differences (threshold 0.1).`));
  const ccw = r.analyses.clone_censor_weight;
  const boot = !isSkipped(ccw) && ccw.bootstrap ? ` (${ccw.bootstrap.replicates} replicates run, ${ccw.bootstrap.failures} failed)` : '';
  out.push(paragraph(`Confidence intervals of the clone–censor–weight estimates are percentile intervals from ${a.bootstrap_replicates} bootstrap replicates over patients${boot}, random seed ${r.seed}. Restricted mean survival time was estimated at τ = ${list(a.rmst_tau_months.map(String))} months in the ${a.landmark.main}-month landmark cohort. Proportional hazards were checked with scaled Schoenfeld residuals (cox.zph, Kaplan–Meier time transform). Counts from 1 to ${p.reporting.suppress_below - 1} are shown as <${p.reporting.suppress_below}, as the NCDB data-use agreement requires${ctx.suppress ? '' : ' (suppression was turned OFF for this build)'}.`));
  out.push(paragraph(`Software: ${r.software.name} ${r.software.version} (TypeScript, Node.js), whose Kaplan–Meier, log-rank, Cox (Efron ties, counting-process data, robust variance), cox.zph and RMST routines follow the algorithms of R's survival package and are tested against it to a relative tolerance of 1e-6; matching follows MatchIt. The folder also holds reproduce.R, which refits the main models in R from the analysis dataset.`));
  return out.join('');
}
