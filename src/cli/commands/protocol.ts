/** `oncosurv protocol`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'protocol',
  summary: 'not yet implemented',
  help: 'oncosurv protocol: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv protocol is not implemented yet');
  },
};
