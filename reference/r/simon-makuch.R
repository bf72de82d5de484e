# Reference values for src/causal/time-split.ts and src/causal/simon-makuch.ts: tmerge() with a
# tdc() exposure on a small simulated cohort (exposures at 0, inside follow-up, exactly at the
# end of follow-up, and never), and survfit(Surv(tstart, tstop, event) ~ exposed) on the split
# data (the Simon–Makuch curves).
# Run: Rscript reference/r/simon-makuch.R  (from the repository root)
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
stopifnot(packageVersion("survival") == "3.5.3")
set.seed(20261127)
n <- 120
time <- round(rexp(n, 1 / 24) + 0.1, 1)
event <- rbinom(n, 1, 0.7)
expo <- ifelse(runif(n) < 0.5, round(runif(n, 0, 1.2) * time, 1), NA)
expo[!is.na(expo) & expo > time] <- NA        # exposure after follow-up is an input error; drop it here
expo[1:3] <- c(0, time[2], NA)                # at baseline, exactly at the end, never
base <- data.frame(id = seq_len(n), time = time, event = event)
sp <- tmerge(base, base, id = id, death = event(time, event))
sp <- tmerge(sp, data.frame(id = seq_len(n), expo = expo), id = id, exposed = tdc(expo))
sp$exposed[is.na(sp$exposed)] <- 0
fit <- survfit(Surv(tstart, tstop, death) ~ exposed, data = sp)
s <- summary(fit, censored = TRUE)
curves <- lapply(c("exposed=0", "exposed=1"), function(nm) {
  k <- s$strata == nm
  list(name = nm, time = s$time[k], n_risk = s$n.risk[k], n_event = s$n.event[k], surv = s$surv[k], std_err = s$std.err[k],
       lower = s$lower[k], upper = s$upper[k])
})
write_json(list(generated_by = "reference/r/simon-makuch.R", survival = as.character(packageVersion("survival")),
  input = list(time = time, event = event, exposure_time = expo),
  split = list(id = sp$id, start = sp$tstart, stop = sp$tstop, event = sp$death, exposed = sp$exposed),
  curves = curves),
  "reference/json/simon-makuch.json", digits = NA, auto_unbox = TRUE, na = "null")
