// Lint configuration: typescript-eslint's recommended rules, plus the one-way architecture of
// ARCHITECTURE.md as no-restricted-imports rules, one set per layer folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { posix } from 'node:path';

/**
 * Each layer (a folder under src/) and the layers it may import besides itself and core/.
 * Folders not listed (cli/, bench/, testing/) are the edge: they wire everything together.
 * Registry folders are listed even before they exist, so the rules are in place when they land.
 */
const LAYERS = {
  'core': [],
  'stats': [],
  // ncdb/ reads CSV PUFs through data/'s one CSV reader (data/ imports only stats/ and core/).
  'ncdb': ['data'],
  'data': ['stats'],
  'causal': ['stats'],
  'synth': ['ncdb', 'stats'],
  // The protocol is the study's definition; cohort/ reads its type (the one turn back, type only).
  'cohort': ['ncdb', 'stats', 'study/protocol.js'],
  'study': ['ncdb', 'data', 'cohort', 'stats', 'causal', 'synth'],
  // The report reads the study's result through its one door, study/results.ts.
  'report': ['stats', 'cohort', 'study/results.js'],
  'registry/definition': [],
  'registry/db': [],
  // Services build exports with registry/analysis's pure derivations and writers (exports.ts).
  'registry/services': ['registry/db', 'registry/definition', 'registry/analysis'],
  // http/ and web/ are one edge: the pages are Fastify routes sharing http/'s authentication and
  // error mapping, and both hold the database handle only to open the one transaction per request.
  // web/reads.ts still reads four summaries straight from SQL (known debt: move into services/).
  'registry/web': ['registry/services', 'registry/definition', 'registry/http', 'registry/db/database.js'],
  'registry/http': ['registry/services', 'registry/web', 'registry/definition', 'registry/db/database.js'],
  // Analysis is below the services: pure derivations and table writers over record forms (the export's
  // content) and the outcomes report over an export folder; it never reads the database or serves pages.
  'registry/analysis': ['registry/definition', 'stats', 'causal', 'report'],
  // The demo seeds through the services inside transactions it opens on the database it is handed.
  'registry/demo': ['registry/services', 'registry/definition', 'registry/db/database.js', 'synth'],
};
/** Every folder a layer can be forbidden to import: the layers and the edge. */
const FOLDERS = [...Object.keys(LAYERS), 'registry', 'cli', 'bench', 'testing'];

/** npm packages only one layer may use: the database drivers and the web server. */
const PACKAGES = [
  { names: ['pg', '@electric-sql/pglite'], owners: ['registry/db'] },
  { names: ['fastify', '@fastify/*'], owners: ['registry/http', 'registry/web'] },
];
/** Layers that do no I/O of their own: no file system, no database, no network. */
const PURE = new Set(['core', 'stats', 'registry/definition']);
/** The one file of a pure layer that reads a file: the built-in study definition shipped beside it. */
const BUILT_IN_READERS = ['src/registry/definition/load.ts'];

function layerRules(layer, depth, readsBuiltIn = false) {
  const dir = posix.join('src', layer, ...Array(depth).fill('d'));
  const rel = (target) => posix.relative(dir, posix.join('src', target));
  const allowed = LAYERS[layer];
  const patterns = [];
  for (const folder of FOLDERS) {
    if (folder === layer || folder === 'core' || allowed.includes(folder)) continue;
    // A layer inside this one (registry/db inside registry) or the one containing it is not a neighbour.
    if (layer.startsWith(folder + '/') || folder.startsWith(layer + '/')) continue;
    const files = allowed.filter((a) => a.startsWith(folder + '/') && a.endsWith('.js'));
    patterns.push({
      group: [`${rel(folder)}/*`, ...files.map((f) => `!${rel(f)}`)],
      message: `src/${layer}/ may import only ${['core', ...allowed].map((a) => `src/${a}`).join(', ')} (ARCHITECTURE.md).`,
    });
  }
  for (const { names, owners } of PACKAGES) {
    if (!owners.includes(layer)) patterns.push({ group: names, message: `only ${owners.map((o) => `src/${o}/`).join(' and ')} use ${names.join(', ')} (ARCHITECTURE.md).` });
  }
  if (PURE.has(layer)) {
    patterns.push({ group: [...(readsBuiltIn ? [] : ['node:fs', 'node:fs/*']), 'node:child_process', 'node:net', 'node:http', '@duckdb/*', 'vega*', '@resvg/*'], message: `src/${layer}/ is pure: no files, databases, processes or rendering (ARCHITECTURE.md).` });
  }
  return { 'no-restricted-imports': ['error', { patterns }] };
}

const layerConfigs = Object.keys(LAYERS).flatMap((layer) => [0, 1, 2, 3].map((depth) => ({
  files: [`src/${layer}/${'*/'.repeat(depth)}*.ts`],
  // Tests, fixtures and test harnesses (test-*.ts) may reach across layers to build their inputs.
  ignores: ['**/*.test.ts', '**/*.fixture.ts', '**/*-fixture.ts', '**/test-*.ts', ...BUILT_IN_READERS],
  rules: layerRules(layer, depth),
})));
const builtInReaderConfigs = BUILT_IN_READERS.map((file) => {
  const [layer, depth] = file === 'src/registry/definition/load.ts' ? ['registry/definition', 0] : [null, 0];
  return { files: [file], rules: layerRules(layer, depth, true) };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'demo-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...layerConfigs,
  ...builtInReaderConfigs,
);
