/** `oncosurv demo`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'demo',
  summary: 'not yet implemented',
  help: 'oncosurv demo: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv demo is not implemented yet');
  },
};
