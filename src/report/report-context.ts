/**
 * What every section of the study report needs besides the results: the suppression rule with
 * the protocol's threshold, and readable labels for groups, curves and model terms.
 *
 * Inputs: StudyResults and { suppress }. Output: `ReportContext`.
 * Method: counts are suppressed here, before they reach a table or figure, as the strings the
 * builders pass through ('<T', T = protocol.reporting.suppress_below), so one threshold governs
 * tables, risk tables, flow boxes, figure labels and sentences. Labels come from results.json
 * itself (Table 1 carries each variable's label), so the report needs nothing but that file.
 */

import { formatCount, suppressCount, suppressPercent, type Suppressed } from './suppress.js';
import { isSkipped, type StudyResults } from './study-results.js';
import { GROUP_LABELS } from '../cohort/hcc-cohort.js';

export interface ReportContext {
  results: StudyResults;
  suppress: boolean;
  threshold: number;
  synthetic: boolean;
  /** A count as tables and figures get it: the number, or '<T' when it must be hidden. */
  shown(n: number): number | Suppressed;
  /** A count as text: '1,234' or '<10'. Non-integers (weighted counts) are rounded first. */
  count(n: number): string;
  /** 'n (p%)' with the percentage hidden whenever the count (or its complement) is hidden. */
  countPercent(n: number, total: number, digits?: number): string;
  /** True when `n` would be hidden. */
  hidden(n: number): boolean;
  /** Label of a study group key ('resection' -> 'Resection'). */
  groupLabel(key: string): string;
  /** Label of a model term or balance variable ('sexFemale', 'sex_Female' -> 'Sex: Female'). */
  termLabel(term: string): string;
}

/**
 * The `suppress` flag handed to the generic table and figure builders. Their own rule uses a
 * threshold of 10; the counts they get here were already suppressed with the protocol's
 * threshold (ctx.shown / ctx.count / '<T' strings), so they must show them as given.
 */
export const PRESUPPRESSED = false;


/** Covariates that are not Table 1 rows but appear in models. */
const EXTRA_LABELS: Record<string, string> = {
  academic: 'Academic/research program',
  academic_facility: 'Academic/research program',
  surgery: 'Surgery',
  surgery_td: 'Surgery (time-dependent)',
  surgery_lm: 'Surgery by landmark',
  resection_td: 'Resection (time-dependent)',
  transplant_td: 'Transplant (time-dependent)',
};

export function createReportContext(results: StudyResults, options: { suppress: boolean }): ReportContext {
  const threshold = results.protocol.reporting.suppress_below;
  const suppress = options.suppress;
  const labels: Record<string, string> = { ...EXTRA_LABELS };
  const t1 = results.analyses.table1;
  if (!isSkipped(t1)) for (const r of t1.rows) labels[r.variable] = r.label.replace(/, (years|mm)$/, '');
  // Longest names first, so 'race_ethnicity' wins over a shorter prefix.
  const names = Object.keys(labels).sort((a, b) => b.length - a.length);
  const round = (n: number): number => (Number.isInteger(n) ? n : Math.round(n));
  const ctx: ReportContext = {
    results,
    suppress,
    threshold,
    synthetic: results.synthetic === true,
    shown: (n) => (suppress ? suppressCount(round(n), threshold) : round(n)),
    count: (n) => formatCount(round(n), threshold, suppress),
    hidden: (n) => suppress && round(n) > 0 && round(n) < threshold,
    countPercent: (n, total, digits = 1) => {
      const c = formatCount(round(n), threshold, suppress);
      if (ctx.hidden(n)) return c;
      const p = suppress ? suppressPercent(round(n), round(total), threshold) : total > 0 ? (100 * n) / total : null;
      return p === null ? c : `${c} (${p.toFixed(digits)}%)`;
    },
    groupLabel: (key) => GROUP_LABELS[key] ?? key,
    termLabel: (term) => {
      if (labels[term] !== undefined) return labels[term];
      for (const name of names) {
        if (term.startsWith(name)) {
          const level = term.slice(name.length).replace(/^_/, '');
          if (level !== '') return `${labels[name]}: ${level}`;
        }
      }
      return term;
    },
  };
  return ctx;
}

/** 'group=immunotherapy_alone' -> 'Immunotherapy alone'; 'surgery_by_landmark=Surgery' -> 'Surgery'. */
export function curveLabel(name: string): string {
  const level = name.includes('=') ? name.slice(name.indexOf('=') + 1) : name;
  return GROUP_LABELS[level] ?? level;
}
