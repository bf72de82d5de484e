/**
 * The one place where errors become HTTP answers.
 *
 * Inputs:  anything thrown by a route, a hook, a service or Fastify itself (schema validation,
 *          body parsing, body size, rate limit).
 * Outputs: { status, body } — the body is always JSON with `error` (a short machine word) and
 *          `message`; validation problems add `errors: [{field, message}]`, conflicts add the
 *          current `values` and `version`.
 * Method:  services throw typed errors (services/types.ts); they are recognised by their `name`
 *          so the mapping does not depend on which module defines the class:
 *            NotFoundError   -> 404 (a record the actor may not see is also NotFound: never 403)
 *            ForbiddenError  -> 403 (the actor sees the thing but may not do this to it)
 *            ConflictError   -> 409 with the current values, version and status (nothing lost)
 *            StateError      -> 409 (locked form, closed query ...)
 *            BadRequestError -> 400
 *            ValidationError -> 422 {errors: [{field, message}], warnings?: [...]}
 *            AuthenticationError -> 401 (no, expired or revoked session or token)
 *            CsrfError       -> 403 csrf
 *          Fastify's own errors: schema validation -> 422 naming the field (instancePath or the
 *          missing property), malformed JSON -> 400 field "body", body too large -> 413,
 *          unsupported media type -> 415, rate limit -> 429. Anything else is a 500 whose message
 *          says nothing about the cause (it may hold values); the cause goes to the log, through
 *          the redacting error serializer (logging.ts).
 */

export interface FieldError { field: string; message: string }

export interface HttpErrorBody {
  error: string;
  message: string;
  errors?: FieldError[];
  /** Warnings the user must confirm (resend with confirm_warnings: true). */
  warnings?: FieldError[];
  values?: unknown;
  version?: unknown;
  status?: unknown;
}

export interface MappedError { status: number; body: HttpErrorBody; /** true for 5xx: log the cause. */ internal: boolean }

interface FastifyValidationItem {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

type AnyError = Error & {
  code?: string;
  statusCode?: number;
  validation?: FastifyValidationItem[];
  validationContext?: string;
  errors?: unknown;
  warnings?: unknown;
  currentValues?: unknown;
  currentVersion?: unknown;
  currentStatus?: unknown;
  context?: { field?: string };
};

/** "/values/afp_ng_ml" (+ context "body") -> "values.afp_ng_ml"; a missing property is named itself. */
export function fieldOfValidationItem(item: FastifyValidationItem, context: string | undefined): string {
  const path = (item.instancePath ?? '').split('/').filter((s) => s !== '').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = item.params ?? {};
  if (item.keyword === 'required' && typeof params.missingProperty === 'string') path.push(params.missingProperty);
  if (item.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') path.push(params.additionalProperty);
  if (path.length === 0) return context ?? 'body';
  // Query-string and path parameters are named as such; body fields by their path alone.
  return context === 'querystring' || context === 'params' ? `${context}.${path.join('.')}` : path.join('.');
}

function validationMessage(item: FastifyValidationItem): string {
  if (item.keyword === 'additionalProperties') return 'is not a known field';
  if (item.keyword === 'required') return 'is required';
  return item.message ?? 'is not valid';
}

function fieldErrorsOf(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter((e): e is FieldError => typeof e === 'object' && e !== null && typeof (e as FieldError).field === 'string')
    .map((e) => ({ field: e.field, message: String(e.message) }));
}

export function mapError(raw: unknown): MappedError {
  const err: AnyError = raw instanceof Error ? (raw as AnyError) : Object.assign(new Error(String(raw)), {});
  const reply = (status: number, body: HttpErrorBody, internal = false): MappedError => ({ status, body, internal });

  if (Array.isArray(err.validation)) {
    const errors = err.validation.map((item) => ({ field: fieldOfValidationItem(item, err.validationContext), message: validationMessage(item) }));
    return reply(422, { error: 'validation', message: 'the request does not match its schema', errors });
  }
  switch (err.name) {
    case 'NotFoundError':
      return reply(404, { error: 'not_found', message: err.message || 'not found' });
    case 'ForbiddenError':
      return reply(403, { error: 'forbidden', message: err.message || 'forbidden' });
    case 'ConflictError':
      return reply(409, {
        error: 'conflict', message: err.message || 'someone else saved first',
        values: err.currentValues ?? null, version: err.currentVersion ?? null, status: err.currentStatus ?? null,
      });
    case 'StateError':
      return reply(409, { error: 'state', message: err.message || 'not allowed in the current state' });
    case 'BadRequestError':
      return reply(400, { error: 'bad_request', message: err.message || 'bad request', errors: [{ field: err.context?.field ?? 'body', message: err.message }] });
    case 'ValidationError':
    case 'SignatureRefusedError': {
      const errors = fieldErrorsOf(err.errors);
      const warnings = fieldErrorsOf(err.warnings);
      const field = err.context?.field;
      return reply(422, {
        error: 'validation', message: err.message || 'invalid input',
        errors: errors.length > 0 || warnings.length > 0 ? errors : [{ field: field ?? 'body', message: err.message }],
        ...(warnings.length > 0 ? { warnings } : {}),
      });
    }
    case 'AuthenticationError':
      return reply(401, { error: 'unauthenticated', message: err.message || 'log in first' });
    case 'CsrfError':
      return reply(403, { error: 'csrf', message: err.message || 'missing or wrong CSRF token' });
    default:
      break;
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply(400, { error: 'bad_json', message: 'the body is not valid JSON', errors: [{ field: 'body', message: 'is not valid JSON' }] });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply(413, { error: 'too_large', message: 'the body is larger than this server accepts', errors: [{ field: 'body', message: 'is too large' }] });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply(415, { error: 'unsupported_media_type', message: 'send application/json', errors: [{ field: 'content-type', message: 'must be application/json' }] });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply(400, { error: 'bad_request', message: 'the content length does not match the body', errors: [{ field: 'content-length', message: 'does not match the body' }] });
    default:
      break;
  }
  // A JSON parse error in Fastify's parser carries statusCode 400 and a SyntaxError name.
  if (err.name === 'SyntaxError' && err.statusCode === 400) {
    return reply(400, { error: 'bad_json', message: 'the body is not valid JSON', errors: [{ field: 'body', message: 'is not valid JSON' }] });
  }
  if (err.statusCode === 429) return reply(429, { error: 'rate_limited', message: 'too many requests; wait and try again' });
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return reply(err.statusCode, { error: 'bad_request', message: err.message });
  }
  return reply(500, { error: 'internal', message: 'internal error; the server log has the details' }, true);
}
