/**
 * The OpenAPI 3.1 document of the registry API, generated from the same route schemas Fastify
 * validates requests and serializes replies with, so the description cannot drift from the code.
 *
 * Inputs:  the routes as Fastify registers them (collected by an onRoute hook): method, URL
 *          pattern, schema {summary, description, tags, params, querystring, body, response},
 *          and whether the route needs a session (config.access).
 * Outputs: an OpenAPI 3.1.0 object (JSON Schema 2020-12 compatible, so route schemas are used
 *          as they are). Path patterns `/records/:id` become `/records/{id}`.
 * Method:  one operation per (method, path); params and querystring object schemas become one
 *          parameter each; body becomes requestBody application/json; each response status
 *          its JSON content. Routes marked `hide` (HEAD shadows) are left out.
 * Reference: OpenAPI Specification 3.1.0, https://spec.openapis.org/oas/v3.1.0
 */

export interface RouteSchemaForDoc {
  summary?: string;
  description?: string;
  tags?: string[];
  params?: JsonObjectSchema;
  querystring?: JsonObjectSchema;
  body?: unknown;
  response?: Record<string, unknown>;
}

interface JsonObjectSchema { type?: string; properties?: Record<string, unknown>; required?: string[] }

export interface DocumentedRoute {
  method: string;
  url: string;
  schema: RouteSchemaForDoc | undefined;
  authenticated: boolean;
  stateChanging: boolean;
}

const toOpenApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parametersOf(where: 'path' | 'query', schema: JsonObjectSchema | undefined): unknown[] {
  if (schema === undefined || schema.properties === undefined) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, s]) => ({
    name, in: where, required: where === 'path' ? true : required.has(name), schema: s,
  }));
}

export function buildOpenApiDocument(routes: readonly DocumentedRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...routes].sort((a, b) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url)));
  for (const route of sorted) {
    const s = route.schema ?? {};
    const operation: Record<string, unknown> = {};
    if (s.summary !== undefined) operation.summary = s.summary;
    if (s.description !== undefined) operation.description = s.description;
    if (s.tags !== undefined) operation.tags = s.tags;
    const parameters = [...parametersOf('path', s.params), ...parametersOf('query', s.querystring)];
    if (route.stateChanging && route.authenticated) {
      parameters.push({ name: 'x-csrf-token', in: 'header', required: false, description: 'the session\'s CSRF token (from POST /session); required with a session cookie, not with a bearer token', schema: { type: 'string' } });
    }
    if (parameters.length > 0) operation.parameters = parameters;
    if (s.body !== undefined) operation.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(s.response ?? {})) {
      const described = schema as { description?: string };
      responses[status] = { description: described.description ?? `status ${status}`, content: { 'application/json': { schema } } };
    }
    if (Object.keys(responses).length === 0) responses.default = { description: 'JSON' };
    operation.responses = responses;
    operation.security = route.authenticated ? [{ session: [] }, { bearer: [] }] : [];
    const path = toOpenApiPath(route.url);
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'oncosurv_session', description: 'set by POST /api/v1/session; state-changing requests also need the x-csrf-token header' },
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token (POST /api/v1/tokens), for scripts' },
      },
    },
  };
}

declare module 'fastify' {
  interface FastifySchema {
    /** OpenAPI operation summary. */
    summary?: string;
    description?: string;
    tags?: string[];
  }
}
