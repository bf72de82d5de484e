/** `oncosurv km`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'km',
  summary: 'not yet implemented',
  help: 'oncosurv km: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv km is not implemented yet');
  },
};
