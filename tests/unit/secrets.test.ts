/**
 * The sync server's password stays secret (issue #8): whatever a lesson tab
 * may ask the background, the answer never holds it; server sync that fails
 * every way (401, 500, no network, credentials typed into the URL) prints no
 * console line and stores no status with it; exports and `storage.sync`
 * carry none of it. The password lives in `storage.local` only, as a reader
 * saves it on the options page (tests/e2e/hostile-input.test.ts checks the
 * same in a real browser, and that content scripts cannot read that area).
 */
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { buildBackupFile } from '../../storage/backup/backup-file';
import { buildExport } from '../../storage/export-files';
import type { Annotation, LessonNote, LessonRef } from '../../storage/model';
import { requestSchema, type Request, type RequestType } from '../../storage/protocol';
import { createBrowserSync } from '../../storage/sync/browser-sync';
import { decodeItem } from '../../storage/sync/browser-sync-codec';
import { isOwnKey } from '../../storage/sync/browser-sync-layout';
import { SERVER_SYNC_KEYS, storageAreaKv } from '../../storage/sync/couch-kv';
import { runServerSync, type ServerSyncDeps } from '../../storage/sync/couch-service';
import { testServerConnection } from '../../storage/sync/couch-connection';
import { formatStamp } from '../../storage/sync/hlc';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import { saveServerSettings, type ServerSettings } from '../../storage/sync/server-settings';
import type { SyncStore } from '../../storage/sync/sync-store';
import { answerMessage, type PendingReveal, type TabsPort } from '../../storage/tab-requests';

const USERNAME = 'reader';
/** Distinctive, with non-ASCII characters, so every encoding of it is distinctive too. */
const PASSWORD = `pw-${crypto.randomUUID()}-密码`;
const SERVER = 'http://127.0.0.1:5984';
const SETTINGS: ServerSettings = { url: SERVER, database: 'lesson-highlighter', username: USERNAME, password: PASSWORD, enabled: true };
/** The forms the password could leak in: as typed, in a Basic Authorization header, in a URL. */
const SECRET_FORMS = [
  PASSWORD,
  Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'),
  encodeURIComponent(PASSWORD),
];

const LESSON_ID = '100001';
const LESSON: LessonRef = {
  site: 'time.geekbang.org',
  lessonId: LESSON_ID,
  url: `https://time.geekbang.org/column/article/${LESSON_ID}`,
  lessonTitle: '01 | 超时之后',
  courseTitle: '分布式系统实战 45 讲',
};
const NOTE = '幂等键要和业务单号绑定';

/** The forms of the password found in `text` (none, when nothing leaked). */
function leaks(text: string): string[] {
  return SECRET_FORMS.filter((form) => text.includes(form));
}

/** Everything a value says when printed or stored: its text, its JSON, an error's message, stack and causes. */
function spoken(value: unknown, depth = 0): string {
  if (value instanceof Error) {
    const cause = depth < 5 && value.cause !== undefined ? spoken(value.cause, depth + 1) : '';
    return [String(value), value.message, String(value.stack), cause].join('\n');
  }
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    // A cyclic value: its String() form is what a console shows anyway.
  }
  return `${String(value)}\n${json}`;
}

/** Every line the console printed while the test ran. */
let consoleLines: string[];
let db: LessonHighlighterDb;

beforeEach(async () => {
  fakeBrowser.reset();
  consoleLines = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((arg) => spoken(arg)).join(' '));
    });
  }
  db = openDb(`secrets-${crypto.randomUUID()}`);
  // Saved as the options page saves it: in storage.local, password included.
  expect((await saveServerSettings(storageAreaKv(fakeBrowser.storage.local), SETTINGS)).ok).toBe(true);
});

afterEach(async () => {
  // answerMessage refreshes the toolbar badge after answering, without waiting: let those
  // database reads finish before the database closes (teardown only; no assertion depends on it).
  await new Promise((resolve) => setTimeout(resolve, 50));
  vi.restoreAllMocks();
  db.close();
  await Dexie.delete(db.name);
});

