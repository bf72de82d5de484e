/** `oncosurv logistic`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'logistic',
  summary: 'not yet implemented',
  help: 'oncosurv logistic: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv logistic is not implemented yet');
  },
};
