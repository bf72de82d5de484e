# Reference values for src/causal/weighting.ts and src/causal/balance.ts on MatchIt's lalonde:
# propensity scores from glm(binomial), IPTW weights (ATE, ATT, ATO; stabilized; truncated),
# Kish effective sample sizes, and a cobalt-style balance table. cobalt and WeightIt are not
# installed, so the definitions are written out here in base R (documented in balance.ts):
#   SMD = (weighted mean treated - weighted mean control) / s, where s comes from the
#   UNWEIGHTED sample: ATT -> treated SD; ATE, ATO -> sqrt((s1^2 + s0^2) / 2).
#   SD of a binary (0/1) variable is sqrt(p (1 - p)); of a continuous one the n - 1 SD.
#   Variance ratio (continuous only) = weighted var treated / weighted var control, with the
#   weighted variance sum(w (x - m)^2) * sum(w) / (sum(w)^2 - sum(w^2)).
# Writes reference/json/weighting.json. Run from the repository root: Rscript reference/r/weighting.R
library(jsonlite)
library(MatchIt)
d <- MatchIt::lalonde
f <- treat ~ age + educ + race + married + nodegree + re74 + re75
fit <- glm(f, family = binomial, data = d)
ps <- unname(fitted(fit))
t <- d$treat
p1 <- mean(t)

iptw <- function(estimand, stabilize = FALSE) {
  w <- switch(estimand,
    ATE = ifelse(t == 1, 1 / ps, 1 / (1 - ps)),
    ATT = ifelse(t == 1, 1, ps / (1 - ps)),
    ATO = ifelse(t == 1, 1 - ps, ps))
  if (stabilize) w <- w * ifelse(t == 1, p1, 1 - p1)
  w
}
truncate_w <- function(w, lo, hi) {
  q <- quantile(w, c(lo, hi), type = 7, names = FALSE)
  pmin(pmax(w, q[1]), q[2])
}
ess <- function(w) sum(w)^2 / sum(w^2)

covs <- list(
  list(name = "age", values = d$age, binary = FALSE),
  list(name = "educ", values = d$educ, binary = FALSE),
  list(name = "race_black", values = as.numeric(d$race == "black"), binary = TRUE),
  list(name = "race_hispan", values = as.numeric(d$race == "hispan"), binary = TRUE),
  list(name = "race_white", values = as.numeric(d$race == "white"), binary = TRUE),
  list(name = "married", values = d$married, binary = TRUE),
  list(name = "nodegree", values = d$nodegree, binary = TRUE),
  list(name = "re74", values = d$re74, binary = FALSE),
  list(name = "re75", values = d$re75, binary = FALSE)
)
wmean <- function(x, w) sum(w * x) / sum(w)
wvar <- function(x, w, binary) {
  m <- wmean(x, w)
  if (binary) return(m * (1 - m))
  sum(w * (x - m)^2) * sum(w) / (sum(w)^2 - sum(w^2))
}
balance <- function(w, estimand) {
  rows <- lapply(covs, function(cv) {
    x <- cv$values; b <- cv$binary
    x1 <- x[t == 1]; x0 <- x[t == 0]; w1 <- w[t == 1]; w0 <- w[t == 0]
    one1 <- rep(1, length(x1)); one0 <- rep(1, length(x0))
    v1 <- wvar(x1, one1, b); v0 <- wvar(x0, one0, b)
    s <- if (estimand == "ATT") sqrt(v1) else sqrt((v1 + v0) / 2)
    list(variable = cv$name, type = if (b) "binary" else "continuous",
         meanTreatedBefore = mean(x1), meanControlBefore = mean(x0),
         meanTreatedAfter = wmean(x1, w1), meanControlAfter = wmean(x0, w0),
         smdBefore = (mean(x1) - mean(x0)) / s,
         smdAfter = (wmean(x1, w1) - wmean(x0, w0)) / s,
         varianceRatioBefore = if (b) NA else v1 / v0,
         varianceRatioAfter = if (b) NA else wvar(x1, w1, FALSE) / wvar(x0, w0, FALSE))
  })
  list(rows = rows, ess = list(treatedBefore = sum(t == 1), controlBefore = sum(t == 0),
                               treatedAfter = ess(w[t == 1]), controlAfter = ess(w[t == 0])))
}

m <- matchit(f, data = d, method = "nearest", distance = "glm", ratio = 3)
mw <- unname(m$weights)
# Balance of the matched sample uses only matched units (weight > 0), as cobalt does.

out <- list(
  treat = t, ps = ps, linearPredictor = unname(fit$linear.predictors),
  covariates = covs,
  weights = list(
    ATE = iptw("ATE"), ATT = iptw("ATT"), ATO = iptw("ATO"),
    ATEstabilized = iptw("ATE", TRUE), ATTstabilized = iptw("ATT", TRUE), ATOstabilized = iptw("ATO", TRUE),
    ATEtruncated = truncate_w(iptw("ATE"), 0.01, 0.99),
    ATEstabilizedTruncated = truncate_w(iptw("ATE", TRUE), 0.05, 0.95)),
  ess = list(ATEtreated = ess(iptw("ATE")[t == 1]), ATEcontrol = ess(iptw("ATE")[t == 0])),
  balance = list(ATE = balance(iptw("ATE"), "ATE"), ATT = balance(iptw("ATT"), "ATT"),
                 ATO = balance(iptw("ATO"), "ATO"), matched = balance(mw, "ATT")),
  matchedWeights = mw
)
write_json(out, "reference/json/weighting.json", digits = NA, auto_unbox = TRUE, na = "null")
