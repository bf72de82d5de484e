/**
 * The registry load generator: concurrent clients saving one form field under optimistic locking.
 *
 * Inputs:  the server's base URL; logged-in clients; the form instances they hammer (each shared
 *          by several clients, so stale saves really happen); the total number of successful
 *          saves to reach (a bounded run: each client stops when the shared budget is spent, and
 *          a client gives up after MAX_ATTEMPTS_PER_SAVE conflicts in a row).
 * Outputs: successful saves, conflicts (409s that were retried), failures, wall seconds,
 *          saves/s, and latency percentiles (p50/p95/p99, ms) over every request, plus the
 *          number of successful saves per target — which the caller compares with the counter
 *          value stored and with the audit rows written.
 * Method:  each save reads nothing first: it sends the version and counter it last saw; on 200
 *          it keeps the new version; on 409 it takes the current values and version from the
 *          reply (the conflict body) and retries with counter + 1. So a lost update would show
 *          as a stored counter below the number of 200s.
 *          Percentiles are order statistics of the sorted latencies (nearest rank).
 */
import type { RegistryClient } from '../registry/http/client.js';

export interface LoadTarget {
  /** e.g. /api/v1/records/AAA-0001/forms/followup/1 */
  path: string;
  /** The other values of the form, sent unchanged with every save. */
  baseValues: Record<string, unknown>;
  counterField: string;
  version: number;
  counter: number;
}

export interface LoadResult {
  saves: number;
  conflicts: number;
  failures: number;
  failureExamples: string[];
  seconds: number;
  savesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  savesPerTarget: number[];
}

const MAX_ATTEMPTS_PER_SAVE = 200;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

interface SaveReply { version?: number; values?: Record<string, unknown> }

export async function runRegistryLoad(clients: readonly RegistryClient[], targets: readonly LoadTarget[], totalSaves: number): Promise<LoadResult> {
  let budget = totalSaves;
  let conflicts = 0;
  let failures = 0;
  const failureExamples: string[] = [];
  const latencies: number[] = [];
  const savesPerTarget = targets.map(() => 0);

  async function worker(client: RegistryClient, targetIndex: number): Promise<void> {
    const target = targets[targetIndex]!;
    // Each client keeps its own (possibly stale) view of the form.
    let version = target.version;
    let counter = target.counter;
    while (budget > 0) {
      budget -= 1;
      let saved = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_SAVE && !saved; attempt++) {
        const t0 = performance.now();
        const res = await client.put<SaveReply>(target.path, {
          values: { ...target.baseValues, [target.counterField]: counter + 1 }, version, reason: 'load benchmark increment', confirm_warnings: true,
        });
        latencies.push(performance.now() - t0);
        if (res.status === 200) {
          saved = true;
          savesPerTarget[targetIndex]! += 1;
          version = Number(res.body.version);
          counter += 1;
        } else if (res.status === 409 && res.body.values !== undefined && typeof res.body.version === 'number') {
          conflicts += 1;
          version = res.body.version;
          counter = Number(res.body.values[target.counterField]);
        } else {
          failures += 1;
          if (failureExamples.length < 5) failureExamples.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          break;
        }
      }
    }
  }

  const t0 = performance.now();
  await Promise.all(clients.map((c, i) => worker(c, i % targets.length)));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const saves = savesPerTarget.reduce((a, b) => a + b, 0);
  return {
    saves, conflicts, failures, failureExamples, seconds, savesPerSecond: saves / seconds,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? NaN },
    savesPerTarget,
  };
}
