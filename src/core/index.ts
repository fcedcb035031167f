/** @module core: errors and their codes, ids, time. */
export { ERROR_CODES, type ErrorCode, type ErrorCodeInfo } from './error-codes.js';
export { MlopsError, invalidParam } from './mlops-error.js';
export { newRunId } from './ids.js';
export { nowMs } from './clock.js';
export { gitInfo, type GitInfo } from './git-info.js';
