/** `oncosurv ingest`: not yet implemented. */
import type { CliCommand } from '../command.js';
import { SpecificationError } from '../../stats/errors.js';

export const command: CliCommand = {
  name: 'ingest',
  summary: 'not yet implemented',
  help: 'oncosurv ingest: not yet implemented',
  async run(): Promise<number> {
    throw new SpecificationError('oncosurv ingest is not implemented yet');
  },
};
