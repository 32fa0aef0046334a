/**
 * What the reader chose for automatic backups (issue #8), and the
 * `storage.local` keys the options page and the background share. Backups
 * are off until the reader turns them on (which asks for the `downloads`
 * permission). Values read back are checked, never trusted: another version
 * of the extension, or a hand edit, may have written them.
 */
import { z } from 'zod';

/** How often a backup is written. */
export const BACKUP_FREQUENCIES = ['daily', 'weekly'] as const;
export type BackupFrequency = (typeof BACKUP_FREQUENCIES)[number];

/** Fewest and most backups kept. */
export const MIN_KEEP = 1;
export const MAX_KEEP = 100;

export interface BackupSettings {
  enabled: boolean;
  frequency: BackupFrequency;
  /** How many of our backups are kept; older ones are removed after a successful backup. */
  keep: number;
}

/** Off, daily, the last 7 kept. */
export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { enabled: false, frequency: 'daily', keep: 7 };

/** The `storage.local` keys of backups. */
export const BACKUP_KEYS = {
  /** {@link BackupSettings}, written by the options page. */
  settings: 'backup:settings',
  /** The backups we made and the last outcome (backup-state.ts), written by the background. */
  state: 'backup:state',
  /** Written by the options page ("Back up now"): the background backs up when it changes. */
  request: 'backup:request',
} as const;

const settingsSchema = z.object({
  enabled: z.boolean(),
  frequency: z.enum(BACKUP_FREQUENCIES),
  keep: z.number().int().min(MIN_KEEP).max(MAX_KEEP),
});

/** Stored settings, or the defaults when there are none or they do not fit. */
export function parseBackupSettings(value: unknown): BackupSettings {
  const parsed = settingsSchema.safeParse(value);
  return parsed.success ? parsed.data : { ...DEFAULT_BACKUP_SETTINGS };
}

/** A "keep" count typed by the reader, or null when it is not a whole number in range. */
export function parseKeepCount(text: string): number | null {
  if (!/^\s*\d{1,3}\s*$/.test(text)) return null;
  const count = Number(text);
  return count >= MIN_KEEP && count <= MAX_KEEP ? count : null;
}
