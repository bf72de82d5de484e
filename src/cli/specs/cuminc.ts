import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'cuminc',
  summary: 'Cumulative incidence, competing risks; Gray test (R survfit, cmprsk cuminc)',
  usage: ['cuminc --data FILE --formula "Surv(time, status) ~ group" [options]'],
  options: {
    data: { type: 'string', value: 'FILE', help: '.csv or .parquet data file', required: true },
    formula: { type: 'string', value: 'F', help: 'status 0 = censored, 1, 2, ... = causes; right-hand side variables\ndefine the groups ("~ 1" for one curve); strata(s) stratifies Gray\'s test', required: true },
    times: { type: 'string', value: 'LIST', help: 'comma-separated times for the estimates table' },
    'conf-type': { type: 'string', value: 'T', help: 'log (default, as R), log-log or plain, for the pointwise limits' },
    rho: { type: 'string', value: 'R', help: "power of Gray's weight (1 - F(t-))^rho (default 0, as cuminc)" },
    json: { type: 'boolean', help: "print the estimates as JSON instead of R's tables" },
  },
  epilog: 'Example:\n  oncosurv cuminc --data mgus2.csv --formula "Surv(time, status) ~ sex" --times 60,120,240',
});
