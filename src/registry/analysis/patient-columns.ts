/**
 * The columns of an export's patients.csv, in order (the contract between the export and the outcomes
 * report; data-dictionary.md defines each one). Extra baseline covariates follow these columns.
 *
 * Days are integers counted from the patient's first ICI dose (day 0) unless the name says otherwise:
 * post_surgery_*, rfs_*, rejection_* and graft_loss_* count from the surgery date. A blank cell is missing
 * (or not applicable). 0/1 flags are blank when unknown. Codes are the definition's choice codes;
 * `immunosuppression` (a multichoice on the surgery form) is its codes in definition order joined by "+"
 * (e.g. tacrolimus+mycophenolate+steroids), or NOT_DONE / UNKNOWN.
 */
export const PATIENT_COLUMNS = [
  'study_id', 'site', 'os_days', 'os_event', 'transplanted', 'resected', 'surgery_type', 'surgery_day', 'washout_days', 'regimen',
  'immunosuppression', 'post_surgery_os_days', 'post_surgery_os_event', 'rfs_days', 'rfs_event', 'rejection_days', 'rejection_status',
  'graft_loss_days', 'graft_loss_event', 'complete_pathological_response', 'followup_status',
] as const;

export type PatientColumn = (typeof PATIENT_COLUMNS)[number];

/** rejection_status codes: 0 censored, 1 first biopsy-proven acute rejection, 2 death without rejection. */
export const REJECTION_STATUS = { censored: 0, rejection: 1, death: 2 } as const;

/** followup_status at the data cut. */
export const FOLLOWUP_STATUSES = ['alive', 'dead', 'withdrawn', 'lost'] as const;
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];

/** How an explicit missing value of a form field is written in every export file. */
export const MISSING_CELL = { not_done: 'NOT_DONE', unknown: 'UNKNOWN' } as const;
