/**
 * Bad input gets a 4xx that names the field, and nothing is stored half-way.
 *   1. Generated from the OpenAPI document: for every route with a JSON body, a body that is an
 *      array, an empty object (each required property missing), each required property with a
 *      wrong type, and an unknown property — each must be 422 with an error naming that property
 *      (or "body"). Expected values come from the schema itself, so a new route is covered.
 *   2. Form saves against the study definition: unknown form, unknown field, wrong type, bad
 *      calendar date, range, and a surgery date before the first ICI dose (an error naming both
 *      fields and both dates, issue 10).
 *   3. Afterwards the stored forms and the audit trail are exactly as before the bad requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RegistryClient } from './client.js';
import { addTestSite, addTestUser, installBuiltInStudy, startTestRegistry, testBackends, type TestRegistry } from './test-registry.js';

const PASSWORD = 'bad input password 1';

interface FieldErrorsBody { error: string; errors?: { field: string; message: string }[] }

interface JsonSchema { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[] }

/** A value of the wrong JSON type for a property schema. */
function wrongTypeFor(schema: JsonSchema): unknown {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) return 12345;
  if (types.includes('integer') || types.includes('number')) return 'not a number';
  if (types.includes('boolean')) return 'yes';
  if (types.includes('object')) return 'not an object';
  return null;
}

async function counts(reg: TestRegistry): Promise<{ forms: number; audit: number; versions: number }> {
  const r = await reg.db.query<{ forms: number; audit: number; versions: number }>(
    'SELECT (SELECT count(*)::int FROM form_instances) AS forms, (SELECT count(*)::int FROM audit_log WHERE record_id IS NOT NULL) AS audit, (SELECT coalesce(sum(version), 0)::int FROM form_instances) AS versions',
  );
  return r.rows[0]!;
}

