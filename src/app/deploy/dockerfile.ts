import { invalidParam } from '../../core/index.js';
import { checkEnv, checkImage, checkModelUri, checkPort } from './deploy-checks.js';
import {
  APP_DIR,
  DEFAULT_PORT,
  HEALTH_PATH,
  NODE_UID,
  READY_PATH,
  serveCommand,
} from './serve-command.js';

export interface DockerfileOptions {
  /** `models:/name@alias` or `models:/name/<version>`. */
  readonly modelUri: string;
  /** Port the server listens on inside the container (default 8080). */
  readonly port?: number;
  /** Baked in as MLOPS_TRACKING_URI (no password: credentials come at run time). */
  readonly trackingUri?: string;
  /** Baked in as MLOPS_ARTIFACT_URI. */
  readonly artifactUri?: string;
  /** More environment baked into the image. */
  readonly env?: Readonly<Record<string, string>>;
  /** Named in the header comment: the image must be built from this mlops version. */
  readonly mlopsVersion?: string | undefined;
  /** Base image of both stages (default node:20-slim, the Node line mlops supports). */
  readonly baseImage?: string;
}

/** The environment a deployment sets: the two store URIs first, then the rest in given order. */
export function deployEnv(options: {
  readonly modelUri: string;
  readonly trackingUri?: string;
  readonly artifactUri?: string;
  readonly env?: Readonly<Record<string, string>>;
}): Record<string, string> {
  if (options.env?.['MLOPS_MODEL_URI'] !== undefined) {
    throw invalidParam(
      `--env MLOPS_MODEL_URI: the model is the <model-uri> argument (${options.modelUri}); drop the --env.`,
      { env: 'MLOPS_MODEL_URI' },
    );
  }
  return checkEnv({
    MLOPS_MODEL_URI: options.modelUri,
    ...(options.trackingUri === undefined ? {} : { MLOPS_TRACKING_URI: options.trackingUri }),
    ...(options.artifactUri === undefined ? {} : { MLOPS_ARTIFACT_URI: options.artifactUri }),
    ...options.env,
  });
}

/**
 * A Dockerfile for a prediction server of `modelUri`. Its build context is an mlops package root
 * (package.json, package-lock.json when there is one, bin/ and a built dist/): a source checkout
 * after `npm run build`, or an installed `mlops` package. The image holds no model: `mlops serve`
 * loads it at start from the store named by MLOPS_TRACKING_URI, so one image serves any version
 * and a new champion needs no rebuild.
 */
export function dockerfile(options: DockerfileOptions): string {
  const modelUri = checkModelUri(options.modelUri);
  const port = checkPort('--port', options.port ?? DEFAULT_PORT);
  const env = deployEnv({ ...options, modelUri });
  const base = checkImage('baseImage', options.baseImage ?? 'node:20-slim');
  const probe = `fetch('http://127.0.0.1:${port}${HEALTH_PATH}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  const version = options.mlopsVersion === undefined ? '' : ` (mlops ${options.mlopsVersion})`;
  return `# Prediction server for ${modelUri}, written by \`mlops deploy docker\`${version}.
#
# Build context: the mlops package root (package.json, bin/, dist/). \`mlops deploy docker\` prints
# the exact \`docker build\` command. The model is not in the image: \`mlops serve\` loads it at
# start from MLOPS_TRACKING_URI (a tracking server, or PostgreSQL plus MLOPS_ARTIFACT_URI).
#   docker run -p ${port}:${port} -e MLOPS_TRACKING_URI=http://tracking:5000 -e MLOPS_TRACKING_TOKEN=... <image>

FROM ${base} AS deps
WORKDIR ${APP_DIR}
# better-sqlite3 downloads a prebuilt binary, or compiles one when none matches: the compiler
# stays in this stage.
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 make g++ \\
 && rm -rf /var/lib/apt/lists/*
# onnxruntime-node ships its CPU binaries (linux x64 and arm64) inside the npm package; its
# install script only downloads the CUDA provider, which a CPU server never loads.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json* ./
# --ignore-scripts: the package's own \`prepare\` would rebuild dist/ with dev tools; dist/ comes
# built in the context. Then only better-sqlite3 runs its install script.
RUN if [ -f package-lock.json ]; then npm ci --omit=dev --ignore-scripts; \\
    else npm install --omit=dev --ignore-scripts --no-package-lock; fi \\
 && npm rebuild better-sqlite3 \\
 && npm cache clean --force

FROM ${base}
ENV NODE_ENV=production
WORKDIR ${APP_DIR}
COPY --from=deps ${APP_DIR}/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY dist ./dist
${Object.entries(env)
  .map(([name, value]) => `ENV ${name}=${dockerQuote(value)}`)
  .join('\n')}
# Numeric, so that Kubernetes' runAsNonRoot can verify it (uid ${NODE_UID} is the image's \`node\` user).
USER ${NODE_UID}:${NODE_UID}
EXPOSE ${port}
# ${HEALTH_PATH} answers once the process listens; ${READY_PATH} waits for the model (see the k8s probes).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \\
  CMD ${JSON.stringify(['node', '-e', probe])}
CMD ${JSON.stringify(serveCommand(modelUri, port))}
`;
}

/** Only what the image copies: keeps node_modules/, .git/ and workspaces out of the context. */
export const DOCKERIGNORE = `# Written by \`mlops deploy docker\`: send only what the Dockerfile copies.
*
!package.json
!package-lock.json
!bin
!dist
`;

/** A double-quoted Dockerfile word: backslash, quote and \`$\` (variable expansion) escaped. */
function dockerQuote(value: string): string {
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}
