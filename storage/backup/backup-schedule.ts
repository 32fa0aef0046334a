/**
 * When automatic backups run (issue #8). One alarm wakes the background
 * every hour while backups are on; each time it checks whether a backup is
 * due. An hourly check, rather than an alarm at the due time, also covers a
 * browser that was closed when the backup was due, and survives alarms being
 * lost on a restart (they are re-created on startup when missing).
 */
import type { BackupFrequency, BackupSettings } from './backup-settings';

/** The alarm's name. */
export const BACKUP_ALARM = 'backup:check';
/** How often the alarm checks whether a backup is due. */
export const BACKUP_CHECK_MINUTES = 60;

const HOUR_MS = 60 * 60 * 1000;
/** How long after the last backup the next one is due. */
export const BACKUP_PERIOD_MS: Record<BackupFrequency, number> = { daily: 24 * HOUR_MS, weekly: 7 * 24 * HOUR_MS };
/**
 * A backup counts as due this much early, so that an hourly check landing a
 * few minutes before the day is over does not push the backup an hour later
 * every day.
 */
const EARLY_MS = 5 * 60 * 1000;

/**
 * Whether an automatic backup is due at `now`: backups are on and the last
 * backup (written, or skipped because nothing changed) is a period old, or
 * there was none yet. A failed attempt does not count: the next check tries again.
 */
export function isBackupDue(settings: BackupSettings, lastBackupAt: number | null, now: number): boolean {
  if (!settings.enabled) return false;
  if (lastBackupAt === null || lastBackupAt > now) return true;
  return now - lastBackupAt >= BACKUP_PERIOD_MS[settings.frequency] - EARLY_MS;
}

/** What to do with the alarm: create it when backups are on and it is missing, clear it when they are off. */
export function alarmChange(settings: BackupSettings, alarmExists: boolean): 'create' | 'clear' | 'keep' {
  if (settings.enabled) return alarmExists ? 'keep' : 'create';
  return alarmExists ? 'clear' : 'keep';
}
