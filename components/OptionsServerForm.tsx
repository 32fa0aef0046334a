/**
 * The sync server form (issue #5): URL, database, user, password, on/off,
 * with Save, Test connection, and Create database when the test found none.
 * Validation is the same as the background's (server-settings.ts); the work
 * itself is done by the `actions` the page passes in.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ConnectionCheck, ConnectionFailure } from '../storage/sync/couch-connection';
import { validateServerSettings, type ServerSettings, type ServerSettingsInput, type SettingsField, type SettingsProblem } from '../storage/sync/server-settings';
import type { OptionsStrings } from './options-strings';

/** The browser did not grant the server's host permission. */
export type PermissionRefused = { ok: false; kind: 'permission-denied'; host: string };

export interface OptionsServerActions {
  /** Stores the settings (storage.local) and asks the background to sync. */
  save(settings: ServerSettings): Promise<{ ok: true } | PermissionRefused>;
  test(settings: ServerSettings): Promise<ConnectionCheck | PermissionRefused>;
  createDatabase(settings: ServerSettings): Promise<{ ok: true; value: 'created' | 'exists' } | ConnectionFailure | PermissionRefused>;
}

export interface OptionsServerFormProps {
  strings: OptionsStrings;
  initial: ServerSettingsInput;
  actions: OptionsServerActions;
}

type Busy = 'save' | 'test' | 'create' | null;
type Message = { tone: 'ok' | 'error'; text: string };

export function OptionsServerForm({ strings, initial, actions }: OptionsServerFormProps) {
  const [form, setForm] = useState<ServerSettingsInput>(initial);
  const [problems, setProblems] = useState<Partial<Record<SettingsField, SettingsProblem>>>({});
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [offerCreate, setOfferCreate] = useState(false);
  const [showPassword, setShowPassword] = useState(false);

  const update = (field: keyof ServerSettingsInput, value: string | boolean) => {
    setForm((current) => ({ ...current, [field]: value }));
    if (field in problems) setProblems((current) => ({ ...current, [field]: undefined }));
  };

  /** Validates, then runs `work` with the settings; its answer becomes the message. */
  const run = (kind: Exclude<Busy, null>, work: (settings: ServerSettings) => Promise<Message & { offerCreate?: boolean }>) => {
    const checked = validateServerSettings(form);
    if (!checked.ok) {
      setProblems(checked.problems);
      setMessage({ tone: 'error', text: strings.fixFields });
      return;
    }
    setProblems({});
    setBusy(kind);
    setMessage(null);
    // Called straight from the click, so the page may still ask for the host permission.
    void work(checked.value).then(
      (answer) => {
        setMessage({ tone: answer.tone, text: answer.text });
        setOfferCreate(answer.offerCreate ?? false);
        setBusy(null);
      },
      (error: unknown) => {
        setMessage({ tone: 'error', text: error instanceof Error ? error.name : String(error) });
        setBusy(null);
      },
    );
  };

  const denied = (answer: PermissionRefused): Message => ({ tone: 'error', text: strings.permissionDenied(answer.host) });
  const onSave = () => run('save', async (settings) => {
    const answer = await actions.save(settings);
    return answer.ok ? { tone: 'ok', text: strings.saved } : denied(answer);
  });
  const onTest = () => run('test', async (settings) => {
    const answer = await actions.test(settings);
    if (!answer.ok) return answer.kind === 'permission-denied' ? denied(answer) : { tone: 'error', text: answer.message };
    const text = `${strings.connected(answer.server, answer.user)} ${strings.databaseState(settings.database, answer.database)}`;
    return { tone: answer.database === 'exists' ? 'ok' : 'error', text, offerCreate: answer.database === 'missing' };
  });
  const onCreate = () => run('create', async (settings) => {
    const answer = await actions.createDatabase(settings);
    if (!answer.ok) return answer.kind === 'permission-denied' ? denied(answer) : { tone: 'error', text: answer.message, offerCreate: true };
    return { tone: 'ok', text: strings.databaseState(settings.database, answer.value === 'created' ? 'created' : 'exists') };
  });

  const field = (name: SettingsField | 'password', label: string, hint: string | null, input: JSX.Element) => {
    const problem = name === 'password' ? undefined : problems[name];
    return (
      <div class={`field${problem ? ' invalid' : ''}`}>
        <label for={`server-${name}`}>{label}</label>
        {input}
        {problem ? (
          <p class="field-problem" id={`server-${name}-note`}>{strings.problem(problem)}</p>
        ) : hint ? (
          <p class="field-hint" id={`server-${name}-note`}>{hint}</p>
        ) : null}
      </div>
    );
  };
  const inputProps = (name: SettingsField | 'password') => ({
    id: `server-${name}`,
    'aria-invalid': name !== 'password' && problems[name] ? true : undefined,
    'aria-describedby': `server-${name}-note`,
    disabled: busy !== null,
  });

  return (
    <section class="options-section" aria-labelledby="server-heading">
      <h2 id="server-heading">{strings.serverHeading}</h2>
      <p class="section-intro">{strings.serverIntro}</p>
      <form class="server-form" onSubmit={(event) => { event.preventDefault(); onSave(); }} noValidate>
        {field('url', strings.urlLabel, strings.urlHint, (
          <input {...inputProps('url')} type="url" inputMode="url" placeholder="https://couch.example.com" autoComplete="url" spellcheck={false} value={form.url} onInput={(event) => update('url', event.currentTarget.value)} />
        ))}
        {field('database', strings.databaseLabel, strings.databaseHint, (
          <input {...inputProps('database')} type="text" placeholder="highlights" autoCapitalize="off" spellcheck={false} value={form.database} onInput={(event) => update('database', event.currentTarget.value)} />
        ))}
        <div class="field-row">
          {field('username', strings.usernameLabel, null, (
            <input {...inputProps('username')} type="text" autoComplete="username" autoCapitalize="off" spellcheck={false} value={form.username} onInput={(event) => update('username', event.currentTarget.value)} />
          ))}
          {field('password', strings.passwordLabel, strings.passwordHint, (
            <span class="password-box">
              <input {...inputProps('password')} type={showPassword ? 'text' : 'password'} autoComplete="current-password" value={form.password} onInput={(event) => update('password', event.currentTarget.value)} />
              <button type="button" class="reveal" aria-pressed={showPassword} onClick={() => setShowPassword(!showPassword)}>
                {showPassword ? strings.hidePassword : strings.showPassword}
              </button>
            </span>
          ))}
        </div>
        <label class="switch">
          <input type="checkbox" role="switch" checked={form.enabled} disabled={busy !== null} onChange={(event) => update('enabled', event.currentTarget.checked)} />
          <span>{strings.enabledLabel}</span>
        </label>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy !== null}>{busy === 'save' ? strings.working : strings.save}</button>
          <button type="button" class="button" disabled={busy !== null} onClick={onTest}>{busy === 'test' ? strings.working : strings.test}</button>
          {offerCreate ? (
            <button type="button" class="button" disabled={busy !== null} onClick={onCreate}>{busy === 'create' ? strings.working : strings.createDatabase}</button>
          ) : null}
        </div>
        <p class={`form-message${message ? ` ${message.tone}` : ''}`} role="status" aria-live="polite">{message?.text ?? ''}</p>
      </form>
    </section>
  );
}
