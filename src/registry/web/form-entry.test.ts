// Form entry from the study definition, both directions, checked on hand-worked examples from
// the built-in ici-transplant definition: what the HTML offers (labels, units, choice labels,
// missing codes where allowed, show_if as data) and what a submitted body becomes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtInDefinition } from '../definition/load.js';
import { findForm } from '../definition/schema.js';
import { validateFormSave } from '../definition/validate.js';
import { describeCondition, describeFieldValue, parseFormBody, renderFormFields } from './form-entry.js';
import { escapeHtml, html, raw } from './html.js';
import { parseUrlEncoded } from './plugin.js';

const def = builtInDefinition();
const form = (id: string) => findForm(def, id)!;

test('html escapes every interpolated value; only Html passes through', () => {
  const evil = '"><script>alert(1)</script>&\'';
  assert.equal(html`<p title="${evil}">${evil}</p>`.text, '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;</p>');
  assert.equal(html`${[html`<b>${'<i>'}</b>`, raw('<br>'), null, undefined, false, 3]}`.text, '<b>&lt;i&gt;</b><br>3');
  assert.equal(escapeHtml('a&b'), 'a&amp;b');
});

test('url-encoded bodies: repeated names become lists, + and %xx decoded', () => {
  assert.deepEqual(parseUrlEncoded('_csrf=a%2Bb&f.aetiology=hcv&f.aetiology=alcohol&f.sex=male&f.x=one+two'), {
    _csrf: 'a+b', 'f.aetiology': ['hcv', 'alcohol'], 'f.sex': 'male', 'f.x': 'one two',
  });
});

test('a submitted baseline body becomes the values the forms service validates', () => {
  const parsed = parseFormBody(form('baseline'), {
    'f.age_at_enrolment': ' 58 ', 'f.sex': 'male', 'f.aetiology': ['hcv', 'alcohol'], 'f.afp_ng_ml': '240.5',
    'f.meld': '', 'm.meld': 'unknown', 'f.ecog': '', 'f.bogus': 'x',
  });
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.values, { age_at_enrolment: '58', sex: 'male', aetiology: ['hcv', 'alcohol'], afp_ng_ml: '240.5', meld: { missing: 'unknown' }, bogus: 'x' });
  // The server's validation names the unknown field and takes the rest.
  const v = validateFormSave(def, { formId: 'baseline', instance: 1, values: parsed.values, record: {}, today: '2026-01-01' });
  assert.deepEqual(v.errors.map((e) => e.field), ['bogus']);
  assert.deepEqual(v.values.aetiology, ['hcv', 'alcohol']);
  assert.equal(v.values.age_at_enrolment, 58);
});

test('a value and a missing code for one field is refused, naming the field', () => {
  const parsed = parseFormBody(form('baseline'), { 'f.meld': '12', 'm.meld': 'not_done' });
  assert.deepEqual(parsed.errors, [{ field: 'meld', message: 'MELD score: enter a value or mark it not done, not both' }]);
  assert.equal(parsed.values.meld, undefined);
});

test('rendered fields: label with unit, choices by label, missing codes only where allowed, show_if as data', () => {
  const out = renderFormFields(form('ici_line'), { display: { regimen: 'other', cycles: '6' }, errors: [{ field: 'cycles', message: 'Cycles too high' }], warnings: [], derived: {}, disabled: false }).text;
  // Regimen: 6 choices -> radios with their labels; no missing codes (missing: []).
  assert.match(out, /<input type="radio" name="f\.regimen" value="other" checked[^>]*> Other<\/label>/);
  assert.match(out, /> Atezolizumab \+ bevacizumab<\/label>/);
  assert.ok(!out.includes('name="m.regimen"'));
  // Cycles: both missing codes offered; its error beside it, wired to the input.
  assert.match(out, /<select class="missing" name="m\.cycles"[^>]*>\s*<option value="">Missing\?<\/option><option value="not_done">Not done<\/option><option value="unknown">Unknown<\/option>/);
  assert.match(out, /id="f-cycles" name="f\.cycles" type="text" inputmode="numeric" class="num" value="6" autocomplete="off" aria-describedby="f-cycles-error" aria-invalid="true"/);
  assert.match(out, /<p class="field-error" id="f-cycles-error">Cycles too high<\/p>/);
  // Branching: the condition travels as JSON and is written out for readers without script.
  assert.match(out, /id="field-reason_stopped" data-field="reason_stopped" data-show-if="\{&quot;field&quot;:&quot;last_dose_date&quot;,&quot;filled&quot;:true\}"/);
  assert.match(out, /Only when Last dose date is filled in/);
  const surgery = renderFormFields(form('surgery'), { display: {}, errors: [], warnings: [], derived: { washout_days: 70 }, disabled: false }).text;
  assert.match(surgery, /Washout \(last ICI dose to surgery\) <span class="unit">\(days\)<\/span>/);
  assert.match(surgery, /<output id="f-washout_days"[^>]*>70 days<\/output>/);
  assert.match(surgery, /Only when Type of surgery is Deceased-donor liver transplant or Living-donor liver transplant/);
});

test('conditions and values in words', () => {
  assert.equal(describeCondition({ field: 'biopsy_proven', equals: 'yes' }, form('rejection')), 'Biopsy-proven acute rejection is Yes');
  const field = form('baseline').fields.find((f) => f.id === 'afp_ng_ml');
  assert.equal(describeFieldValue(field, 240.5), '240.5 ng/mL');
  assert.equal(describeFieldValue(form('baseline').fields.find((f) => f.id === 'aetiology'), ['hcv', 'masld']), 'HCV, MASLD');
  assert.equal(describeFieldValue(field, { missing: 'not_done' }), '(not done)');
  assert.equal(describeFieldValue(field, null), '(blank)');
});
