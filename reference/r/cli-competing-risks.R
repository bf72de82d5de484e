# Reference for src/cli/commands/competing-risks.test.ts: what `oncosurv cuminc|finegray --json`
# must print, computed by R (survival, cmprsk) from the same CSV files the CLI reads.
# Run from the repository root: Rscript reference/r/cli-competing-risks.R
library(survival)
library(cmprsk)
library(jsonlite)
rd <- function(f) read.csv(f)

# cmprsk's step function (corners) evaluated at `times` as timepoints() does
cmprsk_at <- function(curve, times) {
  sapply(times, function(t) { k <- max(which(curve$time <= t)); if (t > max(curve$time)) NA else curve$var[k] })
}

cuminc_case <- function(file, formula, times = NULL, conf.type = "log") {
  d <- rd(file)
  f <- as.formula(formula)
  vars <- all.vars(f)
  tv <- vars[1]; sv <- vars[2]; rhs <- vars[-(1:2)]
  strata_var <- if (grepl("strata\\(", formula)) sub(".*strata\\(([^)]+)\\).*", "\\1", formula) else NULL
  gvars <- setdiff(rhs, strata_var)
  dd <- d[complete.cases(d[, vars, drop = FALSE]), ]
  dd$.status <- factor(dd[[sv]])
  sf_formula <- as.formula(paste0("Surv(", tv, ", .status) ~ ", if (length(gvars)) paste(gvars, collapse = " + ") else "1"))
  fit <- survfit(sf_formula, data = dd, conf.type = conf.type)
  causes <- sort(unique(dd[[sv]][dd[[sv]] != 0]))
  ns <- if (is.null(fit$strata)) c(all = length(fit$time)) else fit$strata
  idx <- rep(seq_along(ns), ns)
  grp <- if (length(gvars)) interaction(lapply(gvars, function(v) dd[[v]]), sep = ":", lex.order = TRUE) else factor(rep(1, nrow(dd)))
  ci <- cuminc(dd[[tv]], dd[[sv]], grp, strata = if (is.null(strata_var)) rep(1, nrow(dd)) else dd[[strata_var]])
  s <- if (!is.null(times)) summary(fit, times = times) else NULL
  groups <- lapply(seq_along(ns), function(k) {
    w <- idx == k
    gl <- levels(grp)[k]
    cause_list <- lapply(seq_along(causes), function(j) {
      cv <- ci[[paste(gl, causes[j])]]
      list(cause = causes[j], n_event = I(fit$n.event[w, j + 1]), estimate = I(fit$pstate[w, j + 1]),
           std_err = I(fit$std.err[w, j + 1]), lower = I(fit$lower[w, j + 1]), upper = I(fit$upper[w, j + 1]),
           variance = I(cmprsk_at(cv, fit$time[w])))
    })
    at <- NULL
    if (!is.null(s)) {
      sw <- if (is.null(s$strata)) rep(TRUE, length(s$time)) else as.integer(s$strata) == k
      at <- list(time = I(s$time[sw]), causes = lapply(seq_along(causes), function(j) list(
        cause = causes[j], estimate = I(s$pstate[sw, j + 1]), std_err = I(s$std.err[sw, j + 1]),
        lower = I(s$lower[sw, j + 1]), upper = I(s$upper[sw, j + 1]),
        variance = I(cmprsk_at(ci[[paste(gl, causes[j])]], s$time[sw])))))
    }
    list(name = names(ns)[k], n = unname(fit$n[k]), time = I(fit$time[w]), n_risk = I(fit$n.risk[w, 1]),
         n_censor = I(fit$n.censor[w]), causes = cause_list, at = at)
  })
  tests <- if (is.null(ci$Tests)) NULL else lapply(seq_len(nrow(ci$Tests)), function(j) list(
    cause = as.numeric(rownames(ci$Tests)[j]), statistic = ci$Tests[j, "stat"], df = ci$Tests[j, "df"], p = ci$Tests[j, "pv"]))
  list(args = c("cuminc", "--data", file, "--formula", formula, "--conf-type", conf.type,
                if (!is.null(times)) c("--times", paste(times, collapse = ","))),
       expected = list(n = nrow(dd), n_dropped = nrow(d) - nrow(dd), causes = I(causes), conf_type = conf.type, conf_level = 0.95,
                       groups = groups, tests = tests, tests_stratified = !is.null(strata_var)))
}

