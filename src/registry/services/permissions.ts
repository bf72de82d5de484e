/**
 * Who may do what, in one table, and site isolation.
 *
 * Roles (study design, "Who uses it"):
 *   coordinator   reads and writes the records of its own sites: enrols, enters data, answers queries;
 *   monitor       reads its assigned sites, raises and closes queries, marks source data verified; changes no data;
 *   data_manager  reads every site, raises/closes queries, locks (e-signs) and unlocks;
 *   statistician  de-identified export and the outcomes report only: sees no record through the record services;
 *   administrator manages sites, users and the study definition; sees no clinical data.
 * Site isolation is absolute: a record at a site the actor cannot see is NotFound (never Forbidden),
 * so its existence is not revealed. Forbidden means the actor sees the thing but its role may not act.
 */
import { ForbiddenError, NotFoundError, type Actor, type Role } from './types.js';

export const ACTIONS = {
  'record.read': ['coordinator', 'monitor', 'data_manager'],
  'record.enrol': ['coordinator'],
  'form.save': ['coordinator'],
  'form.verify': ['monitor'],
  'form.lock': ['data_manager'],
  'form.unlock': ['data_manager'],
  'query.raise': ['monitor', 'data_manager'],
  'query.answer': ['coordinator'],
  'query.close': ['monitor', 'data_manager'],
  'query.reopen': ['monitor', 'data_manager'],
  'audit.read': ['coordinator', 'monitor', 'data_manager'],
  'audit.search': ['data_manager', 'administrator'],
  'export.deidentified': ['statistician', 'data_manager', 'coordinator'],
  'export.identified': ['administrator'],
  // The statistician's outcomes report (oncosurv registry report): study-wide de-identified analyses and
  // operational counts across every site. Coordinators and monitors see one site's records (a one-site
  // report is not the study's report); the administrator sees no clinical data.
  'report.outcomes': ['statistician', 'data_manager'],
  'site.manage': ['administrator'],
  'user.manage': ['administrator'],
  'definition.manage': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

export function roleMay(role: Role, action: Action): boolean {
  return (ACTIONS[action] as readonly Role[]).includes(role);
}

/** Throws ForbiddenError unless the actor's role may perform the action. */
export function requireRole(actor: Actor, action: Action): void {
  if (!roleMay(actor.role, action)) throw new ForbiddenError(`the ${actor.role.replace('_', ' ')} role may not ${action.replace('.', ': ')}`);
}

/** Does the actor see records of this site (for roles that see records at all)? */
export function seesSite(actor: Actor, siteId: number): boolean {
  return actor.siteIds === 'all' || actor.siteIds.includes(siteId);
}

/** Sees the record at all: its role reads records and the site is the actor's. */
export function seesRecord(actor: Actor, siteId: number): boolean {
  return roleMay(actor.role, 'record.read') && seesSite(actor, siteId);
}

/** NotFound unless the actor may see the record; then Forbidden unless the role may perform the action. */
export function requireRecordAccess(actor: Actor, siteId: number, action: Action, what = 'record'): void {
  if (!seesRecord(actor, siteId)) throw new NotFoundError(`${what} not found`);
  requireRole(actor, action);
}

/** Roles whose users are tied to sites (coordinators read/write them; monitors are assigned to them). */
export function roleHasSites(role: Role): boolean {
  return role === 'coordinator' || role === 'monitor';
}
