/**
 * The page-level note of each lesson: read, save, restore a conflict
 * version, and merge the lesson notes of an imported file.
 *
 * Its text is a multi-value register like a highlight's note (issue #5,
 * storage/sync/merge.ts): each save is a new version written on top of the
 * ones this profile holds, and a concurrent edit from another profile (in an
 * imported file) is kept as a conflict version, never dropped because it is
 * older. Lesson notes travel the three ways highlights do (browser sync, the
 * server, files), so every write here takes the next local sequence number
 * (kept in `lessonNoteSeqs`), which transports page through with `changesSince`.
 */
import { z } from 'zod';
import { StorageError } from './annotations';
import type { LessonHighlighterDb } from './db';
import type { LessonNote, LessonRef, NoteVersion } from './model';
import { parseStamp, type Stamp } from './sync/hlc';
import { fromReplicatedLessonNote, lessonNoteVersions, toReplicatedLessonNote } from './sync/lesson-note-versions';
import { canonicalJson } from './sync/couch-docs';
import { chooseNoteVersion, editNote, mergeLessonNote, mergeNotes, type ReplicatedLessonNote } from './sync/merge';
import {
  loadReplicaState,
  newReplicaId,
  nextSequence,
  observeStamp,
  saveReplicaState,
  stampLocalChange,
  type ReplicaState,
} from './sync/replica';
import { MAX_CLOCK_AHEAD_MS, MAX_NOTE_VERSIONS, noteVersionSchema } from './sync/replicated-schema';

/** The lesson's note, or null when the reader never wrote one. */
export async function getLessonNote(db: LessonHighlighterDb, lessonId: string): Promise<LessonNote | null> {
  return (await db.lessonNotes.get(lessonId)) ?? null;
}

/**
 * Saves the lesson's note (an empty text clears it); answers the stored
 * record. Saving the shown text unchanged writes nothing, so its conflict
 * versions stay, and a new text replaces only the shown version: its
 * conflict versions stay too (merge.ts editNote).
 */
export async function saveLessonNote(
  db: LessonHighlighterDb,
  lesson: LessonRef,
  note: string,
  now: number = Date.now(),
): Promise<LessonNote> {
  return db.transaction('rw', db.lessonNotes, db.lessonNoteSeqs, db.meta, async () => {
    const existing = await db.lessonNotes.get(lesson.lessonId);
    if (existing && existing.note === note) return existing;
    return writeLessonNote(db, existing, now, (state, stamp) => ({
      lessonId: lesson.lessonId,
      lesson: { ...lesson },
      createdAt: existing?.createdAt ?? now,
      notes: editNote(existing ? lessonNoteVersions(existing) : [], note, stamp, state.replicaId, newReplicaId),
    }));
  });
}

/**
 * Makes the conflict version with `stamp` the lesson's note; the replaced
 * text stays as a conflict version. Restoring the shown version keeps it and
 * dismisses the others. Answers the stored record.
 */
export async function restoreLessonNoteVersion(
  db: LessonHighlighterDb,
  lessonId: string,
  stamp: Stamp,
  now: number = Date.now(),
): Promise<LessonNote> {
  return db.transaction('rw', db.lessonNotes, db.lessonNoteSeqs, db.meta, async () => {
    const existing = await db.lessonNotes.get(lessonId);
    const versions = existing ? lessonNoteVersions(existing) : [];
    const version = versions.find((candidate) => candidate.stamp === stamp);
    if (!existing || !version) {
      throw new StorageError(
        'no-such-version',
        'This version of the lesson note is no longer there: it was replaced or restored, perhaps in another tab. Reload to see the current note.',
      );
    }
    if (versions.length === 1) return existing;
    return writeLessonNote(db, existing, now, (state, first) => {
      let issued = 0;
      const later = () => (issued++ === 0 ? first : stampLocalChange(state, now));
      const notes =
        version === versions[0]
          ? editNote(versions, version.text, first, state.replicaId)
          : chooseNoteVersion(versions, stamp, { stamp: later, lane: newReplicaId });
      return { ...toReplicatedLessonNote(existing), notes };
    });
  });
}

/**
 * Stamps, sequences and writes a reader's change of a lesson note; call
 * inside a read-write transaction over lessonNotes, lessonNoteSeqs and meta. The first stamp is later
 * than the note's last change, even if the clock stepped back.
 */
