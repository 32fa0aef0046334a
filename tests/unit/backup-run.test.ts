/**
 * One backup run end to end against a fake `downloads` API and a real
 * (fake-indexeddb) database (issue #8): what is written and where, that it
 * restores through the ordinary import, skipping when nothing changed,
 * retention that removes only our own old backups, and every failure ending
 * in an outcome the options page can put in words.
 */
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnnotation, updateAnnotation } from '../../storage/annotations';
import { textDataUrl } from '../../storage/backup/backup-file';
import { BACKUP_KEYS, type BackupSettings } from '../../storage/backup/backup-settings';
import { parseBackupState, type BackupState } from '../../storage/backup/backup-state';
import { runBackup, type BackupDeps } from '../../storage/backup/run-backup';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { describeError } from '../../storage/handlers';
import { saveLessonNote } from '../../storage/lesson-notes';
import { listAnnotations, listLessonNotes } from '../../storage/library-queries';
import { SERVER_SYNC_KEYS, type KeyValuePort } from '../../storage/sync/couch-kv';
import { importAnnotationsFile } from '../../storage/sync/import-file';
import { DOWNLOAD_DIR, FakeDownloads, OUR_EXTENSION_ID } from '../fixtures/backup/fake-downloads';
import { DAY, draft, LESSON, NOW } from '../fixtures/sync/sync-fixtures';

const PASSWORD = 'hunter2-correct-horse';
const FOLDER = `${DOWNLOAD_DIR}/lesson-highlighter-backups`;

let db: LessonHighlighterDb;
let downloads: FakeDownloads;
let store: Map<string, unknown>;
let now: number;
let permitted: boolean;
const kv: KeyValuePort = {
  get: async (key) => store.get(key),
  set: async (key, value) => void store.set(key, structuredClone(value)),
  remove: async (key) => void store.delete(key),
};

function deps(): BackupDeps {
  return {
    kv,
    downloads: async () => (permitted ? downloads : null),
    readLibrary: async () => ({ annotations: await listAnnotations(db), notes: await listLessonNotes(db) }),
    describeError,
    // The service worker's way: the fake browser decodes the data URL into the file.
    fileUrl: (text) => ({ url: textDataUrl(text), release: () => undefined }),
    label: 'Lesson Highlighter backup',
    extensionId: OUR_EXTENSION_ID,
    now: () => now,
    newCollectionId: () => `urn:uuid:${crypto.randomUUID()}`,
    sleep: async () => undefined,
  };
}

function useSettings(settings: Partial<BackupSettings>): void {
  store.set(BACKUP_KEYS.settings, { enabled: true, frequency: 'daily', keep: 7, ...settings });
}

function state(): BackupState {
  return parseBackupState(store.get(BACKUP_KEYS.state));
}

