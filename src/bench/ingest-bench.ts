/**
 * Ingest benchmark: rows/s, MB/s and peak RSS for `ingestPuf` on a .dat of a given size.
 *
 * Input:  a row count (the target is 250,000 rows of the 2021 layout in < 15 s, and 1,000,000
 *         rows with peak RSS < 1.5 GB, on a 2-core machine).
 * Output: IngestBenchmark (timings, throughput, peak RSS).
 * Method: writes a .dat to a temp folder, then times ingestPuf to Parquet. The input is the
 *         synthetic liver PUF (src/synth/, generateSyntheticPuf) by default, or a filler shaped
 *         like a PUF ('filler': labelled items get one of their codes, numeric items a number,
 *         most other items blank), not random noise, because Parquet's cost depends on it.
 *         Run: node dist/src/bench/ingest-bench.js ROWS [synth|filler]
 * Reference: not applicable (a benchmark, not a test).
 */
import { realpathSync } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticPuf } from '../synth/generate.js';
import { defaultLayout } from '../ncdb/default-layout.js';
import { ingestPuf } from '../ncdb/ingest.js';
import type { PufLayout } from '../ncdb/layout.js';
import { numericItem } from '../ncdb/numeric-items.js';
import { Rng } from '../core/random.js';

export interface IngestBenchmark {
  rows: number;
  bytes: number;
  generateSeconds: number;
  ingestSeconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  outputMb: number;
}

/** Writes `rows` filler records of `layout` to `path` (see the header). */
export async function writeFillerPuf(path: string, rows: number, layout: PufLayout = defaultLayout(), seed = 1): Promise<number> {
  const generator = new Rng(seed);
  const rand = (): number => generator.uniform();
  const L = layout.recordLength;
  const fh = await open(path, 'w');
  const perChunk = 4096;
  const buf = Buffer.alloc(perChunk * (L + 1));
  const choices = layout.items.map((it) => {
    const f = it.format === null ? undefined : layout.formats.get(it.format);
    return f === undefined ? [] : [...f.values.keys()];
  });
  let written = 0;
  try {
    for (let r0 = 0; r0 < rows; r0 += perChunk) {
      const n = Math.min(perChunk, rows - r0);
      buf.fill(0x20, 0, n * (L + 1));
      for (let r = 0; r < n; r++) {
        const o = r * (L + 1);
        layout.items.forEach((it, k) => {
          const w = it.end - it.start + 1;
          let v = '';
          if (it.name === 'PUF_CASE_ID') v = `C${String(r0 + r).padStart(w - 1, '0')}`;
          else if (it.name === 'YEAR_OF_DIAGNOSIS') v = String(2004 + Math.floor(rand() * 18));
          else if (numericItem(it.name)) v = rand() < 0.6 ? String(Math.floor(rand() * Math.min(10 ** w - 1, 3000))).padStart(w, '0') : '';
          else if (choices[k]!.length > 0) v = rand() < 0.85 ? choices[k]![Math.floor(rand() * choices[k]!.length)]! : '';
          else if (rand() < 0.2) v = String(Math.floor(rand() * 10 ** Math.min(w, 6))).padStart(Math.min(w, 6), '0');
          buf.write(v.slice(0, w), o + it.start - 1, 'latin1');
        });
        buf[o + L] = 0x0a;
      }
      await fh.write(buf, 0, n * (L + 1));
      written += n * (L + 1);
    }
  } finally {
    await fh.close();
  }
  return written;
}

/** Generates a filler .dat of `rows` rows and times ingestPuf on it (to Parquet). */
export async function runIngestBenchmark(rows: number, source: 'synth' | 'filler' = 'synth'): Promise<IngestBenchmark & { phases: { read: number; write: number; validate: number } }> {
  const dir = await mkdtemp(join(tmpdir(), 'oncosurv-bench-'));
  try {
    const layout = defaultLayout();
    const dat = join(dir, 'NCDBPUF_Bench.0.2021.0.dat');
    let t = process.hrtime.bigint();
    let bytes: number;
    if (source === 'synth') {
      await generateSyntheticPuf({ site: 'liver', rows, seed: 1, outPath: dat, layout });
      bytes = (await stat(dat)).size;
    } else {
      bytes = await writeFillerPuf(dat, rows, layout);
    }
    const generateSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
    t = process.hrtime.bigint();
    const out = join(dir, 'bench.parquet');
    let phases = { read: 0, write: 0, validate: 0 };
    try {
      phases = (await ingestPuf({ pufPath: dat, layout, outPath: out })).phases;
    } finally {
      clearInterval(timer);
    }
    const ingestSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    return {
      rows, bytes, generateSeconds, ingestSeconds,
      rowsPerSecond: rows / ingestSeconds,
      mbPerSecond: bytes / 1e6 / ingestSeconds,
      peakRssMb: peak / 1e6,
      outputMb: (await stat(out)).size / 1e6,
      phases,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const rows = Number(process.argv[2] ?? 250_000);
  const source = process.argv[3] === 'filler' ? 'filler' : 'synth';
  runIngestBenchmark(rows, source).then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'), (err: unknown) => { console.error(err); process.exitCode = 1; });
}
