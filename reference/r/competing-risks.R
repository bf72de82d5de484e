# Reference for src/stats/cumulative-incidence, gray-test, fine-gray, finegray-expand and
# cause-specific-cox tests (reference/json/competing-risks.json), and for the CLI's cuminc /
# finegray --json (reference/json/cli-competing-risks.json).
# Data: survival's mgus2 (status 1 = PCM, 2 = death without PCM, time = etime of the survival
# vignette; monthly times: many ties; hgb has missing values),
# survival's pbc (transplant vs death, by trt with NA rows, strata sex), and a simulated set with
# 3 causes, 3 groups, 2 strata and times rounded to whole units (ties between causes and with
# censoring). All are written to reference/data/ so the tests read exactly what R read.
# Run from the repository root: Rscript reference/r/competing-risks.R
library(survival)
library(cmprsk)
library(jsonlite)

# --- data -------------------------------------------------------------------------------
m <- survival::mgus2
mg <- data.frame(id = m$id, age = m$age, sex = as.character(m$sex), hgb = m$hgb, mspike = m$mspike,
                 time = ifelse(m$pstat == 0, m$futime, m$ptime),
                 status = ifelse(m$pstat == 0, 2 * m$death, 1))
write.csv(mg, "reference/data/mgus2-cr.csv", row.names = FALSE, na = "")

p <- survival::pbc
pb <- data.frame(id = p$id, time = p$time, status = p$status, trt = p$trt, sex = as.character(p$sex),
                 age = p$age, bili = p$bili, edema = p$edema, albumin = p$albumin)
write.csv(pb, "reference/data/pbc-cr.csv", row.names = FALSE, na = "")

set.seed(20261201)
n <- 400
grp <- sample(c("A", "B", "C"), n, replace = TRUE)
st <- sample(c("s1", "s2"), n, replace = TRUE)
x1 <- round(rnorm(n), 2)
x2 <- sample(1:3, n, replace = TRUE)
lin <- 0.4 * x1 + 0.3 * (x2 == 2) - 0.5 * (x2 == 3) + 0.5 * (grp == "B") + 0.2 * (st == "s2")
t1 <- rexp(n, 0.02 * exp(lin)); t2 <- rexp(n, 0.015 * exp(-0.3 * x1)); t3 <- rexp(n, 0.006)
cens <- runif(n, 10, 120)
tt <- pmin(t1, t2, t3, cens)
status <- ifelse(tt == cens, 0, ifelse(tt == t1, 1, ifelse(tt == t2, 2, 3)))
sim <- data.frame(id = 1:n, time = pmax(1, round(tt)), status = status, grp = grp, stratum = st, x1 = x1, x2 = x2)
write.csv(sim, "reference/data/sim-cr3.csv", row.names = FALSE, na = "")

# --- estimators -------------------------------------------------------------------------
# survfit(Surv(time, factor(status)) ~ group): every state's pstate and IJ std.err per curve
aj_ref <- function(d, group) {
  f <- if (is.null(group)) survfit(Surv(time, factor(status)) ~ 1, data = d) else
    survfit(as.formula(paste("Surv(time, factor(status)) ~", group)), data = d)
  ns <- if (is.null(f$strata)) c(all = length(f$time)) else f$strata
  idx <- rep(seq_along(ns), ns)
  lapply(seq_along(ns), function(k) {
    w <- idx == k
    list(name = names(ns)[k], states = I(f$states), time = I(f$time[w]), n_risk = I(f$n.risk[w, 1]),
         pstate = f$pstate[w, , drop = FALSE], std_err = f$std.err[w, , drop = FALSE],
         lower = f$lower[w, , drop = FALSE], upper = f$upper[w, , drop = FALSE])
  })
}

cuminc_ref <- function(d, group, strata, times) {
  args <- list(ftime = d$time, fstatus = d$status)
  if (!is.null(group)) args$group <- d[[group]]
  if (!is.null(strata)) args$strata <- d[[strata]]
  ci <- do.call(cuminc, args)
  tests <- ci$Tests
  curves <- ci[names(ci) != "Tests"]
  tp <- timepoints(ci, times)
  list(curves = lapply(names(curves), function(nm) list(name = nm, time = I(curves[[nm]]$time),
                                                       est = I(curves[[nm]]$est), var = I(curves[[nm]]$var))),
       tests = if (is.null(tests)) NULL else lapply(seq_len(nrow(tests)), function(j) list(
         cause = rownames(tests)[j], stat = tests[j, "stat"], p = tests[j, "pv"], df = tests[j, "df"])),
       timepoints = list(times = I(sort(unique(times))), names = I(rownames(tp$est)), est = tp$est, var = tp$var))
}

