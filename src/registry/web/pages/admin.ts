/**
 * Administrator pages (users, sites and roles: add a site, add a user with a role and sites,
 * disable or enable a user) and the export page: a POST (with the session's CSRF token, like every
 * post) runs the export for the logged-in user, audited like the CLI's, and returns it as one tar file.
 */
import type { FastifyInstance } from 'fastify';
import { createSite, createUser, disableUser, enableUser, listSites, listUsers } from '../../services/users.js';
import { exportArchive, exportRegistry } from '../../services/exports.js';
import { requireRole, roleMay } from '../../services/permissions.js';
import { isRole, ValidationError, type Role } from '../../services/types.js';
import { webContext, sendPage } from '../context.js';
import { html } from '../html.js';
import { csrfField, notice, page, ROLE_LABEL } from '../layout.js';
import { formatTimestamp } from '../format.js';
import type { FormBody } from '../form-entry.js';

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export async function registerAdminPages(web: FastifyInstance): Promise<void> {
  const renderAdmin = async (request: Parameters<typeof webContext>[0], message?: { kind: 'error' | 'success'; text: string }) => {
    const { ctx, actor } = await webContext(request);
    requireRole(actor, 'user.manage');
    const users = await listUsers(request.tx, actor);
    const sites = await listSites(request.tx, actor);
    return page(ctx, {
      title: 'Users and sites', section: 'admin',
      body: html`<div class="page-head"><h1>Users and sites</h1></div>
<div aria-live="polite">${message === undefined ? '' : notice(message.kind, message.text, { live: true })}</div>
<div class="grid-2">
<section class="panel" aria-labelledby="users-h"><h2 id="users-h">Users <span class="count">${users.length}</span></h2>
<table class="data"><thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Sites</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>
${users.map((u) => html`<tr><td class="mono">${u.username}</td><td>${u.displayName}</td><td>${ROLE_LABEL[u.role]}</td><td>${u.role === 'coordinator' || u.role === 'monitor' ? u.siteCodes.join(', ') : 'all'}</td><td>${u.disabled ? 'disabled' : 'active'}</td>
<td><form method="post" action="/admin/users/${u.username}/${u.disabled ? 'enable' : 'disable'}">${csrfField(ctx)}<button class="btn btn-small${u.disabled ? '' : ' btn-danger'}" type="submit">${u.disabled ? 'Enable' : 'Disable'}<span class="visually-hidden"> ${u.username}</span></button></form></td></tr>`)}
</tbody></table>
<h3>Add a user</h3>
<form method="post" action="/admin/users" class="inline-form">${csrfField(ctx)}
<label>Username<input type="text" name="username" required autocomplete="off"></label>
<label>Full name<input type="text" name="display_name" required autocomplete="off"></label>
<label>Role<select name="role">${(Object.keys(ROLE_LABEL) as Role[]).map((r) => html`<option value="${r}">${ROLE_LABEL[r]}</option>`)}</select></label>
<label>Sites<select name="sites" multiple size="3">${sites.map((s) => html`<option value="${s.code}">${s.code}</option>`)}</select></label>
<label>Initial password<input type="password" name="password" required autocomplete="new-password"></label>
<button type="submit" class="btn btn-primary">Add user</button></form>
</section>
<section class="panel" aria-labelledby="sites-h"><h2 id="sites-h">Sites <span class="count">${sites.length}</span></h2>
<table class="data"><thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Created</th></tr></thead><tbody>
${sites.map((s) => html`<tr><td class="mono">${s.code}</td><td>${s.name}</td><td class="mono">${formatTimestamp(s.createdAt).slice(0, 10)}</td></tr>`)}</tbody></table>
<h3>Add a site</h3>
<form method="post" action="/admin/sites" class="inline-form">${csrfField(ctx)}
<label>Code<input type="text" name="code" required pattern="[A-Z0-9]{2,10}" placeholder="LYON"></label>
<label>Name<input type="text" name="name" required></label>
<button type="submit" class="btn btn-primary">Add site</button></form>
</section></div>`,
    });
  };

  web.get('/admin', async (request, reply) => sendPage(reply, await renderAdmin(request)));

  const guarded = async (request: Parameters<typeof webContext>[0], reply: Parameters<typeof sendPage>[0], work: () => Promise<string>) => {
    try {
      const text = await work();
      return sendPage(reply, await renderAdmin(request, { kind: 'success', text }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      request.rollback = true;
      return sendPage(reply, await renderAdmin(request, { kind: 'error', text: err.errors.map((e) => e.message).join('; ') || err.message }), 422);
    }
  };

  web.post<{ Body: FormBody }>('/admin/users', async (request, reply) => {
    const { actor } = await webContext(request);
    const b = request.body ?? {};
    const role = str(b.role);
    return guarded(request, reply, async () => {
      if (!isRole(role)) throw new ValidationError('bad role', [{ field: 'role', message: 'choose a role' }]);
      const u = await createUser(request.tx, actor, { username: str(b.username), displayName: str(b.display_name), password: str(b.password), role, siteCodes: list(b.sites) });
      return `User ${u.username} added.`;
    });
  });

  for (const kind of ['disable', 'enable'] as const) {
    web.post<{ Params: { username: string }; Body: FormBody }>(`/admin/users/:username/${kind}`, async (request, reply) => {
      const { actor } = await webContext(request);
      return guarded(request, reply, async () => {
        await (kind === 'disable' ? disableUser : enableUser)(request.tx, actor, request.params.username);
        return `User ${request.params.username} ${kind}d.`;
      });
    });
  }

  web.post<{ Body: FormBody }>('/admin/sites', async (request, reply) => {
    const { actor } = await webContext(request);
    const b = request.body ?? {};
    return guarded(request, reply, async () => {
      const s = await createSite(request.tx, actor, { code: str(b.code), name: str(b.name) });
      return `Site ${s.code} added.`;
    });
  });

  const mayExport = (role: Role): boolean => roleMay(role, 'export.deidentified') || roleMay(role, 'export.identified');

  web.get('/export', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    if (!mayExport(actor.role)) requireRole(actor, 'export.deidentified');
    // the administrator's export is the identified one (ACTIONS: export.identified only)
    const identified = !roleMay(actor.role, 'export.deidentified');
    const sites = await listSites(request.tx, actor);
    return sendPage(reply, page(ctx, {
      title: 'Export', section: 'export',
      body: html`<div class="page-head"><h1>${identified ? 'Identified export' : 'De-identified export'}</h1></div>
<section class="panel" aria-labelledby="export-h"><h2 id="export-h">Download the analysis export</h2>
<p>${identified
    ? 'As administrator you may export only the identified data set: it adds the calendar dates to the day counts. Keep it as safe as the database.'
    : 'The analysis export carries study IDs and days from time zero (the first ICI dose), never names, record numbers or calendar dates.'} ${roleMay(actor.role, 'record.read') ? '' : 'You see no individual records in this interface; the export is how you receive the data.'}</p>
<p>Sites in your export: ${sites.map((s) => s.code).join(', ') || 'none'}. Forms: ${definition.forms.map((f) => f.label).join(', ')}.</p>
<p>The download is one uncompressed tar file (open it with <span class="mono">tar -xf</span> or any archive tool): patients.csv, one CSV per form in forms/, data-dictionary.csv (REDCap layout), data-dictionary.md and export.json with the SHA-256 of every file. Every export is recorded in the audit trail.</p>
<form method="post" action="/export" class="inline-form">${csrfField(ctx)}${identified ? html`<input type="hidden" name="identified" value="1">` : ''}
<label><input type="checkbox" name="include_text" value="1"> Include free text (may carry identifiers typed by mistake)</label>
<label>Format<select name="format"><option value="csv">CSV files</option><option value="odm">CSV files and CDISC ODM 1.3.2 XML</option></select></label>
<button type="submit" class="btn btn-primary">Download the export</button></form>
</section>`,
    }));
  });

  web.post<{ Body: FormBody }>('/export', async (request, reply) => {
    const { actor } = await webContext(request);
    const b = request.body ?? {};
    const format = str(b.format) === 'odm' ? 'odm' : 'csv';
    const exported = await exportRegistry(request.tx, actor, { identified: str(b.identified) === '1', includeText: str(b.include_text) === '1', format });
    const { filename, bytes } = exportArchive(exported);
    return reply.code(200).type('application/x-tar').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(Buffer.from(bytes));
  });
}
