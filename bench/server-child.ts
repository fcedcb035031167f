// The server half of `npm run bench -- server`, run in a process of its own (see bench/server.ts):
//   node --import tsx bench/server-child.ts mlops <backend-store-uri> <artifacts-dir>
//   node --import tsx bench/server-child.ts bare
// Prints `Listening on <url>` once it accepts connections; closes and exits on SIGTERM/SIGINT or
// when stdin ends (the parent died), so that `--cpu-prof` gets to write its profile.
import Fastify from 'fastify';
import { serveUntilStopped } from './child.js';
import { startServer } from '../src/server/index.js';

const [mode, backendStoreUri, artifactsDestination] = process.argv.slice(2);

let close: () => Promise<void>;
let url: string;
if (mode === 'mlops' && backendStoreUri && artifactsDestination) {
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    backendStoreUri,
    artifactsDestination,
    cwd: artifactsDestination,
  });
  url = server.url;
  close = () => server.close();
} else if (mode === 'bare') {
  // The floor: Fastify's default JSON parser and one route answering {} at the same path.
  const app = Fastify({ logger: false });
  app.post('/api/2.0/mlflow/runs/log-batch', async () => ({}));
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
} else {
  process.stderr.write('usage: server-child.ts mlops <backend-store-uri> <artifacts-dir> | bare\n');
  process.exit(2);
}

serveUntilStopped(url, close);