crr_ref <- function(d, rhs, cause) {
  mm <- model.matrix(as.formula(paste("~", rhs)), d)
  keep <- as.integer(rownames(mm))
  x <- mm[, -1, drop = FALSE]
  fit <- crr(d$time[keep], d$status[keep], x, failcode = cause, cencode = 0)
  s <- summary(fit)$coef
  list(terms = I(colnames(x)), coef = I(unname(fit$coef)), se = I(unname(sqrt(diag(fit$var)))),
       # summary.crr rounds z and p to 2 significant digits; these are unrounded
       z = I(unname(fit$coef / sqrt(diag(fit$var)))), p = I(unname(2 * pnorm(-abs(fit$coef / sqrt(diag(fit$var)))))), var = fit$var,
       loglik = fit$loglik, loglik_null = fit$loglik.null, converged = fit$converged,
       n = fit$n, n_dropped = nrow(d) - length(keep))
}

coxfit_json <- function(fit) list(coef = I(unname(coef(fit))), var = unname(fit$var),
  naive_var = if (is.null(fit$naive.var)) NULL else unname(fit$naive.var), loglik = I(fit$loglik), n = fit$n, nevent = fit$nevent)

finegray_ref <- function(d, rhs, cause) {
  vars <- all.vars(as.formula(paste("~", rhs)))
  dd <- d[complete.cases(d[, c("time", "status", vars)]), ]
  dd$fstat <- factor(dd$status, levels = sort(unique(dd$status)))
  fg <- finegray(as.formula(paste("Surv(time, fstat) ~", paste(c(vars, "id"), collapse = "+"))), data = dd, etype = as.character(cause))
  ff <- as.formula(paste("Surv(fgstart, fgstop, fgstatus) ~", rhs))
  rowrob <- coxph(ff, data = fg, weights = fgwt)
  idrob <- coxph(ff, data = fg, weights = fgwt, cluster = id)
  bres <- coxph(ff, data = fg, weights = fgwt, ties = "breslow")
  # The expanded rows themselves only for the small data set (the others are large); their count and
  # total weight always.
  small <- nrow(fg) <= 3000
  list(rows = nrow(fg), weight_sum = sum(fg$fgwt), fgstart = if (small) I(fg$fgstart), fgstop = if (small) I(fg$fgstop),
       fgstatus = if (small) I(fg$fgstatus), fgwt = if (small) I(fg$fgwt), id = if (small) I(fg$id),
       efron_row_robust = coxfit_json(rowrob), efron_id_cluster = coxfit_json(idrob), breslow_row_robust = coxfit_json(bres))
}

cause_specific_ref <- function(d, rhs, cause) {
  fit <- coxph(as.formula(paste("Surv(time, status ==", cause, ") ~", rhs)), data = d)
  coxfit_json(fit)
}

case <- function(file, d, group, strata, rhs, times) {
  causes <- sort(unique(d$status[d$status != 0]))
  dg <- if (is.null(group)) d else d[!is.na(d[[group]]) & !is.na(d$time) & !is.na(d$status), ]
  if (!is.null(strata)) dg <- dg[!is.na(dg[[strata]]), ]
  list(file = file, group = group, strata = strata, rhs = rhs, causes = I(causes), times = I(times),
       n_group_rows = nrow(dg),
       survfit = aj_ref(dg, group),
       cuminc = cuminc_ref(dg, group, NULL, times),
       cuminc_strata = if (is.null(strata)) NULL else cuminc_ref(dg, group, strata, times),
       crr = lapply(causes, function(k) crr_ref(d, rhs, k)),
       finegray = lapply(causes, function(k) finegray_ref(d, rhs, k)),
       cause_specific = lapply(causes, function(k) cause_specific_ref(d[complete.cases(d[, c("time", "status", all.vars(as.formula(paste("~", rhs))))]), ], rhs, k)))
}

cases <- list(
  mgus2 = case("reference/data/mgus2-cr.csv", mg, "sex", NULL, "age + sex + hgb", c(12, 60, 120, 240, 500)),
  pbc = case("reference/data/pbc-cr.csv", pb, "trt", "sex", "age + bili + albumin", c(365, 1000, 2000, 3000, 5000)),
  sim3 = case("reference/data/sim-cr3.csv", sim, "grp", "stratum", "x1 + factor(x2)", c(5, 10, 30, 60, 100, 200)),
  sim3_onegroup = case("reference/data/sim-cr3.csv", sim, NULL, NULL, "x1", c(10, 50))
)
write_json(list(r_version = R.version.string, survival = as.character(packageVersion("survival")),
                cmprsk = as.character(packageVersion("cmprsk")), cases = cases),
           "reference/json/competing-risks.json", digits = NA, auto_unbox = TRUE, na = "null", null = "null", matrix = "rowmajor")
