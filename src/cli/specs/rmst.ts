import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'rmst',
  summary: 'Restricted mean survival time by group',
  usage: ['rmst --data FILE --formula "Surv(time, status) ~ group" --tau T [--conf-level 0.95] [--json]'],
  description: 'Restricted mean survival time (RMST) and restricted mean time lost (RMTL) by group.',
  options: {
    data: { type: 'string', value: 'FILE', help: 'CSV or Parquet file', required: true },
    formula: { type: 'string', value: 'F', help: 'Surv(time, status) ~ 1, or ~ variables defining the groups', required: true },
    tau: { type: 'string', value: 'T', help: "truncation time (same units as time); must not exceed any group's follow-up", required: true },
    'conf-level': { type: 'string', value: 'L', help: 'confidence level (default 0.95)' },
    json: {
      type: 'boolean',
      help: 'JSON output:\n{"tau","conf_level","groups":[{"name","n","events","rmst","se","lower","upper",\n "rmtl","rmtl_se","rmtl_lower","rmtl_upper"}],\n "difference":{"estimate","se","lower","upper","p"},\n "ratio":{"estimate","log_se","lower","upper","p"},\n "rmtl_ratio":{"estimate","log_se","lower","upper","p"}}\n(contrasts: second group vs first, as survRM2\'s arm 1 vs arm 0; null unless\nthere are exactly two groups)',
    },
  },
  epilog: 'Example:\n  oncosurv rmst --data lung.csv --formula "Surv(time, status) ~ sex" --tau 365',
});