for (const backend of testBackends()) {
  describe(`bad input (${backend.name})`, () => {
    let reg: TestRegistry;
    let coord: RegistryClient;
    let studyId: string;
    let queryId: number;
    before(async () => {
      reg = await startTestRegistry(backend);
      await installBuiltInStudy(reg.db);
      await addTestSite(reg.db, 'BAD');
      await addTestUser(reg.db, { username: 'coord', password: PASSWORD, role: 'coordinator', sites: ['BAD'] });
      await addTestUser(reg.db, { username: 'dm', password: PASSWORD, role: 'data_manager', sites: [] });
      coord = reg.client();
      await coord.login('coord', PASSWORD);
      studyId = (await coord.post<{ study_id: string }>('/api/v1/records', { site: 'BAD' })).body.study_id;
      assert.equal((await coord.put(`/api/v1/records/${studyId}/forms/ici_line/1`, { values: { regimen: 'nivolumab', first_dose_date: '2025-01-10', last_dose_date: '2025-03-01', cycles: 6 }, version: 0 })).status, 200);
      const dm = reg.client();
      await dm.login('dm', PASSWORD);
      queryId = (await dm.post<{ id: number }>(`/api/v1/records/${studyId}/queries`, { form: 'ici_line', instance: 1, field: 'cycles', text: 'check' })).body.id;
    });
    after(async () => { await reg.close(); });

    test('every route with a body: array, missing, wrong-typed and unknown properties are 422 naming the field', async () => {
      const before = await counts(reg);
      const doc = await coord.get<{ paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: JsonSchema } } } }>> }>('/api/v1/openapi.json');
      const fill = (path: string): string => path.replace('{id}', studyId).replace('{form}', 'ici_line').replace('{instance}', '1').replace('{qid}', String(queryId));
      let cases = 0;
      for (const [path, ops] of Object.entries(doc.body.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const schema = op.requestBody?.content['application/json'].schema;
          if (schema === undefined || path === '/api/v1/session') continue;
          const url = fill(path);
          const send = (body: unknown) => coord.call<FieldErrorsBody>(method.toUpperCase(), url, body);
          const expectNamed = async (body: unknown, field: string, what: string) => {
            const res = await send(body);
            cases++;
            assert.equal(res.status, 422, `${method} ${path} ${what}: ${JSON.stringify(res.body)}`);
            assert.ok(res.body.errors?.some((e) => e.field === field), `${method} ${path} ${what}: no error names "${field}": ${JSON.stringify(res.body.errors)}`);
          };
          await expectNamed([], 'body', 'array body');
          const required = schema.required ?? [];
          for (const name of required) await expectNamed({}, name, `missing ${name}`);
          const valid: Record<string, unknown> = {};
          for (const name of required) {
            const p = schema.properties![name]!;
            const t = Array.isArray(p.type) ? p.type[0] : p.type;
            valid[name] = t === 'integer' ? 1 : t === 'object' ? {} : t === 'boolean' ? true : 'text';
          }
          for (const name of required) await expectNamed({ ...valid, [name]: wrongTypeFor(schema.properties![name]!) }, name, `wrong type for ${name}`);
          await expectNamed({ ...valid, no_such_property: 1 }, 'no_such_property', 'unknown property');
        }
      }
      assert.ok(cases >= 40, `only ${cases} generated cases`);
      // Login is public: the same checks without a session.
      const anon = reg.client();
      const login = await anon.call<FieldErrorsBody>('POST', '/api/v1/session', { username: 'coord' });
      assert.equal(login.status, 422);
      assert.ok(login.body.errors!.some((e) => e.field === 'password'));
      assert.deepEqual(await counts(reg), before);
    });

    test('form saves: unknown form, unknown field, wrong type, bad date, range and date order are refused naming the field', async () => {
      const before = await counts(reg);
      const put = (form: string, instance: number, values: Record<string, unknown>, version = 0) =>
        coord.put<FieldErrorsBody & { message: string }>(`/api/v1/records/${studyId}/forms/${form}/${instance}`, { values, version });
      const unknownForm = await put('no_such_form', 1, {});
      assert.equal(unknownForm.status, 404);
      assert.match(unknownForm.body.message, /no_such_form/);
      const named = async (res: Awaited<ReturnType<typeof put>>, field: RegExp, message?: RegExp) => {
        assert.equal(res.status, 422, JSON.stringify(res.body));
        const hit = res.body.errors!.find((e) => field.test(e.field));
        assert.ok(hit !== undefined, `no error for ${field}: ${JSON.stringify(res.body.errors)}`);
        if (message !== undefined) assert.match(hit.message, message);
      };
      await named(await put('baseline', 1, { favourite_colour: 'blue' }), /favourite_colour/);
      await named(await put('baseline', 1, { meld: 'twelve' }), /meld/);
      await named(await put('baseline', 1, { meld: 12.5 }), /meld/);
      await named(await put('baseline', 1, { meld: 41 }), /meld/);
      await named(await put('irae', 1, { onset_date: '2025-02-30' }), /onset_date/);
      await named(await put('irae', 1, { onset_date: '03/04/2025' }), /onset_date/);
      await named(await put('baseline', 1, { sex: 'unicorn' }), /sex/);
      // Surgery before the first ICI dose: names both fields and both dates.
      const order = await put('surgery', 1, { surgery_type: 'resection', surgery_date: '2024-12-01' });
      await named(order, /surgery_date/, /2024-12-01/);
      const text = JSON.stringify(order.body.errors);
      assert.match(text, /first_dose_date/);
      assert.match(text, /2025-01-10/);
      // A stale or missing version and a change without a reason are refused as well.
      assert.equal((await put('ici_line', 1, { regimen: 'nivolumab', first_dose_date: '2025-01-10', last_dose_date: '2025-03-01', cycles: 7 }, 0)).status, 409);
      await named(await put('ici_line', 1, { regimen: 'nivolumab', first_dose_date: '2025-01-10', last_dose_date: '2025-03-01', cycles: 7 }, 1), /reason/);
      assert.deepEqual(await counts(reg), before);
    });
  });
}
