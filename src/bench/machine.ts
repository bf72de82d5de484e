/**
 * The machine a benchmark ran on, printed above the table and stored in bench-results.json:
 * timings mean little without the cores, memory, Node and R versions and how busy it was.
 *
 * Inputs:  none (node:os, process.version, and Rscript when it is on PATH).
 * Outputs: Machine; formatMachine(machine) -> the lines printed above the table.
 * Method:  load average is sampled when the run starts and again when it ends, because the
 *          machine may be shared and a busy machine slows every number in the table.
 */
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { rVersions } from './rscript.js';

export interface Machine {
  cores: number;
  cpu_model: string;
  memory_gib: number;
  os: string;
  node: string;
  /** R.version.string, or null without Rscript. */
  r: string | null;
  survival: string | null;
  /** 1, 5 and 15-minute load averages at the start and the end of the run. */
  load_start: number[];
  load_end: number[] | null;
}

export function describeMachine(): Machine {
  const r = rVersions();
  return {
    cores: availableParallelism(),
    cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
    memory_gib: totalmem() / 1024 ** 3,
    os: `${osType()} ${release()}`,
    node: process.version,
    r: r?.r ?? null,
    survival: r?.survival ?? null,
    load_start: loadavg(),
    load_end: null,
  };
}

export function formatMachine(m: Machine): string {
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  return [
    `machine: ${m.cores} cores (${m.cpu_model}), ${m.memory_gib.toFixed(1)} GiB RAM, ${m.os}`,
    `node ${m.node}; ${m.r === null ? 'R not available (Rscript not on PATH): our times only' : `${m.r}, survival ${m.survival ?? 'not installed'}`}`,
    `load average (1/5/15 min): ${load(m.load_start)} at start${m.load_end === null ? '' : `, ${load(m.load_end)} at end`}`,
  ].join('\n');
}
