# Reference values for src/stats/kaplan-meier.ts and src/stats/km-summary.ts.
# Each case stores its own input vectors (time, status, optional start, group codes and
# names, optional weights) so the TypeScript tests need no CSV and no formula parser.
# Run from the repository root: Rscript reference/r/km.R  (survival 3.5.3)
suppressPackageStartupMessages(library(survival))
library(jsonlite)

# One survfit + summary per case. `group` is a factor (or NULL), `tau` a numeric rmean limit.
km_case <- function(name, time, status, group = NULL, start = NULL, weights = NULL,
                    conf.type = "log", conf.int = 0.95, times = NULL, tau = NULL) {
  n <- length(time)
  if (is.null(group)) group <- factor(rep("all", n))
  group <- droplevels(as.factor(group))
  y <- if (is.null(start)) Surv(time, status) else Surv(start, time, status)
  d <- data.frame(g = group)
  d$y <- y
  d$w <- if (is.null(weights)) rep(1, n) else weights
  single <- nlevels(group) == 1
  fml <- if (single) y ~ 1 else y ~ g
  fit <- survfit(fml, data = d, weights = w, conf.type = conf.type, conf.int = conf.int)
  strata_names <- if (single) "all" else paste0("g=", levels(group))
  sidx <- if (single) rep(1L, length(fit$time)) else rep(seq_along(fit$strata), fit$strata)
  tab_common <- summary(fit, rmean = "common")$table
  tab_indiv <- summary(fit, rmean = "individual")$table
  tab_tau <- if (!is.null(tau)) summary(fit, rmean = tau)$table else NULL
  asmat <- function(t) if (is.matrix(t)) t else matrix(t, nrow = 1, dimnames = list(NULL, names(t)))
  tab_common <- asmat(tab_common); tab_indiv <- asmat(tab_indiv)
  if (!is.null(tab_tau)) tab_tau <- asmat(tab_tau)
  lcl <- paste0(conf.int, "LCL"); ucl <- paste0(conf.int, "UCL")
  sm <- if (!is.null(times)) summary(fit, times = times) else NULL
  curves <- lapply(seq_along(strata_names), function(i) {
    k <- sidx == i
    out <- list(
      name = strata_names[i], n = unname(tab_common[i, "records"]),
      events = unname(tab_common[i, "events"]),
      time = fit$time[k], n_risk = fit$n.risk[k], n_event = fit$n.event[k],
      n_censor = fit$n.censor[k], surv = fit$surv[k],
      std_err_raw = fit$std.err[k],
      # What summary.survfit prints: fit$std.err is on the log scale only when fit$logse.
      std_err = if (isTRUE(fit$logse)) fit$std.err[k] * fit$surv[k] else fit$std.err[k],
      lower = fit$lower[k], upper = fit$upper[k],
      median = unname(tab_common[i, "median"]),
      median_lower = unname(tab_common[i, lcl]), median_upper = unname(tab_common[i, ucl]),
      rmean_common = unname(tab_common[i, "rmean"]), rmean_se_common = unname(tab_common[i, "se(rmean)"]),
      rmean_individual = unname(tab_indiv[i, "rmean"]), rmean_se_individual = unname(tab_indiv[i, "se(rmean)"])
    )
    if (!is.null(tab_tau)) {
      out$rmean_tau <- unname(tab_tau[i, "rmean"]); out$rmean_se_tau <- unname(tab_tau[i, "se(rmean)"])
    }
    if (!is.null(sm)) {
      sk <- if (single) rep(TRUE, length(sm$time)) else as.integer(sm$strata) == i
      out$at <- list(time = sm$time[sk], surv = sm$surv[sk], std_err = sm$std.err[sk],
                     lower = sm$lower[sk], upper = sm$upper[sk], n_risk = sm$n.risk[sk],
                     n_event = sm$n.event[sk])
    }
    out
  })
  list(name = name,
       input = list(time = time, status = as.integer(status), start = start,
                    group = as.integer(group) - 1L, group_names = strata_names, weights = weights),
       options = list(conf_type = conf.type, conf_level = conf.int, times = times, tau = tau),
       # FALSE when survfitKM chose the robust (infinitesimal-jackknife) SE: non-integer weights.
       logse = fit$logse,
       rmean_endtime_common = summary(fit, rmean = "common")$rmean.endtime[1],
       curves = curves)
}

lung2 <- lung
lung2$event <- as.integer(lung$status == 2)
ecog <- lung2[!is.na(lung2$ph.ecog), ]
vet <- veteran
# Integer case weights keep R's Greenwood variance; fractional ones switch R to the
# infinitesimal-jackknife (robust) variance, which is tested separately.
iw <- 1 + (seq_len(nrow(lung2)) %% 3)
fw <- 0.5 + ((seq_len(nrow(lung2)) * 7) %% 11) / 10
hrt <- heart
# The CLI's weighted case (reference/r/cli.R writes the CSV): weights 1, 1.5, 2 by row, so
# survfitKM's has.rwt rule switches to the robust SE although two thirds are integers.
clw <- read.csv("reference/data/cli-lung-weights.csv")

