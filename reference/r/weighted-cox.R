# Reference values for weighted Cox models with robust (sandwich) variance clustered on a matched
# set or a patient, as used by the IPTW, matching and clone-censor-weight analyses:
# coxph(..., weights = w, cluster = id). Each case stores its own inputs.
# Run: Rscript reference/r/weighted-cox.R  (from the repository root)
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
stopifnot(packageVersion("survival") == "3.5.3")

mat <- function(M) lapply(seq_len(ncol(M)), function(j) unname(M[, j]))
one <- function(name, fit, X, start, stop, status, weights, cluster) {
  list(name = name, ties = fit$method, names = colnames(X), columns = mat(X),
       start = if (is.null(start)) NULL else start, stop = stop, status = as.integer(status),
       weights = weights, cluster = as.integer(factor(cluster)) - 1L,
       coefficients = unname(coef(fit)), variance = mat(fit$var), naive_variance = mat(fit$naive.var),
       se = unname(sqrt(diag(fit$naive.var))), robust_se = unname(sqrt(diag(fit$var))),
       loglik = fit$loglik)
}
cases <- list()
# 1. lung: IPT-like weights, cluster on institution (patients nested in 'inst')
d <- na.omit(lung[, c("inst", "time", "status", "age", "sex", "ph.ecog")])
d$status <- d$status - 1
d$w <- 0.4 + ((seq_len(nrow(d)) * 7) %% 11) / 5
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, weights = w, cluster = inst, x = TRUE)
cases[[1]] <- one("lung_weights_cluster_inst", f, f$x, NULL, d$time, d$status, d$w, d$inst)
# 2. veteran: matched pairs (set = consecutive rows), treatment only, weights 1 and 0.5
v <- veteran
v$set <- (seq_len(nrow(v)) + 1) %/% 2
v$w <- ifelse(seq_len(nrow(v)) %% 3 == 0, 0.5, 1)
f <- coxph(Surv(time, status) ~ trt, data = v, weights = w, cluster = set, x = TRUE)
cases[[2]] <- one("veteran_matched_sets", f, f$x, NULL, v$time, v$status, v$w, v$set)
# 3. counting process: lung split at 180/360 days, robust SE clustered on patient, Breslow
d$id <- seq_len(nrow(d))
sp <- survSplit(Surv(time, status) ~ ., data = d, cut = c(180, 360), episode = "ep")
f <- coxph(Surv(tstart, time, status) ~ age + sex, data = sp, weights = w, cluster = id, ties = "breslow", x = TRUE)
cases[[3]] <- one("lung_split_cluster_patient", f, f$x, sp$tstart, sp$time, sp$status, sp$w, sp$id)
write_json(list(generated_by = "reference/r/weighted-cox.R", survival = as.character(packageVersion("survival")), cases = cases),
  "reference/json/weighted-cox.json", digits = NA, auto_unbox = TRUE, na = "null")
