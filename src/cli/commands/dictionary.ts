/** `oncosurv dictionary`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'dictionary',
  summary: 'not yet implemented',
  help: 'oncosurv dictionary: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv dictionary is not implemented yet');
  },
};
