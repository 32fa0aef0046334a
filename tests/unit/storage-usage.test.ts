/**
 * Persistent storage and the space used (issue #8): asking for persistence
 * where the context can, the usage line's wording, and the library's counts.
 */
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnnotation, deleteAnnotation } from '../../storage/annotations';
import { countLibrary } from '../../storage/backup/library-counts';
import { formatBytes, readStorageUsage, requestPersistence, type StorageManagerLike } from '../../storage/backup/storage-usage';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { handleRequest } from '../../storage/handlers';
import { saveLessonNote } from '../../storage/lesson-notes';
import { loadOptionsStrings } from '../../components/options-strings';
import { draft, LESSON, NOW } from '../fixtures/sync/sync-fixtures';
import { getMessageFrom, messages } from '../fixtures/backup/i18n';

describe('formatBytes', () => {
  test.each([
    [0, '0 B'],
    [512, '512 B'],
    [1_000, '1 KB'],
    [12_345, '12 KB'],
    [830_000, '830 KB'],
    [1_234_567, '1.2 MB'],
    [999_960, '1 MB'],
    [15_600_000_000, '16 GB'],
  ])('%d bytes read as %s', (bytes, expected) => {
    expect(formatBytes(bytes, 'en')).toBe(expected);
  });

  test('uses the reader’s decimal separator', () => {
    expect(formatBytes(1_234_567, 'de')).toBe('1,2 MB');
  });
});

describe('the storage line', () => {
  const strings = (locale: 'en' | 'zh_CN') => loadOptionsStrings(getMessageFrom(messages(locale)), locale === 'en' ? 'en' : 'zh-CN');

  test('says how much is used and whether the browser keeps it', () => {
    expect(strings('en').storageUsed({ usage: 1_234_567, persistence: 'persistent' })).toBe('Storage: 1.2 MB used · persistent');
    expect(strings('en').storageUsed({ usage: 40_000, persistence: 'unlimited' })).toBe('Storage: 40 KB used · kept even when the disk runs low (unlimited storage)');
    expect(strings('zh_CN').storageUsed({ usage: 1_234_567, persistence: 'best-effort' })).toBe('存储：已用 1.2 MB · 磁盘快满时浏览器可能会清除');
  });

  test('counts highlights and notes in both languages', () => {
    expect(strings('en').storageCounts({ highlights: 1_204, notes: 35 })).toBe('Highlights: 1,204 · Notes: 35');
    expect(strings('zh_CN').storageCounts({ highlights: 3, notes: 1 })).toBe('划线 3 条 · 笔记 1 条');
  });
});

describe('persistence', () => {
  const manager = (answers: { persisted: boolean; persist?: boolean | 'throws' }): StorageManagerLike => ({
    estimate: async () => ({ usage: 2_048 }),
    persisted: async () => answers.persisted,
    ...(answers.persist === undefined
      ? {}
      : { persist: async () => (answers.persist === 'throws' ? Promise.reject(new Error('denied')) : (answers.persist as boolean)) }),
  });

  test('a window (or Firefox’s event page) asks for it and reports the answer', async () => {
    expect(await requestPersistence(manager({ persisted: false, persist: true }), NOW)).toEqual({ persisted: true, asked: true, at: NOW });
  });

  test('Chrome’s service worker cannot ask (persist exists only in windows): it reports whether storage is persistent', async () => {
    expect(await requestPersistence(manager({ persisted: false }), NOW)).toEqual({ persisted: false, asked: false, at: NOW });
    expect(await requestPersistence(undefined, NOW)).toEqual({ persisted: false, asked: false, at: NOW });
  });

  test('a refusal is reported as not persistent, never thrown', async () => {
    expect(await requestPersistence(manager({ persisted: false, persist: 'throws' }), NOW)).toEqual({ persisted: false, asked: true, at: NOW });
  });

  test('not persistent but with unlimitedStorage is told apart from storage the browser may clear', async () => {
    expect(await readStorageUsage(manager({ persisted: true }), true)).toEqual({ usage: 2_048, persistence: 'persistent' });
    expect(await readStorageUsage(manager({ persisted: false }), true)).toEqual({ usage: 2_048, persistence: 'unlimited' });
    expect(await readStorageUsage(manager({ persisted: false }), false)).toEqual({ usage: 2_048, persistence: 'best-effort' });
  });
});

describe('countLibrary', () => {
  let db: LessonHighlighterDb;
  beforeEach(() => {
    db = openDb(`counts-${crypto.randomUUID()}`);
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(db.name);
  });

  test('counts live highlights, and notes on highlights and lessons, not tombstones or blank notes', async () => {
    await createAnnotation(db, draft(10, '超时不等于失败', '面试常考'), NOW);
    await createAnnotation(db, draft(30, '幂等是前提', '   '), NOW);
    await createAnnotation(db, draft(50, '重试要有上限'), NOW);
    const deleted = await createAnnotation(db, draft(70, '删掉的', '删掉的笔记'), NOW);
    await deleteAnnotation(db, deleted.id, NOW);
    await saveLessonNote(db, LESSON, '本讲小结', NOW);

    expect(await handleRequest(db, { type: 'countLibrary' })).toEqual({ ok: true, value: { highlights: 3, notes: 2 } });
  });
});
