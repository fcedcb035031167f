export { LOCK_FILE, LOCK_SCHEMA } from './lock-types.js';
export type { LockFile, LockedDep, LockedOut, LockedStage } from './lock-types.js';
export {
  EMPTY_LOCK,
  formatLockFile,
  parseLockFile,
  readLockFile,
  writeLockFile,
} from './lock-file.js';
