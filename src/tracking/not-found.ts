import { MlopsError } from '../core/index.js';

export function experimentIdNumber(experimentId: string): number {
  if (!/^\d{1,15}$/.test(String(experimentId))) {
    throw experimentNotFound(experimentId);
  }
  return Number(experimentId);
}

export function experimentNotFound(experimentId: string): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `No experiment with id '${experimentId}'. List experiments with \`mlops experiments list\`.`,
  );
}

export function runNotFound(runId: string): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Run '${runId}' not found. List runs with \`mlops runs list\`.`,
  );
}