/** A browser whose lesson tab is tab 7, as the background's tab requests see it. */
function fakeTabs(): TabsPort {
  const parked = new Map<number, PendingReveal>();
  return {
    lessonTabs: async () => [{ id: 7, url: LESSON.url, windowId: 1 }],
    focusTab: async () => undefined,
    openTab: async () => 8,
    sendToTab: async () => false,
    setBadge: async () => undefined,
    pendingReveals: {
      put: async (tabId, reveal) => void parked.set(tabId, reveal),
      take: async (tabId) => parked.get(tabId) ?? null,
    },
  };
}

/**
 * One valid request of every type, in an order that lets each find what it
 * needs (an annotation to update, then delete, then restore). The type makes
 * a new request type fail to compile until it is listed here, and so checked.
 */
function requestsOfEveryType(id: string, importText: string): { [K in RequestType]: Extract<Request, { type: K }> } {
  const quote = { type: 'TextQuoteSelector' as const, exact: '超时并不等于失败', prefix: '', suffix: '' };
  const position = { type: 'TextPositionSelector' as const, start: 10, end: 18 };
  return {
    listLessonAnnotations: { type: 'listLessonAnnotations', lessonId: LESSON_ID },
    createAnnotation: { type: 'createAnnotation', draft: { lesson: LESSON, target: { quote, position }, color: 'green', note: NOTE } },
    updateAnnotation: { type: 'updateAnnotation', id, patch: { note: `${NOTE}，不能用随机数` } },
    reportAnchorResults: { type: 'reportAnchorResults', lessonId: LESSON_ID, results: [{ id, status: 'anchored' }] },
    getLessonNote: { type: 'getLessonNote', lessonId: LESSON_ID },
    saveLessonNote: { type: 'saveLessonNote', lesson: LESSON, note: '本讲要点' },
    listAnnotations: { type: 'listAnnotations' },
    listLessonNotes: { type: 'listLessonNotes' },
    openAnnotation: { type: 'openAnnotation', id },
    takePendingReveal: { type: 'takePendingReveal' },
    importAnnotations: { type: 'importAnnotations', text: importText },
    restoreNoteVersion: { type: 'restoreNoteVersion', id, stamp: formatStamp(Date.now(), 0, 'secrets1') },
    restoreLessonNoteVersion: { type: 'restoreLessonNoteVersion', lessonId: LESSON_ID, stamp: formatStamp(Date.now(), 0, 'secrets1') },
    countLibrary: { type: 'countLibrary' },
    deleteAnnotation: { type: 'deleteAnnotation', id },
    restoreAnnotation: { type: 'restoreAnnotation', id },
  };
}

/** Creates one highlight with a note through the message API, as the content script does. */
async function createHighlight(tabs: TabsPort): Promise<Annotation> {
  const quote = { type: 'TextQuoteSelector' as const, exact: '所谓幂等', prefix: '', suffix: '' };
  const position = { type: 'TextPositionSelector' as const, start: 0, end: 4 };
  const request: Request = { type: 'createAnnotation', draft: { lesson: LESSON, target: { quote, position }, color: 'yellow', note: NOTE } };
  const answer = await answerMessage(tabs, db, request, { tabId: 7 });
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as Annotation;
}

/** The whole library as the export would write it, in one format. */
async function exportText(format: 'markdown' | 'jsonld'): Promise<string> {
  const tabs = fakeTabs();
  const annotations = await answerMessage(tabs, db, { type: 'listAnnotations' }, {});
  const notes = await answerMessage(tabs, db, { type: 'listLessonNotes' }, {});
  if (!annotations.ok || !notes.ok) throw new Error('the library could not be listed');
  const settings = { labels: { lessonNote: 'Lesson note', untitledCourse: 'Untitled', untitledLesson: 'Untitled' }, allLabel: 'All', now: Date.now(), collectionId: `urn:uuid:${crypto.randomUUID()}` };
  return buildExport({ type: 'all' }, format, annotations.value as Annotation[], notes.value as LessonNote[], settings).text;
}

