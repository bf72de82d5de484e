/** `oncosurv logrank`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'logrank',
  summary: 'not yet implemented',
  help: 'oncosurv logrank: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv logrank is not implemented yet');
  },
};
