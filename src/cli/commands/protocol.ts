/** `oncosurv protocol show NAME|FILE` and `oncosurv protocol check FILE`: print or validate a study protocol. */
import { SpecificationError } from '../../core/errors.js';
import { loadProtocol, protocolToYaml } from '../../study/protocol.js';
import { defineCommand, printJson } from '../command.js';
import { spec } from '../specs/protocol.js';

export const command = defineCommand(spec, async ({ values, positionals }) => {
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
});
