/**
 * The plain rules of automatic backups (issue #8): file names with the date,
 * which backups retention removes, when a backup is due, what settings are
 * accepted, and the file's content and URL.
 */
import { describe, expect, test } from 'vitest';
import { buildBackupFile, textDataUrl } from '../../storage/backup/backup-file';
import { backupFileName, baseName, isBackupPath } from '../../storage/backup/backup-naming';
import { backupsToRemove, type BackupRecord } from '../../storage/backup/backup-retention';
import { alarmChange, isBackupDue } from '../../storage/backup/backup-schedule';
import { DEFAULT_BACKUP_SETTINGS, parseBackupSettings, parseKeepCount } from '../../storage/backup/backup-settings';
import { parseBackupState } from '../../storage/backup/backup-state';
import type { Annotation } from '../../storage/model';
import { decodeDataUrl } from '../fixtures/backup/fake-downloads';
import { LESSON, NOW } from '../fixtures/sync/sync-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('backup file names', () => {
  test('carry the local date and time to the minute, inside our folder', () => {
    expect(backupFileName(new Date(2026, 2, 1, 9, 5))).toBe('lesson-highlighter-backups/lesson-highlighter-2026-03-01-0905.json');
    expect(backupFileName(new Date(2026, 11, 31, 23, 59))).toBe('lesson-highlighter-backups/lesson-highlighter-2026-12-31-2359.json');
  });

  test('a path is ours only in our folder, with our name, or the name the browser made unique', () => {
    expect(isBackupPath('/home/r/Downloads/lesson-highlighter-backups/lesson-highlighter-2026-03-01-0905.json')).toBe(true);
    expect(isBackupPath('/home/r/Downloads/lesson-highlighter-backups/lesson-highlighter-2026-03-01-0905 (2).json')).toBe(true);
    expect(isBackupPath('C:\\Users\\r\\Downloads\\lesson-highlighter-backups\\lesson-highlighter-2026-03-01-0905.json')).toBe(true);
    expect(isBackupPath('/home/r/Downloads/lesson-highlighter-2026-03-01-0905.json')).toBe(false);
    expect(isBackupPath('/home/r/Downloads/lesson-highlighter-backups/thesis.json')).toBe(false);
    expect(isBackupPath('/home/r/Downloads/lesson-highlighter-backups/lesson-highlighter-2026-03-01-0905.json.exe')).toBe(false);
    expect(isBackupPath('/home/r/Downloads/not-lesson-highlighter-backups/lesson-highlighter-2026-03-01-0905.json')).toBe(false);
  });

  test('the status shows the name without folders', () => {
    expect(baseName('/home/r/Downloads/lesson-highlighter-backups/lesson-highlighter-2026-03-01-0905 (1).json')).toBe('lesson-highlighter-2026-03-01-0905 (1).json');
    expect(baseName('C:\\Downloads\\lesson-highlighter-backups\\x.json')).toBe('x.json');
  });
});

describe('retention', () => {
  const record = (downloadId: number, createdAt: number): BackupRecord => ({ downloadId, fileName: `f${downloadId}`, createdAt });

  test('keeps the newest N and removes the rest, whatever order they were recorded in', () => {
    const records = [record(3, NOW - 2 * DAY), record(9, NOW), record(1, NOW - 5 * DAY), record(5, NOW - DAY)];

    expect(backupsToRemove(records, 2).map((r) => r.downloadId)).toEqual([3, 1]);
    expect(backupsToRemove(records, 4)).toEqual([]);
    expect(backupsToRemove(records, 10)).toEqual([]);
  });

  test('backups made in the same millisecond are told apart by download id', () => {
    expect(backupsToRemove([record(7, NOW), record(8, NOW)], 1).map((r) => r.downloadId)).toEqual([7]);
  });
});

