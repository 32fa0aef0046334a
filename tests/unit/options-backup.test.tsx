/**
 * The options page's "Automatic backup" and "Storage" sections (issue #8):
 * turning backups on asks for the permission and says so when it is refused,
 * the settings and "Back up now" reach their actions, and every outcome is
 * shown in words. Strings come from the real messages.json files.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { OptionsBackupPanel, type OptionsBackupPanelProps } from '../../components/OptionsBackupPanel';
import { OptionsStoragePanel } from '../../components/OptionsStoragePanel';
import { loadOptionsStrings, OPTIONS_MESSAGE_KEYS } from '../../components/options-strings';
import { DEFAULT_BACKUP_SETTINGS } from '../../storage/backup/backup-settings';
import { getMessageFrom, messages } from '../fixtures/backup/i18n';
import { useRenderRoot } from './render-root';

const strings = loadOptionsStrings(getMessageFrom(messages('en')), 'en');
const NOW = Date.UTC(2026, 2, 1, 12);
const mount = useRenderRoot();

function props(overrides: Partial<OptionsBackupPanelProps> = {}): OptionsBackupPanelProps {
  return {
    strings,
    settings: DEFAULT_BACKUP_SETTINGS,
    lastSaved: null,
    lastOutcome: null,
    permitted: false,
    running: false,
    now: NOW,
    actions: { setEnabled: vi.fn(async () => true), setFrequency: vi.fn(), setKeep: vi.fn(), backUpNow: vi.fn() },
    ...overrides,
  };
}

async function show(panel: OptionsBackupPanelProps): Promise<void> {
  await act(() => render(h(OptionsBackupPanel, panel), mount.root));
}

/** Settles the promises a click started, inside act(). */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const toggle = () => mount.root.querySelector<HTMLInputElement>('input[role="switch"]')!;
const button = (name: string) => [...mount.root.querySelectorAll('button')].find((candidate) => candidate.textContent === name);

