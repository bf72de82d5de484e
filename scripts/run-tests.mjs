// Runs every compiled *.test.js under dist/src with Node's built-in test runner.
// (Node 20's --test does not expand globs itself, so we list the files.)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}
const only = process.argv.slice(2);
let files = findTests('dist/src').sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
