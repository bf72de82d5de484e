import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'km',
  summary: 'Kaplan–Meier estimates (R survfit)',
  usage: ['km --data FILE --formula "Surv(time, status) ~ group" [options]'],
  options: {
    data: { type: 'string', value: 'FILE', help: '.csv or .parquet data file', required: true },
    formula: { type: 'string', value: 'F', help: 'R formula; the right-hand side variables define the curves,\n"~ 1" for one curve', required: true },
    'conf-type': { type: 'string', value: 'T', help: 'log (default, as R), log-log or plain' },
    times: { type: 'string', value: 'LIST', help: 'comma-separated times for summary(fit, times = ...) rows' },
    weights: { type: 'string', value: 'COL', help: 'column of case weights' },
    json: { type: 'boolean', help: "print the estimates as JSON instead of R's table" },
  },
  epilog: 'Example:\n  oncosurv km --data lung.csv --formula "Surv(time, status) ~ sex" --times 180,365',
});
