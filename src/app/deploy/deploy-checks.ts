import { invalidParam } from '../../core/index.js';
import { parseModelUri } from '../models/index.js';

/**
 * Checks of what `mlops deploy` puts into a Dockerfile or a manifest. Messages name the CLI flag
 * (the SDK options are the same words in camelCase), because a wrong value otherwise surfaces
 * only at `docker build` or `kubectl apply` time, far from where it was typed.
 */

/**
 * What `mlops serve` loads: a registered version by alias, number or `latest` (a `runs:/` URI
 * names no registered version). Parsed by the same function serve uses, so both accept the same.
 */
export function checkModelUri(uri: string): string {
  if (parseModelUri(uri).scheme === 'models') return uri;
  throw invalidParam(
    `<model-uri> must name a registered version (models:/<name>@<alias>, models:/<name>/<version> or models:/<name>/latest); '${uri}' names a run's artifacts: register it first with \`mlops models register ${uri} --name <name>\`.`,
    { modelUri: uri },
  );
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A name that becomes a Service name: Kubernetes wants an RFC 1035 label there. */
export function checkServiceName(flag: string, name: string): string {
  if (name.length <= 63 && DNS_1035_LABEL.test(name)) return name;
  throw invalidParam(
    `${flag} must be a DNS-1035 label (it names the Deployment, Service and autoscaler): at most 63 characters, lowercase letters, digits and '-', starting with a letter and ending with a letter or digit; got '${name}'.`,
    { [flag]: name },
  );
}

/** A namespace name: an RFC 1123 label. */
export function checkNamespace(flag: string, name: string): string {
  if (name.length <= 63 && DNS_1123_LABEL.test(name)) return name;
  throw invalidParam(
    `${flag} must be a DNS-1123 label: at most 63 characters, lowercase letters, digits and '-', starting and ending with a letter or digit; got '${name}'.`,
    { [flag]: name },
  );
}

/** A Secret's name: an RFC 1123 subdomain. */
export function checkSecretName(flag: string, name: string): string {
  if (name.length <= 253 && DNS_1123_SUBDOMAIN.test(name)) return name;
  throw invalidParam(
    `${flag} must name a Secret: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters); got '${name}'.`,
    { [flag]: name },
  );
}

/**
 * `name[:tag][@sha256:digest]` with an optional registry host: a loose form of the reference
 * grammar, enough to catch spaces, upper case and empty parts before a pod fails to pull.
 */
const IMAGE =
  /^([a-z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

export function checkImage(flag: string, image: string): string {
  if (image.length <= 255 && IMAGE.test(image)) return image;
  throw invalidParam(
    `${flag} must be an image reference such as registry.example.com/team/goog-serve:1.0 (lowercase repository, optional :tag and @sha256:digest); got '${image}'.`,
    { [flag]: image },
  );
}

export function checkPort(flag: string, port: number): number {
  if (Number.isInteger(port) && port >= 1 && port <= 65_535) return port;
  throw invalidParam(`${flag} must be a port number from 1 to 65535; got ${String(port)}.`, {
    [flag]: port,
  });
}

export function checkInteger(flag: string, value: number, min: number, max?: number): number {
  if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return value;
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  throw invalidParam(`${flag} must be a whole number ${range}; got ${String(value)}.`, {
    [flag]: value,
  });
}

/** Environment variable names as POSIX shells and Kubernetes accept them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Never written in clear into an image or a manifest: they come from a Secret. */
const SECRET_ENV = new Set([
  'MLOPS_TRACKING_TOKEN',
  'MLOPS_ADMIN_PASSWORD',
  'AWS_SECRET_ACCESS_KEY',
]);

/**
 * Environment for the server. Refuses names that hold secrets and URIs with a password in them:
 * a Dockerfile and manifests get committed and pushed, so credentials go through a Secret.
 */
export function checkEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      throw invalidParam(
        `--env ${name}=...: the name must be letters, digits and '_', not starting with a digit.`,
        { env: name },
      );
    }
    if (SECRET_ENV.has(name)) {
      throw invalidParam(
        `--env ${name}: secrets are not written into images or manifests; put it in a Kubernetes Secret and pass --token-secret or --env-secret (or docker run -e ${name}).`,
        { env: name },
      );
    }
    if ([...value].some((c) => c < ' ' || c === '\u007f')) {
      throw invalidParam(`--env ${name}: the value must be one line without control characters.`, {
        env: name,
      });
    }
    if (hasPassword(value)) {
      throw invalidParam(
        `--env ${name}: the URI holds a password, which would end up in clear in the image or manifest; pass it at run time from a Secret (--env-secret) instead.`,
        { env: name },
      );
    }
  }
  return { ...env };
}

function hasPassword(value: string): boolean {
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}
