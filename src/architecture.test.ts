// The one-way import rules of ARCHITECTURE.md, enforced by eslint.config.js: ESLint's Node API
// lints small in-memory sources placed in each layer, and every forbidden import must fail
// (with the rule's message) while the allowed ones pass. Cases are written from the document's
// arrows, not from the config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function violations(file: string, specifier: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO });
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath: join(REPO, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const FORBIDDEN: [string, string][] = [
  ['src/core/x.ts', '../stats/cox.js'],
  ['src/stats/x.ts', '../cli/progress.js'],
  ['src/stats/x.ts', '../synth/generate.js'],
  ['src/stats/x.ts', '../registry/services/records.js'],
  ['src/stats/x.ts', 'node:fs'],
  ['src/stats/x.ts', '@duckdb/node-api'],
  ['src/causal/x.ts', '../synth/random.js'],
  ['src/ncdb/x.ts', '../stats/errors.js'],
  ['src/study/x.ts', '../report/hcc-conversion-report.js'],
  ['src/study/x.ts', '../cli/progress.js'],
  ['src/study/analyses/x.ts', '../../report/format.js'],
  ['src/report/x.ts', '../study/analyses/hazard-ratio.js'],
  ['src/report/sections/x.ts', '../../study/hcc-conversion.js'],
  ['src/cohort/x.ts', '../study/hcc-conversion.js'],
  ['src/registry/definition/x.ts', '../services/records.js'],
  ['src/registry/definition/x.ts', 'fastify'],
  ['src/registry/db/x.ts', '../services/records.js'],
  ['src/registry/services/x.ts', '../http/routes.js'],
  ['src/registry/services/x.ts', 'fastify'],
  ['src/registry/services/x.ts', 'pg'],
  ['src/registry/http/x.ts', '../db/pool.js'],
  ['src/registry/http/routes/x.ts', '../../db/pool.js'],
  ['src/registry/web/x.ts', '../db/pool.js'],
  ['src/registry/analysis/x.ts', '../services/records.js'],
  ['src/registry/analysis/x.ts', '../db/pool.js'],
  ['src/registry/analysis/x.ts', '../http/routes.js'],
  ['src/registry/analysis/x.ts', '../web/layout.js'],
  ['src/registry/analysis/x.ts', 'pg'],
  ['src/registry/analysis/outcomes-report/x.ts', '../../services/exports.js'],
  ['src/registry/demo/x.ts', '../db/pool.js'],
];

const ALLOWED: [string, string][] = [
  ['src/stats/x.ts', '../core/errors.js'],
  ['src/stats/x.ts', './cox.js'],
  ['src/causal/x.ts', '../stats/cox.js'],
  ['src/study/x.ts', '../causal/matching.js'],
  ['src/report/x.ts', '../study/results.js'],
  ['src/report/sections/x.ts', '../../study/results.js'],
  ['src/cohort/x.ts', '../study/protocol.js'],
  ['src/cli/x.ts', '../report/hcc-conversion-report.js'],
  ['src/registry/db/x.ts', 'pg'],
  ['src/registry/db/x.ts', '@electric-sql/pglite'],
  ['src/registry/services/x.ts', '../db/pool.js'],
  ['src/registry/services/x.ts', '../definition/study.js'],
  ['src/registry/http/x.ts', '../services/records.js'],
  ['src/registry/http/x.ts', 'fastify'],
  ['src/registry/http/routes/x.ts', '../../services/records.js'],
  ['src/registry/web/x.ts', '../services/records.js'],
  ['src/registry/services/x.ts', '../analysis/export-tables.js'],
  ['src/registry/analysis/x.ts', '../definition/schema.js'],
  ['src/registry/analysis/x.ts', '../../stats/cox.js'],
  ['src/registry/analysis/x.ts', '../../report/html.js'],
];

test('a deliberate violation of each one-way rule fails ESLint with the ARCHITECTURE.md message', { timeout: 120_000 }, async () => {
  for (const [file, specifier] of FORBIDDEN) {
    const found = await violations(file, specifier);
    assert.ok(found.length >= 1, `${file} importing ${specifier} should be refused`);
    assert.match(found[0]!, /ARCHITECTURE\.md/);
  }
});

test('the imports the arrows allow pass', { timeout: 120_000 }, async () => {
  for (const [file, specifier] of ALLOWED) assert.deepEqual(await violations(file, specifier), [], `${file} importing ${specifier}`);
});
