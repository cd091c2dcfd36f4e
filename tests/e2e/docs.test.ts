import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

describe('API documentation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('publishes an OpenAPI document with the KB routes and the OpenAI-compatible routes', async () => {
    const res = await fetch(`${app.url}/openapi.json`);
    expect(res.status).toBe(200);
    const spec = (await res.json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, unknown>>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.info.title).toBe('TeamKB API');
    const routes = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/kb',
        'POST /api/kb',
        'DELETE /api/kb/{kb}',
        'GET /api/kb/{kb}/files',
        'POST /api/kb/{kb}/files',
        'DELETE /api/kb/{kb}/files/{file}',
        'GET /api/kb/{kb}/files/{file}/download',
        'GET /api/kb/{kb}/files/{file}/view',
        'GET /api/kb/{kb}/passages/{chunk}',
        'POST /api/kb/{kb}/search',
        'POST /api/kb/{kb}/reindex',
        'GET /api/jobs/{id}/events',
        'POST /api/chat',
        'GET /v1/models',
        'POST /v1/chat/completions',
        'GET /healthz',
      ]),
    );
    const search = spec.paths['/api/kb/{kb}/search']?.post as {
      requestBody?: { content?: Record<string, { schema?: { properties?: object } }> };
    };
    expect(Object.keys(search.requestBody?.content?.['application/json']?.schema?.properties ?? {})).toEqual(
      expect.arrayContaining(['query', 'top_k', 'mode', 'score_threshold']),
    );
    // Internal pages stay out of the document.
    expect(routes.some((r) => r.endsWith(' /app.js') || r.endsWith(' /openapi.json'))).toBe(false);
  });

  it('serves the interactive docs page', async () => {
    const res = await fetch(`${app.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/swagger/i);
  });
});