describe('scheduling', () => {
  const daily = { ...DEFAULT_BACKUP_SETTINGS, enabled: true };
  const weekly = { ...daily, frequency: 'weekly' as const };

  test('nothing is due while backups are off, even if there was never one', () => {
    expect(isBackupDue(DEFAULT_BACKUP_SETTINGS, null, NOW)).toBe(false);
  });

  test('the first backup is due at once', () => {
    expect(isBackupDue(daily, null, NOW)).toBe(true);
  });

  test('daily: due a day after the last one; an hourly check a few minutes early counts', () => {
    expect(isBackupDue(daily, NOW - 23 * HOUR, NOW)).toBe(false);
    expect(isBackupDue(daily, NOW - DAY + 2 * 60_000, NOW)).toBe(true);
    expect(isBackupDue(daily, NOW - DAY, NOW)).toBe(true);
  });

  test('weekly: not due after a day, due after seven', () => {
    expect(isBackupDue(weekly, NOW - DAY, NOW)).toBe(false);
    expect(isBackupDue(weekly, NOW - 6 * DAY, NOW)).toBe(false);
    expect(isBackupDue(weekly, NOW - 7 * DAY, NOW)).toBe(true);
  });

  test('a last backup in the future (the clock was set back) does not block backups forever', () => {
    expect(isBackupDue(daily, NOW + 30 * DAY, NOW)).toBe(true);
  });

  test('the alarm is created when backups are on and it is missing, cleared when they are off', () => {
    expect(alarmChange(daily, false)).toBe('create');
    expect(alarmChange(daily, true)).toBe('keep');
    expect(alarmChange(DEFAULT_BACKUP_SETTINGS, true)).toBe('clear');
    expect(alarmChange(DEFAULT_BACKUP_SETTINGS, false)).toBe('keep');
  });
});

describe('settings and state read back from storage', () => {
  test('off, daily, keep 7 by default; anything malformed falls back to that', () => {
    expect(DEFAULT_BACKUP_SETTINGS).toEqual({ enabled: false, frequency: 'daily', keep: 7 });
    expect(parseBackupSettings(undefined)).toEqual(DEFAULT_BACKUP_SETTINGS);
    expect(parseBackupSettings({ enabled: true, frequency: 'hourly', keep: 3 })).toEqual(DEFAULT_BACKUP_SETTINGS);
    expect(parseBackupSettings({ enabled: true, frequency: 'weekly', keep: 0 })).toEqual(DEFAULT_BACKUP_SETTINGS);
    expect(parseBackupSettings({ enabled: true, frequency: 'weekly', keep: 2 })).toEqual({ enabled: true, frequency: 'weekly', keep: 2 });
  });

  test('a typed "keep" count must be a whole number from 1 to 100', () => {
    expect(parseKeepCount('2')).toBe(2);
    expect(parseKeepCount(' 100 ')).toBe(100);
    for (const bad of ['0', '101', '2.5', '-1', '', 'seven', '1e2']) expect(parseKeepCount(bad)).toBeNull();
  });

  test('a malformed state is read as empty, so a run starts over rather than failing', () => {
    expect(parseBackupState({ backups: 'x' })).toEqual({ backups: [], fingerprint: null, lastBackupAt: null, lastSaved: null, lastOutcome: null });
  });
});

describe('the backup file', () => {
  const annotation: Annotation = {
    id: '4b1f8a52-1d5e-4c3b-9a59-0c2f3a1e7d11',
    lesson: LESSON,
    target: {
      quote: { type: 'TextQuoteSelector', exact: '超时不等于失败', prefix: '', suffix: '' },
      position: { type: 'TextPositionSelector', start: 10, end: 17 },
    },
    color: 'yellow',
    note: '面试常考',
    tags: [],
    createdAt: NOW - DAY,
    updatedAt: NOW - DAY,
    deletedAt: null,
    anchorStatus: 'anchored',
  };
  const info = (now: number, id: string) => ({ label: 'Backup', now, collectionId: `urn:uuid:${id}` });

  test('is the JSON export: an AnnotationCollection holding every annotation', async () => {
    const file = await buildBackupFile([annotation], [], info(NOW, 'a'));
    const collection = JSON.parse(file.text);

    expect(collection.type).toBe('AnnotationCollection');
    expect(collection.first.items.map((item: { id: string }) => item.id)).toEqual([`urn:uuid:${annotation.id}`]);
    expect(file.items).toBe(1);
  });

  test('has the same fingerprint when only its date and id differ, another one when a note changed', async () => {
    const first = await buildBackupFile([annotation], [], info(NOW, 'a'));
    const later = await buildBackupFile([annotation], [], info(NOW + DAY, 'b'));
    const edited = await buildBackupFile([{ ...annotation, note: '改了' }], [], info(NOW, 'a'));

    expect(later.text).not.toBe(first.text);
    expect(later.fingerprint).toBe(first.fingerprint);
    expect(edited.fingerprint).not.toBe(first.fingerprint);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  test('travels as a base64 data URL that decodes to the same text, Chinese included', () => {
    const text = `{"note":"幂等键要和业务单号绑定 ✓","long":"${'长'.repeat(100_000)}"}`;
    const url = textDataUrl(text);

    expect(url.startsWith('data:application/json;base64,')).toBe(true);
    expect(decodeDataUrl(url)).toBe(text);
  });
});
