import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real GOOG prices of the shared folder, when this checkout has it beside it (../shared) or
 * at the workplace's fixed path; undefined otherwise (a clean clone elsewhere), and the tests that
 * need it skip with a message naming both places.
 */
export const GOOG_CSV: string | undefined = [
  join(import.meta.dirname, '../../../shared/data/goog-2018-2023.csv'),
  '/work/shared/data/goog-2018-2023.csv',
].find((path) => existsSync(path));

export const GOOG_MISSING =
  'GOOG prices not found (../shared/data/goog-2018-2023.csv or /work/shared/data/goog-2018-2023.csv)';
