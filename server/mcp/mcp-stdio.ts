/**
 * `npm run mcp`: Zhengce's MCP tools over stdio, for clients that start the server themselves (e.g. in
 * Claude Desktop's config: `{ "command": "npm", "args": ["run", "--silent", "mcp"], "cwd": "<repo>" }`).
 * Opens (or builds) the index as `npm start` does. stdout carries the protocol only: every message of
 * ours goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadDotEnv } from '../../ingest/config.ts';
import { loadServerConfig } from '../config.ts';
import { createService } from '../service.ts';
import { createZhengceMcpServer } from './zhengce-mcp-server.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadServerConfig();
  const service = await createService({ log: (m) => console.error(m) });
  const server = createZhengceMcpServer(service, config.maxQuestionLength);
  await server.connect(new StdioServerTransport());
  console.error(`Zhengce MCP server on stdio: ${service.index.manifest.counts.documents} documents.`);
}

main().catch((err: unknown) => {
  console.error(`Zhengce MCP server could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
