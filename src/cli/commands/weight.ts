/** `oncosurv weight`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'weight',
  summary: 'not yet implemented',
  help: 'oncosurv weight: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv weight is not implemented yet');
  },
};
