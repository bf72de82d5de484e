/** `oncosurv protocol show NAME|FILE` and `oncosurv protocol check FILE`: print or validate a study protocol. */
import { SpecificationError } from '../../core/errors.js';
import { BUILT_IN_PROTOCOLS, loadProtocol, protocolToYaml } from '../../study/protocol.js';
import { parseCommandArgs, printJson, type CliCommand } from '../command.js';

const HELP = `oncosurv protocol: show or check a study protocol

Usage:
  oncosurv protocol show hcc-conversion [--json]   print the built-in protocol (YAML)
  oncosurv protocol check my.yaml                  validate an edited protocol

Copy, edit, run:
  oncosurv protocol show hcc-conversion > my.yaml
  oncosurv study hcc-conversion --data liver.parquet --protocol my.yaml --out results/

Built-in protocols: ${Object.keys(BUILT_IN_PROTOCOLS).join(', ')}
`;

export const command: CliCommand = {
  name: 'protocol',
  summary: 'Show a built-in study protocol',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, true);
    const [action, target] = positionals;
    if (action !== 'show' && action !== 'check') throw new SpecificationError(`protocol: expected "show" or "check", got ${action === undefined ? 'nothing' : `"${action}"`} (see oncosurv protocol --help)`);
    if (target === undefined) throw new SpecificationError(`protocol ${action}: name a built-in protocol or a protocol file`);
    const protocol = await loadProtocol(target);
    if (action === 'check') {
      process.stdout.write(`${target}: valid protocol "${protocol.name}"\n`);
      return 0;
    }
    if (values.json === true) printJson(protocol);
    else process.stdout.write(protocolToYaml(protocol));
    return 0;
  },
};
