/**
 * `npm run bench`: every benchmark case (cases.ts) in its own child process (child.ts), with
 * our time next to R's on the same data in the same run, ours/R, peak memory, and PASS/MISS
 * against the target; then the same table as JSON.
 *
 * Usage:   npm run bench [-- [cox] [km] [synth] [ingest] [study] [coverage] [--quick] [--out FILE] [--keep] [--timeout S]]
 *          (case ids such as ingest-1m work too; no names runs all)
 * Outputs: the machine (cores, memory, Node, R and survival versions, load average), the table
 *          on stdout; bench-results.json (or --out) with machine, table and each case's details.
 *          Exit 0 when every case ran, whatever the targets say (benchmarks report, they do not
 *          fail); 1 when a case crashed or timed out; 2 for a usage error.
 * Method:  cases run one after another, each in a fresh `node --expose-gc` process, so its
 *          maxRSS is its own and one case's garbage cannot slow the next. Ingest and study read a
 *          synthetic liver .dat, generated beforehand in a separate process (untimed, not in their
 *          memory) into a temporary work folder and reused across cases; the synth case's own
 *          output is reused when the sizes agree. R timings exist only where Rscript is on PATH.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandArgs } from '../cli/command.js';
import { OncosurvError, SpecificationError } from '../core/errors.js';
import { judge, liverPath, RESULT_MARKER, selectCases, type BenchCase, type Measurement } from './cases.js';
import { describeMachine, formatMachine } from './machine.js';
import { benchRowJson, formatBenchTable, type BenchRow } from './table.js';

const HELP = `npm run bench -- [NAME ...] [--quick] [--out FILE] [--keep]

Runs each benchmark in its own process and prints our time, R's time (when Rscript is on PATH),
ours/R, the target, peak memory and PASS/MISS. NAME: cox, km, synth, ingest, study, coverage,
registry (or a case id: ingest-250k, ingest-1m, registry-pglite, registry-postgres); none runs all.

  --quick     small sizes, a smoke test (targets are not judged)
  --out FILE  where to write the JSON (default ./bench-results.json)
  --keep      keep the generated inputs (printed path) instead of deleting them
  --timeout S seconds before a case (or its input's preparation) counts as crashed
              (default 1800, or 300 with --quick)
`;

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'child.js');

interface ChildOutcome {
  measurement: Measurement | null;
  error: string | null;
}

/** Runs child.js with `args`; the Measurement from its marker line, or why there is none. */
function runChild(args: string[], timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((done) => {
    // Its own process group, so that a timeout also ends the Rscript it may have started.
    const child = spawn(process.execPath, ['--expose-gc', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    const stderrTail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      process.stderr.write(s);
      stderrTail.push(...s.split('\n').filter((l) => l.trim() !== ''));
      stderrTail.splice(0, Math.max(0, stderrTail.length - 40));
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); done({ measurement: null, error: `could not start: ${err.message}` }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_MARKER));
      if (code === 0 && (line !== undefined || args[0] === 'prepare-liver')) {
        try {
          done({ measurement: line === undefined ? null : (JSON.parse(line.slice(RESULT_MARKER.length)) as Measurement), error: null });
        } catch (err) {
          done({ measurement: null, error: `unreadable result line: ${(err as Error).message}` });
        }
        return;
      }
      const why = timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exit ${code ?? signal}`;
      // The message: the last line that names an error (a JS stack's message, V8's "FATAL
      // ERROR ... heap out of memory"), else the last line that is not a stack frame.
      const tail = [...stderrTail].reverse();
      const frame = (l: string): boolean => /^\s+at |^\s*\d+: 0x|^Node\.js v/.test(l);
      const message = tail.find((l) => !frame(l) && /error/i.test(l)) ?? tail.find((l) => !frame(l)) ?? '';
      done({ measurement: null, error: `${why}${message === '' ? '' : `: ${message.trim()}`}` });
    });
  });
}

/** Ensures the liver .dat the case reads exists (generated in its own process); the path, or an error. */
async function liverInput(work: string, rows: number, timeoutMs: number): Promise<{ path: string; error: string | null }> {
  const path = liverPath(work, rows);
  if (existsSync(path)) return { path, error: null };
  process.stderr.write(`  preparing a ${rows.toLocaleString('en-US')}-row synthetic liver PUF (untimed)\n`);
  const r = await runChild(['prepare-liver', '--rows', String(rows), '--out', path], timeoutMs);
  return { path, error: r.error === null ? null : `preparing the input: ${r.error}` };
}

async function runCase(c: BenchCase, quick: boolean, work: string, timeoutMs: number): Promise<BenchRow> {
  const args = [c.id, '--work', work, ...(quick ? ['--quick'] : [])];
  if (c.liverInput) {
    const input = await liverInput(work, quick ? c.rows.quick : c.rows.full, timeoutMs);
    if (input.error !== null) return { case: c, measurement: null, verdict: 'CRASH', error: input.error, load: loadavg()[0]! };
    args.push('--input', input.path);
  }
  const r = await runChild(args, timeoutMs);
  // A half-written synthetic file must not become a later case's input.
  if (c.id === 'synth' && r.error !== null) rmSync(dirname(liverPath(work, quick ? c.rows.quick : c.rows.full)), { recursive: true, force: true });
  return { case: c, measurement: r.measurement, verdict: judge(c, r.measurement, quick), error: r.error, load: loadavg()[0]! };
}

/** The commit being measured (short hash), or null outside a git checkout. */
function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The whole harness; returns the exit code. `argv` as after `npm run bench --`. */
export async function runBench(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { quick: { type: 'boolean' }, out: { type: 'string' }, keep: { type: 'boolean' }, timeout: { type: 'string' } }, true);
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const { cases, unknown } = selectCases(positionals);
  if (unknown.length > 0) throw new SpecificationError(`bench: no benchmark named ${unknown.map((u) => `"${u}"`).join(', ')} (choose from cox, km, synth, ingest, study, coverage, registry)`, { value: unknown.join(' ') });
  const quick = values.quick === true;
  const timeoutS = values.timeout === undefined ? (quick ? 300 : 1800) : Number(values.timeout);
  if (!(timeoutS > 0)) throw new SpecificationError(`bench: --timeout must be a positive number of seconds, got "${String(values.timeout)}"`, { value: String(values.timeout) });
  const timeoutMs = timeoutS * 1000;
  const outPath = resolve((values.out as string | undefined) ?? 'bench-results.json');

  const machine = describeMachine();
  const commit = gitCommit();
  process.stdout.write(`${formatMachine(machine)}\ncommit ${commit ?? 'unknown'}\n${quick ? 'QUICK mode: small sizes, targets not judged\n' : ''}\n`);
  const work = mkdtempSync(join(tmpdir(), 'oncosurv-bench-'));
  const rows: BenchRow[] = [];
  const started = new Date();
  try {
    for (const [i, c] of cases.entries()) {
      process.stderr.write(`[${i + 1}/${cases.length}] ${c.id}: ${c.title} ...\n`);
      const t0 = performance.now();
      const row = await runCase(c, quick, work, timeoutMs);
      process.stderr.write(`[${i + 1}/${cases.length}] ${c.id}: ${row.verdict} (${((performance.now() - t0) / 1000).toFixed(1)} s with setup; load ${loadavg()[0]!.toFixed(2)})\n`);
      rows.push(row);
    }
  } finally {
    if (values.keep === true) process.stderr.write(`inputs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  machine.load_end = loadavg();

  process.stdout.write(`${formatBenchTable(rows)}\n\n`);
  process.stdout.write(`load average (1/5/15 min) at end: ${machine.load_end.map((x) => x.toFixed(2)).join(' ')}\n`);
  const json = { started: started.toISOString(), finished: new Date().toISOString(), commit, quick, machine, results: rows.map(benchRowJson) };
  writeFileSync(outPath, JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
  process.stdout.write(`results written to ${outPath}\n`);
  return rows.some((r) => r.verdict === 'CRASH') ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runBench(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      if (err instanceof OncosurvError) {
        process.stderr.write(`bench: ${err.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
