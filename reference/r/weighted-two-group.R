# Reference values for the event-time sweep used by the clone-censor-weight bootstrap
# (stats/two-group-risk-sets.ts, stats/risk-set-kaplan-meier.ts, stats/two-group-efron-cox.ts):
# weighted Kaplan-Meier, survfit(Surv(t, d) ~ 1, weights = w) and ~ x, at given times, and the
# weighted Cox model on one binary covariate, coxph(Surv(t, d) ~ x, weights = w, ties = "efron"),
# with its naive (model-based) and robust (sandwich, clustered on the patient) variance.
# Data have tied event times (times are rounded) and fractional weights. Each case stores its
# own inputs. The "copies" case stores a row multiplicity c and R's fit to the data with every
# row repeated c times (a bootstrap resample): its Efron tie count counts the copies.
# Run: Rscript reference/r/weighted-two-group.R  (from the repository root)
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
stopifnot(packageVersion("survival") == "3.5.3")

one <- function(name, d, times, copies = NULL) {
  rep_rows <- if (is.null(copies)) seq_len(nrow(d)) else rep(seq_len(nrow(d)), copies)
  r <- d[rep_rows, ]
  y <- if (all(d$start == 0)) Surv(r$stop, r$d) else Surv(r$start, r$stop, r$d)
  km1 <- summary(survfit(y ~ 1, weights = r$w), times = times, extend = TRUE)
  kmx <- survfit(y ~ x, data = r, weights = r$w)
  at <- function(g) summary(kmx[g], times = times, extend = TRUE)$surv
  naive <- coxph(y ~ x, data = r, weights = r$w, ties = "efron", robust = FALSE)
  robust <- coxph(y ~ x, data = r, weights = r$w, ties = "efron", cluster = r$id)
  list(name = name, id = d$id, start = d$start, stop = d$stop, event = as.integer(d$d), x = as.integer(d$x),
       weight = d$w, copies = if (is.null(copies)) NULL else as.integer(copies), times = times,
       survival_all = km1$surv, survival_x0 = at(1), survival_x1 = at(2),
       coefficient = unname(coef(naive)), loglik = naive$loglik, naive_variance = unname(naive$var[1, 1]),
       robust_coefficient = unname(coef(robust)), robust_variance = unname(robust$var[1, 1]),
       robust_naive_variance = unname(robust$naive.var[1, 1]), iterations = naive$iter)
}

set.seed(20261201)
cases <- list()
# 1. right-censored, 80 patients, times rounded to 0.5 (many ties), weights in (0.3, 2.5)
n <- 80
x <- rbinom(n, 1, 0.45)
t <- pmax(0.5, round(2 * rexp(n, 0.08 * exp(-0.4 * x))) / 2)
cens <- round(2 * runif(n, 2, 30)) / 2
d <- data.frame(id = seq_len(n), start = 0, stop = pmin(t, cens), d = as.integer(t <= cens), x = x,
                w = round(runif(n, 0.3, 2.5), 6))
cases[[1]] <- one("right_censored_ties_fractional_weights", d, c(2, 5, 10, 20))
# 2. counting process: the same patients split at 3 and 8 (start < t <= stop), weights per row
sp <- survSplit(Surv(stop, d) ~ id + x + w, data = d, cut = c(3, 8), start = "start", end = "stop", event = "d")
sp$w <- round(sp$w * (1 + 0.25 * (sp$start > 0)), 6)
cases[[2]] <- one("counting_process_split_row_weights", sp[, c("id", "start", "stop", "d", "x", "w")], c(2, 5, 10, 20))
# 3. bootstrap-like copies 0..3 of the counting-process rows (all rows of a patient together)
cp <- sample(0:3, n, replace = TRUE)
cases[[3]] <- one("counting_process_copies", sp[, c("id", "start", "stop", "d", "x", "w")], c(2, 5, 10, 20), cp[sp$id])
write_json(list(generated_by = "reference/r/weighted-two-group.R", survival = as.character(packageVersion("survival")), cases = cases),
  "reference/json/weighted-two-group.json", digits = NA, auto_unbox = TRUE, na = "null")
