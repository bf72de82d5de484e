import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'logrank',
  summary: 'Log-rank / G-rho test of survival curves (R survdiff)',
  usage: ['logrank --data FILE --formula "Surv(time, status) ~ group [+ strata(s)]" [options]'],
  options: {
    data: { type: 'string', value: 'FILE', help: '.csv or .parquet data file', required: true },
    formula: { type: 'string', value: 'F', help: 'R formula; right-hand side variables define the groups, strata()\nvariables stratify the test', required: true },
    rho: { type: 'string', value: 'R', help: 'G-rho family weight S(t)^rho: 0 = log-rank (default), 1 = Peto-Peto' },
    json: { type: 'boolean', help: "print the result as JSON instead of R's table" },
  },
  epilog: 'Example:\n  oncosurv logrank --data lung.csv --formula "Surv(time, status) ~ sex + strata(ph.ecog)"',
});
