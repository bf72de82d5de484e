/**
 * The data-generating model of the synthetic demo registry, with every parameter in one object so
 * the truth file states exactly what an analysis should recover.
 *
 * Washout (last ICI dose to transplant, days) is drawn from a three-part mixture (35% 7-42 d,
 * 40% 42-100 d, 25% 100-200 d). Biopsy-proven acute rejection after transplant has a cause-specific
 * hazard, piecewise constant in time since surgery (rate a on days 0-90, a/4 on days 90-365, none
 * afterwards), multiplied by HR^(washout weeks - 10): the washout effect is a proportional cause-specific
 * hazard ratio of 0.92 per extra week (Rezaee-Zavareh et al., J Hepatol 2025). `a` gives 30% rejection
 * at one year at 10 weeks of washout without competing death, so that with the washout mixture and competing
 * death about a quarter of recipients reject (Guo 2024: 27.7%; meta-analysis 26.4%).
 * Death competes with rejection (constant hazards, higher before surgery and after recurrence).
 * A Fine-Gray model estimates a subdistribution hazard ratio, which is close to but not equal to the
 * cause-specific HR; a cause-specific Cox model of first rejection on washout weeks estimates it directly.
 */

export const DEMO_MODEL = {
  washout: { mixture: [{ weight: 0.35, from: 7, to: 42 }, { weight: 0.4, from: 42, to: 100 }, { weight: 0.25, from: 100, to: 200 }] },
  rejection: {
    hrPerWashoutWeek: 0.92,
    referenceWashoutWeeks: 10,
    /** Hazard per day on days 0-90 after surgery at the reference washout: 30% rejection in the first year without competing death. */
    earlyRatePerDay: -Math.log(1 - 0.3) / (90 + 275 / 4),
    /** Days 90-365: a quarter of the early rate; no rejection hazard after day 365. */
    lateRateFactor: 0.25,
    earlyDays: 90,
    lastDay: 365,
    banffGrades: [{ code: 'mild', weight: 0.5 }, { code: 'moderate', weight: 0.35 }, { code: 'severe', weight: 0.15 }],
    /** Suspected episodes that a biopsy does not confirm (not events), per day in the first year. */
    unconfirmedRatePerDay: 0.15 / 365,
  },
  surgery: { probability: 0.85, transplantShare: 0.82, livingDonorShareOfTransplants: 0.2 },
  death: {
    beforeSurgeryPerYear: 0.15,
    neverOperatedPerYear: 0.35,
    afterSurgeryPerYear: 0.05,
    afterRecurrencePerYear: 0.45,
  },
  recurrence: { transplantPerYear: 0.06, resectionPerYear: 0.16 },
  lostToFollowUpPerYear: 0.02,
  followUpYears: 5,
  visitAttendance: 0.92,
  sites: [
    { code: 'LYON', name: 'Lyon Transplant Centre (SYNTHETIC)', patients: 60 },
    { code: 'BCN', name: 'Barcelona Liver Unit (SYNTHETIC)', patients: 50 },
    { code: 'TOR', name: 'Toronto Multi-Organ Transplant (SYNTHETIC)', patients: 40 },
  ],
} as const;

/**
 * Time from surgery to rejection (days) for one patient, by inverting the cumulative hazard with a
 * unit exponential draw `e`; undefined when no rejection happens within the first year.
 */
export function rejectionDay(e: number, washoutDays: number, model = DEMO_MODEL.rejection): number | undefined {
  const m = Math.pow(model.hrPerWashoutWeek, washoutDays / 7 - model.referenceWashoutWeeks);
  const a = model.earlyRatePerDay;
  const target = e / m; // cumulative baseline hazard to reach
  const early = a * model.earlyDays;
  if (target <= early) return target / a;
  const lateRate = a * model.lateRateFactor;
  const late = lateRate * (model.lastDay - model.earlyDays);
  if (target <= early + late) return model.earlyDays + (target - early) / lateRate;
  return undefined;
}