async function writeLessonNote(
  db: LessonHighlighterDb,
  existing: LessonNote | undefined,
  now: number,
  change: (state: ReplicaState, stamp: Stamp) => ReplicatedLessonNote,
): Promise<LessonNote> {
  const state = await loadReplicaState(db);
  const stamp = stampLocalChange(state, Math.max(now, (existing?.updatedAt ?? 0) + 1));
  const record = fromReplicatedLessonNote(change(state, stamp));
  await db.lessonNotes.put(record);
  await db.lessonNoteSeqs.put({ lessonId: record.lessonId, syncSeq: nextSequence(state) });
  await saveReplicaState(db, state);
  return record;
}

/**
 * Merges lesson notes from elsewhere (a file, the server, browser sync) into
 * the database; answers how many local records changed. Call inside a
 * read-write transaction over lessonNotes, lessonNoteSeqs and meta, with notes already
 * checked (`checkReplicatedLessonNote`). Versions no side has seen are all
 * kept (the older one as a conflict version), so merging never drops a
 * text; merging the same notes again changes nothing. Each changed note
 * takes the next sequence number, so a merge is itself a change the other
 * transports carry on. From a file, a note with no text is not stored for a
 * lesson that has none (absence and an empty note read the same); from sync
 * (`keepEmpty`) it is, because browser sync writes its items from the
 * database: a profile that dropped a cleared note the area holds would
 * write items without it, and two profiles would overwrite each other for ever.
 */
export async function mergeLessonNotes(
  db: LessonHighlighterDb,
  incoming: readonly ReplicatedLessonNote[],
  options: { keepEmpty?: boolean } = {},
): Promise<number> {
  if (incoming.length === 0) return 0;
  const byLesson = new Map<string, ReplicatedLessonNote>();
  for (const note of incoming) {
    const seen = byLesson.get(note.lessonId);
    // Versions in merged form (latest first, none another has seen), whoever wrote them.
    byLesson.set(note.lessonId, seen ? mergeLessonNote(seen, note) : { ...note, notes: mergeNotes(note.notes, []) });
  }
  const notes = [...byLesson.values()];
  const state = await loadReplicaState(db);
  const existing = await db.lessonNotes.bulkGet(notes.map((note) => note.lessonId));
  const writes: LessonNote[] = [];
  notes.forEach((note, i) => {
    // Later local stamps must order after every stamp merged in.
    for (const version of note.notes) observeStamp(state, version.stamp);
    const local = existing[i];
    if (!local) {
      if (options.keepEmpty || note.notes.some((version) => version.text !== '')) writes.push(fromReplicatedLessonNote(note));
      return;
    }
    const before = toReplicatedLessonNote(local);
    // Through the stored form and back, so equal data compares equal whatever its key order.
    const merged = toReplicatedLessonNote(fromReplicatedLessonNote(mergeLessonNote(before, note)));
    if (canonicalJson(merged) !== canonicalJson(before)) writes.push(fromReplicatedLessonNote(merged));
  });
  await db.lessonNotes.bulkPut(writes);
  await db.lessonNoteSeqs.bulkPut(writes.map((note) => ({ lessonId: note.lessonId, syncSeq: nextSequence(state) })));
  await saveReplicaState(db, state);
  return writes.length;
}

const lessonNoteVersionsSchema = z.array(noteVersionSchema).min(1, 'has no note version').max(MAX_NOTE_VERSIONS);

/**
 * The note versions a file carries for a lesson note, checked like a synced
 * highlight's (well-formed stamps and vectors, no two with one stamp,
 * nothing dated more than 24 hours after `now`), or what is wrong, in words.
 */
export function readLessonNoteVersions(raw: unknown, now: number): NoteVersion[] | string {
  const parsed = lessonNoteVersionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `notes${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`;
  }
  const versions = parsed.data;
  if (new Set(versions.map((version) => version.stamp)).size !== versions.length) return 'two note versions have the same stamp';
  const latest = now + MAX_CLOCK_AHEAD_MS;
  if (versions.some((version) => parseStamp(version.stamp)!.wall > latest)) {
    return "a note version is dated more than 24 hours ahead of this computer's clock";
  }
  return versions;
}
