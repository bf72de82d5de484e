import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'finegray',
  summary: 'Fine–Gray competing-risks regression (R cmprsk crr)',
  usage: ['finegray --data FILE --formula "Surv(time, status) ~ covariates" [options]'],
  options: {
    data: { type: 'string', value: 'FILE', help: '.csv or .parquet data file', required: true },
    formula: { type: 'string', value: 'F', help: 'status 0 = censored, 1, 2, ... = causes; terms with + : * and factor()', required: true },
    cause: { type: 'string', value: 'K', help: "the status value of the cause of interest (default 1, as crr's failcode)" },
    'coxph-route': { type: 'boolean', help: "also fit survival's route: coxph on finegray()'s expanded data with\nweights = fgwt and cluster = id (the expansion grows with competing\nevents x censoring times, so it can be large)" },
    json: { type: 'boolean', help: "print the fit as JSON instead of R's summary" },
  },
  epilog: 'Example:\n  oncosurv finegray --data mgus2.csv --formula "Surv(time, status) ~ age + sex + hgb" --cause 1',
});
