/**
 * The registry's service layer: every business rule, as plain async functions
 * `(tx: SqlExecutor, actor: Actor, input) => typed result`. Each is written to run inside ONE transaction
 * the caller opens (the HTTP layer: one per request) and writes its audit rows in that transaction, so a
 * thrown error rolls back the change and its audit together. Errors are typed (types.ts): NotFoundError
 * 404 (also for records at sites the actor cannot see), ForbiddenError 403, ValidationError 422 with
 * {field, message}[] (unconfirmed warnings too: see saveForm), ConflictError 409 with the current values
 * and version, StateError 409, BadRequestError 400, AuthenticationError 401.
 *
 * Records:     enrolRecord, listRecords, getRecord, loadRecordFor
 * Forms:       saveForm, verifyForm
 * Locks:       lockForm, lockRecord, unlockForm, unlockRecord (e-signature: password re-entry + meaning)
 * Queries:     raiseQuery, answerQuery, closeQuery, reopenQuery, getQuery, listQueries
 * Audit:       appendAudit (for other services: logins, exports), verifyAuditChain, recordAudit, searchAudit
 * Users/sites: createSite, listSites, createUser, disableUser, enableUser, setUserPassword, listUsers,
 *              actorForUser (session -> Actor), CLI_ACTOR; hashPassword / verifyPassword (argon2id)
 * Definition:  activeDefinition, installDefinition (refuses changes that orphan stored data)
 * Exports:     exportRegistry (the analysis export as the actor, audited), exportArchive (one tar)
 * Report:      registryOperations (counts only: enrolment by month, screening, completeness, visits,
 *              queries by site), outcomesReportInputs / outcomesReportHtml (export + counts, audited)
 * Setup:       initRegistry
 * Permissions: ACTIONS (the role table), roleMay, requireRole, seesRecord
 */
export * from './types.js';
export { enrolRecord, listRecords, getRecord, loadRecordFor, loadRecordForms, readsRecords, type RecordRow, type RecordView, type RecordSummary, type FormInstanceView, type FormStatus, type Signature } from './records.js';
export { saveForm, verifyForm, type SaveFormInput, type SavedForm } from './forms.js';
export { lockForm, lockRecord, unlockForm, unlockRecord, type LockResult } from './locks.js';
export { raiseQuery, answerQuery, closeQuery, reopenQuery, getQuery, listQueries, type Query, type QueryMessage, type QueryStatus } from './queries.js';
export { appendAudit, authorOf, verifyAuditChain, GENESIS_HASH, type AuditEntry, type AuditAuthor, type ChainVerification } from './audit.js';
export { recordAudit, searchAudit, type AuditView, type AuditFilter } from './audit-trail.js';
export { createSite, listSites, createUser, disableUser, enableUser, setUserPassword, listUsers, actorForUser, CLI_ACTOR, type Site, type User, type NewUser } from './users.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
export { activeDefinition, installDefinition, type ActiveDefinition } from './definitions.js';
export { initRegistry, type InitOptions, type InitResult } from './registry.js';
export { exportRegistry, exportArchive, type RegistryExport, type ExportManifest, type ExportOptions, type ExportFormat } from './exports.js';
export { registryOperations, type RegistryOperations } from './operations.js';
export { outcomesReportInputs, outcomesReportHtml, type OutcomesReportOptions } from './outcomes-report.js';
export { ACTIONS, roleMay, requireRole, seesRecord, seesSite, type Action } from './permissions.js';
