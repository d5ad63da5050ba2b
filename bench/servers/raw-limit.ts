/**
 * The physical limit of an answer: a raw `node:http` server that does the least any server must
 * to give the emulator's exact answer. It reads the request, parses its JSON body (as the
 * emulator must), and writes the answer the emulator gave to that request when the bench
 * captured it: the same status, the same headers (AIC's dozen), the same body, with a fresh
 * transaction id, as the emulator makes one per request. No routing library, no AM logic.
 *
 * Started by the bench, pinned to one core, with the captured answers in a JSON file (argv[2]):
 * `[{method, url, status, headers, body}]`. Prints its URL.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

interface Captured {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

const answers = new Map<string, Captured>();
for (const captured of JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Captured[])
  answers.set(`${captured.method} ${captured.url}`, captured);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    // What every JSON endpoint must do with its body, whatever it answers.
    if (text.length > 0 && String(request.headers['content-type']).startsWith('application/json')) JSON.parse(text);
    const captured = answers.get(`${request.method} ${request.url}`);
    if (!captured) {
      response.writeHead(404).end();
      return;
    }
    const headers = { ...captured.headers, 'x-forgerock-transactionid': `${randomUUID()}-0` };
    response.writeHead(captured.status, headers).end(captured.body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening at http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
