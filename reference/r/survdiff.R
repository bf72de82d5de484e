# Reference values for src/stats/survdiff.ts (R's survdiff: log-rank and G-rho tests).
# Each case stores its input vectors (time, status, 0-based group codes and names, optional
# 0-based strata codes) so the TypeScript tests need no CSV and no formula parser.
# Observed/expected are R's printed totals (summed over strata when there are strata).
# Run from the repository root: Rscript reference/r/survdiff.R  (survival 3.5.3)
suppressPackageStartupMessages(library(survival))
library(jsonlite)

sd_case <- function(name, time, status, group, strata = NULL, rho = 0) {
  group <- droplevels(as.factor(group))
  d <- data.frame(time = time, status = status, g = group)
  if (is.null(strata)) {
    fit <- survdiff(Surv(time, status) ~ g, data = d, rho = rho)
  } else {
    d$s <- droplevels(as.factor(strata))
    fit <- survdiff(Surv(time, status) ~ g + strata(s), data = d, rho = rho)
  }
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  ex <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  list(name = name,
       input = list(time = time, status = as.integer(status), group = as.integer(group) - 1L,
                    group_names = paste0("g=", levels(group)),
                    strata = if (is.null(strata)) NULL else as.integer(d$s) - 1L),
       rho = rho,
       n = as.vector(fit$n), observed = unname(obs), expected = unname(ex),
       variance = as.vector(fit$var), chisq = fit$chisq, df = sum(ex > 0) - 1,
       p = fit$pvalue)
}

lung2 <- lung
lung2$event <- as.integer(lung$status == 2)
ecog <- lung2[!is.na(lung2$ph.ecog), ]
inst <- lung2[!is.na(lung2$inst), ]
vet <- veteran

cases <- list(
  sd_case("lung_sex", lung2$time, lung2$event, lung2$sex),
  sd_case("lung_sex_rho1", lung2$time, lung2$event, lung2$sex, rho = 1),
  sd_case("lung_ecog", ecog$time, ecog$event, ecog$ph.ecog),
  sd_case("lung_sex_strata_inst", inst$time, inst$event, inst$sex, strata = inst$inst),
  sd_case("lung_sex_strata_inst_rho05", inst$time, inst$event, inst$sex, strata = inst$inst, rho = 0.5),
  sd_case("veteran_celltype", vet$time, vet$status, vet$celltype),
  sd_case("veteran_trt_strata_celltype", vet$time, vet$status, vet$trt, strata = vet$celltype),
  sd_case("aml_x", aml$time, aml$status, aml$x),
  # Hand-worked: times 1,2,3 (group A) vs 2,4 (group B), all events; see survdiff.test.ts.
  sd_case("tiny", c(1, 3, 2, 2, 4), c(1, 1, 1, 0, 1), c("A", "A", "A", "B", "B")),
  # Times closer than sqrt(.Machine$double.eps) are ties for R (aeqSurv).
  sd_case("timefix", c(1, 1 + 1e-10, 2, 3, 3 - 1e-12, 4, 5), c(1, 1, 0, 1, 1, 1, 1),
          c(1, 2, 1, 2, 1, 2, 1))
)

write_json(list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
                cases = cases),
           "reference/json/survdiff.json", digits = NA, auto_unbox = TRUE, na = "null", null = "null")
