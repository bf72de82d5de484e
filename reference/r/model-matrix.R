# Reference for src/stats/model-frame.ts: R's model.frame (na.omit) + model.matrix column
# names, order and values for formulas with factors, characters, logicals and interactions.
# Run from the repository root: Rscript reference/r/model-matrix.R
library(jsonlite)
d <- data.frame(
  time   = c(5, 8, 12, 3, 20, 7, 15, 9, 11, 4, 6, 18, 2, 13),
  status = c(1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0),
  age    = c(61, 55, NA, 70, 48, 66, 59, 72, 50, 63, NA, 57, 68, 45),
  wt     = c(70.5, 82, 64, 90.25, 77, 58, 66, 80, 71, 69, 75, 88, 62, 73),
  grp    = c("b", "a", "c", "a", NA, "b", "c", "a", "b", "c", "d", "a", "b", "c"),
  stage  = c(1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 4, 1, NA, 3),
  flag   = c(TRUE, FALSE, TRUE, TRUE, FALSE, NA, FALSE, TRUE, TRUE, FALSE, TRUE, FALSE, TRUE, FALSE),
  stringsAsFactors = FALSE)
formulas <- c(
  "~ age + factor(stage)",
  "~ grp + wt",
  "~ factor(stage):age",
  "~ age:wt",
  "~ grp:factor(stage)",
  "~ grp*factor(stage)",
  "~ age*grp + flag",
  "~ (grp + age + wt)^2",
  "~ wt + age:grp + grp",
  "~ factor(stage)*age*wt",
  "~ age + factor(grp)")
cases <- lapply(formulas, function(f) {
  mf <- model.frame(as.formula(f), d, na.action = na.omit)
  mm <- model.matrix(as.formula(f), mf)
  list(formula = f,
       term_labels = I(attr(terms(as.formula(f)), "term.labels")),
       names = I(colnames(mm)),
       assign = I(attr(mm, "assign")),
       rows = I(as.integer(rownames(mf)) - 1L),
       columns = lapply(seq_len(ncol(mm)), function(j) unname(mm[, j])))
})
dir.create("reference/json", showWarnings = FALSE, recursive = TRUE)
write_json(list(data = as.list(d), cases = cases), "reference/json/model-matrix.json",
           digits = NA, auto_unbox = TRUE, na = "null")
