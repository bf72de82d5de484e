/** Clone–censor–weight target-trial emulation for the study (wired to src/causal/clone-censor-weight.ts). */
import type { Progress } from '../../cli/progress.js';
import type { DataTable } from '../../stats/types.js';
import type { Protocol } from '../protocol.js';
import type { Skipped } from './common.js';

export async function cloneCensorWeightAnalysis(_data: DataTable, _protocol: Protocol, _options: { seed: number; workers?: number; progress: Progress }): Promise<Skipped> {
  return { skipped: 'clone-censor-weight is not wired yet' };
}
