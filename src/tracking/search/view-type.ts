import type { ViewType } from '../entities.js';

/** ACTIVE_ONLY (the default) and DELETED_ONLY select one lifecycle stage; ALL selects both. */
export function lifecycleStageOf(viewType: ViewType | undefined): 'active' | 'deleted' | undefined {
  switch (viewType ?? 'ACTIVE_ONLY') {
    case 'ACTIVE_ONLY':
      return 'active';
    case 'DELETED_ONLY':
      return 'deleted';
    case 'ALL':
      return undefined;
  }
}
