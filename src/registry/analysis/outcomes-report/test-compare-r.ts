/**
 * Test support: compares the outcomes report's results.json with reproduce.R's
 * reproduce-results.json (R survival + cmprsk refits from the same export), number by number, at a
 * relative tolerance of 1e-6 (assertClose). Returns the largest relative difference per estimator
 * group, for the closing note's agreement table.
 */
import assert from 'node:assert/strict';
import { assertClose, relDiff } from '../../../testing/approx.js';
import type { KmResult, ModelResult, OutcomesResults } from './compute.js';

type Num = number | null;
const arr = (x: unknown): Num[] => (Array.isArray(x) ? (x as Num[]) : x === undefined ? [] : [x as Num]);

interface RKm { n: number; events: number; median: Num; median_lower: Num; median_upper: Num; curve: Record<string, unknown>; risk_table: { time: unknown; n_risk: unknown } }
interface RTerm { term: string; coef: number; se: number; hr: number; lower: number; upper: number; p: number }
interface RModel { n: number; events?: number; terms: RTerm[] | RTerm }
export interface ROutcomes {
  km: Record<'itt_os' | 'post_surgery_os' | 'rfs', RKm>;
  rejection?: {
    n: number;
    cuminc: { group: string; cause: number; time: unknown; est: unknown; var: unknown }[];
    at: { times: unknown; rows: { group: string; cause: number; est: unknown; var: unknown }[] };
    gray?: { cause: number; statistic: number; df: number; p: number }[];
    fine_gray: RModel; cause_specific: RModel; fine_gray_unadjusted: RModel; cause_specific_unadjusted: RModel;
  };
  pathology?: { n: number; complete_response: number; rate: number; lower: number; upper: number };
}

export type Agreement = Record<string, number>;

function track(agreement: Agreement, key: string, ours: Num | undefined, theirs: Num | undefined, label: string, tol = 1e-6): void {
  assertClose(ours, theirs, label, tol);
  if (typeof ours === 'number' && typeof theirs === 'number') agreement[key] = Math.max(agreement[key] ?? 0, relDiff(ours, theirs));
}

function trackAll(agreement: Agreement, key: string, ours: Num[], theirs: Num[], label: string): void {
  assert.equal(ours.length, theirs.length, `${label}: ${ours.length} values, R has ${theirs.length}`);
  ours.forEach((v, i) => track(agreement, key, v, theirs[i], `${label}[${i}]`));
}

function compareKm(agreement: Agreement, ours: KmResult | { skipped: string }, r: RKm, name: string): void {
  if ('skipped' in ours) return;
  assert.equal(ours.n, r.n, `${name} n`);
  assert.equal(ours.events, r.events, `${name} events`);
  for (const k of ['time', 'n_risk', 'n_event', 'n_censor'] as const) assert.deepEqual(ours.curve[k], arr(r.curve[k]), `${name} ${k}`);
  for (const k of ['surv', 'std_err', 'lower', 'upper'] as const) trackAll(agreement, 'Kaplan–Meier S(t), SE, CI (survfit)', ours.curve[k], arr(r.curve[k]), `${name} ${k}`);
  track(agreement, 'Kaplan–Meier median and CI', ours.median, r.median, `${name} median`);
  track(agreement, 'Kaplan–Meier median and CI', ours.median_lower, r.median_lower, `${name} median lower`);
  track(agreement, 'Kaplan–Meier median and CI', ours.median_upper, r.median_upper, `${name} median upper`);
  assert.deepEqual(ours.risk_table.n_risk, arr(r.risk_table.n_risk), `${name} numbers at risk`);
}

function compareModel(agreement: Agreement, key: string, ours: ModelResult | { skipped: string }, r: RModel, name: string): void {
  if ('skipped' in ours) return;
  const terms = Array.isArray(r.terms) ? r.terms : [r.terms];
  assert.deepEqual(ours.terms.map((t) => t.term), terms.map((t) => t.term), `${name} terms`);
  assert.equal(ours.n, r.n, `${name} n`);
  ours.terms.forEach((t, j) => {
    for (const k of ['coef', 'se', 'hr', 'lower', 'upper', 'p'] as const) track(agreement, key, t[k], terms[j]![k], `${name} ${t.term} ${k}`);
  });
}

