/** @module data: versioned data files and directories (pointers, status, checkout, gc roots). */
export type { DataContext } from './data-context.js';
export {
  POINTER_SUFFIX,
  formatPointer,
  parsePointer,
  readPointerFile,
  type DataPointer,
} from './pointer.js';
export { addData, type AddedData } from './add-data.js';
export { dataStatus, type DataState, type DataStatusEntry } from './data-status.js';
export { checkoutData, type CheckoutEntry, type CheckoutOptions } from './checkout-data.js';
export { dataPointerRoots } from './pointer-roots.js';
export { directoryHash, type ListingEntry } from './directory-listing.js';
export { StatCache, STAT_CACHE_FILE } from './stat-cache.js';
