/**
 * The OpenAPI 3.1 document at /api/openapi.json, and the helpers route modules use to declare
 * their path items from the very zod schemas they validate with (z.toJSONSchema), so the
 * document cannot drift from what the API accepts: types, limits, enums and defaults come from
 * one place. OpenAPI 3.1 schema objects are JSON Schema 2020-12, the target used here.
 */
import { z } from 'zod';

/** Builds the OpenAPI 3.1 document from the path items each route module declares. */
export function openApiDocument(paths: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sozialatlas API',
      version: '0.1.0',
      description:
        'Kleinräumiges Sozialmonitoring: Indikatoren, Sozialraumtypen und Hotspots. Lesen ist öffentlich (im internen Modus nach Anmeldung); Schreiben braucht eine Anmeldung (Sitzungs-Cookie mit X-CSRF-Token) oder Authorization: Bearer <token>.',
    },
    components: {
      responses: {
        BadRequest: {
          description: 'Ungültiger Parameter',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'sozialatlas_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
              required: ['code', 'message'],
            },
          },
        },
      },
    },
    paths,
  };
}

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of what a client sends for a zod schema (its input side: fields with a default
 * are optional and show the default; a transform shows the type it reads). Refinements (such as
 * "a valid calendar date") cannot be expressed and are left out; the API still checks them.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** A required JSON request body validated by `schema`. */
export function jsonRequestBody(schema: z.ZodType): JsonSchema {
  return { required: true, content: { 'application/json': { schema: jsonSchemaOf(schema) } } };
}

/**
 * OpenAPI parameters for the fields of a zod object validating req.query or req.params, in the
 * schema's field order. A field's description (.describe()) becomes the parameter's description.
 */
export function parametersOf(schema: z.ZodObject, location: 'query' | 'path'): JsonSchema[] {
  const object = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([name, field]) => {
    const { description, ...fieldSchema } = field;
    return {
      name,
      in: location,
      // path parameters are always required in OpenAPI
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: fieldSchema,
    };
  });
}
