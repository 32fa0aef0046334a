/**
 * The options page's components (issue #5): the status of each way of
 * syncing, and the server form with its validation, "Test connection" and
 * "Create database". Strings come from the real messages.json files.
 */
import { readFileSync } from 'node:fs';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { BLANK_SERVER_SETTINGS, OptionsApp, type OptionsAppProps } from '../../components/OptionsApp';
import { loadOptionsStrings, OPTIONS_MESSAGE_KEYS } from '../../components/options-strings';
import { COUCH_ERROR_MESSAGE_KEYS } from '../../storage/sync/couch-errors';
import { useRenderRoot } from './render-root';

type Messages = Record<string, { message: string }>;
const messages = (locale: string) => JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Messages;

/** `browser.i18n.getMessage` over a messages.json: $NAME$ placeholders filled in order, `$$` a dollar sign. */
function getMessageFrom(table: Messages) {
  return (key: string, substitutions: string[] = []) => {
    let index = 0;
    return table[key]?.message.replace(/\$\$|\$[A-Z_]+\$/g, (match) => (match === '$$' ? '$' : (substitutions[index++] ?? ''))) ?? '';
  };
}

const strings = loadOptionsStrings(getMessageFrom(messages('en')), 'en');
const mount = useRenderRoot();

function props(overrides: Partial<OptionsAppProps> = {}): OptionsAppProps {
  return {
    strings,
    settings: BLANK_SERVER_SETTINGS,
    statuses: { browser: null, server: null },
    now: Date.UTC(2025, 4, 1, 12),
    syncRequested: false,
    actions: {
      save: vi.fn(async () => ({ ok: true as const })),
      test: vi.fn(async () => ({ ok: true as const, server: 'PouchDB authors 4.2.0', user: 'me', database: 'missing' as const })),
      createDatabase: vi.fn(async () => ({ ok: true as const, value: 'created' as const })),
      syncNow: vi.fn(),
    },
    ...overrides,
  };
}

async function show(app: OptionsAppProps): Promise<void> {
  await act(() => render(h(OptionsApp, app), mount.root));
}

function input(label: string): HTMLInputElement {
  const element = [...mount.root.querySelectorAll('label')].find((candidate) => candidate.textContent === label);
  return mount.root.querySelector<HTMLInputElement>(`#${element!.htmlFor}`)!;
}

async function type(label: string, value: string): Promise<void> {
  const field = input(label);
  field.value = value;
  await act(() => void field.dispatchEvent(new Event('input', { bubbles: true })));
}

