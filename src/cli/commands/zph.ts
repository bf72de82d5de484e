/** `oncosurv zph`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'zph',
  summary: 'not yet implemented',
  help: 'oncosurv zph: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv zph is not implemented yet');
  },
};
