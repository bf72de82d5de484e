# Reference values for src/stats/logistic.ts: R's glm(family = binomial) on MatchIt's lalonde
# data, plus an aliased design, a weighted fit and a perfectly separated fit.
# Writes reference/json/logistic.json and reference/data/lalonde.csv.
# Run from the repository root: Rscript reference/r/logistic.R
library(jsonlite)
data("lalonde", package = "MatchIt")
d <- MatchIt::lalonde
d$id <- rownames(d)
d <- d[, c("id", setdiff(names(d), "id"))]
write.csv(d, "reference/data/lalonde.csv", row.names = FALSE)

fit_case <- function(name, formula, data, weights = NULL, X = NULL) {
  w <- list()
  fit <- withCallingHandlers(
    if (is.null(weights)) glm(formula, family = binomial, data = data)
    else { data$.w <- weights; glm(formula, family = binomial, data = data, weights = .w) },
    warning = function(cond) { w[[length(w) + 1]] <<- conditionMessage(cond); invokeRestart("muffleWarning") })
  if (is.null(X)) X <- model.matrix(fit)
  s <- summary(fit)
  cf <- coef(fit)
  tab <- matrix(NA_real_, length(cf), 4, dimnames = list(names(cf), NULL))
  tab[rownames(s$coefficients), ] <- s$coefficients
  ci <- confint.default(fit)
  lr <- fit$null.deviance - fit$deviance
  lrdf <- fit$df.null - fit$df.residual
  list(
    name = name,
    x = lapply(seq_len(ncol(X)), function(j) unname(X[, j])),
    names = colnames(X),
    y = unname(as.numeric(fit$y)),
    weights = if (is.null(weights)) NULL else unname(weights),
    coefficients = unname(cf), se = unname(tab[, 2]), z = unname(tab[, 3]), p = unname(tab[, 4]),
    or = unname(exp(cf)), orLower = unname(exp(ci[, 1])), orUpper = unname(exp(ci[, 2])),
    deviance = fit$deviance, nullDeviance = fit$null.deviance,
    dfResidual = fit$df.residual, dfNull = fit$df.null, aic = fit$aic,
    lrStatistic = lr, lrDf = lrdf, lrP = pchisq(lr, lrdf, lower.tail = FALSE),
    iterations = fit$iter, converged = fit$converged,
    fitted = unname(fitted(fit)), linearPredictor = unname(fit$linear.predictors),
    warnings = unlist(w)
  )
}

f1 <- treat ~ age + educ + race + married + nodegree + re74 + re75
cases <- list(fit_case("lalonde", f1, d))

# Aliased column: re7475 = re74 + re75 comes after both, so R drops it (NA).
d2 <- d; d2$re7475 <- d2$re74 + d2$re75
cases[[2]] <- fit_case("aliased", treat ~ age + educ + re74 + re75 + re7475 + married, d2)

# Prior weights (integer and non-integer), as glm's `weights`.
wt <- 1 + (seq_len(nrow(d)) %% 3) / 2
cases[[3]] <- fit_case("weighted", treat ~ age + educ + race + re74, d, weights = wt)

# Quasi-complete separation: x > 0 implies y = 1.
sep <- data.frame(x = c(-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 4), y = c(0, 0, 0, 1, 0, 1, 1, 1, 1, 1))
sep$x[5] <- -0.2
sep$y <- as.numeric(sep$x > -0.6)
cases[[4]] <- fit_case("separated", y ~ x, sep)

# Small ordinary example with a binary response from lalonde: married ~ age + educ + nodegree.
cases[[5]] <- fit_case("married", married ~ age + educ + nodegree + re75, d)

write_json(cases, "reference/json/logistic.json", digits = NA, auto_unbox = TRUE, na = "null")
