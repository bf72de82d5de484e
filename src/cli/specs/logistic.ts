import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'logistic',
  summary: 'Logistic regression (R glm, binomial)',
  usage: ['logistic --data FILE --formula "y ~ x1 + factor(x2)" [--weights COL] [--json]'],
  options: {
    data: { type: 'string', value: 'FILE', help: 'CSV or Parquet file', required: true },
    formula: { type: 'string', value: 'F', help: '0/1 response (or a two-valued text column: first sorted value = 0) ~ terms', required: true },
    weights: { type: 'string', value: 'COL', help: 'prior weights (> 0), R\'s glm(weights = )' },
    json: {
      type: 'boolean',
      help: 'JSON output:\n{"formula","n","n_dropped","coefficients":[{"term","estimate","se","z","p",\n "or","or_lower","or_upper","aliased"}],"deviance","null_deviance",\n "df_residual","df_null","aic","lr_test":{"statistic","df","p"},\n "iterations","converged","warnings":[...]}\n(aliased terms have null estimates; OR limits are Wald 95%, confint.default)',
    },
  },
  epilog: 'Rows with a missing value in any model variable are dropped (na.omit), and counted.\n\nExample:\n  oncosurv logistic --data lung.csv --formula "status ~ age + factor(ph.ecog)"',
});
