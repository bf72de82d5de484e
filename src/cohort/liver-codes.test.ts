// Golden records of the liver code tables (liver-codes.ts), one assertion per code, each with the
// text of its source quoted beside it: the NAACCR SSDI manual (liver schema), the Collaborative
// Stage v02.05 liver schema, or the NCDB PUF 2021 data dictionary. The CS and SSDI code texts are
// not in shared/ncdb; they were read from the SEER staging algorithm tables of those manuals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  academicIndicator, academicLevel, afpInterpretation, afpLevel, afpValueGroup, afpValueNgMl, csInr, csLab, facilityType,
  fibrosisLevel, meldFromLabs, meldLabs, radiationLevel, raceEthnicity, ssdiInr, ssdiLab, tumorSize,
} from './liver-codes.js';
import { daysValue } from './rules.js';

test('AFP interpretation: SSDI 3809 from 2018, CS v02.05 liver SSF1 for 2010-2017, nothing before 2010', () => {
  // SSDI 3809: "0 | Negative/normal; within normal limits", "1 | Positive/elevated", "2 | Borderline; undetermined if positive or negative",
  // "7 | Test ordered, results not in chart", "8 | Not applicable", "9 | Not documented in medical record"
  assert.deepEqual(['0', '1', '2', '7', '8', '9', ''].map((c) => afpInterpretation(2019, c, null)), ['Normal', 'Elevated', 'Borderline', 'Unknown', 'Unknown', 'Unknown', 'Unknown']);
  // CS SSF1: "010 | Positive/elevated", "020 | Negative/normal; within normal limits", "030 | Borderline; undetermined if positive or negative",
  // "000 | OBSOLETE DATA CONVERTED V0203 See code 998", "080 | OBSOLETE ... See code 997", "988 | Not applicable", "997 | Test ordered, results not in chart",
  // "998 | Test not done", "999 | Unknown or no information"
  assert.deepEqual(['010', '020', '030', '000', '080', '988', '997', '998', '999', '10'].map((c) => afpInterpretation(2015, null, c)), ['Elevated', 'Normal', 'Borderline', 'Unknown', 'Unknown', 'Unknown', 'Unknown', 'Unknown', 'Unknown', 'Elevated']);
  // The item of the other era is never read.
  assert.equal(afpInterpretation(2019, '', '010'), 'Unknown');
  assert.equal(afpInterpretation(2017, '1', ''), 'Unknown');
  assert.equal(afpInterpretation(2009, '1', '010'), 'Unknown');
  assert.equal(afpLevel('Borderline', 'normal'), 'Normal');
  assert.equal(afpLevel('Borderline', 'own_level'), 'Borderline');
});

test('AFP value: SSDI 3810 exact values from 2018; CS SSF3 ranges for 2010-2017', () => {
  // SSDI 3810: "0.1-9999.9 | 0.1-9999.9 ng/ml (Exact value to nearest tenth of ng/ml)", "XXXX.1 | 10,000.0 ng/ml or greater", "XXXX.9 | Not documented"
  assert.equal(afpValueNgMl(2019, '12.5'), 12.5);
  assert.ok(Number.isNaN(afpValueNgMl(2019, 'XXXX.1')));
  assert.equal(afpValueGroup(2019, 'XXXX.1', null), '>=400 ng/ml');
  assert.equal(afpValueGroup(2019, 'XXXX.9', null), 'Unknown');
  assert.deepEqual(['0.0', '19.9', '20.0', '399.9', '400.0'].map((v) => afpValueGroup(2020, v, null)), ['<20 ng/ml', '<20 ng/ml', '20-399 ng/ml', '20-399 ng/ml', '>=400 ng/ml']);
  // CS SSF3: "000 | 0 nanograms/milliliter (ng/ml)", "001 | 1 - 19 ng/ml", "002 | 20 - 29 ng/ml", "030 | 300 - 399 ng/ml", "040 | 400 - 499 ng/ml",
  // "200 | Greater than or equal to 10,000 ng/ml", "988 | Not applicable", "997 | Test ordered, results not in chart", "999 | Unknown"
  assert.deepEqual(['000', '001', '002', '030', '040', '120', '200', '988', '997', '999', '011'].map((c) => afpValueGroup(2016, null, c)),
    ['<20 ng/ml', '<20 ng/ml', '20-399 ng/ml', '20-399 ng/ml', '>=400 ng/ml', '>=400 ng/ml', '>=400 ng/ml', 'Unknown', 'Unknown', 'Unknown', 'Unknown']);
});

