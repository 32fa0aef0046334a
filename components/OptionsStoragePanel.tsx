/** The "Storage" section of the options page (issue #8): space used, whether it is kept, and what the library holds. */
import type { LibraryCounts } from '../storage/backup/library-counts';
import type { StorageUsage } from '../storage/backup/storage-usage';
import type { OptionsStrings } from './options-strings';

export interface OptionsStoragePanelProps {
  strings: OptionsStrings;
  /** Null while it is being measured. */
  usage: StorageUsage | null;
  counts: LibraryCounts | null;
}

export function OptionsStoragePanel({ strings, usage, counts }: OptionsStoragePanelProps) {
  return (
    <section class="options-section" aria-labelledby="storage-heading">
      <h2 id="storage-heading">{strings.storageHeading}</h2>
      <div class="storage-facts">
        <p class="storage-used" data-persistence={usage?.persistence}>{usage ? strings.storageUsed(usage) : strings.storageMeasuring}</p>
        {counts ? <p class="storage-counts">{strings.storageCounts(counts)}</p> : null}
      </div>
      <p class="section-intro">{strings.storageHint}</p>
    </section>
  );
}
