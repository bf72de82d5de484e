// The synthetic file's reason to exist: a time-dependent Cox model fitted to the cohort the
// protocol selects must recover the true surgery hazard ratio the generator was given.
// Here the truth is set to 0.5 (not the default), so the test also shows the option drives the data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLayout } from '../ncdb/default-layout.js';
import { coxph } from '../stats/cox.js';
import type { DesignMatrix } from '../stats/types.js';
import { generateSyntheticPuf } from './generate.js';

const TRUE_HR = 0.5;

test('adjusted time-dependent Cox on the protocol cohort recovers the true surgery HR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-synth-hr-'));
  try {
    const path = join(dir, 'x.dat');
    const truth = await generateSyntheticPuf({ site: 'liver', rows: 250000, seed: 777, outPath: path, trueSurgeryHr: TRUE_HR });
    const layout = defaultLayout();
    const col = new Map(layout.items.map((i) => [i.name, i]));
    const v = (l: string, n: string) => l.substring(col.get(n)!.start - 1, col.get(n)!.end).trim();
    const lines = readFileSync(path, 'latin1').split('\n');
    lines.pop();

    // Counting-process rows: (start, stop], event, surgery(t), age, Charlson 1-3, stage IV, AFP elevated.
    const start: number[] = [], stop: number[] = [], event: number[] = [], surg: number[] = [], age: number[] = [];
    const c1: number[] = [], c2: number[] = [], c3: number[] = [], st4: number[] = [], afp: number[] = [];
    let patients = 0;
    let surgical = 0;
    for (const l of lines) {
      const year = Number(v(l, 'YEAR_OF_DIAGNOSIS'));
      const hist = Number(v(l, 'HISTOLOGY'));
      if (v(l, 'PRIMARY_SITE') !== 'C220' || hist < 8170 || hist > 8175 || v(l, 'BEHAVIOR') !== '3' || year < 2017 || year > 2020) continue;
      const a = v(l, 'AGE');
      if (a === '999' || Number(a) < 18 || v(l, 'CLASS_OF_CASE') === '00' || !['00', '01'].includes(v(l, 'SEQUENCE_NUMBER'))) continue;
      const g = year >= 2018 ? v(l, 'AJCC_TNM_CLIN_STG_GRP') : v(l, 'TNM_CLIN_STAGE_GROUP');
      const stage = /^[0-4]/.test(g) ? g.charAt(0) : v(l, 'ANALYTIC_STAGE_GROUP');
      if (stage !== '3' && stage !== '4') continue;
      const days = v(l, 'DX_IMMUNO_STARTED_DAYS');
      if (v(l, 'RX_SUMM_IMMUNOTHERAPY') !== '01' || days === '') continue;
      const m = v(l, 'DX_LASTCONTACT_DEATH_MONTHS');
      const os = Number(m) - Number(days) / 30.4375;
      if (m === '' || Number(m) === 9999 || !(os > 0)) continue;
      const code = Number(v(l, 'RX_SUMM_SURG_PRIM_SITE'));
      const sd = v(l, 'DX_DEFSURG_STARTED_DAYS') || v(l, 'DX_SURG_STARTED_DAYS');
      if (code >= 20 && code <= 90 && sd !== '' && Number(sd) <= Number(days)) continue;
      if (code === 90 || code === 99 || (code >= 20 && code <= 89 && sd === '')) continue;
      patients++;
      const dead = v(l, 'PUF_VITAL_STATUS') === '0' ? 1 : 0;
      const cc = Number(v(l, 'CDCC_TOTAL_BEST'));
      const afpHigh = year >= 2018 ? v(l, 'AFP_PRE_INTERP') === '1' : v(l, 'CS_SITESPECIFIC_FACTOR_1') === '010';
      const push = (t0: number, t1: number, e: number, s: number) => {
        start.push(t0); stop.push(t1); event.push(e); surg.push(s); age.push(Number(a));
        c1.push(cc === 1 ? 1 : 0); c2.push(cc === 2 ? 1 : 0); c3.push(cc === 3 ? 1 : 0); st4.push(stage === '4' ? 1 : 0); afp.push(afpHigh ? 1 : 0);
      };
      const curative = (code >= 20 && code <= 60) || code === 61 || code === 75;
      const ts = curative ? (Number(sd) - Number(days)) / 30.4375 : Infinity;
      if (curative) surgical++;
      // Surgery at or after the (0.1-month truncated) last contact cannot split follow-up: R's
      // tmerge drops such a change too. truth.json counts these patients.
      if (ts < os) {
        push(0, ts, 0, 0);
        push(ts, os, dead, 1);
      } else {
        push(0, os, dead, 0);
      }
    }
    assert.equal(patients, truth.attrition[10]!.remaining, 'the test cohort is the truth cohort');
    assert.equal(surgical, truth.groups.resection + truth.groups.transplant);
    assert.equal(start.length - patients, surgical - truth.cohort.surgeryNotBeforeLastContact);

    const n = start.length;
    const f = (a: number[]) => Float64Array.from(a);
    const names = ['surgery', 'age', 'cdcc1', 'cdcc2', 'cdcc3', 'stage4', 'afp'];
    const x: DesignMatrix = { n, p: 7, columns: [f(surg), f(age), f(c1), f(c2), f(c3), f(st4), f(afp)], names, assign: Int32Array.from([0, 1, 2, 3, 4, 5, 6]), termLabels: names };
    const fit = coxph(x, { n, start: f(start), stop: f(stop), event: Uint8Array.from(event) });
    const b = fit.coefficients[0]!;
    const se = fit.se[0]!;
    // The model is correctly specified (up to the 0.1-month truncation of the months item), so
    // the estimate lies within 3 standard errors of the truth; the other effects are checked too.
    assert.ok(Math.abs(b - Math.log(TRUE_HR)) < 3 * se, `HR ${Math.exp(b)} (se of log HR ${se}) vs true ${TRUE_HR}`);
    const p = truth.parameters.survivalCore;
    assert.ok(Math.abs(fit.coefficients[1]! * 10 - p.logHrAgePer10) < 3 * 10 * fit.se[1]!, 'age effect');
    assert.ok(Math.abs(fit.coefficients[6]! - p.logHrAfpElevated) < 3 * fit.se[6]!, 'AFP effect');
    const logStage4 = Math.log(Math.pow(p.medianMonthsStage3 / p.medianMonthsStage4, p.shape));
    assert.ok(Math.abs(fit.coefficients[5]! - logStage4) < 3 * fit.se[5]!, `stage IV effect ${fit.coefficients[5]} vs ${logStage4}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
