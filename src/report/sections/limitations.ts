/**
 * Sections 11-12 of the study report: limitations of the data and design, and the NCDB
 * acknowledgement texts, quoted verbatim from the PUF 2021 QuickStart document (lines 27-34 of
 * shared/ncdb/puf-2021/PUF_2021_QuickStart_Data_Structure.txt), which every presentation and
 * publication of PUF data must carry.
 */

import { paragraph } from '../html.js';
import type { ReportContext } from '../report-context.js';

export const NCDB_ACKNOWLEDGEMENT = 'The data used in the study are derived from a de-identified NCDB file. The American College of Surgeons and the Commission on Cancer have not verified and are not responsible for the analytic or statistical methodology employed, or the conclusions drawn from these data by the investigator.';
export const NCDB_JOINT_PROJECT = 'The NCDB is a joint project of the Commission on Cancer of the American College of Surgeons and the American Cancer Society.';
export const NCDB_HOSPITAL_BASED = 'The NCDB is a hospital-based registry, not a population-based one: it captures patients diagnosed or treated at Commission on Cancer-accredited programs, and its results may not generalise to all patients in the United States.';

export function limitationsHtml(ctx: ReportContext): string {
  const surgical = (ctx.results.groups.resection ?? 0) + (ctx.results.groups.transplant ?? 0);
  const items = [
    'Hospital-based data: the NCDB covers patients at Commission on Cancer-accredited facilities (about 70% of new cancer diagnoses in the United States), not a population sample, and referral to high-volume centres shapes who appears in it.',
    'First course of treatment only: the PUF records treatment planned and given as the first course. Surgery after progression or a later line of therapy is not captured, so some patients classified as "immunotherapy alone" may have been operated later.',
    'Coding of immunotherapy: RX_SUMM_IMMUNOTHERAPY does not name the agent. From 2013, bevacizumab is coded as immunotherapy (biological response modifier), so the exposure mixes checkpoint inhibitors with anti-angiogenic antibodies, and the combination used cannot be known.',
    `Surgery timing: the day of surgery comes from ${ctx.results.protocol.exposure.surgery_day_items.join(' or ')}, counted from diagnosis; days are rounded and some are missing (those patients were excluded), and surgery recorded at or after last contact counts as unexposed.`,
    `Small numbers: ${ctx.count(surgical)} patients had surgery, so estimates by surgery type and at early landmarks are imprecise, some analyses may not be estimable, and counts below ${ctx.threshold} are suppressed.`,
    'Residual confounding: the registry lacks liver function (Child–Pugh), performance status, tumour response to immunotherapy and the reason for surgery, all of which drive both selection for conversion surgery and survival.',
  ];
  return `<ul class="limitations">${items.map((t) => `<li>${paragraph(t).replace(/^<p>|<\/p>$/g, '')}</li>`).join('')}</ul>`;
}

export function acknowledgementHtml(): string {
  return `<blockquote class="ncdb-ack">${paragraph(`“${NCDB_ACKNOWLEDGEMENT}”`)}${paragraph(`“${NCDB_JOINT_PROJECT}”`)}</blockquote>${paragraph(NCDB_HOSPITAL_BASED)}`;
}
