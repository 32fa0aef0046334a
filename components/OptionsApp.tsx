/** The options page (issue #5): sync status per way, then the sync server's settings. */
import type { ServerSettingsInput } from '../storage/sync/server-settings';
import type { SyncStatus } from '../storage/sync/sync-status';
import { OptionsServerForm, type OptionsServerActions } from './OptionsServerForm';
import { OptionsStatusPanel } from './OptionsStatusPanel';
import type { OptionsStrings } from './options-strings';

export interface OptionsAppProps {
  strings: OptionsStrings;
  /** Saved settings, or blank ones. */
  settings: ServerSettingsInput;
  statuses: Record<'browser' | 'server', SyncStatus | null>;
  now: number;
  syncRequested: boolean;
  actions: OptionsServerActions & { syncNow(): void };
  /** The extension's icon, shown beside its name. */
  iconUrl?: string;
}

export function OptionsApp({ strings, settings, statuses, now, syncRequested, actions, iconUrl }: OptionsAppProps) {
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
    </main>
  );
}

/** The form's content before anything was saved. */
export const BLANK_SERVER_SETTINGS: ServerSettingsInput = { url: '', database: 'lesson-highlighter', username: '', password: '', enabled: true };