describe('what a lesson tab may ask the background', () => {
  it('covers every request type of the protocol', () => {
    const listed = Object.keys(requestsOfEveryType(crypto.randomUUID(), '{}')).sort();
    const inSchema = requestSchema.options.map((option) => option.shape.type.value).sort();
    expect(listed).toEqual(inSchema);
  });

  it('answers no request of any type with the password, in any form', async () => {
    const tabs = fakeTabs();
    const made = await createHighlight(tabs);
    const requests = requestsOfEveryType(made.id, await exportText('jsonld'));
    const answers: string[] = [];
    for (const request of Object.values(requests)) {
      // A content script's message carries its tab (storage/sender.ts lets it through for the lesson site).
      const answer = await answerMessage(tabs, db, request, { tabId: 7 });
      answers.push(`${request.type}: ${JSON.stringify(answer)}`);
    }
    const all = answers.join('\n');
    expect(leaks(all)).toEqual([]);
    expect(all, 'no answer names the settings either').not.toContain(SERVER_SYNC_KEYS.settings);
    // The answers are real: the highlight's note came back, so leaks() had something to read.
    expect(all).toContain(NOTE);
  });

  it('gets no answer holding the password for requests shaped like a settings read', async () => {
    const tabs = fakeTabs();
    const forged = [
      { type: 'getServerSettings' },
      { type: 'loadServerSettings' },
      { type: 'getSettings', key: SERVER_SYNC_KEYS.settings },
      { type: 'storageGet', area: 'local', keys: null },
      { type: 'listAnnotations', limit: 1, keys: SERVER_SYNC_KEYS.settings },
    ];
    for (const message of forged) {
      const answer = await answerMessage(tabs, db, message, { tabId: 7 });
      expect(answer.ok, `${message.type} is refused`).toBe(false);
      expect(leaks(JSON.stringify(answer))).toEqual([]);
    }
  });
});