describe('automatic backup', () => {
  it('is off by default and "Back up now" waits until it is on', async () => {
    await show(props());

    expect(mount.root.querySelector('h2')!.textContent).toBe('Automatic backup');
    expect(toggle().checked).toBe(false);
    expect(button('Back up now')!.disabled).toBe(true);
    expect(mount.root.textContent).toContain('Last backupNone yet');
  });

  it('turning it on asks for the permission; a refusal is said in words', async () => {
    const panel = props();
    vi.mocked(panel.actions.setEnabled).mockResolvedValue(false);
    await show(panel);

    toggle().click();
    await settle();

    expect(panel.actions.setEnabled).toHaveBeenCalledWith(true);
    expect(mount.root.querySelector('[role="alert"]')!.textContent).toBe(
      'Backups need permission to save files in your Downloads folder, and it was not granted. Automatic backup stays off.',
    );
  });

  it('passes frequency, a valid "keep" count and "Back up now" on; refuses a count out of range', async () => {
    const panel = props({ settings: { ...DEFAULT_BACKUP_SETTINGS, enabled: true }, permitted: true });
    await show(panel);

    const frequency = mount.root.querySelector<HTMLSelectElement>('#backup-frequency')!;
    frequency.value = 'weekly';
    await act(() => void frequency.dispatchEvent(new Event('change', { bubbles: true })));
    expect(panel.actions.setFrequency).toHaveBeenCalledWith('weekly');

    const keep = mount.root.querySelector<HTMLInputElement>('#backup-keep')!;
    keep.value = '0';
    await act(() => void keep.dispatchEvent(new Event('change', { bubbles: true })));
    expect(mount.root.querySelector('#backup-keep-note')!.textContent).toBe('Enter a whole number from 1 to 100.');
    expect(keep.getAttribute('aria-invalid')).toBe('true');
    keep.value = '2';
    await act(() => void keep.dispatchEvent(new Event('change', { bubbles: true })));
    expect(panel.actions.setKeep).toHaveBeenCalledWith(2);
    expect(panel.actions.setKeep).toHaveBeenCalledTimes(1);

    button('Back up now')!.click();
    expect(panel.actions.backUpNow).toHaveBeenCalledTimes(1);
  });

  it('shows a backup in progress', async () => {
    await show(props({ settings: { ...DEFAULT_BACKUP_SETTINGS, enabled: true }, permitted: true, running: true }));

    expect(button('Backing up…')!.disabled).toBe(true);
  });

  it('shows when the last backup was written and its file', async () => {
    const saved = { at: NOW - 3 * 60_000, fileName: 'lesson-highlighter-2026-03-01-1157.json' };
    await show(props({ lastSaved: saved, lastOutcome: { type: 'saved', ...saved } }));

    expect(mount.root.textContent).toContain('Last backup3 min. ago · lesson-highlighter-2026-03-01-1157.json');
    expect(mount.root.querySelector('[role="alert"]')).toBeNull();
  });

  it('says when nothing changed, so no file was written, and still names the last backup', async () => {
    const saved = { at: NOW - 2 * 3_600_000, fileName: 'lesson-highlighter-2026-03-01-1000.json' };
    await show(props({ lastSaved: saved, lastOutcome: { type: 'unchanged', at: NOW, fileName: saved.fileName } }));

    expect(mount.root.textContent).toContain('Last backup2 hr. ago · lesson-highlighter-2026-03-01-1000.json');
    expect(mount.root.querySelector('.backup-note')!.textContent).toBe('Nothing changed since lesson-highlighter-2026-03-01-1000.json, so no new file was written.');
  });

  it('a failure does not hide the last good backup', async () => {
    const saved = { at: NOW - 2 * 24 * 3_600_000, fileName: 'lesson-highlighter-2026-02-27-1200.json' };
    await show(props({ lastSaved: saved, lastOutcome: { type: 'failed', at: NOW, problem: 'download-failed', detail: 'FILE_NO_SPACE' } }));

    expect(mount.root.textContent).toContain('lesson-highlighter-2026-02-27-1200.json');
    expect(mount.root.querySelector('[role="alert"]')!.textContent).toContain('the disk is full');
  });

  it.each([
    [{ problem: 'download-failed' as const, detail: 'FILE_NO_SPACE' }, 'Backup failed: the browser did not finish writing the file (the disk is full).'],
    [{ problem: 'download-failed' as const, detail: 'NETWORK_FAILED' }, 'Backup failed: the browser did not finish writing the file (NETWORK_FAILED).'],
    [{ problem: 'download-refused' as const, detail: 'Invalid filename' }, 'Backup failed: the browser refused to save the file: Invalid filename'],
    [{ problem: 'export-failed' as const, detail: 'The highlight database was closed; try again in a moment.' }, 'Backup failed: the highlights could not be read: The highlight database was closed; try again in a moment.'],
    [{ problem: 'no-permission' as const, detail: null }, 'Backup failed: the permission to save files in your Downloads folder was withdrawn.'],
  ])('puts a failure in words: %o', async (failure, words) => {
    await show(props({ lastOutcome: { type: 'failed', at: NOW, ...failure } }));

    expect(mount.root.querySelector('[role="alert"]')!.textContent).toContain(words);
  });

  it('says the permission was withdrawn while backups are on, before any run fails', async () => {
    await show(props({ settings: { ...DEFAULT_BACKUP_SETTINGS, enabled: true }, permitted: false }));

    expect(mount.root.querySelector('[role="alert"]')!.textContent).toContain('was withdrawn. Turn automatic backup off and on again to grant it.');
    expect(button('Back up now')!.disabled).toBe(true);
  });
});

describe('storage', () => {
  it('shows the space used, whether it is kept, and what the library holds', async () => {
    await act(() =>
      render(h(OptionsStoragePanel, { strings, usage: { usage: 1_234_567, persistence: 'persistent' }, counts: { highlights: 120, notes: 45 } }), mount.root),
    );

    expect(mount.root.querySelector('.storage-used')!.textContent).toBe('Storage: 1.2 MB used · persistent');
    expect(mount.root.querySelector('.storage-counts')!.textContent).toBe('Highlights: 120 · Notes: 45');
  });
});

describe('the strings', () => {
  it('exist in English and Chinese for every new key', () => {
    for (const locale of ['en', 'zh_CN'] as const) {
      const table = messages(locale);
      const missing = OPTIONS_MESSAGE_KEYS.filter((key) => !table[key]?.message);
      expect(missing, locale).toEqual([]);
      for (const key of ['optionsBackupUnchanged', 'optionsBackupFailed', 'optionsStorageUsed', 'optionsStorageCounts', 'backupCollectionLabel']) {
        expect(table[key]?.message, `${locale} ${key}`).toBeTruthy();
      }
    }
  });
});
