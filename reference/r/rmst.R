# Reference values for src/stats/rmst.ts: restricted mean survival time (RMST) and restricted
# mean time lost (RMTL) per group, with the Uno et al. (2014, J Clin Oncol 32:2380) / survRM2
# variance, and the survRM2 between-group contrasts (difference; ratio and RMTL ratio on the
# log scale by the delta method). survRM2 is not installed, so its published rmst1/rmst2 method
# is written out below in base R, and RMST and its SE are cross-checked with survival's own
# print(survfit, rmean = tau) (survmean()), which must agree.
# Run: Rscript reference/r/rmst.R  (from the repository root)
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
stopifnot(packageVersion("survival") == "3.5.3")

rmst1 <- function(time, status, tau, alpha = 0.05) {
  ft <- survfit(Surv(time, status) ~ 1)
  idx <- ft$time <= tau
  wk.time <- sort(c(ft$time[idx], tau))
  wk.surv <- ft$surv[idx]
  wk.n.risk <- ft$n.risk[idx]
  wk.n.event <- ft$n.event[idx]
  time.diff <- diff(c(0, wk.time))
  areas <- time.diff * c(1, wk.surv)
  rmst <- sum(areas)
  wk.var <- ifelse((wk.n.risk - wk.n.event) == 0, 0, wk.n.event / (wk.n.risk * (wk.n.risk - wk.n.event)))
  wk.var <- c(wk.var, 0)
  rmst.var <- sum(cumsum(rev(areas[-1]))^2 * rev(wk.var)[-1])
  se <- sqrt(rmst.var)
  z <- qnorm(1 - alpha / 2)
  # survival's own restricted mean and its se, as a cross-check of the formula above
  sm <- summary(ft, rmean = tau)$table
  stopifnot(abs(sm[["rmean"]] - rmst) < 1e-9 * rmst, abs(sm[["se(rmean)"]] - se) < 1e-9 * se)
  list(rmst = rmst, se = se, lower = rmst - z * se, upper = rmst + z * se,
       rmtl = tau - rmst, rmtl_se = se, rmtl_lower = tau - rmst - z * se, rmtl_upper = tau - rmst + z * se,
       survfit_rmean = sm[["rmean"]], survfit_se = sm[["se(rmean)"]])
}

contrast <- function(r1, r0, alpha = 0.05) {
  z <- qnorm(1 - alpha / 2)
  d <- r1$rmst - r0$rmst; dse <- sqrt(r1$se^2 + r0$se^2)
  lr <- log(r1$rmst / r0$rmst); lrse <- sqrt(r1$se^2 / r1$rmst^2 + r0$se^2 / r0$rmst^2)
  ll <- log(r1$rmtl / r0$rmtl); llse <- sqrt(r1$se^2 / r1$rmtl^2 + r0$se^2 / r0$rmtl^2)
  list(
    difference = list(estimate = d, se = dse, lower = d - z * dse, upper = d + z * dse, p = 2 * pnorm(-abs(d) / dse)),
    ratio = list(estimate = exp(lr), log_se = lrse, lower = exp(lr - z * lrse), upper = exp(lr + z * lrse), p = 2 * pnorm(-abs(lr) / lrse)),
    rmtl_ratio = list(estimate = exp(ll), log_se = llse, lower = exp(ll - z * llse), upper = exp(ll + z * llse), p = 2 * pnorm(-abs(ll) / llse)))
}

make_case <- function(name, time, status, group, tau) {
  g <- factor(group)
  per <- lapply(levels(g), function(l) c(list(name = l, n = sum(g == l)), rmst1(time[g == l], status[g == l], tau)))
  out <- list(name = name, tau = tau, time = time, status = as.integer(status), group = as.integer(g) - 1L,
              levels = levels(g), groups = per)
  if (nlevels(g) == 2) {
    # survRM2 convention: arm 1 minus arm 0, i.e. the second level against the first
    r0 <- rmst1(time[g == levels(g)[1]], status[g == levels(g)[1]], tau)
    r1 <- rmst1(time[g == levels(g)[2]], status[g == levels(g)[2]], tau)
    out <- c(out, contrast(r1, r0))
  }
  out
}

lung1 <- lung[, c("time", "status", "sex")]
cases <- list(
  make_case("veteran_trt_tau200", veteran$time, veteran$status, veteran$trt, 200),
  make_case("lung_sex_tau365", lung1$time, lung1$status - 1, lung1$sex, 365),
  # tau exactly at an observed event time of both arms' curves
  make_case("lung_sex_tau_at_event", lung1$time, lung1$status - 1, lung1$sex, lung1$time[lung1$status == 2][5]),
  make_case("veteran_celltype_tau100", veteran$time, veteran$status, veteran$celltype, 100)
)
write_json(list(generated_by = "reference/r/rmst.R", survival = as.character(packageVersion("survival")), cases = cases),
  "reference/json/rmst.json", digits = NA, auto_unbox = TRUE, na = "null")
