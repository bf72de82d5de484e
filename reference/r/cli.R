# Reference for src/cli/cli.test.ts: the numbers `oncosurv km|logrank|cox --json` must print,
# computed by R from the same CSV files the CLI reads (read.csv, so text columns are sorted
# factors exactly as a user would get them).
# Run from the repository root: Rscript reference/r/cli.R
library(survival)
library(jsonlite)
rd <- function(name) read.csv(file.path("reference/data", name))
lung <- rd("lung.csv"); veteran <- rd("veteran.csv"); heart <- rd("heart.csv")

# Lung with case weights (1, 1.5, 2 by row) and a column collinear with age, for the
# weighted and aliased-coefficient cases.
lungw <- lung
lungw$w <- 1 + ((seq_len(nrow(lung)) - 1) %% 3) / 2
lungw$age2 <- 2 * lungw$age + 1
wcsv <- "reference/data/cli-lung-weights.csv"
write.csv(lungw, wcsv, row.names = FALSE, na = "")

km_case <- function(formula, data, file, conf.type = "log", times = NULL, weights = NULL) {
  fit <- if (is.null(weights)) survfit(as.formula(formula), data = data, conf.type = conf.type) else
    survfit(as.formula(formula), data = data, conf.type = conf.type, weights = data[[weights]])
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  ns <- if (is.null(fit$strata)) c(all = length(fit$time)) else fit$strata
  idx <- rep(seq_along(ns), ns)
  s <- if (!is.null(times)) summary(fit, times = times) else NULL
  strata <- lapply(seq_along(ns), function(k) {
    w <- idx == k
    at <- NULL
    if (!is.null(s)) {
      sw <- if (is.null(s$strata)) rep(TRUE, length(s$time)) else as.integer(s$strata) == k
      at <- list(time = I(s$time[sw]), surv = I(s$surv[sw]), std_err = I(s$std.err[sw]),
                 lower = I(s$lower[sw]), upper = I(s$upper[sw]), n_risk = I(s$n.risk[sw]))
    }
    list(name = names(ns)[k], n = unname(tab[k, "records"]), events = unname(tab[k, "events"]),
         median = unname(tab[k, "median"]), median_lower = unname(tab[k, "0.95LCL"]),
         median_upper = unname(tab[k, "0.95UCL"]), rmean = unname(tab[k, "rmean"]),
         rmean_se = unname(tab[k, "se(rmean)"]),
         time = I(fit$time[w]), n_risk = I(fit$n.risk[w]), n_event = I(fit$n.event[w]),
         n_censor = I(fit$n.censor[w]), surv = I(fit$surv[w]),
         std_err = I(if (isTRUE(fit$logse)) fit$std.err[w] * fit$surv[w] else fit$std.err[w]), lower = I(fit$lower[w]), upper = I(fit$upper[w]),
         at = at)
  })
  list(args = c("km", "--data", file, "--formula", formula, "--conf-type", conf.type,
                if (!is.null(times)) c("--times", paste(times, collapse = ",")),
                if (!is.null(weights)) c("--weights", weights)),
       expected = list(conf_type = conf.type, n_dropped = nrow(data) - sum(fit$n), strata = strata))
}

logrank_case <- function(formula, data, file, rho = 0) {
  sd <- survdiff(as.formula(formula), data = data, rho = rho)
  o <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  e <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  df <- sum(e > 0) - 1
  list(args = c("logrank", "--data", file, "--formula", formula, "--rho", rho),
       expected = list(groups = I(names(sd$n)), n = I(as.vector(sd$n)), n_dropped = nrow(data) - sum(sd$n), observed = I(o), expected = I(e),
                       chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE)))
}

cox_case <- function(formula, data, file, ties = "efron", robust = FALSE, weights = NULL) {
  # robust = FALSE must not be passed explicitly: survival 3.5 then ignores cluster().
  args <- list(as.formula(formula), data = data, ties = ties)
  if (robust) args$robust <- TRUE
  if (!is.null(weights)) args$weights <- data[[weights]]
  fit <- do.call(coxph, args)
  s <- summary(fit)
  cf <- s$coefficients; ci <- s$conf.int
  rob <- "robust se" %in% colnames(cf)
  coefs <- lapply(seq_len(nrow(cf)), function(j) list(
    term = rownames(cf)[j], coef = cf[j, "coef"],
    # An aliased coefficient is NA; R's variance row for it is 0, our contract says null.
    se = if (is.na(cf[j, "coef"])) NA else cf[j, "se(coef)"],
    robust_se = if (rob) cf[j, "robust se"] else NULL, z = cf[j, "z"], p = cf[j, "Pr(>|z|)"],
    hr = ci[j, "exp(coef)"], hr_lower = ci[j, "lower .95"], hr_upper = ci[j, "upper .95"]))
  # Unrounded statistics from the fit (summary.coxph rounds the Wald test to 2 decimals).
  df <- sum(!is.na(coef(fit)))
  tst <- function(stat) list(statistic = unname(stat), df = df, p = pchisq(unname(stat), df, lower.tail = FALSE))
  list(args = c("cox", "--data", file, "--formula", formula, "--ties", ties, if (robust) "--robust",
                if (!is.null(weights)) c("--weights", weights)),
       expected = list(n = fit$n, nevent = fit$nevent, n_dropped = length(fit$na.action),
                       coefficients = coefs, loglik = I(fit$loglik),
                       tests = list(likelihood_ratio = tst(2 * diff(fit$loglik)), wald = tst(fit$wald.test), score = tst(fit$score),
                                    robust_score = if (is.null(fit$rscore)) NULL else tst(fit$rscore)),
                       concordance = list(c = unname(fit$concordance["concordance"]), se = unname(fit$concordance["std"])),
                       iterations = fit$iter))
}

L <- "reference/data/lung.csv"; V <- "reference/data/veteran.csv"; H <- "reference/data/heart.csv"
cases <- list(
  km_sex_times = km_case("Surv(time, status) ~ sex", lung, L, times = c(100, 365)),
  km_all_loglog = km_case("Surv(time, status) ~ 1", lung, L, conf.type = "log-log"),
  km_two_vars = km_case("Surv(time, status) ~ sex + ph.ecog", lung, L),
  km_celltype_plain = km_case("Surv(time, status) ~ celltype", veteran, V, conf.type = "plain"),
  logrank_sex = logrank_case("Surv(time, status) ~ sex", lung, L),
  logrank_strata = logrank_case("Surv(time, status) ~ sex + strata(ph.ecog)", lung, L),
  logrank_rho1 = logrank_case("Surv(time, status) ~ celltype", veteran, V, rho = 1),
  cox_strata_cluster = cox_case("Surv(time, status) ~ age + sex + strata(ph.ecog) + cluster(inst)", lung, L),
  cox_factor_interaction = cox_case("Surv(time, status) ~ age + factor(ph.ecog) + sex:age", lung, L, ties = "breslow"),
  cox_character_robust = cox_case("Surv(time, status) ~ trt + celltype + karno", veteran, V, robust = TRUE),
  km_weighted = km_case("Surv(time, status) ~ sex", lungw, wcsv, times = c(100, 365), weights = "w"),
  cox_weighted = cox_case("Surv(time, status) ~ age + sex + ph.ecog", lungw, wcsv, weights = "w"),
  cox_aliased = cox_case("Surv(time, status) ~ age + sex + age2", lungw, wcsv),
  cox_counting = cox_case("Surv(start, stop, event) ~ age + year*surgery + transplant + cluster(id)", heart, H)
)
write_json(cases, "reference/json/cli.json", digits = NA, auto_unbox = TRUE, na = "null", null = "null")