/** Asserts agreement to 1e-6 and returns the largest relative difference per estimator. */
export function compareWithR(results: OutcomesResults, r: ROutcomes): Agreement {
  const agreement: Agreement = {};
  compareKm(agreement, results.km.itt_os, r.km.itt_os, 'ITT OS');
  compareKm(agreement, results.km.post_surgery_os, r.km.post_surgery_os, 'post-surgery OS');
  compareKm(agreement, results.km.rfs, r.km.rfs, 'RFS');
  const rej = results.rejection;
  if (!('skipped' in rej)) {
    assert.ok(r.rejection, 'R fitted the rejection analyses');
    assert.equal(rej.n, r.rejection.n, 'rejection analysis n');
    assert.equal(rej.cuminc.length, r.rejection.cuminc.length, 'cuminc curves');
    rej.cuminc.forEach((c, i) => {
      const rc = r.rejection!.cuminc[i]!;
      assert.equal(`${c.group} ${c.cause}`, `${rc.group} ${rc.cause}`, 'cuminc curve order');
      assert.deepEqual(c.time, arr(rc.time), `cuminc ${c.group} ${c.cause} time`);
      trackAll(agreement, 'cumulative incidence estimate (cuminc)', c.est, arr(rc.est), `cuminc ${c.group} ${c.cause} est`);
      trackAll(agreement, 'cumulative incidence variance (cuminc)', c.var, arr(rc.var), `cuminc ${c.group} ${c.cause} var`);
    });
    rej.at.rows.forEach((row, i) => {
      const rr = r.rejection!.at.rows[i]!;
      trackAll(agreement, 'cumulative incidence estimate (cuminc)', row.est, arr(rr.est), `timepoints ${row.group} ${row.cause} est`);
      trackAll(agreement, 'cumulative incidence variance (cuminc)', row.var, arr(rr.var), `timepoints ${row.group} ${row.cause} var`);
    });
    if (!('skipped' in rej.gray)) {
      rej.gray.forEach((g, i) => {
        const rg = r.rejection!.gray![i]!;
        assert.equal(g.cause, rg.cause);
        assert.equal(g.df, rg.df);
        track(agreement, "Gray's test statistic and p", g.statistic, rg.statistic, `Gray cause ${g.cause} statistic`);
        track(agreement, "Gray's test statistic and p", g.p, rg.p, `Gray cause ${g.cause} p`);
      });
    }
    compareModel(agreement, 'Fine–Gray (crr) coef, SE, HR, CI, p', rej.fine_gray, r.rejection.fine_gray, 'Fine–Gray adjusted');
    compareModel(agreement, 'Fine–Gray (crr) coef, SE, HR, CI, p', rej.fine_gray_unadjusted, r.rejection.fine_gray_unadjusted, 'Fine–Gray unadjusted');
    compareModel(agreement, 'cause-specific Cox (coxph) coef, SE, HR, CI, p', rej.cause_specific, r.rejection.cause_specific, 'cause-specific adjusted');
    compareModel(agreement, 'cause-specific Cox (coxph) coef, SE, HR, CI, p', rej.cause_specific_unadjusted, r.rejection.cause_specific_unadjusted, 'cause-specific unadjusted');
  }
  if (results.pathology.n > 0) {
    assert.ok(r.pathology);
    assert.equal(results.pathology.complete_response, r.pathology.complete_response);
    track(agreement, 'pCR rate and Wilson CI (prop.test)', results.pathology.rate, r.pathology.rate, 'pCR rate');
    track(agreement, 'pCR rate and Wilson CI (prop.test)', results.pathology.lower, r.pathology.lower, 'pCR lower');
    track(agreement, 'pCR rate and Wilson CI (prop.test)', results.pathology.upper, r.pathology.upper, 'pCR upper');
  }
  return agreement;
}
