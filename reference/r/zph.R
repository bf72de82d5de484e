# Reference values for src/stats/cox-zph.ts and src/stats/cox-residuals.ts:
# survival::cox.zph (all four transforms, terms = TRUE and FALSE) and residuals.coxph
# (martingale, deviance, score, dfbeta, schoenfeld) on lung and veteran, right-censored and
# counting-process, Efron and Breslow, with and without case weights and strata.
# Each case stores its own inputs (model matrix, times, status, strata, weights) so the
# TypeScript tests do not depend on any other reference file.
# Run: Rscript reference/r/zph.R  (from the repository root)
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
stopifnot(packageVersion("survival") == "3.5.3")

cols <- function(X) lapply(seq_len(ncol(X)), function(j) unname(X[, j]))
mat_rows <- function(M) { M <- as.matrix(M); lapply(seq_len(ncol(M)), function(j) unname(M[, j])) }

one_case <- function(name, fit, data, X, start, stop, status, strata = NULL, weights = NULL, zph = TRUE) {
  out <- list(name = name, ties = fit$method,
    x = list(n = nrow(X), p = ncol(X), names = colnames(X), columns = cols(X),
             assign = as.integer(attr(X, "assign")) - 1L,
             termLabels = attr(terms(fit), "term.labels")[!grepl("strata\\(", attr(terms(fit), "term.labels"))]),
    start = if (is.null(start)) NULL else unname(start), stop = unname(stop), status = as.integer(status),
    strata = if (is.null(strata)) NULL else as.integer(strata) - 1L,
    weights = if (is.null(weights)) NULL else unname(weights),
    coefficients = unname(coef(fit)), variance = mat_rows(fit$var),
    naive_variance = if (is.null(fit$naive.var)) NULL else mat_rows(fit$naive.var),
    residuals = list(
      martingale = unname(residuals(fit, "martingale")),
      deviance = unname(residuals(fit, "deviance")),
      score = mat_rows(residuals(fit, "score")),
      dfbeta = mat_rows(residuals(fit, "dfbeta")),
      schoenfeld = mat_rows(residuals(fit, "schoenfeld")),
      schoenfeld_time = unname(as.numeric(rownames(as.matrix(residuals(fit, "schoenfeld")))))))
  if (zph) {
    out$zph <- list()
    for (tr in c("km", "identity", "rank", "log")) for (tt in c(TRUE, FALSE)) {
      z <- cox.zph(fit, transform = tr, terms = tt)
      out$zph[[length(out$zph) + 1]] <- list(transform = tr, terms = tt,
        term = rownames(z$table), chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]),
        p = unname(z$table[, "p"]), x = unname(z$x), time = unname(z$time), y = mat_rows(z$y))
    }
  }
  out
}

cases <- list()

# 1. lung ~ age + sex + ph.ecog (Efron), complete cases
lung1 <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog")])
lung1$status <- lung1$status - 1
f1 <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung1, x = TRUE)
cases[[1]] <- one_case("lung_efron", f1, lung1, f1$x, NULL, lung1$time, lung1$status)

# 2. same, Breslow
f2 <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung1, x = TRUE, ties = "breslow")
cases[[2]] <- one_case("lung_breslow", f2, lung1, f2$x, NULL, lung1$time, lung1$status)

# 3. veteran ~ trt + celltype + karno (factor term with 3 columns; the karno PH violation)
f3 <- coxph(Surv(time, status) ~ trt + celltype + karno, data = veteran, x = TRUE)
cases[[3]] <- one_case("veteran_efron", f3, veteran, f3$x, NULL, veteran$time, veteran$status)

# 4. lung with case weights (deterministic, non-integer)
lung1$w <- 0.5 + (seq_len(nrow(lung1)) %% 4) / 4
f4 <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung1, x = TRUE, weights = w)
cases[[4]] <- one_case("lung_weighted", f4, lung1, f4$x, NULL, lung1$time, lung1$status, weights = lung1$w)

# 5. counting process with strata: lung split at 180 and 360 days, strata(sex), Efron
sp <- survSplit(Surv(time, status) ~ ., data = lung1, cut = c(180, 360), episode = "ep")
f5 <- coxph(Surv(tstart, time, status) ~ age + ph.ecog + strata(sex), data = sp, x = TRUE)
cases[[5]] <- one_case("lung_split_strata", f5, sp, f5$x, sp$tstart, sp$time, sp$status, strata = factor(sp$sex))

# 6. counting process, Breslow, weighted, no strata
f6 <- coxph(Surv(tstart, time, status) ~ age + sex + ph.ecog, data = sp, x = TRUE, weights = w, ties = "breslow")
cases[[6]] <- one_case("lung_split_breslow_weighted", f6, sp, f6$x, sp$tstart, sp$time, sp$status, weights = sp$w)

# 7. right-censored with strata, Efron
f7 <- coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), data = lung1, x = TRUE)
cases[[7]] <- one_case("lung_strata", f7, lung1, f7$x, NULL, lung1$time, lung1$status, strata = factor(lung1$sex))

write_json(list(generated_by = "reference/r/zph.R", survival = as.character(packageVersion("survival")), cases = cases),
  "reference/json/zph.json", digits = NA, auto_unbox = TRUE, na = "null")