finegray_case <- function(file, formula, cause, route = TRUE) {
  d <- rd(file)
  f <- as.formula(formula)
  vars <- all.vars(f)
  tv <- vars[1]; sv <- vars[2]
  rhs <- sub(".*~", "", formula)
  dd <- d[complete.cases(d[, vars, drop = FALSE]), ]
  dd$.id <- seq_len(nrow(dd))
  x <- model.matrix(as.formula(paste("~", rhs)), dd)[, -1, drop = FALSE]
  fit <- crr(dd[[tv]], dd[[sv]], x, failcode = cause, cencode = 0)
  se <- sqrt(diag(fit$var)); z <- fit$coef / se
  coefs <- lapply(seq_along(fit$coef), function(j) list(term = colnames(x)[j], coef = unname(fit$coef[j]), se = unname(se[j]),
    z = unname(z[j]), p = unname(2 * pnorm(-abs(z[j]))), hr = unname(exp(fit$coef[j])),
    hr_lower = unname(exp(fit$coef[j] - qnorm(0.975) * se[j])), hr_upper = unname(exp(fit$coef[j] + qnorm(0.975) * se[j]))))
  dd$.fstat <- factor(dd[[sv]])
  dd$.time <- dd[[tv]]
  fg <- finegray(as.formula(paste("Surv(.time, .fstat) ~ .", sep = "")), data = dd[, c(".time", ".fstat", ".id", setdiff(vars, c(tv, sv)))], etype = as.character(cause))
  cx <- coxph(as.formula(paste("Surv(fgstart, fgstop, fgstatus) ~", rhs)), data = fg, weights = fgwt, cluster = .id)
  sc <- summary(cx)$coefficients; ci <- summary(cx)$conf.int
  cxcoefs <- lapply(seq_len(nrow(sc)), function(j) list(term = rownames(sc)[j], coef = sc[j, "coef"], se = sc[j, "se(coef)"],
    robust_se = sc[j, "robust se"], z = sc[j, "z"], p = sc[j, "Pr(>|z|)"], hr = ci[j, "exp(coef)"], hr_lower = ci[j, "lower .95"], hr_upper = ci[j, "upper .95"]))
  st <- dd[[sv]]
  list(args = c("finegray", "--data", file, "--formula", formula, "--cause", cause, if (route) "--coxph-route"),
       expected = list(n = fit$n, n_dropped = nrow(d) - nrow(dd), cause = cause, n_event = sum(st == cause),
                       n_competing = sum(st != cause & st != 0), n_censored = sum(st == 0), coefficients = coefs,
                       loglik = fit$loglik, loglik_null = fit$loglik.null, converged = fit$converged,
                       finegray_coxph = if (route) list(rows = nrow(fg), coefficients = cxcoefs, loglik = I(cx$loglik)) else NULL))
}

M <- "reference/data/mgus2-cr.csv"; P <- "reference/data/pbc-cr.csv"; S <- "reference/data/sim-cr3.csv"
cases <- list(
  cuminc_mgus2_sex_times = cuminc_case(M, "Surv(time, status) ~ sex", times = c(12, 60, 120, 240, 500)),
  cuminc_pbc_trt_strata = cuminc_case(P, "Surv(time, status) ~ trt + strata(sex)", times = c(1000, 3000)),
  cuminc_sim3_plain = cuminc_case(S, "Surv(time, status) ~ grp", conf.type = "plain"),
  cuminc_sim3_all_loglog = cuminc_case(S, "Surv(time, status) ~ 1", times = c(0.5, 10, 50), conf.type = "log-log"),
  finegray_mgus2 = finegray_case(M, "Surv(time, status) ~ age + sex + hgb", 1),
  finegray_sim3_factor = finegray_case(S, "Surv(time, status) ~ x1 + factor(x2)", 3),
  finegray_pbc_death = finegray_case(P, "Surv(time, status) ~ age + bili + albumin", 2),
  finegray_pbc_transplant_crr_only = finegray_case(P, "Surv(time, status) ~ age + bili", 1, route = FALSE)
)
write_json(cases, "reference/json/cli-competing-risks.json", digits = NA, auto_unbox = TRUE, na = "null", null = "null")
