/** The options page: sync status per way, the sync server's settings (issue #5), automatic backup and storage (issue #8). */
import type { ServerSettingsInput } from '../storage/sync/server-settings';
import type { SyncStatus } from '../storage/sync/sync-status';
import { OptionsBackupPanel, type OptionsBackupPanelProps } from './OptionsBackupPanel';
import { OptionsServerForm, type OptionsServerActions } from './OptionsServerForm';
import { OptionsStatusPanel } from './OptionsStatusPanel';
import { OptionsStoragePanel, type OptionsStoragePanelProps } from './OptionsStoragePanel';
import type { OptionsStrings } from './options-strings';

export interface OptionsAppProps {
  strings: OptionsStrings;
  /** Saved settings, or blank ones. */
  settings: ServerSettingsInput;
  statuses: Record<'browser' | 'server', SyncStatus | null>;
  now: number;
  syncRequested: boolean;
  actions: OptionsServerActions & { syncNow(): void };
  /** Automatic backup: settings, last outcome, permission, and its actions (the section is left out without it). */
  backup?: Omit<OptionsBackupPanelProps, 'strings' | 'now'>;
  /** Space used and what the library holds (the section is left out without it). */
  storage?: Omit<OptionsStoragePanelProps, 'strings'>;
  /** The extension's icon, shown beside its name. */
  iconUrl?: string;
}

export function OptionsApp({ strings, settings, statuses, now, syncRequested, actions, backup, storage, iconUrl }: OptionsAppProps) {
  return (
    <main class="options">
      <header class="options-head">
        {iconUrl ? <img src={iconUrl} width={28} height={28} alt="" /> : null}
        <div>
          <p class="options-app">{strings.appName}</p>
          <h1>{strings.title}</h1>
        </div>
      </header>
      <OptionsStatusPanel strings={strings} statuses={statuses} now={now} syncRequested={syncRequested} onSyncNow={actions.syncNow} />
      <OptionsServerForm strings={strings} initial={settings} actions={actions} />
      {backup ? <OptionsBackupPanel strings={strings} now={now} {...backup} /> : null}
      {storage ? <OptionsStoragePanel strings={strings} {...storage} /> : null}
    </main>
  );
}

/** The form's content before anything was saved. */
export const BLANK_SERVER_SETTINGS: ServerSettingsInput = { url: '', database: 'lesson-highlighter', username: '', password: '', enabled: true };