beforeEach(async () => {
  db = openDb(`backup-${crypto.randomUUID()}`);
  downloads = new FakeDownloads();
  store = new Map();
  // Local time, so the file name's minute is predictable: 2026-03-01 09:30.
  now = new Date(2026, 2, 1, 9, 30).getTime();
  permitted = true;
  // The sync server's settings sit in the same storage.local, password included.
  store.set(SERVER_SYNC_KEYS.settings, { url: 'https://couch.example.com', database: 'hl', username: 'me', password: PASSWORD, enabled: true });
  await createAnnotation(db, draft(10, '超时不等于失败', '面试常考'), NOW - DAY);
  await saveLessonNote(db, LESSON, '这一讲：不确定性 → 重试 → 幂等。', NOW - DAY);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('a backup', () => {
  test('writes the JSON export into our folder, named with the date, and says which file', async () => {
    useSettings({});
    const outcome = await runBackup(deps(), 'manual');

    expect(downloads.calls).toEqual(['download lesson-highlighter-backups/lesson-highlighter-2026-03-01-0930.json']);
    expect(downloads.backupFiles()).toEqual([`${FOLDER}/lesson-highlighter-2026-03-01-0930.json`]);
    expect(outcome).toEqual({ type: 'saved', at: now, fileName: 'lesson-highlighter-2026-03-01-0930.json' });
    expect(state().lastOutcome).toEqual(outcome);
    expect(JSON.parse(downloads.files.get(downloads.backupFiles()[0]!)!).type).toBe('AnnotationCollection');
  });

  test('restores into an empty profile through the ordinary import, note and lesson note included', async () => {
    await runBackup(deps(), 'manual');
    const fresh = openDb(`restore-${crypto.randomUUID()}`);
    try {
      await importAnnotationsFile(fresh, downloads.files.get(downloads.backupFiles()[0]!)!, now);

      expect((await listAnnotations(fresh)).map((a) => [a.target.quote.exact, a.note])).toEqual([['超时不等于失败', '面试常考']]);
      expect((await listLessonNotes(fresh)).map((n) => n.note)).toEqual(['这一讲：不确定性 → 重试 → 幂等。']);
    } finally {
      fresh.close();
      await Dexie.delete(fresh.name);
    }
  });

  test('never carries the sync password, which lives beside the settings in storage.local', async () => {
    await runBackup(deps(), 'manual');
    const text = downloads.files.get(downloads.backupFiles()[0]!)!;

    expect(text).toContain('超时不等于失败');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('couch.example.com');
  });
});

describe('when a backup runs', () => {
  test('the alarm writes nothing while backups are off', async () => {
    useSettings({ enabled: false });

    expect(await runBackup(deps(), 'alarm')).toEqual({ type: 'not-due' });
    expect(downloads.calls).toEqual([]);
    expect(store.has(BACKUP_KEYS.state)).toBe(false);
  });

  test('the alarm writes the first backup at once, and the next only a day later', async () => {
    useSettings({});
    expect((await runBackup(deps(), 'alarm')).type).toBe('saved');
    await updateAnnotation(db, (await listAnnotations(db))[0]!.id, { note: '改过' }, NOW);

    now += 3_600_000;
    expect(await runBackup(deps(), 'alarm')).toEqual({ type: 'not-due' });
    now += DAY;
    expect((await runBackup(deps(), 'alarm')).type).toBe('saved');
    expect(downloads.backupFiles()).toHaveLength(2);
  });

  test('nothing changed since the last backup: no new file, and the status says so', async () => {
    useSettings({});
    await runBackup(deps(), 'manual');
    now += 60_000;

    const outcome = await runBackup(deps(), 'manual');

    expect(outcome).toEqual({ type: 'unchanged', at: now, fileName: 'lesson-highlighter-2026-03-01-0930.json' });
    expect(downloads.backupFiles()).toHaveLength(1);
    // Unchanged still counts as backed up: the next daily one is due a day from now.
    expect(state().lastBackupAt).toBe(now);
    // The last file actually written is still the one the options page names.
    expect(state().lastSaved).toEqual({ at: now - 60_000, fileName: 'lesson-highlighter-2026-03-01-0930.json' });
  });

  test('nothing changed, but the reader deleted the last backup file: a new one is written', async () => {
    await runBackup(deps(), 'manual');
    downloads.files.delete(downloads.backupFiles()[0]!);
    now += 60_000;

    expect((await runBackup(deps(), 'manual')).type).toBe('saved');
    expect(downloads.backupFiles()).toEqual([`${FOLDER}/lesson-highlighter-2026-03-01-0931.json`]);
  });
});

describe('retention', () => {
  /** Changes the library and backs up a minute later. */
  async function editAndBackUp(note: string): Promise<void> {
    await updateAnnotation(db, (await listAnnotations(db))[0]!.id, { note }, NOW);
    now += 60_000;
    expect((await runBackup(deps(), 'manual')).type).toBe('saved');
  }

  test('with 2 kept, the third backup removes the oldest: its file and its entry in the browser', async () => {
    useSettings({ keep: 2 });
    await runBackup(deps(), 'manual');
    const [firstId] = state().backups.map((b) => b.downloadId);
    await editAndBackUp('二');
    await editAndBackUp('三');

    expect(downloads.backupFiles()).toEqual([
      `${FOLDER}/lesson-highlighter-2026-03-01-0931.json`,
      `${FOLDER}/lesson-highlighter-2026-03-01-0932.json`,
    ]);
    expect(downloads.items.has(firstId!)).toBe(false);
    expect(state().backups).toHaveLength(2);
  });

  test('never touches files it did not make, even ones named like a backup in the same folder', async () => {
    useSettings({ keep: 1 });
    const copied = downloads.placeForeign('lesson-highlighter-backups/lesson-highlighter-2025-01-01-0000.json');
    const otherExtension = downloads.placeForeign('lesson-highlighter-backups/lesson-highlighter-2025-01-02-0000.json', 'someotherextension');
    await runBackup(deps(), 'manual');
    await editAndBackUp('二');
    await editAndBackUp('三');

    expect(downloads.backupFiles()).toEqual([
      `${FOLDER}/lesson-highlighter-2025-01-01-0000.json`,
      `${FOLDER}/lesson-highlighter-2025-01-02-0000.json`,
      `${FOLDER}/lesson-highlighter-2026-03-01-0932.json`,
    ]);
    expect(downloads.calls.filter((call) => call.startsWith('removeFile'))).not.toContain(`removeFile ${copied}`);
    expect(downloads.calls.filter((call) => call.startsWith('removeFile'))).not.toContain(`removeFile ${otherExtension}`);
  });

  test('a recorded id that now names another file (or another extension’s download) is forgotten, not deleted', async () => {
    useSettings({ keep: 1 });
    const elsewhere = downloads.placeForeign('thesis-final.json');
    const foreign = downloads.placeForeign('lesson-highlighter-backups/lesson-highlighter-2025-01-02-0000.json', 'someotherextension');
    store.set(BACKUP_KEYS.state, {
      ...state(),
      backups: [
        { downloadId: elsewhere, fileName: 'x', createdAt: now - 2 * DAY },
        { downloadId: foreign, fileName: 'y', createdAt: now - DAY },
      ],
    });

    await runBackup(deps(), 'manual');

    expect(downloads.files.has(`${DOWNLOAD_DIR}/thesis-final.json`)).toBe(true);
    expect(downloads.items.has(elsewhere)).toBe(true);
    expect(downloads.items.has(foreign)).toBe(true);
    expect(state().backups.map((b) => b.downloadId)).not.toContain(elsewhere);
  });

  test('a backup that could not be removed stays recorded and is removed next time', async () => {
    useSettings({ keep: 1 });
    await runBackup(deps(), 'manual');
    const [firstId] = state().backups.map((b) => b.downloadId);
    downloads.removeFails.add(firstId!);
    await editAndBackUp('二');

    expect(state().backups.map((b) => b.downloadId)).toContain(firstId);
    downloads.removeFails.clear();
    await editAndBackUp('三');
    expect(state().backups).toHaveLength(1);
    expect(downloads.backupFiles()).toEqual([`${FOLDER}/lesson-highlighter-2026-03-01-0932.json`]);
  });

  test('a reader who deleted an old backup by hand: its entry is erased without complaint', async () => {
    useSettings({ keep: 1 });
    await runBackup(deps(), 'manual');
    const [firstId] = state().backups.map((b) => b.downloadId);
    downloads.files.delete(downloads.backupFiles()[0]!);
    await editAndBackUp('二');

    expect(downloads.items.has(firstId!)).toBe(false);
    expect(state().backups).toHaveLength(1);
  });
});

describe('failures end in an outcome in words, and lose nothing', () => {
  test('without the downloads permission (withdrawn): nothing is written, the status says why', async () => {
    useSettings({});
    permitted = false;

    expect(await runBackup(deps(), 'alarm')).toEqual({ type: 'failed', at: now, problem: 'no-permission', detail: null });
    expect(downloads.calls).toEqual([]);
  });

  test('a full disk interrupts the download: reported with the browser’s reason, the entry erased, and the next run tries again', async () => {
    useSettings({});
    downloads.interruptNext = 'FILE_NO_SPACE';

    expect(await runBackup(deps(), 'alarm')).toEqual({ type: 'failed', at: now, problem: 'download-failed', detail: 'FILE_NO_SPACE' });
    expect(downloads.items.size).toBe(0);
    expect(state().backups).toEqual([]);
    // A failure is not a backup: the hourly check tries again, and nothing counts as unchanged.
    now += 3_600_000;
    expect((await runBackup(deps(), 'alarm')).type).toBe('saved');
  });

  test('a download the browser refuses to start is reported with its message', async () => {
    downloads.refuseNext = new Error('Invalid filename');

    expect(await runBackup(deps(), 'manual')).toEqual({ type: 'failed', at: now, problem: 'download-refused', detail: 'Invalid filename' });
  });

  test('a download that never finishes is reported, and stays recorded as ours', async () => {
    downloads.stallNext = true;

    expect(await runBackup(deps(), 'manual')).toEqual({ type: 'failed', at: now, problem: 'download-failed', detail: 'TIMEOUT' });
    expect(state().backups).toHaveLength(1);
  });

  test('a database that cannot be read is reported in words', async () => {
    db.close();

    const outcome = await runBackup(deps(), 'manual');

    expect(outcome).toEqual({ type: 'failed', at: now, problem: 'export-failed', detail: expect.stringMatching(/database was closed/) });
    expect(downloads.calls).toEqual([]);
  });
});
