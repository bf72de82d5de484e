/**
 * reproduce.R of the registry's outcomes report: an R script, written beside results.json, that
 * refits the report's estimates from the export's CSVs (export/patients.csv) with R's survival and
 * cmprsk packages and writes reproduce-results.json in results.json's shape, so the two can be
 * compared number by number (src/registry/analysis/outcomes-report/reproduce.test.ts does).
 *
 * Refitted: the three Kaplan–Meier curves (survfit, log CI; step function and median); cuminc by
 * washout group (curves, variances, timepoints(), Gray's Tests); crr and the cause-specific coxph
 * (Efron), adjusted as the report adjusted — the factor levels and the pooling of sparse levels are
 * written into the script from results.json's `covariates`, so R fits the same design — and
 * unadjusted; the complete pathological response rate's Wilson CI (prop.test, correct = FALSE).
 */
import type { OutcomesResults } from './compute.js';
import { CUMINC_TIMES, KM_BREAKS_DAYS, modelLevels, WASHOUT_GROUPS } from './compute.js';
import { SOFTWARE_VERSION } from '../../../version.js';

const rString = (s: string): string => JSON.stringify(s);
const rVector = (xs: readonly string[]): string => `c(${xs.map(rString).join(', ')})`;

export function reproduceScript(results: OutcomesResults): string {
  const rej = 'skipped' in results.rejection ? null : results.rejection;
  const factors = (rej?.covariates ?? []).filter((c) => c.included).map((c) => {
    const mapping = Object.entries(c.mapping).map(([from, to]) => `${rString(from)} = ${rString(to)}`).join(', ');
    return `  ${c.name} = list(mapping = c(${mapping}), levels = ${rVector(modelLevels(c))})`;
  });
  return `# reproduce.R — written by oncosurv ${SOFTWARE_VERSION}: the registry outcomes report's estimates
# refitted with R's survival and cmprsk packages from the export the report was built from:
#   Rscript reproduce.R [report-folder]
# reads export/patients.csv and writes reproduce-results.json beside results.json. Compare the two.
suppressPackageStartupMessages({ library(survival); library(cmprsk); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "."
# Blank cells and the explicit-missing codes are NA.
d <- read.csv(file.path(dir, "export", "patients.csv"), stringsAsFactors = FALSE, na.strings = c("", "NOT_DONE", "UNKNOWN"))
out <- list()
num <- function(x) { x <- as.numeric(x); x[!is.finite(x)] <- NA; x }

km <- function(time, event, breaks = c(${KM_BREAKS_DAYS.join(', ')})) {
  keep <- !is.na(time) & !is.na(event)
  fit <- survfit(Surv(time[keep], event[keep]) ~ 1, conf.type = "log")
  tab <- summary(fit)$table
  list(n = unname(fit$n), events = unname(tab["events"]),
       median = unname(num(tab["median"])), median_lower = unname(num(tab["0.95LCL"])), median_upper = unname(num(tab["0.95UCL"])),
       curve = list(time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor, surv = fit$surv,
                    std_err = fit$std.err * fit$surv, lower = num(fit$lower), upper = num(fit$upper)),
       risk_table = list(time = breaks, n_risk = sapply(breaks, function(b) sum(time[keep] >= b))))
}
operated <- !is.na(d$surgery_day)
out$km <- list(
  itt_os = km(d$os_days, d$os_event),
  post_surgery_os = km(d$post_surgery_os_days[operated], d$post_surgery_os_event[operated]),
  rfs = km(d$rfs_days[operated], d$rfs_event[operated]))
${rej === null ? '' : `
# Rejection among transplant recipients; death without rejection competes (status 2).
r <- d[!is.na(d$transplanted) & d$transplanted == 1 & !is.na(d$rejection_days) & !is.na(d$rejection_status) & !is.na(d$washout_days), ]
r$washout_group <- ifelse(r$washout_days < 30, "${WASHOUT_GROUPS[0].group}", ifelse(r$washout_days < 90, "${WASHOUT_GROUPS[1].group}", "${WASHOUT_GROUPS[2].group}"))
r$washout_group <- factor(r$washout_group, levels = intersect(${rVector(WASHOUT_GROUPS.map((g) => g.group))}, unique(r$washout_group)))
r$washout_weeks <- r$washout_days / 7
ci <- cuminc(r$rejection_days, r$rejection_status, r$washout_group, cencode = 0)
curves <- ci[names(ci) != "Tests"]
out$rejection <- list(n = nrow(r),
  cuminc = unname(lapply(names(curves), function(k) {
    parts <- strsplit(k, " ")[[1]]
    list(group = parts[1], cause = as.numeric(parts[2]), time = curves[[k]]$time, est = curves[[k]]$est, var = curves[[k]]$var)
  })))
tp <- timepoints(ci, c(${CUMINC_TIMES.join(', ')}))
out$rejection$at <- list(times = c(${CUMINC_TIMES.join(', ')}), rows = unname(lapply(rownames(tp$est), function(k) {
  parts <- strsplit(k, " ")[[1]]
  list(group = parts[1], cause = as.numeric(parts[2]), est = num(tp$est[k, ]), var = num(tp$var[k, ]))
})))
if (!is.null(ci$Tests)) out$rejection$gray <- unname(lapply(rownames(ci$Tests), function(k) list(cause = as.numeric(k), statistic = ci$Tests[k, "stat"], df = ci$Tests[k, "df"], p = ci$Tests[k, "pv"])))

# Factors as the report entered them: data level -> model level, reference first.
factors <- list(
${factors.join(',\n')}
)
models <- function(adjusted) {
  m <- r
  terms <- "washout_weeks"
  if (adjusted) for (f in names(factors)) {
    m <- m[!is.na(m[[f]]), ]
    m[[f]] <- factor(unname(factors[[f]]$mapping[m[[f]]]), levels = factors[[f]]$levels)
    terms <- c(terms, f)
  }
  x <- model.matrix(as.formula(paste("~", paste(terms, collapse = " + "))), data = m)[, -1, drop = FALSE]
  fg <- crr(m$rejection_days, m$rejection_status, cov1 = x, failcode = 1, cencode = 0)
  se <- sqrt(diag(fg$var))
  fg_terms <- unname(lapply(seq_along(fg$coef), function(j) list(term = colnames(x)[j], coef = unname(fg$coef[j]), se = unname(se[j]),
    hr = exp(unname(fg$coef[j])), lower = exp(unname(fg$coef[j]) - qnorm(0.975) * se[j]), upper = exp(unname(fg$coef[j]) + qnorm(0.975) * se[j]),
    p = 2 * pnorm(-abs(unname(fg$coef[j]) / se[j])))))
  cs <- coxph(Surv(m$rejection_days, m$rejection_status == 1) ~ x, ties = "efron")
  s <- summary(cs)$coefficients
  cs_terms <- unname(lapply(seq_len(nrow(s)), function(j) list(term = colnames(x)[j], coef = unname(s[j, "coef"]), se = unname(s[j, "se(coef)"]),
    hr = unname(s[j, "exp(coef)"]), lower = exp(unname(s[j, "coef"]) - qnorm(0.975) * unname(s[j, "se(coef)"])),
    upper = exp(unname(s[j, "coef"]) + qnorm(0.975) * unname(s[j, "se(coef)"])), p = unname(s[j, "Pr(>|z|)"]))))
  list(fine_gray = list(n = nrow(m), terms = fg_terms, washout_per_week = fg_terms[[1]]),
       cause_specific = list(n = cs$n, events = cs$nevent, terms = cs_terms, washout_per_week = cs_terms[[1]]))
}
adj <- models(TRUE)
unadj <- models(FALSE)
out$rejection$fine_gray <- adj$fine_gray
out$rejection$cause_specific <- adj$cause_specific
out$rejection$fine_gray_unadjusted <- unadj$fine_gray
out$rejection$cause_specific_unadjusted <- unadj$cause_specific
print(adj$cause_specific$washout_per_week[c("hr", "lower", "upper")])
`}
pathology <- d$complete_pathological_response[!is.na(d$complete_pathological_response)]
if (length(pathology) > 0) {
  pt <- prop.test(sum(pathology == 1), length(pathology), correct = FALSE)
  out$pathology <- list(n = length(pathology), complete_response = sum(pathology == 1), rate = unname(pt$estimate), lower = pt$conf.int[1], upper = pt$conf.int[2])
}
write_json(out, file.path(dir, "reproduce-results.json"), auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE)
cat("wrote", file.path(dir, "reproduce-results.json"), "\\n")
`;
}
