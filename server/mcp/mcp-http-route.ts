/**
 * MCP over Streamable HTTP at `/mcp`, stateless: every POST gets its own server and transport, so nothing
 * is kept between requests and any replica can answer (GET and DELETE, which only sessions use, are 405).
 */
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type Request, type Response, Router } from 'express';
import type { ZhengceService } from '../service-types.ts';
import { createZhengceMcpServer } from './zhengce-mcp-server.ts';

export function mcpRoutes(options: {
  service: ZhengceService;
  maxQuestionLength: number;
  logError?: (err: unknown) => void;
}): Router {
  const router = Router();
  router.post('/', async (req: Request, res: Response) => {
    const server = createZhengceMcpServer(options.service, options.maxQuestionLength);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      options.logError?.(err);
      if (!res.headersSent)
        res
          .status(500)
          .json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
    }
  });
  const notAllowed = (_req: Request, res: Response) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless.' },
        id: null,
      });
  };
  router.get('/', notAllowed);
  router.delete('/', notAllowed);
  return router;
}
