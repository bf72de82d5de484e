/**
 * The outcomes report download (issue 12 §3), for the roles of 'report.outcomes' (statistician and
 * data manager): GET /report explains it and offers the form; POST /report (the session's CSRF token,
 * as every post) builds the report for the logged-in user — the analysis export (audited as
 * 'export.create') and the operational counts, one 'report.outcomes' audit row — and returns the
 * self-contained report.html as an attachment. The web download always suppresses small cells, with a
 * threshold of at least 10; `oncosurv registry report` also writes results.json, reproduce.R and the
 * export folder beside it.
 */
import type { FastifyInstance } from 'fastify';
import { todayUtc } from '../../definition/dates.js';
import { outcomesReportHtml } from '../../services/outcomes-report.js';
import { requireRole } from '../../services/permissions.js';
import { BadRequestError } from '../../services/types.js';
import { webContext, sendPage } from '../context.js';
import { html } from '../html.js';
import { csrfField, page } from '../layout.js';
import type { FormBody } from '../form-entry.js';

/** The smallest threshold the web download accepts (the CLI allows any, stated in the report). */
export const WEB_MIN_SUPPRESS_BELOW = 10;

function threshold(body: FormBody): number {
  const raw = body.suppress_below;
  const text = (Array.isArray(raw) ? raw[0] : raw) ?? String(WEB_MIN_SUPPRESS_BELOW);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < WEB_MIN_SUPPRESS_BELOW || n > 1000) throw new BadRequestError(`the suppression threshold must be a whole number from ${WEB_MIN_SUPPRESS_BELOW} to 1000`);
  return n;
}

export async function registerReportPages(web: FastifyInstance): Promise<void> {
  web.get('/report', async (request, reply) => {
    const { ctx, actor } = await webContext(request);
    requireRole(actor, 'report.outcomes');
    return sendPage(reply, page(ctx, {
      title: 'Outcomes report', section: 'report',
      body: html`<div class="page-head"><h1>Outcomes report</h1></div>
<section class="panel" aria-labelledby="report-h"><h2 id="report-h">Download the statistician's report</h2>
<p>The report is built from the de-identified analysis export of every site, as <span class="mono">oncosurv registry report</span> builds it: enrolment by site and month, patient flow, washout, Kaplan–Meier curves with numbers at risk (overall survival from the first ICI dose, after surgery, recurrence-free), cumulative incidence of rejection by washout group with Gray's test, Fine–Gray and cause-specific hazard ratios per week of washout, complete pathological response, irAE grades, data completeness and overdue visits by site.</p>
<p>It is one self-contained HTML file: it loads nothing from the network and can be archived or e-mailed. Counts below the threshold are shown as &lt;threshold. Every report, and the export it is built from, is recorded in the audit trail.</p>
<form method="post" action="/report" class="inline-form">${csrfField(ctx)}
<label>Suppress counts below<input type="number" name="suppress_below" value="${WEB_MIN_SUPPRESS_BELOW}" min="${WEB_MIN_SUPPRESS_BELOW}" max="1000" step="1" required></label>
<button type="submit" class="btn btn-primary">Download the report</button></form>
</section>`,
    }));
  });

  web.post<{ Body: FormBody }>('/report', async (request, reply) => {
    const { actor } = await webContext(request);
    requireRole(actor, 'report.outcomes');
    const suppressBelow = threshold(request.body ?? {});
    const { html: report } = await outcomesReportHtml(request.tx, actor, { suppressBelow });
    return reply.code(200).type('text/html; charset=utf-8').header('content-disposition', `attachment; filename="registry-report-${todayUtc()}.html"`).header('cache-control', 'no-store').send(report);
  });
}