cases <- list(
  km_case("lung_all", lung2$time, lung2$event, times = c(0, 100, 365, 500, 1000, 2000), tau = 500),
  km_case("lung_sex_log", lung2$time, lung2$event, group = lung2$sex,
          times = c(-5, 1, 5, 30, 180, 365, 730, 1000, 1022), tau = 365),
  km_case("lung_sex_loglog", lung2$time, lung2$event, group = lung2$sex, conf.type = "log-log",
          times = c(30, 180, 365, 900)),
  km_case("lung_sex_plain", lung2$time, lung2$event, group = lung2$sex, conf.type = "plain",
          conf.int = 0.9, times = c(30, 180, 365, 900)),
  km_case("lung_ecog", ecog$time, ecog$event, group = ecog$ph.ecog, times = c(100, 200, 300, 400), tau = 400),
  km_case("lung_sex_intweights", lung2$time, lung2$event, group = lung2$sex, weights = iw,
          times = c(100, 365, 700), tau = 600),
  km_case("lung_sex_fracweights", lung2$time, lung2$event, group = lung2$sex, weights = fw,
          times = c(100, 365, 700), tau = 600),
  # Zero weights: rows still define times (n.risk/n.event count them with weight 0).
  km_case("aml_zeroweights", aml$time, aml$status, group = aml$x,
          weights = c(0, rep(c(1, 2, 0), length.out = nrow(aml) - 1)), times = c(5, 30)),
  km_case("aml_zero_fracweights", aml$time, aml$status, group = aml$x,
          weights = c(0, rep(c(1.5, 2, 0), length.out = nrow(aml) - 1)), times = c(5, 30)),
  km_case("veteran_trt", vet$time, vet$status, group = vet$trt, times = c(10, 50, 100, 500), tau = 300),
  km_case("veteran_celltype", vet$time, vet$status, group = vet$celltype, conf.type = "log-log",
          times = c(10, 50, 100, 500)),
  km_case("aml_x", aml$time, aml$status, group = aml$x, times = c(0, 5, 12, 30, 60, 200), tau = 100),
  # S is exactly 0.5 on [2, 3): median is R's midpoint (2 + 3) / 2; S reaches 0 at the end.
  km_case("half_plateau", c(1, 2, 3, 4), c(1, 1, 1, 1), times = c(0.5, 2, 2.5, 4)),
  km_case("half_plateau_censored", c(1, 2, 2, 3, 5, 6, 8, 8), c(1, 1, 0, 1, 1, 0, 1, 0),
          group = c(1, 1, 1, 1, 2, 2, 2, 2), times = c(1, 3, 4, 7, 9)),
  km_case("heart_all", hrt$stop, hrt$event, start = hrt$start, times = c(10, 100, 1000, 2000), tau = 1000),
  km_case("heart_fracweights", hrt$stop, hrt$event, start = hrt$start, group = hrt$transplant,
          weights = 0.25 + (seq_len(nrow(hrt)) %% 7) / 4, times = c(10, 100, 1000), tau = 900),
  km_case("heart_surgery", hrt$stop, hrt$event, start = hrt$start, group = hrt$surgery,
          conf.type = "log-log", times = c(10, 100, 1000)),
  km_case("cli_lung_weights", clw$time, as.integer(clw$status == 2), group = clw$sex, weights = clw$w,
          times = c(100, 365), tau = 500),
  # Robust SE on one curve that ends in a death (S = 0), with ties of events and censorings.
  km_case("frac_to_zero", c(1, 2, 2, 2, 3, 4, 4, 5, 6, 6), c(1, 1, 0, 1, 0, 1, 1, 0, 1, 1),
          weights = c(0.5, 1.25, 2, 0.75, 1, 1.5, 0.25, 2.5, 1, 0.5), times = c(0.5, 2, 4.5, 6)),
  # Integer-valued weights stored as doubles stay on Greenwood (has.rwt is about values).
  km_case("integer_valued_weights", c(1, 2, 2, 3, 4, 4, 5, 6), c(1, 1, 0, 1, 1, 0, 1, 1),
          weights = c(1, 2, 3, 1, 2, 2, 1, 4), times = c(2, 4)),
  # Times that differ by less than sqrt(.Machine$double.eps): R's aeqSurv merges them.
  km_case("timefix", c(1, 1 + 1e-10, 2, 3, 3 - 1e-12, 4), c(1, 1, 0, 1, 1, 1))
)

write_json(list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
                cases = cases),
           "reference/json/km.json", digits = NA, auto_unbox = TRUE, na = "null", null = "null")
