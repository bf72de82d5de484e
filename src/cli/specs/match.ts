import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'match',
  summary: 'Propensity-score matching (R MatchIt nearest)',
  usage: [
    'match --data FILE --formula "treat ~ x1 + x2" --out matched.csv',
    '  [--ratio 1] [--caliper 0.2] [--replace] [--m-order largest|smallest|random|data]',
    '  [--exact var1,var2] [--link linear.logit|logit] [--seed N] [--legacy-matchit] [--json]',
  ],
  description: 'Nearest-neighbour matching on the propensity score, as R\'s\nMatchIt::matchit(formula, method = "nearest", distance = "glm").',
  options: {
    data: { type: 'string', value: 'FILE', help: 'CSV or Parquet file', required: true },
    formula: { type: 'string', value: 'F', help: 'treatment (0/1) ~ covariates of the propensity model (logistic regression)', required: true },
    out: { type: 'string', value: 'FILE', help: "matched dataset (CSV): the matched rows with all original columns plus\ndistance, subclass (R's 1-based matched-set numbers; empty with --replace)\nand weights (MatchIt's weights)", required: true },
    ratio: { type: 'string', value: 'K', help: 'controls per treated unit (default 1)' },
    caliper: { type: 'string', value: 'C', help: 'caliper in standard deviations of the distance (MatchIt std.caliper = TRUE)' },
    replace: { type: 'boolean', help: 'match with replacement (treated units are then taken in data order)' },
    'm-order': { type: 'string', value: 'O', help: 'order in which treated units choose (default largest distance first)' },
    exact: { type: 'string', value: 'V1,V2', help: 'match only within equal values of these columns' },
    link: { type: 'string', value: 'L', help: 'distance: linear.logit = logit of the propensity score (default; the\ncaliper is then in SDs of the logit, as Austin 2011 recommends) or\nlogit = the propensity score itself (MatchIt\'s default)' },
    seed: { type: 'string', value: 'N', help: "seed for --m-order random (random orders do not reproduce R's)" },
    'legacy-matchit': { type: 'boolean', help: 'reproduce MatchIt 4.5.1 exactly, including its integer-abs caliper bug\n(MatchIt issue #163, fixed in 4.5.2); see src/causal/matching.ts' },
    json: {
      type: 'boolean',
      help: 'JSON output:\n{"formula","n","n_dropped","link","ratio","replace","caliper",\n "caliper_absolute","m_order","exact":[...],"legacy_matchit":bool,\n "counts":{"treated":{"all","matched","unmatched"},\n           "control":{"all","matched","unmatched"}},\n "warnings":[...],"propensity_model":{"converged","warnings"},\n "balance":{"estimand":"ATT","rows":[BalanceRow],"ess":{"treated_before",\n            "control_before","treated_after","control_after"}},"out"}\nBalanceRow = {"variable","type","mean_treated_before","mean_control_before",\n "mean_treated_after","mean_control_after","smd_before","smd_after",\n "raw_difference_after","variance_ratio_before","variance_ratio_after"}',
    },
  },
  epilog: "Balance is cobalt's bal.tab: SMD denominators from the unmatched sample (treated SD for ATT),\nbinary covariates standardized too, factors one row per level.\n\nExample:\n  oncosurv match --data lung.csv --formula \"treat ~ age + sex\" --caliper 0.2 --out matched.csv",
});
