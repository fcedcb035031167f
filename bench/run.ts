// `npm run bench -- <name> [args]`: runs bench/<name>.ts, which prints JSON lines.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [name, ...rest] = process.argv.slice(2);
const file = join(dirname(fileURLToPath(import.meta.url)), `${name ?? ''}.ts`);
if (!name || !existsSync(file)) {
  console.error(
    `usage: npm run bench -- <name>   (benchmarks: tracking, lstm, data, pipeline, server, monitor)`,
  );
  process.exit(2);
}
process.argv = [process.argv[0] ?? 'node', file, ...rest];
await import(pathToFileURL(file).href);
