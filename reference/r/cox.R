# Reference values for src/stats/cox.ts, concordance.ts and distributions.ts.
#
# Writes reference/json/cox.json (one entry per coxph case, with the model matrix and outcome
# so the TypeScript tests do not need the formula parser), reference/json/cox-distributions.json
# (pnorm/qnorm/pchisq grid), and the survival package datasets as CSV in reference/data/
# (NA as an empty field, R's column names) for the other engineers.
#
# Run from the repository root:  Rscript reference/r/cox.R
suppressMessages(library(survival))
library(jsonlite)
stopifnot(packageVersion("survival") >= "3.5")

datadir <- "reference/data"
jsondir <- "reference/json"
wcsv <- function(d, name) write.csv(d, file.path(datadir, name), row.names = FALSE, na = "")
wcsv(survival::lung, "lung.csv")
wcsv(survival::veteran, "veteran.csv")
wcsv(survival::ovarian, "ovarian.csv")
wcsv(survival::aml, "aml.csv")
wcsv(survival::colon, "colon.csv")
wcsv(survival::heart, "heart.csv")

num <- function(v) { v <- as.numeric(v); v }
mat_rowmajor <- function(m) as.vector(t(m))

# Fit a model, capturing R's warnings, and record inputs and outputs.
run_case <- function(name, formula, data, ties = "efron", weights = NULL, robust = NULL,
                     iter.max = 20, init = NULL, note = "") {
  warns <- character(0)
  fit <- withCallingHandlers({
    args <- list(formula = formula, data = data, ties = ties, x = TRUE, y = TRUE,
                 control = coxph.control(iter.max = iter.max))
    if (!is.null(weights)) args$weights <- weights
    if (!is.null(robust)) args$robust <- robust
    if (!is.null(init)) args$init <- init
    do.call(coxph, args)
  }, warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  X <- fit$x
  Y <- fit$y
  counting <- ncol(Y) == 3
  s <- summary(fit)
  cm <- s$coefficients
  out <- list(
    name = name, formula = paste(deparse(formula), collapse = " "), ties = ties, note = note,
    iterMax = iter.max,
    init = if (is.null(init)) NULL else num(init),
    robust = !is.null(fit$naive.var),
    n = fit$n, nevent = fit$nevent,
    names = colnames(X),
    x = lapply(seq_len(ncol(X)), function(j) num(X[, j])),
    start = if (counting) num(Y[, 1]) else NULL,
    stop = if (counting) num(Y[, 2]) else num(Y[, 1]),
    event = if (counting) num(Y[, 3]) else num(Y[, 2]),
    strata = if (is.null(fit$strata)) NULL else as.integer(as.factor(fit$strata)) - 1L,
    weights = if (is.null(weights)) NULL else num(weights),
    cluster = NULL,
    coef = num(fit$coefficients),
    var = mat_rowmajor(fit$var),
    naiveVar = if (is.null(fit$naive.var)) NULL else mat_rowmajor(fit$naive.var),
    loglik = num(fit$loglik),
    score = num(fit$score),
    wald = num(fit$wald.test),
    rscore = if (is.null(fit$rscore)) NULL else num(fit$rscore),
    iter = fit$iter,
    concordance = num(fit$concordance[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy", "concordance", "std")]),
    linearPredictors = num(fit$linear.predictors),
    means = num(fit$means),
    warnings = warns,
    summary = list(
      coef = num(cm[, "coef"]),
      se = num(cm[, "se(coef)"]),
      robustSe = if ("robust se" %in% colnames(cm)) num(cm[, "robust se"]) else NULL,
      z = num(cm[, "z"]),
      p = num(cm[, ncol(cm)]),
      hr = num(s$conf.int[, 1]),
      lower = num(s$conf.int[, 3]),
      upper = num(s$conf.int[, 4]),
      logtest = num(s$logtest), sctest = num(s$sctest), waldtest = num(s$waldtest),
      robscore = if (is.null(s$robscore)) NULL else num(s$robscore)
    )
  )
  out
}

cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x

lung1 <- na.omit(survival::lung[, c("time", "status", "age", "sex", "ph.ecog", "inst")])
lung1$status <- lung1$status - 1
lungw <- lung1
lungw$w <- 1 + (seq_len(nrow(lungw)) %% 3)

add(run_case("lung_efron", Surv(time, status) ~ age + sex + ph.ecog, lung1))
add(run_case("lung_breslow", Surv(time, status) ~ age + sex + ph.ecog, lung1, ties = "breslow"))
add(run_case("lung_strata", Surv(time, status) ~ age + factor(ph.ecog) + strata(sex), lung1))
add(run_case("lung_strata_breslow", Surv(time, status) ~ age + factor(ph.ecog) + strata(sex), lung1, ties = "breslow"))
add(run_case("lung_interaction", Surv(time, status) ~ age * sex, lung1))
add(run_case("lung_weights", Surv(time, status) ~ age + sex + ph.ecog, lungw, weights = lungw$w,
             note = "integer case weights 1 + (row %% 3); R's default robust=FALSE"))
add(run_case("lung_weights_frac", Surv(time, status) ~ age + sex + ph.ecog, lungw, weights = lungw$w / 2.5,
             note = "non-integer weights: R switches robust on by default"))
c1 <- run_case("lung_cluster", Surv(time, status) ~ age + sex + ph.ecog + cluster(inst), lung1)
c1$cluster <- as.integer(factor(lung1$inst)) - 1L
add(c1)
add(run_case("lung_robust", Surv(time, status) ~ age + sex + ph.ecog, lung1, robust = TRUE))
add(run_case("lung_init", Surv(time, status) ~ age + sex + ph.ecog, lung1, init = c(0.01, -0.5, 0.4)))

vet <- survival::veteran
add(run_case("veteran", Surv(time, status) ~ trt + celltype + karno, vet))
add(run_case("veteran_breslow_strata", Surv(time, status) ~ trt + karno + strata(celltype), vet, ties = "breslow"))
add(run_case("ovarian", Surv(futime, fustat) ~ age + ecog.ps + rx, survival::ovarian))
add(run_case("aml", Surv(time, status) ~ x, survival::aml))
col2 <- na.omit(subset(survival::colon, etype == 2)[, c("time", "status", "rx", "sex", "age", "nodes")])
add(run_case("colon", Surv(time, status) ~ rx + sex + age + nodes, col2))

hrt <- survival::heart
add(run_case("heart_efron", Surv(start, stop, event) ~ age + year + surgery + transplant, hrt))
add(run_case("heart_breslow", Surv(start, stop, event) ~ age + year + surgery + transplant, hrt, ties = "breslow"))
h3 <- run_case("heart_cluster", Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), hrt)
h3$cluster <- as.integer(factor(hrt$id)) - 1L
add(h3)
hw <- 1 + (seq_len(nrow(hrt)) %% 4)
add(run_case("heart_strata_weights", Surv(start, stop, event) ~ age + year + transplant + strata(surgery), hrt,
             weights = hw, note = "integer weights 1 + (row %% 4)"))
add(run_case("heart_nonconverged", Surv(start, stop, event) ~ age + year + surgery + transplant, hrt, iter.max = 1))

add(run_case("lung_strata_inst", Surv(time, status) ~ age + sex + strata(inst), lung1,
             note = "18 strata: R's concordance switches to its >10-strata time-shift path"))
vw <- 0.5 + (seq_len(nrow(vet)) %% 5) / 4
v2 <- run_case("veteran_strata_weights_cluster", Surv(time, status) ~ trt + karno + strata(celltype) + cluster(prior), vet,
               weights = vw, note = "fractional weights, strata and a cluster together")
v2$cluster <- as.integer(factor(vet$prior)) - 1L
add(v2)
add(run_case("heart_weights_frac", Surv(start, stop, event) ~ age + year + surgery + transplant, hrt,
             weights = hw / 3, note = "fractional weights: R turns robust on, clustering on rows"))

lungc <- lung1
lungc$agesex <- lungc$age + 2 * lungc$sex
add(run_case("collinear", Surv(time, status) ~ age + sex + agesex + ph.ecog, lungc,
             note = "agesex = age + 2*sex is collinear: R gives NA"))

mono <- data.frame(time = 1:20, status = rep(c(1, 1, 0, 1), 5),
                   x = c(rep(1, 8), rep(0, 12)), z = c(0.3, 1.2, -0.5, 0.8, 0.1, -1.1, 0.6, 2.0, -0.2, 0.4,
                                                      1.5, -0.7, 0.9, 0.0, -1.3, 0.2, 1.1, -0.4, 0.7, -0.9))
add(run_case("monotone", Surv(time, status) ~ x + z, mono, note = "x=1 dies first: beta for x is infinite"))
mono2 <- mono
mono2$start <- c(0, 0, 0.5, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0)
add(run_case("monotone_counting", Surv(start, time, status) ~ x + z, mono2,
             note = "agreg.fit's own infinite-beta rule and wording"))
add(run_case("nonconverged", Surv(time, status) ~ age + sex + ph.ecog, lung1, iter.max = 2))
add(run_case("nonconverged1", Surv(time, status) ~ age + sex + ph.ecog, lung1, iter.max = 1))

write_json(cases, file.path(jsondir, "cox.json"), digits = NA, auto_unbox = TRUE, na = "null",
           null = "null", pretty = FALSE)

# Distribution functions, including far tails.
xs <- c(-40, -38.5, -37.5, -30, -20, -10, -8.3, -6, -5, -4, -3.5, -3, -2.5, -2, -1.96, -1.5, -1,
        -0.5, -0.1, -1e-5, 0, 1e-5, 0.1, 0.5, 1, 1.5, 1.96, 2, 2.5, 3, 3.5, 4, 5, 6, 8.3, 9)
ps <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45,
        0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-6)
chi <- expand.grid(x = c(1e-8, 0.001, 0.1, 0.5, 1, 2, 3.84, 5, 10, 20, 50, 100, 300, 700, 1500),
                   df = c(1, 2, 3, 4, 5, 7, 10, 15, 30, 100))
dist <- list(
  pnorm = list(x = xs, p = pnorm(xs)),
  qnorm = list(p = ps, q = qnorm(ps)),
  pchisq = list(x = chi$x, df = chi$df, upper = pchisq(chi$x, chi$df, lower.tail = FALSE))
)
write_json(dist, file.path(jsondir, "cox-distributions.json"), digits = NA, auto_unbox = FALSE, na = "null")
cat("wrote", length(cases), "cox cases\n")
