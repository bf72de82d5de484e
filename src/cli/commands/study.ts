/** `oncosurv study`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'study',
  summary: 'not yet implemented',
  help: 'oncosurv study: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv study is not implemented yet');
  },
};
