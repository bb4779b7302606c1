import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible chat endpoint on 127.0.0.1 that streams like the real API and records what it was
 * asked. `reply` decides the answer from the prompt, so a test can play an honest model or one that invents.
 */
export interface FakeOpenAi {
  baseUrl: string;
  requests: { model: string; messages: { role: string; content: string }[]; stream: boolean }[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(reply: (prompt: string) => string): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as FakeOpenAi['requests'][number];
      requests.push(parsed);
      const prompt = parsed.messages.map((m) => m.content).join('\n');
      const text = reply(prompt);
      const chunk = (delta: Record<string, string>, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: parsed.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: '' }, null));
      for (const piece of text.match(/.{1,6}/gsu) ?? []) res.write(chunk({ content: piece }, null));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