test('fibrosis: SSDI 3835 from 2018, CS v02.05 liver SSF2 for 2010-2017', () => {
  // SSDI 3835: "0 | ... No to moderate fibrosis * Ishak fibrosis score 0-4", "1 | ... Advanced/severe fibrosis ... Cirrhosis",
  // "7 | Clinical statement of advanced/severe fibrosis or cirrhosis, AND Not histologically confirmed", "8 | Not applicable", "9 | Not documented"
  assert.deepEqual(['0', '1', '7', '8', '9', ''].map((c) => fibrosisLevel(2018, c, null)), ['None to moderate', 'Advanced or cirrhosis', 'Advanced or cirrhosis', 'Unknown', 'Unknown', 'Unknown']);
  // CS SSF2: "000 | F0: Fibrosis score 0-4 (None to moderate fibrosis)", "001 | F1: Fibrosis score 5-6 (Severe fibrosis or cirrhosis)", "988", "999"
  assert.deepEqual(['000', '001', '988', '999', '0', '1'].map((c) => fibrosisLevel(2012, null, c)), ['None to moderate', 'Advanced or cirrhosis', 'Unknown', 'Unknown', 'None to moderate', 'Advanced or cirrhosis']);
});

test('MELD labs: SSDI value and unit codes; CS SSF4-SSF8 implied-decimal codes', () => {
  // SSDI 3814/3825: "1 | Milligrams per deciliter (mg/dL)", "2 | Micromoles/liter (umol/L)", "7", "8", "9 | Not documented": only 1 and 2 give a value.
  assert.deepEqual(ssdiLab('bilirubin', '1.5', '1'), { value: 1.5, atLeast: false });
  assert.deepEqual(ssdiLab('bilirubin', '34.2', '2'), { value: 34.2 / 17.1, atLeast: false });
  assert.deepEqual(ssdiLab('creatinine', '88.4', '2'), { value: 1, atLeast: false });
  for (const u of ['7', '8', '9', '']) assert.ok(Number.isNaN(ssdiLab('creatinine', '1.0', u).value), `unit ${u}`);
  // SSDI 3824: "XX.1 | 100 mg/dl or greater 100 umol/L or greater"; SSDI 3813: "XXX.1 | 1000 milligram/deciliter (mg/dL) or greater"
  assert.deepEqual(ssdiLab('creatinine', 'XX.1', '1'), { value: 100, atLeast: true });
  assert.deepEqual(ssdiLab('bilirubin', 'XXX.1', '1'), { value: 1000, atLeast: true });
  assert.ok(Number.isNaN(ssdiLab('bilirubin', 'XXX.9', '1').value));
  // SSDI 3860: "0.2-9.9 | 0.2 - 9.9 (Exact ratio to nearest tenth)", "X.1 | 10 or greater"
  assert.deepEqual(ssdiInr('1.3'), { value: 1.3, atLeast: false });
  assert.deepEqual(ssdiInr('X.1'), { value: 10, atLeast: true });
  // CS SSF4: "Record a creatinine value of 0.53 mg/dL as 005; record a value of 60 umol/l as 600; and record a value of 110 umol/l as 980";
  // "980 | 98.0 mg/dl or greater 98.0 umol/l or greater"; SSF5 "010 | Milligrams/deciliter (mg/dl)", "020 | Micromoles/liter (umol/l)", "997", "999"
  assert.deepEqual(csLab('creatinine', '005', '010'), { value: 0.5, atLeast: false });
  assert.deepEqual(csLab('creatinine', '600', '020'), { value: 60 / 88.4, atLeast: false });
  assert.deepEqual(csLab('creatinine', '980', '010'), { value: 98, atLeast: true });
  assert.ok(Number.isNaN(csLab('creatinine', '012', '997').value));
  assert.ok(Number.isNaN(csLab('bilirubin', '999', '010').value));
  // CS SSF6 "record a value of 5.3 umol/l as 053"
  assert.deepEqual(csLab('bilirubin', '053', '020'), { value: 5.3 / 17.1, atLeast: false });
  // CS SSF8: "Record INR of 0.5 as 005; record INR of 5 as 050", "100 | INR 10.0 or greater"
  assert.deepEqual([csInr('005'), csInr('050'), csInr('100')], [{ value: 0.5, atLeast: false }, { value: 5, atLeast: false }, { value: 10, atLeast: true }]);
  assert.ok(Number.isNaN(csInr('999').value));
});

test('MELD: UNOS formula, values below 1 set to 1, creatinine capped at 4; "or greater" codes', () => {
  const r = (value: number, atLeast = false) => ({ value, atLeast });
  // Hand-worked: bilirubin 2, INR 1.5, creatinine 1.2.
  assert.equal(meldFromLabs({ bilirubin: r(2), inr: r(1.5), creatinine: r(1.2) }), 3.78 * Math.log(2) + 11.2 * Math.log(1.5) + 9.57 * Math.log(1.2) + 6.43);
  // Floors: 0.0 values (SSDI "0.0") are legal and become 1: MELD = 6.43.
  assert.equal(meldFromLabs({ bilirubin: r(0), inr: r(0.8), creatinine: r(0.4) }), 6.43);
  // Cap: creatinine 5 and creatinine "100 or greater" both count as 4.
  assert.equal(meldFromLabs({ bilirubin: r(1), inr: r(1), creatinine: r(5) }), 9.57 * Math.log(4) + 6.43);
  assert.equal(meldFromLabs({ bilirubin: r(1), inr: r(1), creatinine: r(100, true) }), 9.57 * Math.log(4) + 6.43);
  // CS 980 in umol/l ("98.0 umol/l or greater" = 1.1 mg/dl or more): below the cap, so MELD is not known.
  assert.ok(Number.isNaN(meldFromLabs({ bilirubin: r(1), inr: r(1), creatinine: r(98 / 88.4, true) })));
  // Bilirubin or INR known only as "or greater": not known.
  assert.ok(Number.isNaN(meldFromLabs({ bilirubin: r(1000, true), inr: r(1), creatinine: r(1) })));
  assert.ok(Number.isNaN(meldFromLabs({ bilirubin: r(1), inr: r(10, true), creatinine: r(1) })));
  // Era: the CS SSFs are read for 2017, not for 2018.
  const items: Record<string, string> = { CS_SITESPECIFIC_FACTOR_4: '012', CS_SITESPECIFIC_FACTOR_5: '010', CS_SITESPECIFIC_FACTOR_6: '020', CS_SITESPECIFIC_FACTOR_7: '010', CS_SITESPECIFIC_FACTOR_8: '015' };
  assert.equal(meldFromLabs(meldLabs(2017, (k) => items[k] ?? null)), 3.78 * Math.log(2) + 11.2 * Math.log(1.5) + 9.57 * Math.log(1.2) + 6.43);
  assert.ok(Number.isNaN(meldFromLabs(meldLabs(2018, (k) => items[k] ?? null))));
});

