/**
 * The "Automatic backup" section of the options page (issue #8): on/off
 * (turning it on asks for the `downloads` permission, which the page does
 * straight from the click), how often, how many to keep, "Back up now", and
 * the last outcome in words. The work is done by the `actions` the page
 * passes in; the background writes the backups.
 */
import { useState } from 'preact/hooks';
import { BACKUP_FOLDER } from '../storage/backup/backup-naming';
import { BACKUP_FREQUENCIES, MAX_KEEP, MIN_KEEP, parseKeepCount, type BackupFrequency, type BackupSettings } from '../storage/backup/backup-settings';
import type { BackupOutcome, BackupState } from '../storage/backup/backup-state';
import type { OptionsStrings } from './options-strings';
import { formatFullTime, formatRelativeTime } from './relative-time';

export interface OptionsBackupActions {
  /** Turns backups on (asking for the permission; answers false when it was refused) or off. */
  setEnabled(enabled: boolean): Promise<boolean>;
  setFrequency(frequency: BackupFrequency): void;
  setKeep(keep: number): void;
  backUpNow(): void;
}

export interface OptionsBackupPanelProps {
  strings: OptionsStrings;
  settings: BackupSettings;
  /** The last backup written (a run that found nothing changed writes none). */
  lastSaved: BackupState['lastSaved'];
  lastOutcome: BackupOutcome | null;
  /** Whether the `downloads` permission is granted (null while unknown). */
  permitted: boolean | null;
  /** A backup was asked for and has not reported yet. */
  running: boolean;
  now: number;
  actions: OptionsBackupActions;
}

export function OptionsBackupPanel({ strings, settings, lastSaved, lastOutcome, permitted, running, now, actions }: OptionsBackupPanelProps) {
  const [refused, setRefused] = useState(false);
  const [switching, setSwitching] = useState(false);
  const onToggle = (enabled: boolean) => {
    setSwitching(true);
    setRefused(false);
    // Straight from the change event: the browser shows its permission prompt only for a reader's gesture.
    void actions.setEnabled(enabled).then(
      (granted) => {
        setRefused(!granted);
        setSwitching(false);
      },
      () => setSwitching(false),
    );
  };
  const withdrawn = settings.enabled && permitted === false;
  return (
    <section class="options-section" aria-labelledby="backup-heading">
      <h2 id="backup-heading">{strings.backupHeading}</h2>
      <p class="section-intro">{withFolder(strings.backupIntro)}</p>
      <label class="switch">
        <input type="checkbox" role="switch" checked={settings.enabled} disabled={switching} onChange={(event) => onToggle(event.currentTarget.checked)} />
        <span>{strings.backupEnabled}</span>
      </label>
      {refused ? <p class="form-message error" role="alert">{strings.backupPermissionDenied}</p> : null}
      <div class="field-row">
        <div class="field">
          <label for="backup-frequency">{strings.backupFrequency}</label>
          <select id="backup-frequency" value={settings.frequency} onChange={(event) => actions.setFrequency(event.currentTarget.value as BackupFrequency)}>
            {BACKUP_FREQUENCIES.map((frequency) => (
              <option key={frequency} value={frequency}>{frequency === 'daily' ? strings.backupDaily : strings.backupWeekly}</option>
            ))}
          </select>
        </div>
        <KeepField strings={strings} keep={settings.keep} onKeep={actions.setKeep} />
      </div>
      <div class="backup-status">
        <dl class="way-facts">
          <dt>{strings.backupLast}</dt>
          <dd><LastBackup strings={strings} saved={lastSaved} now={now} /></dd>
        </dl>
        <button type="button" class="button" onClick={actions.backUpNow} disabled={running || !settings.enabled || withdrawn}>
          {running ? strings.backupRunning : strings.backupNow}
        </button>
        {lastOutcome?.type === 'unchanged' && !withdrawn ? (
          <p class="backup-note" role="status">{strings.backupUnchanged(lastOutcome.fileName)}</p>
        ) : null}
      </div>
      {withdrawn ? (
        <p class="way-error" role="alert">{strings.backupFailed('no-permission', null)}</p>
      ) : lastOutcome?.type === 'failed' ? (
        <p class="way-error" role="alert">{strings.backupFailed(lastOutcome.problem, lastOutcome.detail)}</p>
      ) : null}
    </section>
  );
}

/** "Backups to keep": saved when it is a whole number in range, otherwise the problem is shown. */
function KeepField({ strings, keep, onKeep }: { strings: OptionsStrings; keep: number; onKeep(keep: number): void }) {
  const [text, setText] = useState(String(keep));
  const [invalid, setInvalid] = useState(false);
  const commit = (value: string) => {
    const count = parseKeepCount(value);
    setInvalid(count === null);
    if (count !== null && count !== keep) onKeep(count);
  };
  return (
    <div class={`field${invalid ? ' invalid' : ''}`}>
      <label for="backup-keep">{strings.backupKeep}</label>
      <input
        id="backup-keep"
        type="number"
        inputMode="numeric"
        min={MIN_KEEP}
        max={MAX_KEEP}
        step={1}
        value={text}
        aria-invalid={invalid || undefined}
        aria-describedby="backup-keep-note"
        onInput={(event) => setText(event.currentTarget.value)}
        onChange={(event) => commit(event.currentTarget.value)}
      />
      <p class={invalid ? 'field-problem' : 'field-hint'} id="backup-keep-note">{invalid ? strings.backupKeepInvalid : strings.backupKeepHint}</p>
    </div>
  );
}

/** When the last backup was written, and its file. */
function LastBackup({ strings, saved, now }: { strings: OptionsStrings; saved: BackupState['lastSaved']; now: number }) {
  if (!saved) return <>{strings.backupNone}</>;
  return (
    <>
      <time dateTime={new Date(saved.at).toISOString()} title={formatFullTime(saved.at, strings.locale)}>
        {formatRelativeTime(saved.at, now, strings.locale)}
      </time>
      {' · '}
      <span class="backup-file">{saved.fileName}</span>
    </>
  );
}

/** The intro with the folder's name set as code, so it is not hyphenated across lines. */
function withFolder(text: string) {
  const [before, ...after] = text.split(BACKUP_FOLDER);
  if (after.length === 0) return text;
  return (
    <>
      {before}
      <code class="backup-folder">{BACKUP_FOLDER}</code>
      {after.join(BACKUP_FOLDER)}
    </>
  );
}
