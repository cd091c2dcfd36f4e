import type { FastifyInstance } from 'fastify';
import type { AnswerService, KbService } from '../../core/kb-service.js';
import type { Logger } from '../../core/logger.js';
import type { VisibleKbs } from '../runtime/agent-principal.js';
import type { ServerAgent } from './agent-route.js';
import { principalOf } from './auth.js';

/**
 * MCP over streamable HTTP at /mcp, stateless: every POST gets a fresh server and transport, so
 * nothing is kept between requests and any replica can answer. GET/DELETE (server-initiated
 * streams, sessions) are not offered.
 */
export async function mcpRoutes(
  app: FastifyInstance,
  deps: { kb: KbService; answers: AnswerService; agent?: ServerAgent; visibleKbs: VisibleKbs; logger: Logger },
): Promise<void> {
  const { visibleKbs } = deps;
  app.post(
    '/mcp',
    { schema: { tags: ['mcp'], summary: 'Model Context Protocol (streamable HTTP): list_knowledge_bases, search, ask' } },
    async (req, reply) => {
      // The MCP SDK loads with the first MCP request: a server nobody calls over MCP never holds it.
      const [{ createMcpServer }, { StreamableHTTPServerTransport }] = await Promise.all([
        import('../mcp/server.js'),
        import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      ]);
      const server = createMcpServer({ kb: deps.kb, answers: deps.answers, agent: deps.agent, visibleKbs }, principalOf(req));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(req.raw, reply.raw, req.body);
      } catch (err) {
        deps.logger.warn({ err }, 'MCP request failed');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
        }
      }
    },
  );
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      schema: { hide: true },
      handler: async (_req, reply) =>
        reply
          .status(405)
          .header('allow', 'POST')
          .send({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Method not allowed: this MCP server is stateless (POST only).' },
            id: null,
          }),
    });
  }
}
