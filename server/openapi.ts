/** Builds the OpenAPI 3.1 document from the path items each route module declares. */
export function openApiDocument(paths: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sozialatlas API',
      version: '0.1.0',
      description:
        'Kleinräumiges Sozialmonitoring: Indikatoren, Sozialraumtypen und Hotspots. Lesen ist öffentlich; Schreiben braucht Authorization: Bearer <token>.',
    },
    components: {
      responses: {
        BadRequest: { description: 'Ungültiger Parameter', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
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
