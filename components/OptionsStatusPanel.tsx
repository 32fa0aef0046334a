/** The sync status per way (issue #5): on/off, last success, pending changes, last problem, browser-sync space. */
import type { ComponentChildren } from 'preact';
import type { SyncStatus, SyncWay } from '../storage/sync/sync-status';
import type { OptionsStrings } from './options-strings';
import { formatFullTime, formatRelativeTime } from './relative-time';

export interface OptionsStatusPanelProps {
  strings: OptionsStrings;
  /** Each way's `syncStatus:<way>` record; null before that way ever ran. */
  statuses: Record<'browser' | 'server', SyncStatus | null>;
  now: number;
  /** Whether a server sync was just requested (the button shows it is on its way). */
  syncRequested: boolean;
  onSyncNow(): void;
}

export function OptionsStatusPanel({ strings, statuses, now, syncRequested, onSyncNow }: OptionsStatusPanelProps) {
  return (
    <section class="options-section" aria-labelledby="status-heading">
      <h2 id="status-heading">{strings.statusHeading}</h2>
      <div class="way-cards">
        <WayCard way="browser" title={strings.wayBrowser} status={statuses.browser} strings={strings} now={now} />
        <WayCard way="server" title={strings.wayServer} status={statuses.server} strings={strings} now={now}>
          <button type="button" class="button" onClick={onSyncNow} disabled={syncRequested || !statuses.server?.enabled}>
            {syncRequested ? strings.syncRequested : strings.syncNow}
          </button>
        </WayCard>
      </div>
    </section>
  );
}

interface WayCardProps {
  way: SyncWay;
  title: string;
  status: SyncStatus | null;
  strings: OptionsStrings;
  now: number;
  children?: ComponentChildren;
}

function WayCard({ way, title, status, strings, now, children }: WayCardProps) {
  const enabled = status?.enabled ?? false;
  const headingId = `way-${way}`;
  return (
    <article class="way-card" aria-labelledby={headingId} data-way={way}>
      <header class="way-head">
        <h3 id={headingId}>{title}</h3>
        <span class={`chip ${enabled ? 'on' : 'off'}`}>{enabled ? strings.on : strings.off}</span>
      </header>
      <dl class="way-facts">
        <dt>{strings.lastSuccess}</dt>
        <dd>
          {status?.lastSuccessAt ? (
            <time dateTime={new Date(status.lastSuccessAt).toISOString()} title={formatFullTime(status.lastSuccessAt, strings.locale)}>
              {formatRelativeTime(status.lastSuccessAt, now, strings.locale)}
            </time>
          ) : (
            strings.never
          )}
        </dd>
        <dt>{strings.pending}</dt>
        <dd>{strings.number(status?.pendingChanges ?? 0)}</dd>
        {status?.bytesUsed !== undefined && status.bytesQuota ? <SpaceUsed strings={strings} used={status.bytesUsed} quota={status.bytesQuota} /> : null}
        {status?.carried !== undefined ? (
          <dd class="way-note">{strings.carried(status.carried, status.notCarried ?? 0)}</dd>
        ) : null}
      </dl>
      {status?.skipped ? (
        <div class="way-skipped">
          <p>{strings.skipped(status.skipped.count, formatFullTime(status.skipped.at, strings.locale))}</p>
          <ul>
            {status.skipped.problems.map((problem) => (
              <li key={problem}>
                <code>{problem}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {status?.lastError ? (
        <p class="way-error">
          <span class="way-error-label">{strings.lastError}</span> {status.lastError}
        </p>
      ) : null}
      {children ? <div class="way-actions">{children}</div> : null}
    </article>
  );
}

function SpaceUsed({ strings, used, quota }: { strings: OptionsStrings; used: number; quota: number }) {
  const share = Math.min(1, used / quota);
  return (
    <>
      <dt>{strings.spaceUsed}</dt>
      <dd>
        {strings.space(used, quota)}
        <meter class="space-meter" min={0} max={quota} value={used} low={quota * 0.7} high={quota * 0.9} optimum={0} aria-label={strings.spaceUsed}>
          {Math.round(share * 100)}%
        </meter>
      </dd>
    </>
  );
}