/** Server sync as the background runs it, against a fake network that fails in the chosen way. */
function serverDeps(fail: 'unauthorized' | 'server-error' | 'offline', store: SyncStore = createLocalSyncStore(db)) {
  const requested: string[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = String(input);
    requested.push(url);
    // What Chrome's fetch says for credentials in a URL: the URL, password and all.
    if (new URL(url).password !== '') throw new TypeError(`Failed to execute 'fetch': Request cannot be constructed from a URL that includes credentials: ${url}`);
    if (fail === 'offline') throw new TypeError('Failed to fetch');
    const [status, body] = fail === 'unauthorized' ? [401, { error: 'unauthorized', reason: 'Name or password is incorrect.' }] : [500, { error: 'internal', reason: 'boom' }];
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  const deps: ServerSyncDeps = {
    store,
    kv: storageAreaKv(fakeBrowser.storage.local),
    hasHostPermission: async () => true,
    http: { fetch, attempts: 2, backoffMs: 1, sleep: async () => undefined },
    sync: { sleep: async () => undefined },
  };
  return { deps, requested };
}

/** storage.local without the settings themselves: statuses, retry state, checkpoints. */
async function storedBesidesSettings(): Promise<string> {
  const { [SERVER_SYNC_KEYS.settings]: _settings, ...rest } = await fakeBrowser.storage.local.get(null);
  return JSON.stringify(rest);
}

describe('server sync that fails', () => {
  it.each(['unauthorized', 'server-error', 'offline'] as const)('prints and stores nothing with the password (%s)', async (fail) => {
    await createHighlight(fakeTabs());
    const { deps, requested } = serverDeps(fail);
    const outcome = await runServerSync(deps, 'manual');
    expect(outcome.type).toBe('failed');
    expect(requested.length, 'the server was really asked').toBeGreaterThan(0);
    expect(leaks(requested.join('\n')), 'the password travels only in the Authorization header').toEqual([]);
    expect(leaks(spoken(outcome))).toEqual([]);
    expect(leaks(await storedBesidesSettings())).toEqual([]);
    expect(leaks(consoleLines.join('\n'))).toEqual([]);
  });

  it('prints no password when the password is typed into the URL, on sync or on "Test connection"', async () => {
    const withCredentials = `http://${USERNAME}:${encodeURIComponent(PASSWORD)}@127.0.0.1:5984`;
    // As an old or hand-edited profile might hold it; the options page refuses to save it.
    await fakeBrowser.storage.local.set({ [SERVER_SYNC_KEYS.settings]: { ...SETTINGS, url: withCredentials } });
    const { deps, requested } = serverDeps('server-error');
    expect(await runServerSync(deps, 'manual'), 'settings with credentials in the URL are not used').toEqual({ type: 'off' });
    expect(requested).toEqual([]);

    const check = await testServerConnection({ ...SETTINGS, url: withCredentials }, { http: deps.http });
    expect(check.ok).toBe(false);
    expect(requested.length, 'the connection test really tried').toBeGreaterThan(0);
    expect(leaks(spoken(check))).toEqual([]);
    expect(leaks(await storedBesidesSettings())).toEqual([]);
    expect(leaks(consoleLines.join('\n'))).toEqual([]);
  });

  it('logs an unexpected failure in development without the password', async () => {
    const failing: SyncStore = { ...createLocalSyncStore(db), changesSince: async () => Promise.reject(new Error('the disk went away')) };
    const { deps } = serverDeps('server-error', failing);
    deps.http = { ...deps.http, fetch: async () => new Response(JSON.stringify({ results: [], last_seq: '0' }), { status: 200 }) };
    await runServerSync(deps, 'manual');
    // The logger spoke (development and unit builds log), so the check below read real lines.
    expect(consoleLines.join('\n')).toContain('the disk went away');
    expect(leaks(consoleLines.join('\n'))).toEqual([]);
  });
});

describe('exports and storage.sync', () => {
  it('neither the Markdown nor the JSON-LD export nor a backup file holds the password', async () => {
    await createHighlight(fakeTabs());
    const annotations = await answerMessage(fakeTabs(), db, { type: 'listAnnotations' }, {});
    if (!annotations.ok) throw new Error(annotations.error);
    const backup = await buildBackupFile(annotations.value as Annotation[], [], { label: 'Backup', now: Date.now(), collectionId: `urn:uuid:${crypto.randomUUID()}` });
    const files = { markdown: await exportText('markdown'), jsonld: await exportText('jsonld'), backup: backup.text };
    for (const [name, text] of Object.entries(files)) {
      expect(text, `the ${name} file is not empty`).toContain(NOTE);
      expect(leaks(text), name).toEqual([]);
    }
  });

  it('browser sync writes no settings and no password to storage.sync', async () => {
    await createHighlight(fakeTabs());
    const sync = createBrowserSync({ area: fakeBrowser.storage.sync, store: createLocalSyncStore(db), status: { write: async () => undefined } });
    await sync.syncNow();
    sync.stop();
    const items = await fakeBrowser.storage.sync.get(null);
    expect(Object.keys(items).filter((key) => key.startsWith('serverSync'))).toEqual([]);
    // Items are compressed: read them back as browser sync does, so a password inside would show.
    const decoded = await Promise.all(Object.entries(items).filter(([key]) => isOwnKey(key)).map(([, value]) => decodeItem(value)));
    const carried = decoded.map((item) => item.json).join('\n');
    expect(carried, 'the highlight was carried').toContain(NOTE);
    expect(leaks(`${JSON.stringify(items)}\n${carried}`)).toEqual([]);
  });
});
