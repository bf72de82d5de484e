# Reference matched sets for src/causal/matching.ts: MatchIt 4.5.1 nearest-neighbour matching on
# its lalonde example (propensity score from glm, logit link), several specifications.
# Writes reference/json/matchit.json. Run from the repository root: Rscript reference/r/matchit.R
library(jsonlite)
library(MatchIt)
stopifnot(packageVersion("MatchIt") == "4.5.1")
data("lalonde", package = "MatchIt")
d <- lalonde
f <- treat ~ age + educ + race + married + nodegree + re74 + re75

run <- function(name, ...) {
  args <- list(...)
  m <- suppressWarnings(matchit(f, data = d, method = "nearest", distance = "glm", ...))
  mm <- m$match.matrix  # rows: treated unit names; entries: control unit names or NA
  idx <- function(lab) match(lab, rownames(d))  # 1-based row numbers
  sets <- lapply(seq_len(nrow(mm)), function(i) {
    ctrl <- mm[i, ]; ctrl <- ctrl[!is.na(ctrl)]
    list(treated = idx(rownames(mm)[i]), controls = idx(ctrl))
  })
  list(
    name = name,
    options = lapply(args, function(a) if (inherits(a, "formula")) deparse(a) else a),
    distance = unname(m$distance),
    subclass = if (is.null(m$subclass)) NULL else unname(as.integer(m$subclass)),
    weights = unname(m$weights),
    sets = sets,
    nMatchedTreated = sum(m$weights[d$treat == 1] > 0),
    nMatchedControl = sum(m$weights[d$treat == 0] > 0),
    caliperAbsolute = if (is.null(m$caliper)) NULL else unname(m$caliper)
  )
}

cases <- list(
  run("ratio1", ratio = 1),
  run("ratio1_caliper", ratio = 1, caliper = 0.2, link = "linear.logit"),
  run("ratio3_caliper", ratio = 3, caliper = 0.2, link = "linear.logit"),
  run("ratio3", ratio = 3),
  run("replace", ratio = 1, replace = TRUE),
  run("replace_ratio2_caliper", ratio = 2, replace = TRUE, caliper = 0.1, link = "linear.logit"),
  run("smallest", ratio = 1, m.order = "smallest"),
  run("exact_married", ratio = 1, exact = ~married),
  run("exact_married_ratio2_caliper", ratio = 2, exact = ~married, caliper = 0.25, link = "linear.logit"),
  run("ps_caliper", ratio = 1, caliper = 0.05)
)
# MatchIt 4.5.1 as installed here compares |distance differences| with C's integer abs()
# (MatchIt issue #163, fixed in 4.5.2): differences below 1 count as 0, so the caliper only
# acts on differences >= 1 and the nearer of the two neighbours is not chosen (the lower one
# always wins). With replace = TRUE and ratio > 1 it can also reuse a control within one set. The cases above record that behaviour. Below, the same greedy algorithm
# (MatchIt's nn_matchC_vec: units sorted by distance, treated units processed in m.order, for
# each the nearest still-available control to the left and to the right, left on ties,
# ratio rounds one control per treated unit per round) is re-implemented in base R with a
# correct absolute value, as the reference for oncosurv's default behaviour.
greedy_nn <- function(treat, distance, ratio = 1, replace = FALSE, caliper = NULL,
                      m.order = "largest", exact = NULL, legacy = FALSE) {
  absfun <- if (legacy) function(x) trunc(abs(x)) else abs
  n <- length(treat)
  if (is.null(exact)) exact <- rep(1L, n)
  if (replace) m.order <- "data"
  mm <- matrix(NA_integer_, sum(treat == 1), ratio)
  t1 <- which(treat == 1)
  for (e in sort(unique(exact))) {
    u <- which(exact == e)
    o <- u[sort.list(distance[u])]        # stable ascending sort, as MatchIt
    tr <- t1[exact[t1] == e]
    ord <- switch(m.order,
      largest = tr[order(distance[tr], decreasing = TRUE)],
      smallest = tr[order(distance[tr])],
      data = tr)
    available <- treat[o] == 0
    for (r in seq_len(ratio)) {
      for (i in ord) {
        row <- match(i, t1)
        if (!any(available)) break
        pos <- match(i, o)
        used <- mm[row, ]
        # MatchIt 4.5.1 compared a 0-based row index with the stored 1-based ones, so with
        # replacement a control could be reused within one set (fixed in 4.5.2+).
        ok <- function(k) available[k] && !(if (legacy) (o[k] - 1L) %in% used else o[k] %in% used)
        find <- function(step) {
          k <- pos + step
          while (k >= 1 && k <= length(o)) {
            if (treat[o[k]] == 0 && ok(k)) {
              if (!is.null(caliper) && absfun(distance[i] - distance[o[k]]) > caliper) return(NA)
              return(k)
            }
            k <- k + step
          }
          NA
        }
        kl <- find(-1); kr <- find(1)
        k <- if (!is.na(kl) && !is.na(kr)) {
          if (absfun(distance[o[kl]] - distance[i]) <= absfun(distance[o[kr]] - distance[i])) kl else kr
        } else if (!is.na(kl)) kl else kr
        if (is.na(k)) next
        mm[row, r] <- o[k]
        if (!replace) available[k] <- FALSE
      }
    }
  }
  sets <- lapply(seq_along(t1), function(j) list(treated = t1[j], controls = mm[j, !is.na(mm[j, ])]))
  w <- numeric(n)
  for (j in seq_along(t1)) {
    cs <- mm[j, !is.na(mm[j, ])]
    if (length(cs) == 0) next
    w[t1[j]] <- 1
    for (cc in cs) w[cc] <- w[cc] + 1 / length(cs)
  }
  c0 <- treat == 0
  w[c0] <- w[c0] * sum(w[c0] > 0) / sum(w[c0])
  list(sets = sets, weights = w)
}
run_greedy <- function(cs, legacy) {
  o <- cs$options
  ps_link <- is.null(o$link)
  cal <- if (is.null(o$caliper)) NULL else o$caliper * sd(cs$distance)
  ex <- if (is.null(o$exact)) NULL else d$married
  # jsonlite writes 15 significant digits; match on exactly the values the tests read back,
  # so near-ties (lalonde has differences equal to ~1e-16) resolve the same way.
  g <- greedy_nn(d$treat, signif(cs$distance, 15), ratio = o$ratio, replace = isTRUE(o$replace), caliper = cal,
                 m.order = if (is.null(o[["m.order"]])) "largest" else o[["m.order"]], exact = ex,
                 legacy = legacy)
  list(name = cs$name, sets = g$sets, weights = g$weights)
}
# The re-implementation, given MatchIt 4.5.1's truncating abs, must reproduce MatchIt exactly.
for (cs in cases) {
  g <- run_greedy(cs, legacy = TRUE)
  same_sets <- identical(lapply(g$sets, function(s) as.integer(s$controls)),
                         lapply(cs$sets, function(s) as.integer(s$controls)))
  if (!same_sets || max(abs(g$weights - cs$weights)) > 1e-12) stop("re-implementation differs from MatchIt: ", cs$name)
}
corrected <- lapply(cases, run_greedy, legacy = FALSE)

treat <- d$treat
write_json(list(treat = treat, cases = cases, corrected = corrected), "reference/json/matchit.json",
           digits = NA, auto_unbox = TRUE, na = "null")
