/**
 * The sync server's settings (issue #5): https anywhere, plain http only on
 * loopback addresses, CouchDB's database-name rules, and the password kept
 * in `storage.local` only.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storageAreaKv } from '../../storage/sync/couch-kv';
import { retryDelayMs } from '../../storage/sync/couch-schedule';
import {
  checkDatabaseName,
  checkServerUrl,
  hostPermissionPattern,
  isLoopbackHost,
  loadServerSettings,
  OPTIONAL_HOST_PERMISSIONS,
  saveServerSettings,
  validateServerSettings,
} from '../../storage/sync/server-settings';

beforeEach(() => {
  fakeBrowser.reset();
});

const valid = { url: 'https://couch.example.com/', database: 'highlights', username: 'me', password: 'pw', enabled: true };

describe('the server URL', () => {
  it('refuses plain http to another computer', () => {
    expect(checkServerUrl('http://example.com')).toEqual({ ok: false, problem: 'url-insecure' });
    expect(checkServerUrl('http://192.168.1.20:5984')).toEqual({ ok: false, problem: 'url-insecure' });
    expect(checkServerUrl('http://127.0.0.1.example.com')).toEqual({ ok: false, problem: 'url-insecure' });
  });

  it('allows plain http on the loopback names the manifest can grant', () => {
    expect(checkServerUrl('http://127.0.0.1:5984')).toEqual({ ok: true, url: 'http://127.0.0.1:5984' });
    expect(checkServerUrl('http://localhost:5984/')).toEqual({ ok: true, url: 'http://localhost:5984' });
    expect(checkServerUrl('http://LOCALHOST:5984')).toEqual({ ok: true, url: 'http://localhost:5984' });
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('asks only for host permissions the manifest lists as optional', () => {
    const config = readFileSync('wxt.config.ts', 'utf8');
    const listed = /SYNC_SERVER_HOSTS = \[([^\]]*)\]/.exec(config)?.[1] ?? '';
    expect(listed.match(/'[^']+'/g)?.map((item) => item.slice(1, -1))).toEqual([...OPTIONAL_HOST_PERMISSIONS]);
    for (const url of ['https://couch.example.com:6984', 'http://127.0.0.1:5984', 'http://localhost:5984']) {
      const pattern = hostPermissionPattern(url);
      expect(OPTIONAL_HOST_PERMISSIONS.some((granted) => granted === pattern || (granted === 'https://*/*' && pattern.startsWith('https://')))).toBe(true);
    }
  });

  it('allows https anywhere, keeping a path prefix without the trailing slash', () => {
    expect(checkServerUrl(' https://db.example.org/couchdb/ ')).toEqual({ ok: true, url: 'https://db.example.org/couchdb' });
  });

  it('refuses credentials, queries and other schemes in the URL', () => {
    expect(checkServerUrl('https://me:secret@couch.example.com')).toEqual({ ok: false, problem: 'url-credentials' });
    expect(checkServerUrl('https://couch.example.com/?x=1')).toEqual({ ok: false, problem: 'url-extra' });
    expect(checkServerUrl('ftp://couch.example.com')).toEqual({ ok: false, problem: 'url-invalid' });
    expect(checkServerUrl('couch.example.com')).toEqual({ ok: false, problem: 'url-invalid' });
    expect(checkServerUrl('  ')).toEqual({ ok: false, problem: 'url-missing' });
  });

  it('names the host permission to request, for any port', () => {
    expect(hostPermissionPattern('https://couch.example.com:6984/couchdb')).toBe('https://couch.example.com/*');
    expect(hostPermissionPattern('http://127.0.0.1:5984')).toBe('http://127.0.0.1/*');
  });
});

describe('the database name', () => {
  it('follows CouchDB rules', () => {
    expect(checkDatabaseName('highlights')).toBeNull();
    expect(checkDatabaseName('my_notes$(1)+-/2')).toBeNull();
    expect(checkDatabaseName('Highlights')).toBe('database-invalid');
    expect(checkDatabaseName('_users')).toBe('database-invalid');
    expect(checkDatabaseName('1notes')).toBe('database-invalid');
    expect(checkDatabaseName('a'.repeat(239))).toBe('database-invalid');
    expect(checkDatabaseName('')).toBe('database-missing');
  });
});

describe('validating the form', () => {
  it('answers a problem per field', () => {
    expect(validateServerSettings({ ...valid, url: 'http://example.com', database: 'Bad', username: 'a:b' })).toEqual({
      ok: false,
      problems: { url: 'url-insecure', database: 'database-invalid', username: 'username-invalid' },
    });
  });

  it('normalises valid settings', () => {
    expect(validateServerSettings({ ...valid, username: ' me ' })).toEqual({ ok: true, value: { ...valid, url: 'https://couch.example.com', username: 'me' } });
  });
});

describe('storing the settings', () => {
  it('keeps them, password included, in storage.local and nothing in storage.sync', async () => {
    const kv = storageAreaKv(fakeBrowser.storage.local);
    expect((await saveServerSettings(kv, valid)).ok).toBe(true);
    expect(await loadServerSettings(kv)).toMatchObject({ url: 'https://couch.example.com', password: 'pw' });
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });

  it('does not save invalid settings, and ignores damaged ones', async () => {
    const kv = storageAreaKv(fakeBrowser.storage.local);
    expect((await saveServerSettings(kv, { ...valid, url: 'http://example.com' })).ok).toBe(false);
    expect(await loadServerSettings(kv)).toBeNull();
    await fakeBrowser.storage.local.set({ 'serverSync:settings': { url: 42 } });
    expect(await loadServerSettings(kv)).toBeNull();
  });
});

describe('retry backoff', () => {
  it('doubles from a minute up to an hour', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 7, 20].map((failures) => retryDelayMs(failures, middle))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
  });
});
