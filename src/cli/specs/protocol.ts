import { commandSpec } from '../command.js';
import { BUILT_IN_PROTOCOLS } from '../../study/protocol.js';

export const spec = commandSpec({
  name: 'protocol',
  summary: 'Show or check a study protocol (YAML)',
  usage: [
    'protocol show hcc-conversion [--json]   print the built-in protocol (YAML)',
    'protocol check my.yaml                  validate an edited protocol',
  ],
  positionals: true,
  options: {
    json: { type: 'boolean', help: 'print the protocol as JSON instead of YAML' },
  },
  epilog: `Copy, edit, run:\n  oncosurv protocol show hcc-conversion > my.yaml\n  oncosurv study hcc-conversion --data liver.parquet --protocol my.yaml --out results/\n\nBuilt-in protocols: ${Object.keys(BUILT_IN_PROTOCOLS).join(', ')}`,
});
