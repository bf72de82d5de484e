/** `oncosurv report`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'report',
  summary: 'not yet implemented',
  help: 'oncosurv report: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv report is not implemented yet');
  },
};
