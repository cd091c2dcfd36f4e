import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../../core/errors.js';
import { TeamKbError } from '../../core/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  KB_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  PASSAGE_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  JOB_NOT_CANCELLABLE: 409,
  CONVERSATION_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  KB_EXISTS: 409,
  KB_NAME_INVALID: 400,
  INVALID_INPUT: 400,
  FILE_UNSUPPORTED: 415,
  FILE_TOO_LARGE: 413,
  EMBEDDER_MISMATCH: 409,
  PERMISSION_DENIED: 403,
  RATE_LIMITED: 429,
  LLM_UNAVAILABLE: 503,
  EMBEDDER_UNAVAILABLE: 503,
  // The search engine (an upstream server) failed or could not be reached.
  SEARCH_FAILED: 502,
  FETCH_FAILED: 502,
  CANCELLED: 499,
  STORE_UNAVAILABLE: 503,
};

/** Every error leaves the API as {error: {code, message}} with a fitting status. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const detail = err.validation.map((v) => `${v.instancePath || '/'} ${v.message}`).join('; ');
      return reply.status(400).send({ error: { code: 'INVALID_INPUT', message: `Invalid request: ${detail}` } });
    }
    if (err instanceof TeamKbError) {
      return reply.status(STATUS[err.code] ?? 500).send({ error: { code: err.code, message: err.message } });
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply.status(status).send({
      error: {
        code: status >= 500 ? 'INTERNAL' : status === 413 ? 'FILE_TOO_LARGE' : 'INVALID_INPUT',
        message: status >= 500 ? 'Internal error.' : (err as Error).message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}.` } }),
  );
}
