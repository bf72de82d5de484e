# Reference values for src/stats/contingency.ts and src/stats/smd.ts (Table 1 statistics).
# Run: Rscript reference/r/table1.R  (writes reference/json/table1.json)
library(jsonlite)
out <- list()
tabs <- list(
  t22 = matrix(c(12, 5, 7, 15), 2, byrow = TRUE),
  t22small = matrix(c(3, 1, 1, 3), 2, byrow = TRUE),
  t23 = matrix(c(20, 15, 30, 5, 9, 2), 2, byrow = TRUE),
  t34 = matrix(c(10, 20, 30, 5, 8, 12, 7, 3, 1, 4, 9, 2), 3, byrow = TRUE)
)
for (nm in names(tabs)) {
  t <- tabs[[nm]]
  ch <- suppressWarnings(chisq.test(t))
  o <- list(table = unname(split(t, row(t))), chisq = unname(ch$statistic), df = unname(ch$parameter), p = ch$p.value)
  if (all(dim(t) == 2)) o$fisher_p <- fisher.test(t)$p.value
  out[[nm]] <- o
}
set.seed(7)
x <- c(round(rnorm(30, 60, 10)), round(rnorm(20, 65, 8)), round(rnorm(15, 55, 12)))
g <- c(rep(0, 30), rep(1, 20), rep(2, 15))
x[c(3, 40)] <- NA
kw <- kruskal.test(x, factor(g))
out$kruskal <- list(x = x, g = g, statistic = unname(kw$statistic), df = unname(kw$parameter), p = kw$p.value)
# SMDs by the Yang & Dalton formulas (as tableone::ExtractSmd), written out in base R
a <- x[g == 1 & !is.na(x)]; b <- x[g == 0 & !is.na(x)]
out$smd_continuous <- list(a = a, b = b, smd = abs(mean(a) - mean(b)) / sqrt((var(a) + var(b)) / 2))
c1 <- c(10, 25, 5, 3); c0 <- c(40, 30, 20, 10)
p1 <- c1 / sum(c1); p0 <- c0 / sum(c0)
S <- function(p) { q <- p[-1]; m <- -outer(q, q); diag(m) <- q * (1 - q); m }
d <- p1[-1] - p0[-1]
out$smd_categorical <- list(c1 = c1, c0 = c0, smd = sqrt(drop(t(d) %*% solve((S(p1) + S(p0)) / 2) %*% d)))
write_json(out, "reference/json/table1.json", digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE)
