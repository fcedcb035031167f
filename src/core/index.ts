/**
 * @module core: errors and their codes, ids, time, where this install lives, XML escaping, YAML
 * files whose errors name the line.
 */
export { ERROR_CODES, type ErrorCode, type ErrorCodeInfo } from './error-codes.js';
export { MlopsError, invalidParam } from './mlops-error.js';
export { corruptDatabaseError } from './database-error.js';
export { newRunId } from './ids.js';
export { nowMs } from './clock.js';
export { gitInfo, type GitInfo } from './git-info.js';
export { cliScriptPath, packageRoot } from './package-root.js';
export { escapeXml } from './escape-xml.js';
export {
  formatYamlPath,
  PositionedYaml,
  valueAtYamlPath,
  yamlError,
  type YamlLibrary,
  type YamlPath,
} from './positioned-yaml.js';
export { DURATION_FORMS, parseDuration } from './duration.js';
