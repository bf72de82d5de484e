/** `oncosurv cox`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'cox',
  summary: 'not yet implemented',
  help: 'oncosurv cox: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv cox is not implemented yet');
  },
};
