import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible chat endpoint on 127.0.0.1 that streams like the real API and records what it was
 * asked. `reply` decides the answer from the prompt, so a test can play an honest model or one that invents,
 * an endpoint that refuses (any status and body, e.g. a 401 echoing the key) or one that is too slow.
 */
export type FakeReply =
  | string
  | {
      text: string;
      /** How the text is cut into stream deltas; default pieces of 6 characters. */
      pieces?: string[];
      /** Wait this long before answering (to test timeouts). */
      delayMs?: number;
    }
  | { status: number; body: string; contentType?: string };

export interface FakeOpenAiRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream: boolean;
  /** The Authorization header as received. */
  authorization: string | undefined;
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: FakeOpenAiRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(
  reply: (prompt: string, request: FakeOpenAiRequest) => FakeReply,
): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const parsed = {
        ...(JSON.parse(body) as Omit<FakeOpenAiRequest, 'authorization'>),
        authorization: req.headers.authorization,
      };
      requests.push(parsed);
      const prompt = parsed.messages.map((m) => m.content).join('\n');
      const planned = reply(prompt, parsed);
      if (typeof planned === 'object' && 'status' in planned) {
        res.writeHead(planned.status, { 'content-type': planned.contentType ?? 'application/json' });
        res.end(planned.body);
        return;
      }
      const { text, pieces, delayMs } = typeof planned === 'string' ? { text: planned } : planned;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      if (!parsed.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'c1',
            object: 'chat.completion',
            created: 0,
            model: parsed.model,
            choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          }),
        );
        return;
      }
      const chunk = (delta: Record<string, string>, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: parsed.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: '' }, null));
      for (const piece of pieces ?? text.match(/.{1,6}/gsu) ?? []) res.write(chunk({ content: piece }, null));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
