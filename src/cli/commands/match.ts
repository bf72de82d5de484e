/** `oncosurv match`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'match',
  summary: 'not yet implemented',
  help: 'oncosurv match: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv match is not implemented yet');
  },
};