async function click(name: string): Promise<void> {
  const button = [...mount.root.querySelectorAll('button')].find((candidate) => candidate.textContent === name);
  if (!button) throw new Error(`No button ${name}`);
  await act(async () => {
    button.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe('the status panel', () => {
  it("shows each way's state, last sync, pending changes, problem and browser-sync space", async () => {
    const now = Date.UTC(2025, 4, 1, 12);
    await show(props({
      now,
      statuses: {
        browser: { way: 'browser', enabled: true, lastSuccessAt: now - 3 * 60_000, pendingChanges: 0, lastError: null, bytesUsed: 61_440, bytesQuota: 102_400, carried: 120, notCarried: 30 },
        server: { way: 'server', enabled: true, lastSuccessAt: null, pendingChanges: 4, lastError: 'Cannot reach the server (https://couch.example.com). Sync will try again.' },
      },
    }));
    const browserCard = mount.root.querySelector('[data-way="browser"]')!.textContent!;
    expect(browserCard).toContain('Browser sync');
    expect(browserCard).toContain('On');
    expect(browserCard).toContain('3 min. ago');
    expect(browserCard).toContain('60 KB of 100 KB');
    expect(browserCard).toContain('120 highlights carried, 30 did not fit');
    const serverCard = mount.root.querySelector('[data-way="server"]')!.textContent!;
    expect(serverCard).toContain('Never');
    expect(serverCard).toContain('4');
    expect(serverCard).toContain('Cannot reach the server');
  });

  it('names the documents the last server sync skipped, with when, even after later syncs succeed', async () => {
    const now = Date.UTC(2025, 4, 1, 12);
    const skipped = { at: now - 86_400_000, count: 2, target: 'https://couch.example.com/notes', problems: ['a:0c1e…: not an annotation this version can read', 'lessonNote:100002: notes: has no note version'] };
    await show(props({ now, statuses: { browser: null, server: { way: 'server', enabled: true, lastSuccessAt: now - 60_000, pendingChanges: 0, lastError: null, skipped } } }));

    const notice = mount.root.querySelector('[data-way="server"] .way-skipped')!;
    expect(notice.textContent).toMatch(/^The sync of .*2025.* skipped 2 documents on the server that it cannot read; nothing in this profile was changed:/);
    expect([...notice.querySelectorAll('li')].map((item) => item.textContent)).toEqual(skipped.problems);
    expect(mount.root.querySelector('[data-way="server"] .way-error')).toBeNull();
  });

  it('asks the background to sync when the reader clicks "Sync now"', async () => {
    const app = props({ statuses: { browser: null, server: { way: 'server', enabled: true, lastSuccessAt: null, pendingChanges: 0, lastError: null } } });
    await show(app);
    await click('Sync now');
    expect(app.actions.syncNow).toHaveBeenCalledTimes(1);
  });
});

describe('the server form', () => {
  it('refuses plain http to another computer, in words, without saving', async () => {
    const app = props();
    await show(app);
    await type('Server URL', 'http://example.com');
    await click('Save');
    expect(mount.root.textContent).toContain('Plain http:// is only allowed for a server on this computer; use https://.');
    expect(input('Server URL').getAttribute('aria-invalid')).toBe('true');
    expect(app.actions.save).not.toHaveBeenCalled();
  });

  it('saves loopback http with the credentials', async () => {
    const app = props();
    await show(app);
    await type('Server URL', 'http://127.0.0.1:5984/');
    await type('User name', 'me');
    await type('Password', 'secret');
    await click('Save');
    expect(app.actions.save).toHaveBeenCalledWith({ url: 'http://127.0.0.1:5984', database: 'lesson-highlighter', username: 'me', password: 'secret', enabled: true });
    expect(mount.root.querySelector('[role="status"]')!.textContent).toBe('Saved.');
  });

  it('offers to create a missing database after testing, and says when it is created', async () => {
    const app = props({ settings: { ...BLANK_SERVER_SETTINGS, url: 'https://couch.example.com', username: 'me', password: 'secret' } });
    await show(app);
    expect(mount.root.textContent).not.toContain('Create database');
    await click('Test connection');
    expect(mount.root.querySelector('[role="status"]')!.textContent).toBe('Connected to PouchDB authors 4.2.0 as me. The database “lesson-highlighter” does not exist yet.');
    await click('Create database');
    expect(app.actions.createDatabase).toHaveBeenCalledTimes(1);
    expect(mount.root.querySelector('[role="status"]')!.textContent).toBe('Created the database “lesson-highlighter”.');
  });

  it('says when the browser refused the host permission', async () => {
    const app = props({ settings: { ...BLANK_SERVER_SETTINGS, url: 'https://couch.example.com' } });
    app.actions.test = vi.fn(async () => ({ ok: false as const, kind: 'permission-denied' as const, host: 'couch.example.com' }));
    await show(app);
    await click('Test connection');
    expect(mount.root.textContent).toContain('The browser was not allowed to reach couch.example.com');
  });

  it('shows the password only as the field value, hidden until asked', async () => {
    await show(props({ settings: { ...BLANK_SERVER_SETTINGS, password: 'hunter2-密码' } }));
    expect(mount.root.textContent).not.toContain('hunter2');
    expect(input('Password').type).toBe('password');
    await click('Show');
    expect(input('Password').type).toBe('text');
  });
});

describe('translations', () => {
  it('has every options string and error text in English and Chinese', () => {
    const keys = [...OPTIONS_MESSAGE_KEYS, ...Object.values(COUCH_ERROR_MESSAGE_KEYS), 'optionsErrorUnexpected', 'optionsSpace', 'optionsCarried', 'optionsConnected', 'optionsConnectedAnonymous', 'optionsDatabaseExists', 'optionsDatabaseMissing', 'optionsDatabaseCreated', 'optionsPermissionDenied'];
    for (const locale of ['en', 'zh_CN']) {
      const table = messages(locale);
      expect(keys.filter((key) => !table[key]), locale).toEqual([]);
    }
    const chinese = loadOptionsStrings(getMessageFrom(messages('zh_CN')), 'zh-CN');
    expect(chinese.problem('url-insecure')).toBe('只有本机上的服务器可以用 http://，请使用 https://。');
    // A lone "$" would start a placeholder in Chrome and vanish with the next character.
    expect(strings.databaseHint).toBe('Lowercase letters, digits and _$()+-/, starting with a letter.');
    for (const locale of ['en', 'zh_CN']) {
      for (const [key, { message }] of Object.entries(messages(locale))) {
        if (key.startsWith('options')) expect(message.replace(/\$\$|\$[A-Z_]+\$/g, ''), key).not.toContain('$');
      }
    }
  });
});
