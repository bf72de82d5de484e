/** `oncosurv synth`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'synth',
  summary: 'not yet implemented',
  help: 'oncosurv synth: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv synth is not implemented yet');
  },
};
