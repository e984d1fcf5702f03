import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export interface StubRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the stub answers: a status and a body (an object is sent as JSON). */
export type StubReply = (request: StubRequest) => { status: number; body: unknown };

/** A local stand-in for the Application Insights ingestion API, on 127.0.0.1 and an ephemeral port. */
export interface IngestionStub {
  /** `http://127.0.0.1:<port>`, for `IngestionEndpoint=`. */
  readonly endpoint: string;
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

/** Accepts every item, the way the real API answers a fully accepted batch. */
export const acceptAll: StubReply = (request) => {
  const count = (JSON.parse(request.body) as unknown[]).length;
  return { status: 200, body: { itemsReceived: count, itemsAccepted: count, errors: [] } };
};

/** Starts the stub; `reply` decides each answer. */
export async function startIngestionStub(reply: StubReply = acceptAll): Promise<IngestionStub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const { status, body } = reply(request);
      res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
