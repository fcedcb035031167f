// The server half of `npm run bench -- serve`, in a process of its own (see bench/serve.ts):
//   node --import tsx bench/serve-child.ts mlops <model-uri> <tracking-uri> <workspace> <poll-ms> [no-log]
//   node --import tsx bench/serve-child.ts bare
// Prints `Listening on <url>` once the model is loaded and warm; closes on SIGTERM or when stdin
// ends (the parent died).
import Fastify from 'fastify';
import { serveUntilStopped } from './child.js';
import { serveModel } from '../src/app/index.js';

const [mode, uri, trackingUri, workspace, pollMs, logMode] = process.argv.slice(2);

let close: () => Promise<void>;
let url: string;
if (mode === 'mlops' && uri && trackingUri && workspace) {
  const server = await serveModel({
    uri,
    trackingUri,
    cwd: workspace,
    port: 0,
    pollIntervalMs: Number(pollMs ?? 5000),
    inferenceLog: logMode !== 'no-log',
    log: (line) => process.stderr.write(`${line}\n`),
  });
  url = server.url;
  close = () => server.close();
} else if (mode === 'bare') {
  // The floor: Fastify's default JSON parser and one route answering a constant prediction.
  const app = Fastify({ logger: false });
  app.post('/predict', async () => ({
    predictions: [{ prediction_id: 'x', value: 1 }],
    model: { name: 'bare', version: '1' },
    horizon: 1,
  }));
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
} else {
  process.stderr.write(
    'usage: serve-child.ts mlops <model-uri> <tracking-uri> <workspace> <poll-ms> [no-log] | bare\n',
  );
  process.exit(2);
}

serveUntilStopped(url, close);
