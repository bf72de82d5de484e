/**
 * reproduce.R: an R script, written next to results.json, that refits the naive,
 * time-dependent and landmark Cox models and the Kaplan–Meier medians with R's survival
 * package from analysis-dataset.csv and counting-process.csv, prints them, and writes
 * reproduce-results.json so the two can be compared number by number.
 *
 * The formulas are the ones oncosurv fitted (same column names, same factor level order:
 * each factor's levels are set explicitly, and droplevels() removes levels absent from a
 * model's data, as oncosurv's model frame does).
 */
import type { DataTable } from '../core/types.js';
import type { Protocol } from './protocol.js';
import { SOFTWARE_VERSION } from '../version.js';

const rString = (s: string): string => JSON.stringify(s);

export function reproduceScript(data: DataTable, protocol: Protocol): string {
  const factorLevels: string[] = [];
  for (const [name, c] of data.columns) {
    if (c.kind === 'string' && c.levels) factorLevels.push(`  ${name} = c(${c.levels.map(rString).join(', ')})`);
  }
  const covs = protocol.covariates.adjusted.join(' + ');
  const ties = rString(protocol.analyses.cox_ties);
  const landmarks = protocol.analyses.landmark.months.join(', ');
  return `# reproduce.R — written by oncosurv ${SOFTWARE_VERSION} for protocol "${protocol.name}".
# Refits the main models with R's survival package from the CSVs in this folder:
#   Rscript reproduce.R [folder]
# and writes reproduce-results.json beside them. Compare with results.json.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "."
d <- read.csv(file.path(dir, "analysis-dataset.csv"), stringsAsFactors = FALSE)
cp <- read.csv(file.path(dir, "counting-process.csv"), stringsAsFactors = FALSE)

# Factor levels exactly as oncosurv ordered them (first level = reference).
factor_levels <- list(
${factorLevels.join(',\n')}
)
for (v in names(factor_levels)) {
  if (v %in% names(d)) d[[v]] <- factor(d[[v]], levels = factor_levels[[v]])
  if (v %in% names(cp)) cp[[v]] <- factor(cp[[v]], levels = factor_levels[[v]])
}

terms_of <- function(fit) {
  s <- summary(fit)$coefficients
  ci <- summary(fit)$conf.int
  robust <- "robust se" %in% colnames(s)
  lapply(setNames(seq_len(nrow(s)), rownames(s)), function(i) list(
    coef = unname(s[i, "coef"]), se = unname(s[i, "se(coef)"]),
    robust_se = if (robust) unname(s[i, "robust se"]) else NULL,
    hr = unname(ci[i, "exp(coef)"]), lower = unname(ci[i, "lower .95"]), upper = unname(ci[i, "upper .95"]),
    p = unname(s[i, ncol(s)])))
}
model <- function(formula, data, ...) {
  fit <- coxph(formula, data = droplevels(data), ties = ${ties}, ...)
  list(formula = deparse1(formula), n = fit$n, events = fit$nevent, loglik = fit$loglik, terms = terms_of(fit))
}

out <- list()
out$naive_unadjusted <- model(Surv(os_months, death) ~ surgery, d)
out$naive_adjusted <- model(Surv(os_months, death) ~ surgery + ${covs}, d)
out$time_dependent_unadjusted <- model(Surv(tstart, tstop, death) ~ surgery_td + cluster(id), cp)
out$time_dependent_adjusted <- model(Surv(tstart, tstop, death) ~ surgery_td + ${covs} + cluster(id), cp)
out$time_dependent_by_type <- model(Surv(tstart, tstop, death) ~ resection_td + transplant_td + ${covs} + cluster(id), cp)
for (L in c(${landmarks})) {
  lm <- subset(d, os_months > L)
  lm$lm_time <- lm$os_months - L
  lm$surgery_lm <- as.integer(!is.na(lm$surgery_months) & pmin(lm$surgery_months, lm$os_months) <= L)
  out[[paste0("landmark_", L, "_unadjusted")]] <- model(Surv(lm_time, death) ~ surgery_lm, lm)
  out[[paste0("landmark_", L, "_adjusted")]] <- model(Surv(lm_time, death) ~ surgery_lm + ${covs}, lm)
}
km <- survfit(Surv(os_months, death) ~ group, data = d)
tab <- summary(km)$table
out$km_medians <- lapply(setNames(seq_len(nrow(tab)), rownames(tab)), function(i) list(
  n = unname(tab[i, "records"]), events = unname(tab[i, "events"]),
  median = unname(tab[i, "median"]), lower = unname(tab[i, "0.95LCL"]), upper = unname(tab[i, "0.95UCL"])))

for (nm in names(out)) {
  if (!is.null(out[[nm]]$terms)) {
    cat("\\n==", nm, "==\\n", out[[nm]]$formula, "\\n")
    for (t in names(out[[nm]]$terms)) with(out[[nm]]$terms[[t]], cat(sprintf("  %-32s HR %.4f (%.4f-%.4f) p=%.4g\\n", t, hr, lower, upper, p)))
  }
}
print(km)
write_json(out, file.path(dir, "reproduce-results.json"), digits = NA, auto_unbox = TRUE, na = "null", null = "null", pretty = TRUE)
cat("\\nwrote", file.path(dir, "reproduce-results.json"), "\\n")
`;
}
