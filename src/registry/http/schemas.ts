/**
 * JSON schemas shared by the registry routes: they validate requests, shape replies (Fastify
 * serializes with them, so a reply can hold nothing its schema does not name), and become the
 * OpenAPI document.
 */

export const fieldErrorSchema = {
  type: 'object', required: ['field', 'message'], additionalProperties: false,
  properties: { field: { type: 'string' }, message: { type: 'string' } },
} as const;

/** Every error reply (error-mapper.ts). */
export const errorReplySchema = {
  type: 'object', required: ['error', 'message'],
  description: 'an error: 400 bad JSON, 401 not logged in, 403 forbidden or CSRF, 404 not found (also: not yours to see), 409 conflict (with the current values and version), 413 too large, 422 validation',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    errors: { type: 'array', items: fieldErrorSchema },
    warnings: { type: 'array', items: fieldErrorSchema },
    values: { type: ['object', 'null'], additionalProperties: true },
    version: { type: ['integer', 'null'] },
    status: { type: ['string', 'null'] },
  },
} as const;

/** The error statuses every authenticated route can answer. */
export const commonErrorReplies = {
  400: errorReplySchema, 401: errorReplySchema, 403: errorReplySchema, 404: errorReplySchema, 413: errorReplySchema, 422: errorReplySchema, 500: errorReplySchema,
} as const;

export const userSchema = {
  type: 'object', required: ['id', 'username', 'display_name', 'role', 'sites'], additionalProperties: false,
  properties: {
    id: { type: 'integer' }, username: { type: 'string' }, display_name: { type: 'string' },
    role: { enum: ['administrator', 'coordinator', 'monitor', 'data_manager', 'statistician'] },
    sites: { anyOf: [{ const: 'all' }, { type: 'array', items: { type: 'string' } }] },
  },
} as const;

/** A positive integer in a path or query parameter (strings: Ajv does not coerce). */
export const positiveIntegerText = { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } as const;
/** A form id or field name as the study definition spells them. */
export const identifierText = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' } as const;
/** A study ID, e.g. HOSP-0001. */
export const studyIdText = { type: 'string', pattern: '^[A-Z0-9]{2,10}-[0-9]{4,}$' } as const;
