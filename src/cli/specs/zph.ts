import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'zph',
  summary: 'Proportional-hazards test (R cox.zph)',
  usage: ['zph --data FILE --formula "Surv(time, status) ~ x1 + x2 [+ strata(s)]" [options]'],
  options: {
    data: { type: 'string', value: 'FILE', help: 'CSV or Parquet file', required: true },
    formula: { type: 'string', value: 'F', help: 'Cox model formula (as for oncosurv cox)', required: true },
    transform: { type: 'string', value: 'T', help: 'time transform: km (default), identity, rank, log' },
    ties: { type: 'string', value: 'T', help: 'efron (default) or breslow' },
    weights: { type: 'string', value: 'COL', help: 'case-weight column' },
    'no-terms': { type: 'boolean', help: "one test per model column instead of per term (R's terms = FALSE)" },
    json: { type: 'boolean', help: '{"table":[{"term","chisq","df","p"}],"global":{"chisq","df","p"},"transform"}' },
  },
  epilog: 'Example:\n  oncosurv zph --data lung.csv --formula "Surv(time, status) ~ age + sex" --transform km',
});