test('tumour size: 989 kept; CS bands 991-995 before 2016 are under 5 cm', () => {
  // Dictionary TUMOR_SIZE_SUMMARY_2016: "989 989 millimeters or larger", "990 Microscopic focus or foci only"
  assert.deepEqual(tumorSize(2019, null, '989'), { mm: 989, level: '>100 mm' });
  assert.deepEqual(tumorSize(2019, null, '990'), { mm: NaN, level: 'Unknown' });
  assert.deepEqual(tumorSize(2019, null, '050'), { mm: 50, level: '<=50 mm' });
  // CS Tumor Size (v02.05): "991 | Described as "less than 1 centimeter (cm)"", "995 | Described as "less than 5 cm," or "greater than 4 cm," or "between 4 cm and 5 cm"",
  // "996 | Described as "greater than 5cm"", "999 | Unknown; size not stated"
  assert.deepEqual(tumorSize(2015, '991', null), { mm: NaN, level: '<=50 mm' });
  assert.deepEqual(tumorSize(2014, '995', null), { mm: NaN, level: '<=50 mm' });
  assert.deepEqual(tumorSize(2014, '996', null), { mm: NaN, level: 'Unknown' });
  assert.deepEqual(tumorSize(2014, '999', null), { mm: NaN, level: 'Unknown' });
  assert.deepEqual(tumorSize(2015, '989', null), { mm: 989, level: '>100 mm' });
  // From 2016 the summary item has no 991-995 codes ("Allowable Values: 000 - 990, 998, 999, blank").
  assert.deepEqual(tumorSize(2016, '120', '993'), { mm: NaN, level: 'Unknown' });
});

test('race/ethnicity, facility type, radiation, negative days (dictionary code tables)', () => {
  // SPANISH_HISPANIC_ORIGIN: "0 Non-Spanish,Non-Hispanic", "1 Mexican (includes Chicano)", "9 Unknown whether of Spanish/Hispanic origin"
  assert.deepEqual([['01', '0'], ['02', '0'], ['01', '9'], ['02', '9'], ['01', ''], ['01', '1'], ['04', '9'], ['03', '0'], ['99', '0']].map(([r, h]) => raceEthnicity(r!, h!)),
    ['Non-Hispanic White', 'Non-Hispanic Black', 'Other or unknown', 'Other or unknown', 'Other or unknown', 'Hispanic', 'Asian/Pacific Islander', 'Other or unknown', 'Other or unknown']);
  // FACILITY_TYPE_CD: "3 Academic/Research Program", "blank Not available"; "This item is suppressed for cases aged 0-39."
  assert.deepEqual(['1', '3', '4', '', '7'].map(facilityType), ['Community', 'Academic/research', 'Integrated network', 'Unknown', 'Unknown']);
  assert.deepEqual(['3', '1', ''].map(academicIndicator).map((x) => (Number.isNaN(x) ? 'NaN' : x)), [1, 0, 'NaN']);
  assert.deepEqual(['3', '2', ''].map(academicLevel), ['Academic/research', 'Other', 'Unknown']);
  // RAD_LOCATION_OF_RX: "0 No radiation treatment", "1 All radiation treatment at this facility", "4 All radiation treatment elsewhere",
  // "8 Other ... Radiation therapy was administered", "9 Unknown"
  assert.deepEqual([['', '1'], ['', '4'], ['', '8'], ['', '0'], ['', '9'], ['', ''], ['-3', '0'], ['12', '']].map(([d, l]) => radiationLevel(d!, l!)), ['Yes', 'Yes', 'Yes', 'No', 'Unknown', 'Unknown', 'Yes', 'Yes']);
  // DX_SURG_STARTED_DAYS: "Allowable Values: -9999999 – 99999999 (negative and positive), blank"
  assert.equal(daysValue('-12'), -12);
  assert.ok(Number.isNaN(daysValue('')));
});
