/** `oncosurv rmst`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'rmst',
  summary: 'not yet implemented',
  help: 'oncosurv rmst: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv rmst is not implemented yet');
  },
};
